// The Decisions tab in report.html (headless Chromium): the migration depth curve is a uPlot chart
// holding the report's K and recall exactly, the noise floor table and the vectors setting show the
// report's values, the tab exists only when the report has something for it, and its verdicts link
// to it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import type { Page } from 'playwright-core';
import { reportVerdicts } from '../../src/core/report/summary';
import type { Report } from '../../src/core/report/types';
import { makeFixtureReport } from '../fixtures/make-report';
import { openPanel, openStandalone, posted, screenshot, selectTab, sendReport, sharedPage } from './support';

function decisionsReport(): Report {
  const r = makeFixtureReport({ chunks: 400, k: 10 });
  r.configs.b.vectors = {
    description: 'first 256 of 384 dims, int8', quantize: 'int8', dimensions: 256, fromDimension: 384,
    int8Ranges: { rows: 400, min: Array.from({ length: 256 }, (_, d) => -0.1 - d / 1000), max: Array.from({ length: 256 }, (_, d) => 0.1 + d / 2000) },
  };
  r.configs.b.dimension = 256;
  r.migrationDepth = {
    k: 10, comparison: 'same-items', items: 399, total: 400, recallAtK: 0.62, kFor95Percent: 47, kFor99Percent: 130, kForAll: 311, unreachable: 0,
    curve: [{ K: 10, recall: 0.62 }, { K: 20, recall: 0.8 }, { K: 30, recall: 0.9 }, { K: 47, recall: 0.95 }, { K: 50, recall: 0.955 },
      { K: 100, recall: 0.985 }, { K: 130, recall: 0.99 }, { K: 200, recall: 0.996 }, { K: 300, recall: 0.999 }, { K: 311, recall: 1 }, { K: 399, recall: 1 }],
  };
  r.noiseFloor = {
    churnedShare: 0.05, meanJaccard: 0.86, meanOverlap: 0.91, largest: 'dtype',
    sources: [
      { source: 'search', variant: 'HNSW search (M 16, efConstruction 200, efSearch 64) instead of exact', churnedShare: 0, meanJaccard: 0.99, meanOverlap: 1 },
      { source: 'dtype', variant: 'q8 weights instead of fp32', churnedShare: 0.05, meanJaccard: 0.86, meanOverlap: 0.91 },
    ],
    skipped: [{ source: 'backend', reason: "the backend is set to 'wasm' (by the configuration, a setting or Restricted Mode), so the other one is not run" }],
  };
  r.retention = { side: 'b', neighbors: 0.93, ndcg10: 0.98, hitAtK: 1, published: 'int8 keeps about 99%' };
  return r;
}

describe('Decisions tab (report.html) in Chromium', function () {
  let page: Page;
  const report = decisionsReport();
  const session = sharedPage('decisions page', (b) => openStandalone(b, report, 'decisions'));
  before(() => { ({ page } = session); });

  it('its fixture is a valid report', () => {
    const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../schemas/report.schema.json'), 'utf8')));
    assert.ok(validate(JSON.parse(JSON.stringify(report))), JSON.stringify(validate.errors?.slice(0, 3)));
  });

  it('appears after Space; the verdicts of issue 16 link to it with the core\'s tones', async () => {
    const tabs = await page.$$eval('[role=tab]', (els) => els.map((e) => e.getAttribute('data-tab')));
    assert.deepEqual(tabs, ['overview', 'churn', 'tokens', 'anchors', 'space', 'decisions', 'maps']);
    assert.match(await page.innerText('[data-testid=config-b]'), /400 chunks × 256 dims \(first 256 of 384 dims, int8\)/);
    for (const v of reportVerdicts(report).filter((x) => ['noise-floor', 'retention', 'migration'].includes(x.kind))) {
      assert.equal(await page.innerText(`[data-verdict=${v.kind}] .verdict-text`), v.text);
      assert.equal(await page.getAttribute(`[data-verdict=${v.kind}]`, 'class'), `verdict tone-${v.tone}`);
    }
    await page.click('[data-verdict=migration] button');
    assert.equal(await page.getAttribute('#tab-decisions', 'aria-selected'), 'true');
  });

  it('the depth curve holds the report\'s K and recall exactly, on a log axis, with 95% and 99% stated', async () => {
    // B only stores its vectors another way: the tab says first that the curve is no migration guide, in the core's words.
    assert.equal(await page.innerText('[data-testid=depth-no-guide]'), reportVerdicts(report).find((v) => v.kind === 'migration')!.text);
    assert.match(await page.innerText('[data-testid=depth-no-guide]'), /^Migration depth is no guide here/);
    await selectTab(page, 'decisions');
    const shown = await page.$eval('[data-testid=depth-curve]', (el) => {
      const u = (el as unknown as { uplot: { data: Array<ArrayLike<number>>; scales: { x: { distr: number } } } }).uplot;
      return { data: u.data.map((s) => Array.from(s)), distr: u.scales.x.distr, canvases: el.querySelectorAll('.uplot .u-wrap canvas').length };
    });
    const m = report.migrationDepth!;
    assert.deepEqual(shown.data, [m.curve.map((p) => p.K), m.curve.map((p) => p.recall)]);
    assert.equal(shown.distr, 3, 'K on a log scale');
    assert.equal(shown.canvases, 1);
    assert.deepEqual(await page.$$eval('[data-testid=depth-stats] .stat-value', (els) => els.map((e) => e.textContent)), ['62.0%', '47', '130', '311']);
    const label = (await page.getAttribute('[data-testid=depth-curve]', 'aria-label')) ?? '';
    assert.ok(label.includes('47: 95.0%') && label.includes('399: 100.0%'), label);
    await screenshot(page, 'decisions-tab');
  });

  it('the noise floor table marks the floor and lists what was skipped; the vectors setting states its ranges', async () => {
    const rows = await page.$$eval('[data-testid=noise-floor] tbody tr', (trs) => trs.map((tr) => Array.from(tr.children).map((c) => c.textContent)));
    assert.deepEqual(rows, [
      ['search: HNSW search (M 16, efConstruction 200, efSearch 64) instead of exact', '0.0%', '0.990', '1.000'],
      ['dtype: q8 weights instead of fp32 (the floor)', '5.0%', '0.860', '0.910'],
    ]);
    assert.match(await page.innerText('[data-testid=noise-skipped]'), /backend: the backend is set to 'wasm'/);
    const setting = await page.innerText('[data-testid=vectors-b]');
    assert.match(setting, /first 256 of 384 dims, int8 \(256 of 384 dimensions compared\)/);
    // Widest range: the last dimension, [-0.355, 0.228]; narrowest: dimension 0, [-0.100, 0.100].
    assert.match(setting, /over 400 chunk vectors .* widest dimension 255 \[-0\.355, 0\.228\], narrowest 0 \[-0\.100, 0\.100\]/);
    assert.deepEqual(await page.$$eval('[data-testid=retention] .stat-value', (els) => els.map((e) => e.textContent)), ['93.0%', '98.0%', '100.0%']);
  });
});

describe('Decisions tab absent without its numbers', function () {
  let page: Page;
  const session = sharedPage('plain page', (b) => openStandalone(b, makeFixtureReport({ chunks: 60 }), 'decisions-absent'));
  before(() => { ({ page } = session); });
  it('has no Decisions tab', async () => {
    assert.equal(await page.$('#tab-decisions'), null);
  });
});

describe('Anchors tab: judged@k and B\'s unjudged hits, labelled in one click (panel)', function () {
  let page: Page;
  const report = makeFixtureReport({ chunks: 120, k: 10, anchors: 12 });
  const session = sharedPage('judged panel', (b) => openPanel(b, report));
  before(async () => { ({ page } = session); await sendReport(page, report); });

  it('the quality table states judged@k for A and B from the report', async () => {
    await selectTab(page, 'anchors');
    const row = await page.$$eval('[data-metric=judged] td', (tds) => tds.map((td) => td.textContent));
    assert.deepEqual(row.slice(0, 2), [report.anchors.a.judgedAtK!.toFixed(3), report.anchors.b.judgedAtK!.toFixed(3)]);
  });

  it('selecting an anchor lists B\'s unjudged hits; "label as expected" asks the host with the chunk index and shows its answer', async () => {
    // The first row of the table whose anchor came from the file (auto-anchors cannot be labelled) and has unjudged hits.
    const rows = await page.$$('[data-testid=anchors-table] .vt-row');
    let item: (typeof report.anchors.items)[number] | undefined;
    for (const r of rows) {
      const query = (await r.$eval('.ellipsis', (e) => e.getAttribute('title'))) ?? '';
      const candidate = report.anchors.items.find((x) => x.query === query && !x.auto && x.unjudgedB.length > 0);
      if (candidate) { await r.click(); item = candidate; break; }
    }
    assert.ok(item, 'the fixture has a labelled anchor with unjudged hits under B');
    const buttons = await page.$$eval('[data-testid=unjudged-hits] button[data-chunk]', (bs) => bs.map((b) => Number(b.getAttribute('data-chunk'))));
    assert.deepEqual(buttons, item.unjudgedB);
    await page.click(`[data-testid=unjudged-hits] button[data-chunk="${item.unjudgedB[0]}"]`);
    await page.waitForFunction(() => document.querySelector('[data-testid=unjudged-hits] li')?.textContent?.includes('added:'));
    const sent = (await posted(page)).filter((m) => m.type === 'request' && (m.request as { type: string }).type === 'labelExpected');
    assert.deepEqual(sent.map((m) => m.request), [{ type: 'labelExpected', query: item.query, side: 'b', chunk: item.unjudgedB[0] }]);
    assert.match(await page.innerText('[data-testid=unjudged-hits] li'), new RegExp(`added: ${report.chunkTable.b[item.unjudgedB[0]!]!.file.replace(/[.]/g, '\\.')}#L1-L2`));
    await screenshot(page, 'anchors-judged');
  });
});
