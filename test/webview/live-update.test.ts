// Live mode and stale reports in the panel page (real Chromium, fake host): a report that replaces
// the one on screen keeps the tab, the scroll positions, the filter and the selected chunk (found by
// its place in the corpus, not its index), marks the headline numbers that moved and says what
// changed; the stale banner words the change and its Rerun button posts `rerun`.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Report } from '../../src/core/report/types';
import { makeFixtureReport } from '../fixtures/make-report';
import { openPanel, posted, screenshot, selectTab, sendReport, sharedPage } from './support';

/** The same corpus after an edit: the first churn item is gone (indices shift) and churn rose. */
function afterEdit(before: Report): Report {
  const r = structuredClone(before);
  r.createdAt = '2026-11-29T12:00:00.000Z';
  r.neighbors.items = r.neighbors.items.slice(1);
  r.neighbors.churnedShare = Math.min(1, (before.neighbors.churnedShare ?? 0) + 0.03);
  return r;
}

describe('report panel: in-place updates and stale reports', function () {
  let page: Page;
  const report = makeFixtureReport({ chunks: 300 });
  const session = sharedPage('live panel', (b) => openPanel(b, report));
  before(() => { ({ page } = session); });

  it('a new report keeps tab, scroll, filter and the selected chunk, and marks the numbers that moved', async () => {
    await sendReport(page, report);
    await selectTab(page, 'churn');
    await page.fill('[data-testid=churn-filter]', '.md');
    const viewport = page.locator('[data-testid=churn-table] .vt-viewport');
    // Scrolled down (set until the layout lets it take), then the rows drawn for that position.
    await page.waitForFunction(() => {
      const el = document.querySelector<HTMLElement>('[data-testid=churn-table] .vt-viewport')!;
      el.scrollTop = 200;
      // Row 1 is the header: the first data row drawn is past the top ones once the scroll took.
      return el.scrollTop > 0 && Number(el.querySelector('.vt-row')?.getAttribute('aria-rowindex')) > 2;
    });
    await page.locator('[data-testid=churn-table] .vt-row').nth(6).click();
    await page.waitForSelector('[data-testid=churn-table] .vt-row[aria-selected=true]');
    const row = Number(await page.getAttribute('[data-testid=churn-table] .vt-row[aria-selected=true]', 'data-row'));
    const chosen = report.neighbors.items[row]!;
    assert.notEqual(row, 0, 'the chosen chunk is not the one the edit removes');
    await page.evaluate(() => window.scrollTo(0, 120));
    const before = {
      pageY: await page.evaluate(() => window.scrollY),
      tableTop: await viewport.evaluate((el) => el.scrollTop),
      heading: await page.innerText('[data-testid=churn-detail] h2'),
      churned: await page.innerText('[data-testid=stat-churned] .stat-value'),
    };
    assert.ok(before.pageY > 0 && before.tableTop > 0, `scrolled first (${before.pageY}, ${before.tableTop})`);

    const updated = afterEdit(report);
    await sendReport(page, updated, '1 file changed, 3 chunks re-embedded, churn 31% -> 34%');
    await page.waitForSelector('[data-testid=update-line] [data-testid=change-summary]');

    assert.equal(await page.getAttribute('#tab-churn', 'aria-selected'), 'true', 'same tab');
    assert.equal(await page.inputValue('[data-testid=churn-filter]'), '.md', 'same filter');
    assert.equal(await page.innerText('[data-testid=churn-detail] h2'), before.heading, 'same chunk selected');
    const newRow = Number(await page.getAttribute('[data-testid=churn-table] .vt-row[aria-selected=true]', 'data-row'));
    assert.equal(newRow, row - 1, 'found by its place in the corpus: one index earlier after the first item went');
    assert.equal(updated.neighbors.items[newRow]!.file, chosen.file);
    assert.equal(await viewport.evaluate((el) => el.scrollTop), before.tableTop, 'same table scroll');
    assert.equal(await page.evaluate(() => window.scrollY), before.pageY, 'same page scroll');
    // The churned share moved: marked, with the old value kept for the hover text.
    const churned = page.locator('[data-testid=stat-churned] .stat-value');
    assert.equal(await churned.getAttribute('data-previous'), before.churned);
    assert.notEqual(await churned.innerText(), before.churned);
    // Numbers that did not move stay unmarked.
    assert.equal(await page.locator('[data-testid=stat-rbo] .stat-value').getAttribute('data-previous'), null);
    assert.match(await page.innerText('[data-testid=update-line]'), /^Updated \d\d:\d\d:\d\d · 1 file changed, 3 chunks re-embedded, churn 31% -> 34%$/);
    await screenshot(page, 'panel-live-update');
  });

  it('a tab first opened after the update marks what moved there too', async () => {
    // The overview was rendered before the update (the first report opened on it): its headline is compared.
    await selectTab(page, 'overview');
    const value = page.locator('[data-testid=headline] .stat', { hasText: 'churned share' }).locator('.stat-value');
    assert.equal(await value.getAttribute('data-previous'), `${((report.neighbors.churnedShare ?? 0) * 100).toFixed(0)}%`);
  });

  it('the stale banner says what changed and when; Rerun posts rerun; a current report hides it', async () => {
    await page.evaluate(() => window.postMessage({ type: 'stale', stale: { ageMs: 125_000, configuration: true, anchors: false, corpusFiles: 3 } }, '*'));
    const banner = page.locator('[data-testid=stale]');
    await banner.waitFor({ state: 'visible' });
    assert.equal(await page.innerText('[data-testid=stale-text]'), 'stale: configuration and 3 corpus files changed 2 min ago');
    assert.equal(await banner.getAttribute('role'), 'status');
    await screenshot(page, 'panel-stale');
    await page.click('[data-testid=rerun]');
    assert.deepEqual((await posted(page)).at(-1), { type: 'rerun' });
    assert.equal(await page.isDisabled('[data-testid=rerun]'), true, 'one click, one rerun');
    await page.evaluate(() => window.postMessage({ type: 'stale', stale: null }, '*'));
    await banner.waitFor({ state: 'hidden' });
  });

  it('a stale state sent before any report waits for one (nothing to call stale yet)', async () => {
    await page.reload();
    await page.waitForFunction(() => ((window as any).__posted as Array<{ type: string }>).some((m) => m.type === 'ready'));
    await page.evaluate(() => window.postMessage({ type: 'stale', stale: { ageMs: 600_000, configuration: false, anchors: true, corpusFiles: 0 } }, '*'));
    await sendReport(page, report);
    assert.equal(await page.innerText('[data-testid=stale-text]'), 'stale: anchors file changed 10 min ago');
  });
});
