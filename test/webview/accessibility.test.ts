// Accessibility of every tab, in the standalone report.html and in the panel, in light, dark and
// high-contrast themes: the axe-core engine (npm) run inside real Chromium through the devtools
// protocol (a script tag would be refused by the page's CSP, as it should be). Zero serious or
// critical violations is the bar.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { defaultConfig } from '../../src/core/config';
import { compare } from '../../src/core/pipeline/compare';
import type { Report } from '../../src/core/report/types';
import { readmeCorpus, launch, openPanel, openStandalone, selectTab, sendReport, type PanelTheme } from './support';

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface Finding { id: string; impact: string; help: string; nodes: string[] }

/** Runs axe on the page as it is; returns the serious and critical violations, each with a few of its nodes. */
async function axe(page: Page): Promise<Finding[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const loaded = await cdp.send('Runtime.evaluate', { expression: `${AXE};typeof axe`, returnByValue: true });
    assert.equal(loaded.result.value, 'object', 'axe-core loaded');
    const run = await cdp.send('Runtime.evaluate', {
      awaitPromise: true, returnByValue: true,
      expression: `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 4).map((n) => n.target.join(' ') + ' :: ' + (n.failureSummary || '').split('\\n').slice(1, 2).join('')) })))`,
    });
    if (run.exceptionDetails) throw new Error(`axe failed: ${JSON.stringify(run.exceptionDetails).slice(0, 500)}`);
    return run.result.value as Finding[];
  } finally {
    await cdp.detach();
  }
}

function describeFindings(where: string, findings: Finding[]): string {
  return findings.map((f) => `${where}: ${f.id} (${f.impact}) ${f.help}\n    ${f.nodes.join('\n    ')}`).join('\n');
}

/** Every tab of the page, each checked after it is shown (charts drawn, first row selected). */
async function checkTabs(page: Page, where: string): Promise<string[]> {
  const problems: string[] = [];
  const tabs = await page.$$eval('[role=tab]', (els) => els.map((e) => e.getAttribute('data-tab')!));
  assert.ok(tabs.length >= 6, `${where}: tabs ${tabs.join(', ')}`);
  for (const tab of tabs) {
    await selectTab(page, tab);
    // Charts and the chunking text arrive a moment after the tab shows.
    await page.waitForTimeout(150);
    const findings = await axe(page);
    if (findings.length) problems.push(describeFindings(`${where} ${tab}`, findings));
  }
  return problems;
}

describe('accessibility: axe-core on every tab, three themes, both hosts', function () {
  let browser: Browser;
  let dir: string;
  let report: Report;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-webview-a11y-'));
    const corpus = readmeCorpus(dir);
    // Golden queries, plain queries and a similarity pair: every section of the anchors tab.
    fs.writeFileSync(path.join(corpus, 'anchors.jsonl'), [
      '{"query": "match a glob pattern against a path", "expect": "picomatch.md"}',
      '{"query": "ignore files listed in .gitignore", "expect": "ignore.md"}',
      '{"query": "parse JSON with comments"}',
      '{"a": "glob", "b": "wildcard pattern"}',
    ].join('\n'));
    const config = defaultConfig(corpus);
    config.anchors = path.join(corpus, 'anchors.jsonl');
    config.a.tokenizer = { kind: 'bert-base-uncased' };
    config.b.tokenizer = { kind: 'tiktoken', name: 'o200k_base' };
    // Every card of the Decisions tab: the noise floor table, B's vectors setting, the depth curve.
    config.noiseFloor = true;
    config.b.vectors = { quantize: 'int8' };
    const session = await compare(config, { cacheDir: path.join(dir, 'cache'), allowNetwork: false, workers: 1 });
    report = session.report;
    await session.dispose();
    assert.ok(report.noiseFloor && report.configs.b.vectors && report.migrationDepth, 'the report holds every Decisions card');
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ranges read as lines with the characters on hover, and nothing is clipped without a tooltip (narrow window)', async () => {
    const { page, context } = await openStandalone(browser, report, 'a11y-narrow', { width: 640, height: 900 });
    try {
      await selectTab(page, 'churn');
      const cells = await page.$$eval('[data-testid=churn-table] .vt-row', (rows) => rows.slice(0, 12).map((r) => {
        const cell = r.children[1]!.firstElementChild as HTMLElement;
        return { row: Number(r.getAttribute('data-row')), text: cell.textContent, title: cell.title };
      }));
      assert.ok(cells.length >= 5);
      for (const c of cells) {
        const item = report.neighbors.items[c.row]!;
        const [first, last] = report.chunkTable.a[item.chunk]!.lines!;
        const lines = first === last ? `L${first}` : `L${first}–L${last}`;
        assert.equal(c.text, lines);
        assert.equal(c.title, `${first === last ? `line ${first}` : `lines ${first}–${last}`}, characters ${item.start}–${item.end}`);
      }
      const clippedWithoutTitle: string[] = [];
      for (const tab of await page.$$eval('[role=tab]', (els) => els.map((e) => e.getAttribute('data-tab')!))) {
        await selectTab(page, tab);
        await page.waitForTimeout(150);
        clippedWithoutTitle.push(...(await page.$$eval('body *', (els, t) => els
          .filter((el) => {
            const style = getComputedStyle(el);
            if (style.overflowX !== 'hidden' && style.overflowX !== 'clip' && style.textOverflow !== 'ellipsis') return false;
            if (el.closest('.uplot, .sr-only, .vt-viewport > .vt-spacer') || !(el as HTMLElement).offsetParent) return false;
            if (!(el.textContent ?? '').trim() || el.scrollWidth <= el.clientWidth + 1) return false;
            return !el.closest('[title]');
          })
          .map((el) => `${t}: <${el.tagName.toLowerCase()} class="${el.className}"> ${(el.textContent ?? '').slice(0, 60)}`), tab)));
      }
      assert.deepEqual(clippedWithoutTitle, []);
    } finally {
      await context.close();
    }
  });

  it('tabs wrap in a narrow window (none hidden), and each tab keeps its own scroll position', async () => {
    const { page, context } = await openStandalone(browser, report, 'a11y-tabs', { width: 420, height: 500 });
    try {
      const hidden = await page.$$eval('[role=tab]', (tabs) => tabs.filter((t) => {
        const r = t.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return r.left < 0 || r.right > window.innerWidth || !(hit === t || t.contains(hit));
      }).map((t) => t.textContent));
      assert.deepEqual(hidden, [], 'tabs cut off or covered');
      assert.ok(await page.$eval('.tabs', (el) => el.getBoundingClientRect().height > 40), 'the tab bar wrapped onto a second line');
      await selectTab(page, 'churn');
      await page.evaluate(() => window.scrollTo(0, 300));
      const churnY = await page.evaluate(() => window.scrollY);
      assert.ok(churnY > 100, `the churn tab scrolls (${churnY})`);
      await selectTab(page, 'overview');
      assert.equal(await page.evaluate(() => window.scrollY), 0, 'the overview opens at its own (top) position');
      await page.evaluate(() => window.scrollTo(0, 120));
      await selectTab(page, 'churn');
      assert.equal(await page.evaluate(() => window.scrollY), churnY, 'back on churn: where it was left');
      await selectTab(page, 'overview');
      assert.equal(await page.evaluate(() => window.scrollY), 120);
    } finally {
      await context.close();
    }
  });

  it('the grid keeps the focus and names the selected row (aria-activedescendant); a short status line, not the detail pane, is announced', async () => {
    const { page, context } = await openStandalone(browser, report, 'a11y-grid');
    try {
      await selectTab(page, 'churn');
      await page.focus('[data-testid=churn-table] [role=grid]');
      for (const key of ['Home', 'ArrowDown', 'ArrowDown']) await page.keyboard.press(key);
      const state = await page.evaluate(() => {
        const grid = document.querySelector('[data-testid=churn-table] [role=grid]')!;
        const selected = grid.querySelector('.vt-row[aria-selected=true]')!;
        return {
          focused: document.activeElement === grid, active: grid.getAttribute('aria-activedescendant'), selectedId: selected.id,
          rowIndex: selected.getAttribute('aria-rowindex'), row: Number(selected.getAttribute('data-row')),
          headerInGrid: grid.querySelector('[role=row][aria-rowindex="1"] [role=columnheader]') !== null,
          liveRegions: [...document.querySelectorAll('#panel-churn [aria-live], #panel-churn [role=status]')].map((e) => (e.textContent ?? '').length),
          status: document.querySelector('[data-testid=churn-announce]')!.textContent,
        };
      });
      assert.ok(state.focused, 'the grid has the focus');
      assert.equal(state.active, state.selectedId);
      assert.equal(state.rowIndex, '4', 'third data row: aria-rowindex 4 after the header row');
      assert.ok(state.headerInGrid, 'the header row belongs to the grid');
      const item = report.neighbors.items[state.row]!;
      const lines = report.chunkTable.a[item.chunk]!.lines!;
      assert.equal(state.status, `${item.file}#L${lines[0]}-L${lines[1]}: Jaccard ${item.jaccard.toFixed(2)}, ${item.keptA.filter(Boolean).length} of ${item.neighborsA.length} neighbors kept under B.`);
      assert.ok(state.liveRegions.every((n) => n < 300), `live regions stay short: ${state.liveRegions.join(', ')}`);
      // Verdicts: tone as a word for screen readers, links named by their tab.
      await selectTab(page, 'overview');
      const verdict = await page.$eval('[data-testid=verdicts] .verdict', (li) => ({
        label: li.querySelector('.sr-only')?.textContent, button: li.querySelector('button')?.getAttribute('aria-label'),
      }));
      assert.match(verdict.label ?? '', /^(Good|Watch|Problem|Note): $/);
      assert.match(verdict.button ?? '', /^Open the .+ tab$/);
    } finally {
      await context.close();
    }
  });

  for (const scheme of ['light', 'dark', 'forced-colors'] as const) {
    it(`report.html, ${scheme}: no serious or critical violation on any tab`, async () => {
      const { page, context } = await openStandalone(browser, report, `a11y-${scheme}`, { width: 1360, height: 900 }, scheme);
      try {
        const problems = await checkTabs(page, `report.html ${scheme}`);
        assert.equal(problems.length, 0, `\n${problems.join("\n")}`);
      } finally {
        await context.close();
      }
    });
  }

  for (const theme of ['light', 'dark', 'high-contrast'] as PanelTheme[]) {
    it(`panel, ${theme} theme: no serious or critical violation on any tab`, async () => {
      const { page, context } = await openPanel(browser, report, {}, {}, theme);
      try {
        await sendReport(page, report);
        const problems = await checkTabs(page, `panel ${theme}`);
        assert.equal(problems.length, 0, `\n${problems.join("\n")}`);
      } finally {
        await context.close();
      }
    });
  }
});
