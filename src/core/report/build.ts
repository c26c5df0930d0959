// Builds the one report every front door reads, from what the pipeline computed for A and B
// (chunks, vectors, tokenizers, neighbor lists, the query set and its vectors): every metric,
// warnings and timings. A pure function of its inputs: it reads no file, searches and embeds nothing.
import { describeChunker, describeModel } from '../config/describe';
import type { DriftConfig, Side } from '../config/types';
import { scoreQueriesReusing, type QueryScores, type ScoredRows } from '../index/queryScores';
import type { DistinctSearch, PreparedVectors } from '../index/types';
import { lineSpan, lineStarts } from '../lines';
import { sameChunking } from '../metrics/align';
import { malformedNote, type AnchorQuery, type AnchorSet } from '../metrics/anchors';
import { churnConfidence, documentChurn, neighborChurn } from '../metrics/churn';
import { alignedMaps, mapMethod, projectSide } from '../metrics/maps';
import { encodeRows, scorePreparedQueries } from '../metrics/indexScores';
import { anchorItems, evaluateAnchors, pairItems, queryChurn, retrievalQuality } from '../metrics/retrieval';
import { MIN_CONCLUSIVE_ANCHORS, OOD_BACKGROUND_QUANTILE } from './judgement';
import { pairScores, type PairScores } from '../metrics/pairs';
import type { AutoAnchors } from '../metrics/autoAnchors';
import { outOfDistribution } from '../metrics/ood';
import { OOD_BACKGROUND } from '../metrics/oodBackground';
import { snapshotDrift } from '../metrics/snapshot';
import { mean, round } from '../metrics/stats';
import { seededRandom } from '../random';
import { timed } from '../timing';
import { pairsOf, spaceReport } from './space';
import { truncationStats, zeroVectorRows } from '../metrics/truncation';
import { canonicalJson, corpusKey, NO_MEMO, type KeyPart, type StageMemo } from '../memo';
import { yielder } from '../yielding';
import { countNewVocabulary, countTerms, newVocabulary, shatteredBy, termPieces, tokenizerStats, type TermPieces } from '../metrics/vocabulary';
import type { Tokenizer } from '../tokenizers/types';
import { DriftError, throwIfAborted, type Chunk, type Corpus, type RunOptions } from '../types';
import { judgedAtK } from '../metrics/judged';
import { decisionsNotMeasured, migrationReport, unjudgedOf, vectorRetention, vectorSettingSummary } from './decisions';
import { REPORT_SCHEMA_VERSION, type AnchorReport, type ChunkRecord, type ConfigSummary, type NeighborChurn, type NoiseFloor, type Report, type TokenizationReport } from './types';

/** What one configuration produced: its chunks, their vectors (unit rows) and its tokenizer. */
export interface SideInputs {
  chunks: Chunk[];
  /** chunks.length x dimension, row-major, unit length. */
  vectors: Float32Array;
  dimension: number;
  /** Embedder fingerprint (changes whenever the vectors could). */
  fingerprint: string;
  /** The tokenizer shown in tokenization views (the configured one; by default the model's own). */
  tokenizer: Tokenizer;
  /** The model's own tokenizer, for truncation and chunk token counts; default: `tokenizer`. */
  modelTokenizer?: Tokenizer;
  /** The model's maximum sequence length in its own tokens, when it has one. */
  maxTokens?: number | undefined;
  /** Display form of the model; default: derived from the configuration. */
  modelLabel?: string;
  /**
   * The side's vectors as its index stores them (config `vectors`, applied by the pipeline):
   * `vectors` and `dimension` above are then its rows; queries arrive at `fromDimension` and are
   * encoded and ranked as the index ranks (Hamming for binary, rescoring when set).
   */
  prepared?: PreparedVectors;
}

export interface QuerySetInput extends AnchorSet {
  source: 'file' | 'auto' | 'none';
  /** How the auto-anchors were made (source 'auto'). */
  auto?: AutoAnchors['summary'];
  /** The anchors file as the report shows it. */
  file?: string;
}

/** Query vectors in the query set's order: anchors, plain queries, pair texts a, pair texts b, then OOD_BACKGROUND. */
export interface QueryVectorsInput {
  anchors: Float32Array;
  queries: Float32Array;
  pairsA: Float32Array;
  pairsB: Float32Array;
  /** The OOD_BACKGROUND questions (the reference of out-of-distribution flags and pair percentiles). */
  background: Float32Array;
}

/** An automatic sample of query rows (pipeline `sampleSize`): its size and why it was drawn. */
export interface AutoSample {
  size: number;
  /** Estimated seconds of an exact search of every chunk of the costlier side (index/search.ts `searchSeconds`). */
  seconds: number;
}

export interface ReportInputs {
  config: DriftConfig;
  /** The corpus A was chunked from (and B too, unless `corpusB` is given). */
  corpus: Corpus;
  /** B's corpus when B reads another snapshot (config.b.corpusRoot). */
  corpusB?: Corpus;
  a: SideInputs;
  b: SideInputs;
  /**
   * Each A chunk's counterpart among B's chunks (-1: none): the identity when both sides chunk
   * identically, else by character overlap (or unchanged text across snapshots).
   */
  counterpart: Int32Array;
  /** Each side's neighbor lists over distinct texts (all chunks, or the sampled rows when config.sample applies). */
  neighbors: { a: DistinctSearch; b: DistinctSearch };
  /** Anchors, plain queries and pairs (from the anchors file, auto-anchors, or none). */
  querySet: QuerySetInput;
  /**
   * The query set's vectors per side (unit rows). Without them a non-empty query set is left out
   * of the report with a warning.
   */
  queryVectors?: { a: QueryVectorsInput; b: QueryVectorsInput };
  /** The noise floor the pipeline measured on A (config `noiseFloor`). */
  noiseFloor?: NoiseFloor;
  /** Milliseconds per earlier stage (walk, chunk, embed, neighbors...); the builder adds its own. */
  timings?: Record<string, number>;
  toolVersion?: string;
  /**
   * Rows the searched rows were drawn from, when more than the chunks: a sampled store's whole
   * table (its sampled rows are the chunks). Default: the chunks.
   */
  population?: number;
  /**
   * Set when search.method "auto" sampled the query rows itself (the configuration sets no
   * "sample"): an exact search of every chunk was estimated at `seconds` for the costlier side.
   */
  autoSample?: AutoSample;
  /** Characters of chunk text kept in the chunk table (default 160: 20,000 chunks stay a few MB). */
  previewChars?: number;
}

/** Maps are computed up to this many chunks per side; beyond, the report has none. */
const MAP_LIMIT = 20000;
const NEW_VOCABULARY_LIMIT = 200;
/** Distinct terms tokenized per side, most frequent first. */
const TERM_LIMIT = 20000;

export interface BuildOptions extends RunOptions {
  /**
   * A warm session's stage memo: each metric below is a stage keyed by a hash of what it reads, and
   * is taken from the session's earlier run when that did not change. Absent: everything computes.
   */
  memo?: StageMemo;
}

export async function buildReport(inputs: ReportInputs, options: BuildOptions = {}): Promise<Report> {
  const { config, corpus } = inputs;
  const { a, b } = inputs;
  const signal = options.signal;
  const timings: Record<string, number> = { ...(inputs.timings ?? {}) };
  const warnings: string[] = [];
  const k = config.k;
  const nA = a.chunks.length;
  const nB = b.chunks.length;
  checkSide('a', a);
  checkSide('b', b);
  const counterpart = inputs.counterpart;
  if (counterpart.length !== nA) throw new DriftError(`Report: the alignment holds ${counterpart.length} entries for ${nA} chunks under A.`, 'usage');
  const searchA = inputs.neighbors.a;
  const searchB = inputs.neighbors.b;
  const progress = (done: number, message: string): void => options.onProgress?.({ stage: 'metrics', done, total: 8, message });
  // A metric starts only while the run is wanted; its time goes to report.timings under its name.
  const timedMetric = <T>(name: string, work: () => Promise<T> | T): Promise<T> => {
    throwIfAborted(signal);
    return timed(timings, name, work);
  };
  // Every metric is a stage: its timing name, its memo name (one for A's and B's twin stages, so B
  // reuses A's result when it reads the same inputs), and a key naming everything `work` reads.
  // A new metric is one more `stage(...)` call; its value must never be changed after it is returned.
  const memo = options.memo ?? NO_MEMO;
  const stage = <T>(timing: string, name: string, key: readonly KeyPart[], work: () => Promise<T> | T): Promise<T> =>
    timedMetric(timing, () => memo.stage(name, key, work));
  // The rows the side's index compares, and (with a vectors setting) how queries are encoded like them
  // and the float rows rescoring reads.
  const vectorsKey = (s: SideInputs): KeyPart[] => [
    memo.digest(s.vectors), s.chunks.length, s.dimension,
    s.prepared ? { spec: s.prepared.spec, fromDimension: s.prepared.fromDimension, full: memo.digest(s.prepared.full) } : null,
  ];
  const chunksA = memo.digest(a.chunks);
  const chunksB = memo.digest(b.chunks);
  const alignment = memo.digest(counterpart);

  const same = sameChunking(a.chunks, b.chunks);
  // Neighbors were searched for all items, or for a uniform sample of query items: of the chunks, or of a store's whole table.
  const population = inputs.population ?? nA;
  const sampled = searchA.rows.length < population;
  if (sampled) {
    const why = inputs.autoSample
      ? `: an exact search of every chunk was estimated at about ${Math.max(1, Math.round(inputs.autoSample.seconds / 60))} min, so search "auto" searched a seeded sample of chunks exactly against every chunk; "search": {"method": "exact"} searches them all`
      : '';
    warnings.push(`Neighbor churn was computed on a uniform sample of ${searchA.rows.length} of ${population} ${inputs.population !== undefined ? 'stored rows' : 'chunks'} (95% bootstrap intervals given)${why}.`);
  }

  progress(1, 'neighbor churn');
  const churnKey = [chunksA, chunksB, memo.identity(searchA), memo.identity(searchB), alignment, k, config.churnThreshold, config.seed];
  const { churn, confidence, documents } = await stage('churn', 'churn', churnKey, async () => {
    const churn = await neighborChurn({
      chunksA: a.chunks, chunksB: b.chunks, neighborsA: searchA, neighborsB: searchB, counterpart, sameItems: same, k, churnThreshold: config.churnThreshold, signal,
    });
    return {
      churn,
      confidence: sampled ? churnConfidence(churn, config.churnThreshold, seededRandom(config.seed + 1)) : undefined,
      documents: same ? undefined : documentChurn(a.chunks, b.chunks, searchA, searchB),
    };
  });
  // A side with k distinct chunks or fewer lists every other chunk as a neighbor: churn at k is not there to measure.
  const unmeasured = tooFewForChurn(k, searchA.distinct, searchB.distinct)
    ?? (churn.items.length === 0 && churn.unmatched.length > 0 ? `none of A's ${churn.unmatched.length} chunks has a counterpart under B (their text is gone)` : undefined);
  const notMeasured: Record<string, string> = {};
  if (unmeasured) { notMeasured['neighbors.churnedShare'] = unmeasured; warnings.push(`Churned share is not measured: ${unmeasured}.`); }
  const neighbors: NeighborChurn = {
    k, comparison: same ? 'same-items' : 'aligned', method: searchA.method === 'database' || searchB.method === 'database' ? 'database' : searchA.method === 'hnsw' || searchB.method === 'hnsw' ? 'hnsw' : 'exact',
    recallAtK: searchA.recall === null && searchB.recall === null ? null : { a: round(searchA.recall ?? 1), b: round(searchB.recall ?? 1) },
    meanJaccard: round(churn.meanJaccard), medianJaccard: round(churn.medianJaccard), meanOverlap: round(churn.meanOverlap),
    meanRbo: round(churn.meanRbo), churnedShare: unmeasured ? null : round(churn.churnedShare), churnThreshold: config.churnThreshold,
    histogram: churn.histogram, items: churn.items,
  };
  if (confidence) neighbors.sampled = { size: searchA.rows.length, total: population, confidence: 0.95, ...confidence };
  if (documents) neighbors.documents = documents;
  const unmatched = unmatchedChunks(churn.unmatched.length, a.chunks, b.chunks);
  if (unmatched) neighbors.unmatched = unmatched;

  // Anchors, query sets, pairs and out-of-distribution queries.
  progress(2, 'anchors');
  const querySet = inputs.querySet;
  // A copy: anchors are dropped from it below when no vectors came, never from the caller's set.
  const set: AnchorSet = { anchors: [...querySet.anchors], queries: [...querySet.queries], pairs: [...querySet.pairs], malformed: [...querySet.malformed] };
  const queryTexts = [...set.anchors.map((x) => x.query), ...set.queries];
  const depth = Math.max(k, 10);
  const scoreSide = async (side: Side): Promise<{ scored: QueryScores[]; background: QueryScores[]; pairs: PairScores } | null> => {
    const s = inputs[side];
    const vectors = queryVectorsOf(inputs, side, set);
    if (!vectors) return null;
    // Query vectors arrive as embedded; a vectors setting encodes them like the chunks.
    const dim = s.prepared?.fromDimension ?? s.dimension;
    const qv = new Float32Array(queryTexts.length * dim);
    qv.set(vectors.anchors.subarray(0, set.anchors.length * dim), 0);
    qv.set(vectors.queries.subarray(0, set.queries.length * dim), set.anchors.length * dim);
    // Scored as the side's index ranks them (its vectors setting), or as float cosines.
    // Float cosines keep, per side, the last run's scores of unchanged query and chunk rows (a live edit rescores a few chunks).
    const score = async (rows: Float32Array, top: number, slot: string): Promise<QueryScores[]> => {
      const reuse = { previous: memo.recall<ScoredRows>(slot), keep: (scored: ScoredRows) => memo.keep(slot, scored) };
      if (s.prepared) return scorePreparedQueries(s.prepared, rows, top, signal, reuse);
      const scores = await scoreQueriesReusing(rows, s.vectors, s.chunks.length, dim, top, reuse.previous, signal);
      reuse.keep({ queries: rows, chunks: s.vectors, dim, scores });
      return scores;
    };
    const scored = await score(qv, depth, `queries.${side}`);
    const background = queryTexts.length === 0 ? [] : await score(vectors.background, 1, `background.${side}`);
    // Pairs and their background encoded as the index stores vectors (truncated, quantized).
    const enc = (rows: Float32Array): Float32Array => (s.prepared ? encodeRows(s.prepared, rows) : rows);
    const encodedDim = s.prepared?.dimension ?? dim;
    return { scored, background, pairs: pairScores(enc(vectors.pairsA), enc(vectors.pairsB), enc(vectors.background), encodedDim) };
  };
  const none = { scored: [], background: [], pairs: { cos: [], percentile: [] } };
  const scoreKey = (side: Side): KeyPart[] => [...vectorsKey(inputs[side]), memo.identity(querySet), inputs.queryVectors ? memo.identity(inputs.queryVectors[side]) : null, depth];
  const qa = (await stage('queriesA', 'queries', scoreKey('a'), () => scoreSide('a'))) ?? none;
  const qb = qa === none ? none : (await stage('queriesB', 'queries', scoreKey('b'), () => scoreSide('b'))) ?? none;
  if (qa === none || qb === none) {
    // queryVectorsOf gives null only when there were texts and no vectors for them.
    warnings.push('Anchors and queries were not embedded (no query vectors were given), so they are left out of this report.');
    set.anchors.length = 0; set.queries.length = 0; set.pairs.length = 0; queryTexts.length = 0;
  }
  const nScored = set.anchors.length;
  // Snapshot runs: an anchor whose expected text is not at its place in B's corpus (its file removed
  // or edited there) cannot be found under B whatever the model does. Scoring it would read as lost
  // retrieval, so it is left out of both sides and counted apart.
  const kept = anchorsInBoth(set.anchors, corpus, inputs.corpusB);
  const golden = kept.map((i) => set.anchors[i]!);
  const nAnchors = golden.length;
  const sideA = evaluateAnchors(golden, kept.map((i) => qa.scored[i]!), a.chunks, k);
  const sideB = evaluateAnchors(golden, kept.map((i) => qb.scored[i]!), b.chunks, k);
  // Judged@k beside the golden-set scores: which of each side's hits carry a label at all.
  const judgedA = judgedAtK(golden, sideA.map((x) => x.retrieved), a.chunks, k);
  const judgedB = judgedAtK(golden, sideB.map((x) => x.retrieved), b.chunks, k);
  const anchors: AnchorReport = {
    count: nAnchors, source: querySet.source, malformed: set.malformed,
    ...(nScored > nAnchors ? { unmatched: nScored - nAnchors } : {}),
    minimumAnchors: MIN_CONCLUSIVE_ANCHORS, conclusive: nAnchors >= MIN_CONCLUSIVE_ANCHORS,
    a: { ...retrievalQuality(sideA), judgedAtK: judgedA.judgedAtK === null ? null : round(judgedA.judgedAtK) },
    b: { ...retrievalQuality(sideB), judgedAtK: judgedB.judgedAtK === null ? null : round(judgedB.judgedAtK) },
    items: anchorItems(golden, sideA, sideB, inputs.previewChars ?? 160, corpus.files).map((item) => ({
      ...item, unjudgedA: unjudgedOf(judgedA, item.query), unjudgedB: unjudgedOf(judgedB, item.query),
    })),
    pairs: pairItems(set.pairs, qa.pairs, qb.pairs),
    ...(querySet.file ? { file: querySet.file } : {}),
    ...(querySet.auto ? { auto: querySet.auto } : {}),
  };
  if (set.malformed.length > 0) warnings.push(malformedNote(querySet.file ?? 'anchors', set.malformed));

  const plain = set.queries;
  const queries = plain.length === 0 ? undefined : (() => {
    const items = queryChurn(plain, qa.scored.slice(nScored), qb.scored.slice(nScored), a.chunks, b.chunks, same, k);
    return { count: items.length, meanOverlap: round(mean(items.map((x) => x.overlap))), meanRbo: round(mean(items.map((x) => x.rbo))), items };
  })();
  const ood = queryTexts.length === 0 ? undefined
    : outOfDistribution(queryTexts, qa.scored, qb.scored, qa.background, qb.background, OOD_BACKGROUND_QUANTILE);

  // Tokenization of the corpus's vocabulary, and whether chunks holding new terms churn more.
  progress(3, 'tokenization');
  const corpusKeyOf = (c: Corpus): string => corpusKey(memo, c);
  const vocabularyKey = [corpusKeyOf(corpus), inputs.corpusB ? corpusKeyOf(inputs.corpusB) : null, memo.identity(a.tokenizer), memo.identity(b.tokenizer)];
  const vocabulary = await stage('tokenization', 'vocabulary', vocabularyKey, () => vocabularyReport(inputs, memo, signal));
  const tokenization = await stage('tokenization.churn', 'churnByNewVocabulary', [memo.identity(vocabulary), memo.identity(churn), chunksA],
    () => withChurnByNewVocabulary(vocabulary, inputs, churn.items.map((x) => x.chunk), churn.overlaps, signal));

  progress(4, 'space');
  // Not one memo stage: its blocks, map and held-out search are (report/space.ts), so an edit redoes only what it touched.
  const spaceSide = (s: SideInputs) => ({ vectors: s.vectors, n: s.chunks.length, dimension: s.dimension });
  const spaced = await timedMetric('space', () => spaceReport(spaceSide(a), spaceSide(b), counterpart, k, config.seed, { memo, signal }));
  const space = spaced.space;
  warnings.push(...spaced.warnings);

  progress(5, 'truncation');
  const fileLengths = (c: Corpus): Map<string, number> => new Map(c.files.map((f) => [f.path, f.text.length]));
  const truncation = (timing: string, s: SideInputs, source: Corpus, chunks: string) => {
    const tokenizer = s.modelTokenizer ?? s.tokenizer;
    return stage(timing, 'truncation', [chunks, corpusKeyOf(source), memo.identity(tokenizer), s.maxTokens], () => truncationStats(s.chunks, fileLengths(source), tokenizer, s.maxTokens, { signal }));
  };
  const truncA = await truncation('truncationA', a, corpus, chunksA);
  const truncB = await truncation('truncationB', b, inputs.corpusB ?? corpus, chunksB);
  const zeroA = zeroVectorRows(a.vectors, a.dimension);
  const zeroB = zeroVectorRows(b.vectors, b.dimension);
  const statsA = { ...truncA.stats, zeroVectors: zeroA.length };
  const statsB = { ...truncB.stats, zeroVectors: zeroB.length };
  for (const [side, t, zero, chunks] of [['A', statsA, zeroA, a.chunks], ['B', statsB, zeroB, b.chunks]] as const) {
    if (t.truncated > 0) warnings.push(`${t.truncated} chunk(s) under ${side} are longer than the model's ${t.maxTokens} tokens and are cut before embedding.`);
    const first = chunks[zero[0] ?? -1];
    if (first) warnings.push(`${zero.length} chunk(s) under ${side} got a zero vector: the model knows none of their tokens, so they sit at cosine 0 with every chunk and their neighbors are arbitrary (first: ${first.file} characters ${first.start}-${first.end}).`);
  }

  // Snapshot drift applies when one model read two versions of the corpus.
  progress(6, 'snapshot');
  const snapshot = inputs.corpusB && a.fingerprint === b.fingerprint && a.dimension === b.dimension && nA > 1 && nB > 1
    ? await stage('snapshot', 'snapshot', [...vectorsKey(a), ...vectorsKey(b), config.seed], () => snapshotDrift(a.vectors, nA, b.vectors, nB, a.dimension, seededRandom(config.seed + 2), { signal }))
    : undefined;

  progress(7, 'maps');
  const mapPairs = pairsOf(counterpart);
  const maps = nA >= 3 && nB >= 3 && nA <= MAP_LIMIT && nB <= MAP_LIMIT
    ? await timedMetric('maps', async () => {
      // Each side's projection is its own stage: a change under B alone keeps A's map (UMAP is most of this stage).
      const method = mapMethod(nA, nB);
      const side = (s: SideInputs, n: number) => memo.stage('mapSide', [memo.digest(s.vectors), n, s.dimension, method, config.seed],
        () => projectSide(s.vectors, n, s.dimension, method, config.seed + 3, signal));
      return alignedMaps(method, await side(a, nA), await side(b, nB), mapPairs);
    })
    : undefined;
  if (nA > MAP_LIMIT || nB > MAP_LIMIT) {
    const [n, label] = nA >= nB ? [nA, 'A'] : [nB, 'B'];
    warnings.push(`The 2D maps are left out: ${n} chunks under ${label} are more than the ${MAP_LIMIT} a map projects (the projection's neighbor graph grows with every chunk); churn and the other metrics cover every chunk or say their sample.`);
  }

  // Decisions: what a vectors setting keeps, and how deep A must search for B to rerank (one corpus only).
  const retention = vectorRetention(config, { model: a.fingerprint === b.fingerprint, chunks: same, corpus: !inputs.corpusB }, churn.meanOverlap, anchors);
  let migrationDepth: Report['migrationDepth'];
  if (inputs.corpusB) {
    warnings.push('Migration depth is left out: A and B read different corpus snapshots, so A\'s index cannot serve B\'s chunks.');
  } else {
    // Float rows as embedded when the pipeline attached no vectors setting.
    const prepared: PreparedVectors = a.prepared ?? { spec: {}, n: nA, dimension: a.dimension, fromDimension: a.dimension, vectors: a.vectors, full: a.vectors };
    const migrationKey = [canonicalJson(config), ...vectorsKey(a), ...vectorsKey(b), chunksA, chunksB, memo.identity(searchA), memo.identity(searchB), alignment];
    const depthReport = await stage('migration', 'migration', migrationKey, () => migrationReport({
      config, a: { chunks: a.chunks, prepared }, b, searchA, searchB, counterpart, sameItems: same, signal, memo,
    }));
    if (depthReport.items > 0) migrationDepth = depthReport;
    else warnings.push('Migration depth is left out: no chunk under A has a counterpart with neighbors under B.');
  }

  Object.assign(notMeasured, decisionsNotMeasured(retention, anchors.count, migrationDepth, inputs.noiseFloor));

  const previewChars = inputs.previewChars ?? 160;
  const table = (chunks: Chunk[], tokens: number[], zero: number[], source: Corpus): ChunkRecord[] => {
    const texts = new Map(source.files.map((f) => [f.path, f.text]));
    const starts = new Map<string, number[]>();
    const linesOf = (c: Chunk): { lines?: [number, number] } => {
      const text = texts.get(c.file);
      if (text === undefined) return {};
      let s = starts.get(c.file);
      if (!s) starts.set(c.file, s = lineStarts(text));
      return { lines: lineSpan(s, c.start, c.end) };
    };
    const records: ChunkRecord[] = chunks.map((c, i) => ({
      file: c.file, start: c.start, end: c.end, ...linesOf(c), text: c.text.slice(0, previewChars), tokens: tokens[i]!,
    }));
    for (const i of zero) (records[i] as ChunkRecord).zeroVector = true;
    return records;
  };
  progress(8, 'report');
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'embedding-drift', version: inputs.toolVersion ?? '0.0.0' },
    createdAt: new Date().toISOString(),
    configs: { a: configSummary('a', inputs), b: configSummary('b', inputs) },
    corpus: {
      root: corpus.root, files: corpus.files.length, bytes: corpus.files.reduce((s, f) => s + f.bytes, 0), skipped: corpus.skipped,
      ...(inputs.corpusB ? { rootB: inputs.corpusB.root } : {}),
    },
    chunks: { a: nA, b: nB, sameChunking: same },
    previewChars,
    chunkTable: { a: table(a.chunks, truncA.tokens, zeroA, corpus), b: table(b.chunks, truncB.tokens, zeroB, inputs.corpusB ?? corpus) },
    neighbors, anchors, tokenization, space,
    truncation: { a: statsA, b: statsB },
    warnings, timings,
    ...(Object.keys(notMeasured).length > 0 ? { notMeasured } : {}),
    ...(queries ? { queries } : {}),
    ...(ood ? { ood } : {}),
    ...(snapshot ? { snapshot } : {}),
    ...(maps ? { maps } : {}),
    ...(retention ? { retention } : {}),
    ...(inputs.noiseFloor ? { noiseFloor: inputs.noiseFloor } : {}),
    ...(migrationDepth ? { migrationDepth } : {}),
  };
  return report;
}

/** The pipeline's query vectors for one side, checked against the query set; null when none came for a non-empty set. */
function queryVectorsOf(inputs: ReportInputs, side: Side, set: AnchorSet): QueryVectorsInput | null {
  const dim = inputs[side].prepared?.fromDimension ?? inputs[side].dimension;
  const nA = set.anchors.length, nQ = set.queries.length, nP = set.pairs.length;
  const out: QueryVectorsInput | null = inputs.queryVectors?.[side] ?? null;
  const empty = new Float32Array(0);
  if (!out) return nA + nQ + nP === 0 ? { anchors: empty, queries: empty, pairsA: empty, pairsB: empty, background: empty } : null;
  const check = (name: string, v: Float32Array, count: number): void => {
    if (v.length !== count * dim) throw new DriftError(`Report: ${name} query vectors for ${side.toUpperCase()} hold ${v.length} values, expected ${count} x ${dim}.`, 'usage');
  };
  check('anchor', out.anchors, nA); check('plain', out.queries, nQ); check('pair', out.pairsA, nP); check('pair', out.pairsB, nP);
  if (nA + nQ + nP > 0) check('background', out.background, OOD_BACKGROUND.length);
  return out;
}

function checkSide(side: Side, s: SideInputs): void {
  const expected = s.chunks.length * s.dimension;
  if (s.vectors.length !== expected) {
    throw new DriftError(`Report: configuration ${side.toUpperCase()} has ${s.chunks.length} chunks of dimension ${s.dimension} but ${s.vectors.length} vector values (expected ${expected}).`, 'usage');
  }
}

/** Why churn at k cannot be measured on these sides, or undefined when it can. */
export function tooFewForChurn(k: number, distinctA: number, distinctB: number): string | undefined {
  const side = distinctA <= k ? { name: 'A', n: distinctA } : distinctB <= k ? { name: 'B', n: distinctB } : undefined;
  if (!side) return undefined;
  return `${side.name} has ${side.n} distinct ${side.n === 1 ? 'chunk' : 'chunks'}, not more than k = ${k}, so every chunk's neighbor list is the whole rest of the corpus and cannot change; lower k below the number of chunks or add text`;
}

/** The corpus's vocabulary under A's and B's tokenizers (the part of the tokenization view churn does not touch). */
async function vocabularyReport(inputs: ReportInputs, memo: StageMemo, signal: AbortSignal | undefined): Promise<TokenizationReport> {
  const files = [...inputs.corpus.files, ...(inputs.corpusB?.files ?? [])];
  const pause = yielder(signal);
  const terms = (await countTerms(files, pause)).slice(0, TERM_LIMIT);
  // A term's pieces depend on the term and the tokenizer only: a warm session keeps each side's, so
  // an edit tokenizes only the terms it brought (a tokenizer of its own: a new side's cache starts empty).
  const piecesOf = (side: Side): ((term: string) => TermPieces) => {
    const tokenizer = inputs[side].tokenizer;
    const id = memo.identity(tokenizer);
    const last = memo.recall<{ id: string; pieces: Map<string, TermPieces> }>(`termPieces.${side}`);
    const pieces = last?.id === id ? last.pieces : new Map<string, TermPieces>();
    memo.keep(`termPieces.${side}`, { id, pieces });
    return (term) => {
      let out = pieces.get(term);
      if (!out) pieces.set(term, out = termPieces(tokenizer, term));
      return out;
    };
  };
  const ofA = piecesOf('a');
  // One tokenizer for both sides (the same model, another chunker): B's pieces are A's, tokenized once.
  const ofB = inputs.a.tokenizer === inputs.b.tokenizer ? ofA : piecesOf('b');
  const piecesA = [];
  const piecesB = [];
  for (let i = 0; i < terms.length; i++) {
    await pause();
    piecesA.push(ofA(terms[i]!.term));
    piecesB.push(ofB(terms[i]!.term));
  }
  const vocabulary = newVocabulary(terms, piecesA, piecesB, NEW_VOCABULARY_LIMIT);
  const report: TokenizationReport = {
    terms: terms.length,
    a: tokenizerStats(inputs.a.tokenizer.name, piecesA),
    b: tokenizerStats(inputs.b.tokenizer.name, piecesB),
    newVocabulary: vocabulary,
    newVocabularyTotal: countNewVocabulary(piecesA, piecesB),
    shatteredTerms: shatteredBy(piecesA, piecesB),
  };
  return report;
}

/** The vocabulary report with the churn (1 - overlap@k) of A chunks that hold a new-vocabulary term versus chunks that hold none. */
async function withChurnByNewVocabulary(
  vocabularyReport: TokenizationReport, inputs: ReportInputs, churnChunks: number[], overlaps: Float64Array, signal: AbortSignal | undefined,
): Promise<TokenizationReport> {
  const report: TokenizationReport = { ...vocabularyReport };
  const vocabulary = report.newVocabulary;
  const pause = yielder(signal);
  if (vocabulary.length > 0 && churnChunks.length > 0) {
    const words = new Set(vocabulary.map((v) => v.term));
    const withTerms: number[] = [];
    const without: number[] = [];
    for (const [r, chunk] of churnChunks.entries()) {
      await pause();
      const text = inputs.a.chunks[chunk]!.text;
      const has = [...text.matchAll(/[\p{L}_][\p{L}\p{N}_]*(?:[.-][\p{L}_][\p{L}\p{N}_]*)*/gu)].some((m) => words.has(m[0]));
      (has ? withTerms : without).push(1 - overlaps[r]!);
    }
    report.churnByNewVocabulary = { withTerms: round(mean(withTerms)), withoutTerms: round(mean(without)), chunksWithTerms: withTerms.length };
  }
  return report;
}

function configSummary(side: Side, inputs: ReportInputs): ConfigSummary {
  const cfg = inputs.config[side];
  const s = inputs[side];
  const summary: ConfigSummary = {
    label: cfg.label,
    model: s.modelLabel ?? describeModel(cfg.model),
    chunker: describeChunker(cfg.chunker),
    fingerprint: s.fingerprint,
    dimension: s.dimension,
    tokenizer: s.tokenizer.name,
    ...(s.maxTokens !== undefined ? { maxTokens: s.maxTokens } : {}),
  };
  const vectors = vectorSettingSummary(cfg.vectors, s.prepared);
  return vectors ? { ...summary, vectors } : summary;
}

/**
 * Indices of the anchors whose expected text stands at the same place in B's corpus as in A's: all
 * of them unless B reads another snapshot.
 */
function anchorsInBoth(anchors: readonly AnchorQuery[], corpusA: Corpus, corpusB: Corpus | undefined): number[] {
  const all = anchors.map((_, i) => i);
  if (!corpusB) return all;
  const textA = new Map(corpusA.files.map((f) => [f.path, f.text]));
  const textB = new Map(corpusB.files.map((f) => [f.path, f.text]));
  return all.filter((i) => {
    const { file, start, end } = anchors[i]!.span;
    const b = textB.get(file);
    return b !== undefined && b.slice(start, end) === textA.get(file)?.slice(start, end);
  });
}

/**
 * Chunks churn cannot compare, counted apart: A's without a counterpart under B (their text is gone
 * in a later snapshot) and B's in files A did not have (added). Undefined when there are none.
 */
function unmatchedChunks(unmatchedA: number, chunksA: readonly Chunk[], chunksB: readonly Chunk[]): { a: number; b: number } | undefined {
  const filesA = new Set(chunksA.map((c) => c.file));
  const added = chunksB.filter((c) => !filesA.has(c.file)).length;
  return unmatchedA + added > 0 ? { a: unmatchedA, b: added } : undefined;
}
