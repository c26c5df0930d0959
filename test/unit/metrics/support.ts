// Seeded random data for the metrics, index and report tests.
import { gaussian, randomUnitVectors, seededRandom } from '../../../src/core/random';

/** n x dim unit rows, Gaussian directions, from a seed. */
export const unitVectors = randomUnitVectors;

/** Rows scaled back to unit length. */
export function normalizeRows(v: Float32Array, dim: number): Float32Array {
  const out = Float32Array.from(v);
  for (let i = 0; i < v.length / dim; i++) {
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += out[i * dim + d]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < dim; d++) out[i * dim + d]! /= norm;
  }
  return out;
}

/**
 * A random orthogonal dim x dim matrix (row-major): Gram-Schmidt on Gaussian rows, which is
 * independent of the SVD under test.
 */
export function randomRotation(dim: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const q = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) {
    const row = Float64Array.from({ length: dim }, () => gaussian(random));
    for (let j = 0; j < i; j++) {
      let p = 0;
      for (let d = 0; d < dim; d++) p += row[d]! * q[j * dim + d]!;
      for (let d = 0; d < dim; d++) row[d]! -= p * q[j * dim + d]!;
    }
    const norm = Math.sqrt(row.reduce((s, x) => s + x * x, 0));
    for (let d = 0; d < dim; d++) q[i * dim + d] = row[d]! / norm;
  }
  return q;
}

/** v (n x dim) times q (dim x out), into `out` columns (zero-padded when out > dim). */
export function multiply(v: Float32Array, dim: number, q: Float64Array, qCols: number, out = qCols): Float32Array {
  const n = v.length / dim;
  const r = new Float32Array(n * out);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < qCols; c++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += v[i * dim + d]! * q[d * qCols + c]!;
      r[i * out + c] = s;
    }
  }
  return r;
}

/**
 * Query scores by their definition, as every scoring path must give them: per (query, chunk) a
 * float64 sum from +0 in dimension order of float64 products, rounded to float32 at the store.
 */
export function referenceScores(queries: Float32Array, chunks: Float32Array, n: number, dim: number): Float32Array[] {
  const m = queries.length / dim;
  return Array.from({ length: m }, (_, q) => {
    const row = new Float32Array(n);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += queries[q * dim + d]! * chunks[j * dim + d]!;
      row[j] = s;
    }
    return row;
  });
}
