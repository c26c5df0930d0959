// Retrieval of queries against one side's chunks: golden-set scores for anchors (rank, hit@k,
// MRR, nDCG@10, cosine and its percentile) and retrieval churn of plain queries between A and B.
import type { QueryScores } from '../index/queryScores';
import type { ChunkSpan } from '../types';
import type { AnchorItem, QueryChurnItem, RetrievalQuality } from '../report/types';
import type { AnchorQuery } from './anchors';
import { rankScores } from './anchors';
import { SpanIndex } from './align';
import { compareLists } from './churn';
import { overlapAtK, rankBiasedOverlap } from './rbo';
import { mean, percentileOf, round } from './stats';

export interface AnchorSide {
  rank: number | null;
  hit: number;
  reciprocal: number;
  ndcg10: number;
  cos: number;
  percentile: number;
  retrieved: number[];
}

/** One side's view of each anchor: where the expected span ranks among `k` retrieved chunks. */
export function evaluateAnchors(anchors: readonly AnchorQuery[], scored: readonly QueryScores[], chunks: readonly ChunkSpan[], k: number): AnchorSide[] {
  const index = new SpanIndex(chunks);
  return anchors.map((anchor, i) => {
    const { scores, top } = scored[i]!;
    const relevantSet = new Set(index.overlapping(anchor.span));
    const rs = rankScores(top.map((j) => relevantSet.has(j)), relevantSet.size, k);
    let cos = -1;
    for (const j of relevantSet) cos = Math.max(cos, scores[j]!);
    const percentile = relevantSet.size === 0 ? 0 : percentileOf(cos, scores);
    return { ...rs, cos: relevantSet.size === 0 ? 0 : cos, percentile, retrieved: top.slice(0, k) };
  });
}

export function retrievalQuality(sides: readonly AnchorSide[]): Omit<RetrievalQuality, 'judgedAtK'> {
  return {
    hitAtK: round(mean(sides.map((s) => s.hit))),
    mrr: round(mean(sides.map((s) => s.reciprocal))),
    ndcg10: round(mean(sides.map((s) => s.ndcg10))),
  };
}

export function anchorItems(anchors: readonly AnchorQuery[], a: readonly AnchorSide[], b: readonly AnchorSide[]): Array<Omit<AnchorItem, 'unjudgedA' | 'unjudgedB'>> {
  return anchors.map((anchor, i) => {
    const sa = a[i]!;
    const sb = b[i]!;
    return {
      query: anchor.query, expect: anchor.expect, file: anchor.span.file, start: anchor.span.start, end: anchor.span.end,
      rankA: sa.rank, rankB: sb.rank, cosA: round(sa.cos), cosB: round(sb.cos),
      percentileA: round(sa.percentile), percentileB: round(sb.percentile), shift: round(sb.percentile - sa.percentile),
      retrievedA: sa.retrieved, retrievedB: sb.retrieved, auto: anchor.auto,
    };
  });
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
