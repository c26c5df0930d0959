// Out-of-distribution queries: "is this query about this corpus?", asked of each side's model.
// A query's lift is how far its best chunk stands above its average chunk (best cosine minus mean
// cosine over all chunks): what every chunk shares (stop words, boilerplate, a model's common
// direction) cancels out, and neither chunk overlap nor chunk count moves it much. The threshold
// is the same lift measured on everyday questions no corpus of this kind is about
// (OOD_BACKGROUND), under the same model and chunks, so it is in that model's own units: a query
// is flagged when it stands out from the corpus no more than the top 5% of them do.
import type { OutOfDistribution } from '../report/types';
import type { QueryScores } from '../index/queryScores';
import { mean, quantile, round } from './stats';

/** The share of background questions a query must stand out more than, not to be flagged. */
export const OOD_BACKGROUND_QUANTILE = 0.95;

/** Best cosine minus mean cosine over all chunks; 0 for a side without chunks. */
export function lift(scored: QueryScores): number {
  if (scored.scores.length === 0 || scored.top.length === 0) return 0;
  return scored.scores[scored.top[0]!]! - mean(scored.scores);
}

/** One side's threshold (from the background questions) and each query's lift and flag. */
export function oodSide(queries: readonly QueryScores[], background: readonly QueryScores[]): { threshold: number; lifts: number[]; flagged: boolean[] } {
  const threshold = quantile(background.map(lift), OOD_BACKGROUND_QUANTILE);
  const lifts = queries.map(lift);
  return { threshold, lifts, flagged: lifts.map((x) => x <= threshold) };
}

/** Flags per query and side; `backgroundA/B` are the OOD_BACKGROUND questions scored against each side's chunks. */
export function outOfDistribution(
  queries: readonly string[], a: readonly QueryScores[], b: readonly QueryScores[],
  backgroundA: readonly QueryScores[], backgroundB: readonly QueryScores[],
): OutOfDistribution {
  const sideA = oodSide(a, backgroundA);
  const sideB = oodSide(b, backgroundB);
  const best = (s: QueryScores): number => s.scores[s.top[0] ?? -1] ?? 0;
  const items = queries.map((query, i) => ({
    query, topA: round(best(a[i]!)), topB: round(best(b[i]!)), liftA: round(sideA.lifts[i]!), liftB: round(sideB.lifts[i]!),
    flaggedA: sideA.flagged[i]!, flaggedB: sideB.flagged[i]!,
  }));
  const share = (flags: boolean[]): number => (flags.length === 0 ? 0 : round(flags.filter(Boolean).length / flags.length));
  return {
    background: Math.min(backgroundA.length, backgroundB.length),
    quantile: OOD_BACKGROUND_QUANTILE,
    threshold: { a: round(sideA.threshold), b: round(sideB.threshold) },
    flaggedShare: { a: share(sideA.flagged), b: share(sideB.flagged) },
    items,
  };
}
