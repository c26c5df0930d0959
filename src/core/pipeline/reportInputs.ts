// Prepares everything the report builder reads, so buildReport stays a pure function of it: the
// chunk alignment, each side's neighbor search (all chunks, or a seeded sample of rows), the query
// set (the anchors file, read here so a configured file that is missing is a configuration error,
// not a silent fallback; else auto-anchors or none) and the query set's vectors per side.
import { promises as fs } from 'node:fs';
import type { DriftConfig, Side, VectorSpec } from '../config/types';
import { findDistinctPrepared } from '../index/distinct';
import { autoSample, searchSeconds } from '../index/search';
import { prepareVectors } from '../index/quantize';
import type { DistinctSearch } from '../index/types';
import { alignChunks, alignSnapshots, sameChunking } from '../metrics/align';
import { parseAnchors } from '../metrics/anchors';
import { autoAnchors } from '../metrics/autoAnchors';
import { OOD_BACKGROUND } from '../metrics/oodBackground';
import { corpusKey, NO_MEMO, sha256Hex, type StageMemo } from '../memo';
import { sampleIndices, seededRandom } from '../random';
import { buildReport, type AutoSample, type QuerySetInput, type QueryVectorsInput, type ReportInputs, type SideInputs } from '../report/build';
import type { Report } from '../report/types';
import { DriftError, type Chunk, type Corpus, type RunOptions } from '../types';
import { fileChanges } from './corpusChecks';
import { embedTexts, type SideModel, type SideRun } from './side';
import { measureNoiseFloor } from './noiseFloor';
import { forSide } from './stages';
import { timed, type Timings } from '../timing';
import type { CompareOptions } from './types';

/** Auto-anchors taken from headings and doc comments when the configuration names no anchors file. */
const AUTO_ANCHOR_LIMIT = 200;

export interface PipelineRun {
  config: DriftConfig;
  corpora: { a: Corpus; b: Corpus };
  sideA: SideRun;
  sideB: SideRun;
  modelA: SideModel;
  modelB: SideModel;
  timings: Timings;
  /** Things the user should know that the pipeline found (added to report.warnings). */
  warnings: string[];
  toolVersion?: string;
  workers?: number;
  /** Neighbor lists the pipeline already found: a sampled store's own search over `population` stored rows. */
  neighbors?: FoundNeighbors;
  /** The run's options, for stages that open a model again (the noise floor); without them it is skipped. */
  compareOptions?: CompareOptions;
}

/** Neighbor lists found before the report (a store's own search): the sampled rows are the first rows of the chunks. */
export interface FoundNeighbors extends Pick<ReportInputs, 'neighbors'> {
  /** Rows the sampled rows were drawn from (the whole table). */
  population: number;
}

/** What the stages before the report produced, and how to embed a query for each side. */
export interface ReportParts {
  config: DriftConfig;
  corpus: Corpus;
  corpusB?: Corpus;
  a: SideInputs;
  b: SideInputs;
  /** Embeds query texts for one side (with the model's query prefix) into unit rows. */
  embedQueries(side: Side, texts: string[], options: RunOptions): Promise<Float32Array>;
  /** Contents of config.anchors when the caller already holds them; otherwise the file is read. */
  anchorsText?: string;
  /** Milliseconds per earlier stage; the neighbor search and query embedding add theirs. */
  timings?: Timings;
  toolVersion?: string;
  /** Worker threads for exact search (default: one per core). */
  workers?: number;
  /** Neighbor lists already found (a sampled store's own search): no search runs here. */
  found?: FoundNeighbors;
  previewChars?: number;
}

export async function readAnchorsText(config: DriftConfig): Promise<string | undefined> {
  if (config.anchors === undefined) return undefined;
  try {
    return await fs.readFile(config.anchors, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DriftError(`Anchors file ${config.anchors} cannot be read (${code === 'ENOENT' ? 'not found' : code ?? String(err)}); fix "anchors" in the configuration.`, 'config', { cause: err });
  }
}

/** The anchors file's queries and pairs, or auto-anchors from the corpus when no file is named. */
export function querySetOf(config: DriftConfig, corpus: Corpus, anchorsText: string | undefined): QuerySetInput {
  if (config.anchors !== undefined && anchorsText !== undefined) {
    const file = displayPath(config.anchors, config.baseDir);
    return { ...parseAnchors(anchorsText, file, corpus), source: 'file', file };
  }
  if (!config.autoAnchors) return { anchors: [], pairs: [], queries: [], malformed: [], source: 'none' };
  const made = autoAnchors(corpus, AUTO_ANCHOR_LIMIT);
  return { anchors: made.anchors, pairs: [], queries: [], malformed: [], source: made.anchors.length > 0 ? 'auto' : 'none', auto: made.summary };
}

function displayPath(path: string, base: string): string {
  const b = base.endsWith('/') ? base : `${base}/`;
  return path.startsWith(b) ? path.slice(b.length) : path;
}

/** Each A chunk's counterpart in B: the same item when both sides chunk identically, else by overlap. */
export function alignSides(a: readonly Chunk[], b: readonly Chunk[], snapshots: boolean): Int32Array {
  if (sameChunking(a, b)) return Int32Array.from({ length: a.length }, (_, i) => i);
  // Across snapshots offsets shift with edits, so unchanged chunk text is matched first.
  return snapshots ? alignSnapshots(a, b) : alignChunks(a, b);
}

/**
 * Query rows to sample: the configuration's "sample", else under search.method "auto" the
 * automatic sample when an exact search of every chunk of the costlier side is estimated over
 * budget (index/search.ts `autoSample`), with that estimate in seconds for the report; else none.
 */
export function sampleSize(config: DriftConfig, a: SideInputs, b: SideInputs): { size?: number; auto?: AutoSample } {
  if (config.sample !== undefined) return { size: config.sample };
  const costlier = a.chunks.length * a.dimension >= b.chunks.length * b.dimension ? a : b;
  const n = costlier.chunks.length;
  const size = autoSample(config.search, n, costlier.dimension);
  if (size === null) return {};
  return { size, auto: { size, seconds: Math.round(searchSeconds(config.search, n, n, costlier.dimension).exact) } };
}

/** The rows each side searches: all (undefined), or a seeded sample of `sample` of A's rows and their counterparts in B. */
export function searchRows(config: DriftConfig, nA: number, counterpart: Int32Array, sample = config.sample): { a?: number[]; b?: number[] } {
  if (sample === undefined || nA <= sample) return {};
  const rowsA = sampleIndices(nA, sample, seededRandom(config.seed));
  const rowsB = [...new Set(rowsA.map((i) => counterpart[i]!).filter((j) => j >= 0))].sort((x, y) => x - y);
  return { a: rowsA, b: rowsB };
}

/**
 * A side with its vectors setting applied (config `vectors`: truncation, int8, binary), whatever
 * produced its vectors; a side that already carries its prepared vectors is returned as it is.
 */
export function withVectorSetting(side: SideInputs, spec: VectorSpec | undefined, at: string): SideInputs {
  if (side.prepared) return side;
  const prepared = prepareVectors(side.vectors, side.chunks.length, side.dimension, spec, at);
  return { ...side, vectors: prepared.vectors, dimension: prepared.dimension, prepared };
}

/** One side's neighbor lists under the configuration's search, over its distinct texts, ranked as the side's index ranks. */
export function searchSide(
  config: DriftConfig, side: SideInputs, rows: number[] | undefined, options: RunOptions & { workers?: number | undefined },
): Promise<DistinctSearch> {
  const prepared = side.prepared ?? prepareVectors(side.vectors, side.chunks.length, side.dimension, undefined);
  return findDistinctPrepared(side.chunks.map((c) => c.embedText), prepared, config.k, config.search, {
    signal: options.signal, onProgress: options.onProgress, seed: config.seed,
    ...(rows ? { rows } : {}),
    ...(options.workers === undefined ? {} : { workers: options.workers }),
  });
}

/**
 * The query set's texts in the order QueryVectorsInput cuts them: anchors, plain queries, pair texts
 * a, pair texts b, then the OOD_BACKGROUND questions (the reference of out-of-distribution flags);
 * nothing at all for an empty set.
 */
export function queryTexts(set: QuerySetInput): string[] {
  const own = [...set.anchors.map((x) => x.query), ...set.queries, ...set.pairs.map((p) => p.a), ...set.pairs.map((p) => p.b)];
  return own.length === 0 ? [] : [...own, ...OOD_BACKGROUND];
}

/** Cuts one side's embedded query texts (queryTexts order, unit rows of `dim`) into the builder's parts. */
export function cutQueryVectors(set: QuerySetInput, vectors: Float32Array, dim: number): QueryVectorsInput {
  const nA = set.anchors.length, nQ = set.queries.length, nP = set.pairs.length;
  const cut = (from: number, count: number): Float32Array => vectors.subarray(from * dim, (from + count) * dim);
  const nBackground = nA + nQ + nP === 0 ? 0 : OOD_BACKGROUND.length;
  return { anchors: cut(0, nA), queries: cut(nA, nQ), pairsA: cut(nA + nQ, nP), pairsB: cut(nA + nQ + nP, nP), background: cut(nA + nQ + 2 * nP, nBackground) };
}

/**
 * Everything buildReport reads, computed from the parts: alignment, neighbors, query set and its
 * vectors. Each is a stage of `memo`, keyed by what it reads (a warm session reuses what did not change).
 */
export async function reportInputs(parts: ReportParts, options: RunOptions, memo: StageMemo = NO_MEMO): Promise<ReportInputs> {
  const { config } = parts;
  const a = withVectorSetting(parts.a, config.a.vectors, 'a.vectors');
  const b = withVectorSetting(parts.b, config.b.vectors, 'b.vectors');
  const timings: Timings = parts.timings ?? {};
  const snapshots = parts.corpusB !== undefined;
  const counterpart = await memo.stage('align', [memo.digest(a.chunks), memo.digest(b.chunks), snapshots], () => alignSides(a.chunks, b.chunks, snapshots));
  const sample = sampleSize(config, a, b);
  const rows = searchRows(config, a.chunks.length, counterpart, sample.size);
  const search = { signal: options.signal, workers: parts.workers };
  const neighbors = (side: Side): Promise<DistinctSearch> => {
    const s = side === 'a' ? a : b;
    // The vectors as the side's index stores them (its vectors setting applied), and the setting itself (it decides the ranking).
    const key = [memo.digest(s.vectors), memo.digest(s.chunks), s.dimension, config[side].vectors ?? null, config.k, config.search, config.seed, rows[side] ? memo.digest(rows[side]!) : null, parts.workers];
    return memo.stage('neighbors', key, () => searchSide(config, s, rows[side], { ...search, ...forSide(options, side) }));
  };
  // A sampled store's lists were found by the database's own search before the report.
  const found = parts.found;
  const neighborsA = found?.neighbors.a ?? await timed(timings, 'neighborsA', () => neighbors('a'));
  const neighborsB = found?.neighbors.b ?? await timed(timings, 'neighborsB', () => neighbors('b'));
  const querySet = await timed(timings, 'anchors', async () => {
    const text = parts.anchorsText ?? await readAnchorsText(config);
    const key = [config.anchors, config.baseDir, config.autoAnchors, text === undefined ? null : sha256Hex(text), corpusKey(memo, parts.corpus)];
    return memo.stage('querySet', key, () => querySetOf(config, parts.corpus, text));
  });
  const texts = queryTexts(querySet);
  const dimensionOf = (side: Side): number => { const s = side === 'a' ? a : b; return s.prepared?.fromDimension ?? s.dimension; };
  const embed = (side: Side): Promise<QueryVectorsInput> => memo.stage('queryVectors', [parts[side].fingerprint, dimensionOf(side), memo.digest(texts)], async () => {
    const vectors = texts.length === 0 ? new Float32Array(0) : await parts.embedQueries(side, texts, options);
    // Queries are cut at the dimension they were embedded with; the builder encodes them like the chunks.
    return cutQueryVectors(querySet, vectors, dimensionOf(side));
  });
  const queryVectors = {
    a: await timed(timings, 'embed.queries.a', () => embed('a')),
    b: await timed(timings, 'embed.queries.b', () => embed('b')),
  };
  return {
    config, corpus: parts.corpus, ...(parts.corpusB ? { corpusB: parts.corpusB } : {}), a, b,
    counterpart, neighbors: { a: neighborsA, b: neighborsB }, querySet, queryVectors, timings,
    ...(found ? { population: found.population } : {}),
    ...(sample.auto && !found ? { autoSample: sample.auto } : {}),
    ...(parts.toolVersion ? { toolVersion: parts.toolVersion } : {}),
    ...(parts.previewChars !== undefined ? { previewChars: parts.previewChars } : {}),
  };
}

function sideInputs(run: SideRun, model: SideModel): SideInputs {
  return {
    chunks: run.chunks,
    vectors: run.vectors,
    dimension: model.embedder.dimension,
    fingerprint: model.embedder.fingerprint,
    tokenizer: model.tokenizer,
    modelTokenizer: model.embedder.tokenizer,
    maxTokens: model.embedder.maxTokens,
    modelLabel: model.embedder.label,
  };
}

export async function buildPipelineReport(run: PipelineRun, options: RunOptions, memo: StageMemo = NO_MEMO): Promise<Report> {
  const { config, corpora, modelA, modelB } = run;
  const inputs = await reportInputs({
    config,
    corpus: corpora.a,
    ...(corpora.b !== corpora.a ? { corpusB: corpora.b } : {}),
    a: sideInputs(run.sideA, modelA),
    b: sideInputs(run.sideB, modelB),
    embedQueries: async (side, texts, opts) => (await embedTexts(side === 'a' ? modelA : modelB, texts, 'query', opts, side)).vectors,
    timings: run.timings,
    ...(run.toolVersion ? { toolVersion: run.toolVersion } : {}),
    ...(run.workers !== undefined ? { workers: run.workers } : {}),
    ...(run.neighbors ? { found: run.neighbors } : {}),
  }, options, memo);
  if (config.noiseFloor && run.compareOptions && !run.neighbors) {
    const prepared = inputs.a.prepared!;
    inputs.noiseFloor = await timed(run.timings, 'noiseFloor', () => measureNoiseFloor(
      { config, chunks: inputs.a.chunks, embedder: modelA.embedder, prepared, search: inputs.neighbors.a }, run.compareOptions!,
    ));
  }
  const report = await buildReport(inputs, { ...options, memo });
  const cacheWarnings = new Set([...run.sideA.warnings, ...run.sideB.warnings]);
  report.warnings.push(...run.warnings, ...cacheWarnings);
  // Two snapshots: which files came, went and changed, so churn can be read against them.
  if (corpora.b !== corpora.a) report.corpus.changes = fileChanges(corpora.a, corpora.b);
  return report;
}
