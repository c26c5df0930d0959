// Queries scored against every chunk of one side: the full row of cosines (percentiles and
// out-of-distribution flags need all of them) and the top `depth`, for anchors, plain queries and
// the query playground's vectors settings.
import { matchRows } from '../rows';
import { throwIfAborted } from '../types';
import { yielder } from '../yielding';

/** One query's cosines with every chunk and its top `depth`, best first (ties: lower index). */
export interface QueryScores {
  scores: Float32Array;
  top: number[];
}

export async function scoreQueries(queries: Float32Array, chunks: Float32Array, n: number, dim: number, depth: number, signal?: AbortSignal): Promise<QueryScores[]> {
  const m = dim === 0 ? 0 : queries.length / dim;
  const out: QueryScores[] = [];
  const pause = yielder(signal);
  throwIfAborted(signal);
  // Four queries per pass over the chunks: each chunk value loaded once serves four products.
  for (let q0 = 0; q0 < m; q0 += 4) {
    await pause();
    const group = Math.min(4, m - q0);
    const rows = Array.from({ length: 4 }, () => new Float32Array(n));
    const a0 = q0 * dim;
    const a1 = (q0 + Math.min(1, group - 1)) * dim;
    const a2 = (q0 + Math.min(2, group - 1)) * dim;
    const a3 = (q0 + Math.min(3, group - 1)) * dim;
    const [r0, r1, r2, r3] = rows as [Float32Array, Float32Array, Float32Array, Float32Array];
    for (let j = 0; j < n; j++) {
      const b = j * dim;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let d = 0; d < dim; d++) {
        const y = chunks[b + d]!;
        s0 += queries[a0 + d]! * y; s1 += queries[a1 + d]! * y; s2 += queries[a2 + d]! * y; s3 += queries[a3 + d]! * y;
      }
      r0[j] = s0; r1[j] = s1; r2[j] = s2; r3[j] = s3;
    }
    for (let g = 0; g < group; g++) out.push({ scores: rows[g]!, top: topIndices(rows[g]!, depth) });
  }
  return out;
}

/** A scoring a later one may reuse: the query rows, the chunk rows and what came out. */
export interface ScoredRows {
  queries: Float32Array;
  chunks: Float32Array;
  dim: number;
  scores: QueryScores[];
}

/**
 * `scoreQueries`, reusing `previous` (a warm session's last scoring of the same kind): a query whose
 * float bits equal a previous query's keeps that query's score for every chunk whose bits equal a
 * previous chunk's, and only the other chunks are scored. Each score is one dot product summed in
 * dimension order, so a kept score is the bits scoring it again would give; `top` is recomputed.
 */
export async function scoreQueriesReusing(
  queries: Float32Array, chunks: Float32Array, n: number, dim: number, depth: number, previous: ScoredRows | undefined, signal?: AbortSignal,
): Promise<QueryScores[]> {
  if (!previous || previous.dim !== dim || dim === 0) return scoreQueries(queries, chunks, n, dim, depth, signal);
  const pause = yielder(signal);
  throwIfAborted(signal);
  const oldQuery = matchRows(queries, previous.queries, dim);
  const oldChunk = chunkMatch(chunks, n, dim, previous.chunks);
  const changed: number[] = [];
  oldChunk.forEach((o, j) => { if (o < 0) changed.push(j); });
  const m = queries.length / dim;
  const out: QueryScores[] = new Array<QueryScores>(m);
  const fresh: number[] = [];
  for (let q = 0; q < m; q++) {
    const was = oldQuery[q]!;
    if (was < 0) { fresh.push(q); continue; }
    await pause();
    const kept = previous.scores[was]!.scores;
    const scores = new Float32Array(n);
    for (let j = 0; j < n; j++) { const o = oldChunk[j]!; if (o >= 0) scores[j] = kept[o]!; }
    const a = q * dim;
    for (const j of changed) {
      const b = j * dim;
      let s = 0;
      for (let d = 0; d < dim; d++) s += queries[a + d]! * chunks[b + d]!;
      scores[j] = s;
    }
    out[q] = { scores, top: topIndices(scores, depth) };
  }
  if (fresh.length > 0) {
    const rows = new Float32Array(fresh.length * dim);
    fresh.forEach((q, r) => rows.set(queries.subarray(q * dim, (q + 1) * dim), r * dim));
    (await scoreQueries(rows, chunks, n, dim, depth, signal)).forEach((scored, r) => { out[fresh[r]!] = scored; });
  }
  return out;
}

/** The last chunk matches per chunk array: migration depth scores its items a block at a time against the same rows. */
const chunkMatches = new WeakMap<Float32Array, { previous: Float32Array; n: number; match: Int32Array }>();

function chunkMatch(chunks: Float32Array, n: number, dim: number, previous: Float32Array): Int32Array {
  const known = chunkMatches.get(chunks);
  if (known && known.previous === previous && known.n === n) return known.match;
  const match = matchRows(chunks.subarray(0, n * dim), previous, dim);
  chunkMatches.set(chunks, { previous, n, match });
  return match;
}

export function topIndices(scores: Float32Array, depth: number): number[] {
  const top: number[] = [];
  for (let j = 0; j < scores.length; j++) {
    const s = scores[j]!;
    if (top.length === depth && !(s > scores[top[depth - 1]!]!)) continue;
    let p = top.length === depth ? depth - 1 : top.length;
    if (top.length < depth) top.push(j);
    while (p > 0 && scores[top[p - 1]!]! < s) { top[p] = top[p - 1]!; p--; }
    top[p] = j;
  }
  return top;
}
