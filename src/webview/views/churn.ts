// Neighbor churn tab: the overlap@k histogram, a table of every chunk (file, range, Jaccard, RBO)
// and, for the selected chunk, its text and its neighbors under A and B.
import type { ChurnItem } from '../../core/report/types';
import { drawHistogram, theme } from '../charts';
import type { AppContext, View } from '../context';
import { clear, clipped, fixed, h, int, locLabel, pct, rangeText, rangeTitle, section, spanLabel, stat } from '../dom';
import { VirtualTable } from '../table';
import { neighborColumns, type NeighborEntry } from './neighbors';

export function createChurn(ctx: AppContext): View {
  const r = ctx.report;
  const n = r.neighbors;
  const items = n.items;
  const canvas = h('div', { class: 'chart-host', 'data-testid': 'churn-histogram' });
  const detail = h('div', { class: 'detail', 'data-testid': 'churn-detail' },
    h('p', { class: 'muted' }, 'Select a chunk (click, or arrow keys in the table) to see its neighbors under A and B.'));
  // One short line is announced when the selection changes, not the whole detail pane.
  const announce = h('p', { class: 'sr-only', role: 'status', 'data-testid': 'churn-announce' });

  const showDetail = (item: ChurnItem, index: number): void => {
    ctx.state.churnSelected = index;
    ctx.saveState();
    renderDetail(ctx, detail, item);
    const kept = item.keptA.filter(Boolean).length;
    announce.textContent = `${spanLabel(item.file, item.start, item.end, linesOf(item))}: Jaccard ${fixed(item.jaccard)}, ${kept} of ${item.neighborsA.length} neighbors kept under B.`;
  };
  const linesOf = (item: ChurnItem) => ctx.chunk('a', item.chunk)?.lines;

  const table = new VirtualTable<ChurnItem>({
    label: 'Chunks by neighbor churn',
    testId: 'churn-table',
    rows: items,
    columns: [
      { id: 'file', label: 'File', width: 'minmax(0,3fr)', sortValue: (x) => x.file, render: (x) => clipped(x.file) },
      // Lines, as anchors name spans; the characters on hover.
      { id: 'range', label: 'Lines', width: 'minmax(0,1.2fr)', sortValue: (x) => x.start, numeric: true, title: 'Lines of the chunk in its file (hover a row for its characters)',
        render: (x) => h('span', { class: 'ellipsis', title: rangeTitle(x.start, x.end, linesOf(x)) }, rangeText(x.start, x.end, linesOf(x))) },
      { id: 'jaccard', label: `Jaccard@${n.k}`, width: '104px', numeric: true, sortValue: (x) => x.jaccard, render: (x) => bar(x.jaccard) },
      { id: 'overlap', label: 'Overlap', width: '64px', numeric: true, sortValue: (x) => x.overlap, render: (x) => fixed(x.overlap) },
      { id: 'rbo', label: 'RBO', width: '56px', numeric: true, sortValue: (x) => x.rbo, render: (x) => fixed(x.rbo) },
    ],
    sort: ctx.state.churnSort,
    filterText: (x) => `${x.file} ${ctx.chunk('a', x.chunk)?.text ?? ''}`,
    onSelect: (item, index) => showDetail(item, index),
    onOpen: (item) => ctx.open({ file: item.file, start: item.start, end: item.end, side: 'a' }),
    onSortChange: (sort) => { ctx.state.churnSort = sort; ctx.saveState(); },
  });
  const filter = h('input', {
    type: 'search', class: 'filter', placeholder: 'Filter by file or text…', 'aria-label': 'Filter chunks', value: ctx.state.churnFilter,
    'data-testid': 'churn-filter',
    oninput: (e: Event) => { const v = (e.target as HTMLInputElement).value; ctx.state.churnFilter = v; ctx.saveState(); table.setFilter(v); },
  });
  if (ctx.state.churnFilter) table.setFilter(ctx.state.churnFilter);
  const selected = ctx.state.churnSelected;
  if (selected !== null && items[selected]) {
    table.selectRow(selected);
    renderDetail(ctx, detail, items[selected]!);
  } else {
    // Nothing chosen yet: open on the first row (the most churned chunk under the default sort).
    table.selectFirst();
  }

  const stats = h('div', { class: 'stats' },
    stat('churned share', pct(n.churnedShare), n.churnedShare === null ? `not measured: ${ctx.report.notMeasured?.['neighbors.churnedShare'] ?? 'too few chunks'}` : `overlap@${n.k} below ${fixed(n.churnThreshold)}`, 'stat-churned'),
    stat(`mean Jaccard@${n.k}`, fixed(n.meanJaccard), `median ${fixed(n.medianJaccard)}`, 'stat-mean-jaccard'),
    stat('mean RBO', fixed(n.meanRbo), 'rank-biased overlap, p = 0.9', 'stat-rbo'),
    stat(`mean overlap@${n.k}`, fixed(n.meanOverlap), undefined, 'stat-overlap'),
    n.documents ? stat('documents', fixed(n.documents.meanJaccard), `mean Jaccard over ${int(n.documents.files)} files`) : null);
  const notes = h('p', { class: 'muted small' },
    n.comparison === 'aligned' ? 'A and B chunk differently: neighbors are compared through the B chunk that overlaps each A chunk most. ' : '',
    n.recallAtK ? `${n.method === 'database' ? 'Database search' : 'HNSW'} recall@${n.k} against exact search: A ${fixed(n.recallAtK.a)}, B ${fixed(n.recallAtK.b)}. ` : '',
    n.sampled ? `Per-chunk metrics on a uniform sample of ${int(n.sampled.size)} of ${int(n.sampled.total)} chunks.` : '');

  const el = h('div', { class: 'view churn' },
    h('div', { class: 'row' },
      section(`Neighbor churn (k = ${n.k})`, stats, notes),
      section(`overlap@${n.k} per chunk`, h('div', { class: 'chart' }, canvas))),
    h('div', { class: 'split' },
      h('div', { class: 'card table-card' }, h('div', { class: 'toolbar' }, h('h2', null, 'Chunks'), filter), table.el),
      h('div', { class: 'card' }, detail, announce)));
  return {
    el,
    onShow: () => drawHistogram(canvas, [{ hist: n.histogram, label: 'chunks', color: theme().a }], {
      xLabel: `overlap@${n.k}: share of A's neighbors kept under B`, yLabel: 'chunks', height: 190,
    }),
  };
}

function bar(v: number): HTMLElement {
  const fill = h('span', { class: 'bar-fill' });
  fill.style.width = `${Math.round(Math.max(0, Math.min(1, v)) * 100)}%`;
  return h('span', { class: 'bar-cell' }, h('span', { class: 'bar' }, fill), h('span', { class: 'bar-num' }, fixed(v)));
}

/** Says when a side's model knows no token of this chunk: its neighbors there are arbitrary. */
function zeroVectorNote(ctx: AppContext, underA: boolean, underB: boolean): HTMLElement[] {
  const sides = [underA ? ctx.label('a') : '', underB ? ctx.label('b') : ''].filter((s) => s !== '');
  if (sides.length === 0) return [];
  return [h('p', { class: 'note', 'data-testid': 'zero-vector-note' },
    `Zero vector under ${sides.join(' and ')}: the model knows none of this chunk's tokens, so it matches nothing and its neighbors there are arbitrary.`)];
}

function renderDetail(ctx: AppContext, el: HTMLElement, item: ChurnItem): void {
  clear(el);
  const self = ctx.chunk('a', item.chunk);
  const entries = (side: 'a' | 'b'): NeighborEntry[] => {
    const ids = side === 'a' ? item.neighborsA : item.neighborsB;
    const scores = side === 'a' ? item.scoresA : item.scoresB;
    const kept = side === 'a' ? item.keptA : item.keptB;
    return ids.map((chunk, i) => {
      const c = ctx.chunk(side, chunk);
      const e: NeighborEntry = {
        side, chunk, file: c?.file ?? '?', start: c?.start ?? 0, end: c?.end ?? 0, score: scores[i] ?? NaN,
        fate: kept[i] ? 'kept' : side === 'a' ? 'lost' : 'gained',
      };
      if (c) e.text = c.text;
      if (c?.lines) e.lines = c.lines;
      return e;
    });
  };
  el.append(
    h('div', { class: 'detail-head' },
      locLabel('h2', item.file, item.start, item.end, self?.lines),
      h('button', { type: 'button', class: 'button', 'data-testid': 'open-selected', onclick: () => ctx.open({ file: item.file, start: item.start, end: item.end, side: 'a' }) }, 'Open')),
    h('p', { class: 'metrics-line' },
      `Jaccard@${ctx.report.neighbors.k} `, h('strong', { 'data-testid': 'detail-jaccard' }, fixed(item.jaccard)),
      ' · overlap ', h('strong', null, fixed(item.overlap)),
      ' · RBO ', h('strong', null, fixed(item.rbo))),
    ...zeroVectorNote(ctx, self?.zeroVector === true, ctx.chunk('b', item.counterpart)?.zeroVector === true),
    h('pre', { class: 'chunk-text', 'data-testid': 'detail-text', tabindex: 0, 'aria-label': 'Text of the selected chunk' }, self?.text ?? ''),
    neighborColumns(ctx, entries('a'), entries('b'), `under ${ctx.label('a')}`, `under ${ctx.label('b')}`));
}
