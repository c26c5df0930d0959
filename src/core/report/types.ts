// The one report every front door reads (webview, report.html, CLI summary, --fail-on).
// Versioned; schemas/report.schema.json describes the same shape and tests validate against it.
// Field names are the product's vocabulary: change one here, in the schema and in the UI at once.
import type { SkippedFile } from '../types';

export const REPORT_SCHEMA_VERSION = 1;

export interface ConfigSummary {
  label: string;
  /** Display form of the model, e.g. "builtin:lexical" or "Xenova/bge-small-en-v1.5 (q8, cls)". */
  model: string;
  /** Display form of the chunker, e.g. "recursive 800/100 chars". */
  chunker: string;
  fingerprint: string;
  dimension: number;
  tokenizer: string;
  maxTokens?: number;
  /** The side's vectors setting (truncation, quantization, rescoring), when it has one. */
  vectors?: VectorSettingSummary;
}

/** A side's vectors as its index stores them (config `vectors`); `dimension` above is what the index compares. */
export interface VectorSettingSummary {
  /** Display form, e.g. "int8", "binary, rescore 4x", "first 256 of 768 dims". */
  description: string;
  quantize?: 'int8' | 'binary';
  /** Dimensions kept (Matryoshka truncation, renormalized). */
  dimensions?: number;
  /** Dimensions as embedded. */
  fromDimension: number;
  /** Candidates per result (x k) fetched from the quantized index and rescored with the float vectors. */
  rescore?: number;
  /**
   * int8: each dimension's range, calibrated as the min and max of that dimension over the side's
   * `rows` chunk vectors; 256 levels across it; query values outside are clipped.
   */
  int8Ranges?: { rows: number; min: number[]; max: number[] };
}

/** A chunk as the UI needs it; index = position in chunkTable.a or .b. */
export interface ChunkRecord {
  file: string;
  start: number;
  end: number;
  /** First and last line (1-based, inclusive) of start..end in the file: how the UI names the range (characters on hover). */
  lines?: [number, number];
  /** The chunk text, cut to a preview length (see `previewChars`). */
  text: string;
  tokens?: number;
  /** The model gave this chunk a zero vector: it knows none of its tokens (see TruncationStats.zeroVectors). */
  zeroVector?: true;
}

export interface Histogram {
  /** edges.length === counts.length + 1 */
  edges: number[];
  counts: number[];
}

export interface ChurnItem {
  /** Index into chunkTable.a. */
  chunk: number;
  file: string;
  start: number;
  end: number;
  jaccard: number;
  overlap: number;
  rbo: number;
  /** Neighbors under A (indices into chunkTable.a), best first, and their cosines. */
  neighborsA: number[];
  scoresA: number[];
  /** Whether each A neighbor is still a neighbor under B (through the alignment when chunkings differ). */
  keptA: boolean[];
  /** Neighbors under B (indices into chunkTable.b). */
  neighborsB: number[];
  scoresB: number[];
  /** Whether each B neighbor was already a neighbor under A (false = gained). */
  keptB: boolean[];
  /** The B chunk this A chunk is compared with (same item, or the best-overlapping B chunk). */
  counterpart: number;
}

export interface NeighborChurn {
  k: number;
  /** 'same-items': A and B chunk identically; 'aligned': chunks matched by character overlap. */
  comparison: 'same-items' | 'aligned';
  /** 'database': a store's own ANN index found the neighbors of at least one side (see `stores`). */
  method: 'exact' | 'hnsw' | 'database';
  /** recall@k of the index against exact search on a sample; null when search was exact. */
  recallAtK: { a: number; b: number } | null;
  meanJaccard: number;
  medianJaccard: number;
  meanOverlap: number;
  /** Rank-biased overlap, Webber et al. 2010 RBO_EXT (eq. 32, p = 0.9; unequal lengths as eq. 32 says); ties keep the lower chunk index first. */
  meanRbo: number;
  /**
   * Share of items whose overlap@k is below churnThreshold; null when a side has k distinct chunks
   * or fewer (every list is the whole rest of the corpus), with the reason in `notMeasured`.
   */
  churnedShare: number | null;
  churnThreshold: number;
  /** Per-item overlap@k (not Jaccard): k + 1 bins, one per possible value 0/k..k/k. */
  histogram: Histogram;
  /** Present when per-item metrics were computed on a uniform sample. */
  sampled?: {
    size: number;
    total: number;
    confidence: number;
    meanJaccardCi: [number, number];
    churnedShareCi: [number, number];
  };
  /** Document-level comparison: per file, overlap of the neighbor files under A and B. */
  documents?: { meanJaccard: number; files: number };
  /**
   * Chunks left out of churn because the other side has nothing to compare them with (snapshot
   * runs): `a`, chunks of A whose text is gone under B (removed files, rewritten passages); `b`,
   * chunks of B in files A did not have (added). Absent when every chunk has a counterpart.
   */
  unmatched?: { a: number; b: number };
  /** Every item (or every sampled item) with a counterpart under B, in chunkTable.a order (see `unmatched`). */
  items: ChurnItem[];
}

/**
 * Golden-set scores, averaged over anchors. Each anchor is labelled with one span (a file or a line
 * range); a retrieved chunk is on it when they share a character. Rank metrics count the span once,
 * and the span metrics measure the retrieved text in characters, so both compare across chunkers.
 */
export interface RetrievalQuality {
  /** Share of anchors with a chunk on the span in the top k. */
  hitAtK: number;
  /** MRR@k: mean of 1 / rank of the first chunk on the span, 0 when none is in the top k. */
  mrrAtK: number;
  /** nDCG@10 with the span as the one relevant item: mean of 1 / log2(rank + 1) of its first chunk in the top 10. */
  ndcg10: number;
  /** Share of the span's characters that the top k chunks hold (Chroma's token-level recall, in characters). */
  spanRecallAtK: number;
  /** Share of the characters of the top k chunks that lie in the span (every chunk counted in full, also where chunks overlap). */
  spanPrecisionAtK: number;
  /** Span characters retrieved / (characters of the top k chunks + span characters not retrieved). */
  spanIouAtK: number;
  /**
   * Judged@k: share of the side's top-k for each golden query that overlaps a span labelled for
   * that query, averaged over distinct queries; null without golden queries. Low judged@k means
   * hit@k and nDCG count unlabelled (perhaps relevant) passages as misses.
   */
  judgedAtK: number | null;
}

export interface AnchorItem {
  query: string;
  /** The expected span as written ("docs/setup.md#L10-L40") and resolved to characters. */
  expect: string;
  /** The expected span's first characters (as many as `previewChars`), so a preview can start there. */
  expectText: string;
  file: string;
  start: number;
  end: number;
  /** 1-based rank of the first retrieved chunk overlapping the expected span; null = not in top k. */
  rankA: number | null;
  rankB: number | null;
  /** Share of the expected span's characters held by the top k chunks (see RetrievalQuality). */
  spanRecallA: number;
  spanRecallB: number;
  /** Expected characters retrieved / (characters of the top k chunks + expected characters missed). */
  spanIouA: number;
  spanIouB: number;
  /** Best cosine between the query and a chunk overlapping the expected span. */
  cosA: number;
  cosB: number;
  /** That cosine's percentile (0-100) in the query's distribution of scores over all chunks. */
  percentileA: number;
  percentileB: number;
  /** percentileB - percentileA. */
  shift: number;
  retrievedA: number[];
  retrievedB: number[];
  /** Retrieved chunks (top k) overlapping no span labelled for this query: unjudged hits, best first. */
  unjudgedA: number[];
  unjudgedB: number[];
  auto: boolean;
}

/**
 * A text pair whose similarity should hold. Raw cosines of two models are not on one scale, so
 * across sides the pair is compared by percentile: where cos(a, b) falls among the cosines of a and
 * of b with every OOD_BACKGROUND question (unrelated everyday text) under the same model.
 */
export interface PairItem {
  a: string;
  b: string;
  /** Raw cosine of the pair under each side: compare within one model only. */
  cosA: number;
  cosB: number;
  /** The pair's cosine as a percentile (0-100) of that model's cosines between the pair's texts and unrelated questions. */
  percentileA: number;
  percentileB: number;
  /** percentileB - percentileA, in percentile points. */
  shift: number;
}

/** How auto-anchors were made: candidates found and anchors made per kind, candidates dropped per reason. */
export interface AutoAnchorSummary {
  /** headings: markdown, RST and AsciiDoc section titles; docstrings: Python; docComments: /** ... *\/ comments. */
  found: { headings: number; docstrings: number; docComments: number };
  made: { headings: number; docstrings: number; docComments: number };
  dropped: {
    /** Headings of changelog, history and release-notes files (release labels, not topics). */
    changelog: number;
    /** Headings that are a version or a date and little else ("0.45.0 (2019-12-11)"). */
    versionOrDate: number;
    /** Headings of fewer than two words ("Fixes", "Internal"). */
    oneWord: number;
    /** Headings directly followed by a subheading, docstrings with no code after them. */
    emptySection: number;
    /** Queries that label more than one place (all of them dropped: none has one expected answer). */
    repeated: number;
    /** Beyond `perFile` anchors from one file (an evenly spread subset is kept). */
    perFileCap: number;
    /** Beyond `limit` anchors overall (an evenly spread subset is kept). */
    limit: number;
  };
  /** The cap per file applied: 10, or an equal share of `limit` when fewer files have anchors. */
  perFile: number;
  limit: number;
}

export interface AnchorReport {
  count: number;
  source: 'file' | 'auto' | 'none';
  file?: string;
  /** Lines of the anchors file that were skipped, with the reason. */
  malformed: Array<{ line: number; message: string }>;
  /** How the auto-anchors were made (source 'auto'). */
  auto?: AutoAnchorSummary;
  /**
   * Snapshot runs: anchors left out of the scores because their expected text is not at its place in
   * B's corpus (its file removed or edited there): no model could retrieve it. Absent when none.
   */
  unmatched?: number;
  /** Below this many anchors a golden-set verdict is not conclusive (one anchor moves hit@k by more than 5 points). */
  minimumAnchors: number;
  /** count >= minimumAnchors. */
  conclusive: boolean;
  a: RetrievalQuality;
  b: RetrievalQuality;
  items: AnchorItem[];
  pairs: PairItem[];
}

export interface QueryChurnItem {
  query: string;
  overlap: number;
  rbo: number;
  retrievedA: number[];
  retrievedB: number[];
}

export interface QueryChurn {
  count: number;
  meanOverlap: number;
  meanRbo: number;
  /** Sorted, most changed first. */
  items: QueryChurnItem[];
}

/**
 * Is each query about this corpus? Under each side, every chunk has a background level: the mean
 * cosine of the 5 closest of `background` everyday questions (weather, films, cleaning...) that no
 * documentation or code corpus is about. A query's lift is its largest rise above that level over all chunks
 * (max of cosine minus level). It is flagged when the lift is no larger than the threshold: the
 * `quantile` (95th percentile) of the background questions' own lifts (each over the others'
 * level) on the same chunks under the same model. Lifts are in each model's own cosine units:
 * compare flags across sides, not lifts.
 */
export interface OutOfDistribution {
  /** Per side, the lift a query must exceed not to be flagged. */
  threshold: { a: number; b: number };
  /** How many background questions the thresholds come from. */
  background: number;
  /** The quantile of the background lifts that is the threshold (0.95). */
  quantile: number;
  flaggedShare: { a: number; b: number };
  /** topA/topB: the best chunk's cosine; liftA/liftB: the largest (cosine minus background level) over all chunks. */
  items: Array<{ query: string; topA: number; topB: number; liftA: number; liftB: number; flaggedA: boolean; flaggedB: boolean }>;
}

export interface TokenizerStats {
  tokenizer: string;
  piecesPerTerm: number;
  unknownRate: number;
  /** Share of distinct terms shattered: split into 3 or more pieces, or holding an unknown token. */
  shatteredShare: number;
}

export interface NewTermItem {
  term: string;
  count: number;
  piecesA: string[];
  piecesB: string[];
  unknownA: boolean;
  unknownB: boolean;
  /** Where the term first occurs. */
  example?: { file: string; start: number; end: number };
}

export interface TokenizationReport {
  /** Distinct corpus terms counted. */
  terms: number;
  a: TokenizerStats;
  b: TokenizerStats;
  /** Ranked by frequency x fragmentation, worst first; the top 200 of `newVocabularyTotal`. */
  newVocabulary: NewTermItem[];
  /** Terms that are new vocabulary for A or B before the list was cut (newVocabulary.length when not cut). */
  newVocabularyTotal?: number;
  /**
   * Do chunks holding new-vocabulary terms churn more than the others? withTerms / withoutTerms are
   * mean churn (1 - overlap@k) of A chunks holding at least one `newVocabulary` term / none.
   */
  churnByNewVocabulary?: { withTerms: number; withoutTerms: number; chunksWithTerms: number };
  /** Distinct terms this side shatters into 3+ pieces or does not know while the other side does not. */
  shatteredTerms?: { a: number; b: number };
}

export interface SpaceReport {
  /** Linear CKA of A and B vectors of the same (or aligned) items; 1 = same up to rotation and scale. */
  linearCka: number | null;
  /** Neighbor overlap@k on held-out items after an orthogonal Procrustes map A->B fitted on the rest. */
  procrustesOverlap: number | null;
  /** Distribution of pairwise cosine similarities per side (random pairs, over [-1, 1]). */
  similarity: { a: Histogram; b: Histogram };
  /** Paired items CKA and Procrustes used (a uniform sample above 2,000, chosen by a hash of each pair; about half fit the Procrustes map, the rest are held out). */
  pairs?: number;
}

export interface TruncationStats {
  maxTokens: number | null;
  /** Share of chunks longer than maxTokens in the model's own tokens. */
  share: number;
  /** Share of the corpus text that is never embedded because of it. */
  textShare: number;
  truncated: number;
  /**
   * Chunks the model gave a zero vector because it knows none of their tokens (every word [UNK]
   * to GloVe, no word at all for builtin:lexical). A zero vector has cosine 0 with every chunk,
   * so such a chunk's neighbors are arbitrary; each one is marked in chunkTable (zeroVector).
   */
  zeroVectors: number;
}

/** Files of two corpus snapshots compared by path and content hash. */
export interface FileChanges {
  added: string[];
  removed: string[];
  changed: string[];
  /** Files present in both with the same bytes. */
  unchanged: number;
}

export interface SnapshotDrift {
  centroidDistance: number;
  /**
   * The unbiased estimate of MMD² (Gretton et al. 2012, RBF kernel exp(-d²/2σ²) with σ the median
   * pairwise Euclidean distance, Gretton's median heuristic; Evidently and alibi-detect take the
   * median of squared distances, about 25% higher statistics): 0 in expectation when the
   * snapshots do not differ, so it can come out slightly negative; read it with mmdPValue.
   */
  mmd: number;
  mmdPValue: number;
  classifierAuc: number;
  driftedDimensionShare: number;
}

export interface MapProjection {
  method: 'pca' | 'umap';
  a: { x: number[]; y: number[] };
  b: { x: number[]; y: number[] };
}

/**
 * What a side's vectors setting keeps of retrieval, measured against the other side when the two
 * differ in nothing else (same model, chunks and corpus): the setting's side against float vectors.
 */
export interface VectorRetention {
  /** The side whose setting is measured (the other side is the float reference). */
  side: 'a' | 'b';
  /** Mean overlap@k of its neighbor lists with the float lists: the share of the float top-k it keeps. */
  neighbors: number;
  /** Its golden-set nDCG@10 / the float side's; null without anchors or when the float side's is 0. */
  ndcg10: number | null;
  /** Its hit@k / the float side's; null without anchors or when the float side's is 0. */
  hitAtK: number | null;
  /** Published retention of this kind of setting, for comparison; null when none is known. */
  published: string | null;
}

export type NoiseSource = 'backend' | 'dtype' | 'search';

/** Churn of side A against A with one change that should not matter, with the A-to-B definitions. */
export interface NoiseMeasurement {
  source: NoiseSource;
  /** What was compared with A as configured, e.g. "WASM instead of native", "fp32 instead of q8". */
  variant: string;
  churnedShare: number;
  meanJaccard: number;
  meanOverlap: number;
}

export interface NoiseFloor {
  /** From the source that churned most (`largest`); null when no source could be measured. */
  churnedShare: number | null;
  meanJaccard: number | null;
  meanOverlap: number | null;
  largest: NoiseSource | null;
  sources: NoiseMeasurement[];
  /** Sources that do not apply to this side or could not run here, with the reason. */
  skipped: Array<{ source: NoiseSource; reason: string }>;
}

/**
 * If B's vectors rerank the candidates A's index returns, how many (K) must A return to recover B's
 * own top-k? recall = share of B's top-k among A's top-K, averaged over query items.
 */
export interface MigrationDepth {
  k: number;
  /** 'aligned': chunkings differ; a B neighbor counts as recovered once A returns a chunk sharing characters with it. */
  comparison: 'same-items' | 'aligned';
  /** Query items averaged over (all A chunks with a counterpart, or a uniform sample of `total`). */
  items: number;
  total: number;
  /** Increasing K from k up to every other chunk; recall non-decreasing. */
  curve: Array<{ K: number; recall: number }>;
  /** recall at K = k: how much of B's top-k A's own top-k already holds. */
  recallAtK: number;
  /** Smallest K reaching 95% / 99% / all of B's top-k; null when never reached. */
  kFor95Percent: number | null;
  kFor99Percent: number | null;
  kForAll: number | null;
  /** Share of B's top-k whose text is in no A chunk (other than the query's own): never recovered. */
  unreachable: number;
}

/** Signs that a store's vectors come from more than one model (see metrics/mixedIndex.ts). */
export interface MixedIndexReport {
  /** True when a sign was found; `reasons` says which. */
  mixed: boolean;
  /** Rows examined (the sample, or every row). */
  rows: number;
  norms: {
    min: number;
    median: number;
    max: number;
    /** Two groups of vector lengths with a gap between them: the cut, the share below it, Ashman's D. */
    split: { threshold: number; lowShare: number; separation: number } | null;
  };
  /** Rows per name in the store's model column (largest first, at most 10), when it has one. */
  models?: Array<{ name: string; rows: number }>;
  /** Cross-validated AUC of a classifier telling the two largest model groups' vectors apart; null with too few rows. */
  modelAuc?: number | null;
  reasons: string[];
}

/** A side read from a store instead of chunked and embedded. */
export interface StoreReport {
  /** "lancedb:docs.vector" or "file:vectors.parquet#vector". */
  source: string;
  /** Rows in the store (not only those read). */
  rows: number;
  dimension: number;
  /** The LanceDB table version the run read (it is pinned to it). */
  version?: number;
  /** The ANN index on the vector column (e.g. "IVF_PQ"), null without one. */
  index: string | null;
  /** How this side's neighbors were found: 'memory' exact over every row read; 'index' the database's ANN index; 'flat' the database's exhaustive search. */
  search: 'memory' | 'index' | 'flat';
  metric: 'cosine' | 'dot' | 'l2';
  /** recall@k of the database's search against an exact scan of the whole store, on `probes` sampled rows; null when the search was exact. */
  recallAtK: number | null;
  probes: number;
  mixed: MixedIndexReport;
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'embedding-drift'; version: string };
  createdAt: string;
  configs: { a: ConfigSummary; b: ConfigSummary };
  corpus: {
    root: string; rootB?: string; files: number; bytes: number; skipped: SkippedFile[];
    /** Two snapshots (baseline compare, a side's own corpus root): files new in B, gone from A, changed in between. */
    changes?: FileChanges;
  };
  chunks: { a: number; b: number; sameChunking: boolean };
  previewChars: number;
  chunkTable: { a: ChunkRecord[]; b: ChunkRecord[] };
  neighbors: NeighborChurn;
  anchors: AnchorReport;
  queries?: QueryChurn;
  ood?: OutOfDistribution;
  tokenization: TokenizationReport;
  space: SpaceReport;
  truncation: { a: TruncationStats; b: TruncationStats };
  snapshot?: SnapshotDrift;
  maps?: MapProjection;
  /** Present when one side has a vectors setting and the sides differ in nothing else. */
  retention?: VectorRetention;
  /** Present when the configuration asks for it (`noiseFloor: true`). */
  noiseFloor?: NoiseFloor;
  /** Absent when A and B read different corpus snapshots (a warning says so). */
  migrationDepth?: MigrationDepth;
  /** The sides read from a store (LanceDB table or vectors file). */
  stores?: { a?: StoreReport; b?: StoreReport };
  /** Things the user should know about this run (sampling, fallbacks, skipped anchors...). */
  warnings: string[];
  /** Milliseconds per stage. */
  timings: Record<string, number>;
  /**
   * A run in a warm session (live mode, `compare --watch`): per stage, how many results were taken
   * from the session's earlier runs and how many were computed ('chunk' counts files). Absent in a
   * one-off run. Like `timings`, it describes the run, not the corpus: the rest of the report is
   * the same as a one-off run's.
   */
  reuse?: { reused: Record<string, number>; computed: Record<string, number> };
  /** Why a report field is null ("neighbors.churnedShare" -> the reason); --fail-on quotes it. */
  notMeasured?: Record<string, string>;
}
