// Shared harness for the webview tests: headless Chromium through playwright-core, the standalone
// report.html written to disk and opened by file://, and a panel page served on a fake origin with
// a fake acquireVsCodeApi that records posted messages and answers the host's requests.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Report } from '../../src/core/report/types';
import { makeNonce, renderStandaloneHtml, renderWebviewHtml } from '../../src/shared/html';

export const ROOT = path.resolve(__dirname, '../..');
export const ARTIFACTS = path.join(ROOT, '.test-artifacts/webview');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ORIGIN = 'https://webview.test';

/** A small real corpus: three package READMEs copied from node_modules into `dir`/corpus (returned). */
export function readmeCorpus(dir: string): string {
  const corpus = path.join(dir, 'corpus');
  fs.mkdirSync(corpus);
  for (const pkg of ['picomatch', 'ignore', 'jsonc-parser']) {
    fs.copyFileSync(path.join(ROOT, 'node_modules', pkg, 'README.md'), path.join(corpus, `${pkg}.md`));
  }
  return corpus;
}

export function readBundle(): { script: string; css: string } {
  const js = path.join(ROOT, 'dist/webview.js');
  const css = path.join(ROOT, 'dist/webview.css');
  if (!fs.existsSync(js) || !fs.existsSync(css)) {
    throw new Error('dist/webview.js or dist/webview.css is missing: run `node esbuild.js` (or `npm run build`) before the webview tests.');
  }
  return { script: fs.readFileSync(js, 'utf8'), css: fs.readFileSync(css, 'utf8') };
}

export async function launch(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (never npx playwright install).`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Everything that would mean a script ran or the CSP bit: collected per page, asserted empty. */
export interface Incidents { dialogs: string[]; pageErrors: string[]; consoleErrors: string[]; violations: string[]; warnings: string[] }

export function watch(page: Page): Incidents {
  const inc: Incidents = { dialogs: [], pageErrors: [], consoleErrors: [], violations: [], warnings: [] };
  page.on('dialog', (d) => { inc.dialogs.push(d.message()); void d.dismiss(); });
  page.on('pageerror', (e) => inc.pageErrors.push(e.message));
  page.on('console', (m) => {
    const text = m.text();
    if (/Content Security Policy|Refused to/i.test(text)) inc.violations.push(text);
    if (m.type() === 'error') inc.consoleErrors.push(text);
    if (m.type() === 'warning') inc.warnings.push(text);
  });
  return inc;
}

/** Records securitypolicyviolation events inside the page (run before any page script). */
async function trackViolations(context: BrowserContext | Page): Promise<void> {
  await context.addInitScript(() => {
    (window as any).__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => (window as any).__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}

export async function violations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as any).__violations as string[]);
}

/** Writes report.html for `report` and opens it from disk, as a user would. */
/** How report.html is viewed: the browser's light or dark scheme, or forced colors (Windows high contrast). */
export type StandaloneScheme = 'light' | 'dark' | 'forced-colors';

export async function openStandalone(browser: Browser, report: Report, name: string, viewport = { width: 1360, height: 900 }, scheme: StandaloneScheme = 'light'): Promise<{ page: Page; context: BrowserContext; incidents: Incidents; file: string }> {
  const html = renderStandaloneHtml(report, readBundle());
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.html`);
  fs.writeFileSync(file, html);
  const context = await browser.newContext({
    viewport, colorScheme: scheme === 'dark' ? 'dark' : 'light', ...(scheme === 'forced-colors' ? { forcedColors: 'active' as const } : {}),
  });
  await trackViolations(context);
  const page = await context.newPage();
  const incidents = watch(page);
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('.tabs');
  return { page, context, incidents, file };
}

const span = (c: { file: string; start: number; end: number }): { file: string; start: number; end: number } => ({ file: c.file, start: c.start, end: c.end });

export interface Posted { type: string; [key: string]: unknown }

/**
 * The panel page exactly as renderWebviewHtml builds it, served from a fake webview origin, with a
 * fake VS Code API injected before any page script (init scripts are not subject to the page CSP).
 * The fake host answers tokenize (pieces of at most 4 characters, whitespace split off) and search
 * (deterministic hits from the report's chunk tables) and file text (from `fileTexts`) like the extension would, and keeps
 * setState across reloads in sessionStorage, like VS Code keeps it across a panel's hide/show.
 */
/** Functions of the real host (Node side) the fake API calls instead of its canned answers. */
export interface RealHost {
  tokenize?: (text: string) => Promise<unknown>;
  search?: (query: string, k: number) => Promise<unknown>;
}

/** The VS Code color theme the fake host applies to the panel (Light Modern, Dark Modern, High Contrast). */
export type PanelTheme = 'light' | 'dark' | 'high-contrast';

export async function openPanel(browser: Browser, report: Report, fileTexts: Record<string, string> = {}, real: RealHost = {}, theme: PanelTheme = 'dark'): Promise<{ page: Page; context: BrowserContext; incidents: Incidents; html: string }> {
  const { script, css } = readBundle();
  const nonce = makeNonce();
  const html = renderWebviewHtml({ cspSource: ORIGIN, nonce, scriptUri: `${ORIGIN}/dist/webview.js`, styleUri: `${ORIGIN}/dist/webview.css` });
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: theme === 'light' ? 'light' : 'dark' });
  await context.route(`${ORIGIN}/**`, (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/panel.html') return route.fulfill({ contentType: 'text/html', body: html });
    if (url.pathname === '/dist/webview.js') return route.fulfill({ contentType: 'text/javascript', body: script });
    if (url.pathname === '/dist/webview.css') return route.fulfill({ contentType: 'text/css', body: css });
    return route.fulfill({ status: 404, body: '' });
  });
  await trackViolations(context);
  if (real.tokenize) await context.exposeFunction('__realTokenize', real.tokenize);
  if (real.search) await context.exposeFunction('__realSearch', real.search);
  await context.addInitScript({ content: fakeVsCodeApiSource({ chunksA: report.chunkTable.a.slice(0, 200).map(span), chunksB: report.chunkTable.b.slice(0, 200).map(span), fileTexts }, theme) });
  const page = await context.newPage();
  const incidents = watch(page);
  await page.goto(`${ORIGIN}/panel.html`);
  return { page, context, incidents, html };
}

/**
 * Runs inside the page before any page script. Kept as plain JavaScript source: a serialized
 * TypeScript function would carry the test runner's helper calls (e.g. __name) into the page.
 */
const DARK_MODERN: Record<string, string> = {
  '--vscode-editor-background': '#1f1f1f', '--vscode-foreground': '#cccccc', '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif', '--vscode-font-size': '13px',
  '--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace', '--vscode-focusBorder': '#0078d4',
  '--vscode-button-background': '#0078d4', '--vscode-button-foreground': '#ffffff', '--vscode-input-background': '#313131',
  '--vscode-textLink-foreground': '#4daafc', '--vscode-list-activeSelectionBackground': '#04395e',
  '--vscode-sideBar-background': '#181818', '--vscode-panel-border': '#2b2b2b', '--vscode-editorWidget-border': '#313131',
  '--vscode-charts-blue': '#3794ff', '--vscode-charts-orange': '#d18616', '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-green': '#89d185', '--vscode-charts-yellow': '#cca700',
};

// Light Modern and High Contrast (dark) as VS Code defines them, for the variables the stylesheet reads.
const LIGHT_MODERN: Record<string, string> = {
  '--vscode-editor-background': '#ffffff', '--vscode-foreground': '#3b3b3b', '--vscode-descriptionForeground': '#3b3b3b',
  '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif', '--vscode-font-size': '13px',
  '--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace', '--vscode-focusBorder': '#005fb8',
  '--vscode-button-background': '#005fb8', '--vscode-button-foreground': '#ffffff', '--vscode-input-background': '#ffffff',
  '--vscode-textLink-foreground': '#005fb8', '--vscode-list-activeSelectionBackground': '#e8e8e8',
  '--vscode-sideBar-background': '#f8f8f8', '--vscode-panel-border': '#e5e5e5', '--vscode-editorWidget-border': '#c8c8c8',
  '--vscode-charts-blue': '#1a85ff', '--vscode-charts-orange': '#d18616', '--vscode-charts-red': '#e51400',
  '--vscode-charts-green': '#388a34', '--vscode-charts-yellow': '#bf8803',
};
const HIGH_CONTRAST: Record<string, string> = {
  '--vscode-editor-background': '#000000', '--vscode-foreground': '#ffffff', '--vscode-descriptionForeground': '#ffffff',
  '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif', '--vscode-font-size': '13px',
  '--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace', '--vscode-focusBorder': '#f38518',
  '--vscode-contrastBorder': '#6fc3df', '--vscode-contrastActiveBorder': '#f38518',
  '--vscode-button-background': '#000000', '--vscode-button-foreground': '#ffffff', '--vscode-button-border': '#6fc3df',
  '--vscode-input-background': '#000000', '--vscode-textLink-foreground': '#21a6ff',
  '--vscode-sideBar-background': '#000000', '--vscode-panel-border': '#6fc3df', '--vscode-editorWidget-border': '#6fc3df',
  '--vscode-charts-blue': '#3794ff', '--vscode-charts-orange': '#d18616', '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-green': '#89d185', '--vscode-charts-yellow': '#cca700',
};
const PANEL_THEMES: Record<PanelTheme, { vars: Record<string, string>; kind: string }> = {
  light: { vars: LIGHT_MODERN, kind: 'vscode-light' },
  dark: { vars: DARK_MODERN, kind: 'vscode-dark' },
  'high-contrast': { vars: HIGH_CONTRAST, kind: 'vscode-high-contrast' },
};

function fakeVsCodeApiSource(data: unknown, panelTheme: PanelTheme = 'dark'): string {
  return `(() => {
  const data = ${JSON.stringify(data).replace(/</g, '\\u003c')};
  const w = window;
  w.__posted = [];
  // VS Code sets its theme as --vscode-* variables on <html> (CSSOM, not markup); Dark Modern's values.
  const theme = ${JSON.stringify(PANEL_THEMES[panelTheme].vars)};
  const kind = ${JSON.stringify(PANEL_THEMES[panelTheme].kind)};
  // ... and the theme kind as a class and attribute on <body>.
  const applyKind = () => { document.body.classList.add(kind); document.body.setAttribute('data-vscode-theme-kind', kind); };
  if (document.body) applyKind(); else document.addEventListener('DOMContentLoaded', applyKind);
  const applyTheme = () => { for (const [name, value] of Object.entries(theme)) document.documentElement.style.setProperty(name, value); };
  // Init scripts run before <html> exists: apply as soon as it does.
  if (document.documentElement) applyTheme();
  else new MutationObserver((_, o) => { if (document.documentElement) { o.disconnect(); applyTheme(); } }).observe(document, { childList: true });
  const answer = (m) => { setTimeout(() => window.postMessage(m, '*'), 5); };
  const tokenize = (name, text, size) => {
    const pieces = [], offsets = [], unknown = [];
    const re = /\\S+/g;
    let match;
    while ((match = re.exec(text))) {
      for (let i = 0; i < match[0].length; i += size) {
        const s = match.index + i, e = Math.min(match.index + match[0].length, s + size);
        pieces.push(text.slice(s, e)); offsets.push([s, e]); unknown.push(text.slice(s, e) === '??');
      }
    }
    return { tokenizer: name, pieces, offsets, unknown };
  };
  // A returns chunks 0..k-1, B returns chunks 2..k+1: A's first two are lost, B's last two gained.
  const hits = (chunks, from, k) => chunks.slice(from, from + k).map((c, i) => ({ chunk: from + i, file: c.file, start: c.start, end: c.end, score: 0.9 - i * 0.01 }));
  w.acquireVsCodeApi = () => ({
    postMessage(m) {
      w.__posted.push(m);
      if (m.type !== 'request') return;
      const r = m.request;
      const reply = (response) => answer({ type: 'response', id: m.id, response: { type: r.type, ...response } });
      if (r.type === 'tokenize' && w.__realTokenize) { w.__realTokenize(r.text).then(reply); return; }
      if (r.type === 'search' && w.__realSearch) { w.__realSearch(r.query, r.k).then(reply); return; }
      if (r.type === 'tokenize') reply({ a: tokenize('fake-a', r.text, 4), b: tokenize('fake-b', r.text, 2) });
      if (r.type === 'search') reply({ a: hits(data.chunksA, 0, r.k), b: hits(data.chunksB, 2, r.k) });
      if (r.type === 'labelExpected') {
        const c = r.side === 'b' ? data.chunksB[r.chunk] : data.chunksA[r.chunk];
        reply(c ? { expect: c.file + '#L1-L2' } : { error: 'That chunk is not in this report.' });
      }
      if (r.type === 'fileText') {
        const text = (data.fileTexts || {})[r.file];
        reply(text === undefined ? { error: 'not in the fake workspace' } : { text });
      }
    },
    getState() { const s = sessionStorage.getItem('fake-vscode-state'); return s ? JSON.parse(s) : undefined; },
    setState(s) { sessionStorage.setItem('fake-vscode-state', JSON.stringify(s)); },
  });
})();`;
}

export async function posted(page: Page): Promise<Posted[]> {
  return page.evaluate(() => (window as any).__posted as Posted[]);
}

/** The host's side of the handshake: wait for `ready`, then send the report (as report.json's bytes, like the extension). */
export async function sendReport(page: Page, report: Report, change?: string): Promise<void> {
  await page.waitForFunction(() => ((window as any).__posted as Posted[]).some((m) => m.type === 'ready'));
  await page.evaluate(([r, c]) => window.postMessage({ type: 'showReport', report: new TextEncoder().encode(JSON.stringify(r)), ...(c ? { change: c } : {}) }, '*'), [report, change] as const);
  await page.waitForSelector('.tabs');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: false });
}

export async function selectTab(page: Page, tab: string): Promise<void> {
  await page.click(`#tab-${tab}`);
  await page.waitForSelector(`#panel-${tab}:not([hidden])`);
}

export function expectNoIncidents(inc: Incidents, where: string): void {
  const all = [...inc.dialogs.map((d) => `dialog: ${d}`), ...inc.pageErrors.map((e) => `page error: ${e}`),
    ...inc.consoleErrors.map((e) => `console error: ${e}`), ...inc.violations.map((v) => `CSP: ${v}`)];
  if (all.length > 0) throw new Error(`${where}: ${all.join('\n')}`);
}

export interface Session { page: Page; context: BrowserContext; incidents: Incidents }

/**
 * Registers the suite's hooks: one browser and one page for all its tests, closed afterwards, and
 * after every test the check that nothing ran that should not (dialogs, errors, CSP violations).
 */
export function sharedPage(where: string, open: (browser: Browser) => Promise<Session>): Session {
  const session = {} as Session;
  let browser: Browser | undefined;
  before(async () => {
    browser = await launch();
    Object.assign(session, await open(browser));
  });
  after(async () => {
    await session.context?.close();
    await browser?.close();
  });
  afterEach(async () => {
    expectNoIncidents(session.incidents, where);
    assert.deepEqual(await violations(session.page), []);
  });
  return session;
}
