// Chooses exact or HNSW search by corpus size (config.search), runs it for all items or a sample
// of query rows, and measures HNSW's recall@k against exact search on a sample.
import type { SearchSpec } from '../config/types';
import type { RunOptions } from '../types';
import { seededRandom, sampleIndices } from '../random';
import { gatherRows } from '../rows';
import { exactTopK } from './exact';
import { HnswIndex, identity, recallAtK } from './hnsw';
import type { NeighborLists, NeighborSearch } from './types';

/** Rows on which HNSW's recall is measured: enough for a stable mean, cheap to search exactly. */
const RECALL_SAMPLE = 200;

/**
 * Multiply-adds per second of exact search (the Gemm+TopK graph on onnxruntime-node, two cores):
 * FIELD-NOTES measured 64 GFLOP/s for 500 x 20,000 x 384. The planning rate of the estimates below.
 */
export const EXACT_MADDS_PER_SECOND = 3.2e10;
/**
 * Seconds per HNSW insert at 384 dimensions, M 16, efConstruction 200 (FIELD-NOTES: hnswlib-wasm
 * built 20,000 vectors in 95 s); an insert's distance work grows with dimensions x M x efConstruction.
 */
export const HNSW_INSERT_SECONDS = 4.8e-3;
/**
 * Seconds one side's neighbor search may take by the estimates (a quiet two-core machine) before
 * search.method "auto" samples query rows: a run over a large corpus finishes in minutes.
 */
export const SEARCH_BUDGET_SECONDS = 30;
/** Fewest query rows an automatic sample holds: a share's 95% interval stays within about +-2 points. */
export const MIN_AUTO_SAMPLE = 2000;

/** Estimated seconds of exact search of `m` query rows against `n` rows, and of building an HNSW index over the n. */
export function searchSeconds(spec: SearchSpec, n: number, m: number, dim: number): { exact: number; hnsw: number } {
  const hnswScale = (dim / 384) * (spec.m / 16) * (spec.efConstruction / 200);
  return { exact: (m * n * dim) / EXACT_MADDS_PER_SECOND, hnsw: n * HNSW_INSERT_SECONDS * hnswScale };
}

/**
 * Exact or HNSW for `m` query rows (default: all) against `n` rows of `dim`. "auto": exact below hnswThreshold; above
 * it HNSW only while its build is estimated within SEARCH_BUDGET_SECONDS, else exact (a build that
 * takes minutes is never started: at these rates exact all-pairs search finishes before the HNSW
 * build up to about 400,000 rows at any dimension, and above that the caller samples query rows,
 * `autoSample`). With the default threshold (50,000) the build estimate is over budget from 6,250
 * rows at 384 dimensions, so "auto" searches exactly; a lower threshold keeps HNSW for small sides.
 */
export function useHnsw(spec: SearchSpec, n: number, dim: number, m = n): boolean {
  if (spec.method !== 'auto') return spec.method === 'hnsw';
  const cost = searchSeconds(spec, n, m, dim);
  // A sample of m query rows is searched exactly when that costs less than building the index.
  return n >= spec.hnswThreshold && cost.hnsw <= SEARCH_BUDGET_SECONDS && (m >= n || cost.hnsw < cost.exact);
}

/**
 * Query rows to sample under search.method "auto" when searching every row of the costliest side
 * (`n` rows of `dim`) exactly is estimated above SEARCH_BUDGET_SECONDS and HNSW would not finish
 * within it either: as many rows as exact search of them against the whole side does within the
 * budget (at least MIN_AUTO_SAMPLE). Null: every row is searched.
 */
export function autoSample(spec: SearchSpec, n: number, dim: number): number | null {
  if (spec.method !== 'auto' || useHnsw(spec, n, dim)) return null;
  if (searchSeconds(spec, n, n, dim).exact <= SEARCH_BUDGET_SECONDS) return null;
  const rows = Math.max(MIN_AUTO_SAMPLE, Math.floor((SEARCH_BUDGET_SECONDS * EXACT_MADDS_PER_SECOND) / (n * Math.max(1, dim))));
  return rows >= n ? null : rows;
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
  if (!useHnsw(spec, n, dim, rows.length)) {
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
