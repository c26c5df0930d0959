// Queries scored against a side's chunks as the side's index ranks them (config `vectors`): encoded
// like the chunks, scored by dequantized dot products or Hamming distance, the top rescored with the
// float vectors when the setting rescores.
import { hammingDistance, hammingScore, wordsPerRow } from '../index/hamming';
import { candidateDepth, prepareQueries, rescoreLists } from '../index/quantize';
import type { NeighborLists, PreparedVectors } from '../index/types';
import { scoreQueries, scoreQueriesReusing, topIndices, type QueryScores, type ScoredRows } from '../index/queryScores';
import { yielder } from '../yielding';

/**
 * Query scores against the side's chunks as its index ranks them: `scores` are the index's own
 * (dequantized dot products; Hamming as 1 - 2h/dim), `top` the best `depth` after rescoring when
 * the setting rescores. Raw query rows are encoded like the chunks first.
 */
export async function scorePreparedQueries(
  p: PreparedVectors, raw: Float32Array, depth: number, signal?: AbortSignal,
  reuse?: { previous: ScoredRows | undefined; keep: (scored: ScoredRows) => void },
): Promise<QueryScores[]> {
  const q = prepareQueries(p, raw);
  const dim = p.dimension;
  const m = dim === 0 ? 0 : q.full.length / dim;
  const candidates = candidateDepth(p.spec, depth, p.n);
  let scored: QueryScores[];
  if (q.bits && p.bits) {
    const words = wordsPerRow(dim);
    const pause = yielder(signal);
    scored = [];
    for (let r = 0; r < m; r++) {
      await pause();
      const scores = new Float32Array(p.n);
      for (let j = 0; j < p.n; j++) scores[j] = hammingScore(hammingDistance(q.bits, r, p.bits, j, words), dim);
      scored.push({ scores, top: topIndices(scores, candidates) });
    }
  } else if (reuse) {
    // Dot products of the stored rows (float or dequantized int8): a warm session keeps unchanged ones.
    scored = await scoreQueriesReusing(q.vectors, p.vectors, p.n, dim, candidates, reuse.previous, signal);
    reuse.keep({ queries: q.vectors, chunks: p.vectors, dim, scores: scored });
  } else {
    scored = await scoreQueries(q.vectors, p.vectors, p.n, dim, candidates, signal);
  }
  if (!(p.spec.rescore && p.spec.quantize)) return scored;
  return scored.map((s, r) => {
    const lists: NeighborLists = { n: 1, k: s.top.length, indices: Int32Array.from(s.top), scores: new Float32Array(s.top.length) };
    const reordered = rescoreLists(lists, q.full.subarray(r * dim, (r + 1) * dim), p.full, dim, Math.min(depth, s.top.length));
    return { scores: s.scores, top: Array.from(reordered.indices) };
  });
}

/**
 * Rows `items`' scores against every row as the side's index ranks them: dot products of the stored
 * rows (four items per pass over the rows), or for binary 1 - 2h/dim from the Hamming distance h
 * (exact, so equal distances tie exactly).
 */
export async function indexScores(p: PreparedVectors, items: readonly number[], signal?: AbortSignal): Promise<Float32Array[]> {
  return (await indexScoresReusing(p, items, undefined, signal)).scores;
}

/**
 * `indexScores`, keeping per (item row, chunk row) the scores of `previous` (a warm session's last
 * call) where both rows' bits are unchanged; `scored` is what a later call may reuse (undefined for
 * binary rows, whose Hamming scores are recomputed: they cost little).
 */
export async function indexScoresReusing(
  p: PreparedVectors, items: readonly number[], previous: ScoredRows | undefined, signal?: AbortSignal,
): Promise<{ scores: Float32Array[]; scored: ScoredRows | undefined }> {
  const dim = p.dimension;
  if (p.bits) {
    const words = wordsPerRow(dim);
    const scores = items.map((i) => {
      const out = new Float32Array(p.n);
      for (let j = 0; j < p.n; j++) out[j] = hammingScore(hammingDistance(p.bits!, i, p.bits!, j, words), dim);
      return out;
    });
    return { scores, scored: undefined };
  }
  const rows = new Float32Array(items.length * dim);
  items.forEach((i, r) => rows.set(p.vectors.subarray(i * dim, (i + 1) * dim), r * dim));
  const scored = await scoreQueriesReusing(rows, p.vectors, p.n, dim, 0, previous, signal);
  return { scores: scored.map((s) => s.scores), scored: { queries: rows, chunks: p.vectors, dim, scores: scored } };
}

/** Rows as embedded, encoded as the side's index stores vectors (truncated, int8 dequantized, binary as +-1/sqrt(dim)). */
export function encodeRows(p: PreparedVectors, rows: Float32Array): Float32Array {
  return prepareQueries(p, rows).vectors;
}
