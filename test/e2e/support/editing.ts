// What the live-mode tests do as a person would: edit and save a file in the editor, read the status
// bar item, wait for the next run, and read the report the extension stored after it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { Report } from '../../../src/core/report/types';
import { quickOpen, reportFrame, runCommand, screenshot, waitFor, type Workbench } from './workbench';

/** The status bar item once a run finished: "Drift live 14:03:09" or "Drift 14:03:09 (stale)". */
export const STATUS_DONE = /Drift( live)? (\d\d:\d\d:\d\d)/;

/** The stored report of the workspace (the extension writes it after every run). */
export function storedReport(wb: Workbench): Report {
  const root = path.join(wb.userDataDir, 'User', 'workspaceStorage');
  for (const ws of fs.existsSync(root) ? fs.readdirSync(root) : []) {
    const file = path.join(root, ws, 'embedding-drift.embedding-drift', 'last-report.json');
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as Report;
  }
  throw new Error(`no last-report.json under ${root}`);
}

export function statusItem(page: Page) {
  return page.locator('.statusbar-item', { hasText: /Drift/ }).first();
}

export async function statusText(page: Page): Promise<string> {
  return (await statusItem(page).innerText().catch(() => '')).trim();
}

/** When the stored report was made, or undefined before the first run. */
export function reportCreatedAt(wb: Workbench): string | undefined {
  try {
    return storedReport(wb).createdAt;
  } catch {
    return undefined;
  }
}

/**
 * Waits until a run after the report made at `before` has finished: a new report is stored and the
 * status bar shows a finished run (not "running"); returns the status bar's text. Reports are told
 * apart by their creation time, not by the status bar's clock (two runs can end within one second).
 */
export async function nextRun(wb: Workbench, before: string | undefined, what: string): Promise<string> {
  let text = '';
  await waitFor(async () => {
    text = await statusText(wb.page);
    return STATUS_DONE.test(text) && !/running/.test(text) && reportCreatedAt(wb) !== before;
  }, 150_000, () => `no new run was shown after ${what} (status bar: "${text}", report still from ${before ?? 'no run'})`);
  return text;
}

/**
 * Opens a workspace file in the first editor group (the report stays visible in the second, as
 * when a person edits beside it), types text at the cursor and saves it with Ctrl+S.
 */
export async function editAndSave(page: Page, file: string, text: string): Promise<void> {
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

export function fileBytes(root: string, file: string): number {
  return fs.statSync(path.join(root, file)).size;
}

/** Opens a workspace file (by name) in the active editor group through quick open. */
export async function openFile(page: Page, file: string): Promise<void> {
  await quickOpen(page, file, file);
  await page.locator('.editor-group-container.active .tab.active', { hasText: path.basename(file).replace(/\.\w+$/, '') }).waitFor({ state: 'visible' });
}

/** Shows the report panel again (the edited file took the active editor) and returns its selected tab. */
export async function panelTab(page: Page): Promise<string | null> {
  const tab = page.locator('.tabs-container .tab', { hasText: /^Embedding Drift/ }).first();
  await tab.click();
  const frame = reportFrame(page);
  await frame.locator('[role=tab][aria-selected=true]').waitFor({ state: 'visible', timeout: 30_000 });
  return frame.locator('[role=tab][aria-selected=true]').getAttribute('data-tab');
}
