// Golden-set scores of one ranked list against the span a query is labelled with, defined so they
// compare across chunkers: ranks count the labelled span once (finer chunks put more chunks on
// one span, which must not raise or lower a score), and the text retrieved is measured against
// the labelled text in characters, as chunking research does (Smith and Troynikov 2024, "Evaluating
// Chunking Strategies for Retrieval", Chroma: token-level recall, precision and IoU).
import type { ChunkSpan } from '../types';

export interface RankScores {
  /** 1-based rank of the first chunk that overlaps the labelled span, when it is within k. */
  rank: number | null;
  /** hit@k: 1 when some chunk in the top k overlaps the span. */
  hit: number;
  /** Reciprocal rank at k (MRR@k averages it): 1/rank, 0 beyond k. */
  reciprocal: number;
  /**
   * nDCG@10 with the labelled span as the one relevant item: the first chunk that overlaps it
   * gains 1 / log2(rank + 1), later chunks on the same span gain nothing, and the ideal is 1.
   */
  ndcg10: number;
}

/** Rank scores from which retrieved chunks (best first) overlap the labelled span. */
export function rankScores(overlaps: readonly boolean[], k: number): RankScores {
  const first = overlaps.findIndex((x) => x);
  const rank = first >= 0 && first < k ? first + 1 : null;
  return {
    rank,
    hit: rank === null ? 0 : 1,
    reciprocal: rank === null ? 0 : 1 / rank,
    ndcg10: first >= 0 && first < 10 ? 1 / Math.log2(first + 2) : 0,
  };
}

export interface SpanScores {
  /** Labelled characters retrieved / labelled characters. */
  recall: number;
  /** Labelled characters retrieved / characters retrieved (each chunk counted in full, overlaps as often as retrieved). */
  precision: number;
  /** Labelled characters retrieved / (characters retrieved + labelled characters not retrieved). */
  iou: number;
}

/**
 * Character recall, precision and IoU of the retrieved chunks against the labelled span, as in
 * Chroma's chunking evaluation: a labelled character counts once however many chunks hold it, while
 * the retrieved text counts every chunk in full, so text that overlapping chunks repeat is a cost.
 */
export function spanScores(labelled: ChunkSpan, retrieved: readonly ChunkSpan[]): SpanScores {
  const length = labelled.end - labelled.start;
  let retrievedChars = 0;
  const inside: Array<[number, number]> = [];
  for (const r of retrieved) {
    retrievedChars += r.end - r.start;
    if (r.file !== labelled.file) continue;
    const start = Math.max(r.start, labelled.start);
    const end = Math.min(r.end, labelled.end);
    if (end > start) inside.push([start, end]);
  }
  const found = unionLength(inside);
  const denominator = retrievedChars + length - found;
  return {
    recall: length > 0 ? found / length : 0,
    precision: retrievedChars > 0 ? found / retrievedChars : 0,
    iou: denominator > 0 ? found / denominator : 0,
  };
}

/** Total length of the union of [start, end) ranges. */
function unionLength(ranges: Array<[number, number]>): number {
  ranges.sort((x, y) => x[0] - y[0]);
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of ranges) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total;
}
