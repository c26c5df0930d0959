// Chooses exact or HNSW search by corpus size (config.search), runs it for all items or a sample
// of query rows, and measures HNSW's recall@k against exact search on a sample.
import type { SearchSpec } from '../config/types';
import type { RunOptions } from '../types';
import { seededRandom, sampleIndices } from '../random';
import { exactTopK } from './exact';
import { HnswIndex, identity, recallAtK } from './hnsw';
import type { NeighborLists, NeighborSearch } from './types';

/** Rows on which HNSW's recall is measured: enough for a stable mean, cheap to search exactly. */
const RECALL_SAMPLE = 200;

export function useHnsw(spec: SearchSpec, n: number): boolean {
  return spec.method === 'hnsw' || (spec.method === 'auto' && n >= spec.hnswThreshold);
}

/** Rows of `vectors` copied into one contiguous block. */
export function gatherRows(vectors: Float32Array, dim: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * dim);
  for (let r = 0; r < rows.length; r++) out.set(vectors.subarray(rows[r]! * dim, (rows[r]! + 1) * dim), r * dim);
  return out;
}

/** Lists searched with k+1 and no self-exclusion, cut to k with row r's own item left out. */
export function dropSelf(lists: NeighborLists, rows: ArrayLike<number>, k: number): NeighborLists {
  const indices = new Int32Array(lists.n * k).fill(-1);
  const scores = new Float32Array(lists.n * k).fill(-Infinity);
  for (let r = 0; r < lists.n; r++) {
    let c = 0;
    for (let s = 0; s < lists.k && c < k; s++) {
      const i = lists.indices[r * lists.k + s]!;
      if (i === rows[r] || i < 0) continue;
      indices[r * k + c] = i;
      scores[r * k + c] = lists.scores[r * lists.k + s]!;
      c++;
    }
  }
  return { n: lists.n, k, indices, scores };
}

export async function findNeighbors(
  vectors: Float32Array, n: number, dim: number, k: number, spec: SearchSpec,
  options: RunOptions & { rows?: ArrayLike<number>; workers?: number; seed?: number } = {},
): Promise<NeighborSearch> {
  const rows = options.rows ? Int32Array.from(options.rows) : identity(n);
  const all = !options.rows;
  const workerOption = options.workers === undefined ? {} : { workers: options.workers };
  if (!useHnsw(spec, n)) {
    const lists = all
      ? await exactTopK(vectors, n, dim, k, { ...options, ...workerOption })
      : dropSelf(await exactTopK(vectors, n, dim, k + 1, { ...options, ...workerOption, queries: gatherRows(vectors, dim, rows), excludeSelf: false }), rows, k);
    return { lists, rows, method: 'exact', recall: null };
  }
  const index = await HnswIndex.build(vectors, n, dim, { m: spec.m, efConstruction: spec.efConstruction, efSearch: spec.efSearch, seed: options.seed ?? 100 }, options);
  try {
    const lists = await index.search(gatherRows(vectors, dim, rows), k, { ...options, selfRows: rows });
    const random = seededRandom(options.seed ?? 1);
    const probe = sampleIndices(rows.length, RECALL_SAMPLE, random);
    const probeRows = probe.map((r) => rows[r]!);
    const exact = dropSelf(await exactTopK(vectors, n, dim, k + 1, { ...options, ...workerOption, queries: gatherRows(vectors, dim, probeRows), excludeSelf: false }), probeRows, k);
    const approx = pickRows(lists, probe);
    return { lists, rows, method: 'hnsw', recall: recallAtK(approx, exact) };
  } finally {
    index.dispose();
  }
}

/** The lists of the given rows only, in that order. */
export function pickRows(lists: NeighborLists, picked: number[]): NeighborLists {
  const { k } = lists;
  const indices = new Int32Array(picked.length * k);
  const scores = new Float32Array(picked.length * k);
  picked.forEach((r, p) => {
    indices.set(lists.indices.subarray(r * k, (r + 1) * k), p * k);
    scores.set(lists.scores.subarray(r * k, (r + 1) * k), p * k);
  });
  return { n: picked.length, k, indices, scores };
}
