// Writes a side's chunks and vectors as a LanceDB table (id, text, path, start, end, model,
// vector): the dry run of a migration, and a folder run turned into an index a team can keep.
// Everything is checked before the table is created, so a refused export writes nothing.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DriftError, throwIfAborted, type ChunkSpan, type RunOptions } from '../types';
import { loadLanceDb } from './lancedbModule';
import { checkVectors } from './rows';
import { DEFAULT_STORE_COLUMNS } from './types';

export interface ExportRows {
  chunks: ReadonlyArray<ChunkSpan & { text: string }>;
  /** chunks.length x dimension. */
  vectors: Float32Array;
  dimension: number;
  /** Written to the `model` column of every row (what the mixed-index check reads later). */
  model: string;
}

export interface ExportTarget {
  /** A LanceDB database folder (created when missing). */
  uri: string;
  table: string;
  /** Replace a table of that name (LanceDB keeps the old version); otherwise an existing table is refused. */
  overwrite?: boolean;
  lancedbPath?: string;
}

/** Rows per add(): bounds the JavaScript objects held at once. */
const WRITE_BATCH = 10_000;

/** The id an exported chunk gets: its file and character range, unique within a side. */
export function chunkId(chunk: ChunkSpan): string {
  return `${chunk.file}#${chunk.start}-${chunk.end}`;
}

export async function writeLanceTable(rows: ExportRows, target: ExportTarget, options: RunOptions = {}): Promise<{ rows: number; uri: string; table: string }> {
  const { lancedb, arrow } = loadLanceDb(target.lancedbPath);
  const n = rows.chunks.length;
  const dim = rows.dimension;
  const where = `LanceDB table "${target.table}" in ${target.uri}`;
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(target.table)) {
    throw new DriftError(`export: table name ${JSON.stringify(target.table)} must be letters, digits, "_", "-" or "." (LanceDB stores it as a folder name).`, 'usage');
  }
  if (n === 0) throw new DriftError(`export: the side has no chunks, so ${where} would be empty; nothing was written.`, 'usage');
  if (rows.vectors.length !== n * dim) throw new DriftError(`export: ${n} chunks but ${rows.vectors.length} vector values (dimension ${dim}); nothing was written.`, 'usage');
  const ids = rows.chunks.map(chunkId);
  checkVectors(rows.vectors, dim, ids, `export to ${where}`, DEFAULT_STORE_COLUMNS.vector);
  if (new Set(ids).size !== n) throw new DriftError(`export: two chunks share a file and character range; ${where} needs unique ids; nothing was written.`, 'usage');
  await fs.mkdir(target.uri, { recursive: true });
  const db = await lancedb.connect(target.uri);
  try {
    if (!target.overwrite && (await db.tableNames()).includes(target.table)) {
      throw new DriftError(`export: ${where} already exists; choose another --table or pass --overwrite (LanceDB keeps the old version).`, 'usage');
    }
    const c = DEFAULT_STORE_COLUMNS;
    const schema = new arrow.Schema([
      new arrow.Field(c.id, new arrow.Utf8(), false),
      new arrow.Field(c.text, new arrow.Utf8(), false),
      new arrow.Field(c.file, new arrow.Utf8(), false),
      new arrow.Field(c.start, new arrow.Int32(), false),
      new arrow.Field(c.end, new arrow.Int32(), false),
      new arrow.Field(c.model, new arrow.Utf8(), true),
      new arrow.Field(c.vector, new arrow.FixedSizeList(dim, new arrow.Field('item', new arrow.Float32(), true)), false),
    ]);
    const batch = (from: number): Array<Record<string, unknown>> => rows.chunks.slice(from, from + WRITE_BATCH).map((chunk, i) => ({
      [c.id]: ids[from + i], [c.text]: chunk.text, [c.file]: chunk.file, [c.start]: chunk.start, [c.end]: chunk.end, [c.model]: rows.model,
      [c.vector]: rows.vectors.subarray((from + i) * dim, (from + i + 1) * dim),
    }));
    const table = await db.createTable(target.table, batch(0), { schema, mode: target.overwrite ? 'overwrite' : 'create' });
    try {
      for (let from = WRITE_BATCH; from < n; from += WRITE_BATCH) {
        throwIfAborted(options.signal);
        await table.add(batch(from));
        options.onProgress?.({ stage: 'report', done: from, total: n, message: 'writing the table' });
      }
    } finally {
      table.close();
    }
    return { rows: n, uri: path.resolve(target.uri), table: target.table };
  } finally {
    db.close();
  }
}
