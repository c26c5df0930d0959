// A store held in memory (a vectors file read whole): reads are slices, search is the exact
// top-k every other search in the product is checked against.
import { exactTopK } from '../index/exact';
import { DriftError, throwIfAborted, type RunOptions } from '../types';
import { unitRows } from '../index/vectors';
import { checkVectors } from './rows';
import type { StoreHit, StoreRows, StoreSearch, StoreSearchOptions, StoreSpec, VectorStore } from './types';

/** Rows per scan batch: the same order of size LanceDB streams. */
const SCAN_BATCH = 8192;

export class MemoryStore implements VectorStore {
  readonly rows: number;
  readonly index = null;
  readonly has: VectorStore['has'];
  private unit: Float32Array | undefined;
  private byId: Map<string, number> | undefined;

  constructor(readonly spec: StoreSpec, readonly name: string, private readonly all: StoreRows, readonly dimension: number) {
    this.rows = all.ids.length;
    if (this.rows === 0) throw new DriftError(`${name} is empty: column "${spec.columns.vector}" has no vectors to compare.`, 'config');
    checkVectors(all.vectors, dimension, all.ids, name, spec.columns.vector);
    this.has = { file: all.files !== undefined, range: all.starts !== undefined, model: all.models !== undefined };
  }

  read(offsets?: ArrayLike<number>): Promise<StoreRows> {
    if (!offsets) return Promise.resolve(this.all);
    return Promise.resolve(pickStoreRows(this.all, offsets, this.dimension));
  }

  take(keys: ArrayLike<number>): Promise<StoreRows> {
    // A file's row key is its offset.
    return Promise.resolve(pickStoreRows(this.all, keys, this.dimension));
  }

  lookup(ids: readonly string[]): Promise<StoreRows> {
    if (!this.byId) {
      this.byId = new Map();
      this.all.ids.forEach((id, r) => { if (!this.byId!.has(id)) this.byId!.set(id, r); });
    }
    const rows = ids.map((id) => this.byId!.get(id)).filter((r): r is number => r !== undefined);
    return Promise.resolve(pickStoreRows(this.all, rows, this.dimension));
  }

  async search(queries: Float32Array, k: number, options: StoreSearchOptions = {}): Promise<StoreSearch> {
    const dim = this.dimension;
    this.unit ??= unitRows(this.all.vectors, dim);
    const lists = await exactTopK(this.unit, this.rows, dim, Math.min(k, this.rows), {
      ...options, queries: unitRows(queries, dim), excludeSelf: false,
    });
    const hits: StoreHit[][] = [];
    for (let q = 0; q < lists.n; q++) {
      const row: StoreHit[] = [];
      for (let j = 0; j < lists.k; j++) {
        const i = lists.indices[q * lists.k + j]!;
        if (i >= 0) row.push(storeHit(this.all, i, dim, lists.scores[q * lists.k + j]!));
      }
      hits.push(row);
    }
    return { hits, method: 'memory', metric: 'cosine' };
  }

  async scan(visit: Parameters<VectorStore['scan']>[0], options: RunOptions = {}): Promise<void> {
    const dim = this.dimension;
    for (let first = 0; first < this.rows; first += SCAN_BATCH) {
      throwIfAborted(options.signal);
      const count = Math.min(SCAN_BATCH, this.rows - first);
      await visit({ keys: this.all.keys.subarray(first, first + count), vectors: this.all.vectors.subarray(first * dim, (first + count) * dim), first, count });
    }
  }

  checkUnchanged(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {
    this.unit = undefined;
  }
}

/** The given rows of `rows`, in that order. */
export function pickStoreRows(rows: StoreRows, offsets: ArrayLike<number>, dim: number): StoreRows {
  const picked = Array.from(offsets);
  const vectors = new Float32Array(picked.length * dim);
  picked.forEach((r, i) => vectors.set(rows.vectors.subarray(r * dim, (r + 1) * dim), i * dim));
  return {
    offsets: Int32Array.from(picked.map((r) => rows.offsets[r]!)),
    keys: Float64Array.from(picked.map((r) => rows.keys[r]!)),
    ids: picked.map((r) => rows.ids[r]!),
    texts: picked.map((r) => rows.texts[r]!),
    ...(rows.files ? { files: picked.map((r) => rows.files![r]!) } : {}),
    ...(rows.starts && rows.ends ? { starts: Int32Array.from(picked.map((r) => rows.starts![r]!)), ends: Int32Array.from(picked.map((r) => rows.ends![r]!)) } : {}),
    ...(rows.models ? { models: picked.map((r) => rows.models![r]!) } : {}),
    vectors,
  };
}

/** Row i of `rows` as a search hit with the given score. */
export function storeHit(rows: StoreRows, i: number, dim: number, score: number): StoreHit {
  const hit: StoreHit = { key: rows.keys[i]!, id: rows.ids[i]!, text: rows.texts[i]!, score, vector: rows.vectors.slice(i * dim, (i + 1) * dim) };
  if (rows.files) hit.file = rows.files[i]!;
  if (rows.starts && rows.ends) { hit.start = rows.starts[i]!; hit.end = rows.ends[i]!; }
  return hit;
}
