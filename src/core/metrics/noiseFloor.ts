// The noise floor: churn that changes which should not matter cause on side A alone (the other
// inference backend, the other dtype, approximate against exact search), measured with the very
// definitions of A-to-B churn, so "B churns more than the floor" compares like with like.
import type { ChunkSpan } from '../types';
import { neighborChurn, type RowLists } from './churn';
import { round } from './stats';

export type NoiseSource = 'backend' | 'dtype' | 'search';

export interface NoiseMeasurement {
  source: NoiseSource;
  /** What was compared with A as configured, e.g. "WASM instead of native", "fp32 instead of q8". */
  variant: string;
  churnedShare: number;
  meanJaccard: number;
  meanOverlap: number;
}

export interface NoiseSkip {
  source: NoiseSource;
  /** Why this source could not be measured here (a sentence for the user). */
  reason: string;
}

export interface NoiseFloorSummary {
  /** From the source that churned most; null when no source could be measured (never invented). */
  churnedShare: number | null;
  meanJaccard: number | null;
  meanOverlap: number | null;
  largest: NoiseSource | null;
  sources: NoiseMeasurement[];
  skipped: NoiseSkip[];
}

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
export function summarizeNoiseFloor(measured: readonly NoiseMeasurement[], skipped: readonly NoiseSkip[]): NoiseFloorSummary {
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
