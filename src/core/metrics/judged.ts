// Judged@k: the share of a side's top-k for golden queries that overlaps a span labelled for that
// query. A new model often surfaces passages nobody labelled, and hit@k then understates it (BEIR
// measured up to 32% unjudged top-10 for dense models on TREC-COVID); the unjudged hits are listed
// per query so they can be labelled. A query written on several lines of the anchors file is one
// query with all of its spans.
import type { ChunkSpan } from '../types';
import { spanOverlap } from './align';
import type { AnchorQuery } from './anchors';
import { mean } from './stats';

export interface JudgedQuery {
  query: string;
  /** Share of the retrieved chunks that overlap one of the query's labelled spans. */
  judged: number;
  /** Retrieved chunks (indices into the side's chunks) overlapping none of them, best first. */
  unjudged: number[];
}

export interface JudgedResult {
  /** Mean over distinct queries of `judged`; null without queries. */
  judgedAtK: number | null;
  queries: JudgedQuery[];
}

/**
 * `retrieved[i]` is what the side returned for `anchors[i]` (best first); the first `k` count.
 * Queries are grouped by their exact text; a group's retrieved list is its first anchor's.
 */
export function judgedAtK(anchors: readonly AnchorQuery[], retrieved: readonly (readonly number[])[], chunks: readonly ChunkSpan[], k: number): JudgedResult {
  const groups = new Map<string, { spans: ChunkSpan[]; hits: readonly number[] }>();
  anchors.forEach((anchor, i) => {
    const group = groups.get(anchor.query);
    if (group) group.spans.push(anchor.span);
    else groups.set(anchor.query, { spans: [anchor.span], hits: (retrieved[i] ?? []).slice(0, k) });
  });
  const queries: JudgedQuery[] = [...groups].map(([query, { spans, hits }]) => {
    const unjudged = hits.filter((j) => !spans.some((s) => spanOverlap(s, chunks[j]!) > 0));
    return { query, judged: hits.length === 0 ? 0 : (hits.length - unjudged.length) / hits.length, unjudged: [...unjudged] };
  });
  return { judgedAtK: queries.length === 0 ? null : mean(queries.map((q) => q.judged)), queries };
}
