// A report whose file names, chunk texts, terms, anchor queries, warnings and skipped paths hold
// XSS payloads, in both hosts: every payload shows as text, no script runs, no CSP violation.
import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { XSS_PAYLOADS, makeFixtureReport } from '../fixtures/make-report';
import { expectNoIncidents, launch, openPanel, openStandalone, selectTab, sendReport, violations, type Incidents } from './support';

const report = makeFixtureReport({ chunks: 150, hostile: true, differentChunking: true });

/** Visits every tab and exercises what renders workspace strings: rows, drill-down, peek, maps, filters. */
async function visitEverything(page: Page, standalone: boolean): Promise<void> {
  const tabs = await page.$$eval('[role=tab]', (els) => els.map((e) => e.getAttribute('data-tab')!));
  for (const tab of tabs) {
    await selectTab(page, tab);
    if (tab === 'churn') {
      await page.fill('[data-testid=churn-filter]', 'onerror');
      await page.click('[data-testid=churn-table] .vt-row:nth-child(1)');
      await page.click('[data-testid=open-selected]');
      await page.fill('[data-testid=churn-filter]', '');
    }
    if (tab === 'tokens') {
      await page.fill('[data-testid=term-filter]', '<script');
      await page.waitForSelector('[data-testid=terms-table] .vt-row');
      if (!standalone) {
        await page.fill('[data-testid=tokenize-input]', XSS_PAYLOADS[0]!);
        await page.waitForSelector('[data-testid=live-tokens-a]');
      }
    }
    if (tab === 'anchors') {
      await page.focus('[data-testid=anchors-table] .vt-viewport');
      await page.keyboard.press('Home');
      await page.keyboard.press('Enter');
    }
    if (tab === 'maps') {
      const box = (await page.locator('[data-testid=map-a]').boundingBox())!;
      await page.mouse.move(box.x + 2, box.y + 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width - 2, box.y + box.height - 2, { steps: 3 });
      await page.mouse.up();
    }
    if (tab === 'chunking') await page.waitForSelector('[data-testid=chunking-text] .seg');
    if (tab === 'playground') {
      await page.fill('[data-testid=search-input]', XSS_PAYLOADS[1]!);
      await page.press('[data-testid=search-input]', 'Enter');
      await page.waitForSelector('#panel-playground [data-testid=neighbors-a] li');
    }
  }
}

async function assertInert(page: Page, incidents: Incidents, scripts: number): Promise<void> {
  expectNoIncidents(incidents, 'hostile report');
  assert.deepEqual(await violations(page), []);
  const dom = await page.evaluate(() => ({
    xss: (window as any).__xss,
    injected: document.querySelectorAll('img, svg, iframe, object, embed, a[href^="javascript"]').length,
    scripts: document.scripts.length,
    handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
  }));
  assert.equal(dom.xss, undefined, 'a payload ran');
  assert.equal(dom.injected, 0, 'payload markup became elements');
  assert.equal(dom.scripts, scripts, 'only our own script elements');
  assert.equal(dom.handlers, 0, 'inline event handler attributes');
}

describe('hostile report (XSS payloads in every workspace string) in Chromium', function () {
  let browser: Browser;
  before(async () => { browser = await launch(); });
  after(async () => browser?.close());

  it('standalone report.html: payloads appear as text on every tab, nothing runs, no CSP violation', async () => {
    const { page, incidents, context } = await openStandalone(browser, report, 'standalone-hostile');
    const overview = await page.innerText('#panel-overview');
    assert.ok(overview.includes(`Skipped anchor ${XSS_PAYLOADS[1]}`), 'warning shown as text');
    assert.ok(overview.includes(XSS_PAYLOADS[1]!), 'skipped path shown as text');
    await visitEverything(page, true);
    // The peek shows the hostile file name verbatim.
    await selectTab(page, 'churn');
    await page.fill('[data-testid=churn-filter]', 'docs/<img');
    await page.click('[data-testid=churn-table] .vt-row:nth-child(1)');
    assert.ok((await page.innerText('[data-testid=churn-detail] h2')).startsWith(`docs/${XSS_PAYLOADS[0]}.md:`));
    await page.click('[data-testid=open-selected]');
    assert.ok((await page.innerText('[data-testid=peek-location]')).startsWith(`docs/${XSS_PAYLOADS[0]}.md:`));
    await selectTab(page, 'tokens');
    await page.fill('[data-testid=term-filter]', '</script>');
    const rows = await page.$$eval('[data-testid=terms-table] .vt-row .term', (els) => els.map((e) => e.textContent));
    assert.ok(rows.includes(XSS_PAYLOADS[3]!), rows.join(' | '));
    await assertInert(page, incidents, 2);
    await context.close();
  });

  it('VS Code panel: the same, through showReport, tokenize and search answers', async () => {
    const { page, incidents, context } = await openPanel(browser, report);
    await sendReport(page, report);
    await visitEverything(page, false);
    // The typed payload comes back from the host as pieces and is drawn as text boxes.
    await selectTab(page, 'tokens');
    const pieces = await page.$$eval('[data-testid=live-tokens-a] .tok', (els) => els.map((e) => e.textContent).join(''));
    assert.equal(pieces, XSS_PAYLOADS[0]!.replace(/\s+/g, ''));
    assert.equal(await page.locator('#panel-playground [data-testid=neighbors-b] li').count(), 10);
    await assertInert(page, incidents, 1);
    await context.close();
  });
});
