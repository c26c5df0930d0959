// The packaged extension in real VS Code (code-server + Chromium): compare from the command
// palette, the same headline numbers as the CLI, opening a churned chunk, cancelling a run,
// and Restricted Mode. Screenshots go to .test-artifacts/e2e/.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { Report } from '../../src/core/report/types';
import { summarizeReport } from '../../src/core/report/summary';
import { loadTokenizer } from '../../src/core/tokenizers';
import { generateTinyBert } from '../../scripts/make-models';
import { DEFAULT_CONFIG, cliReport, makeWorkspace, writeConfig } from './support/workspace';
import {
  installExtension, notifications, openWorkbench, removeTempDirs, repoRoot, tempDir, reportFrame, quickOpen, runCommand, screenshot, vsixPath, waitFor, type Workbench,
} from './support/workbench';
import { editAndSave, fileBytes, nextRun, openFile, reportCreatedAt, statusText, storedReport } from './support/editing';
import { imageLinks, pngSize, readZip } from './support/vsix';

const COMPARE = 'Embedding Drift: Compare Configurations';

function globalStorage(wb: Workbench): string {
  return path.join(wb.userDataDir, 'User', 'globalStorage', 'embedding-drift.embedding-drift');
}

/** Every file below a folder (relative paths), to look for leftovers of an interrupted write. */
function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/** Opens a file by name through quick open and selects `count` whole lines from `line` (1-based). */
async function selectLines(page: Page, file: string, line: number, count: number): Promise<void> {
  await openFile(page, file);
  // Quick open without its ">" is "go to file"; ":N" goes to line N.
  await quickOpen(page, `:${line}`);
  for (let i = 0; i < count; i++) await page.keyboard.press('Shift+ArrowDown');
  const status = page.locator('.statusbar-item', { hasText: /Ln \d+, Col \d+/ }).first();
  await waitFor(async () => /selected/.test(await status.innerText().catch(() => '')), 10_000, () => `no selection in ${file}`);
}

/**
 * Selects lines, then runs a command that the palette lists only while an editor has a selection
 * (`editorHasSelection`). Anything that takes focus in between (the report panel updating, a
 * notification) hides the command, so the selection is made again until the command runs.
 */
async function runOnSelection(page: Page, file: string, line: number, count: number, title: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await selectLines(page, file, line, count);
    try {
      await runCommand(page, title, 15_000);
      return;
    } catch (err) {
      if (attempt >= 4) throw err;
    }
  }
}

/** Waits for the report panel to show a report and returns its verdict texts. */
async function shownVerdicts(wb: Workbench): Promise<string[]> {
  const frame = reportFrame(wb.page);
  const verdicts = frame.locator('[data-testid="verdicts"] .verdict-text');
  await verdicts.first().waitFor({ state: 'visible', timeout: 150_000 });
  return verdicts.allInnerTexts();
}

describe('Embedding Drift in real VS Code (code-server)', function () {
  let extensionsDir: string;

  before(async function () {
    extensionsDir = await installExtension();
  });
  after(() => removeTempDirs());

  it('the .vsix is small, self-contained and installs into a fresh extensions folder', () => {
    const size = fs.statSync(vsixPath()).size;
    assert.ok(size < 20 * 1024 * 1024, `vsix is ${(size / 1048576).toFixed(1)} MB`);
    const [installed] = fs.readdirSync(extensionsDir).filter((d) => d.startsWith('embedding-drift.embedding-drift-'));
    const dir = path.join(extensionsDir, installed!);
    const files = listFiles(dir);
    for (const f of ['package.json', 'dist/extension.js', 'dist/session-worker.js', 'dist/webview.js', 'dist/webview.css', 'LICENSE.txt', 'schemas/config.schema.json']) {
      assert.ok(files.includes(f), `${f} is packaged`);
    }
    assert.ok(!files.some((f) => f.startsWith('node_modules/') || f.startsWith('src/') || f.startsWith('test/')), 'no sources, tests or node_modules');
    // The bundles must run without node_modules: they may require only Node built-ins, vscode (the
    // extension host's bundle only: the session worker is a worker thread, where there is none) and optional natives.
    for (const [file, vscodeAllowed] of [['extension.js', true], ['session-worker.js', false]] as const) {
      const bundle = fs.readFileSync(path.join(dir, 'dist', file), 'utf8');
      // (A require inside a string is not a module load here: a template string is code for a worker run
      // from sources, and ajv's runtime helpers carry their own require as a quoted string for codegen.)
      const required = new Set([...bundle.matchAll(/(?<![`'])require\(["']([^"'.][^"']*)["']\)/g)].map((m) => m[1]!));
      const allowed = (m: string): boolean => (m === 'vscode' && vscodeAllowed) || m.startsWith('node:') || m === 'onnxruntime-node' || require('node:module').builtinModules.includes(m);
      assert.deepEqual([...required].filter((m) => !allowed(m)), [], `packages ${file} requires at run time`);
    }
  });

  it('the packaged extension page is for users: its own readme, only images VS Code shows, and an icon inside the package', () => {
    const files = readZip(vsixPath());
    const readme = files.get('extension/readme.md')?.toString('utf8');
    assert.ok(readme, 'the .vsix has a readme');
    assert.equal(readme, fs.readFileSync(path.join(repoRoot, 'README.extension.md'), 'utf8'), 'the readme is the user page, not the repository README');
    assert.doesNotMatch(readme, /npm (ci|test|run)/, 'no developer instructions on the extension page');
    for (const heading of ['## Quick start', '## Commands', '## Settings', '## Privacy']) assert.ok(readme.includes(heading), heading);
    // VS Code's extension page drops every image source that is not http(s) (its markdown sanitizer
    // allows http, https and command links only; microsoft/vscode#43173): a path inside the .vsix
    // shows as a broken image there. The product has no public URL, so the page carries no image.
    for (const link of imageLinks(readme)) {
      assert.match(link, /^https:\/\//, `${link}: VS Code shows a readme image from an https URL only`);
      assert.match(link, /\.(png|jpe?g|gif)$/i, `${link}: the Marketplace refuses SVG in a readme`);
    }
    const manifest = JSON.parse(files.get('extension/package.json')!.toString('utf8'));
    const icon = files.get(path.posix.join('extension', manifest.icon));
    assert.ok(icon, `the icon ${manifest.icon} is packaged`);
    const size = pngSize(icon);
    assert.ok(size && size.width >= 128 && size.height >= 128, `icon is a PNG of at least 128 px (${JSON.stringify(size)})`);
    assert.match(files.get('extension.vsixmanifest')!.toString('utf8'), new RegExp(`<Icon>extension/${manifest.icon}</Icon>`));
    assert.ok(manifest.galleryBanner?.color && manifest.categories.length > 0 && manifest.keywords.length > 0, 'gallery metadata');
    // Titles shown on the page and in menus come from package.nls.json.
    const nls = JSON.parse(files.get('extension/package.nls.json')!.toString('utf8'));
    for (const c of manifest.contributes.commands) assert.ok(nls[c.title.replace(/^%|%$/g, '')], `${c.command} has a title`);
  });

  describe('in a trusted workspace', function () {
    let wb: Workbench;
    let root: string;
    let expected: Report;

    before(async function () {
      root = makeWorkspace('trusted');
      expected = await cliReport(root);
      wb = await openWorkbench({ folder: root, extensionsDir });
    });
    after(async () => {
      if (wb) await wb.close();
    });

    it('Compare Configurations shows the report with the CLI report\'s headline numbers', async () => {
      await runCommand(wb.page, COMPARE);
      const shown = await shownVerdicts(wb);
      await screenshot(wb.page, 'overview');
      assert.deepEqual(shown, summarizeReport(expected));
      // The headline figures, as the overview prints them (two decimals, whole percent).
      const stats = await reportFrame(wb.page).locator('.stat').evaluateAll((els) =>
        els.map((el) => [el.querySelector('.stat-label')?.textContent ?? '', el.querySelector('.stat-value')?.textContent ?? '']));
      const stat = (label: string): string | undefined => stats.find(([l]) => l === label)?.[1];
      const n = expected.neighbors;
      assert.equal(stat(`mean Jaccard@${n.k}`), n.meanJaccard.toFixed(2));
      assert.equal(stat('churned share'), `${(n.churnedShare! * 100).toFixed(0)}%`);
      if (expected.space.linearCka !== null) assert.equal(stat('linear CKA'), expected.space.linearCka.toFixed(2));
      const corpusLine = await reportFrame(wb.page).locator('[data-testid="corpus-line"]').innerText();
      assert.match(corpusLine, new RegExp(`${expected.chunks.a} chunks under A and ${expected.chunks.b} under B`));
      assert.ok(expected.neighbors.items.some((i) => i.jaccard < 1), 'the sample workspace churns (otherwise nothing below is tested)');
    });

    it('opening the most churned chunk shows its file with the range selected', async () => {
      const frame = reportFrame(wb.page);
      await frame.locator('#tab-churn').click();
      await frame.locator('[data-testid="churn-table"] .vt-row').first().click();
      const heading = frame.locator('[data-testid="churn-detail"] h2.loc');
      const loc = await heading.innerText();
      // The heading names lines; the characters ride along as data (and on hover).
      const file = await heading.getAttribute('data-file');
      const start = Number(await heading.getAttribute('data-start'));
      const end = Number(await heading.getAttribute('data-end'));
      const item = expected.neighbors.items.find((i) => i.file === file && i.start === start && i.end === end);
      assert.ok(item, `${loc} is a churn item of the CLI report`);
      const lines = expected.chunkTable.a[item.chunk]!.lines!;
      assert.equal(loc.trim(), `${file}#L${lines[0]}-L${lines[1]}`);
      assert.equal(item.jaccard, Math.min(...expected.neighbors.items.map((i) => i.jaccard)), 'the first row is the most churned');
      await frame.locator('[data-testid="open-selected"]').click();

      const text = fs.readFileSync(path.join(root, file!), 'utf8');
      const before = text.slice(0, end).split('\n');
      const line = before.length;
      const column = before[before.length - 1]!.length + 1;
      const status = wb.page.locator('.statusbar-item', { hasText: /Ln \d+, Col \d+/ }).first();
      await waitFor(async () => (await status.innerText().catch(() => '')).includes(`(${end - start} selected)`), 30_000,
        () => `status bar never showed the selection of ${end - start} characters`);
      assert.equal((await status.innerText()).trim(), `Ln ${line}, Col ${column} (${end - start} selected)`);
      const tab = (await wb.page.locator('.editor-group-container.active .tab.active').innerText()).replace(/\s+/g, '');
      assert.match(tab, new RegExp(path.basename(file!).replace('.', '\\.')));
      await screenshot(wb.page, 'open-chunk');
    });

    it('the query playground answers from the live session: a chunk\'s own text finds that chunk first', async () => {
      const target = expected.chunkTable.a.find((c) => c.end - c.start > 100);
      assert.ok(target, 'a chunk of some length');
      const query = fs.readFileSync(path.join(root, target.file), 'utf8').slice(target.start, target.end);
      const frame = reportFrame(wb.page);
      await frame.locator('#tab-playground').click();
      await frame.locator('[data-testid="search-input"]').fill(query);
      await frame.locator('[data-testid="search-input"]').press('Enter');
      const firstA = frame.locator('[data-testid="search-output"] [data-testid="neighbors-a"] .loc').first();
      await firstA.waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal((await firstA.innerText()).trim(), `${target.file}#L${target.lines![0]}-L${target.lines![1]}`);
      assert.deepEqual([await firstA.getAttribute('data-start'), await firstA.getAttribute('data-end')], [String(target.start), String(target.end)]);
      assert.equal(await frame.locator('[data-testid="search-output"] [data-testid="neighbors-b"] .loc').count(), expected.neighbors.k);
      await screenshot(wb.page, 'playground');
    });

    it('Add Selection as Drift Anchor appends path#Lx-Ly to the anchors file and names it in the configuration', async () => {
      const page = wb.page;
      await runOnSelection(page, 'installing.md', 3, 3, 'Embedding Drift: Add Selection as Drift Anchor');
      // The palette's widget turns into the input box: wait for the box's title before typing.
      await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Anchor query' }).waitFor({ state: 'visible' });
      const input = page.locator('.quick-input-widget input');
      await input.pressSequentially('how do I run the setup wizard?', { delay: 5 });
      await page.keyboard.press('Enter');
      const anchors = path.join(root, 'anchors.jsonl');
      // appendFile creates the file before it writes the line: wait for a whole line, not for the file.
      await waitFor(() => fs.existsSync(anchors) && fs.readFileSync(anchors, 'utf8').endsWith('\n'), 30_000, () => 'anchors.jsonl was not written');
      assert.deepEqual(fs.readFileSync(anchors, 'utf8').trim().split('\n').map((l) => JSON.parse(l)),
        [{ query: 'how do I run the setup wizard?', expect: 'docs/installing.md#L3-L5' }]);
      // The configuration is edited after the anchor line is written: wait for that edit too.
      const configFile = path.join(root, 'embedding-drift.json');
      await waitFor(() => fs.readFileSync(configFile, 'utf8').includes('"anchors"'), 30_000, () => 'the configuration never named the anchors file');
      const config = fs.readFileSync(configFile, 'utf8');
      assert.match(config, /^\/\/ written by the e2e test/, 'comments kept');
      assert.match(config, /"anchors": "anchors.jsonl"/);
    });

    it('Export Side to LanceDB: without LanceDB installed it says the command to run; with embeddingDrift.lancedbPath set it writes side A as a table', async () => {
      const page = wb.page;
      const exportA = async (folder: string): Promise<void> => {
        await runCommand(page, 'Embedding Drift: Export Side to LanceDB');
        const title = (text: string) => page.locator('.quick-input-widget .quick-input-title', { hasText: text }).waitFor({ state: 'visible' });
        await title('Export which side');
        await page.keyboard.press('Enter');
        await title('LanceDB folder');
        await page.locator('.quick-input-widget input').fill(folder);
        await page.keyboard.press('Enter');
        await title('Table name');
        await page.keyboard.press('Enter');
      };
      let shown: string[] = [];
      const toast = (pattern: RegExp) => waitFor(async () => (shown = await notifications(page)).some((t) => pattern.test(t)), 120_000, () => `no notification ${pattern}: ${shown.join(' | ')}`);
      // The .vsix carries no LanceDB (155 MB native): the message names the install command.
      await exportA('.lancedb-missing');
      await toast(/Reading a LanceDB store needs @lancedb\/lancedb 0\.31\.0.*Install it with: npm install --prefix .*@lancedb\/lancedb@0\.31\.0 apache-arrow@18/);
      assert.equal(fs.existsSync(path.join(root, '.lancedb-missing')), false, 'nothing written');
      // A machine setting (a workspace cannot point it elsewhere); the repository's node_modules stand for the folder a user installs into.
      fs.mkdirSync(path.join(wb.userDataDir, 'Machine'), { recursive: true });
      fs.writeFileSync(path.join(wb.userDataDir, 'Machine', 'settings.json'), JSON.stringify({ 'embeddingDrift.lancedbPath': repoRoot }));
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await exportA('.lancedb-e2e');
      await toast(/exported A, \d+ rows/);
      const { loadLanceDb } = await import('../../src/core/store/lancedbModule');
      const db = await loadLanceDb().lancedb.connect(path.join(root, '.lancedb-e2e'));
      const table = await db.openTable('docs');
      assert.equal(await table.countRows(), expected.chunks.a);
      table.close();
      db.close();
    });

    it('Compare Tokenization of Selection shows the selection under A\'s and B\'s real tokenizers', async () => {
      const lines = fs.readFileSync(path.join(root, 'docs', 'installing.md'), 'utf8').split('\n');
      const selected = `${lines.slice(2, 5).join('\n')}\n`;
      const words = await loadTokenizer({ kind: 'words' });
      await runOnSelection(wb.page, 'installing.md', 3, 3, 'Embedding Drift: Compare Tokenization of Selection');
      const frame = reportFrame(wb.page);
      for (const side of ['a', 'b'] as const) {
        const count = frame.locator(`[data-testid="token-count-${side}"]`);
        await count.waitFor({ state: 'visible', timeout: 30_000 });
        assert.equal((await count.innerText()).trim(), `${words.encode(selected).pieces.length} tokens`);
      }
      await screenshot(wb.page, 'tokenize-selection');
    });

    it('a model\'s own tokenizer.json (tiny-bert) works in the packaged extension', async () => {
      const modelDir = path.join(root, 'models', 'tiny-bert');
      generateTinyBert(modelDir);
      writeConfig(root, { ...DEFAULT_CONFIG, b: { ...DEFAULT_CONFIG.b, tokenizer: { path: 'models/tiny-bert' } } });
      const lines = fs.readFileSync(path.join(root, 'docs', 'installing.md'), 'utf8').split('\n');
      const selected = `${lines.slice(4, 5).join('\n')}\n`;
      const bert = await loadTokenizer({ kind: 'hf', path: modelDir });
      const words = await loadTokenizer({ kind: 'words' });
      assert.notEqual(bert.encode(selected).pieces.length, words.encode(selected).pieces.length, 'the two tokenizers differ on this text');
      await runOnSelection(wb.page, 'installing.md', 5, 1, 'Embedding Drift: Compare Tokenization of Selection');
      const frame = reportFrame(wb.page);
      const countB = frame.locator('[data-testid="token-count-b"]');
      await waitFor(async () => (await countB.innerText().catch(() => '')).trim() === `${bert.encode(selected).pieces.length} tokens`, 30_000,
        () => `B never showed tiny-bert's ${bert.encode(selected).pieces.length} tokens`);
      assert.equal((await frame.locator('[data-testid="token-count-a"]').innerText()).trim(), `${words.encode(selected).pieces.length} tokens`);
    });
  });

  describe('cancelling a run', function () {
    let wb: Workbench;
    let root: string;

    before(async function () {
      // Big enough that the run lasts well beyond the moment Cancel is pressed (seconds in).
      root = makeWorkspace('cancel', { copies: 30 });
      wb = await openWorkbench({ folder: root, extensionsDir });
    });
    after(async () => {
      if (wb) await wb.close();
    });

    it('stops the run, says so, leaves the cache consistent, and a rerun completes', async function () {
      this.timeout(360_000);
      await runCommand(wb.page, COMPARE);
      const progress = wb.page.locator('.notifications-toasts .notification-toast', { hasText: /Embedding Drift/ }).first();
      await progress.waitFor({ state: 'visible', timeout: 60_000 });
      await waitFor(async () => /Embedding|Chunking|Reading|Building|Computing/.test(await progress.innerText().catch(() => '')), 60_000,
        () => 'the progress notification never named a stage');
      await screenshot(wb.page, 'progress');
      await progress.hover();
      await progress.getByRole('button', { name: 'Cancel' }).click();
      const cancelledAt = Date.now();
      const said = wb.page.locator('.notifications-toasts .notification-toast', { hasText: /comparison cancelled/ }).first();
      await said.waitFor({ state: 'visible', timeout: 10_000 });
      const stillProgress = (await notifications(wb.page)).filter((t) => /Embedding [AB]|Chunking|Reading files|Building|Computing/.test(t));
      assert.deepEqual(stillProgress, [], 'the progress notification went away');
      assert.ok(Date.now() - cancelledAt < 10_000);
      await screenshot(wb.page, 'cancelled');
      // A write already under way when Cancel was pressed (a lock's temp file, say) finishes a moment
      // later on its own; what must not happen is a leftover that stays.
      const leftovers = (): string[] => listFiles(path.join(globalStorage(wb), 'cache')).filter((f) => /\.tmp|\.lock|partial/.test(f));
      await waitFor(() => leftovers().length === 0, 10_000, () => 'half-written cache files stayed').catch(() => undefined);
      assert.deepEqual(leftovers(), [], 'no half-written cache files');

      const expected = await cliReport(root);
      await said.getByRole('button', { name: /Close|Clear/ }).click().catch(() => undefined);
      await runCommand(wb.page, COMPARE);
      assert.deepEqual(await shownVerdicts(wb), summarizeReport(expected));
    });
  });

  describe('builtin:glove, the real trained model shipped in the .vsix', function () {
    let wb: Workbench;
    let root: string;
    let expected: Report;

    before(async function () {
      root = makeWorkspace('glove', {
        config: { ...DEFAULT_CONFIG, b: { ...DEFAULT_CONFIG.b, label: 'glove', model: 'builtin:glove', chunker: DEFAULT_CONFIG.a.chunker } },
      });
      expected = await cliReport(root);
      wb = await openWorkbench({ folder: root, extensionsDir });
    });
    after(async () => {
      if (wb) await wb.close();
    });

    it('compares builtin:lexical with builtin:glove offline: the CLI report\'s verdicts, GloVe\'s 100 dimensions and its [UNK] terms', async () => {
      assert.equal(expected.configs.b.model, 'builtin:glove');
      assert.equal(expected.configs.b.dimension, 100);
      await runCommand(wb.page, COMPARE);
      assert.deepEqual(await shownVerdicts(wb), summarizeReport(expected));
      const frame = reportFrame(wb.page);
      assert.match(await frame.locator('[data-testid="config-b"]').innerText(), /builtin:glove[\s\S]*× 100 dims/);
      // The sample's post-2014 tool names are unknown to GloVe: the tokenization tab shows [UNK] for them.
      const unknown = expected.tokenization.newVocabulary.filter((t) => t.unknownB).map((t) => t.term);
      assert.ok(unknown.includes('kubectl') && unknown.includes('pgvector'), unknown.join(', '));
      await frame.locator('#tab-tokens').click();
      await frame.locator('[data-testid="term-filter"]').fill('pgvector');
      const row = frame.locator('[data-testid="terms-table"] .vt-row', { hasText: 'pgvector' }).first();
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      assert.match(await row.innerText(), /\[UNK\]/);
      await screenshot(wb.page, 'glove-tokens');
    });
  });

  describe('in Restricted Mode (untrusted workspace)', function () {
    let wb: Workbench;
    let root: string;

    before(async function () {
      const outside = path.join(tempDir('outside'), 'anchors.jsonl');
      fs.writeFileSync(outside, '{"query":"q","expect":"docs/installing.md#L1-L2"}\n');
      root = makeWorkspace('untrusted');
      writeConfig(root, { ...DEFAULT_CONFIG, anchors: path.relative(root, outside) });
      // The folder asks for live mode; Restricted Mode must not let it (a restricted setting).
      fs.mkdirSync(path.join(root, '.vscode'), { recursive: true });
      fs.writeFileSync(path.join(root, '.vscode', 'settings.json'), JSON.stringify({ 'embeddingDrift.live': true }));
      wb = await openWorkbench({
        folder: root, extensionsDir,
        settings: {
          'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'always',
          // Saves happen when the live-mode test says so.
          'files.autoSave': 'off',
        },
      });
    });
    after(async () => {
      if (wb) await wb.close();
    });

    it('refuses configuration paths outside the workspace, naming the field', async () => {
      await wb.page.locator('.statusbar-item', { hasText: /Restricted Mode/ }).first().waitFor({ state: 'visible', timeout: 60_000 });
      await runCommand(wb.page, COMPARE);
      const error = wb.page.locator('.notifications-toasts .notification-toast', { hasText: /Restricted mode/ }).first();
      await error.waitFor({ state: 'visible', timeout: 60_000 });
      assert.match(await error.innerText(), /anchors points outside the workspace/);
      await screenshot(wb.page, 'restricted-refused');
    });

    it('downloads nothing: a Hub model that is not cached is a clear error', async () => {
      writeConfig(root, { ...DEFAULT_CONFIG, b: { ...DEFAULT_CONFIG.b, model: 'Xenova/all-MiniLM-L6-v2' } });
      await runCommand(wb.page, COMPARE);
      const error = wb.page.locator('.notifications-toasts .notification-toast', { hasText: /all-MiniLM-L6-v2/ }).first();
      await error.waitFor({ state: 'visible', timeout: 60_000 });
      assert.ok(!fs.existsSync(path.join(globalStorage(wb), 'cache', 'models')) ||
        listFiles(path.join(globalStorage(wb), 'cache', 'models')).length === 0, 'no model file was downloaded');
    });

    it('still reads and compares the workspace with the built-in embedder', async () => {
      writeConfig(root, DEFAULT_CONFIG);
      const expected = await cliReport(root);
      await runCommand(wb.page, COMPARE);
      assert.deepEqual(await shownVerdicts(wb), summarizeReport(expected));
      await screenshot(wb.page, 'restricted-report');
    });

    it('live mode: the folder\'s own setting cannot turn it on; Toggle Live Mode turns it on for the user, and saves rerun', async () => {
      // A report of this window to be stale (the earlier tests may not have run: --grep).
      writeConfig(root, DEFAULT_CONFIG);
      const earlier = reportCreatedAt(wb);
      await runCommand(wb.page, COMPARE);
      await nextRun(wb, earlier, 'Compare Configurations');
      // .vscode/settings.json says "embeddingDrift.live": true: a save only makes the report stale.
      const before = storedReport(wb);
      const installingBefore = fileBytes(root, 'docs/installing.md');
      await editAndSave(wb.page, 'installing.md', '\nRestricted Mode keeps live runs offline.\n');
      let status = '';
      await waitFor(async () => /\(stale\)/.test(status = await statusText(wb.page)), 30_000, () => `the status bar never said stale: "${status}"`);
      assert.doesNotMatch(status, /live/);
      assert.equal(reportCreatedAt(wb), before.createdAt, 'the workspace setting started a run');
      // The command writes the user's setting (the workspace's would not count here); the stale report reruns at once.
      await runCommand(wb.page, 'Embedding Drift: Toggle Live Mode');
      await wb.page.locator('.notifications-toasts .notification-toast', { hasText: /live mode on[\s\S]*Restricted Mode/ }).first().waitFor({ state: 'visible', timeout: 30_000 });
      const userSettings = JSON.parse(fs.readFileSync(path.join(wb.userDataDir, 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;
      assert.equal(userSettings['embeddingDrift.live'], true);
      assert.match(await nextRun(wb, before.createdAt, 'turning live mode on with a stale report'), /Drift live \d\d:\d\d:\d\d/);
      const caughtUp = storedReport(wb);
      assert.equal(caughtUp.corpus.bytes, before.corpus.bytes + fileBytes(root, 'docs/installing.md') - installingBefore, 'the run read the saved file');
      const sizeBefore = fileBytes(root, 'docs/chunking.md');
      await editAndSave(wb.page, 'chunking.md', '\nA second save reruns by itself.\n');
      await nextRun(wb, caughtUp.createdAt, 'saving chunking.md in live mode');
      assert.equal(storedReport(wb).corpus.bytes, caughtUp.corpus.bytes + fileBytes(root, 'docs/chunking.md') - sizeBefore);
      await screenshot(wb.page, 'restricted-live');
    });
  });
});
