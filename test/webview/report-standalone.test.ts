// report.html opened from disk in headless Chromium: the numbers shown equal the report's values,
// tabs, sorting, filtering, drill-down and keyboard work, and opening a location shows text inline.
import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { summarizeReport } from '../../src/core/report/summary';
import type { Report } from '../../src/core/report/types';
import { makeFixtureReport } from '../fixtures/make-report';
import { expectNoIncidents, launch, openStandalone, screenshot, selectTab, sharedPage, violations } from './support';

const fix2 = (x: number): string => x.toFixed(2);

async function rowValues(page: Page, table: string, column: number): Promise<string[]> {
  return page.$$eval(`[data-testid=${table}] .vt-row`, (rows, c) => rows.map((r) => (r.children[c] as HTMLElement).innerText.trim()), column);
}

describe('report.html (standalone) in Chromium', function () {
  let page: Page;
  const report: Report = makeFixtureReport();
  const n = report.neighbors;

  const session = sharedPage('standalone page', (b) => openStandalone(b, report, 'standalone'));
  before(() => { ({ page } = session); });

  it('overview: configurations, corpus and verdicts carry the report values', async () => {
    assert.match(await page.innerText('[data-testid=config-a]'), /today[\s\S]*Xenova\/all-MiniLM-L6-v2 \(fp32, mean\)[\s\S]*400 chunks × 384 dims/);
    assert.match(await page.innerText('[data-testid=config-b]'), /candidate[\s\S]*cl100k_base/);
    assert.match(await page.innerText('[data-testid=corpus-line]'), new RegExp(`^${report.corpus.files} files .* 400 chunks under A and 400 under B \\(same chunking\\), k = 10, exact search\\.$`));
    // The verdicts are summarizeReport's sentences, verbatim and in order, each with a tone dot and a link.
    const shown = await page.$$eval('[data-testid=verdicts] .verdict-text', (els) => els.map((e) => e.textContent));
    assert.deepEqual(shown, summarizeReport(report));
    // And they carry the report's numbers (checked here independently of summary.ts's formatting).
    assert.ok((await page.innerText('[data-verdict=churn] .verdict-text')).startsWith(`${Math.round(n.churnedShare! * 100)}% of chunks lose more than half of their 10 nearest neighbors`));
    const an = report.anchors;
    assert.ok((await page.innerText('[data-verdict=anchors] .verdict-text')).includes(`hit@10 ${fix2(an.a.hitAtK)} -> ${fix2(an.b.hitAtK)}`));
    assert.match(await page.innerText('[data-verdict=space] .verdict-text'), /^CKA 0\.61: .*an orthogonal adapter recovers 78% of neighbors/);
    assert.ok((await page.innerText('[data-verdict=tokens] .verdict-text')).startsWith("candidate's tokenizer shatters 143 terms of this corpus"));
    assert.equal(await page.getAttribute('[data-verdict=space]', 'class'), 'verdict tone-bad');
    // Headline tiles: churned share, Jaccard, hit@k A -> B, CKA, shattered share A -> B.
    assert.deepEqual(await page.$$eval('[data-testid=headline] .stat-value', (els) => els.map((e) => e.textContent)),
      [`${Math.round(n.churnedShare! * 100)}%`, fix2(n.meanJaccard), `${fix2(an.a.hitAtK)} → ${fix2(an.b.hitAtK)}`, '0.61', '6.1% → 14.3%']);
    await screenshot(page, 'standalone-overview');
  });

  it('tabs: click and keyboard (arrows, Home, End) switch panels; no playground without the extension', async () => {
    const tabs = await page.$$eval('[role=tab]', (els) => els.map((e) => e.getAttribute('data-tab')));
    assert.deepEqual(tabs, ['overview', 'churn', 'tokens', 'anchors', 'space', 'maps']);
    await page.focus('#tab-overview');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getAttribute('#tab-churn', 'aria-selected'), 'true');
    assert.equal(await page.isVisible('#panel-churn'), true);
    assert.equal(await page.isVisible('#panel-overview'), false);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'tab-churn');
    await page.keyboard.press('End');
    assert.equal(await page.getAttribute('#tab-maps', 'aria-selected'), 'true');
    await page.keyboard.press('ArrowRight'); // wraps around
    assert.equal(await page.getAttribute('#tab-overview', 'aria-selected'), 'true');
    await page.click('[data-verdict=tokens] button');
    assert.equal(await page.getAttribute('#tab-tokens', 'aria-selected'), 'true');
  });

  it('churn: stats and histogram equal the report', async () => {
    await selectTab(page, 'churn');
    assert.equal(await page.innerText('[data-testid=stat-churned] .stat-value'), `${Math.round(n.churnedShare! * 100)}%`);
    assert.equal(await page.innerText('[data-testid=stat-mean-jaccard] .stat-value'), fix2(n.meanJaccard));
    assert.equal(await page.innerText('[data-testid=stat-rbo] .stat-value'), fix2(n.meanRbo));
    const label = (await page.getAttribute('[data-testid=churn-histogram]', 'aria-label')) ?? '';
    assert.deepEqual([...label.matchAll(/: (\d+)(?=,|$)/g)].map((m) => Number(m[1])), n.histogram.counts);
  });

  it('churn: sorting by a column orders rows by the report values', async () => {
    // Default: Jaccard ascending, ties in report order.
    const byJaccard = n.items.map((x, i) => ({ x, i })).sort((p, q) => p.x.jaccard - q.x.jaccard || p.i - q.i);
    const firstRows = await page.$$eval('[data-testid=churn-table] .vt-row', (rows) => rows.slice(0, 8).map((r) => Number(r.getAttribute('data-row'))));
    assert.deepEqual(firstRows, byJaccard.slice(0, 8).map((e) => e.i));
    await page.click('[data-testid=churn-table] [data-column=rbo]');
    assert.equal(await page.getAttribute('[data-testid=churn-table] [data-column=rbo]', 'aria-sort'), 'descending');
    const rboDesc = [...n.items].map((x) => x.rbo).sort((p, q) => q - p).slice(0, 8).map(fix2);
    assert.deepEqual((await rowValues(page, 'churn-table', 4)).slice(0, 8), rboDesc);
    await page.click('[data-testid=churn-table] [data-column=rbo]');
    const rboAsc = [...n.items].map((x) => x.rbo).sort((p, q) => p - q).slice(0, 8).map(fix2);
    assert.deepEqual((await rowValues(page, 'churn-table', 4)).slice(0, 8), rboAsc);
    await page.click('[data-testid=churn-table] [data-column=jaccard]');
    await page.click('[data-testid=churn-table] [data-column=jaccard]'); // numeric columns start descending; twice = ascending
    assert.equal(await page.getAttribute('[data-testid=churn-table] [data-column=jaccard]', 'aria-sort'), 'ascending');
  });

  it('churn: the filter keeps exactly the chunks whose file or text matches', async () => {
    const query = 'docs/api';
    const expected = n.items.filter((x) => `${x.file} ${report.chunkTable.a[x.chunk]!.text}`.toLowerCase().includes(query)).length;
    assert.ok(expected > 0 && expected < n.items.length);
    await page.fill('[data-testid=churn-filter]', query);
    assert.equal(await page.innerText('[data-testid=churn-table] .vt-count'), `${expected} of 400 rows`);
    for (const f of await rowValues(page, 'churn-table', 0)) assert.ok(f.includes(query), f);
    await page.fill('[data-testid=churn-filter]', '');
    assert.equal(await page.innerText('[data-testid=churn-table] .vt-count'), '400 rows');
  });

  it('churn: selecting a chunk shows its text and neighbors under A and B, kept / lost / gained apart', async () => {
    await page.click('[data-testid=churn-table] .vt-row:nth-child(1)');
    const index = Number(await page.getAttribute('[data-testid=churn-table] .vt-row[aria-selected=true]', 'data-row'));
    const item = n.items[index]!;
    assert.equal(await page.innerText('[data-testid=detail-jaccard]'), fix2(item.jaccard));
    assert.equal(await page.innerText('[data-testid=detail-text]'), report.chunkTable.a[item.chunk]!.text);
    const fates = async (side: string): Promise<string[]> => page.$$eval(`[data-testid=neighbors-${side}] li`, (els) => els.map((e) => e.getAttribute('data-fate') ?? ''));
    assert.deepEqual(await fates('a'), item.keptA.map((k) => (k ? 'kept' : 'lost')));
    assert.deepEqual(await fates('b'), item.keptB.map((k) => (k ? 'kept' : 'gained')));
    const locsB = await page.$$eval('[data-testid=neighbors-b] li .loc', (els) => els.map((e) => e.textContent));
    assert.deepEqual(locsB, item.neighborsB.map((j) => { const c = report.chunkTable.b[j]!; return `${c.file}:${c.start}-${c.end}`; }));
    await screenshot(page, 'standalone-churn');
  });

  it('churn: arrow keys move the selection, Enter shows the chunk inline (no editor to open)', async () => {
    await page.focus('[data-testid=churn-table] .vt-viewport');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const byJaccard = n.items.map((x, i) => ({ x, i })).sort((p, q) => p.x.jaccard - q.x.jaccard || p.i - q.i);
    const third = byJaccard[2]!.x;
    assert.equal(Number(await page.getAttribute('[data-testid=churn-table] .vt-row[aria-selected=true]', 'data-row')), byJaccard[2]!.i);
    assert.equal(await page.innerText('[data-testid=churn-detail] h2'), `${third.file}:${third.start}-${third.end}`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=peek].open');
    assert.equal(await page.innerText('[data-testid=peek-location]'), `${third.file}:${third.start}-${third.end}`);
    assert.equal(await page.innerText('[data-testid=peek-text] >> nth=0'), report.chunkTable.a[third.chunk]!.text);
    await page.keyboard.press('Escape');
    assert.equal(await page.isVisible('[data-testid=peek]'), false);
  });

  it('anchors: quality table and sorted anchor rows equal the report', async () => {
    await selectTab(page, 'anchors');
    const cells = await page.$$eval('[data-testid=quality] tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    const an = report.anchors;
    assert.deepEqual(cells[0]!.slice(0, 2), [an.a.hitAtK.toFixed(3), an.b.hitAtK.toFixed(3)]);
    assert.deepEqual(cells[1]!.slice(0, 2), [an.a.mrrAtK.toFixed(3), an.b.mrrAtK.toFixed(3)]);
    assert.deepEqual(cells[2]!.slice(0, 2), [an.a.ndcg10.toFixed(3), an.b.ndcg10.toFixed(3)]);
    const worst = an.items.map((x, i) => ({ x, i })).sort((p, q) => p.x.shift - q.x.shift || p.i - q.i)[0]!.x;
    assert.equal((await rowValues(page, 'anchors-table', 0))[0], worst.query);
    assert.equal((await rowValues(page, 'anchors-table', 6))[0], worst.shift.toFixed(1));
    const scatter = await page.getAttribute('[data-testid=anchor-scatter]', 'aria-label');
    const better = an.items.filter((x) => x.percentileB - x.percentileA > 10).length;
    const worse = an.items.filter((x) => x.percentileB - x.percentileA < -10).length;
    assert.equal(scatter, `percentile under A against percentile under B: ${an.items.length} points; ${better} better under B (up more than 10 points), ${worse} worse under B (down more than 10 points), ${an.items.length - better - worse} unchanged`);
    await screenshot(page, 'standalone-anchors');
  });

  it('charts are uPlot charts that hold the report numbers exactly', async () => {
    type Shown = { canvases: number; data: Array<Array<number | null>> };
    const chart = (id: string): Promise<Shown> => page.$eval(`[data-testid=${id}]`, (el) => ({
      canvases: el.querySelectorAll('.uplot .u-wrap canvas').length,
      data: ((el as unknown as { uplot?: { data: Array<ArrayLike<number | null>> } }).uplot?.data ?? []).map((s) => Array.from(s)),
    }));
    const centers = n.histogram.edges.slice(0, -1).map((e, i) => (e + n.histogram.edges[i + 1]!) / 2);
    // A single histogram: bars on the bin centers, heights equal to the report's counts.
    const counts = async (id: string): Promise<void> => {
      const c = await chart(id);
      assert.equal(c.canvases, 1, id);
      assert.deepEqual(c.data, [centers, n.histogram.counts], id);
    };
    // Overlaid histograms: steps from each left edge (plus the right edge), heights the shares of
    // the report's counts; shares times the total give the counts back exactly.
    const shares = async (id: string): Promise<void> => {
      const c = await chart(id);
      const { a, b } = report.space.similarity;
      assert.equal(c.canvases, 1, id);
      assert.deepEqual(c.data[0], a.edges, id);
      for (const [i, hist] of [[1, a], [2, b]] as const) {
        const total = hist.counts.reduce((p, q) => p + q, 0);
        const ys = c.data[i]!;
        assert.equal(ys.length, hist.counts.length + 1, id);
        assert.deepEqual(ys.slice(0, -1).map((v) => Math.round(v! * total)), hist.counts, id);
        assert.equal(ys.slice(0, -1).reduce((p, q) => p! + q!, 0)!.toFixed(9), (1).toFixed(9), id);
      }
    };
    await selectTab(page, 'overview');
    await counts('overview-churn');
    await shares('overview-similarity');
    await page.locator('[data-testid=overview-churn]').scrollIntoViewIfNeeded();
    await screenshot(page, 'standalone-overview-charts');
    await page.evaluate(() => window.scrollTo(0, 0));
    await selectTab(page, 'churn');
    await counts('churn-histogram');
    await selectTab(page, 'space');
    await shares('similarity-histogram');
    // The scatter: every anchor once, (pct A, pct B), one series per direction: better (up more than
    // 10 points), worse (down more than 10), unchanged.
    await selectTab(page, 'anchors');
    const sc = await chart('anchor-scatter');
    const items = report.anchors.items;
    assert.equal(sc.canvases, 1);
    assert.deepEqual(sc.data[0], items.map((x) => x.percentileA).sort((p, q) => p - q));
    const key = (x: number, y: number): string => `${x}|${y}`;
    const shown = (series: number): string[] => sc.data[0]!.flatMap((x, i) => (sc.data[series]![i] === null ? [] : [key(x!, sc.data[series]![i]!)])).sort();
    const move = (x: { percentileA: number; percentileB: number }): number => (x.percentileB - x.percentileA > 10 ? 1 : x.percentileB - x.percentileA < -10 ? 2 : 3);
    for (const series of [1, 2, 3]) assert.deepEqual(shown(series), items.filter((x) => move(x) === series).map((x) => key(x.percentileA, x.percentileB)).sort(), `series ${series}`);
    assert.ok(shown(2).length > 0 && shown(3).length > 0);
  });

  it('anchors scatter: hovering a point names its anchor, clicking it selects its row', async () => {
    await selectTab(page, 'anchors');
    const items = report.anchors.items;
    // The anchor that moved most: off the diagonal, so no other point sits on it.
    const target = items.map((x, i) => ({ x, i })).sort((p, q) => Math.abs(q.x.shift) - Math.abs(p.x.shift) || p.i - q.i)[0]!;
    const at = await page.$eval('[data-testid=anchor-scatter]', (el, [x, y]) => {
      const u = (el as unknown as { uplot: { over: HTMLElement; valToPos: (v: number, s: string) => number } }).uplot;
      const r = u.over.getBoundingClientRect();
      return [r.left + u.valToPos(x!, 'x'), r.top + u.valToPos(y!, 'y')];
    }, [target.x.percentileA, target.x.percentileB]);
    await page.mouse.move(at[0]!, at[1]!);
    assert.equal(await page.innerText('[data-testid=anchor-hover]'),
      `${target.x.query} · percentile ${target.x.percentileA.toFixed(0)} → ${target.x.percentileB.toFixed(0)}`);
    await page.mouse.click(at[0]!, at[1]!);
    const row = Number(await page.getAttribute('[data-testid=anchors-table] .vt-row[aria-selected=true]', 'data-row'));
    assert.deepEqual([items[row]!.percentileA, items[row]!.percentileB], [target.x.percentileA, target.x.percentileB]);
    assert.equal(row, target.i);
    // Away from every point the line is blank again (selecting the row scrolled the table into view).
    await page.locator('[data-testid=anchor-scatter]').scrollIntoViewIfNeeded();
    const box = (await page.locator('[data-testid=anchor-scatter] .u-over').boundingBox())!;
    // The bottom-left corner (percentile 0 under both), clear of the sticky title bar.
    await page.mouse.move(box.x + 2, box.y + box.height - 2);
    assert.equal((await page.innerText('[data-testid=anchor-hover]')).trim(), '');
  });

  it('tokenization: tokenizer stats, new-vocabulary pieces as boxes, and the live box explains what it needs', async () => {
    await selectTab(page, 'tokens');
    const t = report.tokenization;
    assert.match(await page.innerText('[data-testid=tokstats-b]'), /1\.87\s+pieces per term\s+14\.3%\s+shattered \(3\+ pieces or unknown\)\s+748 terms/);
    const first = t.newVocabulary[0]!;
    assert.equal((await rowValues(page, 'terms-table', 0))[0], first.term);
    const boxes = await page.$$eval('[data-testid=terms-table] .vt-row:nth-child(1) .vt-cell:nth-child(4) .tok', (els) => els.map((e) => e.textContent));
    assert.deepEqual(boxes, first.piecesB);
    await page.fill('[data-testid=term-filter]', 'qdrant');
    assert.equal(await page.innerText('[data-testid=terms-table] .vt-count'), `${t.newVocabulary.filter((x) => x.term.toLowerCase().includes('qdrant')).length} of ${t.newVocabulary.length} rows`);
    assert.match(await page.innerText('[data-testid=tokenize-standalone]'), /needs the Embedding Drift extension.*embedding-drift tokens/);
    await page.fill('[data-testid=term-filter]', '');
    await screenshot(page, 'standalone-tokens');
  });

  it('space: CKA, Procrustes overlap and both similarity distributions', async () => {
    await selectTab(page, 'space');
    assert.equal(await page.innerText('[data-testid=stat-cka] .stat-value'), '0.61');
    assert.equal(await page.innerText('[data-testid=stat-procrustes] .stat-value'), '78%');
    const label = (await page.getAttribute('[data-testid=similarity-histogram]', 'aria-label')) ?? '';
    const [a, b] = label.split('; ');
    assert.deepEqual([...a!.matchAll(/: (\d+)(?=,|$)/g)].map((m) => Number(m[1])), report.space.similarity.a.counts);
    assert.deepEqual([...b!.matchAll(/: (\d+)(?=,|$)/g)].map((m) => Number(m[1])), report.space.similarity.b.counts);
    await screenshot(page, 'standalone-space');
  });

  it('zero vectors: counted per side next to truncation, and named on a chunk they concern', async () => {
    await selectTab(page, 'space');
    assert.equal(report.truncation.b.zeroVectors, 2);
    assert.equal(await page.innerText('[data-testid=zero-vectors-a]'), '0');
    assert.equal(await page.innerText('[data-testid=zero-vectors-b]'), '2');
    // The churn row of the A chunk whose B counterpart has a zero vector says so; another does not.
    const index = n.items.findIndex((x) => report.chunkTable.b[x.counterpart]?.zeroVector === true);
    const other = n.items.findIndex((x) => report.chunkTable.b[x.counterpart]?.zeroVector !== true);
    await selectTab(page, 'churn');
    for (const [row, expected] of [[index, true], [other, false]] as const) {
      await page.focus('[data-testid=churn-table] .vt-viewport');
      await page.keyboard.press('Home');
      // Rows are in Jaccard order (ascending, ties in report order), as the sorting test left them.
      const order = n.items.map((x, i) => ({ x, i })).sort((p, q) => p.x.jaccard - q.x.jaccard || p.i - q.i).map((e) => e.i);
      for (let step = 0; step < order.indexOf(row); step++) await page.keyboard.press('ArrowDown');
      assert.equal(Number(await page.getAttribute('[data-testid=churn-table] .vt-row[aria-selected=true]', 'data-row')), row);
      assert.equal(await page.isVisible('[data-testid=zero-vector-note]'), expected);
      if (expected) assert.match(await page.innerText('[data-testid=zero-vector-note]'), /^Zero vector under candidate: the model knows none of this chunk's tokens/);
    }
  });

  it('maps: brushing chunks in A highlights the same chunks in B; Clear resets', async () => {
    await selectTab(page, 'maps');
    const box = (await page.locator('[data-testid=map-a]').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.05, box.y + box.height * 0.05);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.6, { steps: 4 });
    await page.mouse.up();
    const sel = page.locator('[data-testid=map-selection]');
    const a = Number(await sel.getAttribute('data-selected-a'));
    const b = Number(await sel.getAttribute('data-selected-b'));
    assert.ok(a > 10 && a < report.chunks.a, `selected ${a}`);
    assert.equal(b, a, 'same items: one B point per A point');
    await screenshot(page, 'standalone-maps');
    await page.click('[data-testid=map-selection] button:has-text("Clear")');
    assert.equal(await sel.getAttribute('data-selected-a'), '0');
  });

  it('UI state (tab, filter) survives a reload', async () => {
    await selectTab(page, 'churn');
    await page.fill('[data-testid=churn-filter]', 'notes/');
    await page.reload();
    await page.waitForSelector('.tabs');
    assert.equal(await page.getAttribute('#tab-churn', 'aria-selected'), 'true');
    assert.equal(await page.inputValue('[data-testid=churn-filter]'), 'notes/');
    assert.match(await page.innerText('[data-testid=churn-table] .vt-count'), / of 400 rows$/);
    await page.fill('[data-testid=churn-filter]', '');
  });
});

describe('report.html with two different chunkings', function () {
  let browser: Browser;
  after(async () => browser?.close());

  it('chunking tab draws both sets of boundaries over the text rebuilt from previews', async () => {
    browser = await launch();
    const report = makeFixtureReport({ chunks: 120, differentChunking: true });
    const { page, incidents } = await openStandalone(browser, report, 'standalone-chunking');
    const line = await page.innerText('[data-testid=corpus-line]');
    assert.ok(line.includes('(different chunkings, compared by character overlap)'), line);
    await selectTab(page, 'chunking');
    const file = [...new Set([...report.chunkTable.a, ...report.chunkTable.b].map((c) => c.file))].sort()[0]!;
    assert.equal(await page.inputValue('[data-testid=chunking-file]'), file);
    const countA = report.chunkTable.a.filter((c) => c.file === file).length;
    const countB = report.chunkTable.b.filter((c) => c.file === file).length;
    assert.equal(await page.getAttribute('.lane-a', 'data-count'), String(countA));
    assert.equal(await page.getAttribute('.lane-b', 'data-count'), String(countB));
    assert.equal(await page.locator('[data-testid=chunking-text] [data-cut=a]').count(), countA);
    assert.equal(await page.locator('[data-testid=chunking-text] [data-cut=b]').count(), countB);
    const firstA = report.chunkTable.a.find((c) => c.file === file)!;
    // The text pieces between the boundary markers, joined, hold the chunk previews verbatim.
    const text = await page.$$eval('[data-testid=chunking-text] .seg', (els) => els.map((e) => e.textContent).join(''));
    assert.ok(text.startsWith(firstA.text), text.slice(0, 120));
    await screenshot(page, 'standalone-chunking');
    expectNoIncidents(incidents, 'chunking page');
    assert.deepEqual(await violations(page), []);
  });
});
