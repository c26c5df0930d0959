// Small statistics shared by every metric: means, quantiles, histograms, bootstrap confidence
// intervals and display rounding. Pure functions of arrays (seeded draws are in core/random.ts).

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
