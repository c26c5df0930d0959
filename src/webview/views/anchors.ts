// Anchors tab: retrieval quality under A and B (hit@k, MRR, nDCG@10), a scatter of each anchor's
// target percentile under A against B, and the table of anchors with rank, cosine and shift.
import type { AnchorItem, AutoAnchorSummary } from '../../core/report/types';
import { drawScatter } from '../charts';
import type { AppContext, View } from '../context';
import { clear, fixed, h, int, section, signed } from '../dom';
import { VirtualTable } from '../table';
import { unjudgedHits } from './judged';

/** A shift of more than this many percentile points marks an anchor in the scatter. */
const NOTABLE_SHIFT = 10;

export function createAnchors(ctx: AppContext): View {
  const an = ctx.report.anchors;
  const k = ctx.report.neighbors.k;
  if (an.count === 0 && an.items.length === 0) {
    return { el: h('div', { class: 'view' }, section('Anchors', h('p', { class: 'muted' },
      'This report has no anchors. Add an anchors file (JSONL: {"query": "...", "expect": "docs/setup.md#L10-L40"}) to measure retrieval quality under A and B.'))) };
  }
  const row = (label: string, a: number, b: number, id: string, definition: string): HTMLElement =>
    h('tr', { 'data-metric': id },
      h('th', { scope: 'row', title: definition }, label),
      h('td', { class: 'num' }, fixed(a, 3)),
      h('td', { class: 'num' }, fixed(b, 3)),
      h('td', { class: `num ${b > a ? 'up' : b < a ? 'down' : ''}` }, signed(b - a, 3)));
  const quality = h('table', { class: 'quality', 'data-testid': 'quality' },
    h('thead', null, h('tr', null, h('th', null, ''), h('th', { class: 'num' }, `A · ${ctx.label('a')}`), h('th', { class: 'num' }, `B · ${ctx.label('b')}`), h('th', { class: 'num' }, 'Δ'))),
    h('tbody', null,
      row(`hit@${k}`, an.a.hitAtK, an.b.hitAtK, 'hit', `Share of anchors with a chunk on the expected span in the top ${k}.`),
      row(`MRR@${k}`, an.a.mrrAtK, an.b.mrrAtK, 'mrr', `Mean of 1 / rank of the first chunk on the expected span; 0 when none is in the top ${k}.`),
      row('nDCG@10', an.a.ndcg10, an.b.ndcg10, 'ndcg', 'The expected span counts once: 1 / log2(rank + 1) of its first chunk in the top 10, averaged.'),
      row(`span recall@${k}`, an.a.spanRecallAtK, an.b.spanRecallAtK, 'span-recall', `Share of the expected text held by the top ${k} chunks (in characters).`),
      row(`span precision@${k}`, an.a.spanPrecisionAtK, an.b.spanPrecisionAtK, 'span-precision', `Share of the top ${k} chunks' text that is expected text (text repeated by overlapping chunks counts each time).`),
      row(`span IoU@${k}`, an.a.spanIouAtK, an.b.spanIouAtK, 'span-iou', 'Expected text retrieved / (text retrieved + expected text missed).'),
      an.a.judgedAtK === null || an.b.judgedAtK === null ? null
        : row(`judged@${k}`, an.a.judgedAtK, an.b.judgedAtK, 'judged', `Share of the top ${k} chunks that overlap a span labelled for the query; the rest are unjudged, counted as misses though they may answer it.`)));

  const rank = (x: number | null): string => (x === null ? `>${k}` : String(x));
  const rankKey = (x: number | null): number => (x === null ? k + 1 : x);
  const table = new VirtualTable<AnchorItem>({
    label: 'Anchors',
    testId: 'anchors-table',
    rows: an.items,
    columns: [
      { id: 'query', label: 'Query', width: 'minmax(0,3fr)', sortValue: (x) => x.query, render: (x) => h('span', { class: 'ellipsis', title: x.query }, x.query) },
      { id: 'expect', label: 'Expected', width: 'minmax(0,2fr)', sortValue: (x) => x.expect, render: (x) => h('span', { class: 'ellipsis muted', title: x.expect }, x.expect) },
      { id: 'rankA', label: 'Rank A', width: '60px', numeric: true, sortValue: (x) => rankKey(x.rankA), render: (x) => rank(x.rankA) },
      { id: 'rankB', label: 'Rank B', width: '60px', numeric: true, sortValue: (x) => rankKey(x.rankB), render: (x) => rank(x.rankB) },
      { id: 'cosA', label: 'cos A', width: '58px', numeric: true, sortValue: (x) => x.cosA, render: (x) => fixed(x.cosA) },
      { id: 'cosB', label: 'cos B', width: '58px', numeric: true, sortValue: (x) => x.cosB, render: (x) => fixed(x.cosB) },
      { id: 'pctA', label: 'pct A', width: '54px', numeric: true, sortValue: (x) => x.percentileA, render: (x) => fixed(x.percentileA, 0) },
      { id: 'pctB', label: 'pct B', width: '54px', numeric: true, sortValue: (x) => x.percentileB, render: (x) => fixed(x.percentileB, 0) },
      { id: 'shift', label: 'Shift', width: '60px', numeric: true, sortValue: (x) => x.shift, render: (x) => h('span', { class: x.shift < -NOTABLE_SHIFT ? 'down' : x.shift > NOTABLE_SHIFT ? 'up' : '' }, signed(x.shift, 1)) },
      { id: 'open', label: '', width: '40px', render: (x) => h('button', { class: 'link open', type: 'button', 'aria-label': `open ${x.expect}`, onclick: () => ctx.open({ file: x.file, start: x.start, end: x.end, side: 'a' }) }, 'open') },
    ],
    sort: ctx.state.anchorSort,
    filterText: (x) => `${x.query} ${x.expect}`,
    onSelect: (x, i) => { selected = i; redraw(); clear(judged); judged.appendChild(unjudgedHits(ctx, x)); },
    onOpen: (x) => ctx.open({ file: x.file, start: x.start, end: x.end, side: 'a' }),
    onSortChange: (sort) => { ctx.state.anchorSort = sort; ctx.saveState(); },
  });
  let selected: number | undefined;
  const judged = h('div', { 'data-testid': 'anchor-judged', 'aria-live': 'polite' },
    h('p', { class: 'muted small' }, `Select an anchor to see the chunks B returns in its top ${k} that no label covers (judged@${k}), and label them.`));
  const canvas = h('div', { class: 'chart-host', 'data-testid': 'anchor-scatter' });
  let hit: ((x: number, y: number) => number) | undefined;
  canvas.addEventListener('click', (e) => {
    const i = hit?.(e.clientX, e.clientY) ?? -1;
    if (i >= 0) { table.selectRow(i, true); table.focus(); }
  });
  // Hovering names the anchor under the pointer (the same hit test as the click).
  // Pointer-only feedback (the table holds the same anchors for keyboards): not a live region.
  const hover = h('p', { class: 'muted small hover-line', 'data-testid': 'anchor-hover' }, '\u00a0');
  canvas.addEventListener('mousemove', (e) => {
    const x = an.items[hit?.(e.clientX, e.clientY) ?? -1];
    hover.textContent = x ? `${x.query} · percentile ${fixed(x.percentileA, 0)} → ${fixed(x.percentileB, 0)}` : '\u00a0';
    canvas.classList.toggle('pointing', x !== undefined);
  });
  const redraw = (): void => {
    const opts: Parameters<typeof drawScatter>[3] = { xLabel: `percentile under A`, yLabel: `percentile under B`, domain: [0, 100], offDiagonal: NOTABLE_SHIFT };
    if (selected !== undefined) opts.selected = selected;
    hit = drawScatter(canvas, an.items.map((x) => x.percentileA), an.items.map((x) => x.percentileB), opts);
  };

  const sameModel = ctx.report.configs.a.fingerprint === ctx.report.configs.b.fingerprint;
  const pairs = an.pairs.length === 0 ? null : section(`Similarity pairs (${int(an.pairs.length)})`, h('table', { class: 'simple', 'data-testid': 'pairs' },
    h('thead', null, h('tr', null, h('th', null, 'Text a'), h('th', null, 'Text b'),
      h('th', { class: 'num', title: 'Raw cosine under A: compare within one model only.' }, 'cos A'), h('th', { class: 'num', title: 'Raw cosine under B: compare within one model only.' }, 'cos B'),
      h('th', { class: 'num', title: "The pair's cosine as a percentile of A's cosines between the two texts and unrelated everyday questions." }, 'pct A'),
      h('th', { class: 'num', title: "The same under B's model: percentiles compare across models, raw cosines do not." }, 'pct B'),
      h('th', { class: 'num', title: 'pct B - pct A, in percentile points.' }, 'Shift'))),
    h('tbody', null, ...an.pairs.map((p) => h('tr', null, h('td', null, p.a), h('td', null, p.b), h('td', { class: 'num' }, fixed(p.cosA)), h('td', { class: 'num' }, fixed(p.cosB)),
      h('td', { class: 'num' }, fixed(p.percentileA, 0)), h('td', { class: 'num' }, fixed(p.percentileB, 0)),
      h('td', { class: `num ${p.shift <= -10 ? 'down' : p.shift >= 10 ? 'up' : ''}` }, signed(p.shift, 0)))))),
    h('p', { class: 'muted small' }, sameModel
      ? 'A and B embed with the same model: the pairs cannot move.'
      : 'Two models put unrelated texts at different cosines (one near 0.1, another near 0.6): compare the percentiles, not the raw cosines.'));
  const made = an.auto ? autoSummary(an.auto) : null;
  const inconclusive = an.conclusive ? null : h('p', { class: 'muted small', 'data-testid': 'not-conclusive' },
    `Not conclusive: ${int(an.count)} ${an.count === 1 ? 'anchor is' : 'anchors are'} fewer than the ${an.minimumAnchors} a verdict needs; one anchor moves hit@${k} by ${Math.round(100 / Math.max(1, an.count))} points.`);
  const malformed = an.malformed.length === 0 ? null : h('p', { class: 'muted small' },
    `Skipped ${an.malformed.length} line(s) of ${an.file ?? 'the anchors file'}: `,
    an.malformed.slice(0, 5).map((m) => `line ${m.line}: ${m.message}`).join('; '));

  const el = h('div', { class: 'view anchors' },
    h('div', { class: 'row' },
      section(`Retrieval quality on ${int(an.count)} ${an.source === 'auto' ? 'auto-' : ''}anchors`, quality,
        inconclusive, made,
        h('p', { class: 'muted small' }, 'Percentile: where the expected chunk’s cosine falls in that query’s scores over all chunks (raw cosines of two models are not on one scale).'), malformed),
      section('Target percentile, A against B', h('div', { class: 'chart' }, canvas), hover,
        h('p', { class: 'muted small' }, `Points off the diagonal by more than ${NOTABLE_SHIFT} points are marked; click one to select it.`))),
    h('div', { class: 'card table-card' },
      h('div', { class: 'toolbar' }, h('h2', null, 'Anchors'), h('span', { class: 'muted small' }, 'Enter opens the expected span'),
        h('input', { type: 'search', class: 'filter', placeholder: 'Filter queries…', 'aria-label': 'Filter anchors', oninput: (e: Event) => table.setFilter((e.target as HTMLInputElement).value) })),
      table.el, judged),
    pairs);
  return { el, onShow: redraw };
}

/** "84 made from 60 headings and 24 docstrings; left out: 40 repeated, ..." with each reason named. */
function autoSummary(auto: AutoAnchorSummary): HTMLElement {
  const made = [[auto.made.headings, 'headings'], [auto.made.docstrings, 'docstrings'], [auto.made.docComments, 'doc comments']]
    .filter(([n]) => (n as number) > 0).map(([n, what]) => `${int(n as number)} ${what as string}`);
  const reasons: Array<[number, string]> = [
    [auto.dropped.changelog, 'changelog headings'], [auto.dropped.versionOrDate, 'versions or dates'], [auto.dropped.oneWord, 'one-word headings'],
    [auto.dropped.emptySection, 'with no text of their own'], [auto.dropped.repeated, 'labelling more than one place'],
    [auto.dropped.perFileCap, `beyond ${auto.perFile} per file`], [auto.dropped.limit, `beyond ${auto.limit} in all`],
  ];
  const left = reasons.filter(([n]) => n > 0).map(([n, why]) => `${int(n)} ${why}`);
  return h('p', { class: 'muted small', 'data-testid': 'auto-anchors' },
    `Auto-anchors made from ${made.join(', ') || 'nothing'}${left.length ? `; left out: ${left.join(', ')}` : ''}. Each heading is a query for the text it heads, each docstring or doc comment for the code it documents.`);
}
