// Geometry of A's space against B's on the same (or aligned) items: linear CKA, an orthogonal
// Procrustes adapter fitted on half the items and the neighbor overlap it recovers on the other
// half, and histograms of sampled pairwise cosines.
import { exactTopK } from '../index/exact';
import { throwIfAborted, type RunOptions } from '../types';
import type { Histogram } from '../report/types';
import { centerColumns, frobeniusSquared, matrix, selectRows, svd, transpose, type Matrix } from './linalg';
import { product, productSelf, productTransposed } from './gemm';
import { polarFactor } from './eigen';
import { histogram, mean } from './stats';
import { yielder } from '../yielding';

/**
 * Linear CKA (Kornblith et al. 2019) of X (n x p) and Y (n x q), rows paired:
 * ||Yc^T Xc||_F^2 / (||Xc^T Xc||_F ||Yc^T Yc||_F) after centering columns. 1 = same geometry up to
 * rotation and isotropic scale. Inputs are centered in place. With fewer items than dimensions the
 * equal n x n Gram form <K, L>_F / (||K||_F ||L||_F), K = Xc Xc^T, is cheaper and is used instead.
 * Hands the event loop back between row blocks (about 0.6 s of CPU at 1,300 x 384) and honors abort.
 */
export async function linearCka(x: Matrix, y: Matrix, options: RunOptions = {}): Promise<number> {
  const pause = yielder(options.signal);
  centerColumns(x);
  centerColumns(y);
  const n = x.rows;
  const featureCost = x.cols * x.cols + y.cols * y.cols + x.cols * y.cols;
  const gramCost = n * (x.cols + y.cols);
  if (gramCost < featureCost) {
    const k = await productSelf(transpose(x), pause);
    const l = await productSelf(transpose(y), pause);
    let kl = 0;
    for (let i = 0; i < n * n; i++) kl += k.data[i]! * l.data[i]!;
    const norms = Math.sqrt(frobeniusSquared(k) * frobeniusSquared(l));
    return norms === 0 ? 0 : kl / norms;
  }
  const cross = frobeniusSquared(await productTransposed(y, x, pause));
  const xx = Math.sqrt(frobeniusSquared(await productSelf(x, pause)));
  const yy = Math.sqrt(frobeniusSquared(await productSelf(y, pause)));
  if (xx === 0 || yy === 0) return 0;
  return cross / (xx * yy);
}

/**
 * The orthogonal map W (p x q, W^T W = I when p >= q) minimizing ||X W - Y||_F: W = U V^T from the
 * SVD of X^T Y. Different dimensions work as if the smaller side were padded with zeros. Awaits
 * `pause` inside the products and the eigensolver (the Jacobi SVD only checks abort per sweep).
 */
export async function procrustes(x: Matrix, y: Matrix, pause: () => Promise<void>, onSweep?: () => void): Promise<Matrix> {
  return procrustesMap(await productTransposed(x, y, pause), pause, onSweep);
}

/** The Procrustes map from the cross-product X^T Y (p x q) alone: all it reads of the rows. */
export async function procrustesMap(cross: Matrix, pause: () => Promise<void>, onSweep?: () => void): Promise<Matrix> {
  // Same dimensions (one model, two chunkers or two snapshots): U V^T is the polar factor of
  // X^T Y, which the symmetric eigensolver gives 2-4x faster than the Jacobi SVD (384 x 384).
  const polar = cross.rows === cross.cols ? await polarFactor(cross, pause) : null;
  if (polar) return polar;
  const { u, v } = svd(cross, 30, onSweep);
  const r = u.cols;
  const p = cross.rows, q = cross.cols;
  const w = matrix(p, q);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < q; j++) {
      let s = 0;
      for (let c = 0; c < r; c++) s += u.data[i * r + c]! * v.data[j * r + c]!;
      w.data[i * q + j] = s;
    }
  }
  return w;
}

/**
 * What linear CKA and the Procrustes fit read of paired rows X (n x p) and Y (n x q): the row count,
 * column sums and the products X^T X, Y^T Y, X^T Y (uncentered). Sums over rows, so the sums of a
 * few blocks of rows add up to the whole (in a fixed block order, for the same bits every time).
 */
export interface CrossSums {
  rows: number;
  p: number;
  q: number;
  sumX: Float64Array;
  sumY: Float64Array;
  xx: Float64Array;
  yy: Float64Array;
  xy: Float64Array;
}

/** The cross sums of paired rows, summed in row order. */
export async function crossSums(x: Matrix, y: Matrix, pause: () => Promise<void>): Promise<CrossSums> {
  const sumX = new Float64Array(x.cols), sumY = new Float64Array(y.cols);
  for (let r = 0; r < x.rows; r++) {
    for (let c = 0; c < x.cols; c++) sumX[c]! += x.data[r * x.cols + c]!;
    for (let c = 0; c < y.cols; c++) sumY[c]! += y.data[r * y.cols + c]!;
  }
  return {
    rows: x.rows, p: x.cols, q: y.cols, sumX, sumY,
    xx: (await productSelf(x, pause)).data,
    yy: (await productSelf(y, pause)).data,
    xy: (await productTransposed(x, y, pause)).data,
  };
}

/** Zero sums for p x q rows, to add blocks into. */
export function emptySums(p: number, q: number): CrossSums {
  return { rows: 0, p, q, sumX: new Float64Array(p), sumY: new Float64Array(q), xx: new Float64Array(p * p), yy: new Float64Array(q * q), xy: new Float64Array(p * q) };
}

/** Adds `part` into `total` (in place). */
export function addSums(total: CrossSums, part: CrossSums): void {
  total.rows += part.rows;
  const add = (into: Float64Array, from: Float64Array): void => { for (let i = 0; i < into.length; i++) into[i]! += from[i]!; };
  add(total.sumX, part.sumX); add(total.sumY, part.sumY); add(total.xx, part.xx); add(total.yy, part.yy); add(total.xy, part.xy);
}

/**
 * Linear CKA from cross sums: centering is folded in (Xc^T Yc = X^T Y - sx sy^T / n), so no row is
 * read again. Equals `linearCka` on the same rows up to rounding (the subtraction loses a few bits
 * when the columns' means are large; the report keeps 6 digits).
 */
export function ckaFromSums(s: CrossSums): number {
  const n = Math.max(1, s.rows);
  const centered = (m: Float64Array, a: Float64Array, b: Float64Array): number => {
    let f = 0;
    for (let i = 0; i < a.length; i++) {
      const ai = a[i]! / n, o = i * b.length;
      for (let j = 0; j < b.length; j++) { const v = m[o + j]! - ai * b[j]!; f += v * v; }
    }
    return f;
  };
  const cross = centered(s.xy, s.sumX, s.sumY);
  const xx = Math.sqrt(centered(s.xx, s.sumX, s.sumX));
  const yy = Math.sqrt(centered(s.yy, s.sumY, s.sumY));
  if (xx === 0 || yy === 0) return 0;
  return cross / (xx * yy);
}

/**
 * Above this dimension the Jacobi SVD of the d x d cross-covariance takes minutes in JS (768: about
 * 17 s of CPU, growing with d^3), so the adapter check is skipped.
 */
export const PROCRUSTES_MAX_DIM = 768;

export interface ProcrustesRecovery {
  /** Mean overlap@k between the B-neighbors of mapped A vectors and the true B-neighbors, held-out half. */
  overlap: number;
  fitted: number;
  heldOut: number;
}

/**
 * Fits the map on the first half of `pairs` (A row, B row) and, on the second half, compares each
 * item's k nearest among the held-out B vectors when queried with its mapped A vector versus with
 * its own B vector (self excluded): "could an adapter spare a full re-index?". Null when the fit
 * half has fewer items than the larger dimension: the map is then underdetermined (any completion
 * of the unseen directions fits equally well) and its score would say more about that choice;
 * null too above PROCRUSTES_MAX_DIM.
 */
export async function procrustesRecovery(
  vectorsA: Float32Array, dimA: number, vectorsB: Float32Array, dimB: number,
  pairs: ReadonlyArray<readonly [number, number]>, k: number, options: RunOptions = {},
): Promise<ProcrustesRecovery | null> {
  const half = Math.floor(pairs.length / 2);
  const test = pairs.slice(half);
  if (half < Math.max(2, dimA, dimB) || test.length <= k || Math.max(dimA, dimB) > PROCRUSTES_MAX_DIM) return null;
  const fit = pairs.slice(0, half);
  const pause = yielder(options.signal);
  const w = await procrustes(selectRows(vectorsA, dimA, fit.map((p) => p[0])), selectRows(vectorsB, dimB, fit.map((p) => p[1])), pause, () => throwIfAborted(options.signal));
  const mapped = await product(selectRows(vectorsA, dimA, test.map((p) => p[0])), w, pause);
  const yTest = Float32Array.from(selectRows(vectorsB, dimB, test.map((p) => p[1])).data);
  const overlap = await heldOutOverlap(yTest, Float32Array.from(mapped.data), dimB, k, options.signal);
  return { overlap, fitted: fit.length, heldOut: test.length };
}

/**
 * Mean overlap@k, over the held-out items (rows of `yTest`, m x dimB), between each item's k
 * nearest among them queried with its mapped A vector (row r of `queries`) and with its own B
 * vector (self excluded both times).
 */
export async function heldOutOverlap(yTest: Float32Array, queries: Float32Array, dimB: number, k: number, signal?: AbortSignal): Promise<number> {
  const m = yTest.length / dimB;
  // The native Gemm+TopK graph (no worker threads to start); the inline JS kernel without it.
  const search = { signal, workers: 0, backend: 'onnx' } as const;
  const truth = await exactTopK(yTest, m, dimB, k, search);
  // Row r of the queries is item r of yTest, so self-exclusion by row index is right here too.
  const got = await exactTopK(yTest, m, dimB, k, { ...search, queries, excludeSelf: true });
  const overlaps: number[] = [];
  for (let r = 0; r < m; r++) {
    const t = new Set(truth.indices.subarray(r * k, (r + 1) * k));
    let o = 0;
    for (const i of got.indices.subarray(r * k, (r + 1) * k)) if (i >= 0 && t.has(i)) o++;
    overlaps.push(o / k);
  }
  return mean(overlaps);
}

/** Histogram over [-1, 1] of cosines of `pairs` random distinct item pairs. */
export function similarityHistogram(vectors: Float32Array, n: number, dim: number, random: () => number, pairs = 5000, bins = 40): Histogram {
  const values: number[] = [];
  if (n >= 2) {
    for (let p = 0; p < pairs; p++) {
      const i = Math.floor(random() * n);
      let j = Math.floor(random() * (n - 1));
      if (j >= i) j++;
      let s = 0;
      for (let d = 0; d < dim; d++) s += vectors[i * dim + d]! * vectors[j * dim + d]!;
      values.push(s);
    }
  }
  return histogram(values, bins, -1, 1);
}
