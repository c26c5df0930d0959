// Checks every stored vector before it is used: a NaN or a zero vector has no direction, so any
// neighbor list built on it would be silently wrong.
import { DriftError } from '../types';

/** Throws naming the store, column and row id of the first vector that is not finite or is all zeros. */
export function checkVectors(vectors: Float32Array, dim: number, ids: readonly string[], where: string, column: string): void {
  const n = vectors.length / dim;
  for (let r = 0; r < n; r++) {
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      const x = vectors[r * dim + d]!;
      if (!Number.isFinite(x)) {
        throw new DriftError(`${where}: column "${column}" holds ${Number.isNaN(x) ? 'NaN' : 'an infinite value'} in the vector of row id ${JSON.stringify(ids[r])}; fix or drop that row.`, 'config');
      }
      norm += x * x;
    }
    if (norm === 0) throw new DriftError(`${where}: column "${column}" holds an all-zero vector (no direction, no cosine) in row id ${JSON.stringify(ids[r])}; fix or drop that row.`, 'config');
  }
}
