// Checks every stored vector before it is used: a NaN or an infinite value makes every cosine it
// enters NaN, so any neighbor list built on it would be silently wrong. A zero vector is allowed: it is
// what a model gives a text it knows no token of (GloVe and a chunk of unknown words), exactly as an
// embedded side holds it, and the report counts such rows (truncation.*.zeroVectors).
import { DriftError } from '../types';

/** Throws naming the store, column and row id of the first vector that holds a value that is not finite. */
export function checkVectors(vectors: Float32Array, dim: number, ids: readonly string[], where: string, column: string): void {
  const n = vectors.length / dim;
  for (let r = 0; r < n; r++) {
    for (let d = 0; d < dim; d++) {
      const x = vectors[r * dim + d]!;
      if (!Number.isFinite(x)) {
        throw new DriftError(`${where}: column "${column}" holds ${Number.isNaN(x) ? 'NaN' : 'an infinite value'} in the vector of row id ${JSON.stringify(ids[r])}; fix or drop that row.`, 'config');
      }
    }
  }
}
