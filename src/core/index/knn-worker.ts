// Exact k-nearest-neighbor worker thread entry: computes a range of query rows, reading vectors
// from and writing results into SharedArrayBuffers (never copied as JSON). With engine 'wasm' it
// runs the Gemm+TopK graph on onnxruntime-web (several times the JS kernel's speed per thread),
// falling back to the blocked JS kernel when the runtime cannot start.
import { parentPort, workerData } from 'node:worker_threads';
import { topKKernel } from './kernel';
import { blockRows, copyTopK } from './onnxExact';
import { topKGraph } from './onnxGraph';

export interface KnnWorkerData {
  corpus: SharedArrayBuffer;
  queries: SharedArrayBuffer;
  indices: SharedArrayBuffer;
  scores: SharedArrayBuffer;
  n: number;
  dim: number;
  k: number;
  excludeSelf: boolean;
  rowStart: number;
  rowEnd: number;
  engine: 'js' | 'wasm';
  /** Folder URL of onnxruntime-web's .wasm/.mjs files (engine 'wasm'). */
  wasmPaths?: string;
}

export type KnnWorkerMessage =
  | { type: 'progress'; rows: number }
  | { type: 'done'; engine: 'js' | 'wasm' }
  | { type: 'error'; message: string };

interface OrtTensor { data: unknown }
interface OrtWeb {
  env: { wasm: { wasmPaths?: unknown; numThreads?: number } };
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => OrtTensor;
  InferenceSession: {
    create(model: Uint8Array, options: Record<string, unknown>): Promise<{
      run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
      release?(): Promise<void>;
    }>;
  };
}

/** Rows [rowStart, rowEnd) through the WASM graph; false when the runtime cannot start. */
async function runWasm(data: KnnWorkerData, corpus: Float32Array, queries: Float32Array, indices: Int32Array, scores: Float32Array, progress: (rows: number) => void): Promise<boolean> {
  const { n, dim, k, excludeSelf, rowStart, rowEnd } = data;
  const kk = Math.max(0, Math.min(k, n - (excludeSelf ? 1 : 0)));
  const fetch = Math.min(n, kk + (excludeSelf ? 1 : 0));
  if (kk === 0 || !data.wasmPaths) return false;
  let ort: OrtWeb;
  let session: Awaited<ReturnType<OrtWeb['InferenceSession']['create']>>;
  try {
    ort = require('onnxruntime-web') as OrtWeb;
    ort.env.wasm.wasmPaths = data.wasmPaths;
    // Parallelism comes from the worker threads; ORT's own WASM threads gave nothing in Node.
    ort.env.wasm.numThreads = 1;
    session = await ort.InferenceSession.create(topKGraph(corpus, n, dim, fetch), { graphOptimizationLevel: 'all' });
  } catch {
    return false;
  }
  try {
    const block = blockRows(n, dim);
    for (let q0 = rowStart; q0 < rowEnd; q0 += block) {
      const rows = Math.min(block, rowEnd - q0);
      const out = await session.run({ queries: new ort.Tensor('float32', queries.slice(q0 * dim, (q0 + rows) * dim), [rows, dim]) });
      copyTopK(out['indices']!.data as BigInt64Array, out['scores']!.data as Float32Array, { q0, rows, fetch, k, kk, excludeSelf }, indices, scores);
      progress(q0 + rows - rowStart);
    }
  } finally {
    await session.release?.();
  }
  return true;
}

async function run(data: KnnWorkerData): Promise<void> {
  const port = parentPort;
  if (!port) return;
  try {
    const corpus = new Float32Array(data.corpus);
    const queries = new Float32Array(data.queries);
    const indices = new Int32Array(data.indices);
    const scores = new Float32Array(data.scores);
    let last = 0;
    const progress = (rows: number): void => {
      port.postMessage({ type: 'progress', rows: rows - last } satisfies KnnWorkerMessage);
      last = rows;
    };
    if (data.engine === 'wasm' && await runWasm(data, corpus, queries, indices, scores, progress)) {
      port.postMessage({ type: 'done', engine: 'wasm' } satisfies KnnWorkerMessage);
      return;
    }
    topKKernel({
      corpus, queries, indices, scores,
      n: data.n, dim: data.dim, k: data.k, excludeSelf: data.excludeSelf,
      rowStart: data.rowStart, rowEnd: data.rowEnd,
      onRows: progress,
    });
    port.postMessage({ type: 'done', engine: 'js' } satisfies KnnWorkerMessage);
  } catch (err) {
    port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies KnnWorkerMessage);
  }
}

if (parentPort && workerData) void run(workerData as KnnWorkerData);
