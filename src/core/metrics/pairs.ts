// Anchor pairs ({"a", "b"}: two texts whose similarity should hold) under one model: the pair's
// cosine, and that cosine as a percentile of the model's own cosines between each of the two texts
// and unrelated everyday questions (OOD_BACKGROUND). Two models' raw cosines are not on one scale
// (one model's unrelated texts sit at 0.1, another's at 0.6); the percentile is, so across sides
// a pair is compared by it.
import { percentileOf } from './stats';

export interface PairScores {
  cos: number[];
  percentile: number[];
}

/** `textsA`/`textsB`: the pairs' a and b texts (unit rows); `background`: the unrelated questions (unit rows). */
export function pairScores(textsA: Float32Array, textsB: Float32Array, background: Float32Array, dim: number): PairScores {
  const n = dim === 0 ? 0 : textsA.length / dim;
  const m = dim === 0 ? 0 : background.length / dim;
  const dot = (x: Float32Array, i: number, y: Float32Array, j: number): number => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += x[i * dim + d]! * y[j * dim + d]!;
    return s;
  };
  const cos: number[] = [];
  const percentile: number[] = [];
  for (let p = 0; p < n; p++) {
    const c = dot(textsA, p, textsB, p);
    const reference: number[] = [];
    for (let q = 0; q < m; q++) reference.push(dot(textsA, p, background, q), dot(textsB, p, background, q));
    cos.push(c);
    percentile.push(percentileOf(c, reference));
  }
  return { cos, percentile };
}
