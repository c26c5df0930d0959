// 2D maps of A and B for the webview: PCA of each side (UMAP when the corpus is small enough),
// with B's map rotated, reflected and scaled onto A's (2D Procrustes over paired chunks) so the
// same chunk sits in about the same place.
import { UMAP } from 'umap-js';
import type { MapProjection } from '../report/types';
import { yielder } from '../yielding';
import { seededRandom } from '../random';
import { round } from './stats';

/** Projection of n x dim vectors on their top two principal components (power iteration); may pause between iterations. */
export async function pca2(vectors: Float32Array, n: number, dim: number, random: () => number, pause?: () => Promise<void>): Promise<{ x: Float64Array; y: Float64Array }> {
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) mean[d]! += vectors[i * dim + d]! / n;
  const components: Float64Array[] = [];
  for (let c = 0; c < 2; c++) {
    let v: Float64Array = Float64Array.from({ length: dim }, () => random() - 0.5);
    for (let it = 0; it < 100; it++) {
      if (pause) await pause();
      const next = covTimes(vectors, n, dim, mean, v);
      for (const prev of components) { const p = dot(next, prev); for (let d = 0; d < dim; d++) next[d]! -= p * prev[d]!; }
      const norm = Math.sqrt(dot(next, next));
      if (norm === 0) break;
      for (let d = 0; d < dim; d++) next[d]! /= norm;
      const delta = 1 - Math.abs(dot(next, v));
      v = next;
      if (delta < 1e-10) break;
    }
    components.push(v);
  }
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let px = 0, py = 0;
    for (let d = 0; d < dim; d++) {
      const value = vectors[i * dim + d]! - mean[d]!;
      px += value * components[0]![d]!;
      py += value * (components[1]?.[d] ?? 0);
    }
    x[i] = px;
    y[i] = py;
  }
  return { x, y };
}

function covTimes(vectors: Float32Array, n: number, dim: number, mean: Float64Array, v: Float64Array): Float64Array {
  const out = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    let p = 0;
    for (let d = 0; d < dim; d++) p += (vectors[i * dim + d]! - mean[d]!) * v[d]!;
    for (let d = 0; d < dim; d++) out[d]! += p * (vectors[i * dim + d]! - mean[d]!);
  }
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Moves B's 2D points onto A's: the rotation/reflection and scale that best map the paired B
 * points onto their A points after centering both (closed form in 2D).
 */
export function alignMap(a: { x: Float64Array; y: Float64Array }, b: { x: Float64Array; y: Float64Array }, pairs: ReadonlyArray<readonly [number, number]>): { x: Float64Array; y: Float64Array } {
  if (pairs.length < 2) return b;
  let ax = 0, ay = 0, bx = 0, by = 0;
  for (const [i, j] of pairs) { ax += a.x[i]!; ay += a.y[i]!; bx += b.x[j]!; by += b.y[j]!; }
  const m = pairs.length;
  ax /= m; ay /= m; bx /= m; by /= m;
  // Cross-covariance of centered B (rows) against A (cols).
  let sxx = 0, sxy = 0, syx = 0, syy = 0, normB = 0;
  for (const [i, j] of pairs) {
    const px = b.x[j]! - bx, py = b.y[j]! - by, qx = a.x[i]! - ax, qy = a.y[i]! - ay;
    sxx += px * qx; sxy += px * qy; syx += py * qx; syy += py * qy; normB += px * px + py * py;
  }
  // Best proper rotation and best reflection; keep whichever fits better.
  const rot = Math.atan2(sxy - syx, sxx + syy);
  const fitRot = Math.hypot(sxx + syy, sxy - syx);
  const ref = Math.atan2(sxy + syx, sxx - syy);
  const fitRef = Math.hypot(sxx - syy, sxy + syx);
  const reflect = fitRef > fitRot;
  const theta = reflect ? ref : rot;
  const scale = normB === 0 ? 1 : Math.max(fitRot, fitRef) / normB;
  const c = Math.cos(theta), s = Math.sin(theta);
  const x = new Float64Array(b.x.length);
  const y = new Float64Array(b.y.length);
  for (let j = 0; j < b.x.length; j++) {
    const px = b.x[j]! - bx;
    const py = reflect ? -(b.y[j]! - by) : b.y[j]! - by;
    x[j] = ax + scale * (c * px - s * py);
    y[j] = ay + scale * (s * px + c * py);
  }
  return { x, y };
}

/** UMAP runs in seconds up to about this many points per side; above it the maps are PCA. */
export const UMAP_LIMIT = 1000;

/** UMAP of one side, stepped epoch by epoch so the host's event loop keeps running and aborts land. */
async function umap2(vectors: Float32Array, n: number, dim: number, seed: number, signal?: AbortSignal): Promise<{ x: Float64Array; y: Float64Array }> {
  const rows = Array.from({ length: n }, (_, i) => Array.from(vectors.subarray(i * dim, (i + 1) * dim)));
  const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(15, n - 1), minDist: 0.1, nEpochs: 200, random: seededRandom(seed) });
  const epochs = umap.initializeFit(rows);
  const pause = yielder(signal);
  for (let e = 0; e < epochs; e++) {
    umap.step();
    await pause();
  }
  const points = umap.getEmbedding();
  return { x: Float64Array.from(points, (p) => p[0]!), y: Float64Array.from(points, (p) => p[1]!) };
}

/** UMAP maps when both sides have between 20 and UMAP_LIMIT chunks, PCA otherwise. */
export function mapMethod(nA: number, nB: number): MapProjection['method'] {
  const small = (n: number): boolean => n >= 20 && n <= UMAP_LIMIT;
  return small(nA) && small(nB) ? 'umap' : 'pca';
}

/** One side's 2D points before alignment: a function of its vectors, the method and the seed alone (a warm session keeps it per side). */
export async function projectSide(vectors: Float32Array, n: number, dim: number, method: MapProjection['method'], seed: number, signal?: AbortSignal): Promise<{ x: Float64Array; y: Float64Array }> {
  // Up to 200 passes over each side (20,000 x 384: seconds) for PCA: the host's event loop keeps running.
  return method === 'umap' ? umap2(vectors, n, dim, seed, signal) : pca2(vectors, n, dim, seededRandom(seed), yielder(signal));
}

/** The maps as the report holds them: B's points moved onto A's over the paired chunks. */
export function alignedMaps(method: MapProjection['method'], a: { x: Float64Array; y: Float64Array }, b: { x: Float64Array; y: Float64Array }, pairs: ReadonlyArray<readonly [number, number]>): MapProjection {
  return { method, a: rounded(a), b: rounded(alignMap(a, b, pairs)) };
}

export async function projectMaps(
  vectorsA: Float32Array, nA: number, dimA: number, vectorsB: Float32Array, nB: number, dimB: number,
  pairs: ReadonlyArray<readonly [number, number]>, seed: number, signal?: AbortSignal,
): Promise<MapProjection> {
  const method = mapMethod(nA, nB);
  // One seed per side, so identical inputs give identical maps.
  const a = await projectSide(vectorsA, nA, dimA, method, seed, signal);
  return alignedMaps(method, a, await projectSide(vectorsB, nB, dimB, method, seed, signal), pairs);
}

function rounded(p: { x: Float64Array; y: Float64Array }): { x: number[]; y: number[] } {
  return { x: Array.from(p.x, (v) => round(v)), y: Array.from(p.y, (v) => round(v)) };
}

export async function pcaMaps(
  vectorsA: Float32Array, nA: number, dimA: number, vectorsB: Float32Array, nB: number, dimB: number,
  pairs: ReadonlyArray<readonly [number, number]>, seed: number, signal?: AbortSignal,
): Promise<MapProjection> {
  const a = await projectSide(vectorsA, nA, dimA, 'pca', seed, signal);
  return alignedMaps('pca', a, await projectSide(vectorsB, nB, dimB, 'pca', seed, signal), pairs);
}
