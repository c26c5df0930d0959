// Space tab: how the two embedding spaces relate as wholes: linear CKA, the neighbors an
// orthogonal adapter recovers, the two similarity distributions, truncation and snapshot drift.
import { drawHistogram, theme } from '../charts';
import type { AppContext, View } from '../context';
import { fixed, h, int, pct, section, stat } from '../dom';

export function createSpace(ctx: AppContext): View {
  const r = ctx.report;
  const s = r.space;
  const canvas = h('div', { class: 'chart-host', 'data-testid': 'similarity-histogram' });
  const ckaText = s.linearCka === null ? 'not computed (needs the same or aligned items)'
    : s.linearCka >= 0.9 ? 'nearly the same geometry up to rotation and scale'
      : s.linearCka >= 0.7 ? 'similar geometry' : 'differently shaped spaces';
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
    stat('MMD', fixed(r.snapshot.mmd, 4), `p = ${fixed(r.snapshot.mmdPValue, 3)}`),
    stat('classifier AUC', fixed(r.snapshot.classifierAuc), '0.5 = indistinguishable'),
    stat('drifted dimensions', pct(r.snapshot.driftedDimensionShare)))) : null;
  const ood = r.ood ? section('Out-of-distribution queries', h('p', null,
    `Flagged under A: ${pct(r.ood.flaggedShare.a)} (threshold ${fixed(r.ood.threshold.a, 3)}); under B: ${pct(r.ood.flaggedShare.b)} (threshold ${fixed(r.ood.threshold.b, 3)}).`)) : null;
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
