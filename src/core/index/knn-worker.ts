// Exact k-nearest-neighbor worker thread entry: computes a range of query rows with the shared
// kernel, reading vectors from and writing results into SharedArrayBuffers (never copied as JSON).
import { parentPort, workerData } from 'node:worker_threads';
import { topKKernel } from './kernel';

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
}

export type KnnWorkerMessage = { type: 'progress'; rows: number } | { type: 'done' } | { type: 'error'; message: string };

function run(data: KnnWorkerData): void {
  const port = parentPort;
  if (!port) return;
  try {
    let last = 0;
    topKKernel({
      corpus: new Float32Array(data.corpus),
      queries: new Float32Array(data.queries),
      indices: new Int32Array(data.indices),
      scores: new Float32Array(data.scores),
      n: data.n, dim: data.dim, k: data.k, excludeSelf: data.excludeSelf,
      rowStart: data.rowStart, rowEnd: data.rowEnd,
      onRows: (rows) => {
        port.postMessage({ type: 'progress', rows: rows - last } satisfies KnnWorkerMessage);
        last = rows;
      },
    });
    port.postMessage({ type: 'done' } satisfies KnnWorkerMessage);
  } catch (err) {
    port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies KnnWorkerMessage);
  }
}

if (parentPort && workerData) run(workerData as KnnWorkerData);
