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
 * Rank-biased overlap (Webber, Moffat and Zobel 2010), the extrapolated point estimate RBO_EXT of
 * their eq. 32, which also covers lists of unequal length: with S the shorter list (length s) and
 * L the longer (length l), X_d the items the two lists share down to depth d (past s, all of S
 * against L's first d), and p the persistence,
 *
 *   RBO_EXT = (1-p)/p * ( sum_{d=1..l} X_d/d p^d + sum_{d=s+1..l} X_s (d-s)/(s d) p^d )
 *             + ( (X_l - X_s)/l + X_s/s ) p^l
 *
 * It assumes the agreement seen so far continues, so identical lists score exactly 1 and disjoint
 * lists 0. Lists hold distinct items (one chunk once). p = 0.9 weighs the top 10 ranks about 86%.
 * Two empty lists agree (1); an empty list against a non-empty one does not (0).
 */
export function rankBiasedOverlap(a: ArrayLike<number>, b: ArrayLike<number>, p = 0.9): number {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  const s = short.length;
  const l = long.length;
  if (s === 0) return l === 0 ? 1 : 0;
  const seenShort = new Set<number>();
  const seenLong = new Set<number>();
  let x = 0;
  let xs = 0;
  let sum = 0;
  let weight = 1;
  for (let d = 1; d <= l; d++) {
    const y = long[d - 1]!;
    if (d <= s) {
      const z = short[d - 1]!;
      if (z === y) x++;
      else {
        if (seenLong.has(z)) x++;
        if (seenShort.has(y)) x++;
      }
      seenShort.add(z);
    } else if (seenShort.has(y)) {
      x++;
    }
    seenLong.add(y);
    weight *= p;
    sum += (x / d) * weight;
    if (d === s) xs = x;
    // Past the end of the short list, its overlap X_s is extrapolated at the rate it had at s.
    else if (d > s) sum += ((xs * (d - s)) / (s * d)) * weight;
  }
  return ((1 - p) / p) * sum + ((x - xs) / l + xs / s) * weight;
}
