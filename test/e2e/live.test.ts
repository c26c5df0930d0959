// Live mode and stale reports in real VS Code (code-server + Chromium): saving an edited corpus file
// or a configuration with another chunker reruns and updates the open panel in place (same tab),
// the status bar shows the new run; with live mode off the panel says its report is stale and
// Rerun brings it up to date. Screenshots go to .test-artifacts/e2e/.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { Report } from '../../src/core/report/types';
import { DEFAULT_CONFIG, makeWorkspace } from './support/workspace';
import {
  installExtension, openWorkbench, removeTempDirs, reportFrame, runCommand, screenshot, waitFor, type Workbench,
} from './support/workbench';

const COMPARE = 'Embedding Drift: Compare Configurations';
const TOGGLE_LIVE = 'Embedding Drift: Toggle Live Mode';
/** The status bar item once a run finished: "Drift live 14:03:09" or "Drift 14:03:09 (stale)". */
const STATUS_DONE = /Drift( live)? (\d\d:\d\d:\d\d)/;
/** Text typed into two corpus files (no auto-indent or auto-closing applies to it). */
const EDIT_INSTALLING = '\n## Mirrors\n\nA pgvector mirror keeps the HNSW index warm while the reranker loads.\n';
const EDIT_CHUNKING = '\nChunk boundaries move when the overlap changes.\n';

/** The stored report of the workspace (the extension writes it after every run). */
function storedReport(wb: Workbench): Report {
  const root = path.join(wb.userDataDir, 'User', 'workspaceStorage');
  for (const ws of fs.existsSync(root) ? fs.readdirSync(root) : []) {
    const file = path.join(root, ws, 'embedding-drift.embedding-drift', 'last-report.json');
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as Report;
  }
  throw new Error(`no last-report.json under ${root}`);
}

function statusItem(page: Page) {
  return page.locator('.statusbar-item', { hasText: /Drift/ }).first();
}

async function statusText(page: Page): Promise<string> {
  return (await statusItem(page).innerText().catch(() => '')).trim();
}

/** Waits until the status bar shows a finished run with another time than `previous` and returns its text. */
async function nextRun(page: Page, previous: string, what: string): Promise<string> {
  const before = STATUS_DONE.exec(previous)?.[2];
  let text = '';
  await waitFor(async () => {
    text = await statusText(page);
    const m = STATUS_DONE.exec(text);
    return m !== null && m[2] !== before && !/running/.test(text);
  }, 150_000, () => `the status bar never showed a new run after ${what} (last: "${text}", before: "${previous}")`);
  return text;
}

/**
 * Opens a workspace file in the first editor group (the report stays visible in the second, as
 * when a person edits beside it), types text at the cursor and saves it with Ctrl+S.
 */
async function editAndSave(page: Page, file: string, text: string): Promise<void> {
  await runCommand(page, 'View: Focus First Editor Group');
  await openFile(page, file);
  // Keys typed into a busy editor can be lost: type until the document is dirty (the tests compare
  // the report with the file as saved, not with what was typed).
  const dirty = page.locator('.editor-group-container .tab.active.dirty');
  for (let attempt = 1; !(await dirty.count()); attempt++) {
    if (attempt > 3) {
      await screenshot(page, `edit-failed-${path.basename(file)}`);
      const tabs = await page.locator('.editor-group-container .tab').evaluateAll((els) => els.map((e) => `${e.className} [${e.textContent}]`));
      throw new Error(`typing into ${file} never changed it; tabs: ${tabs.join(' | ')}`);
    }
    await page.keyboard.type(text, { delay: 5 });
    await dirty.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
  }
  await page.keyboard.press('Control+S');
  // Saved: the tab loses its dirty mark.
  await waitFor(async () => !(await page.locator('.editor-group-container .tab.active.dirty').count()), 30_000, () => `${file} was not saved`);
}

function fileBytes(root: string, file: string): number {
  return fs.statSync(path.join(root, file)).size;
}

/** Opens a workspace file in the active editor group through quick open. */
async function openFile(page: Page, file: string): Promise<void> {
  const quickInput = page.locator('.quick-input-widget input');
  if (await quickInput.isVisible()) await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  await quickInput.fill(file);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await page.locator('.editor-group-container .tab.active', { hasText: path.basename(file) }).waitFor({ state: 'visible' });
}

/** Shows the report panel again (the edited file took the active editor) and returns its selected tab. */
async function panelTab(page: Page): Promise<string | null> {
  const tab = page.locator('.tabs-container .tab', { hasText: /^Embedding Drift/ }).first();
  await tab.click();
  const frame = reportFrame(page);
  await frame.locator('[role=tab][aria-selected=true]').waitFor({ state: 'visible', timeout: 30_000 });
  return frame.locator('[role=tab][aria-selected=true]').getAttribute('data-tab');
}

describe('live mode and stale reports in real VS Code (code-server)', function () {
  this.timeout(300_000);
  let wb: Workbench;
  let root: string;
  let lastStatus = '';

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
    lastStatus = await nextRun(wb.page, '', 'the first comparison');
    assert.doesNotMatch(lastStatus, /live/);
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
    lastStatus = await nextRun(wb.page, lastStatus, 'saving installing.md');
    assert.match(lastStatus, /Drift live \d\d:\d\d:\d\d/);
    const after = storedReport(wb);
    assert.notEqual(after.createdAt, before.createdAt, 'a new report was written');
    const grown = fileBytes(root, 'docs/installing.md') - sizeBefore;
    assert.ok(grown > 0, 'the file grew');
    assert.equal(after.corpus.bytes, before.corpus.bytes + grown, 'the new report read the saved file');
    assert.equal(await panelTab(wb.page), 'churn', 'the panel kept its tab');
    assert.equal(await wb.page.locator('.tabs-container .tab', { hasText: /^Embedding Drift/ }).count(), 1, 'one report panel, updated in place');
    await frame.locator('[data-testid=update-line]').filter({ hasText: /^Updated \d\d:\d\d:\d\d/ }).waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(wb.page, 'live-corpus-save');
  });

  it('live mode: saving the configuration with a different chunker does the same', async () => {
    const configFile = path.join(root, 'embedding-drift.json');
    const changed = { ...DEFAULT_CONFIG, b: { ...DEFAULT_CONFIG.b, chunker: { type: 'sentence', size: 150, overlap: 0, unit: 'chars' } } };
    const before = storedReport(wb);
    // The edit itself is made on disk (typing JSON into an editor fights its auto-closing); the save is VS Code's.
    fs.writeFileSync(configFile, `// written by the e2e test\n${JSON.stringify(changed, null, 2)}\n`);
    await editAndSave(wb.page, 'embedding-drift.json', '\n');
    lastStatus = await nextRun(wb.page, lastStatus, 'saving embedding-drift.json');
    const after = storedReport(wb);
    assert.notEqual(after.configs.b.chunker, before.configs.b.chunker);
    assert.match(after.configs.b.chunker, /sentence/);
    assert.equal(await panelTab(wb.page), 'churn', 'the panel kept its tab');
    const frame = reportFrame(wb.page);
    await frame.locator('#tab-overview').click();
    assert.equal((await frame.locator('[data-testid=config-b] dd').nth(1).innerText()).trim(), after.configs.b.chunker);
    await screenshot(wb.page, 'live-config-save');
  });

  it('live mode off: a save makes the report stale instead of rerunning; Rerun in the panel brings it up to date', async () => {
    await runCommand(wb.page, TOGGLE_LIVE);
    await wb.page.locator('.notifications-toasts .notification-toast', { hasText: /live mode off/ }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await waitFor(async () => !/Drift live/.test(await statusText(wb.page)), 30_000, () => 'the status bar still says live');
    const before = storedReport(wb);
    lastStatus = await statusText(wb.page);
    const sizeBefore = fileBytes(root, 'docs/chunking.md');
    await editAndSave(wb.page, 'chunking.md', EDIT_CHUNKING);
    // Only with live mode off does a save mark the report stale (live mode would rerun instead).
    await waitFor(async () => /\(stale\)/.test(await statusText(wb.page)), 30_000, () => `the status bar never said stale: "${lastStatus}"`);
    assert.equal(storedReport(wb).createdAt, before.createdAt, 'no rerun happened');
    await panelTab(wb.page);
    const frame = reportFrame(wb.page);
    const banner = frame.locator('[data-testid=stale-text]');
    await banner.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await banner.innerText(), /^stale: 1 corpus file changed \d+ s ago$/);
    await screenshot(wb.page, 'stale-banner');
    await frame.locator('[data-testid=rerun]').click();
    lastStatus = await nextRun(wb.page, lastStatus, 'Rerun');
    assert.doesNotMatch(lastStatus, /stale|live/);
    await frame.locator('[data-testid=stale]').waitFor({ state: 'hidden', timeout: 30_000 });
    assert.equal(storedReport(wb).corpus.bytes, before.corpus.bytes + fileBytes(root, 'docs/chunking.md') - sizeBefore, 'the rerun read the saved file');
  });
});
