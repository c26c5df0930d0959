// The neighbor-search comparison: our exact all-pairs top-k against the plain JavaScript scan and
// against hnswlib-wasm at its usual settings (M 16, efConstruction 200), at equal quality.
import { exactTopK } from '../src/core/index/exact';
import { HnswIndex, recallAtK } from '../src/core/index/hnsw';
import { pickRows } from '../src/core/index/search';
import type { NeighborLists } from '../src/core/index/types';
import { naiveAllPairsTopK } from './baseline';
import { timed } from './measure';

export interface SearchFigures {
  n: number;
  dim: number;
  k: number;
  oursMs: number;
  /** Extrapolated from `naiveRows` query rows (each row costs the same n dot products). */
  naiveMs: number;
  naiveRows: number;
  hnswBuildMs: number;
  /** All n queries, extrapolated from `hnswQueryRows` rows at `hnswEf`. */
  hnswQueryMs: number;
  hnswQueryRows: number;
  hnswEf: number;
  hnswRecall: number;
  /** Rows where our lists differ from the naive scan's (ties aside this must be 0). */
  oursMismatchRows: number;
}

/** Evenly spread rows, so a sample sees every part of the corpus. */
export function spreadRows(n: number, count: number): number[] {
  const c = Math.min(n, count);
  return Array.from({ length: c }, (_, i) => Math.floor((i * n) / c));
}


/** Recall needed before HNSW's time counts: below it, HNSW would be answering another question. */
export const HNSW_RECALL_TARGET = 0.98;

export async function benchSearch(
  vectors: Float32Array, n: number, dim: number, k: number,
  sample: { naiveRows: number; hnswQueryRows: number }, log: (line: string) => void,
): Promise<SearchFigures> {
  const ours = await timed(() => exactTopK(vectors, n, dim, k));
  log(`  ours exact all-pairs: ${(ours.ms / 1000).toFixed(2)} s`);

  const naiveRows = spreadRows(n, sample.naiveRows);
  const naive = await timed(() => naiveAllPairsTopK(vectors, n, dim, k, naiveRows));
  const naiveMs = (naive.ms * n) / naiveRows.length;
  log(`  plain JS scan: ${naiveRows.length} rows in ${(naive.ms / 1000).toFixed(2)} s, ${(naiveMs / 1000).toFixed(1)} s for all`);
  const truth: NeighborLists = { n: naiveRows.length, k, ...naive.value };
  const mismatch = recallMismatchRows(pickRows(ours.value, naiveRows), truth);

  const build = await timed(() => HnswIndex.build(vectors, n, dim, { m: 16, efConstruction: 200, efSearch: 64 }));
  const index = build.value;
  log(`  hnswlib-wasm build (M 16, efConstruction 200): ${(build.ms / 1000).toFixed(1)} s`);
  try {
    const probeRows = spreadRows(n, sample.hnswQueryRows);
    const probe = gather(vectors, dim, probeRows);
    const exactProbe = pickRows(ours.value, probeRows);
    // The smallest ef (from the library's 64 up) that reaches the recall target on the probe rows.
    let ef = 64, recall = 0, queryMs = 0;
    for (; ef <= 1024; ef *= 2) {
      const run = await timed(() => searchRows(index, probe, probeRows, k, ef));
      recall = recallAtK(run.value, exactProbe);
      queryMs = (run.ms * n) / probeRows.length;
      log(`  hnswlib-wasm ef ${ef}: recall@${k} ${recall.toFixed(4)}, ${(queryMs / 1000).toFixed(1)} s for all queries`);
      if (recall >= HNSW_RECALL_TARGET) break;
    }
    return {
      n, dim, k, oursMs: ours.ms, naiveMs, naiveRows: naiveRows.length,
      hnswBuildMs: build.ms, hnswQueryMs: queryMs, hnswQueryRows: probeRows.length, hnswEf: Math.min(ef, 1024), hnswRecall: recall,
      oursMismatchRows: mismatch,
    };
  } finally {
    index.dispose();
  }
}

function gather(vectors: Float32Array, dim: number, rows: number[]): Float32Array {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r, p) => out.set(vectors.subarray(r * dim, (r + 1) * dim), p * dim));
  return out;
}

/** Top-k of some rows with each row's own item left out, at a given ef. */
function searchRows(index: HnswIndex, queries: Float32Array, rows: number[], k: number, ef: number): NeighborLists {
  const indices = new Int32Array(rows.length * k).fill(-1);
  const scores = new Float32Array(rows.length * k).fill(-Infinity);
  rows.forEach((self, r) => {
    const hits = index.query(queries.subarray(r * index.dim, (r + 1) * index.dim), k + 1, ef).filter((h) => h.index !== self).slice(0, k);
    hits.forEach((h, c) => { indices[r * k + c] = h.index; scores[r * k + c] = h.score; });
  });
  return { n: rows.length, k, indices, scores };
}

/**
 * Rows whose best-k scores differ from the reference position by position: two lists that only
 * swap items of equal score agree, any missed or extra neighbor shows as a score difference.
 */
function recallMismatchRows(ours: NeighborLists, truth: NeighborLists): number {
  let rows = 0;
  for (let r = 0; r < truth.n; r++) {
    for (let c = 0; c < truth.k; c++) {
      if (Math.abs(ours.scores[r * ours.k + c]! - truth.scores[r * truth.k + c]!) > 1e-4) { rows++; break; }
    }
  }
  return rows;
}
