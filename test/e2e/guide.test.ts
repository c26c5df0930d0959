// The packaged extension's guidance in real VS Code (code-server + Chromium): the Create
// Configuration steps (Back, a steady step counter, validation, warnings, Escape that keeps the
// answers, Replace that keeps the anchors file) and walkthrough steps ticked only on success.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { parseConfig } from '../../src/core/config';
import { DEFAULT_CONFIG, makeWorkspace, writeConfig } from './support/workspace';
import {
  installExtension, openWorkbench, removeTempDirs, runCommand, screenshot, waitFor, type Workbench,
} from './support/workbench';

const CREATE = 'Embedding Drift: Create Configuration';

/** The open quick input: its title (with "(n/m)"), validation message, and rows. */
function quickInput(page: Page) {
  const widget = page.locator('.quick-input-widget');
  return {
    widget,
    title: () => widget.locator('.quick-input-title').innerText(),
    message: () => widget.locator('.quick-input-message').innerText().catch(() => ''),
    row: (text: string | RegExp) => widget.locator('.quick-input-list .monaco-list-row', { hasText: text }).first(),
    back: () => widget.locator('.quick-input-left-action-bar .action-label').first().click(),
    input: widget.locator('input.input').first(),
  };
}

/** Waits for the quick input to show step `step` of 6 with a title matching `title`; returns the title. */
async function atStep(page: Page, step: number, title: RegExp): Promise<string> {
  const q = quickInput(page);
  let seen = '';
  await waitFor(async () => {
    seen = await q.title().catch(() => '');
    return seen.includes(`(${step}/6)`) && title.test(seen) && await q.widget.isVisible();
  }, 30_000, () => `expected step ${step}/6 ${title}, saw "${seen}"`);
  return seen;
}

/** Picks the row whose text matches by clicking it (the list filters nothing). */
async function pick(page: Page, text: string | RegExp): Promise<void> {
  const row = quickInput(page).row(text);
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await row.click();
}

describe('Embedding Drift guidance in real VS Code (code-server)', function () {
  let extensionsDir: string;
  let wb: Workbench;
  let root: string;

  before(async function () {
    extensionsDir = await installExtension();
    root = makeWorkspace('guide');
    // A configuration that names an anchors file: Replace must keep that field.
    fs.mkdirSync(path.join(root, 'golden'));
    fs.writeFileSync(path.join(root, 'golden', 'queries.jsonl'), '{"query":"how do I install?","expect":"docs/installing.md#L1-L5"}\n');
    writeConfig(root, { ...DEFAULT_CONFIG, anchors: 'golden/queries.jsonl' });
    wb = await openWorkbench({ folder: root, extensionsDir });
  });
  after(async () => {
    if (wb) await wb.close();
    removeTempDirs();
  });

  it('a walkthrough step is not ticked when its command was dismissed', async function () {
    const page = wb.page;
    await openWalkthrough(page);
    assert.equal(await stepDone(page, 'createConfiguration'), false, 'not ticked before anything ran');
    await runCommand(page, CREATE);
    // The file exists: dismissing the modal ends the command without writing anything.
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    await openWalkthrough(page);
    assert.equal(await stepDone(page, 'createConfiguration'), false, 'dismissed: still not ticked');
  });

  it('Create Configuration: Back, a steady step counter, validation, a length warning, Escape that keeps answers, Replace that keeps the anchors', async function () {
    this.timeout(300_000);
    const page = wb.page;
    const q = quickInput(page);
    const titles: string[] = [];
    await runCommand(page, CREATE);
    // The file exists: a modal asks first.
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Replace' }).click();

    titles.push(await atStep(page, 1, /What to compare/));
    await pick(page, 'Two embedding models');
    titles.push(await atStep(page, 2, /Model for A/));
    // GloVe is the offline semantic default; the lexical built-in is offered too.
    assert.match(await q.widget.locator('.monaco-list-row.focused').innerText(), /builtin:glove[\s\S]*GloVe/);
    await screenshot(page, 'wizard-model');
    await pick(page, 'builtin:lexical');
    titles.push(await atStep(page, 3, /Model for B/));
    // Back returns to A's step, with A's answer still the active row.
    await q.back();
    titles.push(await atStep(page, 2, /Model for A/));
    assert.match(await q.widget.locator('.monaco-list-row.focused').innerText(), /builtin:lexical/);
    await page.keyboard.press('Enter');
    titles.push(await atStep(page, 3, /Model for B/));
    await pick(page, 'Xenova/all-MiniLM-L6-v2');
    titles.push(await atStep(page, 4, /Chunker for both sides/));
    // The 512-token preset says it is longer than MiniLM's 256-token window; tokens are BERT tokens, said so.
    const preset = q.row('markdown 512/64 tokens');
    await preset.waitFor({ state: 'visible' });
    assert.match(await preset.innerText(), /bert-base-uncased/);
    assert.match(await preset.innerText(), /exceed Xenova\/all-MiniLM-L6-v2's maximum of 256 tokens/);
    assert.doesNotMatch(await q.row('recursive 256/32 tokens').innerText(), /exceed/);
    await screenshot(page, 'wizard-chunker');
    await pick(page, 'Custom size');
    titles.push(await atStep(page, 4, /Chunker for both sides/));
    // The input box replaces the list, prefilled with an example.
    await waitFor(async () => (await q.input.inputValue()) === 'recursive 300/30 tokens', 10_000, () => 'the custom size box did not open');
    await q.input.fill('recursive 300/300 chars');
    await waitFor(async () => /overlap must be smaller than the size/.test(await q.message()), 10_000, () => 'no validation message');
    await page.keyboard.press('Enter');
    assert.match(await q.title(), /\(4\/6\)/, 'an invalid size is not accepted');
    await q.input.fill('recursive 600/60 tokens');
    let message = '';
    await waitFor(async () => /600 tokens exceed Xenova\/all-MiniLM-L6-v2's maximum of 256 tokens/.test(message = await q.message()), 10_000, () => `no length warning: ${message}`);
    await screenshot(page, 'wizard-custom-size');
    await page.keyboard.press('Enter');
    titles.push(await atStep(page, 5, /Tokenizers/));
    const focused = await q.widget.locator('.monaco-list-row.focused').innerText();
    assert.doesNotMatch(focused, /Words on both sides/, 'the default tokenizers are not words against words');
    await page.keyboard.press('Enter');
    titles.push(await atStep(page, 6, /Review/));
    assert.match(await q.row(/600 tokens exceed/).innerText(), /600 tokens exceed/, 'the review repeats the warning');
    await screenshot(page, 'wizard-review');

    // Escape pauses; Resume shows the same step with the answers kept.
    await page.keyboard.press('Escape');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /Create Configuration is paused/ }).first();
    await toast.waitFor({ state: 'visible', timeout: 15_000 });
    assert.ok(!fs.readFileSync(path.join(root, 'embedding-drift.json'), 'utf8').includes('600'), 'nothing written yet');
    await toast.getByRole('button', { name: 'Resume' }).click();
    titles.push(await atStep(page, 6, /Review/));
    // Escape again, then the command itself resumes.
    await page.keyboard.press('Escape');
    await toast.waitFor({ state: 'visible', timeout: 15_000 });
    await runCommand(page, CREATE);
    titles.push(await atStep(page, 6, /Review/));
    await pick(page, /Write embedding-drift\.json/);

    const file = path.join(root, 'embedding-drift.json');
    await waitFor(() => fs.readFileSync(file, 'utf8').includes('600'), 30_000, () => 'embedding-drift.json was not rewritten');
    const config = parseConfig(fs.readFileSync(file, 'utf8'), file);
    assert.equal(config.a.model.kind, 'builtin');
    assert.equal(config.b.model.kind === 'hub' && config.b.model.id, 'Xenova/all-MiniLM-L6-v2');
    for (const side of ['a', 'b'] as const) {
      const { type, size, overlap, unit, tokenizer } = config[side].chunker;
      assert.deepEqual({ type, size, overlap, unit, tokenizer }, { type: 'recursive', size: 600, overlap: 60, unit: 'tokens', tokenizer: { kind: 'bert-base-uncased' } });
    }
    assert.deepEqual([config.a.tokenizer, config.b.tokenizer], [{ kind: 'bert-base-uncased' }, { kind: 'model' }]);
    assert.equal(config.anchors, path.join(root, 'golden', 'queries.jsonl'), 'Replace kept the anchors file');
    // Every step showed "(n/6)": the total never changed, and the number moved by one (or back by one).
    const steps = titles.map((t) => /\((\d)\/(\d)\)/.exec(t)!);
    assert.ok(steps.every((m) => m && m[2] === '6'), titles.join(' | '));
    const numbers = steps.map((m) => Number(m[1]));
    for (let i = 1; i < numbers.length; i++) assert.ok(Math.abs(numbers[i]! - numbers[i - 1]!) <= 1, `step ${numbers[i - 1]} -> ${numbers[i]}`);
  });

  it('the extension page in VS Code is the user README with its icon, and no broken image', async function () {
    this.timeout(120_000);
    const page = wb.page;
    await runCommand(page, 'Extensions: Show Installed Extensions');
    const entry = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Embedding Drift' }).first();
    await entry.waitFor({ state: 'visible', timeout: 60_000 });
    await entry.click();
    const editor = page.locator('.extension-editor').first();
    await editor.waitFor({ state: 'visible', timeout: 30_000 });
    // The header shows the packaged icon (a PNG of the extension's own), not the default one.
    const icon = editor.locator('.header .icon').first();
    await waitFor(async () => (await icon.evaluate((img) => (img as HTMLImageElement).naturalWidth).catch(() => 0)) >= 128, 30_000, () => 'the icon did not load');
    // The details tab renders the readme in a webview.
    // Webviews live in an overlay of the workbench, not inside the editor's DOM: the page's only one here.
    const details = page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
    await details.locator('h1', { hasText: 'Embedding Drift' }).waitFor({ state: 'visible', timeout: 60_000 });
    const headings = await details.locator('h2').allInnerTexts();
    for (const h of ['Quick start', 'Commands', 'Settings', 'Privacy and where data goes']) assert.ok(headings.includes(h), `${h} in ${headings.join(' | ')}`);
    // Whatever image the page shows has loaded (VS Code empties a source it does not allow: a broken image).
    const images = await details.locator('img').evaluateAll((els) => els.map((e) => `${(e as HTMLImageElement).alt}: ${(e as HTMLImageElement).naturalWidth}`));
    assert.deepEqual(images.filter((i) => i.endsWith(': 0')), [], 'broken images on the extension page');
    await screenshot(page, 'extension-page');
  });

  it('the walkthrough ticks "Describe what to compare" once a configuration was written', async () => {
    await openWalkthrough(wb.page);
    await waitFor(() => stepDone(wb.page, 'createConfiguration'), 15_000, () => 'the step was not ticked after the file was written');
    assert.equal(await stepDone(wb.page, 'anchors'), false, 'a step whose command never ran stays unticked');
    await screenshot(wb.page, 'walkthrough');
  });
});

/** Opens this extension's walkthrough in the Welcome editor. */
async function openWalkthrough(page: Page): Promise<void> {
  await runCommand(page, 'Welcome: Open Walkthrough...');
  await pick(page, 'Get started with Embedding Drift');
  await page.locator('.gettingStartedContainer').first().waitFor({ state: 'visible', timeout: 30_000 });
}

/** Whether the walkthrough shows step `id` (package.json's step id) as done: its check box, as a screen reader reads it. */
async function stepDone(page: Page, id: string): Promise<boolean> {
  const box = page.locator(`[role="checkbox"][data-done-step-id$="#${id}"]`).first();
  await box.waitFor({ state: 'attached', timeout: 30_000 });
  const checked = await box.getAttribute('aria-checked');
  assert.ok(checked === 'true' || checked === 'false', `step ${id} has a check box state (${checked})`);
  return checked === 'true';
}
