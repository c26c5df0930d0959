// The headline verdicts of a report in words, and the tone each earns (good, mixed, bad, or info
// when the numbers cannot carry a judgement), written once here: the CLI prints them and the
// webview shows them. Every judgement threshold lives in this file, nowhere in a front door.
import type { Report } from './types';

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const num = (x: number): string => x.toFixed(2);

/** What a verdict is about, so a front door can link it (the webview sends each to its tab). */
export type VerdictKind =
  | 'churn' | 'documents' | 'hnsw' | 'anchors' | 'anchors-changed' | 'pairs' | 'queries' | 'ood'
  | 'space' | 'tokens' | 'tokens-churn' | 'truncation' | 'snapshot';

/** good / mixed / bad judge B against A; info states a fact that carries no judgement. */
export type Tone = 'good' | 'mixed' | 'bad' | 'info';

export interface VerdictLine {
  kind: VerdictKind;
  text: string;
  tone: Tone;
}

/** Linear CKA bands: the words and the tone both front doors use. */
export function ckaBand(cka: number): { words: string; tone: Tone } {
  if (cka >= 0.95) return { words: 'nearly the same geometry up to rotation and scale', tone: 'good' };
  if (cka >= 0.7) return { words: 'similar geometry, not just a rotation', tone: 'mixed' };
  return { words: 'the spaces are organized differently', tone: 'bad' };
}

/** The headline verdicts as sentences (the CLI prints them). */
export function summarizeReport(report: Report): string[] {
  return reportVerdicts(report).map((v) => v.text);
}

export function reportVerdicts(report: Report): VerdictLine[] {
  const lines: VerdictLine[] = [];
  const push = (kind: VerdictKind, text: string, tone: Tone = 'info'): void => { lines.push({ kind, text, tone }); };
  const { neighbors: nb, anchors, space, tokenization: tok } = report;
  const labelA = report.configs.a.label || 'A';
  const labelB = report.configs.b.label || 'B';

  // Neighbor churn.
  if (nb.items.length > 0) {
    const loss = nb.churnThreshold === 0.5 ? 'lose more than half of' : `keep less than ${pct(nb.churnThreshold)} of`;
    const ci = nb.sampled ? ` (95% CI ${pct(nb.sampled.churnedShareCi[0])}-${pct(nb.sampled.churnedShareCi[1])}, sample of ${nb.sampled.size} of ${nb.sampled.total})` : '';
    const through = nb.comparison === 'aligned' ? ', matching chunks by character overlap' : '';
    if (nb.churnedShare === null) push('churn', `Neighbor churn at k = ${nb.k} is not measured: ${report.notMeasured?.['neighbors.churnedShare'] ?? 'a side has too few chunks'}.`);
    else {
      const tone = nb.churnedShare < 0.1 ? 'good' : nb.churnedShare < 0.3 ? 'mixed' : 'bad';
      push('churn', `${pct(nb.churnedShare)} of chunks ${loss} their ${nb.k} nearest neighbors${ci}${through}; mean Jaccard@${nb.k} ${num(nb.meanJaccard)}, RBO ${num(nb.meanRbo)}.`, tone);
    }
    if (nb.documents && nb.documents.files > 0) {
      push('documents', `At file level, a file's chunks find their neighbors in ${pct(nb.documents.meanJaccard)} the same files under ${labelA} and ${labelB} (mean Jaccard over ${plural(nb.documents.files, 'file')}).`);
    }
    if (nb.recallAtK) push('hnsw', `Neighbors came from an HNSW index: recall@${nb.k} against exact search ${num(nb.recallAtK.a)} (A), ${num(nb.recallAtK.b)} (B).`);
  }

  // Golden set.
  if (anchors.count > 0) {
    const k = nb.k;
    const { a, b } = anchors;
    const hit = points(a.hitAtK, b.hitAtK);
    const recall = points(a.spanRecallAtK, b.spanRecallAtK);
    const what = anchors.source === 'auto' ? `Auto-anchors (${autoOrigin(anchors.count, anchors.auto)})` : `Golden set (${plural(anchors.count, 'anchor')})`;
    const numbers = `hit@${k} ${num(a.hitAtK)} -> ${num(b.hitAtK)} (${signed(hit)} ${Math.abs(hit) === 1 ? 'point' : 'points'}), MRR@${k} ${num(a.mrrAtK)} -> ${num(b.mrrAtK)}, nDCG@10 ${num(a.ndcg10)} -> ${num(b.ndcg10)}; ` +
      `the top ${k} hold ${pct(a.spanRecallAtK)} -> ${pct(b.spanRecallAtK)} of the expected text (IoU ${num(a.spanIouAtK)} -> ${num(b.spanIouAtK)})`;
    if (!anchors.conclusive) {
      push('anchors', `${what}: ${numbers}. Not conclusive: ${plural(anchors.count, 'anchor is', 'anchors are')} fewer than the ${anchors.minimumAnchors} a verdict needs (one anchor moves hit@${k} by ${Math.round(100 / anchors.count)} points).`);
    } else {
      const worst = Math.min(hit, recall);
      push('anchors', `${what}: ${numbers}.`, worst >= 0 ? 'good' : worst > -5 ? 'mixed' : 'bad');
    }
    const lost = anchors.items.filter((x) => x.rankA !== null && x.rankB === null).length;
    const won = anchors.items.filter((x) => x.rankA === null && x.rankB !== null).length;
    const moved = [
      ...(lost > 0 ? [`${plural(lost, 'anchor')} found under ${labelA} ${lost === 1 ? 'is' : 'are'} missed under ${labelB}`] : []),
      ...(won > 0 ? [`${plural(won, 'anchor')} missed under ${labelA} ${won === 1 ? 'is' : 'are'} found under ${labelB}`] : []),
    ];
    if (moved.length > 0) push('anchors-changed', `${moved.join('; ')} (in the top ${k}).`);
  }
  if (anchors.pairs.length > 0) {
    const n = plural(anchors.pairs.length, 'anchor pair');
    if (report.configs.a.fingerprint === report.configs.b.fingerprint) {
      push('pairs', `${n}: the same model embeds them under ${labelA} and ${labelB}, so their similarities do not change.`);
    } else {
      // Across two models only the percentile compares (pairs.ts); a drop is named when it shows in whole points.
      const worst = [...anchors.pairs].sort((x, y) => x.shift - y.shift)[0]!;
      const scale = 'each pair\'s cosine as a percentile of its model\'s cosines between the two texts and unrelated everyday questions';
      if (Math.round(worst.shift) <= -1) {
        push('pairs', `${n} (${scale}): largest drop "${clip(worst.a)}" / "${clip(worst.b)}", ${ordinal(worst.percentileA)} -> ${ordinal(worst.percentileB)} percentile.`, worst.shift <= -10 ? 'mixed' : 'info');
      } else {
        push('pairs', `${n} (${scale}): none ranks lower under ${labelB}.`, 'good');
      }
    }
  }
  if (report.queries && report.queries.count > 0) {
    push('queries', `${plural(report.queries.count, 'query', 'queries')}: results overlap ${pct(report.queries.meanOverlap)} on average (RBO ${num(report.queries.meanRbo)}); most changed: "${clip(report.queries.items[0]!.query)}".`);
  }
  if (report.ood && (report.ood.flaggedShare.a > 0 || report.ood.flaggedShare.b > 0)) {
    const { items } = report.ood;
    const flaggedA = items.filter((x) => x.flaggedA).length;
    const flaggedB = items.filter((x) => x.flaggedB).length;
    const top = Math.round((1 - report.ood.quantile) * 100);
    push('ood', `Off-topic for this corpus: ${flaggedA} of ${plural(items.length, 'query', 'queries')} under ${labelA}, ${flaggedB} under ${labelB} (their best chunk stands out from the corpus no more than it does for the top ${top}% of unrelated everyday questions).`);
  }

  // Space.
  if (space.linearCka !== null) {
    const band = ckaBand(space.linearCka);
    const adapter = space.procrustesOverlap === null ? '' : `; an orthogonal adapter recovers ${pct(space.procrustesOverlap)} of neighbors`;
    push('space', `CKA ${num(space.linearCka)}: ${band.words}${adapter}.`, band.tone);
  }

  // Tokenization.
  if (tok.a.tokenizer === tok.b.tokenizer) {
    push('tokens', `Same tokenizer on both sides (${tok.a.tokenizer}): every term is split the same way.`);
  } else if (tok.shatteredTerms) {
    const { a, b } = tok.shatteredTerms;
    const worse = b - a;
    const tone = worse <= 0 ? 'good' : worse < 0.01 * Math.max(1, tok.terms) ? 'mixed' : 'bad';
    if (b > 0) push('tokens', `${labelB}'s tokenizer shatters ${plural(b, 'term')} of this corpus into 3+ pieces (or does not know them) that ${labelA}'s keeps whole${a > 0 ? `; the reverse holds for ${a}` : ''}.`, tone);
    else if (a > 0) push('tokens', `${labelA}'s tokenizer shatters ${plural(a, 'term')} of this corpus into 3+ pieces (or does not know them) that ${labelB}'s keeps whole.`, tone);
    else push('tokens', `Neither tokenizer shatters a term of this corpus that the other keeps whole.`, 'good');
  }
  // Only a change of tokenizer can make chunks churn for their terms' sake.
  if (tok.churnByNewVocabulary && tok.churnByNewVocabulary.chunksWithTerms > 0 && tok.a.tokenizer !== tok.b.tokenizer) {
    const c = tok.churnByNewVocabulary;
    const withTerms = pct(c.withTerms);
    const without = pct(c.withoutTerms);
    // Fewer than 5 points apart is within what any two groups of chunks differ by.
    const similar = Math.abs(Math.round(c.withTerms * 100) - Math.round(c.withoutTerms * 100)) < 5;
    const one = c.chunksWithTerms === 1;
    const holding = `${plural(c.chunksWithTerms, 'chunk')} holding terms a tokenizer shatters or does not know`;
    push('tokens-churn', withTerms === without
      ? `The ${holding} ${one ? 'churns' : 'churn'} as much as the others: both lose ${withTerms} of their neighbors.`
      : similar ? `The ${holding} ${one ? 'churns' : 'churn'} about as much as the others: ${withTerms} vs ${without} of neighbors lost.`
      : `The ${holding} ${one ? 'loses' : 'lose'} ${withTerms} of ${one ? 'its' : 'their'} neighbors, the others ${without}: ${one ? 'it churns' : 'they churn'} ${c.withTerms > c.withoutTerms ? 'more' : 'less'}.`);
  }

  for (const [side, t] of [[labelA, report.truncation.a], [labelB, report.truncation.b]] as const) {
    if (t.truncated > 0) push('truncation', `${side}: ${pct(t.share)} of chunks exceed the model's ${t.maxTokens} tokens; ${pct(t.textShare)} of the corpus text is never embedded.`, t.textShare > 0.05 ? 'bad' : 'mixed');
  }

  if (report.snapshot) {
    const s = report.snapshot;
    const verdict = s.mmdPValue < 0.01 ? 'the corpus has drifted' : s.mmdPValue < 0.05 ? 'weak evidence of drift' : 'no significant drift';
    push('snapshot', `Snapshots: ${verdict} (MMD p=${s.mmdPValue.toPrecision(2)}, classifier AUC ${num(s.classifierAuc)}, ${pct(s.driftedDimensionShare)} of dimensions drifted).`, s.mmdPValue < 0.05 ? 'bad' : 'good');
  }
  return lines;
}

/** B minus A in whole points, from the two numbers as printed (so the words and the figures agree). */
function points(a: number, b: number): number {
  return Math.round(Number(num(b)) * 100) - Math.round(Number(num(a)) * 100);
}

function signed(x: number): string {
  return x > 0 ? `+${x}` : String(x);
}

/** "84, made from 60 headings and 24 docstrings; 140 candidates left out". */
function autoOrigin(count: number, auto: Report['anchors']['auto']): string {
  if (!auto) return String(count);
  const kinds = [plural(auto.made.headings, 'heading'), plural(auto.made.docstrings, 'docstring'), plural(auto.made.docComments, 'doc comment')]
    .filter((x) => !x.startsWith('0 '));
  const found = auto.found.headings + auto.found.docstrings + auto.found.docComments;
  const left = found - count;
  return `${count}, made from ${kinds.length > 1 ? `${kinds.slice(0, -1).join(', ')} and ${kinds[kinds.length - 1]}` : kinds[0] ?? 'nothing'}${left > 0 ? `; ${plural(left, 'candidate')} left out` : ''}`;
}

function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, ... of a rounded percentile. */
function ordinal(x: number): string {
  const n = Math.round(x);
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}

function clip(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
