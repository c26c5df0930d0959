// Anchors tab: golden-set quality under A and B (hit@k, MRR@k, nDCG@10, span recall, precision and
// IoU), a scatter of each anchor under A against B colored by the way it moved, the table of
// anchors, and for the selected anchor its expected text, the top k of A and B side by side with
// the expected text marked in every hit, and B's unjudged hits (judged@k) to label. Under two
// models the scatter and the shift are in percentiles (raw cosines of two models are not on one
// scale); under one model in cosine, so a cosine drop shows even when the percentile hides it.
import { anchorMove, ANCHOR_MOVE_COSINE, ANCHOR_MOVE_POINTS, type AnchorMove } from '../../core/report/judgement';
import type { AnchorItem, AutoAnchorSummary, ChunkRecord } from '../../core/report/types';
import type { Side } from '../../shared/protocol';
import { drawScatter, theme } from '../charts';
import type { AppContext, View } from '../context';
import { clear, fixed, h, int, pct, section, signed, spanLabel } from '../dom';
import { VirtualTable } from '../table';
import { unjudgedHits } from './judged';

const MOVES: AnchorMove[] = ['better', 'worse', 'unchanged'];

export function createAnchors(ctx: AppContext): View {
  const r = ctx.report;
  const an = r.anchors;
  const k = r.neighbors.k;
  if (an.count === 0 && an.items.length === 0) {
    return { el: h('div', { class: 'view' }, section('Anchors', h('p', { class: 'muted' },
      'This report has no anchors. Add an anchors file (JSONL: {"query": "...", "expect": "docs/setup.md#L10-L40"}) to measure retrieval quality under A and B.'))) };
  }
  // One model on both sides: raw cosines are on one scale, and a cosine drop is the honest measure.
  const sameModel = r.configs.a.fingerprint === r.configs.b.fingerprint;
  const moveOf = (x: AnchorItem): AnchorMove => anchorMove(x, sameModel);
  const shiftOf = (x: AnchorItem): number => (sameModel ? x.cosB - x.cosA : x.shift);
  const shiftText = (x: AnchorItem): string => (sameModel ? signed(x.cosB - x.cosA, 3) : signed(x.shift, 1));

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
  const detail = h('div', { class: 'detail anchor-detail', 'data-testid': 'anchor-detail', 'aria-live': 'polite' },
    h('p', { class: 'muted' }, `Select an anchor to see its expected text and the top ${k} under A and B side by side.`));
  const judged = h('div', { 'data-testid': 'anchor-judged', 'aria-live': 'polite' },
    h('p', { class: 'muted small' }, `Select an anchor to see the chunks B returns in its top ${k} that no label covers (judged@${k}), and label them.`));
  let selected: number | undefined;
  const open = (x: AnchorItem): void => ctx.open({ file: x.file, start: x.start, end: x.end, side: 'a', excerpt: x.expectText });
  const table = new VirtualTable<AnchorItem>({
    label: 'Anchors',
    testId: 'anchors-table',
    rows: an.items,
    columns: [
      { id: 'query', label: 'Query', width: 'minmax(0,3fr)', sortValue: (x) => x.query, render: (x) => h('span', { class: 'ellipsis', title: x.query }, x.query) },
      { id: 'expect', label: 'Expected', width: 'minmax(0,2fr)', sortValue: (x) => x.expect, render: (x) => h('span', { class: 'ellipsis', title: x.expect }, x.expect) },
      { id: 'rankA', label: 'Rank A', width: '60px', numeric: true, sortValue: (x) => rankKey(x.rankA), render: (x) => rank(x.rankA), title: `Rank of the first chunk on the expected span in A's top ${k}` },
      { id: 'rankB', label: 'Rank B', width: '60px', numeric: true, sortValue: (x) => rankKey(x.rankB), render: (x) => rank(x.rankB), title: `Rank of the first chunk on the expected span in B's top ${k}` },
      { id: 'recallA', label: 'Held A', width: '60px', numeric: true, sortValue: (x) => x.spanRecallA, render: (x) => pct(x.spanRecallA), title: `Share of the expected text in A's top ${k} (span recall)` },
      { id: 'recallB', label: 'Held B', width: '60px', numeric: true, sortValue: (x) => x.spanRecallB, render: (x) => pct(x.spanRecallB), title: `Share of the expected text in B's top ${k} (span recall)` },
      {
        id: 'shift', label: sameModel ? 'Δcos' : 'Shift', width: '64px', numeric: true, sortValue: shiftOf,
        title: sameModel ? 'cos B - cos A: one model on both sides, so cosines compare' : 'pct B - pct A, in percentile points (raw cosines of two models do not compare)',
        render: (x) => h('span', { class: moveOf(x) === 'unchanged' ? '' : `move-${moveOf(x)}` }, shiftText(x)),
      },
    ],
    sort: ctx.state.anchorSort,
    filterText: (x) => `${x.query} ${x.expect}`,
    onSelect: (x, i) => { selected = i; renderDetail(ctx, detail, x, k); clear(judged); judged.appendChild(unjudgedHits(ctx, x)); if (hit) redraw(); },
    onOpen: open,
    onSortChange: (sort) => { ctx.state.anchorSort = sort; ctx.saveState(); },
  });

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
    hover.textContent = !x ? '\u00a0' : sameModel ? `${x.query} · cosine ${fixed(x.cosA)} → ${fixed(x.cosB)}` : `${x.query} · percentile ${fixed(x.percentileA, 0)} → ${fixed(x.percentileB, 0)}`;
    canvas.classList.toggle('pointing', x !== undefined);
  });
  const values = (side: 'A' | 'B'): number[] => an.items.map((x) => (sameModel ? x[`cos${side}`] : x[`percentile${side}`]));
  const cosDomain = (): [number, number] => {
    const all = [...values('A'), ...values('B')];
    return [Math.min(0, Math.floor(Math.min(...all) * 10) / 10), 1];
  };
  const redraw = (): void => {
    const t = theme();
    const colors: Record<AnchorMove, string> = { better: t.better, worse: t.worse, unchanged: t.muted };
    const opts: Parameters<typeof drawScatter>[3] = {
      xLabel: sameModel ? 'cosine under A' : 'percentile under A', yLabel: sameModel ? 'cosine under B' : 'percentile under B',
      domain: sameModel ? cosDomain() : [0, 100],
      categories: MOVES.map((m) => ({ label: moveLabel(m, sameModel), color: colors[m], size: m === 'unchanged' ? 6 : 8 })),
      categoryOf: (i) => MOVES.indexOf(moveOf(an.items[i]!)),
    };
    if (selected !== undefined) opts.selected = selected;
    hit = drawScatter(canvas, values('A'), values('B'), opts);
  };

  const pairs = an.pairs.length === 0 ? null : section(`Similarity pairs (${int(an.pairs.length)})`, h('table', { class: 'simple', 'data-testid': 'pairs' },
    h('thead', null, h('tr', null, h('th', null, 'Text a'), h('th', null, 'Text b'),
      h('th', { class: 'num', title: 'Raw cosine under A: compare within one model only.' }, 'cos A'), h('th', { class: 'num', title: 'Raw cosine under B: compare within one model only.' }, 'cos B'),
      h('th', { class: 'num', title: "The pair's cosine as a percentile of A's cosines between the two texts and unrelated everyday questions." }, 'pct A'),
      h('th', { class: 'num', title: "The same under B's model: percentiles compare across models, raw cosines do not." }, 'pct B'),
      h('th', { class: 'num', title: 'pct B - pct A, in percentile points.' }, 'Shift'))),
    h('tbody', null, ...an.pairs.map((p) => h('tr', null, h('td', null, p.a), h('td', null, p.b), h('td', { class: 'num' }, fixed(p.cosA)), h('td', { class: 'num' }, fixed(p.cosB)),
      h('td', { class: 'num' }, fixed(p.percentileA, 0)), h('td', { class: 'num' }, fixed(p.percentileB, 0)),
      h('td', { class: `num ${p.shift <= -ANCHOR_MOVE_POINTS ? 'move-worse' : p.shift >= ANCHOR_MOVE_POINTS ? 'move-better' : ''}` }, signed(p.shift, 0)))))),
    h('p', { class: 'muted small' }, sameModel
      ? 'A and B embed with the same model: the pairs cannot move.'
      : 'Two models put unrelated texts at different cosines (one near 0.1, another near 0.6): compare the percentiles, not the raw cosines.'));
  const made = an.auto ? autoSummary(an.auto) : null;
  const inconclusive = an.conclusive ? null : h('p', { class: 'note', 'data-testid': 'not-conclusive' },
    `Not conclusive: ${int(an.count)} ${an.count === 1 ? 'anchor is' : 'anchors are'} fewer than the ${an.minimumAnchors} a verdict needs; one anchor moves hit@${k} by ${Math.round(100 / Math.max(1, an.count))} points.`);
  const malformed = an.malformed.length === 0 ? null : h('p', { class: 'muted small' },
    `Skipped ${an.malformed.length} line(s) of ${an.file ?? 'the anchors file'}: `,
    an.malformed.slice(0, 5).map((m) => `line ${m.line}: ${m.message}`).join('; '));
  const scaleNote = sameModel
    ? `One model on both sides: cosines compare, so points are cosines, and an anchor moved when its cosine changed by more than ${ANCHOR_MOVE_COSINE}.`
    : `Two models: raw cosines are not on one scale, so points are percentiles (where the expected chunk's cosine falls among that query's scores over all chunks); an anchor moved when it shifted by more than ${ANCHOR_MOVE_POINTS} points.`;

  const el = h('div', { class: 'view anchors' },
    h('div', { class: 'row' },
      section(`Retrieval quality on ${int(an.count)} ${an.source === 'auto' ? 'auto-' : ''}anchors`, quality, inconclusive, made, malformed),
      section(sameModel ? 'Expected chunk cosine, A against B' : 'Expected chunk percentile, A against B', h('div', { class: 'chart' }, canvas), hover,
        h('p', { class: 'muted small' }, `${scaleNote} Click a point to select its anchor.`))),
    h('div', { class: 'card table-card' },
      h('div', { class: 'toolbar' }, h('h2', null, 'Anchors'), h('span', { class: 'muted small' }, 'Enter opens the expected span'),
        h('input', { type: 'search', class: 'filter', placeholder: 'Filter queries…', 'aria-label': 'Filter anchors', oninput: (e: Event) => table.setFilter((e.target as HTMLInputElement).value) })),
      table.el),
    h('div', { class: 'card' }, detail, judged),
    pairs);
  table.selectFirst();
  return { el, onShow: redraw };
}

function moveLabel(m: AnchorMove, sameModel: boolean): string {
  if (m === 'unchanged') return 'unchanged';
  const by = sameModel ? `${ANCHOR_MOVE_COSINE} in cosine` : `${ANCHOR_MOVE_POINTS} points`;
  return m === 'better' ? `better under B (up more than ${by})` : `worse under B (down more than ${by})`;
}

/** The selected anchor: its expected text, its numbers, and the top k under A and B side by side. */
function renderDetail(ctx: AppContext, el: HTMLElement, x: AnchorItem, k: number): void {
  clear(el);
  const rank = (v: number | null): string => (v === null ? `not in the top ${k}` : `rank ${v}`);
  el.append(
    h('div', { class: 'detail-head' },
      h('h2', { class: 'loc', 'data-testid': 'anchor-query' }, x.query),
      h('button', { type: 'button', class: 'button', 'data-testid': 'open-expected', onclick: () => ctx.open({ file: x.file, start: x.start, end: x.end, side: 'a', excerpt: x.expectText }) }, 'Open')),
    h('p', { class: 'metrics-line', 'data-testid': 'anchor-numbers' },
      `${x.expect} · A `, h('strong', null, rank(x.rankA)), `, ${pct(x.spanRecallA)} of the expected text held, cosine ${fixed(x.cosA)} (percentile ${fixed(x.percentileA, 0)})`,
      ' · B ', h('strong', null, rank(x.rankB)), `, ${pct(x.spanRecallB)}, cosine ${fixed(x.cosB)} (percentile ${fixed(x.percentileB, 0)})`),
    h('pre', { class: 'chunk-text expected', 'data-testid': 'expected-text', title: 'The expected text (its first characters)' },
      x.expectText, x.expectText.length < x.end - x.start ? ' …' : ''),
    h('div', { class: 'neighbor-cols' }, hitList(ctx, x, 'a', x.retrievedA), hitList(ctx, x, 'b', x.retrievedB)));
}

/** One side's top k for an anchor, best first: hits on the expected span marked, their expected text highlighted. */
function hitList(ctx: AppContext, x: AnchorItem, side: Side, retrieved: number[]): HTMLElement {
  const list = h('ol', { class: 'hits', 'data-testid': `hits-${side}` });
  let onSpan = 0;
  retrieved.forEach((index, i) => {
    const c = ctx.chunk(side, index);
    if (!c) return;
    const on = c.file === x.file && c.start < x.end && x.start < c.end;
    if (on) onSpan++;
    list.appendChild(h('li', { class: `hit${on ? ' on-span' : ''}`, 'data-chunk': index, 'data-on-span': String(on) },
      h('div', { class: 'hit-head' },
        h('span', { class: 'rank' }, String(i + 1)),
        h('span', { class: 'loc', title: spanLabel(c.file, c.start, c.end, c.lines) }, spanLabel(c.file, c.start, c.end, c.lines)),
        on ? h('span', { class: 'move-better small' }, 'expected') : null,
        h('button', { class: 'link open', type: 'button', 'aria-label': `open ${c.file}`, onclick: () => ctx.open({ file: c.file, start: c.start, end: c.end, side }) }, 'open')),
      hitText(c, x, on)));
  });
  return h('div', { class: `neighbor-col side-${side}` },
    h('h3', null, h('span', { class: `side-badge side-${side}` }, side.toUpperCase()), ` top ${retrieved.length} under ${ctx.label(side)}`,
      h('span', { class: 'muted small' }, ` · ${onSpan} on the expected span`)),
    list);
}

/**
 * A hit's preview with the expected text marked. The report keeps each chunk's first `previewChars`
 * characters; when the expected text starts past them, the expected text's own first characters
 * stand in (the chunk holds them from that point on).
 */
function hitText(c: ChunkRecord, x: AnchorItem, on: boolean): HTMLElement {
  const from = Math.max(x.start, c.start) - c.start;
  const to = Math.min(x.end, c.end) - c.start;
  if (!on) return h('div', { class: 'hit-text' }, c.text);
  if (from < c.text.length) {
    // Three lines show: start a little before the mark, so it is in view.
    const lead = from > 80 ? ['… ', c.text.slice(from - 40, from)] : [c.text.slice(0, from)];
    return h('div', { class: 'hit-text' }, ...lead, h('mark', { class: 'span' }, c.text.slice(from, to)), c.text.slice(to));
  }
  const shown = x.expectText.slice(Math.max(0, c.start - x.start));
  return h('div', { class: 'hit-text' }, '… ', h('mark', { class: 'span' }, shown.slice(0, Math.max(0, to - from))));
}

/** "Auto-anchors made from 60 headings and 24 docstrings; left out: 40 repeated, ..." with each reason named. */
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
