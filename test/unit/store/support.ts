// Real LanceDB tables and vectors files for the store tests, written directly through LanceDB,
// apache-arrow and hyparquet-writer (not through the code under test), in temp folders.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gaussian, seededRandom } from '../../../src/core/random';
import { loadLanceDb } from '../../../src/core/store/lancedbModule';
import { DEFAULT_STORE_COLUMNS, type StoreColumns, type StoreSpec } from '../../../src/core/store/types';

export interface TestRow {
  id: string;
  text: string;
  path?: string;
  start?: number;
  end?: number;
  model?: string;
  /** Vector columns by name. */
  vectors: Record<string, ArrayLike<number>>;
}

export async function tempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `drift-store-${prefix}-`));
}

/** A table whose vector columns are FixedSizeList<Float32> (LanceDB's vector type). */
export async function writeTable(uri: string, name: string, rows: readonly TestRow[], options: { dim?: number } = {}): Promise<void> {
  const { lancedb, arrow } = loadLanceDb();
  const first = rows[0];
  const vectorNames = first ? Object.keys(first.vectors) : ['vector'];
  const dim = options.dim ?? (first ? first.vectors[vectorNames[0]!]!.length : 4);
  const fields = [
    new arrow.Field('id', new arrow.Utf8()),
    new arrow.Field('text', new arrow.Utf8()),
    ...(first?.path !== undefined ? [new arrow.Field('path', new arrow.Utf8())] : []),
    ...(first?.start !== undefined ? [new arrow.Field('start', new arrow.Int32()), new arrow.Field('end', new arrow.Int32())] : []),
    ...(first?.model !== undefined ? [new arrow.Field('model', new arrow.Utf8(), true)] : []),
    ...vectorNames.map((v) => new arrow.Field(v, new arrow.FixedSizeList(dim, new arrow.Field('item', new arrow.Float32())))),
  ];
  const schema = new arrow.Schema(fields);
  const db = await lancedb.connect(uri);
  const data = rows.map((r) => {
    const out: Record<string, unknown> = { id: r.id, text: r.text };
    if (r.path !== undefined) out['path'] = r.path;
    if (r.start !== undefined) { out['start'] = r.start; out['end'] = r.end; }
    if (r.model !== undefined) out['model'] = r.model;
    for (const v of vectorNames) out[v] = Array.from(r.vectors[v]!);
    return out;
  });
  const table = rows.length === 0
    ? await db.createEmptyTable(name, schema, { mode: 'overwrite' })
    : await db.createTable(name, data, { schema, mode: 'overwrite' });
  table.close();
  db.close();
}

export async function appendRows(uri: string, name: string, rows: readonly TestRow[]): Promise<void> {
  const { lancedb } = loadLanceDb();
  const db = await lancedb.connect(uri);
  const table = await db.openTable(name);
  await table.add(rows.map((r) => ({ id: r.id, text: r.text, ...(r.path !== undefined ? { path: r.path, start: r.start, end: r.end } : {}), ...Object.fromEntries(Object.entries(r.vectors).map(([k, v]) => [k, Array.from(v)])) })));
  table.close();
  db.close();
}

export async function writeJsonl(file: string, rows: readonly TestRow[]): Promise<void> {
  const lines = rows.map((r) => JSON.stringify({
    id: r.id, text: r.text, ...(r.path !== undefined ? { path: r.path, start: r.start, end: r.end } : {}),
    ...(r.model !== undefined ? { model: r.model } : {}),
    ...Object.fromEntries(Object.entries(r.vectors).map(([k, v]) => [k, Array.from(v)])),
  }));
  await fs.writeFile(file, `${lines.join('\n')}\n`);
}

export async function writeParquet(file: string, rows: readonly TestRow[]): Promise<void> {
  const { parquetWriteFile } = await import('hyparquet-writer');
  const first = rows[0]!;
  const columnData: Array<{ name: string; data: unknown[]; type?: 'STRING' | 'INT32' }> = [
    { name: 'id', data: rows.map((r) => r.id), type: 'STRING' },
    { name: 'text', data: rows.map((r) => r.text), type: 'STRING' },
  ];
  if (first.path !== undefined) {
    columnData.push({ name: 'path', data: rows.map((r) => r.path), type: 'STRING' });
    columnData.push({ name: 'start', data: rows.map((r) => r.start), type: 'INT32' }, { name: 'end', data: rows.map((r) => r.end), type: 'INT32' });
  }
  // Vectors as lists of doubles: what pandas writes for a column of float lists (Qdrant, Chroma exports).
  for (const v of Object.keys(first.vectors)) columnData.push({ name: v, data: rows.map((r) => Array.from(r.vectors[v]!)) });
  parquetWriteFile({ filename: file, columnData: columnData as Parameters<typeof parquetWriteFile>[0]['columnData'] });
}

export function lanceSpec(uri: string, table: string, columns: Partial<StoreColumns> = {}): StoreSpec {
  return { kind: 'lancedb', uri, table, columns: { ...DEFAULT_STORE_COLUMNS, ...columns }, explicit: Object.keys(columns) as Array<keyof StoreColumns> };
}

export function fileSpec(file: string, columns: Partial<StoreColumns> = {}): StoreSpec {
  return { kind: 'file', path: file, format: file.endsWith('.parquet') ? 'parquet' : 'jsonl', columns: { ...DEFAULT_STORE_COLUMNS, ...columns }, explicit: Object.keys(columns) as Array<keyof StoreColumns> };
}

/**
 * n rows of clustered vectors (topics around `clusters` centers) with a second column "vector_b" =
 * the same rows seen by another model: a fixed mix of the dimensions plus noise of `change`.
 */
export function clusteredRows(n: number, dim: number, seed: number, options: { clusters?: number; change?: number; noise?: number } = {}): TestRow[] {
  const random = seededRandom(seed);
  const clusters = options.clusters ?? 50;
  const noise = options.noise ?? 1;
  const change = options.change ?? 0.5;
  const centers = Array.from({ length: clusters }, () => Array.from({ length: dim }, () => gaussian(random)));
  const rows: TestRow[] = [];
  for (let i = 0; i < n; i++) {
    const c = centers[Math.floor(random() * clusters)]!;
    const v = c.map((x) => x + noise * gaussian(random));
    // "Model B": dimensions mixed pairwise and noised, so neighborhoods move but topics stay.
    const w = v.map((x, d) => 0.8 * x + 0.6 * v[(d + 1) % dim]! + change * gaussian(random));
    rows.push({ id: `r${i}`, text: `row ${i} of topic ${centers.indexOf(c)}`, vectors: { vector: v, vector_b: w } });
  }
  return rows;
}
