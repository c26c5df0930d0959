// Retrieval of queries against one side's chunks: golden-set scores for anchors (rank, hit@k,
// MRR@k, nDCG@10, character recall/precision/IoU of the labelled span, cosine and its percentile)
// and retrieval churn of plain queries between A and B.
import type { QueryScores } from '../index/queryScores';
import type { ChunkSpan, CorpusFile } from '../types';
import type { AnchorItem, PairItem, QueryChurnItem, RetrievalQuality } from '../report/types';
import type { AnchorPair, AnchorQuery } from './anchors';
import type { PairScores } from './pairs';
import { rankScores, spanScores, type RankScores, type SpanScores } from './golden';
import { SpanIndex } from './align';
import { compareLists } from './churn';
import { overlapAtK, rankBiasedOverlap } from './rbo';
import { mean, percentileOf, round } from './stats';

export interface AnchorSide extends RankScores {
  cos: number;
  percentile: number;
  retrieved: number[];
  span: SpanScores;
}

/**
 * One side's view of each anchor: where the labelled span ranks among the `k` retrieved chunks, how
 * much of its text they hold, and the best cosine of a chunk on it (raw and as a percentile of that
 * query's scores over all chunks). Ties in the ranking: the lower chunk index (corpus order) first.
 */
export function evaluateAnchors(anchors: readonly AnchorQuery[], scored: readonly QueryScores[], chunks: readonly ChunkSpan[], k: number): AnchorSide[] {
  const index = new SpanIndex(chunks);
  return anchors.map((anchor, i) => {
    const { scores, top } = scored[i]!;
    const onSpan = new Set(index.overlapping(anchor.span));
    const retrieved = top.slice(0, k);
    let cos = -1;
    for (const j of onSpan) cos = Math.max(cos, scores[j]!);
    const percentile = onSpan.size === 0 ? 0 : percentileOf(cos, scores);
    return {
      ...rankScores(top.map((j) => onSpan.has(j)), k),
      cos: onSpan.size === 0 ? 0 : cos, percentile, retrieved,
      span: spanScores(anchor.span, retrieved.map((j) => chunks[j]!)),
    };
  });
}

export function retrievalQuality(sides: readonly AnchorSide[]): Omit<RetrievalQuality, 'judgedAtK'> {
  const avg = (f: (s: AnchorSide) => number): number => round(mean(sides.map(f)));
  return {
    hitAtK: avg((s) => s.hit),
    mrrAtK: avg((s) => s.reciprocal),
    ndcg10: avg((s) => s.ndcg10),
    spanRecallAtK: avg((s) => s.span.recall),
    spanPrecisionAtK: avg((s) => s.span.precision),
    spanIouAtK: avg((s) => s.span.iou),
  };
}

export function anchorItems(
  anchors: readonly AnchorQuery[], a: readonly AnchorSide[], b: readonly AnchorSide[], previewChars: number, files: readonly CorpusFile[],
): Array<Omit<AnchorItem, 'unjudgedA' | 'unjudgedB'>> {
  const texts = new Map(files.map((f) => [f.path, f.text]));
  return anchors.map((anchor, i) => {
    const sa = a[i]!;
    const sb = b[i]!;
    const { file, start, end } = anchor.span;
    return {
      query: anchor.query, expect: anchor.expect, expectText: (texts.get(file) ?? '').slice(start, Math.min(end, start + previewChars)), file, start, end,
      rankA: sa.rank, rankB: sb.rank,
      spanRecallA: round(sa.span.recall), spanRecallB: round(sb.span.recall), spanIouA: round(sa.span.iou), spanIouB: round(sb.span.iou),
      cosA: round(sa.cos), cosB: round(sb.cos),
      percentileA: round(sa.percentile), percentileB: round(sb.percentile), shift: round(sb.percentile - sa.percentile),
      retrievedA: sa.retrieved, retrievedB: sb.retrieved, auto: anchor.auto,
    };
  });
}

/** Pairs under A and B: raw cosines, and the percentiles that compare across models (metrics/pairs.ts). */
export function pairItems(pairs: readonly AnchorPair[], a: PairScores, b: PairScores): PairItem[] {
  return pairs.map((p, i) => ({
    a: p.a, b: p.b, cosA: round(a.cos[i]!), cosB: round(b.cos[i]!),
    percentileA: round(a.percentile[i]!), percentileB: round(b.percentile[i]!), shift: round(b.percentile[i]! - a.percentile[i]!),
  }));
}

/** Per query overlap@k and RBO of what A and B retrieve (through character overlap when chunkings differ), most changed first. */
export function queryChurn(
  queries: readonly string[], a: readonly QueryScores[], b: readonly QueryScores[],
  chunksA: readonly ChunkSpan[], chunksB: readonly ChunkSpan[], sameItems: boolean, k: number,
): QueryChurnItem[] {
  const items = queries.map((query, i) => {
    const listA = a[i]!.top.slice(0, k);
    const listB = b[i]!.top.slice(0, k);
    const { mappedB } = compareLists(listA, listB, chunksA, chunksB, sameItems);
    return { query, overlap: round(overlapAtK(listA, mappedB, k)), rbo: round(rankBiasedOverlap(listA, mappedB)), retrievedA: listA, retrievedB: listB };
  });
  return items.sort((x, y) => x.rbo - y.rbo || x.overlap - y.overlap);
}
