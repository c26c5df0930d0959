// The store benchmark: a generated LanceDB table of N rows with two vector columns (an index in
// mid-migration: "vector" and "vector_b", each with its IVF-PQ index, as a production table has),
// compared through a sample by the built CLI in a child process (time and peak RSS); and a run that
// reads A from a store against the same run embedding A again.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultConfig } from '../src/core/config';
import { DEFAULT_STORE_COLUMNS } from '../src/core/config/defaults';
import type { ChunkerSpec, DriftConfig } from '../src/core/config/types';
import { compare } from '../src/core/pipeline/compare';
import { exportSide } from '../src/core/pipeline/export';
import { loadLanceDb } from '../src/core/store/lancedbModule';
import { gaussian, seededRandom } from '../src/core/random';
import { runChild, type ChildRun } from './measure';

export interface GeneratedTable {
  uri: string;
  table: string;
  rows: number;
  dim: number;
  /** Seconds to write the rows, and to build the two IVF-PQ indexes (setup, not part of a run). */
  writeS: number;
  indexS: number;
  reused: boolean;
}

const BATCH = 50_000;
/** Intrinsic dimension of the generated vectors. */
const LATENT = 16;

/**
 * Rows shaped like sentence embeddings: topics (clusters) in a 16-dimensional latent space, mapped
 * into `dim` dimensions by a fixed random matrix plus a little noise (embeddings of real text have
 * an intrinsic dimension far below their width, which is what lets IVF-PQ work). "vector_b" is
 * another "model": the same latent point, moved a little, through another matrix, so neighborhoods
 * partly move. Cached under `dir` by size: a second run reuses the table and its indexes.
 */
export async function generateTable(dir: string, rows: number, dim: number, log: (line: string) => void): Promise<GeneratedTable> {
  const uri = path.join(dir, `store-${rows}x${dim}-latent${LATENT}-pq${dim / 4}`);
  const marker = path.join(uri, 'complete.json');
  if (fs.existsSync(marker)) return { ...JSON.parse(fs.readFileSync(marker, 'utf8')) as GeneratedTable, reused: true };
  fs.rmSync(uri, { recursive: true, force: true });
  fs.mkdirSync(uri, { recursive: true });
  const { lancedb, arrow } = loadLanceDb();
  const random = seededRandom(20261129);
  const clusters = 2000;
  const centers = Float32Array.from({ length: clusters * LATENT }, () => 2 * gaussian(random));
  const mapA = Float32Array.from({ length: dim * LATENT }, () => gaussian(random));
  const mapB = Float32Array.from({ length: dim * LATENT }, () => gaussian(random));
  const project = (map: Float32Array, z: Float32Array, noise: number): Float32Array => {
    const out = new Float32Array(dim);
    for (let d = 0; d < dim; d++) {
      let x = 0;
      for (let l = 0; l < LATENT; l++) x += map[d * LATENT + l]! * z[l]!;
      out[d] = x + noise * gaussian(random);
    }
    return out;
  };
  const vectorType = (): InstanceType<typeof arrow.FixedSizeList> => new arrow.FixedSizeList(dim, new arrow.Field('item', new arrow.Float32()));
  const schema = new arrow.Schema([
    new arrow.Field('id', new arrow.Utf8()), new arrow.Field('text', new arrow.Utf8()),
    new arrow.Field('vector', vectorType()), new arrow.Field('vector_b', vectorType()),
  ]);
  const db = await lancedb.connect(uri);
  const started = performance.now();
  let table: Awaited<ReturnType<typeof db.createTable>> | undefined;
  for (let from = 0; from < rows; from += BATCH) {
    const n = Math.min(BATCH, rows - from);
    const batch = [];
    for (let i = 0; i < n; i++) {
      const c = Math.floor(random() * clusters);
      const z = Float32Array.from({ length: LATENT }, (_, l) => centers[c * LATENT + l]! + gaussian(random));
      const moved = z.map((x) => x + 0.3 * gaussian(random));
      batch.push({ id: `r${from + i}`, text: `row ${from + i} on topic ${c}`, vector: project(mapA, z, 0.5), vector_b: project(mapB, moved, 0.5) });
    }
    if (!table) table = await db.createTable('docs', batch, { schema });
    else await table.add(batch);
    if ((from / BATCH) % 4 === 0) log(`  wrote ${from + n} of ${rows} rows`);
  }
  const writeS = (performance.now() - started) / 1000;
  const indexed = performance.now();
  for (const column of ['vector', 'vector_b']) {
    // 25 sub-vectors of 4 dimensions: LanceDB's default for a width that 16 does not divide is a single
    // sub-vector (one byte a vector), which no production table would keep (recall@10 about 0.1 here).
    await table!.createIndex(column, { config: lancedb.Index.ivfPq({ distanceType: 'cosine', numSubVectors: dim / 4 }) });
    log(`  IVF-PQ index on ${column} built`);
  }
  const indexS = (performance.now() - indexed) / 1000;
  table!.close();
  db.close();
  const result: GeneratedTable = { uri, table: 'docs', rows, dim, writeS, indexS, reused: false };
  fs.writeFileSync(marker, JSON.stringify(result));
  return result;
}

/** `node dist/cli.js compare` of column A against column B of the table, sampled, offline, under GNU time. */
export async function sampledRun(repo: string, work: string, table: GeneratedTable, sample: number): Promise<{ run: ChildRun; report: StoreRunReport }> {
  const dir = path.join(work, 'store-run');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const config = {
    k: 10, sample,
    // LanceDB's default query (nprobes 20, no re-ranking): what an untuned production query does.
    a: { label: 'vector', store: { lancedb: table.uri, table: table.table } },
    b: { label: 'vector_b', store: { vector: 'vector_b' } },
  };
  const file = path.join(dir, 'embedding-drift.json');
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  const run = await runChild(process.execPath, [
    path.join(repo, 'dist', 'cli.js'), 'compare', '--config', file, '--out', path.join(dir, 'out'), '--cache-dir', path.join(dir, 'cache'), '--offline', '--json',
  ], { cwd: dir, env: { ...process.env, LANCEDB_LOG: 'error' } });
  if (run.code !== 0) throw new Error(`store run failed (exit ${run.code}): ${run.stderr.trim().split('\n').slice(-3).join(' ')}`);
  const report = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'report.json'), 'utf8')) as StoreRunReport;
  return { run, report };
}

/** The parts of report.json the benchmark prints. */
export interface StoreRunReport {
  neighbors: { churnedShare: number | null; meanJaccard: number; sampled?: { size: number; total: number; churnedShareCi: [number, number]; meanJaccardCi: [number, number] } };
  stores?: { a?: { recallAtK: number | null; probes: number; index: string | null; search: string }; b?: { recallAtK: number | null; probes: number; index: string | null; search: string } };
  timings: Record<string, number>;
  chunks: { a: number; b: number };
}

/**
 * The same comparison twice from a cold cache: A chunked and embedded again with builtin:lexical,
 * then A read from the table `export` wrote from that run's A (B embeds the same texts both times).
 * Returns both wall times; anchors are off in both so the runs differ only in how A is produced.
 */
export async function storeVersusReembed(work: string, corpusRoot: string, chunker: ChunkerSpec, log: (line: string) => void): Promise<{ reembedMs: number; storeMs: number; chunks: number; exportMs: number }> {
  const dir = path.join(work, 'store-vs-reembed');
  fs.rmSync(dir, { recursive: true, force: true });
  const base = defaultConfig(corpusRoot);
  base.k = 10;
  base.autoAnchors = false;
  base.a = { ...base.a, label: 'A', model: { kind: 'builtin', name: 'lexical', dimension: 384 }, chunker, tokenizer: { kind: 'words' } };
  base.b = { ...base.a, label: 'B', model: { kind: 'builtin', name: 'lexical', dimension: 256 } };
  const run = async (config: DriftConfig, cache: string): Promise<{ ms: number; chunks: number }> => {
    fs.rmSync(cache, { recursive: true, force: true });
    const started = performance.now();
    const session = await compare(config, { cacheDir: cache, allowNetwork: false });
    const ms = performance.now() - started;
    await session.dispose();
    return { ms, chunks: session.report.chunks.a };
  };
  const reembed = await run(base, path.join(dir, 'cache-reembed'));
  log(`  A embedded again: ${(reembed.ms / 1000).toFixed(2)} s (${reembed.chunks} chunks a side)`);
  const exportStarted = performance.now();
  await exportSide(base, 'a', { uri: path.join(dir, 'index'), table: 'docs' }, { cacheDir: path.join(dir, 'cache-export'), allowNetwork: false });
  const exportMs = performance.now() - exportStarted;
  const stored: DriftConfig = {
    ...base,
    a: { ...base.a, store: { kind: 'lancedb', uri: path.join(dir, 'index'), table: 'docs', columns: { ...DEFAULT_STORE_COLUMNS }, explicit: [] }, storeModel: true },
    b: { ...base.b, textsOf: 'a' },
  };
  const store = await run(stored, path.join(dir, 'cache-store'));
  log(`  A read from the store: ${(store.ms / 1000).toFixed(2)} s (${store.chunks} chunks a side); exporting A took ${(exportMs / 1000).toFixed(2)} s`);
  if (store.chunks !== reembed.chunks) throw new Error(`the store run has ${store.chunks} chunks, the direct run ${reembed.chunks}`);
  return { reembedMs: reembed.ms, storeMs: store.ms, chunks: store.chunks, exportMs };
}
