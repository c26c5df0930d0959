// Drives real VS Code in the end-to-end tests: code-server (installed by
// scripts/install-code-server.sh, path in EMBEDDING_DRIFT_CODE_SERVER) serves the workbench with the
// packaged .vsix installed (EMBEDDING_DRIFT_VSIX), and playwright-core drives Debian's Chromium
// through it: F1, typed commands, the report webview's frames, notifications, the status bar.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';

export const repoRoot = path.resolve(__dirname, '../../..');
export const artifacts = path.join(repoRoot, '.test-artifacts', 'e2e');

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function requireEnv(name: string, hint: string): string {
  const value = process.env[name];
  // scripts/test-e2e.sh says why a setup step failed; that reason beats "not set".
  const setupError = process.env['EMBEDDING_DRIFT_E2E_SETUP_ERROR'];
  if (setupError) throw new Error(`e2e setup failed: ${setupError}`);
  if (!value || !fs.existsSync(value)) throw new Error(`${name} is not set or missing (${value ?? 'unset'}): ${hint}`);
  return value;
}

export function codeServerPath(): string {
  return requireEnv('EMBEDDING_DRIFT_CODE_SERVER', 'run the suite through scripts/test-e2e.sh, which installs code-server');
}

export function vsixPath(): string {
  return requireEnv('EMBEDDING_DRIFT_VSIX', 'run the suite through scripts/test-e2e.sh, which packages the extension');
}

const madeDirs: string[] = [];

export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `drift-e2e-${prefix}-`));
  madeDirs.push(dir);
  return dir;
}

/** Removes every folder tempDir made (workspaces, user data, extensions: about 30 MB a run). */
export function removeTempDirs(): void {
  for (const dir of madeDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Runs a program (argument array, no shell) and resolves with its output; rejects on a non-zero exit. */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${path.basename(command)} ${args.join(' ')} exited ${code}:\n${out.slice(-3000)}`))));
  });
}

/** A fresh extensions folder with the packaged extension installed, as a user would install it. */
export async function installExtension(): Promise<string> {
  const dir = tempDir('extensions');
  const out = await run(codeServerPath(), ['--extensions-dir', dir, '--user-data-dir', tempDir('install-ud'), '--install-extension', vsixPath()], { env: codeServerEnv() });
  const installed = fs.readdirSync(dir).filter((d) => d.startsWith('embedding-drift.embedding-drift-'));
  if (installed.length !== 1) throw new Error(`the .vsix did not install into ${dir}:\n${out}`);
  return dir;
}

function codeServerEnv(): NodeJS.ProcessEnv {
  // code-server writes its own config.yaml under XDG_CONFIG_HOME: keep it out of the user's home.
  return { ...process.env, XDG_CONFIG_HOME: path.join(os.tmpdir(), 'drift-e2e-xdg') };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Workbench {
  page: Page;
  folder: string;
  userDataDir: string;
  /** code-server's own output (its log lines and the extension host's). */
  log(): string;
  close(): Promise<void>;
}

export interface WorkbenchOptions {
  folder: string;
  extensionsDir: string;
  /** User settings merged over the suite's quiet defaults. */
  settings?: Record<string, unknown>;
}

/** Starts code-server on a free port with a fresh user-data-dir, opens the folder in Chromium, waits for the workbench. */
export async function openWorkbench(o: WorkbenchOptions): Promise<Workbench> {
  const userDataDir = tempDir('user');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'security.workspace.trust.enabled': false,
    'window.restoreWindows': 'none',
    // Shift+Down then selects whole lines, as the tests expect (markdown wraps by default).
    'editor.wordWrap': 'off',
    '[markdown]': { 'editor.wordWrap': 'off' },
    ...o.settings,
  };
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const port = await freePort();
  let output = '';
  const server: ChildProcess = spawn(codeServerPath(), [
    '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--user-data-dir', userDataDir, '--extensions-dir', o.extensionsDir, o.folder,
  ], { env: codeServerEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  server.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
  server.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
  await waitFor(() => output.includes('HTTP server listening'), 60_000, () => `code-server did not start:\n${output}`);

  const browser: Browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(o.folder)}`);
  await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 120_000 });
  return {
    page, folder: o.folder, userDataDir,
    log: () => output,
    async close() {
      await browser.close().catch(() => undefined);
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGTERM');
        await Promise.race([exited, sleep(5000)]);
        if (server.exitCode === null) server.kill('SIGKILL');
      }
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, message: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(message());
    await sleep(200);
  }
}

/**
 * F1 until the palette's input shows. F1 can go to a webview that is (re)loading and does not pass
 * keys on: then the side bar's title is focused (a click there opens nothing) and F1 pressed again.
 */
async function openPalette(page: Page, deadline: number, what: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  for (;;) {
    // Escape only closes an open quick input: in an editor it would also drop the selection.
    if (await input.isVisible()) await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    if (await input.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false)) return;
    if (Date.now() > deadline) throw new Error(`F1 never opened the command palette (for ${what})`);
    await page.locator('.part.sidebar .title-label').first().click({ timeout: 5_000 }).catch(() => undefined);
  }
}

/**
 * F1, type the command's title, Enter: exactly what a person does. Extension commands appear in
 * the palette only once the extension host has started, so the palette is reopened until they do.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const input = page.locator('.quick-input-widget input');
  for (;;) {
    await openPalette(page, deadline, `"${title}"`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      await input.pressSequentially(`${title}`, { delay: 5, timeout: 10_000 });
      await row.waitFor({ state: 'visible', timeout: 5_000 });
      await row.click();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
  }
}

/**
 * Quick open with `text` in place of the palette's ">" ("installing.md" goes to a file, ":3" to a
 * line), then Enter once a row with `row` shows (or at once without `row`). Anything that takes
 * focus meanwhile (a report panel revealed, a notification) closes the quick input, which then
 * turns inert under Playwright's hands: the palette is opened again until the deadline.
 */
export async function quickOpen(page: Page, text: string, row?: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const input = page.locator('.quick-input-widget input');
  for (;;) {
    await openPalette(page, deadline, `"${text}"`);
    try {
      await input.fill(text, { timeout: 5_000 });
      if (row) await page.locator('.quick-input-list .monaco-list-row', { hasText: row }).first().waitFor({ state: 'visible', timeout: 10_000 });
      if (await input.inputValue({ timeout: 1_000 }) !== text) throw new Error(`the quick input lost "${text}"`);
      await page.keyboard.press('Enter');
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
  }
}

/** The report panel's content frame (VS Code nests the webview document in two iframes). */
export function reportFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** Texts of the visible notification toasts. */
export async function notifications(page: Page): Promise<string[]> {
  return page.locator('.notifications-toasts .notification-toast').allInnerTexts();
}

/** Clicks a button of the notification whose text matches. */
export async function clickNotificationButton(page: Page, text: RegExp, button: string): Promise<void> {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  await toast.waitFor({ state: 'visible', timeout: 60_000 });
  await toast.getByRole('button', { name: button }).click();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
