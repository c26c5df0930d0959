// Exact top-k as one matrix product per block of queries plus TopK, run by onnxruntime-node's
// multithreaded kernels (about 30x the plain JavaScript scan). Null when the native runtime is
// absent, so callers fall back to the JavaScript kernel.
import { availableParallelism } from 'node:os';
import { throwIfAborted, type RunOptions } from '../types';
import { topKGraph } from './onnxGraph';
import { loadOrtNode, type OrtNode, type OrtSession } from './ortNode';
import type { NeighborLists } from './types';

/**
 * Multiply-adds per block: about 20 ms, so a cancel or a progress event never waits long between
 * blocks; larger blocks gain only a few percent on small corpora.
 */
const BLOCK_WORK = 2e8;
/** Scores one block may hold (m x n floats, 64 MB). */
const BLOCK_SCORES = 2 ** 24;

/**
 * Query rows per run of the graph: about BLOCK_WORK multiply-adds, but at least 64 rows while their
 * scores fit BLOCK_SCORES: each block reads the whole corpus, so on a large side (170,000 x 384,
 * 260 MB) blocks of 8 rows are bound by memory traffic; 64 rows took half the time of 8 here.
 */
export function blockRows(n: number, dim: number): number {
  const least = Math.max(8, Math.min(64, Math.floor(BLOCK_SCORES / Math.max(1, n))));
  return Math.max(least, Math.min(1024, Math.floor(BLOCK_WORK / Math.max(1, n * dim))));
}

/**
 * Sessions of the search graph, one per (dimension, candidates, threads), kept for the process: the
 * corpus is an input of any row count, so a graph holds no data. Building the corpus into the graph
 * as a constant cost a session per search (tens of ms each, about 300 ms of a 1.6 s live update
 * where every edit searches the changed rows, the held-out rows...) and, on a large side, two more
 * copies of it (2 x 265 MB at 177,000 x 384); an input is read from the caller's array in place.
 */
const sessions = new Map<string, Promise<OrtSession>>();

/** A session of the search graph for corpora of `rows` rows ('n': any row count). */
function createSession(ort: OrtNode, rows: number | 'n', dim: number, fetch: number, threads: number): Promise<OrtSession> {
  return ort.InferenceSession.create(topKGraph(null, rows, dim, fetch), { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
}

function keptSession(ort: OrtNode, dim: number, fetch: number, threads: number): Promise<OrtSession> {
  const key = `${dim} ${fetch} ${threads}`;
  let session = sessions.get(key);
  if (!session) {
    session = createSession(ort, 'n', dim, fetch, threads);
    sessions.set(key, session);
    // A session that failed to build is not kept: the next search tries again.
    session.catch(() => { if (sessions.get(key) === session) sessions.delete(key); });
  }
  return session;
}

/**
 * Above this many scores per block (query rows x corpus rows) a search gets a session of its own,
 * released after it: a kept session keeps its memory arena, sized by the largest block it ran (a
 * block of 64 rows against 172,000 is 44 MB of scores, and the large run's peak grew by 280 MB).
 */
const KEPT_BLOCK_SCORES = 2 ** 20;

export interface OnnxTopKOptions extends RunOptions {
  /** Leave query row i's own corpus row i out (all-pairs search). */
  excludeSelf: boolean;
  /** Threads for the multiply (default: one per core). */
  threads?: number;
}

/**
 * Copies one block's TopK output (`fetch` candidates per row, best first) into rows q0.. of the
 * k-wide lists, leaving out row q's own corpus row when excluding self. Shared with the WASM path
 * in knn-worker.
 */
export function copyTopK(
  ids: BigInt64Array, sims: Float32Array, block: { q0: number; rows: number; fetch: number; k: number; kk: number; excludeSelf: boolean },
  indices: Int32Array, scores: Float32Array,
): void {
  const { q0, rows, fetch, k, kk, excludeSelf } = block;
  for (let r = 0; r < rows; r++) {
    const q = q0 + r;
    let c = 0;
    for (let t = 0; t < fetch && c < kk; t++) {
      const j = Number(ids[r * fetch + t]);
      if (excludeSelf && j === q) continue;
      indices[q * k + c] = j;
      scores[q * k + c] = sims[r * fetch + t]!;
      c++;
    }
  }
}

/**
 * The `k` nearest corpus rows of each query row by dot product, best first; -1 / -Infinity where
 * fewer than k exist. Returns null when onnxruntime-node cannot be loaded.
 */
export async function onnxTopK(
  corpus: Float32Array, n: number, dim: number, queries: Float32Array, k: number, options: OnnxTopKOptions,
): Promise<NeighborLists | null> {
  const m = queries.length / dim;
  const kk = Math.max(0, Math.min(k, n - (options.excludeSelf ? 1 : 0)));
  if (n === 0 || dim === 0 || kk === 0) return null;
  const ort = await loadOrtNode();
  if (!ort) return null;
  // One extra candidate per row, so a row can drop itself and still keep k.
  const fetch = Math.min(n, kk + (options.excludeSelf ? 1 : 0));
  const threads = options.threads ?? availableParallelism();
  const block = blockRows(n, dim);
  const kept = Math.min(block, m) * n <= KEPT_BLOCK_SCORES;
  // A session of its own knows the row count: the runtime plans the block's memory once (a large side's peak).
  const session = await (kept ? keptSession(ort, dim, fetch, threads) : createSession(ort, n, dim, fetch, threads));
  const indices = new Int32Array(m * k).fill(-1);
  const scores = new Float32Array(m * k).fill(-Infinity);
  const corpusFeed = new ort.Tensor('float32', corpus.subarray(0, n * dim), [n, dim]);
  try {
    for (let q0 = 0; q0 < m; q0 += block) {
      throwIfAborted(options.signal);
      const rows = Math.min(block, m - q0);
      const out = await session.run({ queries: new ort.Tensor('float32', queries.subarray(q0 * dim, (q0 + rows) * dim), [rows, dim]), corpus: corpusFeed });
      copyTopK(out['indices']!.data as BigInt64Array, out['scores']!.data as Float32Array, { q0, rows, fetch, k, kk, excludeSelf: options.excludeSelf }, indices, scores);
      options.onProgress?.({ stage: 'index', done: q0 + rows, total: m, message: 'exact neighbors' });
    }
  } finally {
    if (!kept) await session.release?.();
  }
  throwIfAborted(options.signal);
  return { n: m, k, indices, scores };
}
