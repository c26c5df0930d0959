// Live mode and stale reports in real VS Code (code-server + Chromium): saving an edited corpus file
// or a configuration with another chunker reruns and updates the open panel in place (same tab),
// the status bar shows the new run; with live mode off the panel says its report is stale and
// Rerun brings it up to date. Screenshots go to .test-artifacts/e2e/.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { editAndSave, fileBytes, nextRun, openFile, panelTab, reportCreatedAt, statusItem, statusText, storedReport } from './support/editing';
import { DEFAULT_CONFIG, makeWorkspace } from './support/workspace';
import {
  installExtension, openWorkbench, removeTempDirs, reportFrame, runCommand, screenshot, waitFor, type Workbench,
} from './support/workbench';

const COMPARE = 'Embedding Drift: Compare Configurations';
const TOGGLE_LIVE = 'Embedding Drift: Toggle Live Mode';
/** Text typed into two corpus files (no auto-indent or auto-closing applies to it). */
const EDIT_INSTALLING = '\n## Mirrors\n\nA pgvector mirror keeps the HNSW index warm while the reranker loads.\n';
const EDIT_CHUNKING = '\nChunk boundaries move when the overlap changes.\n';

describe('live mode and stale reports in real VS Code (code-server)', function () {
  this.timeout(300_000);
  let wb: Workbench;
  let root: string;

  before(async function () {
    const extensionsDir = await installExtension();
    root = makeWorkspace('live');
    // Saves happen when the test says so (code-server's auto save would save half-typed text).
    wb = await openWorkbench({ folder: root, extensionsDir, settings: { 'files.autoSave': 'off' } });
  });
  after(async () => {
    if (wb) await wb.close();
    removeTempDirs();
  });

  it('the status bar shows the run a comparison made, and clicking it opens the report', async () => {
    await runCommand(wb.page, COMPARE);
    await reportFrame(wb.page).locator('[data-testid="verdicts"] .verdict-text').first().waitFor({ state: 'visible', timeout: 150_000 });
    assert.doesNotMatch(await nextRun(wb, undefined, 'the first comparison'), /live/);
    // Close the panel; the status bar item brings it back with the report.
    await wb.page.locator('.tabs-container .tab', { hasText: /^Embedding Drift/ }).first().click();
    await runCommand(wb.page, 'View: Close Editor');
    await waitFor(async () => (await wb.page.locator('.tabs-container .tab', { hasText: /^Embedding Drift/ }).count()) === 0, 30_000, () => 'the panel did not close');
    await statusItem(wb.page).click();
    await reportFrame(wb.page).locator('[data-testid="verdicts"] .verdict-text').first().waitFor({ state: 'visible', timeout: 30_000 });
    // From here on the report sits in the right group and files are edited in the left one, both in view
    // (a hidden panel would reload its page when shown again, which is not an update in place).
    await openFile(wb.page, 'installing.md');
    await wb.page.locator('.tabs-container .tab', { hasText: /^Embedding Drift/ }).first().click();
    await runCommand(wb.page, 'View: Move Editor into Right Group');
    await waitFor(async () => (await wb.page.locator('.editor-group-container').count()) === 2, 30_000, () => 'two editor groups');
    await reportFrame(wb.page).locator('[data-testid="verdicts"] .verdict-text').first().waitFor({ state: 'visible', timeout: 30_000 });
  });

  it('live mode: saving an edited corpus file updates the open panel in place, and the status bar shows the new run', async () => {
    await runCommand(wb.page, TOGGLE_LIVE);
    await wb.page.locator('.notifications-toasts .notification-toast', { hasText: /live mode on/ }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await waitFor(async () => /Drift live/.test(await statusText(wb.page)), 30_000, () => 'the status bar never said live');
    const frame = reportFrame(wb.page);
    await frame.locator('#tab-churn').click();
    const before = storedReport(wb);
    const sizeBefore = fileBytes(root, 'docs/installing.md');
    await editAndSave(wb.page, 'installing.md', EDIT_INSTALLING);
    assert.match(await nextRun(wb, before.createdAt, 'saving installing.md'), /Drift live \d\d:\d\d:\d\d/);
    const after = storedReport(wb);
    assert.notEqual(after.createdAt, before.createdAt, 'a new report was written');
    const grown = fileBytes(root, 'docs/installing.md') - sizeBefore;
    assert.ok(grown > 0, 'the file grew');
    assert.equal(after.corpus.bytes, before.corpus.bytes + grown, 'the new report read the saved file');
    assert.equal(await panelTab(wb.page), 'churn', 'the panel kept its tab');
    assert.equal(await wb.page.locator('.tabs-container .tab', { hasText: /^Embedding Drift/ }).count(), 1, 'one report panel, updated in place');
    await frame.locator('[data-testid=update-line]').filter({ hasText: /^Updated \d\d:\d\d:\d\d/ }).waitFor({ state: 'visible', timeout: 30_000 });
    // What changed, in the warm session's one line: this file, only its chunks embedded again.
    assert.match(await frame.locator('[data-testid=change-summary]').innerText(), /^\s*·\s*1 file changed, [1-9]\d* chunks? re-embedded, churn /);
    await screenshot(wb.page, 'live-corpus-save');
  });

  it('live mode: saving the configuration with a different chunker does the same', async () => {
    const configFile = path.join(root, 'embedding-drift.json');
    const changed = { ...DEFAULT_CONFIG, b: { ...DEFAULT_CONFIG.b, chunker: { type: 'sentence', size: 150, overlap: 0, unit: 'chars' } } };
    const before = storedReport(wb);
    // The edit itself is made on disk (typing JSON into an editor fights its auto-closing); the save is VS Code's.
    fs.writeFileSync(configFile, `// written by the e2e test\n${JSON.stringify(changed, null, 2)}\n`);
    await editAndSave(wb.page, 'embedding-drift.json', '\n');
    assert.match(await nextRun(wb, before.createdAt, 'saving embedding-drift.json'), /Drift live \d\d:\d\d:\d\d/);
    const after = storedReport(wb);
    assert.notEqual(after.configs.b.chunker, before.configs.b.chunker);
    assert.match(after.configs.b.chunker, /sentence/);
    assert.equal(await panelTab(wb.page), 'churn', 'the panel kept its tab');
    const frame = reportFrame(wb.page);
    assert.match(await frame.locator('[data-testid=change-summary]').innerText(), /^\s*·\s*configuration changed, [1-9]\d* chunks? re-embedded, churn /);
    await frame.locator('#tab-overview').click();
    assert.equal((await frame.locator('[data-testid=config-b] dd').nth(1).innerText()).trim(), after.configs.b.chunker);
    // Another chunker moves the headline numbers: those that moved are marked, with the value they had.
    const marked = await frame.locator('.stat-value[data-previous]').evaluateAll((els) => els.map((e) => [e.textContent, e.getAttribute('data-previous')]));
    assert.ok(marked.length > 0, 'no headline number was marked as changed');
    for (const [now, was] of marked) assert.notEqual(now, was);
    await screenshot(wb.page, 'live-config-save');
  });

  it('live mode off: a save makes the report stale instead of rerunning; Rerun in the panel brings it up to date', async () => {
    await runCommand(wb.page, TOGGLE_LIVE);
    await wb.page.locator('.notifications-toasts .notification-toast', { hasText: /live mode off/ }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await waitFor(async () => !/Drift live/.test(await statusText(wb.page)), 30_000, () => 'the status bar still says live');
    const before = storedReport(wb);
    const sizeBefore = fileBytes(root, 'docs/chunking.md');
    await editAndSave(wb.page, 'chunking.md', EDIT_CHUNKING);
    // Only with live mode off does a save mark the report stale (live mode would rerun instead).
    let status = '';
    await waitFor(async () => /\(stale\)/.test(status = await statusText(wb.page)), 30_000, () => `the status bar never said stale: "${status}"`);
    await panelTab(wb.page);
    const frame = reportFrame(wb.page);
    const banner = frame.locator('[data-testid=stale-text]');
    await banner.waitFor({ state: 'visible', timeout: 30_000 });
    // A live rerun would start once the 600 ms debounce ends: none may start while the banner ages past 3 s.
    let said = '';
    await waitFor(async () => {
      assert.doesNotMatch(await statusText(wb.page), /running/, 'a run started after a save with live mode off');
      assert.equal(reportCreatedAt(wb), before.createdAt, 'a rerun happened with live mode off');
      said = await banner.innerText();
      assert.match(said, /^stale: 1 corpus file changed \d+ s ago$/);
      return Number(/(\d+) s ago/.exec(said)?.[1]) >= 3;
    }, 60_000, () => `the stale banner never aged past 3 s: "${said}"`);
    await screenshot(wb.page, 'stale-banner');
    await frame.locator('[data-testid=rerun]').click();
    assert.doesNotMatch(await nextRun(wb, before.createdAt, 'Rerun'), /stale|live/);
    await frame.locator('[data-testid=stale]').waitFor({ state: 'hidden', timeout: 30_000 });
    assert.equal(storedReport(wb).corpus.bytes, before.corpus.bytes + fileBytes(root, 'docs/chunking.md') - sizeBefore, 'the rerun read the saved file');
  });
});
