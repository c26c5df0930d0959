// Space tab: how the two embedding spaces relate as wholes: linear CKA, the neighbors an
// orthogonal adapter recovers, the two similarity distributions, truncation and snapshot drift.
import { drawHistogram, theme } from '../charts';
import { ckaReading } from '../../core/report/judgement';
import type { OutOfDistribution } from '../../core/report/types';
import type { AppContext, View } from '../context';
import { fixed, h, int, pct, section, stat } from '../dom';

export function createSpace(ctx: AppContext): View {
  const r = ctx.report;
  const s = r.space;
  const canvas = h('div', { class: 'chart-host', 'data-testid': 'similarity-histogram' });
  const ckaText = s.linearCka === null ? 'not computed (needs the same or aligned items)'
    : ckaReading(s.linearCka);
  const trunc = h('table', { class: 'simple', 'data-testid': 'truncation' },
    h('thead', null, h('tr', null, h('th', null, ''), h('th', { class: 'num' }, 'max tokens'), h('th', { class: 'num' }, 'chunks truncated'), h('th', { class: 'num' }, 'share'), h('th', { class: 'num' }, 'text never embedded'), h('th', { class: 'num', title: 'chunks the model knows no token of: a zero vector matches nothing' }, 'zero vectors'))),
    h('tbody', null, ...(['a', 'b'] as const).map((side) => {
      const t = r.truncation[side];
      return h('tr', null, h('th', { scope: 'row' }, `${side.toUpperCase()} · ${ctx.label(side)}`), h('td', { class: 'num' }, t.maxTokens === null ? '–' : String(t.maxTokens)),
        h('td', { class: 'num' }, int(t.truncated)), h('td', { class: 'num' }, pct(t.share, 1)), h('td', { class: 'num' }, pct(t.textShare, 1)),
        h('td', { class: 'num', 'data-testid': `zero-vectors-${side}` }, int(t.zeroVectors)));
    })));
  const snap = r.snapshot ? section('Corpus snapshots', h('div', { class: 'stats' },
    stat('centroid distance', fixed(r.snapshot.centroidDistance, 3)),
    stat('MMD² (unbiased)', fixed(r.snapshot.mmd, 4), `p = ${fixed(r.snapshot.mmdPValue, 3)}; 0 in expectation without drift, so it can be slightly negative`),
    stat('classifier AUC', fixed(r.snapshot.classifierAuc), '0.5 = indistinguishable'),
    stat('drifted dimensions', pct(r.snapshot.driftedDimensionShare)))) : null;
  const ood = r.ood ? oodSection(r.ood, ctx) : null;
  const queries = r.queries ? section(`Query churn (${int(r.queries.count)} queries)`,
    h('p', null, `Mean overlap@${r.neighbors.k} ${fixed(r.queries.meanOverlap)}, mean RBO ${fixed(r.queries.meanRbo)}.`),
    h('table', { class: 'simple' }, h('thead', null, h('tr', null, h('th', null, 'Most changed queries'), h('th', { class: 'num' }, 'overlap'), h('th', { class: 'num' }, 'RBO'))),
      h('tbody', null, ...r.queries.items.slice(0, 15).map((q) => h('tr', null, h('td', null, q.query), h('td', { class: 'num' }, fixed(q.overlap)), h('td', { class: 'num' }, fixed(q.rbo))))))) : null;

  const el = h('div', { class: 'view space' },
    h('div', { class: 'row' },
      section('Geometry', h('div', { class: 'stats' },
        stat('linear CKA', fixed(s.linearCka), ckaText, 'stat-cka'),
        stat('Procrustes overlap', pct(s.procrustesOverlap), `neighbors an orthogonal A→B adapter recovers on held-out chunks`, 'stat-procrustes'))),
      section('Pairwise cosine similarity', h('div', { class: 'chart' }, canvas))),
    section('Truncation', trunc),
    snap, ood, queries);
  return {
    el,
    onShow: () => {
      const t = theme();
      drawHistogram(canvas, [
        { hist: s.similarity.a, label: `A · ${ctx.label('a')}`, color: t.a },
        { hist: s.similarity.b, label: `B · ${ctx.label('b')}`, color: t.b },
      ], { xLabel: 'cosine similarity between chunk pairs', yLabel: 'share of pairs', normalize: true, height: 200 });
    },
  };
}

/** Which queries look off-topic for this corpus under each side, flagged ones first, and how that is judged. */
function oodSection(ood: OutOfDistribution, ctx: AppContext): HTMLElement {
  const mark = (flagged: boolean): string => (flagged ? 'off-topic' : '');
  const rows = [...ood.items].sort((x, y) => Number(y.flaggedA || y.flaggedB) - Number(x.flaggedA || x.flaggedB));
  return section('Off-topic queries',
    h('p', null, `Flagged under A: ${pct(ood.flaggedShare.a)}; under B: ${pct(ood.flaggedShare.b)}.`),
    h('p', { class: 'muted small' }, `Lift: how far a query's cosine rises above what the closest of ${int(ood.background)} unrelated everyday questions reach with the same chunk (the mean of the 5 closest), at the chunk where it rises most. A query is flagged when its lift is no larger than the threshold, what the top ${Math.round((1 - ood.quantile) * 100)}% of those everyday questions reach over the others on the same chunks under the same model (A ${fixed(ood.threshold.a, 3)}, B ${fixed(ood.threshold.b, 3)}). Compare flags across A and B, not lifts: each model has its own scale.`),
    h('table', { class: 'simple', 'data-testid': 'ood' },
      h('thead', null, h('tr', null, h('th', null, 'Query'), h('th', { class: 'num' }, `lift A · ${ctx.label('a')}`), h('th', null, ''), h('th', { class: 'num' }, `lift B · ${ctx.label('b')}`), h('th', null, ''))),
      h('tbody', null, ...rows.slice(0, 50).map((q) => h('tr', null, h('td', null, q.query),
        h('td', { class: 'num' }, fixed(q.liftA, 3)), h('td', { class: q.flaggedA ? 'down' : '' }, mark(q.flaggedA)),
        h('td', { class: 'num' }, fixed(q.liftB, 3)), h('td', { class: q.flaggedB ? 'down' : '' }, mark(q.flaggedB)))))));
}
