// Small statistics shared by every metric: a seeded random source, means, quantiles, histograms,
// bootstrap confidence intervals and display rounding. Pure functions of arrays.

/** Deterministic PRNG (mulberry32): the same seed gives the same samples, splits and projections. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draw (Box-Muller) from a uniform source. */
export function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-300);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** n x dim rows of uniformly random directions (Gaussian, normalized): test and benchmark data. */
export function randomUnitVectors(n: number, dim: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const v = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let d = 0; d < dim; d++) { const x = gaussian(random); v[i * dim + d] = x; norm += x * x; }
    norm = Math.sqrt(norm);
    for (let d = 0; d < dim; d++) v[i * dim + d]! /= norm;
  }
  return v;
}

/** A uniform sample of `size` distinct indices out of 0..total-1, in increasing order. */
export function sampleIndices(total: number, size: number, random: () => number): number[] {
  if (size >= total) return Array.from({ length: total }, (_, i) => i);
  const pool = Array.from({ length: total }, (_, i) => i);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (total - i));
    const t = pool[i]!; pool[i] = pool[j]!; pool[j] = t;
  }
  return pool.slice(0, size).sort((x, y) => x - y);
}

export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s / values.length;
}

/** Linear-interpolated quantile (q in [0, 1]) of unsorted values; 0 for an empty list. */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}

/** Percentile (0-100) of `value` within `values`: share strictly below plus half of the ties. */
export function percentileOf(value: number, values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  let below = 0;
  let equal = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < value) below++;
    else if (v === value) equal++;
  }
  return (100 * (below + equal / 2)) / values.length;
}

export interface Histogram {
  edges: number[];
  counts: number[];
}

/** Equal-width histogram over [lo, hi]; values outside are clamped into the end bins. */
export function histogram(values: ArrayLike<number>, bins: number, lo: number, hi: number): Histogram {
  const counts = new Array<number>(bins).fill(0);
  const width = (hi - lo) / bins;
  for (let i = 0; i < values.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor((values[i]! - lo) / width)));
    counts[b]!++;
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => round(lo + i * width, 6));
  return { edges, counts };
}

/**
 * Percentile bootstrap confidence interval of `statistic` over resamples of `values`.
 * Used when per-item metrics are computed on a sample of a large corpus.
 */
export function bootstrapCi(
  values: ArrayLike<number>,
  statistic: (sample: Float64Array) => number,
  random: () => number,
  confidence = 0.95,
  resamples = 1000,
): [number, number] {
  const n = values.length;
  if (n === 0) return [0, 0];
  const stats = new Float64Array(resamples);
  const sample = new Float64Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) sample[i] = values[Math.floor(random() * n)]!;
    stats[r] = statistic(sample);
  }
  const alpha = (1 - confidence) / 2;
  return [quantile(stats, alpha), quantile(stats, 1 - alpha)];
}

/** Rounds to `digits` significant digits for display-only numbers, keeping reports compact. */
export function round(value: number, digits = 4): number {
  if (!Number.isFinite(value) || value === 0) return Number.isFinite(value) ? value : 0;
  return Number(value.toPrecision(digits));
}
