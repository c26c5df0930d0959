// Decisions tab: the questions a team asks before it changes its index, each answered on this
// corpus: how deep A's index must search for B to rerank its way to B's own top-k during a
// migration (the depth curve), whether A-to-B churn exceeds the noise floor of changes that should
// not matter, and what a vectors setting (truncation, int8, binary) keeps.
import { reportVerdicts } from '../../core/report/summary';
import type { ConfigSummary, Report } from '../../core/report/types';
import { drawCurve } from '../charts';
import type { AppContext, View } from '../context';
import { fixed, h, int, pct, section, stat } from '../dom';

/** Whether the report holds anything this tab shows. */
export function hasDecisions(r: Report): boolean {
  return r.migrationDepth !== undefined || r.noiseFloor !== undefined || r.retention !== undefined ||
    r.configs.a.vectors !== undefined || r.configs.b.vectors !== undefined;
}

export function createDecisions(ctx: AppContext): View {
  const r = ctx.report;
  const k = r.neighbors.k;
  const chart = h('div', { class: 'chart-host', 'data-testid': 'depth-curve' });
  const m = r.migrationDepth;
  // A vectors setting re-embeds nothing: the curve is no migration guide (nor the rescoring depth); the core's verdict says so.
  const noGuide = r.retention ? reportVerdicts(r).find((v) => v.kind === 'migration')?.text : undefined;
  const depth = m ? section('Migration depth',
    noGuide ? h('p', { class: 'note', 'data-testid': 'depth-no-guide' }, noGuide) : null,
    h('p', { class: 'muted small' },
      `If B reranks the candidates A's index returns (serving B while the corpus is re-embedded), how many candidates K must A return to recover B's own top-${k}? `,
      `Recall: the share of B's top-${k} among A's top-K, averaged over ${int(m.items)} ${m.items < m.total ? `sampled chunks of ${int(m.total)}` : 'chunks'} used as queries`,
      m.comparison === 'aligned' ? '; chunkings differ, so a B neighbor counts as recovered once A returns a chunk sharing characters with it.' : '.'),
    h('div', { class: 'stats', 'data-testid': 'depth-stats' },
      stat(`recall at K = ${m.k}`, pct(m.recallAtK, 1), `A's own top-${m.k}`),
      stat('K for 95%', m.kFor95Percent === null ? 'never' : int(m.kFor95Percent), m.kFor95Percent === null ? undefined : `${fixed(m.kFor95Percent / m.k, 1)}× k`),
      stat('K for 99%', m.kFor99Percent === null ? 'never' : int(m.kFor99Percent), m.kFor99Percent === null ? undefined : `${fixed(m.kFor99Percent / m.k, 1)}× k`),
      stat('K for all', m.kForAll === null ? 'never' : int(m.kForAll), m.unreachable > 0 ? `${pct(m.unreachable, 1)} of B's neighbors are in text no A chunk covers` : undefined)),
    h('div', { class: 'chart' }, chart),
    h('p', { class: 'muted small' }, 'Dashed lines: 95% and 99% recall. K on a log scale, up to every other chunk.')) : null;

  const f = r.noiseFloor;
  const floor = f ? section('Noise floor',
    h('p', { class: 'muted small' }, `Churn on A alone under changes that should not matter, with the same definitions as A-to-B churn (overlap@${k} below ${fixed(r.neighbors.churnThreshold)}). A-to-B churn: ${pct(r.neighbors.churnedShare)}.`),
    f.sources.length === 0 ? h('p', { 'data-testid': 'noise-none' }, 'No source could be measured, so there is no floor.') :
      h('table', { class: 'simple', 'data-testid': 'noise-floor' },
        h('thead', null, h('tr', null, h('th', null, 'Change'), h('th', { class: 'num' }, 'churned share'), h('th', { class: 'num' }, `Jaccard@${k}`), h('th', { class: 'num' }, `overlap@${k}`))),
        h('tbody', null, ...f.sources.map((s) => h('tr', { class: s.source === f.largest ? 'largest' : '' },
          h('th', { scope: 'row' }, `${s.source}: ${s.variant}${s.source === f.largest ? ' (the floor)' : ''}`),
          h('td', { class: 'num' }, pct(s.churnedShare, 1)), h('td', { class: 'num' }, fixed(s.meanJaccard, 3)), h('td', { class: 'num' }, fixed(s.meanOverlap, 3)))))),
    f.skipped.length === 0 ? null : h('ul', { class: 'muted small', 'data-testid': 'noise-skipped' }, ...f.skipped.map((s) => h('li', null, `${s.source}: ${s.reason}`)))) : null;

  const vectors = (['a', 'b'] as const).filter((side) => r.configs[side].vectors);
  const setting = vectors.length === 0 && !r.retention ? null : section('Vectors setting',
    ...vectors.map((side) => settingOf(side, ctx.label(side), r.configs[side])),
    r.retention ? h('div', { class: 'stats', 'data-testid': 'retention' },
      stat(`float top-${k} neighbors kept`, pct(r.retention.neighbors, 1), `${r.retention.side.toUpperCase()} against the other side's float vectors`),
      stat('nDCG@10 kept', pct(r.retention.ndcg10, 1), r.retention.ndcg10 === null ? 'needs golden queries' : undefined),
      stat(`hit@${k} kept`, pct(r.retention.hitAtK, 1))) : null,
    r.retention?.published ? h('p', { class: 'muted small' }, `Published: ${r.retention.published}.`) : null);

  const el = h('div', { class: 'view decisions' }, depth, floor, setting);
  return {
    el,
    onShow: () => {
      if (!m) return;
      drawCurve(chart, m.curve.map((p) => ({ x: p.K, y: p.recall })), { xLabel: 'candidates K from A', yLabel: `recall of B's top-${k}`, levels: [0.95, 0.99] });
    },
  };
}

function settingOf(side: 'a' | 'b', label: string, c: ConfigSummary): HTMLElement {
  const v = c.vectors!;
  const ranges = v.int8Ranges;
  let rangeText: string | null = null;
  if (ranges && ranges.min.length > 0) {
    const widths = ranges.min.map((lo, d) => ranges.max[d]! - lo);
    const widest = widths.indexOf(Math.max(...widths));
    const narrowest = widths.indexOf(Math.min(...widths));
    rangeText = `int8 ranges: each dimension's min to max over ${int(ranges.rows)} chunk vectors in 256 levels (queries clipped); widest dimension ${widest} [${fixed(ranges.min[widest], 3)}, ${fixed(ranges.max[widest], 3)}], narrowest ${narrowest} [${fixed(ranges.min[narrowest], 3)}, ${fixed(ranges.max[narrowest], 3)}]; every range is in report.json.`;
  }
  return h('div', { 'data-testid': `vectors-${side}` },
    h('p', null, h('span', { class: `side-badge side-${side}` }, side.toUpperCase()), ` ${label}: `, h('strong', null, v.description),
      ` (${c.dimension} of ${v.fromDimension} dimensions compared${v.quantize === 'binary' ? ', ranked by Hamming distance, ties by the lower chunk index' : ''}${v.rescore ? `; ${v.rescore}× k candidates rescored with the float vectors` : ''}).`),
    rangeText ? h('p', { class: 'muted small' }, rangeText) : null);
}
