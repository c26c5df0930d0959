// Same model on two corpus snapshots: has the distribution of vectors moved? Centroid distance,
// MMD with a permutation p-value, a cross-validated domain classifier's AUC, and the share of
// dimensions whose marginal distribution changed (KS test, Bonferroni-corrected).
import { throwIfAborted, type RunOptions } from '../types';
import type { SnapshotDrift } from '../report/types';
import { median, round } from './stats';

export function centroidDistance(x: Float32Array, nx: number, y: Float32Array, ny: number, dim: number): number {
  let s = 0;
  for (let d = 0; d < dim; d++) {
    let mx = 0, my = 0;
    for (let i = 0; i < nx; i++) mx += x[i * dim + d]!;
    for (let i = 0; i < ny; i++) my += y[i * dim + d]!;
    const diff = mx / Math.max(1, nx) - my / Math.max(1, ny);
    s += diff * diff;
  }
  return Math.sqrt(s);
}

/**
 * Unbiased MMD^2 with an RBF kernel whose bandwidth is the median pairwise distance (median
 * heuristic), and a permutation p-value: the share of label shuffles whose MMD^2 is at least the
 * observed one, with the usual +1 correction so p is never 0.
 */
export function mmdTest(
  x: Float32Array, nx: number, y: Float32Array, ny: number, dim: number, random: () => number, permutations = 200, options: RunOptions = {},
): { mmd: number; pValue: number } {
  const n = nx + ny;
  const row = (i: number): [Float32Array, number] => (i < nx ? [x, i * dim] : [y, (i - nx) * dim]);
  const dist2 = new Float64Array(n * n);
  const sampleDists: number[] = [];
  for (let i = 0; i < n; i++) {
    const [a, ao] = row(i);
    for (let j = i + 1; j < n; j++) {
      const [b, bo] = row(j);
      let s = 0;
      for (let d = 0; d < dim; d++) { const t = a[ao + d]! - b[bo + d]!; s += t * t; }
      dist2[i * n + j] = s;
      dist2[j * n + i] = s;
      sampleDists.push(Math.sqrt(s));
    }
  }
  const sigma = median(sampleDists) || 1;
  const kernel = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) kernel[i] = Math.exp(-dist2[i]! / (2 * sigma * sigma));
  const labels = Array.from({ length: n }, (_, i) => i < nx);
  const stat = (lab: boolean[]): number => mmdFromKernel(kernel, n, lab);
  const observed = stat(labels);
  let atLeast = 0;
  const perm = labels.slice();
  for (let p = 0; p < permutations; p++) {
    if (p % 20 === 0) throwIfAborted(options.signal);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = perm[i]!; perm[i] = perm[j]!; perm[j] = t;
    }
    if (stat(perm) >= observed) atLeast++;
  }
  return { mmd: observed, pValue: (atLeast + 1) / (permutations + 1) };
}

function mmdFromKernel(kernel: Float64Array, n: number, inX: readonly boolean[]): number {
  let kxx = 0, kyy = 0, kxy = 0, nx = 0;
  for (let i = 0; i < n; i++) if (inX[i]) nx++;
  const ny = n - nx;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const k = kernel[i * n + j]!;
      if (inX[i] && inX[j]) kxx += k;
      else if (!inX[i] && !inX[j]) kyy += k;
      else kxy += k;
    }
  }
  if (nx < 2 || ny < 2) return 0;
  return (2 * kxx) / (nx * (nx - 1)) + (2 * kyy) / (ny * (ny - 1)) - (2 * kxy) / (nx * ny);
}

/** Area under the ROC curve of scores for positives vs negatives (ties count half). */
export function auc(scores: readonly number[], positive: readonly boolean[]): number {
  const order = scores.map((s, i) => [s, i] as const).sort((p, q) => p[0] - q[0]);
  let rankSum = 0, pos = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && order[j]![0] === order[i]![0]) j++;
    const avgRank = (i + j + 1) / 2;
    for (let t = i; t < j; t++) if (positive[order[t]![1]]) { rankSum += avgRank; pos++; }
    i = j;
  }
  const neg = order.length - pos;
  if (pos === 0 || neg === 0) return 0.5;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * Cross-validated AUC of an L2-regularized logistic regression telling snapshot A's vectors from
 * B's: 0.5 = indistinguishable, 1 = perfectly separable. Plain gradient descent; unit vectors keep
 * the features on one scale.
 */
export function domainClassifierAuc(x: Float32Array, nx: number, y: Float32Array, ny: number, dim: number, random: () => number, folds = 5): number {
  const n = nx + ny;
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); const t = order[i]!; order[i] = order[j]!; order[j] = t; }
  const feature = (i: number, d: number): number => (i < nx ? x[i * dim + d]! : y[(i - nx) * dim + d]!);
  const scores = new Array<number>(n).fill(0);
  const labels = Array.from({ length: n }, (_, i) => i >= nx);
  for (let f = 0; f < folds; f++) {
    const test = order.filter((_, p) => p % folds === f);
    const train = order.filter((_, p) => p % folds !== f);
    const w = new Float64Array(dim);
    let bias = 0;
    const lr = 0.5, lambda = 1e-3, epochs = 60;
    for (let e = 0; e < epochs; e++) {
      const grad = new Float64Array(dim);
      let gb = 0;
      for (const i of train) {
        let z = bias;
        for (let d = 0; d < dim; d++) z += w[d]! * feature(i, d);
        const err = 1 / (1 + Math.exp(-z)) - (labels[i] ? 1 : 0);
        for (let d = 0; d < dim; d++) grad[d]! += err * feature(i, d);
        gb += err;
      }
      for (let d = 0; d < dim; d++) w[d]! -= lr * (grad[d]! / train.length + lambda * w[d]!) * Math.sqrt(dim);
      bias -= (lr * gb) / train.length;
    }
    for (const i of test) {
      let z = bias;
      for (let d = 0; d < dim; d++) z += w[d]! * feature(i, d);
      scores[i] = z;
    }
  }
  return auc(scores, labels);
}

/** Two-sample Kolmogorov-Smirnov statistic and its asymptotic p-value. */
export function ksTest(a: Float64Array, b: Float64Array): { d: number; pValue: number } {
  const sa = Float64Array.from(a).sort();
  const sb = Float64Array.from(b).sort();
  let i = 0, j = 0, d = 0;
  while (i < sa.length && j < sb.length) {
    const v = Math.min(sa[i]!, sb[j]!);
    while (i < sa.length && sa[i]! <= v) i++;
    while (j < sb.length && sb[j]! <= v) j++;
    d = Math.max(d, Math.abs(i / sa.length - j / sb.length));
  }
  const ne = (sa.length * sb.length) / (sa.length + sb.length);
  const lambda = (Math.sqrt(ne) + 0.12 + 0.11 / Math.sqrt(ne)) * d;
  return { d, pValue: kolmogorovQ(lambda) };
}

/** Q_KS(lambda) = 2 sum_{j>=1} (-1)^(j-1) exp(-2 j^2 lambda^2) (Numerical Recipes). */
function kolmogorovQ(lambda: number): number {
  if (lambda < 1e-3) return 1;
  let sum = 0;
  for (let j = 1; j <= 100; j++) {
    const term = (j % 2 === 1 ? 2 : -2) * Math.exp(-2 * j * j * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-12) break;
  }
  return Math.min(1, Math.max(0, sum));
}

/** Share of dimensions whose per-dimension KS test rejects at alpha / dim (Bonferroni). */
export function driftedDimensionShare(x: Float32Array, nx: number, y: Float32Array, ny: number, dim: number, alpha = 0.05): number {
  let drifted = 0;
  const a = new Float64Array(nx);
  const b = new Float64Array(ny);
  for (let d = 0; d < dim; d++) {
    for (let i = 0; i < nx; i++) a[i] = x[i * dim + d]!;
    for (let i = 0; i < ny; i++) b[i] = y[i * dim + d]!;
    if (ksTest(a, b).pValue < alpha / dim) drifted++;
  }
  return dim === 0 ? 0 : drifted / dim;
}

/** All snapshot measures; MMD and the classifier on up to `cap` vectors per side. */
export function snapshotDrift(
  x: Float32Array, nx: number, y: Float32Array, ny: number, dim: number, random: () => number, options: RunOptions & { cap?: number } = {},
): SnapshotDrift {
  const cap = options.cap ?? 400;
  const sub = (v: Float32Array, n: number): [Float32Array, number] => {
    if (n <= cap) return [v, n];
    const out = new Float32Array(cap * dim);
    for (let i = 0; i < cap; i++) { const r = Math.floor(random() * n); out.set(v.subarray(r * dim, (r + 1) * dim), i * dim); }
    return [out, cap];
  };
  const [sx, mx] = sub(x, nx);
  const [sy, my] = sub(y, ny);
  const { mmd, pValue } = mmdTest(sx, mx, sy, my, dim, random, 200, options);
  throwIfAborted(options.signal);
  return {
    centroidDistance: round(centroidDistance(x, nx, y, ny, dim)),
    mmd: round(mmd),
    mmdPValue: round(pValue),
    classifierAuc: round(domainClassifierAuc(sx, mx, sy, my, dim, random)),
    driftedDimensionShare: round(driftedDimensionShare(x, nx, y, ny, dim)),
  };
}

