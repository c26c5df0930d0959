// Top-k neighbor lists, packed: row i holds the k nearest of query i, best first; and a side's
// vectors as its index stores them (config `vectors`).
import type { VectorSpec } from '../config/types';

export interface NeighborLists {
  n: number;
  k: number;
  /** n*k item indices; -1 where fewer than k candidates exist. */
  indices: Int32Array;
  /** n*k cosine similarities (dot products of unit vectors), aligned with indices. */
  scores: Float32Array;
  /** What computed exact lists: onnxruntime-node, onnxruntime-web (WASM) in workers, or the JS kernel. */
  engine?: 'native' | 'wasm' | 'js';
}

/** One side's neighbor lists as the report reads them: which rows were searched, and how. */
export interface NeighborSearch {
  lists: NeighborLists;
  /** The item each row of `lists` belongs to. */
  rows: Int32Array;
  /** 'database': a store's own search over its whole table (store/sample.ts). */
  method: 'exact' | 'hnsw' | 'database';
  /** recall@k of the approximate search against exact search on a sample of rows; null for exact search. */
  recall: number | null;
}

/**
 * Per-dimension ranges of scalar int8 quantization: each dimension's [min, max] over the side's
 * own chunk vectors (`rows` of them) is cut into 255 equal steps; a value maps to the nearest step
 * (code -128..127), and query values outside the range are clipped to it.
 */
export interface Int8Ranges {
  min: Float32Array;
  max: Float32Array;
  /** Vectors the ranges were calibrated on. */
  rows: number;
}

/** A side's vectors prepared as its index stores them. */
export interface PreparedVectors {
  spec: VectorSpec;
  n: number;
  /** Dimensions the index compares (after truncation). */
  dimension: number;
  /** Dimensions as embedded. */
  fromDimension: number;
  /**
   * Rows the index compares by dot product: the float rows, int8 rows dequantized, or binary rows
   * as +-1/sqrt(dim). Metrics that read vectors (space, maps) read these.
   */
  vectors: Float32Array;
  /** Float rows after truncation, before quantization: what rescoring reads. */
  full: Float32Array;
  /** Binary: packed sign bits. */
  bits?: Uint32Array;
  /** int8: the calibrated ranges. */
  ranges?: Int8Ranges;
}

/** A search over distinct texts (index/distinct.ts): every copy of a text gets its first occurrence's list. */
export interface DistinctSearch extends NeighborSearch {
  /** Distinct texts searched (chunks minus copies). */
  distinct: number;
}
