// Approximate top-k through hnswlib-wasm, kept in memory (never its IndexedDB file system): build
// once, query many (the query playground answers single queries in milliseconds).
import { DriftError, throwIfAborted, type RunOptions } from '../types';
import { yielder } from '../yielding';
import type { NeighborLists } from './types';

export interface HnswParams {
  m: number;
  efConstruction: number;
  efSearch: number;
  seed?: number;
}

export const DEFAULT_HNSW: HnswParams = { m: 16, efConstruction: 200, efSearch: 64 };

interface HnswNative {
  initIndex(maxElements: number, m: number, efConstruction: number, seed: number): void;
  addPoint(point: Float32Array, label: number, replaceDeleted: boolean): void;
  searchKnn(point: Float32Array, k: number, filter: undefined): { distances: number[]; neighbors: number[] };
  setEfSearch(ef: number): void;
  delete?(): void;
}
interface HnswLibrary { HierarchicalNSW: new (space: 'ip', dim: number, autoSave: string) => HnswNative }

let library: Promise<HnswLibrary> | undefined;

/**
 * The Emscripten factory is loaded directly: the package's loadHnswlib() also mounts IDBFS, which
 * does not exist in Node. The build is web-only and refuses to start unless importScripts exists.
 */
function loadLibrary(): Promise<HnswLibrary> {
  if (!library) {
    const g = globalThis as { importScripts?: unknown };
    g.importScripts ??= () => undefined;
    library = import('hnswlib-wasm/dist/hnswlib-317962d7.js' as string)
      .then((mod: { default: () => Promise<HnswLibrary> }) => mod.default())
      .catch((err: unknown) => {
        library = undefined;
        throw new DriftError(`Could not load hnswlib-wasm: ${err instanceof Error ? err.message : String(err)}`, 'io', { cause: err });
      });
  }
  return library;
}

export class HnswIndex {
  private constructor(private readonly native: HnswNative, readonly dim: number, readonly size: number, private ef: number) {}

  /** Builds an inner-product index over n unit vectors (row i gets label i). */
  static async build(vectors: Float32Array, n: number, dim: number, params: HnswParams = DEFAULT_HNSW, options: RunOptions = {}): Promise<HnswIndex> {
    const lib = await loadLibrary();
    const native = new lib.HierarchicalNSW('ip', dim, '');
    native.initIndex(Math.max(1, n), params.m, params.efConstruction, params.seed ?? 100);
    native.setEfSearch(params.efSearch);
    // Inserts are synchronous WASM calls (milliseconds each at 384 dimensions).
    const pause = yielder(options.signal);
    try {
      for (let i = 0; i < n; i++) {
        native.addPoint(vectors.subarray(i * dim, (i + 1) * dim), i, false);
        if ((i & 15) === 15 || i + 1 === n) {
          options.onProgress?.({ stage: 'index', done: i + 1, total: n, message: 'building HNSW index' });
          await pause();
        }
      }
      throwIfAborted(options.signal);
    } catch (err) {
      // The half-built index lives in WASM memory, which no garbage collector frees.
      native.delete?.();
      throw err;
    }
    return new HnswIndex(native, dim, n, params.efSearch);
  }

  /** The k nearest rows of one query, best first (cosine = 1 - inner-product distance). */
  query(vector: Float32Array, k: number, efSearch?: number): Array<{ index: number; score: number }> {
    const kk = Math.min(k, this.size);
    if (kk <= 0) return [];
    const ef = Math.max(efSearch ?? this.ef, kk);
    this.native.setEfSearch(ef);
    const res = this.native.searchKnn(vector, kk, undefined);
    const out = res.neighbors.map((index, i) => ({ index, score: 1 - res.distances[i]! }));
    return out.sort((x, y) => y.score - x.score || x.index - y.index);
  }

  /** Top-k of many query rows; with `selfRows`, row r leaves out item selfRows[r]. */
  async search(queries: Float32Array, k: number, options: RunOptions & { selfRows?: ArrayLike<number> } = {}): Promise<NeighborLists> {
    const m = queries.length / this.dim;
    const indices = new Int32Array(m * k).fill(-1);
    const scores = new Float32Array(m * k).fill(-Infinity);
    const extra = options.selfRows ? 1 : 0;
    const pause = yielder(options.signal);
    for (let r = 0; r < m; r++) {
      const hits = this.query(queries.subarray(r * this.dim, (r + 1) * this.dim), k + extra);
      const self = options.selfRows?.[r];
      let c = 0;
      for (const h of hits) {
        if (h.index === self || c >= k) continue;
        indices[r * k + c] = h.index;
        scores[r * k + c] = h.score;
        c++;
      }
      if ((r & 63) === 63) {
        options.onProgress?.({ stage: 'index', done: r + 1, total: m, message: 'HNSW queries' });
        await pause();
      }
    }
    return { n: m, k, indices, scores };
  }

  dispose(): void {
    this.native.delete?.();
  }
}

/** All-pairs (or given queries) top-k through a fresh HNSW index, self excluded for all-pairs. */
export async function hnswTopK(
  vectors: Float32Array, n: number, dim: number, k: number,
  options: RunOptions & { params?: HnswParams; queries?: Float32Array; selfRows?: ArrayLike<number> } = {},
): Promise<NeighborLists> {
  const index = await HnswIndex.build(vectors, n, dim, options.params ?? DEFAULT_HNSW, options);
  try {
    const queries = options.queries ?? vectors.subarray(0, n * dim);
    const rows = options.selfRows ?? (options.queries ? undefined : identity(n));
    return await index.search(queries, k, { ...options, ...(rows ? { selfRows: rows } : {}) });
  } finally {
    index.dispose();
  }
}

/** 0..n-1: row i of an all-pairs search belongs to item i. */
export function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** Share of the exact top-k the approximate lists found, averaged over rows. */
export function recallAtK(approx: NeighborLists, exact: NeighborLists): number {
  let found = 0;
  let total = 0;
  for (let r = 0; r < exact.n; r++) {
    const truth = new Set<number>();
    for (let c = 0; c < exact.k; c++) { const i = exact.indices[r * exact.k + c]!; if (i >= 0) truth.add(i); }
    for (let c = 0; c < approx.k; c++) if (truth.has(approx.indices[r * approx.k + c]!)) found++;
    total += truth.size;
  }
  return total === 0 ? 1 : found / total;
}
