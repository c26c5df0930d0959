// Vectors files, the exchange format of every other vector database (Qdrant, Chroma, pgvector and
// Pinecone export to them): Parquet read with hyparquet (pure JS, no native part, column chunks
// decoded straight into typed arrays) and JSON Lines, both read whole into a MemoryStore.
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { DriftError, throwIfAborted, type RunOptions } from '../types';
import { resolveColumns } from './lance';
import { MemoryStore } from './memory';
import type { StoreRows, StoreSpec, VectorStore } from './types';

type FileSpec = Extract<StoreSpec, { kind: 'file' }>;

/** One decoded column, whatever the format: a value per row. */
type Column = ArrayLike<unknown>;

export async function openFileStore(spec: FileSpec, options: RunOptions & { field?: string } = {}): Promise<VectorStore> {
  const field = options.field ?? 'store';
  const name = path.basename(spec.path);
  const stat = await fs.stat(spec.path).catch(() => null);
  if (!stat?.isFile()) throw new DriftError(`${field}.file: the vectors file ${spec.path} does not exist.`, 'config');
  const table = spec.format === 'parquet' ? await readParquet(spec, name, field) : await readJsonl(spec, name, field, options);
  return new MemoryStore(spec, name, table.rows, table.dimension);
}

interface ReadTable {
  rows: StoreRows;
  dimension: number;
}

async function readParquet(spec: FileSpec, where: string, field: string): Promise<ReadTable> {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } = await import('hyparquet');
  let file: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    file = await asyncBufferFromFile(spec.path);
    metadata = await parquetMetadataAsync(file);
  } catch (err) {
    throw new DriftError(`${field}.file: ${where} is not a readable Parquet file (${err instanceof Error ? err.message : String(err)}).`, 'config', { cause: err });
  }
  const present = new Set(parquetSchema(metadata).children.map((c) => c.element.name));
  const columns = resolveColumns(spec.columns, spec.explicit, present, where, field);
  const n = Number(metadata.num_rows);
  const values = new Map<string, unknown[]>();
  const wanted = Object.values(columns).filter((c): c is string => c !== undefined);
  for (const name of wanted) values.set(name, new Array<unknown>(n));
  await parquetRead({
    file, metadata, columns: wanted,
    onChunk: (chunk) => {
      const target = values.get(chunk.columnName);
      if (!target) return;
      for (let i = 0; i < chunk.columnData.length && chunk.rowStart + i < n; i++) target[chunk.rowStart + i] = chunk.columnData[i];
    },
  });
  const get = (name: string | undefined): Column | undefined => (name === undefined ? undefined : values.get(name));
  return assemble(n, where, spec, {
    vector: get(columns.vector)!, text: get(columns.text)!, id: get(columns.id), file: get(columns.file), start: get(columns.start), end: get(columns.end), model: get(columns.model),
  });
}

async function readJsonl(spec: FileSpec, where: string, field: string, options: RunOptions): Promise<ReadTable> {
  const records: Array<Record<string, unknown>> = [];
  const keys = new Set<string>();
  const lines = createInterface({ input: createReadStream(spec.path, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (line % 10_000 === 0) throwIfAborted(options.signal);
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new DriftError(`${where}:${line}: not a JSON object (each line of a .jsonl vectors file holds one row).`, 'config');
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new DriftError(`${where}:${line}: not a JSON object (each line holds one row).`, 'config');
    const record = value as Record<string, unknown>;
    if (records.length === 0) for (const key of Object.keys(record)) keys.add(key);
    records.push(record);
  }
  const columns = resolveColumns(spec.columns, spec.explicit, keys, where, field);
  const column = (name: string | undefined): Column | undefined => (name === undefined ? undefined : records.map((r) => r[name]));
  return assemble(records.length, where, spec, {
    vector: column(columns.vector)!, text: column(columns.text)!, id: column(columns.id), file: column(columns.file), start: column(columns.start), end: column(columns.end), model: column(columns.model),
  });
}

interface RawColumns {
  vector: Column;
  text: Column;
  id: Column | undefined;
  file: Column | undefined;
  start: Column | undefined;
  end: Column | undefined;
  model: Column | undefined;
}

/** Typed rows out of decoded columns; every value checked, a vector of another length named with its row. */
function assemble(n: number, where: string, spec: FileSpec, raw: RawColumns): ReadTable {
  const names = spec.columns;
  const ids = Array.from({ length: n }, (_, r) => {
    const v = raw.id?.[r];
    if (raw.id && (v === null || v === undefined)) throw new DriftError(`${where}: column "${names.id}" is empty at row ${r}.`, 'config');
    return raw.id ? String(v) : String(r);
  });
  const lengths = new Map<number, { rows: number; first: number }>();
  for (let r = 0; r < n; r++) {
    const v = raw.vector[r];
    const length = isNumbers(v) ? v.length : -1;
    if (length < 0) throw new DriftError(`${where}: column "${names.vector}" holds no list of numbers in row id ${JSON.stringify(ids[r])}.`, 'config');
    const seen = lengths.get(length);
    if (seen) seen.rows++;
    else lengths.set(length, { rows: 1, first: r });
  }
  if (lengths.size > 1) {
    const parts = [...lengths].sort((x, y) => y[1].rows - x[1].rows).map(([len, s]) => `${len} in ${s.rows} row(s), first row id ${JSON.stringify(ids[s.first])}`);
    throw new DriftError(`${where}: column "${names.vector}" mixes vectors of ${lengths.size} dimensions (${parts.join('; ')}): rows from more than one model cannot be compared; keep one model's rows.`, 'config');
  }
  const dimension = [...lengths.keys()][0] ?? 0;
  const vectors = new Float32Array(n * dimension);
  for (let r = 0; r < n; r++) {
    const v = raw.vector[r] as ArrayLike<number>;
    // A null inside a list becomes NaN, which checkVectors then reports with its row.
    for (let d = 0; d < dimension; d++) { const x = v[d]; vectors[r * dimension + d] = x === null || x === undefined ? NaN : Number(x); }
  }
  const text = (col: Column, name: string, r: number): string => {
    const v = col[r];
    if (typeof v !== 'string') throw new DriftError(`${where}: column "${name}" must hold text; row id ${JSON.stringify(ids[r])} holds ${v === null || v === undefined ? 'nothing' : typeof v}.`, 'config');
    return v;
  };
  const offset = (col: Column, name: string, r: number): number => {
    const v = Number(col[r]);
    if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) throw new DriftError(`${where}: column "${name}" must hold character offsets (whole numbers >= 0); row id ${JSON.stringify(ids[r])} holds ${String(col[r])}.`, 'config');
    return v;
  };
  const rows: StoreRows = {
    offsets: Int32Array.from({ length: n }, (_, r) => r),
    keys: Float64Array.from({ length: n }, (_, r) => r),
    ids,
    texts: Array.from({ length: n }, (_, r) => text(raw.text, names.text, r)),
    vectors,
  };
  if (raw.file) rows.files = Array.from({ length: n }, (_, r) => text(raw.file!, names.file, r));
  if (raw.start && raw.end) {
    rows.starts = Int32Array.from({ length: n }, (_, r) => offset(raw.start!, names.start, r));
    rows.ends = Int32Array.from({ length: n }, (_, r) => offset(raw.end!, names.end, r));
  }
  if (raw.model) rows.models = Array.from({ length: n }, (_, r) => (typeof raw.model![r] === 'string' && raw.model![r] !== '' ? raw.model![r] as string : null));
  return { rows, dimension };
}

function isNumbers(value: unknown): value is ArrayLike<number> {
  if (ArrayBuffer.isView(value)) return true;
  return Array.isArray(value) && value.every((x) => typeof x === 'number' || x === null);
}
