// Row-wise vector arithmetic the searches share: unit length for cosine, lengths for checks.

/** A copy of n x dim rows, each scaled to length 1. */
export function unitRows(vectors: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(vectors.length);
  for (let r = 0; r < vectors.length / dim; r++) {
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += vectors[r * dim + d]! ** 2;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < dim; d++) out[r * dim + d] = vectors[r * dim + d]! * inv;
  }
  return out;
}

/** Euclidean length of each of the n x dim rows. */
export function rowNorms(vectors: Float32Array, dim: number): Float64Array {
  const out = new Float64Array(vectors.length / dim);
  for (let r = 0; r < out.length; r++) {
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += vectors[r * dim + d]! ** 2;
    out[r] = Math.sqrt(norm);
  }
  return out;
}
