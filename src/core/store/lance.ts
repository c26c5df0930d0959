// A LanceDB table as a side's store: columns checked against its schema when opened, reads pinned
// to the version that was current then (so a write during the run cannot mix two states into one
// report, and checkUnchanged says it happened), rows read by offset, neighbors found by the
// database's own vector search (its ANN index when the vector column has one).
import type { Connection, Table, TakeQuery } from '@lancedb/lancedb';
import type { Table as ArrowTable, RecordBatch } from 'apache-arrow';
import { DriftError, throwIfAborted, type RunOptions } from '../types';
import { readIntegers, readStrings, readVectors, vectorDimension } from './arrowColumns';
import { loadLanceDb } from './lancedbModule';
import { storeHit } from './memory';
import { checkVectors } from './rows';
import type { StoreColumns, StoreHit, StoreMetric, StoreRows, StoreSearch, StoreSearchOptions, StoreSpec, VectorStore } from './types';

type LanceSpec = Extract<StoreSpec, { kind: 'lancedb' }>;

export interface OpenStoreOptions extends RunOptions {
  /** Folder holding node_modules/@lancedb/lancedb when it is not a dependency (the extension). */
  lancedbPath?: string;
  /** Which side the store is for, in messages ("a.store"). */
  field?: string;
}

/** Offsets taken per takeOffsets call: bounds the Arrow batch held at once. */
const TAKE_BATCH = 8192;
/** Query vectors per search call. */
const SEARCH_BATCH = 64;
/** Ids per lookup query (an IN list). */
const LOOKUP_BATCH = 1000;
/** Search calls in flight at once: LanceDB runs each on its own thread pool; two overlap I/O and compute. */
const SEARCH_CONCURRENCY = 2;

export async function openLanceStore(spec: LanceSpec, options: OpenStoreOptions = {}): Promise<VectorStore> {
  const { lancedb } = loadLanceDb(options.lancedbPath);
  const field = options.field ?? 'store';
  const where = `LanceDB table "${spec.table}" in ${spec.uri}`;
  let db: Connection;
  try {
    db = await lancedb.connect(spec.uri);
  } catch (err) {
    throw new DriftError(`${field}.lancedb: cannot open the LanceDB database ${spec.uri} (${firstLine(err)}).`, 'config', { cause: err });
  }
  const names = await db.tableNames();
  if (!names.includes(spec.table)) {
    db.close();
    throw new DriftError(`${field}.table: ${where} does not exist (tables there: ${names.length ? names.slice(0, 10).map((n) => `"${n}"`).join(', ') : 'none'}).`, 'config');
  }
  const table = await db.openTable(spec.table);
  try {
    const version = await table.version();
    // Pinned: every read and search of this run sees this version, whatever is written meanwhile.
    await table.checkout(version);
    const schema = await table.schema();
    const fields = new Map(schema.fields.map((f) => [f.name, f]));
    const columns = resolveColumns(spec.columns, spec.explicit, new Set(fields.keys()), where, field);
    const vectorField = fields.get(columns.vector)!;
    const dim = vectorDimension(vectorField.type as Parameters<typeof vectorDimension>[0]);
    if (typeof dim === 'string') throw new DriftError(`${field}.vector: ${where}: column "${columns.vector}" ${dim}.`, 'config');
    const rows = await table.countRows();
    if (rows === 0) throw new DriftError(`${field}: ${where} is empty: column "${columns.vector}" has no vectors to compare.`, 'config');
    const index = await vectorIndex(table, columns.vector);
    const idType = columns.id ? String(fields.get(columns.id)!.type) : '';
    return new LanceStore(spec, db, table, where, columns, /^u?int/i.test(idType), dim, rows, version, index);
  } catch (err) {
    table.close();
    db.close();
    throw err;
  }
}

interface ResolvedColumns {
  vector: string;
  text: string;
  id?: string;
  file?: string;
  start?: string;
  end?: string;
  model?: string;
}

/** The configured columns that exist; a missing column the configuration named (or vector/text) is an error. */
export function resolveColumns(
  columns: StoreColumns, explicit: ReadonlyArray<keyof StoreColumns>, present: ReadonlySet<string>, where: string, field: string,
): ResolvedColumns {
  const missing = (key: keyof StoreColumns): never => {
    throw new DriftError(`${field}.${key}: ${where} has no column "${columns[key]}" (columns: ${[...present].map((c) => `"${c}"`).join(', ')}).`, 'config');
  };
  const out: ResolvedColumns = { vector: columns.vector, text: columns.text };
  if (!present.has(columns.vector)) missing('vector');
  if (!present.has(columns.text)) missing('text');
  for (const key of ['id', 'file', 'start', 'end', 'model'] as const) {
    if (present.has(columns[key])) out[key] = columns[key];
    else if (explicit.includes(key)) missing(key);
  }
  // A character range needs both ends and the file it is in.
  if ((out.start === undefined) !== (out.end === undefined) || (out.start !== undefined && out.file === undefined)) {
    throw new DriftError(`${field}: ${where} needs "${columns.file}", "${columns.start}" and "${columns.end}" together for character ranges (found ${['file', 'start', 'end'].filter((k) => out[k as 'file'] !== undefined).map((k) => `"${columns[k as 'file']}"`).join(', ')}).`, 'config');
  }
  return out;
}

async function vectorIndex(table: Table, column: string): Promise<{ type: string; metric: StoreMetric } | null> {
  const config = (await table.listIndices()).find((i) => i.columns[0] === column);
  if (!config) return null;
  const stats = await table.indexStats(config.name);
  const metric = (stats?.distanceType ?? 'l2').toLowerCase();
  return { type: stats?.indexType ?? config.indexType, metric: metric === 'cosine' || metric === 'dot' ? metric : 'l2' };
}

class LanceStore implements VectorStore {
  readonly has: VectorStore['has'];

  constructor(
    readonly spec: LanceSpec, private readonly db: Connection, private readonly table: Table, readonly name: string,
    private readonly columns: ResolvedColumns, private readonly idIsNumeric: boolean, readonly dimension: number, readonly rows: number, readonly version: number,
    readonly index: { type: string; metric: StoreMetric } | null,
  ) {
    this.has = { file: columns.file !== undefined, range: columns.start !== undefined, model: columns.model !== undefined };
  }

  private selected(): string[] {
    const c = this.columns;
    return [c.id, c.text, c.file, c.start, c.end, c.model, c.vector].filter((x): x is string => x !== undefined);
  }

  async read(offsets?: ArrayLike<number>, options: RunOptions = {}): Promise<StoreRows> {
    if (!offsets) {
      const out = emptyRows(this.rows, this.dimension, this.has);
      let row = 0;
      for await (const batch of this.table.query().select(this.selected()).withRowId() as AsyncIterable<RecordBatch>) {
        throwIfAborted(options.signal);
        if (row + batch.numRows > this.rows) throw this.changed(`more than the ${this.rows} rows counted`);
        const places = Array.from({ length: batch.numRows }, (_, i) => row + i);
        this.fill(out, batch, places, places);
        row += batch.numRows;
        options.onProgress?.({ stage: 'embed', done: row, total: this.rows, message: 'reading stored vectors' });
      }
      if (row !== this.rows) throw this.changed(`${row} rows read, ${this.rows} counted`);
      return this.checked(out);
    }
    const wanted = Array.from(offsets);
    return this.takeBatched(wanted, options, (part) => this.table.takeOffsets(part), (a, b) => a - b, true);
  }

  take(keys: ArrayLike<number>, options: RunOptions = {}): Promise<StoreRows> {
    return this.takeBatched(Array.from(keys), options, (part) => this.table.takeRowIds(part), (a, b) => a - b, false);
  }

  async lookup(ids: readonly string[], options: RunOptions = {}): Promise<StoreRows> {
    const idColumn = this.columns.id;
    if (!idColumn) throw new DriftError(`${this.name} has no id column ("${this.spec.columns.id}"), so its rows cannot be matched with another store's.`, 'config');
    const numeric = this.idIsNumeric;
    const parts: StoreRows[] = [];
    for (let from = 0; from < ids.length; from += LOOKUP_BATCH) {
      throwIfAborted(options.signal);
      const list = ids.slice(from, from + LOOKUP_BATCH).map((id) => (numeric ? String(Number(id)) : `'${id.replace(/'/g, "''")}'`));
      const batch = await this.table.query().where(`\`${idColumn}\` IN (${list.join(', ')})`).select(this.selected()).withRowId().toArrow();
      const out = emptyRows(batch.numRows, this.dimension, this.has);
      const places = Array.from({ length: batch.numRows }, (_, i) => i);
      this.fill(out, batch, places, places.map(() => -1));
      parts.push(out);
    }
    return this.checked(concatRows(parts, this.dimension));
  }

  /** Rows by offset or row id, asked in batches; each returned row put back where it was asked for. */
  private async takeBatched(
    wanted: number[], options: RunOptions, take: (part: number[]) => TakeQuery, compare: (a: number, b: number) => number, byOffset: boolean,
  ): Promise<StoreRows> {
    const n = wanted.length;
    const out = emptyRows(n, this.dimension, this.has);
    // LanceDB returns taken rows in table order, not in the order asked.
    const order = Array.from(wanted.keys()).sort((x, y) => compare(wanted[x]!, wanted[y]!));
    for (let from = 0; from < n; from += TAKE_BATCH) {
      throwIfAborted(options.signal);
      const part = order.slice(from, from + TAKE_BATCH);
      const batch = await take(part.map((p) => wanted[p]!)).select(this.selected()).withRowId().toArrow();
      if (batch.numRows !== part.length) throw this.changed(`asked for ${part.length} rows, got ${batch.numRows}`);
      this.fill(out, batch, part, byOffset ? part.map((p) => wanted[p]!) : part.map(() => -1));
    }
    return this.checked(out);
  }

  private checked(rows: StoreRows): StoreRows {
    checkVectors(rows.vectors, this.dimension, rows.ids, this.name, this.columns.vector);
    return rows;
  }

  private fill(out: StoreRows, batch: ArrowTable | RecordBatch, places: number[], offsets: number[]): void {
    this.fillRows(out, batch, Array.from({ length: batch.numRows }, (_, i) => i), places, offsets);
  }

  /** Copies rows `from` of the batch to `places` of `out`. */
  private fillRows(out: StoreRows, batch: ArrowTable | RecordBatch, from: readonly number[], places: number[], offsets: number[]): void {
    const c = this.columns;
    const vectors = readVectors(batch, c.vector, this.dimension, this.name);
    const keys = rowIds(batch);
    const ids = c.id ? readStrings(batch, c.id, this.name) : Array.from(keys, String);
    const texts = readStrings(batch, c.text, this.name);
    const files = c.file ? readStrings(batch, c.file, this.name) : undefined;
    const starts = c.start ? readIntegers(batch, c.start, this.name) : undefined;
    const ends = c.end ? readIntegers(batch, c.end, this.name) : undefined;
    const models = c.model ? readStrings(batch, c.model, this.name, () => '') : undefined;
    const dim = this.dimension;
    places.forEach((place, j) => {
      const i = from[j]!;
      out.offsets[place] = offsets[j]!;
      out.keys[place] = keys[i]!;
      out.ids[place] = ids[i]!;
      out.texts[place] = texts[i]!;
      if (files && out.files) out.files[place] = files[i]!;
      if (starts && out.starts) out.starts[place] = starts[i]!;
      if (ends && out.ends) out.ends[place] = ends[i]!;
      if (models && out.models) out.models[place] = models[i] || null;
      out.vectors.set(vectors.subarray(i * dim, (i + 1) * dim), place * dim);
    });
  }

  async search(queries: Float32Array, k: number, options: StoreSearchOptions = {}): Promise<StoreSearch> {
    const dim = this.dimension;
    const m = queries.length / dim;
    const useIndex = (options.useIndex ?? true) && this.index !== null;
    // With an index, search by the metric it was built for (another metric would not use it).
    const metric: StoreMetric = useIndex ? this.index!.metric : 'cosine';
    const hits: StoreHit[][] = new Array<StoreHit[]>(m);
    const c = this.columns;
    const tuning = this.spec;
    let next = 0;
    let done = 0;
    // Many query vectors per call: LanceDB answers a batch about ten times faster than the same queries one by one.
    const worker = async (): Promise<void> => {
      while (next < m) {
        throwIfAborted(options.signal);
        const from = next;
        const to = Math.min(m, from + SEARCH_BATCH);
        next = to;
        let search = this.table.vectorSearch(queries.subarray(from * dim, (from + 1) * dim));
        for (let q = from + 1; q < to; q++) search = search.addQueryVector(queries.subarray(q * dim, (q + 1) * dim));
        search = search.column(c.vector).distanceType(metric).limit(k);
        if (!useIndex) search = search.bypassVectorIndex();
        else {
          if (tuning.nprobes !== undefined) search = search.nprobes(tuning.nprobes);
          if (tuning.refineFactor !== undefined) search = search.refineFactor(tuning.refineFactor);
        }
        const result = await search.select(this.selected()).withRowId().toArrow();
        const perQuery = splitByQuery(result, to - from);
        for (let q = from; q < to; q++) hits[q] = this.hitsOf(perQuery[q - from]!, queries.subarray(q * dim, (q + 1) * dim));
        done += to - from;
        options.onProgress?.({ stage: 'index', done, total: m, message: 'searching the store' });
      }
    };
    await Promise.all(Array.from({ length: Math.min(SEARCH_CONCURRENCY, Math.ceil(m / SEARCH_BATCH)) }, worker));
    return { hits, method: useIndex ? 'index' : 'flat', ...(useIndex ? { index: this.index!.type } : {}), metric };
  }

  /** Hits with their cosine to the query, computed here from the returned vectors, whatever metric ranked them (in the database's order). */
  private hitsOf(result: { batch: ArrowTable | RecordBatch; rows: number[] }, query: Float32Array): StoreHit[] {
    const dim = this.dimension;
    const rows = emptyRows(result.rows.length, dim, this.has);
    const places = result.rows.map((_, i) => i);
    this.fillRows(rows, result.batch, result.rows, places, places.map(() => -1));
    let qNorm = 0;
    for (let d = 0; d < dim; d++) qNorm += query[d]! ** 2;
    return places.map((r) => {
      let dot = 0;
      let norm = 0;
      for (let d = 0; d < dim; d++) { const x = rows.vectors[r * dim + d]!; dot += x * query[d]!; norm += x * x; }
      // A zero vector has no direction: its cosine is 0, as exact search in memory gives it.
      return storeHit(rows, r, dim, norm > 0 && qNorm > 0 ? dot / Math.sqrt(norm * qNorm) : 0);
    });
  }

  async scan(visit: Parameters<VectorStore['scan']>[0], options: RunOptions = {}): Promise<void> {
    let row = 0;
    for await (const batch of this.table.query().select([this.columns.vector]).withRowId() as AsyncIterable<RecordBatch>) {
      throwIfAborted(options.signal);
      const vectors = readVectors(batch, this.columns.vector, this.dimension, this.name);
      await visit({ keys: rowIds(batch), vectors, first: row, count: batch.numRows });
      row += batch.numRows;
    }
    if (row !== this.rows) throw this.changed(`${row} rows scanned, ${this.rows} counted`);
  }

  async checkUnchanged(): Promise<void> {
    const latest = await this.db.openTable(this.spec.table).catch(() => null);
    const now = latest ? await latest.version() : null;
    latest?.close();
    if (now !== this.version) throw this.changed(now === null ? 'it was dropped' : `version ${this.version} when the run started, ${now} now`);
  }

  private changed(detail: string): DriftError {
    return new DriftError(`${this.name} changed during the run (${detail}; column "${this.columns.vector}"); nothing was written: run again once writes to it have stopped.`, 'io');
  }

  close(): void {
    this.table.close();
    this.db.close();
  }
}

/** The _rowid column as numbers (fragment << 32 | row: exact in a double below 2^21 fragments). */
function rowIds(batch: ArrowTable | RecordBatch): Float64Array {
  const column = batch.getChild('_rowid');
  const out = new Float64Array(batch.numRows);
  for (let i = 0; i < batch.numRows; i++) out[i] = Number(column?.get(i) as bigint);
  return out;
}

export function emptyRows(n: number, dim: number, has: VectorStore['has']): StoreRows {
  return {
    offsets: new Int32Array(n), keys: new Float64Array(n), ids: new Array<string>(n), texts: new Array<string>(n),
    ...(has.file ? { files: new Array<string>(n) } : {}),
    ...(has.range ? { starts: new Int32Array(n), ends: new Int32Array(n) } : {}),
    ...(has.model ? { models: new Array<string | null>(n) } : {}),
    vectors: new Float32Array(n * dim),
  };
}

function firstLine(err: unknown): string {
  return ((err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '').slice(0, 200);
}

/** Rows of several reads, one after the other. */
export function concatRows(parts: readonly StoreRows[], dim: number): StoreRows {
  const n = parts.reduce((s, p) => s + p.ids.length, 0);
  const has = { file: parts.every((p) => p.files), range: parts.every((p) => p.starts), model: parts.every((p) => p.models) };
  const out = emptyRows(n, dim, { file: Boolean(has.file), range: Boolean(has.range), model: Boolean(has.model) });
  let at = 0;
  for (const p of parts) {
    out.offsets.set(p.offsets, at);
    out.keys.set(p.keys, at);
    out.vectors.set(p.vectors, at * dim);
    if (out.starts && out.ends) { out.starts.set(p.starts!, at); out.ends.set(p.ends!, at); }
    for (let i = 0; i < p.ids.length; i++) {
      out.ids[at + i] = p.ids[i]!;
      out.texts[at + i] = p.texts[i]!;
      if (out.files) out.files[at + i] = p.files![i]!;
      if (out.models) out.models[at + i] = p.models![i]!;
    }
    at += p.ids.length;
  }
  return out;
}

/**
 * The rows of a multi-query search result per query (its query_index column), each in the order
 * of its _distance (best first; the database already sorts, this keeps it so for every batch shape).
 */
function splitByQuery(batch: ArrowTable, queries: number): Array<{ batch: ArrowTable; rows: number[] }> {
  const index = batch.getChild('query_index');
  const distance = batch.getChild('_distance');
  const out = Array.from({ length: queries }, () => ({ batch, rows: [] as number[] }));
  for (let r = 0; r < batch.numRows; r++) out[queries === 1 && !index ? 0 : Number(index?.get(r) ?? 0)]!.rows.push(r);
  for (const q of out) q.rows.sort((x, y) => Number(distance?.get(x) ?? 0) - Number(distance?.get(y) ?? 0));
  return out;
}
