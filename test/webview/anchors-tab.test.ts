// The anchors tab in Chromium: for the selected anchor, its expected text and the top k of A and B
// side by side with the expected text marked in every hit; "open" previews start at the expected
// text; the scatter colors each anchor by the way it moved, with a legend; under one model it is in
// cosine, so a cosine drop the percentile hides still shows; a golden set below the minimum says
// it is not conclusive; pairs are compared by percentile.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Report } from '../../src/core/report/types';
import { makeFixtureReport } from '../fixtures/make-report';
import { openStandalone, screenshot, selectTab, sharedPage } from './support';

/** Row index (in report.anchors.items) of the selected row of the anchors table. */
async function selectedRow(page: Page): Promise<number> {
  return Number(await page.getAttribute('[data-testid=anchors-table] .vt-row[aria-selected=true]', 'data-row'));
}

describe('anchors tab (standalone, two models)', function () {
  const report: Report = makeFixtureReport({ chunks: 120, differentChunking: true, previewChars: 400 });
  const session = sharedPage('anchors tab', (b) => openStandalone(b, report, 'anchors-tab'));

  it('shows the selected anchor\'s top k under A and B side by side, the expected text marked in each hit on it', async () => {
    const { page } = session;
    await selectTab(page, 'anchors');
    // Pick an anchor that A finds: click its row.
    const i = report.anchors.items.findIndex((x) => x.rankA !== null && x.rankB !== null);
    const x = report.anchors.items[i]!;
    await page.fill('[aria-label="Filter anchors"]', x.query);
    await page.click(`[data-testid=anchors-table] .vt-row[data-row="${i}"]`);
    assert.equal(await selectedRow(page), i);
    assert.equal(await page.innerText('[data-testid=anchor-query]'), x.query);
    // The expected text as the report keeps it, with an ellipsis when the span is longer.
    assert.equal(await page.$eval('[data-testid=expected-text]', (e) => e.textContent), x.expectText + (x.expectText.length < x.end - x.start ? ' …' : ''));
    for (const [side, list] of [['a', x.retrievedA], ['b', x.retrievedB]] as const) {
      const shown = await page.$$eval(`[data-testid=hits-${side}] .hit`, (els) => els.map((e) => ({ chunk: Number(e.getAttribute('data-chunk')), on: e.getAttribute('data-on-span') === 'true', marked: e.querySelector('mark.span')?.textContent ?? null })));
      assert.deepEqual(shown.map((s) => s.chunk), list, `side ${side}: the report's top k, in order`);
      shown.forEach((s) => {
        const c = report.chunkTable[side][s.chunk]!;
        const on = c.file === x.file && c.start < x.end && x.start < c.end;
        assert.equal(s.on, on);
        if (!on) { assert.equal(s.marked, null); return; }
        // The marked text is exactly the chunk's characters inside the expected span (within the preview).
        const from = Math.max(x.start, c.start) - c.start;
        const to = Math.min(x.end, c.end) - c.start;
        if (from < c.text.length) assert.equal(s.marked, c.text.slice(from, to));
        else assert.ok(s.marked && x.expectText.includes(s.marked));
      });
      // The rank in the table is where the first hit on the span sits in that list.
      const rank = side === 'a' ? x.rankA : x.rankB;
      assert.equal(shown.findIndex((s) => s.on) + 1, rank);
    }
    await page.locator('[data-testid=anchor-detail]').scrollIntoViewIfNeeded();
    await screenshot(page, 'anchors-detail');
  });

  it('"open" on an anchor previews its expected text from its first character', async () => {
    const { page } = session;
    const i = await selectedRow(page);
    const x = report.anchors.items[i]!;
    await page.click('[data-testid=open-expected]');
    assert.match(await page.innerText('[data-testid=peek-location]'), new RegExp(`^${x.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.equal(await page.$eval('[data-testid=peek-text]', (e) => e.textContent), x.expectText);
    await page.keyboard.press('Escape');
  });

  it('colors each scatter point by the way it moved, color-blind-safe, with a legend that counts them', async () => {
    const { page } = session;
    const legend = await page.$$eval('[data-testid=anchor-scatter] .u-legend .u-series', (els) => els.map((e) => (e as HTMLElement).innerText.trim()).filter((t) => t));
    const items = report.anchors.items;
    const better = items.filter((x) => x.shift > 10).length;
    const worse = items.filter((x) => x.shift < -10).length;
    assert.deepEqual(legend, [`better under B (up more than 10 points) (${better})`, `worse under B (down more than 10 points) (${worse})`, `unchanged (${items.length - better - worse})`]);
    assert.ok(better > 0 && worse > 0);
    // Okabe-Ito blue and vermillion (light theme): distinct for every common color vision deficiency.
    const colors = await page.$eval('[data-testid=anchor-scatter]', (el) => (el as unknown as { uplot: { series: Array<{ stroke?: () => string }> } }).uplot.series.slice(1, 3).map((s) => String(s.stroke?.())));
    assert.deepEqual(colors, ['#0072b2', '#d55e00']);
  });

  it('pairs show raw cosines and the percentiles that compare across models', async () => {
    const { page } = session;
    const rows = await page.$$eval('[data-testid=pairs] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    const p = report.anchors.pairs[0]!;
    assert.deepEqual(rows[0], [p.a, p.b, p.cosA.toFixed(2), p.cosB.toFixed(2), p.percentileA.toFixed(0), p.percentileB.toFixed(0), String(p.shift)]);
  });
});

describe('anchors tab (standalone, one model, few anchors)', function () {
  const report: Report = makeFixtureReport({ chunks: 60, anchors: 6 });
  report.configs.b.fingerprint = report.configs.a.fingerprint;
  report.anchors.conclusive = false;
  // A cosine drop the percentile hides: every chunk lost similarity alike.
  const dropped = report.anchors.items[0]!;
  dropped.cosA = 0.8; dropped.cosB = 0.62; dropped.percentileA = 99; dropped.percentileB = 99; dropped.shift = 0;
  const session = sharedPage('anchors tab, one model', (b) => openStandalone(b, report, 'anchors-tab-one-model'));

  it('plots cosines, not percentiles, and counts a cosine drop as worse even when the percentile stays', async () => {
    const { page } = session;
    await selectTab(page, 'anchors');
    const label = await page.getAttribute('[data-testid=anchor-scatter]', 'aria-label');
    assert.match(label!, /^cosine under A against cosine under B: 6 points; /);
    const data = await page.$eval('[data-testid=anchor-scatter]', (el) => (el as unknown as { uplot: { data: Array<ArrayLike<number | null>> } }).uplot.data.map((s) => Array.from(s)));
    // The dropped anchor sits in the "worse" series (index 2) at its cosines.
    const at = data[0]!.findIndex((x, i) => x === 0.8 && data[2]![i] === 0.62);
    assert.ok(at >= 0, 'the cosine drop is a worse point');
    const shift = await page.$$eval('[data-testid=anchors-table] .vt-header [role=columnheader]', (els) => els.map((e) => e.textContent));
    assert.ok(shift.some((t) => t?.startsWith('Δcos')), shift.join(','));
  });

  it('says the golden set is not conclusive below the minimum', async () => {
    const { page } = session;
    assert.equal(await page.innerText('[data-testid=not-conclusive]'), 'Not conclusive: 6 anchors are fewer than the 20 a verdict needs; one anchor moves hit@10 by 17 points.');
    await selectTab(page, 'overview');
    assert.equal(await page.getAttribute('[data-verdict=anchors]', 'class'), 'verdict tone-info');
  });
});
