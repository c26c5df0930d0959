// A report computed for real (compare() on three package READMEs, built-in lexical embedder, two
// chunkers, BERT WordPiece vs o200k_base) in both hosts; in the panel the live box and the query
// playground are answered by the real tokenizers and the real comparison session.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { defaultConfig } from '../../src/core/config';
import { compare } from '../../src/core/pipeline/compare';
import type { ComparisonSession } from '../../src/core/pipeline/types';
import { summarizeReport } from '../../src/core/report/summary';
import { SelectionTokenizers } from '../../src/extension/tokenize';
import { readmeCorpus, expectNoIncidents, launch, openPanel, openStandalone, screenshot, selectTab, sendReport, violations } from './support';

describe('a real report (compare() on package READMEs) in Chromium', function () {
  let browser: Browser;
  let dir: string;
  let session: ComparisonSession;
  const tokenizers = new SelectionTokenizers();
  let config: ReturnType<typeof defaultConfig>;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-webview-real-'));
    const corpus = readmeCorpus(dir);
    config = defaultConfig(corpus);
    config.a.tokenizer = { kind: 'bert-base-uncased' };
    config.b.tokenizer = { kind: 'tiktoken', name: 'o200k_base' };
    session = await compare(config, { cacheDir: path.join(dir, 'cache'), allowNetwork: false, workers: 1 });
    browser = await launch();
  });
  after(async () => {
    await session?.dispose();
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('report.html: every tab renders the real report; verdicts and row counts match it', async () => {
    const report = session.report;
    const { page, incidents, context } = await openStandalone(browser, report, 'real');
    assert.deepEqual(await page.$$eval('[data-testid=verdicts] .verdict-text', (els) => els.map((e) => e.textContent)), summarizeReport(report));
    const tabs = await page.$$eval('[role=tab]', (els) => els.map((e) => e.getAttribute('data-tab')!));
    assert.equal(tabs.includes('chunking'), !report.chunks.sameChunking);
    for (const tab of tabs) {
      await selectTab(page, tab);
      await screenshot(page, `real-${tab}`);
    }
    await selectTab(page, 'churn');
    assert.equal(await page.innerText('[data-testid=churn-table] .vt-count'), `${report.neighbors.items.length.toLocaleString('en-US')} rows`);
    await selectTab(page, 'tokens');
    assert.equal(await page.innerText('[data-testid=terms-table] .vt-count'), `${report.tokenization.newVocabulary.length.toLocaleString('en-US')} rows`);
    // A cut list says so: "top 200 of N terms".
    const t = report.tokenization;
    assert.equal(await page.$eval('[data-testid=terms-title]', (el) => el.textContent),
      t.newVocabularyTotal! > t.newVocabulary.length ? `New vocabulary (top ${t.newVocabulary.length} of ${t.newVocabularyTotal!.toLocaleString('en-US')} terms)` : 'New vocabulary');
    expectNoIncidents(incidents, 'real report');
    assert.deepEqual(await violations(page), []);
    await context.close();
  });

  it('panel: the live box shows the real tokenizers and the playground the real session', async () => {
    const report = session.report;
    const context = { cacheDir: path.join(dir, 'cache'), allowNetwork: false };
    const { page, incidents, context: browserContext } = await openPanel(browser, report, {}, {
      tokenize: (text) => tokenizers.tokenize(config, context, text),
      search: (query, k) => session.search(query, k),
    });
    await sendReport(page, report);
    await selectTab(page, 'tokens');
    const text = 'picomatch globstar brace expansion';
    await page.fill('[data-testid=tokenize-input]', text);
    await page.waitForSelector('[data-testid=live-tokens-b]');
    const expected = await tokenizers.tokenize(config, context, text);
    const shown = async (side: string): Promise<string[]> => page.$$eval(`[data-testid=live-tokens-${side}] .tok`, (els) => els.map((e) => e.getAttribute('title')!.replace(/ \(unknown token\)$/, '')));
    assert.deepEqual(await shown('a'), expected.a.pieces);
    assert.deepEqual(await shown('b'), expected.b.pieces);
    assert.equal(expected.a.tokenizer, 'bert-base-uncased');
    await screenshot(page, 'real-panel-tokens');

    await selectTab(page, 'playground');
    const query = 'match files with glob patterns';
    await page.fill('[data-testid=search-input]', query);
    await page.press('[data-testid=search-input]', 'Enter');
    await page.waitForSelector('#panel-playground [data-testid=neighbors-a] li');
    const hits = await session.search(query, report.neighbors.k);
    const locs = async (side: string): Promise<string[]> => page.$$eval(`#panel-playground [data-testid=neighbors-${side}] li .loc`, (els) => els.map((e) => e.textContent!));
    // Hits name their lines, as the report's chunk table gives them (a real report has lines).
    const label = (side: 'a' | 'b') => (x: { chunk: number; file: string }): string => {
      const lines = report.chunkTable[side][x.chunk]!.lines!;
      return `${x.file}#L${lines[0]}-L${lines[1]}`;
    };
    assert.deepEqual(await locs('a'), hits.a.map(label('a')));
    assert.deepEqual(await locs('b'), hits.b.map(label('b')));
    // Kept under A = overlaps some B hit in the same file; every lost one overlaps none.
    const fates = await page.$$eval('#panel-playground [data-testid=neighbors-a] li', (els) => els.map((e) => e.getAttribute('data-fate')));
    hits.a.forEach((x, i) => {
      const kept = hits.b.some((y) => y.file === x.file && y.start < x.end && x.start < y.end);
      assert.equal(fates[i], kept ? 'kept' : 'lost');
    });
    await screenshot(page, 'real-panel-playground');
    expectNoIncidents(incidents, 'real panel');
    assert.deepEqual(await violations(page), []);
    await browserContext.close();
  });
});
