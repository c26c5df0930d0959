// compare(): the one run both front doors call. Walks the corpus once (twice for two snapshots),
// chunks and embeds each side through the cache, sharing every piece of work A and B have in common,
// embeds the anchor queries and hands everything to the report builder.
import { promises as fs } from 'node:fs';
import type { DriftConfig, SideConfig } from '../config/types';
import { walkCorpus } from '../corpus';
import { noteChangedFiles } from '../corpus/changes';
import { DriftError, isAbortError, throwIfAborted, type Chunk, type Corpus, type RunOptions } from '../types';
import { loadBaseline } from './baseline';
import { checkCorpusHasText, corpusWarnings, leaveOutConfigFile } from './corpusChecks';
import { ONE_OFF, openModel, type RunContext } from './context';
import { buildPipelineReport, type PipelineRun } from './reportInputs';
import { createSession } from './session';
import { embedSide, openSideModel, type SideModel, type SideRun } from './side';
import type { VectorStore } from '../store/types';
import { describeStores, embedStoreTexts, openSideStore, readStoreSide, sampleStoreSides, storeSampleSize, type StoreSide } from './storeSides';
import { sameSpec } from './stages';
import { timed, type Timings } from '../timing';
import type { CompareOptions, ComparisonSession } from './types';

/** The parts of a side that decide its chunks (given the same corpus and tokenizer). */
export function chunkingOf(side: SideConfig): unknown {
  return { chunker: side.chunker, preprocess: side.preprocess };
}

/** The walker reports unreadable files and carries on; a corpus root that is not a folder ends the run. */
async function checkRoot(root: string): Promise<void> {
  const stat = await fs.stat(root).catch((err: NodeJS.ErrnoException) => err);
  if (stat instanceof Error) {
    throw new DriftError(`Corpus folder ${root} ${stat.code === 'ENOENT' ? 'does not exist' : `cannot be read (${stat.code ?? stat.message})`}.`, 'corpus', { cause: stat });
  }
  if (!stat.isDirectory()) throw new DriftError(`Corpus root ${root} is a file, not a folder.`, 'corpus');
}

async function walk(config: DriftConfig, root: string, run: RunOptions, timings: Timings): Promise<Corpus> {
  await checkRoot(root);
  const corpus = leaveOutConfigFile(await timed(timings, 'walk', () => walkCorpus({ ...config.corpus, root }, run)), config);
  // An empty report would look like "no drift"; say why there is nothing to compare instead.
  checkCorpusHasText(corpus, config, root);
  return corpus;
}

/**
 * Opens A's and B's models at once (B's is A's when both sides name the same model and tokenizers).
 * Every model that opened is pushed to `models` even when the other failed, so it gets disposed.
 */
async function openModels(config: DriftConfig, options: CompareOptions, timings: Timings, models: SideModel[], context: RunContext): Promise<[SideModel, SideModel]> {
  const same = sameSpec(config.a.model, config.b.model) && sameSpec(config.a.tokenizer, config.b.tokenizer) &&
    sameSpec(config.a.chunker.tokenizer, config.b.chunker.tokenizer);
  const opened = await timed(timings, 'model', () => Promise.allSettled([
    openModel(context, config.a, 'a', options),
    ...(same ? [] : [openModel(context, config.b, 'b', options)]),
  ]));
  for (const result of opened) if (result.status === 'fulfilled') models.push(result.value);
  for (const result of opened) if (result.status === 'rejected') throw result.reason;
  const modelA = models[0]!;
  return [modelA, same ? modelA : shareStore(modelA, models[1]!)];
}

/**
 * Two models with one fingerprint write the same vectors: give them one in-memory store, so what
 * one side embeds is a hit for the other within this run (two separately opened stores would not
 * see each other's writes until the next run).
 */
function shareStore(first: SideModel, second: SideModel): SideModel {
  if (second !== first && second.embedder.fingerprint === first.embedder.fingerprint) second.cache = first.cache;
  return second;
}

/** Queries, report and session: the same for a two-configuration run and a baseline comparison. */
async function finish(run: PipelineRun, options: CompareOptions, stores?: { a?: StoreSide; b?: StoreSide }, context: RunContext = ONE_OFF): Promise<ComparisonSession> {
  const { config, sideA, sideB, modelA, modelB } = run;
  const runOptions: RunOptions = { signal: options.signal, onProgress: options.onProgress };
  // A one-off run's sides hold their vectors now: the store's in-memory copy of them only weighs on
  // the peak of the search that follows (a warm session keeps it: its next run reads from it).
  if (context.models === undefined) for (const m of new Set([modelA.cache, modelB.cache])) m.forgetRows();
  const report = await buildPipelineReport({
    ...run,
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    ...(options.toolVersion ? { toolVersion: options.toolVersion } : {}),
    compareOptions: options,
  }, runOptions, context.memo);
  if (stores) describeStores(report, config, stores);
  const setting = (side: 'a' | 'b') => (config[side].vectors ? { vectorSpec: config[side].vectors } : {});
  return createSession(
    report,
    { chunks: sideA.chunks, vectors: sideA.vectors, embedder: modelA.embedder, ...setting('a') },
    { chunks: sideB.chunks, vectors: sideB.vectors, embedder: modelB.embedder, ...setting('b') },
    { config, sideA, sideB, fingerprintA: modelA.embedder.fingerprint },
    // Borrowed models stay with the warm session that lent them.
    context.models === undefined,
  );
}

/**
 * Runs `work` with the models it opens; disposes them when it fails (on success the session owns
 * them). Models borrowed from a warm session are the session's to dispose.
 */
async function owningModels(work: (models: SideModel[]) => Promise<ComparisonSession>, context: RunContext = ONE_OFF): Promise<ComparisonSession> {
  const models: SideModel[] = [];
  try {
    return await work(models);
  } catch (err) {
    if (context.models) throw err;
    const disposed = Promise.allSettled([...new Set(models)].map((m) => m.embedder.dispose()));
    // A cancel returns at once; workers still compiling WASM exit a moment later on their own.
    if (!isAbortError(err)) await disposed;
    throw err;
  }
}

/**
 * One comparison. `context` is a warm session's (src/core/pipeline/warm.ts): its memo and model
 * pool; a one-off run (the default) computes everything and owns its models.
 */
export function compare(config: DriftConfig, options: CompareOptions, context: RunContext = ONE_OFF): Promise<ComparisonSession> {
  const timings: Timings = {};
  const run: RunOptions = { signal: options.signal, onProgress: options.onProgress };
  // Store sides open their own models (and stores) per run; only the stage memo carries over.
  if (config.a.store || config.b.store) return owningModels((models) => compareWithStores(config, options, timings, models, { memo: context.memo }));
  return owningModels(async (models) => {
    const rootA = config.a.corpusRoot ?? config.corpus.root;
    const rootB = config.b.corpusRoot ?? config.corpus.root;
    // The walk reads files while the models load (workers start, weights and vocabularies parse).
    const walking = (async () => {
      const a = await walk(config, rootA, run, timings);
      return { a, b: rootB === rootA ? a : await walk(config, rootB, run, timings) };
    })();
    const [walked, opened] = await Promise.allSettled([walking, openModels(config, options, timings, models, context)]);
    if (walked.status === 'rejected') throw walked.reason;
    if (opened.status === 'rejected') throw opened.reason;
    const { a: corpusA, b: corpusB } = walked.value;
    const [modelA, modelB] = opened.value;
    throwIfAborted(options.signal);

    const sideA = await embedSide(config.a, 'a', corpusA, modelA, run, timings, undefined, context.memo);
    const sameChunks = corpusB === corpusA && sameSpec(chunkingOf(config.a), chunkingOf(config.b)) &&
      (config.a.chunker.unit === 'chars' || modelB.chunkTokenizer === modelA.chunkTokenizer);
    // Identical chunks under the same model: B is A and nothing is redone.
    const sideB = sameChunks && modelB === modelA
      ? sideA
      : await embedSide(config.b, 'b', corpusB, modelB, run, timings, sameChunks ? sideA.chunks : undefined, context.memo);
    // Files edited or deleted while the run read and embedded them are listed with the reason.
    await noteChangedFiles([corpusA, corpusB], run);
    return finish({ config, corpora: { a: corpusA, b: corpusB }, sideA, sideB, modelA, modelB, timings, warnings: corpusWarnings([corpusA, corpusB]) }, options, undefined, context);
  }, context);
}

export interface ProducedSide {
  corpus: Corpus;
  run: SideRun;
  model: SideModel;
}

/**
 * One side's chunks and vectors, whatever their source: a store's rows (read once into `stores`),
 * the other side's stored texts embedded with this side's model, or its own corpus chunked and
 * embedded. Opened models are pushed to `models`, opened stores kept in `stores` for the caller to close.
 */
export async function produceSide(
  config: DriftConfig, side: 'a' | 'b', options: CompareOptions, timings: Timings, models: SideModel[], stores: { a?: StoreSide; b?: StoreSide },
): Promise<ProducedSide> {
  const run: RunOptions = { signal: options.signal, onProgress: options.onProgress };
  const sideConfig = config[side];
  if (sideConfig.store) {
    const stored = stores[side] ??= await readStoreSide(config, side, options, timings, models);
    return { corpus: stored.corpus, run: stored.run, model: stored.model };
  }
  const model = await timed(timings, 'model', () => openSideModel(sideConfig, side, options));
  models.push(model);
  const other = sideConfig.textsOf;
  if (other) {
    const source = stores[other] ??= await readStoreSide(config, other, options, timings, models);
    return { corpus: source.corpus, run: await embedStoreTexts(sideConfig, side, source, model, run, timings), model };
  }
  const corpus = await walk(config, sideConfig.corpusRoot ?? config.corpus.root, run, timings);
  const produced = { corpus, run: await embedSide(sideConfig, side, corpus, model, run, timings), model };
  await noteChangedFiles([corpus], run);
  return produced;
}

/**
 * A run where one side or both read a store: a store side's rows and vectors are read as they are;
 * the other side reads another store, embeds the store's texts with its model, or chunks and embeds
 * its own corpus. Every store is checked unchanged before the report is built.
 */
async function compareWithStores(config: DriftConfig, options: CompareOptions, timings: Timings, models: SideModel[], context: RunContext): Promise<ComparisonSession> {
  const stores: { a?: StoreSide; b?: StoreSide } = {};
  const opened: { a?: VectorStore; b?: VectorStore } = {};
  try {
    for (const side of ['a', 'b'] as const) if (config[side].store) opened[side] = await openSideStore(config, side, options, timings);
    const size = storeSampleSize(config, opened);
    if (size !== undefined) return await compareSampledStores(config, opened, size, options, timings, models);
    for (const side of ['a', 'b'] as const) if (opened[side]) stores[side] = await readStoreSide(config, side, options, timings, models, opened[side]);
    const sides = {
      a: await produceSide(config, 'a', options, timings, models, stores),
      b: await produceSide(config, 'b', options, timings, models, stores),
    };
    for (const stored of [stores.a, stores.b]) await stored?.store.checkUnchanged();
    // Two stores of the same rows (two columns, or a copy) compare as one corpus, not two snapshots.
    const corpusB = stores.a && stores.b && sameRows(sides.a.run.chunks, sides.b.run.chunks) ? sides.a.corpus : sides.b.corpus;
    const warnings: string[] = [];
    let compared = config;
    const mute = (['a', 'b'] as const).filter((side) => stores[side] && !stores[side]!.embedsQueries);
    if (mute.length > 0 && (config.anchors !== undefined || config.autoAnchors)) {
      // A query must be embedded by the model that wrote the stored vectors, which only the configuration can name.
      const { anchors: _left, ...rest } = config;
      compared = { ...rest, autoAnchors: false };
      warnings.push(`Anchors and queries were left out: ${mute.map((s) => s.toUpperCase()).join(' and ')} read${mute.length === 1 ? 's' : ''} stored vectors and name${mute.length === 1 ? 's' : ''} no model to embed a query with; set ${mute.map((s) => `${s}.model`).join(' and ')} to the model that wrote them.`);
    }
    return await finish({
      config: compared, corpora: { a: sides.a.corpus, b: corpusB }, sideA: sides.a.run, sideB: sides.b.run, modelA: sides.a.model, modelB: sides.b.model, timings, warnings,
    }, options, stores, context);
  } finally {
    for (const store of [opened.a, opened.b]) store?.close();
  }
}

/**
 * Two stores compared through a seeded sample of A's rows (a table too large to hold, or "sample"
 * set): neighbors from each store's own search over its whole table, the search's recall stated.
 */
async function compareSampledStores(
  config: DriftConfig, opened: { a?: VectorStore; b?: VectorStore }, size: number, options: CompareOptions, timings: Timings, models: SideModel[],
): Promise<ComparisonSession> {
  if (!opened.a || !opened.b) {
    const [store, other] = opened.a ? [opened.a, 'b'] as const : [opened.b!, 'a'] as const;
    throw new DriftError(`${store.name} holds ${store.rows} rows and is compared through a sample of ${size}, which needs both sides stored, but ${other.toUpperCase()} ${config[other].textsOf ? 'embeds its texts' : 'chunks a corpus'}: write ${other.toUpperCase()} to a table first (embedding-drift export --side ${other} --to lancedb:DIR --table NAME) and compare the two tables, or set "sample" to at least ${store.rows} to read the whole table.`, 'config');
  }
  for (const side of ['a', 'b'] as const) {
    // The database ranks its own stored vectors: an encoding set here would not be what was searched.
    if (config[side].vectors) {
      throw new DriftError(`${side}.vectors cannot apply to ${opened[side]!.name}: it holds ${opened[side]!.rows} rows and is compared through a sample of ${size}, whose neighbors come from the database's own search over the vectors as stored; remove "vectors" from ${side}, or set "sample" to at least ${opened[side]!.rows} to read the whole table.`, 'config');
    }
  }
  const stores = { a: opened.a, b: opened.b };
  const sampled = await sampleStoreSides(config, stores, size, options, timings, models);
  const warnings: string[] = [];
  const { anchors: _left, ...rest } = config;
  if (config.anchors !== undefined || config.autoAnchors) {
    warnings.push(`Anchors and queries were left out: on a sampled store their ranks would need every row's score; compare with "sample" at least ${sampled.total} to evaluate them.`);
  }
  if (config.noiseFloor) {
    warnings.push(`The noise floor was not measured: on a sampled store A's neighbors come from the database's own search, which cannot be run again under another backend or dtype; compare with "sample" at least ${sampled.total} to measure it.`);
  }
  const side = (name: 'a' | 'b'): StoreSide => ({
    store: stores[name], corpus: sampled.corpus, run: sampled.sides[name].run, model: sampled.sides[name].model,
    report: sampled.sides[name].report, embedsQueries: false,
  });
  const rows = Int32Array.from({ length: sampled.size }, (_, i) => i);
  const search = (name: 'a' | 'b') => ({
    lists: sampled.sides[name].lists, rows, method: sampled.sides[name].method, recall: sampled.sides[name].recall, distinct: sampled.total,
  });
  return finish({
    config: { ...rest, autoAnchors: false }, corpora: { a: sampled.corpus, b: sampled.corpus },
    sideA: sampled.sides.a.run, sideB: sampled.sides.b.run, modelA: sampled.sides.a.model, modelB: sampled.sides.b.model, timings, warnings,
    neighbors: { neighbors: { a: search('a'), b: search('b') }, population: sampled.total },
  }, options, { a: side('a'), b: side('b') });
}

function sameRows(a: readonly Chunk[], b: readonly Chunk[]): boolean {
  return a.length === b.length && a.every((c, i) => c.file === b[i]!.file && c.start === b[i]!.start && c.end === b[i]!.end && c.text === b[i]!.text);
}

/**
 * The corpus as it is now (side A of `config`) against a stored baseline: the baseline is A, now is
 * B, so snapshot drift and churn read "from then to now".
 */
export function compareWithBaseline(config: DriftConfig, baselineDir: string, options: CompareOptions): Promise<ComparisonSession> {
  const timings: Timings = {};
  const run: RunOptions = { signal: options.signal, onProgress: options.onProgress };
  return owningModels(async (models) => {
    const baseline = await timed(timings, 'baseline', () => loadBaseline(baselineDir));
    const corpusNow = await walk(config, config.a.corpusRoot ?? config.corpus.root, run, timings);
    const modelNow = await timed(timings, 'model', () => openSideModel(config.a, 'b', options));
    models.push(modelNow);
    const warnings: string[] = corpusWarnings([corpusNow]);
    const modelThen = sameSpec(baseline.side.model, config.a.model)
      ? modelNow
      : shareStore(modelNow, await timed(timings, 'model', () => openSideModel(baseline.side, 'a', options)));
    models.push(modelThen);
    if (modelThen.embedder.fingerprint !== modelNow.embedder.fingerprint) {
      warnings.push(`The baseline was embedded with ${modelThen.embedder.label} and this run with ${modelNow.embedder.label}: drift mixes the model change with the corpus change.`);
    } else if (modelThen.embedder.fingerprint !== baseline.fingerprint) {
      warnings.push(`The model's files changed since the baseline was saved (${baseline.createdAt}); its vectors may differ for that reason alone.`);
    }
    if (!sameSpec(chunkingOf(baseline.side), chunkingOf(config.a))) {
      warnings.push('The chunker or preprocessing changed since the baseline was saved; chunks are compared through their character overlap.');
    }
    const sideThen: SideRun = {
      corpus: baseline.corpus, chunks: baseline.chunks, vectors: baseline.vectors, truncated: 0, cacheHits: baseline.chunks.length, cacheMisses: 0, warnings: [],
    };
    const sideNow = await embedSide(config.a, 'b', corpusNow, modelNow, run, timings);
    await noteChangedFiles([corpusNow], run);
    const compared: DriftConfig = { ...config, a: { ...baseline.side, label: `baseline ${baseline.createdAt.slice(0, 10)}` }, b: { ...config.a, label: 'now' } };
    return finish({ config: compared, corpora: { a: baseline.corpus, b: corpusNow }, sideA: sideThen, sideB: sideNow, modelA: modelThen, modelB: modelNow, timings, warnings }, options);
  });
}

/**
 * Side A alone, walked and embedded (what `baseline save` stores): no B, no neighbor search, no
 * report. The caller disposes the returned model.
 */
export async function embedSideA(config: DriftConfig, options: CompareOptions): Promise<{ run: SideRun; model: SideModel }> {
  const timings: Timings = {};
  const run: RunOptions = { signal: options.signal, onProgress: options.onProgress };
  const corpus = await walk(config, config.a.corpusRoot ?? config.corpus.root, run, timings);
  const model = await openSideModel(config.a, 'a', options);
  try {
    const side = await embedSide(config.a, 'a', corpus, model, run, timings);
    await noteChangedFiles([corpus], run);
    return { run: side, model };
  } catch (err) {
    await model.embedder.dispose();
    throw err;
  }
}
