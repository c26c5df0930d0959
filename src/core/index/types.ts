// Top-k neighbor lists, packed: row i holds the k nearest of query i, best first.

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

/** A search over distinct texts (index/distinct.ts): every copy of a text gets its first occurrence's list. */
export interface DistinctSearch extends NeighborSearch {
  /** Distinct texts searched (chunks minus copies). */
  distinct: number;
}
