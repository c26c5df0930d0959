// Sides that are not chunked and embedded here: a side read from a store (stored rows and vectors)
// and a side that embeds another side's stored texts with its own model. Produces the same
// SideRun / SideModel the rest of the pipeline reads, plus what the report says about each store.
import { createHash } from 'node:crypto';
import { preprocess } from '../chunking';
import { describeModel } from '../config/describe';
import type { DriftConfig, Side, SideConfig } from '../config/types';
import { openEmbeddingCache } from '../embedding';
import type { EmbedResult, Embedder } from '../embedding/types';
import { mixedIndexCheck } from '../metrics/mixedIndex';
import type { Report, StoreReport } from '../report/types';
import { describeStore, openStore } from '../store';
import { sampleStores } from '../store/sample';
import { STORE_DEFAULT_SAMPLE, STORE_SAMPLE_ABOVE } from '../config/defaults';
import type { NeighborLists } from '../index/types';
import type { StoreRows, VectorStore } from '../store/types';
import { unitRows } from '../index/vectors';
import { loadTokenizer } from '../tokenizers';
import type { Tokenizer } from '../tokenizers/types';
import { DriftError, type Chunk, type Corpus, type CorpusFile, type RunOptions } from '../types';
import { embedTexts, openSideModel, type SideModel, type SideRun } from './side';
import { forSide } from './stages';
import { timed, type Timings } from '../timing';
import type { CompareOptions } from './types';

/** Recall of a store's own search below which its neighbor lists are said to blur the churn. */
export const STORE_RECALL_FLOOR = 0.9;

/** A store side once read: its rows as chunks, the store's description for the report. */
export interface StoreSide {
  store: VectorStore;
  corpus: Corpus;
  run: SideRun;
  model: SideModel;
  report: Omit<StoreReport, 'mixed'> & { mixed: StoreReport['mixed'] };
  /** Whether this side can embed a query (its configuration names the model that wrote the vectors). */
  embedsQueries: boolean;
}

/**
 * The embedder of a store side whose configuration names no model: it carries the store's
 * dimension and fingerprint, and refuses to embed (nothing here knows which model wrote the rows).
 */
class StoredVectors implements Embedder {
  readonly maxTokens = undefined;
  constructor(readonly fingerprint: string, readonly dimension: number, readonly label: string, readonly tokenizer: Tokenizer, private readonly side: Side) {}
  embed(): Promise<EmbedResult> {
    return Promise.reject(new DriftError(`${this.side.toUpperCase()} reads stored vectors (${this.label}) and names no model to embed a query with; set ${this.side}.model to the model that wrote them.`, 'config'));
  }
  dispose(): Promise<void> {
    return Promise.resolve();
  }
}

/** Changes whenever the stored vectors could: the store, its column, its version and size. */
function storeFingerprint(store: VectorStore, version: number | undefined): string {
  const spec = store.spec;
  const where = spec.kind === 'lancedb' ? [spec.uri, spec.table] : [spec.path];
  return `store:${createHash('sha256').update(JSON.stringify([spec.kind, ...where, spec.columns.vector, version ?? null, store.rows, store.dimension])).digest('hex').slice(0, 32)}`;
}

/**
 * Chunks for stored rows, and a corpus they are ranges of. With file and range columns each file is
 * rebuilt from its rows' texts at their offsets (spaces where no row reaches), so a chunk's text is
 * its file's characters start..end as everywhere else; without them each row is its own file named
 * by its id.
 */
export function storeChunks(rows: Pick<StoreRows, 'ids' | 'texts' | 'files' | 'starts' | 'ends'>, root: string): { chunks: Chunk[]; corpus: Corpus; mismatched: number } {
  const n = rows.ids.length;
  const chunks: Chunk[] = [];
  let mismatched = 0;
  if (!rows.files || !rows.starts || !rows.ends) {
    const seen = new Set<string>();
    for (let r = 0; r < n; r++) {
      const id = rows.ids[r]!;
      if (seen.has(id)) throw new DriftError(`Stored rows: id ${JSON.stringify(id)} belongs to more than one row; rows without file and range columns are shown by id, so ids must be unique.`, 'config');
      seen.add(id);
      chunks.push({ file: id, start: 0, end: rows.texts[r]!.length, text: rows.texts[r]!, embedText: rows.texts[r]! });
    }
    return { chunks, corpus: { root, files: chunks.map((c) => corpusFile(c.file, c.text)), skipped: [] }, mismatched };
  }
  const byFile = new Map<string, number[]>();
  for (let r = 0; r < n; r++) (byFile.get(rows.files[r]!) ?? byFile.set(rows.files[r]!, []).get(rows.files[r]!)!).push(r);
  const files: CorpusFile[] = [];
  for (const [file, members] of byFile) {
    const length = Math.max(...members.map((r) => rows.ends![r]!));
    const text = new Array<string>(length).fill(' ');
    for (const r of members) {
      const start = rows.starts![r]!;
      const stored = rows.texts[r]!;
      if (rows.ends![r]! - start !== stored.length || start > rows.ends![r]!) mismatched++;
      for (let i = 0; i < stored.length && start + i < length; i++) text[start + i] = stored[i]!;
    }
    files.push(corpusFile(file, text.join('')));
  }
  for (let r = 0; r < n; r++) {
    const start = rows.starts[r]!;
    const end = Math.max(start, rows.ends[r]!);
    chunks.push({ file: rows.files[r]!, start, end, text: rows.texts[r]!, embedText: rows.texts[r]! });
  }
  return { chunks, corpus: { root, files, skipped: [] }, mismatched };
}

function corpusFile(path: string, text: string): CorpusFile {
  return { path, text, hash: createHash('sha256').update(text).digest('hex'), bytes: Buffer.byteLength(text) };
}

/** Where the report says a store side's corpus is. */
function storeRoot(side: SideConfig): string {
  const spec = side.store!;
  return spec.kind === 'lancedb' ? `${spec.uri}#${spec.table}` : spec.path;
}

/** Opens a side's store (the configuration's columns checked against it). */
export function openSideStore(config: DriftConfig, side: Side, options: CompareOptions, timings: Timings): Promise<VectorStore> {
  const run = forSide(options, side);
  return timed(timings, `store.${side}`, () => openStore(config[side].store!, { ...run, field: `${side}.store`, ...(options.lancedbPath ? { lancedbPath: options.lancedbPath } : {}) }));
}

/**
 * The model of a store side: the one its configuration names (it must embed the store's dimension:
 * it wrote the vectors), or, without one, an embedder that carries the store's dimension and
 * fingerprint and embeds nothing.
 */
async function storeSideModel(config: DriftConfig, side: Side, store: VectorStore, options: CompareOptions, timings: Timings, models: SideModel[]): Promise<SideModel> {
  const sideConfig = config[side];
  if (sideConfig.storeModel) {
    const model = await timed(timings, 'model', () => openSideModel(sideConfig, side, options));
    models.push(model);
    if (model.embedder.dimension !== store.dimension) {
      throw new DriftError(`${side}.model ${model.embedder.label} embeds ${model.embedder.dimension} dimensions but ${store.name} column "${sideConfig.store!.columns.vector}" holds ${store.dimension}: ${side}.model must name the model that wrote the stored vectors.`, 'config');
    }
    return model;
  }
  const tokenizer = await loadTokenizer(sideConfig.tokenizer);
  const embedder = new StoredVectors(storeFingerprint(store, store.version), store.dimension, describeStore(sideConfig.store!), tokenizer, side);
  const model = { embedder, tokenizer, chunkTokenizer: tokenizer, cache: await openEmbeddingCache(options.cacheDir, embedder) };
  models.push(model);
  return model;
}

/** What the report says about a store, before its search and mixed-index check are known. */
function storeReport(config: DriftConfig, side: Side, store: VectorStore, mixed: StoreReport['mixed'], search: Pick<StoreReport, 'search' | 'metric' | 'recallAtK' | 'probes'>): StoreReport {
  return {
    source: describeStore(config[side].store!), rows: store.rows, dimension: store.dimension, ...(store.version !== undefined ? { version: store.version } : {}),
    index: store.index?.type ?? null, ...search, mixed,
  };
}

/**
 * Reads every row of a store side (opening its store unless `opened` is given) and describes it;
 * `models` collects what must be disposed. A store it opened is closed again when reading fails.
 */
export async function readStoreSide(
  config: DriftConfig, side: Side, options: CompareOptions, timings: Timings, models: SideModel[], opened?: VectorStore,
): Promise<StoreSide> {
  const store = opened ?? await openSideStore(config, side, options, timings);
  try {
    return await readOpenedStore(config, side, store, options, timings, models);
  } catch (err) {
    if (!opened) store.close();
    throw err;
  }
}

async function readOpenedStore(
  config: DriftConfig, side: Side, store: VectorStore, options: CompareOptions, timings: Timings, models: SideModel[],
): Promise<StoreSide> {
  const sideConfig = config[side];
  const run = forSide(options, side);
  const rows = await timed(timings, `store.${side}`, () => store.read(undefined, run));
  const { chunks, corpus, mismatched } = storeChunks(rows, storeRoot(sideConfig));
  const model = await storeSideModel(config, side, store, options, timings, models);
  const warnings = mismatched > 0 ? [`${mismatched} row(s) of ${store.name} hold a text whose length is not their end - start; their character ranges are approximate.`] : [];
  return {
    store, corpus, model, embedsQueries: Boolean(sideConfig.storeModel),
    run: { corpus, chunks, vectors: unitRows(rows.vectors, store.dimension), truncated: 0, cacheHits: 0, cacheMisses: 0, stored: chunks.length, warnings },
    report: storeReport(config, side, store, mixedIndexCheck(rows.vectors, store.dimension, rows.models, config.seed + 11), { search: 'memory', metric: 'cosine', recallAtK: null, probes: 0 }),
  };
}

/**
 * Rows sampled from A's store when the comparison must not hold a whole table: LanceDB stores
 * above STORE_SAMPLE_ABOVE values (rows x dimension) unless "sample" says otherwise, or any
 * LanceDB store with "sample" below its rows. Vectors files are read whole (config.sample then
 * samples the searched rows in memory, as for a folder). Undefined: read every row.
 */
export function storeSampleSize(config: DriftConfig, stores: { a?: VectorStore; b?: VectorStore }): number | undefined {
  const lance = [stores.a, stores.b].filter((s): s is VectorStore => s?.spec.kind === 'lancedb');
  if (lance.length === 0) return undefined;
  const rows = stores.a?.rows ?? stores.b!.rows;
  if (config.sample !== undefined) return config.sample < rows ? config.sample : undefined;
  return lance.some((s) => s.rows * s.dimension > STORE_SAMPLE_ABOVE) ? Math.min(STORE_DEFAULT_SAMPLE, rows) : undefined;
}

/** A sampled comparison of two stores, in the shapes the report is built from. */
export interface SampledStores {
  corpus: Corpus;
  /** The sampled rows first, then every neighbor either side returned (shared by both sides: same items). */
  chunks: Chunk[];
  size: number;
  /** Rows in A's store. */
  total: number;
  sides: Record<Side, { run: SideRun; model: SideModel; lists: NeighborLists; method: 'exact' | 'database'; recall: number | null; report: StoreReport }>;
}

/**
 * Both sides read from stores through a seeded sample: each sampled row's neighbors come from the
 * store's own search over the whole table (sample.ts), the rows they name join the chunk table.
 */
export async function sampleStoreSides(
  config: DriftConfig, stores: { a: VectorStore; b: VectorStore }, size: number, options: CompareOptions, timings: Timings, models: SideModel[],
): Promise<SampledStores> {
  const sampled = await timed(timings, 'store.sample', () => sampleStores(stores.a, stores.b, {
    k: config.k, size, seed: config.seed, signal: options.signal, onProgress: options.onProgress, timings, ...(options.workers !== undefined ? { workers: options.workers } : {}),
  }));
  const rows = {
    ids: sampled.items.map((x) => x.id), texts: sampled.items.map((x) => x.text),
    ...(sampled.items.every((x) => x.file !== undefined && x.start !== undefined && x.end !== undefined)
      ? { files: sampled.items.map((x) => x.file!), starts: Int32Array.from(sampled.items, (x) => x.start!), ends: Int32Array.from(sampled.items, (x) => x.end!) }
      : {}),
  };
  const { chunks, corpus } = storeChunks(rows, storeRoot(config.a));
  const side = async (name: Side): Promise<SampledStores['sides'][Side]> => {
    const store = stores[name];
    const search = name === 'a' ? sampled.searchA : sampled.searchB;
    const raw = name === 'a' ? sampled.sampledA : sampled.sampledB;
    const model = await storeSideModel(config, name, store, options, timings, models);
    const method = search.method === 'index' ? 'database' as const : 'exact' as const;
    return {
      model, method, recall: search.recall, lists: name === 'a' ? sampled.listsA : sampled.listsB,
      run: { corpus, chunks, vectors: name === 'a' ? sampled.vectorsA : sampled.vectorsB, truncated: 0, cacheHits: 0, cacheMisses: 0, stored: sampled.items.length, warnings: [] },
      report: storeReport(config, name, store, mixedIndexCheck(raw.vectors, store.dimension, raw.models, config.seed + 11), {
        search: search.method, metric: search.metric, recallAtK: search.recall, probes: search.probes,
      }),
    };
  };
  return { corpus, chunks, size: sampled.size, total: sampled.total, sides: { a: await side('a'), b: await side('b') } };
}

/** A side that embeds the texts of the other side's store with its own model (same items, no re-chunking). */
export async function embedStoreTexts(
  sideConfig: SideConfig, side: Side, source: StoreSide, model: SideModel, options: RunOptions, timings: Timings,
): Promise<SideRun> {
  const run = forSide(options, side);
  const chunks = source.run.chunks.map((c) => ({ ...c, embedText: preprocess(c.text, sideConfig.preprocess).text }));
  const outcome = await timed(timings, `embed.${side}`, () => embedTexts(model, chunks.map((c) => c.embedText), 'document', run, side));
  return {
    corpus: source.corpus, chunks, vectors: outcome.vectors, truncated: outcome.truncated,
    cacheHits: outcome.hits, cacheMisses: outcome.misses, warnings: outcome.warnings,
  };
}

/** What a store side's model label and chunker read as in the report. */
export function storeLabels(side: SideConfig, store: StoreSide): { model: string; chunker: string } {
  const source = store.report.source;
  return {
    model: side.storeModel ? `${describeModel(side.model)} (stored: ${source})` : `stored vectors (${source})`,
    chunker: `stored rows (${store.store.rows.toLocaleString('en-US')})`,
  };
}

/** Adds what the report says about the store sides: `stores`, their labels, and the mixed-index warning. */
export function describeStores(report: Report, config: DriftConfig, stores: { a?: StoreSide; b?: StoreSide }): void {
  report.stores = {};
  for (const side of ['a', 'b'] as const) {
    const store = stores[side];
    if (!store) continue;
    report.stores[side] = store.report;
    const labels = storeLabels(config[side], store);
    report.configs[side].model = labels.model;
    report.configs[side].chunker = labels.chunker;
    // The other side embedded these same rows' texts: its chunker never ran.
    const other = side === 'a' ? 'b' : 'a';
    if (config[other].textsOf === side) report.configs[other].chunker = `texts of ${side.toUpperCase()}'s stored rows`;
    const recall = store.report.recallAtK;
    if (recall !== null && recall < STORE_RECALL_FLOOR) {
      report.warnings.push(`${side.toUpperCase()}'s database search found ${Math.round(recall * 100)}% of the exact ${report.neighbors.k} nearest neighbors (recall@${report.neighbors.k} ${recall.toFixed(2)} on ${store.report.probes} sampled rows, ${store.report.index ?? 'flat'}): churn measured through it mixes the index's approximation with the change from A to B. Set ${side}.store.refineFactor (and nprobes) to what production queries use, or compare exactly ("sample" at least ${store.report.rows}).`);
    }
    if (store.report.mixed.mixed) {
      report.warnings.push(`${side.toUpperCase()}'s store (${store.report.source}) looks like more than one model wrote it: ${store.report.mixed.reasons.join('; ')}. Neighbors across two models' vectors are not comparable; re-embed the odd rows or filter them out.`);
    }
  }
}
