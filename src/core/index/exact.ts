// Exact top-k over unit vectors: for large searches one Gemm+TopK graph on onnxruntime-node when
// it loads; otherwise the blocked JS kernel split by query rows across worker threads that share
// the vectors through SharedArrayBuffer. The reference every approximate search is checked against.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DriftError, throwIfAborted, type RunOptions } from '../types';
import { wasmAssetsUrl } from '../embedding/workerPool';
import { topKKernel } from './kernel';
import { onnxTopK } from './onnxExact';
import type { KnnWorkerData, KnnWorkerMessage } from './knn-worker';
import type { NeighborLists } from './types';
import { yielder } from '../yielding';

export interface ExactOptions extends RunOptions {
  /** Query rows (m x dim); default: the corpus itself (all-pairs). */
  queries?: Float32Array;
  /** Leave each item out of its own list (default true when searching all pairs). */
  excludeSelf?: boolean;
  /** Worker threads (default: one per core); 0 computes on the calling thread. */
  workers?: number;
  /**
   * 'auto' (default): large searches on onnxruntime-node when it loads, else on onnxruntime-web
   * (WASM) in the worker threads, small ones on the JS kernel. 'onnx' / 'wasm' / 'js' force one
   * (each still falls back to the JS kernel when its runtime cannot start).
   */
  backend?: 'auto' | 'js' | 'onnx' | 'wasm';
}

/** Multiply-adds above which the native graph pays for building its session (about 50 ms). */
const ONNX_WORK = 2e8;
/** Above this the WASM graph pays for each worker building its own session (about 0.5 s). */
const WASM_WORK = 1e9;

/** Below this many multiply-adds the workers' start-up costs more than it saves. */
const INLINE_WORK = 2e7;

export async function exactTopK(
  vectors: Float32Array, n: number, dim: number, k: number, options: ExactOptions = {},
): Promise<NeighborLists> {
  const queries = options.queries ?? vectors;
  const allPairs = options.queries === undefined;
  const excludeSelf = options.excludeSelf ?? allPairs;
  if (vectors.length < n * dim) throw new DriftError(`Exact search: expected ${n} x ${dim} vectors, got ${vectors.length} values.`, 'usage');
  if (queries.length % Math.max(1, dim) !== 0) throw new DriftError(`Exact search: query vectors are not a multiple of dimension ${dim}.`, 'usage');
  const m = dim === 0 ? 0 : queries.length / dim;
  const kk = Math.max(0, Math.min(k, n - (excludeSelf ? 1 : 0)));
  throwIfAborted(options.signal);
  const backend = options.backend ?? 'auto';
  const work = m * n * dim;
  if (backend === 'onnx' || (backend === 'auto' && work >= ONNX_WORK && options.workers !== 0)) {
    const lists = await onnxTopK(vectors, n, dim, queries, k, { excludeSelf, signal: options.signal, onProgress: options.onProgress });
    if (lists) return { ...lists, engine: 'native' };
  }
  const engine = backend === 'wasm' || (backend === 'auto' && work >= WASM_WORK) ? 'wasm' : 'js';
  const workers = Math.min(options.workers ?? availableParallelism(), Math.ceil(m / 64));
  const script = workerScript();
  const report = (done: number): void => options.onProgress?.({ stage: 'index', done, total: m, message: 'exact neighbors' });

  if (workers < 1 || (workers === 1 && engine === 'js') || (work < INLINE_WORK && backend !== 'wasm') || !script) {
    const indices = new Int32Array(m * k).fill(-1);
    const scores = new Float32Array(m * k).fill(-Infinity);
    // The kernel writes k-wide rows; compute with kk then spread when k > kk (tiny corpora).
    const ki = kk === k ? indices : new Int32Array(m * kk);
    const ks = kk === k ? scores : new Float32Array(m * kk);
    const step = 256;
    const pause = yielder(options.signal);
    for (let r = 0; r < m; r += step) {
      throwIfAborted(options.signal);
      topKKernel({ corpus: vectors, n, dim, queries, k: kk, excludeSelf, rowStart: r, rowEnd: Math.min(m, r + step), indices: ki, scores: ks });
      report(Math.min(m, r + step));
      await pause();
    }
    if (kk !== k) spread(ki, ks, kk, indices, scores, k, m);
    return { n: m, k, indices, scores, engine: 'js' };
  }

  const corpusShared = toShared(vectors.subarray(0, n * dim));
  const queriesShared = allPairs ? corpusShared : toShared(queries);
  const indicesBuf = new SharedArrayBuffer(m * kk * 4);
  const scoresBuf = new SharedArrayBuffer(m * kk * 4);
  let done = 0;
  const engines = new Set<'js' | 'wasm'>();
  const wasmPaths = engine === 'wasm' ? wasmAssetsUrl() : undefined;
  const running: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let finished = 0;
      const onAbort = (): void => reject(new DriftError('Cancelled.', 'cancelled'));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const per = Math.ceil(m / workers);
      for (let w = 0; w < workers; w++) {
        const rowStart = w * per;
        const rowEnd = Math.min(m, rowStart + per);
        const data: KnnWorkerData = {
          corpus: corpusShared, queries: queriesShared, indices: indicesBuf, scores: scoresBuf,
          n, dim, k: kk, excludeSelf, rowStart, rowEnd, engine, ...(wasmPaths ? { wasmPaths } : {}),
        };
        const worker = script.source
          ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(script.source)});`, { eval: true, workerData: data })
          : new Worker(script.path, { workerData: data });
        running.push(worker);
        worker.on('message', (msg: KnnWorkerMessage) => {
          if (msg.type === 'progress') { done += msg.rows; report(done); }
          else if (msg.type === 'error') reject(new Error(`knn worker: ${msg.message}`));
          else {
            engines.add(msg.engine);
            if (++finished === workers) { options.signal?.removeEventListener('abort', onAbort); resolve(); }
          }
        });
        worker.on('error', reject);
      }
    });
  } finally {
    await Promise.all(running.map((w) => w.terminate()));
  }
  const ki = new Int32Array(indicesBuf);
  const ks = new Float32Array(scoresBuf);
  // A worker whose WASM runtime failed to start used the JS kernel: say the slower one.
  const used = engines.has('js') ? 'js' : 'wasm';
  if (kk === k) return { n: m, k, indices: Int32Array.from(ki), scores: Float32Array.from(ks), engine: used };
  const indices = new Int32Array(m * k).fill(-1);
  const scores = new Float32Array(m * k).fill(-Infinity);
  spread(ki, ks, kk, indices, scores, k, m);
  return { n: m, k, indices, scores, engine: used };
}

function spread(ki: Int32Array, ks: Float32Array, kk: number, indices: Int32Array, scores: Float32Array, k: number, m: number): void {
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < kk; c++) { indices[r * k + c] = ki[r * kk + c]!; scores[r * k + c] = ks[r * kk + c]!; }
  }
}

function toShared(array: Float32Array): SharedArrayBuffer {
  if (array.buffer instanceof SharedArrayBuffer && array.byteOffset === 0 && array.byteLength === array.buffer.byteLength) {
    return array.buffer;
  }
  const shared = new SharedArrayBuffer(array.byteLength);
  new Float32Array(shared).set(array);
  return shared;
}

/**
 * dist/knn-worker.js next to the bundle; under tsx (tests, bench) the TypeScript source, loaded
 * through tsx's require hook (a worker does not inherit the parent's loader reliably). Null when
 * neither exists: the caller computes inline.
 */
function workerScript(): { path: string; source?: string } | null {
  const bundled = join(__dirname, 'knn-worker.js');
  if (existsSync(bundled)) return { path: bundled };
  const source = join(__dirname, 'knn-worker.ts');
  if (existsSync(source)) return { path: source, source };
  return null;
}
