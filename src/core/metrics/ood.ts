// Out-of-distribution queries: "is this query about this corpus?", asked of each side's model.
// Each chunk has a background level: how close everyday questions no corpus of this kind is about
// (OOD_BACKGROUND) come to it under the same model, the mean cosine of the OOD_LEVEL_NEIGHBORS
// closest ones (the hubness term of CSLS, Conneau et al. 2018). A query's lift is how far it rises
// above that level at the chunk where it rises most: max over chunks of (cosine - level).
// Subtracting the level per chunk removes what any question shares with a chunk (its wording as
// a question, stop words, a model's common direction): averaged word vectors such as GloVe put
// every sentence near every other and a few chunks near every question, so best-minus-mean lifts
// of on- and off-topic queries were the same size (18 of 24 on-topic demo anchors flagged). The
// threshold is the same lift measured on the background questions themselves, each against the
// level of the others (leave one out), on the same chunks under the same model: it is in that
// model's own units, and since more or overlapping chunks raise the background's best match as
// much as a query's, it does not move with chunk count or overlap. A query is flagged when it
// stands out no more than the top share of background questions do.
import type { OutOfDistribution } from '../report/types';
import type { QueryScores } from '../index/queryScores';
import { quantile, round } from './stats';

/** How many of the closest background questions make a chunk's level (CSLS uses 10; 5 separated best on the demo and four outside corpora). */
export const OOD_LEVEL_NEIGHBORS = 5;

/**
 * Per chunk, the `k + 1` largest background cosines (largest first) and whose they are: the level
 * is the mean of the first k; leaving one of them out brings in the (k+1)-th.
 */
function closestBackground(background: readonly QueryScores[], chunks: number, k: number): { values: Float64Array; who: Int32Array } {
  const width = k + 1;
  const values = new Float64Array(chunks * width).fill(-Infinity);
  const who = new Int32Array(chunks * width).fill(-1);
  for (let j = 0; j < chunks; j++) {
    const base = j * width;
    for (let i = 0; i < background.length; i++) {
      const v = background[i]!.scores[j]!;
      if (v <= values[base + k]!) continue;
      let at = k;
      while (at > 0 && values[base + at - 1]! < v) { values[base + at] = values[base + at - 1]!; who[base + at] = who[base + at - 1]!; at--; }
      values[base + at] = v;
      who[base + at] = i;
    }
  }
  return { values, who };
}

/**
 * Per chunk, the mean cosine of the k background questions closest to it (k = `neighbors`, at
 * most one fewer than there are questions, so that leaving one out still leaves k), and each
 * background question's lift over the level of the others.
 */
export function backgroundReference(background: readonly QueryScores[], chunks: number, neighbors = OOD_LEVEL_NEIGHBORS): { level: Float64Array; lifts: number[] } {
  const k = Math.min(neighbors, background.length - 1);
  const level = new Float64Array(chunks);
  if (k < 1) return { level, lifts: [] };
  const { values, who } = closestBackground(background, chunks, k);
  const width = k + 1;
  for (let j = 0; j < chunks; j++) {
    let sum = 0;
    for (let t = 0; t < k; t++) sum += values[j * width + t]!;
    level[j] = sum / k;
  }
  const lifts = background.map((b, i) => {
    let best = -Infinity;
    for (let j = 0; j < chunks; j++) {
      const base = j * width;
      let others = level[j]!;
      for (let t = 0; t < k; t++) {
        if (who[base + t] === i) { others = level[j]! + (values[base + k]! - values[base + t]!) / k; break; }
      }
      best = Math.max(best, b.scores[j]! - others);
    }
    return chunks === 0 ? 0 : best;
  });
  return { level, lifts };
}

/** max over chunks of (cosine - level); 0 for a side without chunks. */
export function lift(scores: ArrayLike<number>, level: ArrayLike<number>): number {
  let best = -Infinity;
  for (let j = 0; j < scores.length; j++) best = Math.max(best, scores[j]! - level[j]!);
  return scores.length === 0 ? 0 : best;
}

/** One side's threshold (from the background questions) and each query's lift and flag. */
export function oodSide(queries: readonly QueryScores[], background: readonly QueryScores[], share: number): { threshold: number; lifts: number[]; flagged: boolean[] } {
  const chunks = queries[0]?.scores.length ?? background[0]?.scores.length ?? 0;
  const { level, lifts: reference } = backgroundReference(background, chunks);
  const threshold = quantile(reference, share);
  const lifts = queries.map((q) => lift(q.scores, level));
  return { threshold, lifts, flagged: lifts.map((x) => x <= threshold) };
}

/**
 * Flags per query and side; `backgroundA/B` are the OOD_BACKGROUND questions scored against each
 * side's chunks; `share` is the quantile of their lifts that is the threshold (judgement.ts).
 */
export function outOfDistribution(
  queries: readonly string[], a: readonly QueryScores[], b: readonly QueryScores[],
  backgroundA: readonly QueryScores[], backgroundB: readonly QueryScores[], share: number,
): OutOfDistribution {
  const sideA = oodSide(a, backgroundA, share);
  const sideB = oodSide(b, backgroundB, share);
  const best = (s: QueryScores): number => s.scores[s.top[0] ?? -1] ?? 0;
  const items = queries.map((query, i) => ({
    query, topA: round(best(a[i]!)), topB: round(best(b[i]!)), liftA: round(sideA.lifts[i]!), liftB: round(sideB.lifts[i]!),
    flaggedA: sideA.flagged[i]!, flaggedB: sideB.flagged[i]!,
  }));
  const flaggedShare = (flags: boolean[]): number => (flags.length === 0 ? 0 : round(flags.filter(Boolean).length / flags.length));
  return {
    background: Math.min(backgroundA.length, backgroundB.length),
    quantile: share,
    threshold: { a: round(sideA.threshold), b: round(sideB.threshold) },
    flaggedShare: { a: flaggedShare(sideA.flagged), b: flaggedShare(sideB.flagged) },
    items,
  };
}
