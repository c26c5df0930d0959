// Overview tab: the configurations side by side, the corpus, and the verdicts that matter.
import type { ConfigSummary } from '../../core/report/types';
import { drawHistogram, theme } from '../charts';
import type { AppContext, View } from '../context';
import { formatBytes } from '../../core/format';
import { fixed, h, int, pct, section, stat } from '../dom';
import { describeAnchorSource } from '../../core/report/anchorSource';
import { describeFileChanges } from '../../core/report/summary';
import { TAB_LABELS, TONE_MARKS, overviewVerdicts } from '../verdicts';

export function createOverview(ctx: AppContext): View {
  const r = ctx.report;
  const config = (side: 'a' | 'b', c: ConfigSummary, chunks: number): HTMLElement =>
    h('div', { class: `config config-${side}`, 'data-testid': `config-${side}` },
      h('div', { class: 'config-head' }, h('span', { class: `side-badge side-${side}` }, side.toUpperCase()), h('strong', null, c.label)),
      h('dl', null,
        h('dt', null, 'model'), h('dd', null, c.model),
        h('dt', null, 'chunker'), h('dd', null, c.chunker),
        h('dt', null, 'tokenizer'), h('dd', null, c.tokenizer),
        h('dt', null, 'vectors'), h('dd', null, `${int(chunks)} chunks × ${c.dimension} dims${c.vectors ? ` (${c.vectors.description})` : ''}${c.maxTokens ? `, max ${c.maxTokens} tokens` : ''}`)));

  const verdicts = h('ul', { class: 'verdicts', 'data-testid': 'verdicts' });
  for (const v of overviewVerdicts(r)) {
    const tone = TONE_MARKS[v.tone];
    const tab = TAB_LABELS[v.tab];
    verdicts.appendChild(h('li', { class: `verdict tone-${v.tone}`, 'data-verdict': v.id },
      // The tone reads three ways: the glyph's shape, its color, and a word for screen readers.
      h('span', { class: 'verdict-mark', 'aria-hidden': 'true', title: tone.label }, tone.glyph),
      h('span', { class: 'sr-only' }, `${tone.label}: `),
      h('span', { class: 'verdict-text' }, v.text),
      v.tab === 'overview' ? null : h('button', {
        class: 'link', type: 'button', 'aria-label': `Open the ${tab} tab`, onclick: () => ctx.show(v.tab),
      }, `${tab} →`)));
  }

  const corpus = h('p', { class: 'corpus-line', 'data-testid': 'corpus-line' },
    `${int(r.corpus.files)} files (${formatBytes(r.corpus.bytes)}) under `, h('code', null, r.corpus.root),
    r.corpus.rootB ? h('span', null, ' vs ', h('code', null, r.corpus.rootB)) : null,
    `, ${int(r.chunks.a)} chunks under A and ${int(r.chunks.b)} under B`,
    r.chunks.sameChunking ? ' (same chunking)' : ' (different chunkings, compared by character overlap)',
    `, k = ${r.neighbors.k}, ${r.neighbors.method === 'exact' ? 'exact search' : r.neighbors.method === 'database' ? 'the stores\' own search' : 'HNSW search'}.`,
    r.corpus.changes ? h('span', { 'data-testid': 'file-changes' }, ` Snapshot ${describeFileChanges(r.corpus.changes)}.`) : null);

  // Which anchors this run used and why (a file, auto-anchors, none), and whether they suffice for a verdict.
  const anchorsLine = h('p', { class: 'corpus-line', 'data-testid': 'anchors-source' }, `Anchors: ${describeAnchorSource(r.anchors)}`);

  const notes = h('div', null);
  if (r.warnings.length > 0) {
    notes.appendChild(section('Warnings', h('ul', { class: 'warnings', 'data-testid': 'warnings' }, ...r.warnings.map((w) => h('li', null, w)))));
  }
  if (r.corpus.skipped.length > 0) {
    const shown = r.corpus.skipped.slice(0, 50);
    notes.appendChild(section(`Skipped files (${int(r.corpus.skipped.length)})`,
      h('ul', { class: 'skipped' }, ...shown.map((s) => h('li', null, h('code', null, s.path), ` — ${s.reason}`)))));
  }
  const timings = Object.entries(r.timings);
  const footer = h('p', { class: 'muted small' },
    `Created ${r.createdAt} by ${r.tool.name} ${r.tool.version}`,
    timings.length ? ` · ${timings.map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')}` : '');

  const n = r.neighbors, an = r.anchors, tok = r.tokenization;
  const churnCanvas = h('div', { class: 'chart-host', 'data-testid': 'overview-churn' });
  const similarityCanvas = h('div', { class: 'chart-host', 'data-testid': 'overview-similarity' });
  const headline = h('div', { class: 'stats headline', 'data-testid': 'headline' },
    stat('churned share', pct(n.churnedShare), n.churnedShare === null ? 'not measured (see the verdict)' : `overlap@${n.k} below ${fixed(n.churnThreshold)}`),
    stat(`mean Jaccard@${n.k}`, fixed(n.meanJaccard), `RBO ${fixed(n.meanRbo)}`),
    an.count > 0 ? stat(`hit@${n.k}`, `${fixed(an.a.hitAtK)} → ${fixed(an.b.hitAtK)}`, `${an.conclusive ? '' : 'not conclusive · '}expected text held ${pct(an.a.spanRecallAtK)} → ${pct(an.b.spanRecallAtK)}`) : null,
    stat('linear CKA', fixed(r.space.linearCka), r.space.procrustesOverlap === null ? undefined : `adapter recovers ${pct(r.space.procrustesOverlap)}`),
    stat('terms shattered (3+ pieces or unknown)', `${pct(tok.a.shatteredShare, 1)} → ${pct(tok.b.shatteredShare, 1)}`, `of ${int(tok.terms)} distinct terms`));

  const el = h('div', { class: 'view overview' },
    h('div', { class: 'configs' }, config('a', r.configs.a, r.chunks.a), h('div', { class: 'vs', 'aria-hidden': 'true' }, 'vs'), config('b', r.configs.b, r.chunks.b)),
    corpus,
    anchorsLine,
    h('div', { class: 'card' }, headline),
    section('Verdicts', verdicts),
    h('div', { class: 'row even' },
      section(`overlap@${n.k} per chunk`, h('div', { class: 'chart' }, churnCanvas)),
      section('Pairwise cosine similarity, A and B', h('div', { class: 'chart' }, similarityCanvas))),
    notes,
    footer);
  return {
    el,
    onShow: () => {
      const t = theme();
      drawHistogram(churnCanvas, [{ hist: n.histogram, label: 'chunks', color: t.a }], { xLabel: `overlap@${n.k}: share of A's neighbors kept under B`, yLabel: 'chunks', height: 170 });
      drawHistogram(similarityCanvas, [
        { hist: r.space.similarity.a, label: `A · ${r.configs.a.label}`, color: t.a },
        { hist: r.space.similarity.b, label: `B · ${r.configs.b.label}`, color: t.b },
      ], { xLabel: 'cosine similarity', yLabel: 'share of pairs', normalize: true, height: 170 });
    },
  };
}
