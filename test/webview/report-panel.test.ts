// The panel page (renderWebviewHtml) with a fake VS Code host: the ready handshake, requests and
// their answers (tokenize, search, file text), openLocation, progress, errors, host-set state,
// dropped malformed messages, and UI state that survives a reload through getState.
import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { Report } from '../../src/core/report/types';
import { makeFixtureReport } from '../fixtures/make-report';
import { expectNoIncidents, launch, openPanel, posted, screenshot, selectTab, sendReport, sharedPage, type Incidents } from './support';

describe('report panel (VS Code webview) in Chromium with a fake host', function () {
  let page: Page;
  let incidents: Incidents;
  const report: Report = makeFixtureReport({ chunks: 300 });
  const lastPosted = async (type: string): Promise<Record<string, unknown> | undefined> => (await posted(page)).filter((m) => m.type === type).at(-1);
  /** The last request of a kind the webview sent, with the id its message carried. */
  const lastRequest = async (type: string): Promise<Record<string, unknown> | undefined> => {
    const m = (await posted(page)).filter((p) => p.type === 'request' && (p.request as { type: string }).type === type).at(-1);
    return m ? { ...(m.request as Record<string, unknown>), id: m.id } : undefined;
  };

  const session = sharedPage('panel page', (b) => openPanel(b, report));
  before(() => { ({ page, incidents } = session); });

  it('announces ready before it has data, then renders the report it is sent', async () => {
    await page.waitForFunction(() => (window as any).__posted.length > 0);
    assert.deepEqual(await posted(page), [{ type: 'ready' }]);
    assert.equal(await page.locator('.tabs').count(), 0);
    // A first run: its progress (in the host's words) shows before there is any report, not a blank page.
    await page.evaluate(() => window.postMessage({ type: 'progress', event: { stage: 'walk', done: 12 }, text: 'Reading files: 12' }, '*'));
    await page.waitForSelector('[data-testid=progress].active');
    assert.equal(await page.innerText('.progress-text'), 'Reading files: 12');
    assert.equal(await page.innerText('[data-testid=first-run]'), 'Comparing A and B: the report appears here when the run is done.');
    await page.click('[data-testid=progress] button');
    assert.deepEqual((await posted(page)).at(-1), { type: 'cancel' });
    await sendReport(page, report);
    assert.equal(await page.isVisible('[data-testid=progress]'), false);
    assert.equal(await page.locator('[data-testid=first-run]').count(), 0);
    const tabs = await page.$$eval('[role=tab]', (els) => els.map((e) => e.getAttribute('data-tab')));
    assert.deepEqual(tabs, ['overview', 'churn', 'tokens', 'anchors', 'space', 'maps', 'playground']);
    await screenshot(page, 'panel-dark-overview');
  });

  it('charts take the editor theme colors and redraw in the new ones when the theme changes', async () => {
    await selectTab(page, 'overview');
    const marker = (id: string, series: number): Promise<string> => page.$eval(`[data-testid=${id}] .u-legend .u-series:nth-child(${series + 1}) .u-marker`,
      (el) => getComputedStyle(el).backgroundColor);
    // Dark Modern: --vscode-charts-blue #3794ff for A, --vscode-charts-orange #d18616 for B.
    assert.equal(await marker('overview-churn', 1), 'rgba(55, 148, 255, 0.85)');
    assert.equal(await marker('overview-similarity', 1), 'rgba(55, 148, 255, 0.3)');
    assert.equal(await marker('overview-similarity', 2), 'rgba(209, 134, 22, 0.3)');
    await page.locator('[data-testid=overview-churn]').scrollIntoViewIfNeeded();
    await screenshot(page, 'panel-dark-overview-charts');
    // VS Code rewrites the --vscode-* variables on <html> when the user switches themes.
    const setBlue = (c: string): Promise<void> => page.evaluate((v) => document.documentElement.style.setProperty('--vscode-charts-blue', v), c);
    await setBlue('#00aa00');
    await page.waitForFunction(() => getComputedStyle(document.querySelector('[data-testid=overview-churn] .u-legend .u-series:nth-child(2) .u-marker')!).backgroundColor === 'rgba(0, 170, 0, 0.85)');
    assert.equal(await marker('overview-similarity', 1), 'rgba(0, 170, 0, 0.3)');
    assert.equal(await marker('overview-similarity', 2), 'rgba(209, 134, 22, 0.3)');
    await setBlue('#3794ff');
    await page.waitForFunction(() => getComputedStyle(document.querySelector('[data-testid=overview-churn] .u-legend .u-series:nth-child(2) .u-marker')!).backgroundColor === 'rgba(55, 148, 255, 0.85)');
    await page.evaluate(() => window.scrollTo(0, 0));
  });

  it('tokenization box sends a request and draws the answer as token boxes', async () => {
    await selectTab(page, 'tokens');
    await page.fill('[data-testid=tokenize-input]', 'pgvector HNSW');
    await page.waitForSelector('[data-testid=live-tokens-a]');
    const req = await lastRequest('tokenize');
    assert.equal(req?.text, 'pgvector HNSW');
    assert.equal(typeof req?.id, 'number');
    // The fake host splits words into pieces of 4 (A) and 2 (B) characters.
    assert.deepEqual(await page.$$eval('[data-testid=live-tokens-a] .tok', (els) => els.map((e) => e.textContent)), ['pgve', 'ctor', 'HNSW']);
    assert.deepEqual(await page.$$eval('[data-testid=live-tokens-b] .tok', (els) => els.map((e) => e.textContent)), ['pg', 've', 'ct', 'or', 'HN', 'SW']);
    assert.equal((await page.innerText('[data-testid=token-count-b]')).trim(), '6 tokens');
    await screenshot(page, 'panel-dark-tokens');
  });

  it('query playground sends a search request and marks kept / lost / gained', async () => {
    await selectTab(page, 'playground');
    await page.fill('[data-testid=search-input]', 'install the helm chart');
    await page.press('[data-testid=search-input]', 'Enter');
    await page.waitForSelector('#panel-playground [data-testid=neighbors-a] li');
    const req = await lastRequest('search');
    assert.equal(req?.query, 'install the helm chart');
    assert.equal(req?.k, 10);
    // Fake host: A returns chunks 0..9, B chunks 2..11 (same chunking): A loses 0 and 1, B gains 10 and 11.
    const fates = async (side: string): Promise<Array<[string, string]>> =>
      page.$$eval(`#panel-playground [data-testid=neighbors-${side}] li`, (els) => els.map((e) => [e.getAttribute('data-chunk')!, e.getAttribute('data-fate')!] as [string, string]));
    assert.deepEqual(await fates('a'), Array.from({ length: 10 }, (_, i) => [String(i), i < 2 ? 'lost' : 'kept']));
    assert.deepEqual(await fates('b'), Array.from({ length: 10 }, (_, i) => [String(i + 2), i >= 8 ? 'gained' : 'kept']));
    await screenshot(page, 'panel-dark-playground');
  });

  it('"open" on a chunk, a neighbor and an anchor posts openLocation with its file and range', async () => {
    await selectTab(page, 'churn');
    await page.click('[data-testid=churn-table] .vt-row:nth-child(1)');
    const item = report.neighbors.items[Number(await page.getAttribute('[data-testid=churn-table] .vt-row[aria-selected=true]', 'data-row'))]!;
    await page.click('[data-testid=open-selected]');
    assert.deepEqual(await lastPosted('openLocation'), { type: 'openLocation', file: item.file, start: item.start, end: item.end, side: 'a' });
    await page.click('[data-testid=neighbors-b] li:nth-child(2) button.open');
    const nb = report.chunkTable.b[item.neighborsB[1]!]!;
    assert.deepEqual(await lastPosted('openLocation'), { type: 'openLocation', file: nb.file, start: nb.start, end: nb.end, side: 'b' });
    await page.keyboard.press('Escape');
    // Keyboard: Enter on the selected table row opens it too.
    await page.focus('[data-testid=churn-table] .vt-viewport');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const second = report.neighbors.items[Number(await page.getAttribute('[data-testid=churn-table] .vt-row[aria-selected=true]', 'data-row'))]!;
    assert.deepEqual(await lastPosted('openLocation'), { type: 'openLocation', file: second.file, start: second.start, end: second.end, side: 'a' });
    await selectTab(page, 'anchors');
    await page.focus('[data-testid=anchors-table] .vt-viewport');
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    const anchor = report.anchors.items[Number(await page.getAttribute('[data-testid=anchors-table] .vt-row[aria-selected=true]', 'data-row'))]!;
    assert.deepEqual(await lastPosted('openLocation'), { type: 'openLocation', file: anchor.file, start: anchor.start, end: anchor.end, side: 'a' });
    // A click selects a row; the detail's Open button opens that anchor's expected span.
    const third = page.locator('[data-testid=anchors-table] .vt-row:nth-child(3)');
    const thirdAnchor = report.anchors.items[Number(await third.getAttribute('data-row'))]!;
    await third.click();
    assert.equal(await page.innerText('[data-testid=anchor-query]'), thirdAnchor.query);
    await page.click('[data-testid=open-expected]');
    assert.deepEqual(await lastPosted('openLocation'), { type: 'openLocation', file: thirdAnchor.file, start: thirdAnchor.start, end: thirdAnchor.end, side: 'a' });
  });

  it('progress shows a bar with a cancel button that posts cancel; error shows a banner', async () => {
    await page.evaluate(() => window.postMessage({ type: 'progress', event: { stage: 'embed', side: 'b', done: 3, total: 12, message: 'batch 3' }, text: 'Embedding B: 3/12, batch 3' }, '*'));
    await page.waitForSelector('[data-testid=progress].active');
    assert.equal(await page.innerText('.progress-text'), 'Embedding B: 3/12, batch 3');
    assert.equal(await page.getAttribute('[data-testid=progress] [role=progressbar]', 'aria-valuenow'), '25');
    await page.click('[data-testid=progress] button');
    assert.deepEqual(await lastPosted('cancel'), { type: 'cancel' });
    await page.evaluate(() => window.postMessage({ type: 'error', message: 'Model "Xenova/nope" was not found in the cache.' }, '*'));
    await page.waitForSelector('[data-testid=banner].error');
    assert.equal(await page.innerText('[data-testid=banner]'), 'Model "Xenova/nope" was not found in the cache.');
    assert.equal(await page.isVisible('[data-testid=progress]'), false);
  });

  it('malformed and unknown host messages are dropped with a log line; the UI stays', async () => {
    const before = incidents.warnings.length;
    // Its own starting point (a report on the anchors tab), not what an earlier test left.
    await sendReport(page, report);
    await selectTab(page, 'anchors');
    const tabsBefore = await page.$$eval('[role=tab]', (els) => els.length);
    await page.evaluate(() => {
      window.postMessage({ type: 'showReport', report: new TextEncoder().encode('{"schemaVersion":99}') }, '*');
      window.postMessage({ type: 'explode' }, '*');
      window.postMessage('not even an object', '*');
    });
    // Messages arrive asynchronously: wait (up to 10 s) for the three log lines.
    for (let i = 0; i < 200 && incidents.warnings.length - before < 3; i++) await new Promise((r) => setTimeout(r, 50));
    const logged = incidents.warnings.slice(before);
    assert.equal(logged.length, 3, logged.join('\n'));
    assert.match(logged[0]!, /Dropped a message from the extension host: report schemaVersion 99 is not 1/);
    assert.match(logged[1]!, /unknown type "explode"/);
    assert.equal(await page.getAttribute('#tab-anchors', 'aria-selected'), 'true');
    assert.equal(await page.$$eval('[role=tab]', (els) => els.length), tabsBefore);
  });

  it('setState from the host switches the tab', async () => {
    await sendReport(page, report);
    await selectTab(page, 'churn');
    await page.evaluate(() => window.postMessage({ type: 'setState', state: { tab: 'space' } }, '*'));
    await page.waitForSelector('#panel-space:not([hidden])');
    assert.equal(await page.getAttribute('#tab-space', 'aria-selected'), 'true');
  });

  it('UI state (tab, filter, selection, sort, typed text) survives a reload through getState', async () => {
    await selectTab(page, 'churn');
    await page.fill('[data-testid=churn-filter]', 'docs/');
    await page.click('[data-testid=churn-table] [data-column=rbo]'); // RBO, descending
    await page.click('[data-testid=churn-table] .vt-row:nth-child(3)');
    const selected = await page.getAttribute('[data-testid=churn-table] .vt-row[aria-selected=true]', 'data-row');
    const heading = await page.innerText('[data-testid=churn-detail] h2');
    await page.reload();
    await sendReport(page, report);
    assert.equal(await page.getAttribute('#tab-churn', 'aria-selected'), 'true');
    assert.equal(await page.inputValue('[data-testid=churn-filter]'), 'docs/');
    assert.equal(await page.getAttribute('[data-testid=churn-table] [data-column=rbo]', 'aria-sort'), 'descending');
    assert.equal(await page.getAttribute('[data-testid=churn-table] .vt-row[aria-selected=true]', 'data-row'), selected);
    assert.equal(await page.innerText('[data-testid=churn-detail] h2'), heading);
    await selectTab(page, 'tokens');
    assert.equal(await page.inputValue('[data-testid=tokenize-input]'), 'pgvector HNSW');
    await page.waitForSelector('[data-testid=live-tokens-a]');
  });
});

describe('report panel with different chunkings', function () {
  let browser: Browser;
  after(async () => browser?.close());
  const report = makeFixtureReport({ chunks: 90, differentChunking: true });
  const files = [...new Set(report.chunkTable.a.map((c) => c.file))].sort();
  // The workspace text of the first file: any text of the right length will do for the boundaries.
  const length = Math.max(...[...report.chunkTable.a, ...report.chunkTable.b].filter((c) => c.file === files[0]).map((c) => c.end));
  const fullText = 'The quick brown fox jumps over the lazy dog.\n'.repeat(Math.ceil(length / 45)).slice(0, length);

  it('chunking: asks the host for the file text and draws every boundary over it; falls back to previews when it cannot', async () => {
    browser = await launch();
    const { page, incidents } = await openPanel(browser, report, { [files[0]!]: fullText });
    await sendReport(page, report);
    await selectTab(page, 'chunking');
    await page.waitForFunction(() => document.querySelector('.chunking .muted.small')?.textContent === 'Full file text from the workspace.');
    const req = (await posted(page)).find((m) => m.type === 'request' && (m.request as { type: string }).type === 'fileText');
    assert.equal((req?.request as { file?: string } | undefined)?.file, files[0]);
    const segs = await page.$$eval('[data-testid=chunking-text] .seg', (els) => els.map((e) => e.textContent).join(''));
    assert.equal(segs, fullText);
    assert.equal(await page.locator('[data-testid=chunking-text] [data-cut=a]').count(), report.chunkTable.a.filter((c) => c.file === files[0]).length);
    assert.equal(await page.locator('[data-testid=chunking-text] .gap').count(), 0);
    await page.selectOption('[data-testid=chunking-file]', files[1]!);
    await page.waitForFunction(() => document.querySelector('.chunking .muted.small')?.textContent?.startsWith('Could not read'));
    assert.ok((await page.locator('[data-testid=chunking-text] .seg').count()) > 0);
    await screenshot(page, 'panel-dark-chunking');

    // Maps are linked through the alignment: all of A selects every B counterpart; all of B selects every A chunk.
    await selectTab(page, 'maps');
    const brushAll = async (side: string): Promise<[number, number]> => {
      const box = (await page.locator(`[data-testid=map-${side}]`).boundingBox())!;
      await page.mouse.move(box.x + 1, box.y + 1);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width - 1, box.y + box.height - 1, { steps: 3 });
      await page.mouse.up();
      const sel = page.locator('[data-testid=map-selection]');
      return [Number(await sel.getAttribute('data-selected-a')), Number(await sel.getAttribute('data-selected-b'))];
    };
    const counterparts = new Set(report.neighbors.items.map((x) => x.counterpart));
    assert.deepEqual(await brushAll('a'), [report.chunks.a, counterparts.size]);
    const [, bAll] = await brushAll('b');
    assert.equal(bAll, report.chunks.b);
    assert.equal(Number(await page.getAttribute('[data-testid=map-selection]', 'data-selected-a')), report.chunks.a);
    expectNoIncidents(incidents, 'chunking panel');
  });
});
