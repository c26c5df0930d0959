// report.html as the CLI writes it, opened from file:// in real headless Chromium: it renders with no
// page error or CSP violation, and shows the same headline verdicts as report.json.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeTree } from '../support/files';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import type { Report } from '../../src/core/report/types';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

describe('CLI report.html in headless Chromium', function () {
  this.timeout(180_000);
  let dir: string;
  let browser: Browser;

  before(async function () {
    for (const file of ['dist/cli.js', 'dist/webview.js']) {
      if (!existsSync(path.join(ROOT, file))) throw new Error(`${file} is missing: run \`node esbuild.js\` first (npm test builds).`);
    }
    dir = await mkdtemp(path.join(os.tmpdir(), 'drift-cli-html-'));
    const corpus = path.join(dir, 'corpus');
    const files: Record<string, string> = {
      'guide/install.md': '# Install\n\nRun npm install. Node 20 or newer.\n\n## Offline\n\nThe built-in embedder needs no download.\n',
      'guide/search.md': '# Search\n\nHNSW answers nearest neighbor queries quickly.\n\n## Exact\n\nExact top-k is the reference for recall.\n',
      'guide/tokens.md': '# Tokenizers\n\nWordPiece splits rare words into pieces like token and ##ization.\n',
      'notes/<script>alert(1)</script>.md': '# </script><img src=x onerror=alert(2)>\n\nHostile names and text stay text.\n',
    };
    await writeTree(corpus, files);
    const r = spawnSync(process.execPath, [CLI, 'compare', '--corpus', corpus, '--out', path.join(dir, 'out'), '--k', '3'], {
      encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: path.join(dir, 'cache') }, timeout: 120_000,
    });
    assert.equal(r.status, 0, r.stderr);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('opens from file:// and shows the headline verdicts of report.json', async () => {
    const report = JSON.parse(readFileSync(path.join(dir, 'out/report.json'), 'utf8')) as Report;
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss(); });
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    await page.goto(pathToFileURL(path.join(dir, 'out/report.html')).href);
    const embedded = await page.evaluate(() => document.getElementById('report-data')?.textContent ?? '');
    assert.deepEqual(JSON.parse(embedded), report, 'the page carries a different report than report.json');
    // The headline numbers as any overview shows them: shares in whole percent, scores to 2 decimals.
    const n = report.neighbors;
    const headline = [
      `${(n.churnedShare! * 100).toFixed(0)}%`, n.meanJaccard.toFixed(2), n.meanRbo.toFixed(2),
      report.configs.a.label, report.configs.b.label,
    ];
    if (report.anchors.count > 0) headline.push(report.anchors.a.hitAtK.toFixed(2), report.anchors.b.hitAtK.toFixed(2));
    await page.getByText(`${(n.churnedShare! * 100).toFixed(0)}% of chunks`, { exact: false }).first().waitFor({ timeout: 15_000 });
    const text = (await page.evaluate(() => document.body.innerText)).replace(/\s+/g, ' ');
    for (const value of headline) assert.ok(text.includes(value), `"${value}" is not on the page`);
    // The hostile file name is shown as text somewhere in the chunk tables, never run.
    assert.equal(await page.evaluate(() => document.querySelectorAll('img[src="x"]').length), 0);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
