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
import type { StoreRows, VectorStore } from '../store/types';
import { unitRows } from '../index/vectors';
import { loadTokenizer } from '../tokenizers';
import type { Tokenizer } from '../tokenizers/types';
import { DriftError, type Chunk, type Corpus, type CorpusFile, type RunOptions } from '../types';
import { embedTexts, openSideModel, type SideModel, type SideRun } from './side';
import { forSide, timed, type Timings } from './stages';
import type { CompareOptions } from './types';

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
export function storeChunks(rows: StoreRows, root: string): { chunks: Chunk[]; corpus: Corpus; mismatched: number } {
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

/** Opens, reads (every row) and describes a store side; `models` collects what must be disposed. */
export async function readStoreSide(
  config: DriftConfig, side: Side, options: CompareOptions, timings: Timings, models: SideModel[],
): Promise<StoreSide> {
  const sideConfig = config[side];
  const run = forSide(options, side);
  const store = await timed(timings, `store.${side}`, () => openStore(sideConfig.store!, { ...run, field: `${side}.store`, ...(options.lancedbPath ? { lancedbPath: options.lancedbPath } : {}) }));
  try {
    const rows = await timed(timings, `store.${side}`, () => store.read(undefined, run));
    const { chunks, corpus, mismatched } = storeChunks(rows, storeRoot(sideConfig));
    const version = store.version;
    const fingerprint = storeFingerprint(store, version);
    let model: SideModel;
    if (sideConfig.storeModel) {
      model = await timed(timings, 'model', () => openSideModel(sideConfig, side, options));
      models.push(model);
      if (model.embedder.dimension !== store.dimension) {
        throw new DriftError(`${side}.model ${model.embedder.label} embeds ${model.embedder.dimension} dimensions but ${store.name} column "${sideConfig.store!.columns.vector}" holds ${store.dimension}: ${side}.model must name the model that wrote the stored vectors.`, 'config');
      }
    } else {
      const tokenizer = await loadTokenizer(sideConfig.tokenizer);
      const embedder = new StoredVectors(fingerprint, store.dimension, describeStore(sideConfig.store!), tokenizer, side);
      model = { embedder, tokenizer, chunkTokenizer: tokenizer, cache: await openEmbeddingCache(options.cacheDir, embedder) };
      models.push(model);
    }
    const warnings = mismatched > 0 ? [`${mismatched} row(s) of ${store.name} hold a text whose length is not their end - start; their character ranges are approximate.`] : [];
    return {
      store, corpus, model, embedsQueries: Boolean(sideConfig.storeModel),
      run: { corpus, chunks, vectors: unitRows(rows.vectors, store.dimension), truncated: 0, cacheHits: 0, cacheMisses: 0, stored: chunks.length, warnings },
      report: {
        source: describeStore(sideConfig.store!), rows: store.rows, dimension: store.dimension, ...(version !== undefined ? { version } : {}),
        index: store.index?.type ?? null, search: 'memory', metric: 'cosine', recallAtK: null, probes: 0,
        mixed: mixedIndexCheck(rows.vectors, store.dimension, rows.models, config.seed + 11),
      },
    };
  } catch (err) {
    store.close();
    throw err;
  }
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
    if (store.report.mixed.mixed) {
      report.warnings.push(`${side.toUpperCase()}'s store (${store.report.source}) looks like more than one model wrote it: ${store.report.mixed.reasons.join('; ')}. Neighbors across two models' vectors are not comparable; re-embed the odd rows or filter them out.`);
    }
  }
}
