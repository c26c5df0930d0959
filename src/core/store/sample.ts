// Sampling past memory: a seeded sample of a store's rows is read, each sampled row's neighbors are
// found against the whole table by the store's own search (the database's ANN index when it has
// one), and that search's recall@k is measured against an exact scan on a sub-sample. What is held
// is the sample, its neighbors and their vectors, never the table.
import { exactTopK } from '../index/exact';
import type { NeighborLists } from '../index/types';
import { sampleIndices, seededRandom } from '../random';
import { timed, type Timings } from '../timing';
import { DriftError, throwIfAborted, type RunOptions } from '../types';
import { pickStoreRows } from './memory';
import { unitRows } from '../index/vectors';
import type { StoreHit, StoreMetric, StoreRows, StoreSearch, VectorStore } from './types';

export interface SampleOptions extends RunOptions {
  k: number;
  /** Rows sampled from A's store (all rows when the store has fewer). */
  size: number;
  seed: number;
  /** Sampled rows whose exact neighbors are computed to measure the search's recall (default 100). */
  probes?: number;
  /** Worker threads for the exact scan. */
  workers?: number;
  /**
   * Where the parts' times go (`store.sample.read`, `.search.a`/`.b`, `.vectors`, `.recall.a`/`.b`):
   * on a million-row table the database's searches and the exact scans behind recall@k are the
   * bulk of the run, and which one it is decides what to tune.
   */
  timings?: Timings;
}

/** How one side's neighbors were found, and how well. */
export interface StoreSearchSummary {
  method: StoreSearch['method'];
  index?: string;
  metric: StoreMetric;
  /** recall@k of the store's search against an exact scan on `probes` sampled rows; null when the search was exact. */
  recall: number | null;
  probes: number;
}

/** A row of the comparison: a sampled row or a neighbor either side returned. */
export interface SampledItem {
  id: string;
  text: string;
  file?: string;
  start?: number;
  end?: number;
}

export interface SampledComparison {
  /** The sampled rows first (0..size-1, in sample order), then every neighbor either side returned. */
  items: SampledItem[];
  size: number;
  /** Rows in A's store. */
  total: number;
  /** items x dimension per side, unit rows. */
  vectorsA: Float32Array;
  vectorsB: Float32Array;
  dimensionA: number;
  dimensionB: number;
  /** size x k neighbor lists (indices into items, the row itself left out), best first. */
  listsA: NeighborLists;
  listsB: NeighborLists;
  searchA: StoreSearchSummary;
  searchB: StoreSearchSummary;
  /** The sampled rows as stored (raw vectors, model names), for the mixed-index check. */
  sampledA: StoreRows;
  sampledB: StoreRows;
}

const DEFAULT_PROBES = 100;
/** Rows per exact-scan block: one Gemm+TopK call per block keeps per-call start-up small. */
const SCAN_BLOCK = 65_536;

/** Two stores over one LanceDB table (two vector columns) share row keys. */
export function sameTable(a: VectorStore, b: VectorStore): boolean {
  return a.spec.kind === 'lancedb' && b.spec.kind === 'lancedb' && a.spec.uri === b.spec.uri && a.spec.table === b.spec.table;
}

export async function sampleStores(a: VectorStore, b: VectorStore, options: SampleOptions): Promise<SampledComparison> {
  const { k, seed } = options;
  const run: RunOptions = { signal: options.signal, onProgress: options.onProgress };
  const part = <T>(name: string, work: () => Promise<T>): Promise<T> => (options.timings ? timed(options.timings, `store.sample.${name}`, work) : work());
  const total = a.rows;
  const offsets = sampleIndices(total, Math.min(options.size, total), seededRandom(seed));
  const size = offsets.length;
  const shared = sameTable(a, b);
  const sampledA = await part('read', () => a.read(offsets, run));
  checkUnique(sampledA.ids, a.name);
  // The same items under B: by row key in one table, by id across two stores.
  const sampledB = await part('read', () => (shared ? b.take(sampledA.keys, run) : lookupAll(b, sampledA.ids, a.name, run)));
  throwIfAborted(options.signal);

  const searchedA = await part('search.a', () => a.search(sampledA.vectors, k + 1, { ...run, onProgress: sideProgress(options, 'a') }));
  const searchedB = await part('search.b', () => b.search(sampledB.vectors, k + 1, { ...run, onProgress: sideProgress(options, 'b') }));

  const items: SampledItem[] = [];
  const index = new Map<string, number>();
  const add = (id: string, row: SampledItem): number => {
    let at = index.get(id);
    if (at === undefined) { at = items.length; index.set(id, at); items.push(row); }
    return at;
  };
  for (let r = 0; r < size; r++) add(sampledA.ids[r]!, itemOf(sampledA, r));
  const listsOf = (searched: StoreSearch): NeighborLists => {
    const indices = new Int32Array(size * k).fill(-1);
    const scores = new Float32Array(size * k).fill(-Infinity);
    for (let r = 0; r < size; r++) {
      const own = sampledA.ids[r];
      let c = 0;
      for (const hit of searched.hits[r] ?? []) {
        if (hit.id === own || c >= k) continue;
        indices[r * k + c] = add(hit.id, hitItem(hit));
        scores[r * k + c] = hit.score;
        c++;
      }
    }
    return { n: size, k, indices, scores };
  };
  const listsA = listsOf(searchedA);
  const listsB = listsOf(searchedB);

  const vectorsA = await part('vectors', () => sideVectors(a, items, sampledA, searchedA, searchedB, shared, run));
  const vectorsB = await part('vectors', () => sideVectors(b, items, sampledB, searchedB, searchedA, shared, run));

  const probeRows = sampleIndices(size, Math.min(options.probes ?? DEFAULT_PROBES, size), seededRandom(seed + 7));
  const summary = async (store: VectorStore, sampled: StoreRows, searched: StoreSearch): Promise<StoreSearchSummary> => {
    const base = { method: searched.method, ...(searched.index ? { index: searched.index } : {}), metric: searched.metric };
    if (searched.method !== 'index') return { ...base, recall: null, probes: 0 };
    const probes = pickStoreRows(sampled, probeRows, store.dimension);
    const exact = await exactScan(store, probes.vectors, k + 1, searched.metric, { ...run, ...(options.workers === undefined ? {} : { workers: options.workers }) });
    let found = 0;
    let wanted = 0;
    const dim = store.dimension;
    probeRows.forEach((row, p) => {
      // A zero vector (a text the model knew no token of) has no neighbors to recall: every row ties at cosine 0.
      if (probes.vectors.subarray(p * dim, (p + 1) * dim).every((x) => x === 0)) return;
      const self = sampled.keys[row];
      const truth = exact[p]!.filter((key) => key !== self).slice(0, k);
      const got = new Set((searched.hits[row] ?? []).map((h) => h.key).filter((key) => key !== self).slice(0, k));
      wanted += truth.length;
      found += truth.filter((key) => got.has(key)).length;
    });
    return { ...base, recall: wanted === 0 ? 1 : found / wanted, probes: probeRows.length };
  };
  const searchA = await part('recall.a', () => summary(a, sampledA, searchedA));
  const searchB = await part('recall.b', () => summary(b, sampledB, searchedB));
  await a.checkUnchanged();
  await b.checkUnchanged();
  return {
    items, size, total,
    vectorsA: unitRows(vectorsA, a.dimension), vectorsB: unitRows(vectorsB, b.dimension), dimensionA: a.dimension, dimensionB: b.dimension,
    listsA, listsB, searchA, searchB, sampledA, sampledB,
  };
}

function sideProgress(options: RunOptions, side: 'a' | 'b'): RunOptions['onProgress'] {
  return options.onProgress ? (e) => options.onProgress!({ ...e, side }) : undefined;
}

function checkUnique(ids: readonly string[], where: string): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new DriftError(`${where}: id ${JSON.stringify(id)} belongs to more than one row; rows are matched by id, so ids must be unique.`, 'config');
    seen.add(id);
  }
}

/** Rows of `store` with exactly these ids, in this order; an id it lacks is an error naming it. */
async function lookupAll(store: VectorStore, ids: readonly string[], other: string, run: RunOptions): Promise<StoreRows> {
  const found = await store.lookup(ids, run);
  const at = new Map<string, number>();
  found.ids.forEach((id, r) => {
    if (at.has(id)) throw new DriftError(`${store.name}: id ${JSON.stringify(id)} belongs to more than one row; rows are matched by id, so ids must be unique.`, 'config');
    at.set(id, r);
  });
  const missing = ids.find((id) => !at.has(id));
  if (missing !== undefined) {
    throw new DriftError(`${store.name} has no row with id ${JSON.stringify(missing)}, which ${other} has: a sampled comparison of two stores needs the same rows (ids) in both.`, 'config');
  }
  return pickStoreRows(found, ids.map((id) => at.get(id)!), store.dimension);
}

function itemOf(rows: StoreRows, r: number): SampledItem {
  const item: SampledItem = { id: rows.ids[r]!, text: rows.texts[r]! };
  if (rows.files) item.file = rows.files[r]!;
  if (rows.starts && rows.ends) { item.start = rows.starts[r]!; item.end = rows.ends[r]!; }
  return item;
}

function hitItem(hit: StoreHit): SampledItem {
  const item: SampledItem = { id: hit.id, text: hit.text };
  if (hit.file !== undefined) item.file = hit.file;
  if (hit.start !== undefined && hit.end !== undefined) { item.start = hit.start; item.end = hit.end; }
  return item;
}

/**
 * One side's stored vector for every item: the sampled rows and its own hits carry theirs; the
 * other side's hits are read from this store (by key in a shared table, else by id).
 */
async function sideVectors(
  store: VectorStore, items: readonly SampledItem[], sampled: StoreRows, own: StoreSearch, other: StoreSearch, shared: boolean, run: RunOptions,
): Promise<Float32Array> {
  const dim = store.dimension;
  const out = new Float32Array(items.length * dim);
  const known = new Uint8Array(items.length);
  const at = new Map(items.map((item, i) => [item.id, i]));
  sampled.ids.forEach((id, r) => { const i = at.get(id)!; out.set(sampled.vectors.subarray(r * dim, (r + 1) * dim), i * dim); known[i] = 1; });
  for (const list of own.hits) {
    for (const hit of list) {
      const i = at.get(hit.id);
      if (i === undefined || known[i]) continue;
      out.set(hit.vector, i * dim);
      known[i] = 1;
    }
  }
  const missing: number[] = [];
  const keys: number[] = [];
  for (const list of other.hits) {
    for (const hit of list) {
      const i = at.get(hit.id);
      if (i === undefined || known[i]) continue;
      known[i] = 2;
      missing.push(i);
      keys.push(hit.key);
    }
  }
  if (missing.length > 0) {
    const rows = shared ? await store.take(keys, run) : await lookupAll(store, missing.map((i) => items[i]!.id), 'the other side', run);
    missing.forEach((i, r) => out.set(rows.vectors.subarray(r * dim, (r + 1) * dim), i * dim));
  }
  return out;
}

/**
 * Exact top-k row keys of each query over every row of the store, by the metric the search used:
 * one streamed pass, blocks of rows through the exact Gemm+TopK. Dot products serve all three
 * metrics: cosine on unit rows, dot on raw rows, L2 through [2q, -1] . [x, |x|^2] = 2q.x - |x|^2.
 */
export async function exactScan(store: VectorStore, queries: Float32Array, k: number, metric: StoreMetric, options: RunOptions & { workers?: number } = {}): Promise<number[][]> {
  const dim = store.dimension;
  const m = queries.length / dim;
  const width = metric === 'l2' ? dim + 1 : dim;
  const prepare = (rows: Float32Array, count: number, query: boolean): Float32Array => {
    if (metric === 'cosine') return unitRows(rows, dim);
    if (metric === 'dot') return rows;
    const out = new Float32Array(count * width);
    for (let r = 0; r < count; r++) {
      let norm = 0;
      for (let d = 0; d < dim; d++) { const x = rows[r * dim + d]!; out[r * width + d] = query ? 2 * x : x; norm += x * x; }
      out[r * width + dim] = query ? -1 : norm;
    }
    return out;
  };
  const q = prepare(queries, m, true);
  const best: Array<Array<{ key: number; score: number }>> = Array.from({ length: m }, () => []);
  let block = new Float32Array(Math.min(SCAN_BLOCK, store.rows) * dim);
  let blockKeys = new Float64Array(Math.min(SCAN_BLOCK, store.rows));
  let filled = 0;
  const flush = async (): Promise<void> => {
    if (filled === 0) return;
    const rows = prepare(block.subarray(0, filled * dim), filled, false);
    const lists = await exactTopK(rows, filled, width, Math.min(k, filled), { ...options, queries: q, excludeSelf: false });
    for (let p = 0; p < m; p++) {
      const merged = best[p]!;
      for (let j = 0; j < lists.k; j++) {
        const i = lists.indices[p * lists.k + j]!;
        if (i >= 0) merged.push({ key: blockKeys[i]!, score: lists.scores[p * lists.k + j]! });
      }
      merged.sort((x, y) => y.score - x.score);
      merged.length = Math.min(merged.length, k);
    }
    filled = 0;
  };
  await store.scan(async ({ keys, vectors, count }) => {
    for (let r = 0; r < count; r++) {
      if (filled === blockKeys.length) await flush();
      block.set(vectors.subarray(r * dim, (r + 1) * dim), filled * dim);
      blockKeys[filled++] = keys[r]!;
    }
    options.onProgress?.({ stage: 'index', done: 0, message: 'exact scan for recall' });
  }, options);
  await flush();
  block = new Float32Array(0);
  blockKeys = new Float64Array(0);
  return best.map((list) => list.map((x) => x.key));
}
