// The headline verdicts of a report in words, written once here: the CLI prints them and the
// webview shows them, each with the tone judgement.ts gives it (good, mixed, bad, or info when the
// numbers cannot carry a judgement).
import {
  ckaReading, jaccardOutweighsShare, NOISE_MARGIN_POINTS, noiseGaps, noiseStanding, pointsMoved, SIMILAR_CHURN_POINTS, SNAPSHOT_DRIFT_P, SNAPSHOT_WEAK_P, verdictTone, type Tone,
} from './judgement';
import type { Report } from './types';

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const num = (x: number): string => x.toFixed(2);

/** What a verdict is about, so a front door can link it (the webview sends each to its tab). */
export type VerdictKind =
  | 'churn' | 'documents' | 'hnsw' | 'anchors' | 'anchors-changed' | 'pairs' | 'queries' | 'ood'
  | 'space' | 'tokens' | 'tokens-churn' | 'truncation' | 'snapshot'
  | 'retention' | 'noise-floor' | 'migration' | 'judged';

export interface VerdictLine {
  kind: VerdictKind;
  text: string;
  /** Judged in the core (judgement.ts); front doors show it, never re-decide it. */
  tone: Tone;
}


/** The headline verdicts as sentences (the CLI prints them). */
export function summarizeReport(report: Report): string[] {
  return reportVerdicts(report).map((v) => v.text);
}

export function reportVerdicts(report: Report): VerdictLine[] {
  const lines: VerdictLine[] = [];
  const push = (kind: VerdictKind, text: string): void => { lines.push({ kind, text, tone: verdictTone(kind, report) }); };
  const { neighbors: nb, anchors, space, tokenization: tok } = report;
  const labelA = report.configs.a.label || 'A';
  const labelB = report.configs.b.label || 'B';

  // Neighbor churn.
  if (nb.items.length > 0) {
    const loss = nb.churnThreshold === 0.5 ? 'lose more than half of' : `keep less than ${pct(nb.churnThreshold)} of`;
    const ci = nb.sampled ? ` (an estimate from a seeded sample of ${nb.sampled.size} of ${nb.sampled.total}: 95% CI ${pct(nb.sampled.churnedShareCi[0])}-${pct(nb.sampled.churnedShareCi[1])})` : '';
    const through = nb.comparison === 'aligned' ? ', matching chunks by character overlap' : '';
    // Snapshot runs: chunks of removed or added files have nothing to compare with; say they were left out.
    const apart = nb.unmatched ? `, over chunks present in both (${plural(nb.unmatched.a, 'chunk')} of removed text and ${plural(nb.unmatched.b, 'chunk')} of added files left out)` : '';
    if (nb.churnedShare === null) push('churn', `Neighbor churn at k = ${nb.k} is not measured: ${report.notMeasured?.['neighbors.churnedShare'] ?? 'a side has too few chunks'}.`);
    else {
      // Few chunks past the churn line can hide that most chunks lose a neighbor or two: say it when that is what judges.
      const spread = jaccardOutweighsShare(nb.churnedShare, nb.meanJaccard)
        ? `; few chunks cross that line, but on average ${String(Number((nb.k * (1 - nb.meanOverlap)).toFixed(1)))} of each chunk's ${nb.k} neighbors are replaced` : '';
      push('churn', `${pct(nb.churnedShare)} of chunks ${loss} their ${nb.k} nearest neighbors${ci}${through}${apart}; mean Jaccard@${nb.k} ${num(nb.meanJaccard)}, RBO ${num(nb.meanRbo)}${spread}.`);
    }
    if (nb.documents && nb.documents.files > 0) {
      push('documents', `At file level, a file's chunks find their neighbors in ${pct(nb.documents.meanJaccard)} the same files under ${labelA} and ${labelB} (mean Jaccard over ${plural(nb.documents.files, 'file')}).`);
    }
    if (nb.recallAtK) {
      const source = nb.method === 'database' ? `the stores' own search (${[report.stores?.a?.index, report.stores?.b?.index].filter(Boolean).join(', ') || 'flat'})` : 'an HNSW index';
      push('hnsw', `Neighbors came from ${source}: recall@${nb.k} against exact search ${num(nb.recallAtK.a)} (A), ${num(nb.recallAtK.b)} (B).`);
    }
  }

  const floor = noiseFloorVerdict(report, labelA);
  if (floor) push('noise-floor', floor);
  const retention = retentionVerdict(report, labelA, labelB);
  if (retention) push('retention', retention);
  if (report.migrationDepth) push('migration', report.retention ? settingOnlyMigration(report, labelA, labelB) : migrationVerdict(report, labelA, labelB));

  // Golden set.
  if (anchors.count === 0 && anchors.unmatched) {
    push('anchors', `No anchor is scored: the expected text of all ${plural(anchors.unmatched, 'anchor')} is gone from ${labelB}'s corpus.`);
  }
  if (anchors.count > 0) {
    const k = nb.k;
    const { a, b } = anchors;
    const hit = pointsMoved(a.hitAtK, b.hitAtK);
    const gone = anchors.unmatched ? `; ${plural(anchors.unmatched, 'anchor')} whose expected text is gone from ${labelB}'s corpus left out` : '';
    const what = anchors.source === 'auto' ? `Auto-anchors (${autoOrigin(anchors.count + (anchors.unmatched ?? 0), anchors.auto)}${gone})` : `Golden set (${plural(anchors.count, 'anchor')}${gone})`;
    const numbers = `hit@${k} ${num(a.hitAtK)} -> ${num(b.hitAtK)} (${signed(hit)} ${Math.abs(hit) === 1 ? 'point' : 'points'}), MRR@${k} ${num(a.mrrAtK)} -> ${num(b.mrrAtK)}, nDCG@10 ${num(a.ndcg10)} -> ${num(b.ndcg10)}; ` +
      `the top ${k} hold ${pct(a.spanRecallAtK)} -> ${pct(b.spanRecallAtK)} of the expected text (IoU ${num(a.spanIouAtK)} -> ${num(b.spanIouAtK)})`;
    if (!anchors.conclusive) {
      push('anchors', `${what}: ${numbers}. Not conclusive: ${plural(anchors.count, 'anchor is', 'anchors are')} fewer than the ${anchors.minimumAnchors} a verdict needs (one anchor moves hit@${k} by ${Math.round(100 / anchors.count)} points).`);
    } else {
      push('anchors', `${what}: ${numbers}.`);
    }
    const lost = anchors.items.filter((x) => x.rankA !== null && x.rankB === null).length;
    const won = anchors.items.filter((x) => x.rankA === null && x.rankB !== null).length;
    const moved = [
      ...(lost > 0 ? [`${plural(lost, 'anchor')} found under ${labelA} ${lost === 1 ? 'is' : 'are'} missed under ${labelB}`] : []),
      ...(won > 0 ? [`${plural(won, 'anchor')} missed under ${labelA} ${won === 1 ? 'is' : 'are'} found under ${labelB}`] : []),
    ];
    if (moved.length > 0) push('anchors-changed', `${moved.join('; ')} (in the top ${k}).`);
    // Judged@k: the scores above count every hit off the labelled spans as a miss; say how much of the top k that is.
    if (a.judgedAtK !== null && b.judgedAtK !== null && Math.min(a.judgedAtK, b.judgedAtK) < 1) {
      const label = anchors.source === 'file' ? `; label those that answer it in the Anchors tab ("label as expected")` : '';
      push('judged', `Judged@${k}: ${pct(a.judgedAtK)} of ${labelA}'s top ${k} and ${pct(b.judgedAtK)} of ${labelB}'s overlap a span labelled for the query; ` +
        `hit@${k}, MRR@${k} and nDCG@10 count the other hits as misses, though some may answer the query${label}.`);
    }
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
        push('pairs', `${n} (${scale}): largest drop "${clip(worst.a)}" / "${clip(worst.b)}", ${ordinal(worst.percentileA)} -> ${ordinal(worst.percentileB)} percentile.`);
      } else {
        push('pairs', `${n} (${scale}): none ranks lower under ${labelB}.`);
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
    push('ood', `Off-topic for this corpus: ${flaggedA} of ${plural(items.length, 'query', 'queries')} under ${labelA}, ${flaggedB} under ${labelB} (no chunk matches them better than unrelated everyday questions match it, beyond what the top ${top}% of those questions reach).`);
  }

  // Space.
  if (space.linearCka !== null) {
    // Same model and chunks, vectors stored another way: nothing is re-embedded, so an adapter has nothing to spare.
    const adapter = report.retention ? '; the same model stored another way, so no adapter applies (the retention line says what the setting costs)'
      : space.procrustesOverlap === null ? '' : `; an orthogonal adapter recovers ${pct(space.procrustesOverlap)} of neighbors`;
    push('space', `CKA ${num(space.linearCka)}: ${ckaReading(space.linearCka)}${adapter}.`);
  }

  // Tokenization.
  if (tok.a.tokenizer === tok.b.tokenizer) {
    push('tokens', `Same tokenizer on both sides (${tok.a.tokenizer}): every term is split the same way.`);
  } else if (tok.shatteredTerms) {
    const { a, b } = tok.shatteredTerms;
    if (b > 0) push('tokens', `${labelB}'s tokenizer shatters ${plural(b, 'term')} of this corpus into 3+ pieces (or does not know them) that ${labelA}'s keeps whole${a > 0 ? `; the reverse holds for ${a}` : ''}.`);
    else if (a > 0) push('tokens', `${labelA}'s tokenizer shatters ${plural(a, 'term')} of this corpus into 3+ pieces (or does not know them) that ${labelB}'s keeps whole.`);
    else push('tokens', `Neither tokenizer shatters a term of this corpus that the other keeps whole.`);
  }
  // Only a change of tokenizer can make chunks churn for their terms' sake.
  if (tok.churnByNewVocabulary && tok.churnByNewVocabulary.chunksWithTerms > 0 && tok.a.tokenizer !== tok.b.tokenizer) {
    const c = tok.churnByNewVocabulary;
    const withTerms = pct(c.withTerms);
    const without = pct(c.withoutTerms);
    const similar = Math.abs(pointsMoved(c.withoutTerms, c.withTerms)) < SIMILAR_CHURN_POINTS;
    const one = c.chunksWithTerms === 1;
    const holding = `${plural(c.chunksWithTerms, 'chunk')} holding terms a tokenizer shatters or does not know`;
    push('tokens-churn', withTerms === without
      ? `The ${holding} ${one ? 'churns' : 'churn'} as much as the others: both lose ${withTerms} of their neighbors.`
      : similar ? `The ${holding} ${one ? 'churns' : 'churn'} about as much as the others: ${withTerms} vs ${without} of neighbors lost.`
      : `The ${holding} ${one ? 'loses' : 'lose'} ${withTerms} of ${one ? 'its' : 'their'} neighbors, the others ${without}: ${one ? 'it churns' : 'they churn'} ${c.withTerms > c.withoutTerms ? 'more' : 'less'}.`);
  }

  for (const [side, t] of [[labelA, report.truncation.a], [labelB, report.truncation.b]] as const) {
    if (t.truncated > 0) push('truncation', `${side}: ${pct(t.share)} of chunks exceed the model's ${t.maxTokens} tokens; ${pct(t.textShare)} of the corpus text is never embedded.`);
  }
  for (const [side, t] of [[labelA, report.truncation.a], [labelB, report.truncation.b]] as const) {
    if (t.zeroVectors > 0) push('truncation', `${side}: ${plural(t.zeroVectors, 'chunk')} got a zero vector (the model knows none of their tokens): they match nothing, and their neighbors are arbitrary.`);
  }

  if (report.snapshot) {
    const s = report.snapshot;
    const verdict = s.mmdPValue < SNAPSHOT_DRIFT_P ? 'the corpus has drifted' : s.mmdPValue < SNAPSHOT_WEAK_P ? 'weak evidence of drift' : 'no significant drift';
    push('snapshot', `Snapshots: ${verdict} (MMD p=${s.mmdPValue.toPrecision(2)}, classifier AUC ${num(s.classifierAuc)}, ${pct(s.driftedDimensionShare)} of dimensions drifted).`);
  }
  return lines;
}

/** Whether A-to-B churn exceeds what changes that should not matter cause on A alone. */
function noiseFloorVerdict(report: Report, labelA: string): string | null {
  const f = report.noiseFloor;
  if (!f) return null;
  const skipped = f.skipped.map((s) => s.reason).join('; ');
  const source = f.sources.find((s) => s.source === f.largest);
  if (f.churnedShare === null || f.meanJaccard === null || !source) return `No noise floor could be measured on ${labelA}${skipped ? `: ${skipped}` : ''}.`;
  const nb = report.neighbors;
  const only = f.sources.length === 1 && skipped ? ` (only ${source.source} was measured: ${skipped})` : '';
  const floorText = `${pct(f.churnedShare)} of chunks churn and mean Jaccard@${nb.k} is ${num(f.meanJaccard)} with ${source.variant}${only}`;
  const standing = noiseStanding(report);
  if (nb.churnedShare === null || standing === null) return `A-to-B churn is not measured, so it is not compared with the noise floor: on ${labelA} alone, ${floorText}.`;
  const ours = `A-to-B churn (${pct(nb.churnedShare)}, mean Jaccard@${nb.k} ${num(nb.meanJaccard)})`;
  switch (standing) {
    case 'above': {
      // Above by mean Jaccard alone: the lists changed, but not past the churn threshold; say so, or "0% ... above 0%" reads as a contradiction.
      const by = noiseGaps(report)!.churn > NOISE_MARGIN_POINTS ? '' : ` by mean Jaccard@${nb.k}, not by churned share`;
      return `${ours} is above the noise floor${by}: on ${labelA} alone, ${floorText}. The change moves neighbors more than that.`;
    }
    case 'near': return `${ours} is near the noise floor (within ${NOISE_MARGIN_POINTS} points): on ${labelA} alone, ${floorText}.`;
    case 'within': return `${ours} is within the noise floor: on ${labelA} alone, ${floorText}; the change moves neighbors no more than that.`;
  }
}

/** What a side's vectors setting keeps, against the published figures when they measure the same thing. */
function retentionVerdict(report: Report, labelA: string, labelB: string): string | null {
  const r = report.retention;
  if (!r) return null;
  const [own, other] = r.side === 'a' ? [labelA, labelB] : [labelB, labelA];
  const setting = report.configs[r.side].vectors?.description ?? 'its setting';
  const k = report.neighbors.k;
  // One decimal: these sit close to 100% and are read against published figures like 92.5%.
  const pct1 = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const golden = r.ndcg10 !== null ? `, and ${pct1(r.ndcg10)} of ${other}'s golden-set nDCG@10`
    : r.hitAtK !== null ? `, and ${pct1(r.hitAtK)} of ${other}'s golden-set hit@${k}` : '';
  // Published figures are retrieval-quality ratios; a neighbor overlap is stricter and not comparable.
  const published = !r.published ? '' : (r.ndcg10 ?? r.hitAtK) !== null ? ` (published: ${r.published})`
    : ` (published figures, ${r.published}, are retrieval-quality ratios, not neighbor overlap: add golden queries to compare)`;
  // The golden-set verdict calls a small set not conclusive; the same anchors cannot vouch for the setting either (the tone follows the neighbors).
  const an = report.anchors;
  const small = golden && !an.conclusive ? `; the golden-set figure is not conclusive (${plural(an.count, 'anchor')}, fewer than the ${an.minimumAnchors} a verdict needs)` : '';
  return `${own} stores vectors as ${setting}: it keeps ${pct1(r.neighbors)} of the top-${k} neighbors that ${other}'s float vectors give${golden}${published}${small}.`;
}

/**
 * A vectors setting on the same model and chunks re-embeds nothing, so no progressive migration
 * needs planning; its depth ("float must return 94 candidates for binary to rerank") would be read as
 * the rescoring depth, which it is not (that is the other direction: the quantized index returns, floats rerank).
 */
function settingOnlyMigration(report: Report, labelA: string, labelB: string): string {
  const r = report.retention!;
  const [own, other] = r.side === 'a' ? [labelA, labelB] : [labelB, labelA];
  const rescore = report.configs[r.side].vectors?.quantize
    ? `; how many quantized candidates to rescore with the float vectors is what "rescore" sets: compare runs with different values` : '';
  return `Migration depth is no guide here: ${own} differs from ${other} only in how its vectors are stored, so nothing is re-embedded and no progressive migration is needed${rescore}.`;
}

function migrationVerdict(report: Report, labelA: string, labelB: string): string {
  const m = report.migrationDepth!;
  const scope = `${m.comparison === 'aligned' ? 'chunks matched by character overlap, ' : ''}chunks as queries${m.items < m.total ? `, ${m.items} of ${m.total} sampled` : ''}`;
  const atK = `${labelA}'s own top-${m.k} holds ${pct(m.recallAtK)} of ${labelB}'s`;
  if (m.kFor95Percent === null) {
    const why = m.unreachable > 0 ? `: ${pct(m.unreachable)} of ${labelB}'s neighbors are text no ${labelA} chunk covers` : '';
    return `Reranking ${labelA}'s candidates with ${labelB} never recovers 95% of ${labelB}'s top-${m.k}${why}; ${atK} (${scope}).`;
  }
  if (m.kFor95Percent <= m.k) return `${atK} top-${m.k}: ${labelB} can rerank ${labelA}'s results as they are during a migration (${scope}).`;
  const kFor99Percent = m.kFor99Percent === null ? 'and never 99%' : `${m.kFor99Percent} for 99%`;
  // The last depth on the curve is every other chunk: the most A could return.
  const most = m.curve.length > 0 ? ` of ${m.curve[m.curve.length - 1]!.K}` : '';
  return `To serve ${labelB} over ${labelA}'s index, ${labelA} must return ${m.kFor95Percent}${most} candidates per query (${multiple(m.kFor95Percent / m.k)} k) for ${labelB} to recover 95% of its own top-${m.k}, ${kFor99Percent}; ${atK} (${scope}).`;
}

/** A multiple of k as a person sizes a search: "4x", "2.5x", "15x" (two decimals would claim a precision the depth curve's steps do not have). */
function multiple(x: number): string {
  return `${x >= 10 ? Math.round(x) : Number(x.toFixed(1))}x`;
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

export function plural(count: number, noun: string, nouns = `${noun}s`): string {
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

/** Two snapshots' file changes in words, e.g. "files: 2 added (a.md, b.md), 1 removed (c.md), 3 changed, 17 unchanged". */
export function describeFileChanges(c: { added: string[]; removed: string[]; changed: string[]; unchanged: number }, names = 3): string {
  const part = (list: string[], what: string): string => {
    const shown = list.slice(0, names).join(', ');
    return `${list.length} ${what}${list.length > 0 ? ` (${shown}${list.length > names ? `, and ${list.length - names} more` : ''})` : ''}`;
  };
  return `files: ${part(c.added, 'added')}, ${part(c.removed, 'removed')}, ${part(c.changed, 'changed')}, ${c.unchanged} unchanged`;
}
