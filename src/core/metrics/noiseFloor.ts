// The noise floor: churn that changes which should not matter cause on side A alone (the other
// inference backend, the other dtype, approximate against exact search), measured with the very
// definitions of A-to-B churn, so "B churns more than the floor" compares like with like.
import type { NoiseFloor, NoiseMeasurement } from '../report/types';
import type { ChunkSpan } from '../types';
import { neighborChurn, type RowLists } from './churn';
import { round } from './stats';

/**
 * Churn between A's neighbor lists and a variant's lists of the same items (the same rows, in the
 * same order): neighborChurn with each item its own counterpart.
 */
export async function sameItemChurn(
  base: RowLists, variant: RowLists, chunks: readonly ChunkSpan[], k: number, churnThreshold: number, signal?: AbortSignal,
): Promise<Pick<NoiseMeasurement, 'churnedShare' | 'meanJaccard' | 'meanOverlap'>> {
  const counterpart = Int32Array.from({ length: chunks.length }, (_, i) => i);
  const churn = await neighborChurn({
    chunksA: chunks, chunksB: chunks, neighborsA: base, neighborsB: variant, counterpart, sameItems: true, k, churnThreshold, signal,
  });
  return { churnedShare: churn.churnedShare, meanJaccard: churn.meanJaccard, meanOverlap: churn.meanOverlap };
}

/** The floor is the source that churned most: the largest churned share, then the lowest mean Jaccard. */
export function summarizeNoiseFloor(measured: readonly NoiseMeasurement[], skipped: NoiseFloor['skipped']): NoiseFloor {
  const sources = measured.map((m) => ({ ...m, churnedShare: round(m.churnedShare), meanJaccard: round(m.meanJaccard), meanOverlap: round(m.meanOverlap) }));
  const worst = [...sources].sort((x, y) => y.churnedShare - x.churnedShare || x.meanJaccard - y.meanJaccard)[0];
  return {
    churnedShare: worst ? worst.churnedShare : null,
    meanJaccard: worst ? worst.meanJaccard : null,
    meanOverlap: worst ? worst.meanOverlap : null,
    largest: worst ? worst.source : null,
    sources,
    skipped: [...skipped],
  };
}
