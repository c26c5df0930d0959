// The vocabulary of a side read from a vector store (a LanceDB table or a vectors file): which
// columns hold what, the rows read, and the one interface every store answers.
import type { StoreSpec } from '../config/types';
import type { RunOptions } from '../types';

export { DEFAULT_STORE_COLUMNS } from '../config/defaults';
export type { StoreColumns, StoreSpec } from '../config/types';

/** Rows read from a store, in the order asked for. Optional columns are absent when the store has none. */
export interface StoreRows {
  /** Row positions in the store (0-based offsets). */
  offsets: Int32Array;
  /** The store's own row keys (LanceDB row ids; offsets for a file): what `take` reads back. */
  keys: Float64Array;
  /** The id column's values (the row key as text where the store has no id column). */
  ids: string[];
  texts: string[];
  files?: string[];
  starts?: Int32Array;
  ends?: Int32Array;
  models?: Array<string | null>;
  /** rows x dimension, as stored (not normalized). */
  vectors: Float32Array;
}

/** A neighbor the store's search returned: what the report's chunk table needs, no vector. */
export interface StoreHit {
  key: number;
  id: string;
  text: string;
  file?: string;
  start?: number;
  end?: number;
  /** Cosine similarity to the query, whatever metric ranked the hit. */
  score: number;
  /** The hit's stored vector (not normalized). */
  vector: Float32Array;
}

export type StoreMetric = 'cosine' | 'dot' | 'l2';

export interface StoreSearch {
  /** One list per query, best first (the query's own row included when it is in the table). */
  hits: StoreHit[][];
  /** 'index' when the database's ANN index answered, 'flat' for its exhaustive search, 'memory' for an in-memory exact search. */
  method: 'index' | 'flat' | 'memory';
  /** The index type when one answered, e.g. "IVF_PQ". */
  index?: string;
  metric: StoreMetric;
}

export interface StoreSearchOptions extends RunOptions {
  /** Search through the table's ANN index when it has one (default true); false forces an exact search. */
  useIndex?: boolean;
}

/** One side's stored vectors: a LanceDB table or a file read into memory. */
export interface VectorStore {
  /** How messages name it: `LanceDB table "docs" in /data/db` or `vectors.parquet`. */
  readonly name: string;
  readonly spec: StoreSpec;
  readonly rows: number;
  readonly dimension: number;
  /** The table version every read and search of this run sees (LanceDB); absent for a file. */
  readonly version?: number;
  /** Which optional columns the store has. */
  readonly has: { file: boolean; range: boolean; model: boolean };
  /** The ANN index on the vector column and its metric, when there is one. */
  readonly index: { type: string; metric: StoreMetric } | null;
  /** Reads the rows at these offsets (all rows when omitted), checking every vector. */
  read(offsets?: ArrayLike<number>, options?: RunOptions): Promise<StoreRows>;
  /** Reads rows by their keys (from `read` or `search` of this store, or of another column of the same table). */
  take(keys: ArrayLike<number>, options?: RunOptions): Promise<StoreRows>;
  /** Reads rows by their id column; ids the store does not hold are left out of the result. */
  lookup(ids: readonly string[], options?: RunOptions): Promise<StoreRows>;
  /** Nearest rows of each query (queries: m x dimension). */
  search(queries: Float32Array, k: number, options?: StoreSearchOptions): Promise<StoreSearch>;
  /** Streams every row's key and vector in batches (offsets ascending), for exact scans and whole-table checks. */
  scan(visit: (batch: { keys: Float64Array; vectors: Float32Array; first: number; count: number }) => void | Promise<void>, options?: RunOptions): Promise<void>;
  /** Throws a DriftError when the store changed since it was opened. */
  checkUnchanged(): Promise<void>;
  close(): void;
}
