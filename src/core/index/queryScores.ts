// Queries scored against every chunk of one side: the full row of cosines (percentiles and
// out-of-distribution flags need all of them) and the top `depth`, for anchors, plain queries and
// the query playground's vectors settings.
import { throwIfAborted } from '../types';
import { yielder } from '../yielding';
import { onnxScores } from './onnxExact';

/**
 * Multiply-adds above which the scores come from onnxruntime-node (one Gemm): a 50 MB corpus's
 * 116 queries against 172,000 chunks of 384 took 26 s in this file's JavaScript loop on a loaded
 * machine; below it the loop is faster than starting a session.
 */
const NATIVE_WORK = 1e9;

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
  if (m * n * dim >= NATIVE_WORK) {
    const all = await onnxScores(chunks, n, dim, queries, { signal });
    if (all) {
      for (let q = 0; q < m; q++) {
        await pause();
        const scores = all.subarray(q * n, (q + 1) * n);
        out.push({ scores, top: topIndices(scores, depth) });
      }
      return out;
    }
  }
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
