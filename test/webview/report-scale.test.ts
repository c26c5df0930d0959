// A 50,000-chunk report: the first view renders (time printed, not asserted), the churn table
// stays virtualized (a screenful of rows in the DOM), and sorting and End reach the right rows.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { makeFixtureReport } from '../fixtures/make-report';
import { expectNoIncidents, launch, openStandalone, selectTab } from './support';

describe('50,000-row report in Chromium', function () {
  let browser: Browser;
  after(async () => browser?.close());

  it('renders its first view and a virtualized churn table', async () => {
    const report = makeFixtureReport({ chunks: 50_000, previewChars: 120, anchors: 200, terms: 2000 });
    browser = await launch();
    const t0 = Date.now();
    const { page, incidents, file } = await openStandalone(browser, report, 'scale-50k');
    const firstView = Date.now() - t0;
    await page.waitForSelector('[data-verdict=churn]');
    const t1 = Date.now();
    await selectTab(page, 'churn');
    await page.waitForSelector('[data-testid=churn-table] .vt-row');
    const churnView = Date.now() - t1;
    console.log(`      50,000 chunks, report.html ${(fs.statSync(file).size / 1e6).toFixed(1)} MB: first view ${firstView} ms, churn tab ${churnView} ms`);

    assert.equal(await page.innerText('[data-testid=churn-table] .vt-count'), '50,000 rows');
    const rendered = await page.locator('[data-testid=churn-table] .vt-row').count();
    assert.ok(rendered > 5 && rendered < 60, `${rendered} rows in the DOM`);
    await page.click('[data-testid=churn-table] [data-column=rbo]');
    const maxRbo = report.neighbors.items.reduce((m, x) => Math.max(m, x.rbo), -1);
    assert.equal(await page.innerText('[data-testid=churn-table] .vt-row:nth-child(1) .vt-cell:nth-child(5)'), maxRbo.toFixed(2));
    await page.focus('[data-testid=churn-table] .vt-viewport');
    await page.keyboard.press('Home');
    await page.keyboard.press('End');
    const minRbo = report.neighbors.items.reduce((m, x) => Math.min(m, x.rbo), 2);
    assert.equal(await page.innerText('[data-testid=churn-table] .vt-row[aria-selected=true] .vt-cell:nth-child(5)'), minRbo.toFixed(2));
    assert.ok((await page.locator('[data-testid=churn-table] .vt-row').count()) < 60);
    await selectTab(page, 'maps');
    expectNoIncidents(incidents, '50k report');
  });
});
