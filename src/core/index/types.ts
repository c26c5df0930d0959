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
