// Seeded random draws: the same seed gives the same samples, splits and projections in every
// stage (search samples, metrics, maps), so a report is a function of its inputs and its seed.

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
