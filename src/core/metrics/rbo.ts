// Agreement of two ranked lists: overlap@k, Jaccard@k and rank-biased overlap.

/** Items both lists hold, divided by k (the depth asked for, not the lengths found). */
export function overlapAtK(a: ArrayLike<number>, b: ArrayLike<number>, k: number): number {
  // A corpus with fewer than k other chunks gives shorter lists: divide by the depth the lists
  // could reach, so identical lists always overlap fully (1), even when they are short or empty.
  const depth = Math.min(k, Math.max(a.length, b.length));
  if (depth === 0) return 1;
  return intersectionSize(a, b) / depth;
}

export function jaccard(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const inter = intersectionSize(a, b);
  const union = new Set(Array.from(a)).size + new Set(Array.from(b)).size - inter;
  return union === 0 ? 1 : inter / union;
}

function intersectionSize(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const setB = new Set(Array.from(b));
  let inter = 0;
  for (const x of new Set(Array.from(a))) if (setB.has(x)) inter++;
  return inter;
}

/**
 * Rank-biased overlap (Webber, Moffat and Zobel 2010), the extrapolated form RBO_EXT (their eq. 32)
 * for two finite lists of the same depth k: it assumes the agreement seen at depth k continues, so
 * identical lists score exactly 1 and disjoint lists 0. Lists of unequal length are cut to the
 * shorter one. p = 0.9 weighs the top 10 ranks about 86%.
 */
export function rankBiasedOverlap(a: ArrayLike<number>, b: ArrayLike<number>, p = 0.9): number {
  const k = Math.min(a.length, b.length);
  if (k === 0) return a.length === b.length ? 1 : 0;
  const seenA = new Set<number>();
  const seenB = new Set<number>();
  let overlap = 0;
  let sum = 0;
  let weight = 1;
  for (let d = 1; d <= k; d++) {
    const x = a[d - 1]!;
    const y = b[d - 1]!;
    if (x === y) overlap++;
    else {
      if (seenB.has(x)) overlap++;
      if (seenA.has(y)) overlap++;
    }
    seenA.add(x);
    seenB.add(y);
    weight *= p;
    sum += (overlap / d) * weight;
  }
  return (overlap / k) * weight + ((1 - p) / p) * sum;
}
