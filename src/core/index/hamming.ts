// Binary vectors searched the way a binary index ranks them: by Hamming distance between sign bits,
// packed 32 to a word. Distances are integers, so ties are common; they are broken one stated way:
// the lower item index first (the order `topIndices` and the anchors use too).
import { yielder } from '../yielding';
import type { NeighborLists } from './types';

/** 32-bit words per packed row of `dim` sign bits. */
export function wordsPerRow(dim: number): number {
  return Math.ceil(dim / 32);
}

/** Bits set in a 32-bit word (SWAR popcount). */
export function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  v = (v + (v >>> 4)) & 0x0f0f0f0f;
  return Math.imul(v, 0x01010101) >>> 24;
}

/** Hamming distance between row `i` of `a` and row `j` of `b` (both packed, `words` per row). */
export function hammingDistance(a: Uint32Array, i: number, b: Uint32Array, j: number, words: number): number {
  let d = 0;
  const x = i * words, y = j * words;
  for (let w = 0; w < words; w++) d += popcount((a[x + w]! ^ b[y + w]!) >>> 0);
  return d;
}

/** The score a binary index's ranking implies, on the cosine scale: the cosine of the +-1 vectors, 1 - 2h/dim. */
export function hammingScore(distance: number, dim: number): number {
  return dim === 0 ? 0 : 1 - (2 * distance) / dim;
}

/** Distances from query row `r` to every corpus row, into `out` (the hot loop: popcount inlined). */
function rowDistances(queries: Uint32Array, r: number, bits: Uint32Array, n: number, words: number, out: Int32Array): void {
  const q = queries.subarray(r * words, (r + 1) * words);
  for (let j = 0, base = 0; j < n; j++, base += words) {
    let d = 0;
    for (let w = 0; w < words; w++) {
      let v = (q[w]! ^ bits[base + w]!) >>> 0;
      v = v - ((v >>> 1) & 0x55555555);
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      d += Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
    }
    out[j] = d;
  }
}

export interface HammingOptions {
  /** Query rows, packed (m rows); default: the corpus itself (all pairs). */
  queries?: Uint32Array;
  /** The item each query row is (left out of its own list); default: row r is item r when searching all pairs. */
  self?: ArrayLike<number>;
  signal?: AbortSignal | undefined;
}

/**
 * The k rows of `bits` nearest each query row by Hamming distance, nearest first; equal distances
 * in increasing item index. Scores are `hammingScore` (so lists read like cosine lists).
 */
export async function hammingTopK(bits: Uint32Array, n: number, dim: number, k: number, options: HammingOptions = {}): Promise<NeighborLists> {
  const words = wordsPerRow(dim);
  const queries = options.queries ?? bits;
  const m = words === 0 ? 0 : queries.length / words;
  const selfOf = (r: number): number => (options.self ? options.self[r]! : options.queries ? -1 : r);
  const kk = Math.max(0, k);
  const indices = new Int32Array(m * kk).fill(-1);
  const scores = new Float32Array(m * kk).fill(-Infinity);
  const distance = new Int32Array(n);
  const count = new Int32Array(dim + 2);
  const pause = yielder(options.signal);
  for (let r = 0; r < m; r++) {
    await pause();
    const own = selfOf(r);
    count.fill(0);
    rowDistances(queries, r, bits, n, words, distance);
    for (let j = 0; j < n; j++) if (j !== own) count[distance[j]!]!++;
    // Counting sort by distance: the distance at which the k-th neighbor falls, and how many of
    // that distance fit in the list (the lower indices among them).
    const available = n - (own >= 0 && own < n ? 1 : 0);
    const take = Math.min(kk, available);
    let limit = 0, before = 0;
    while (limit <= dim && before + count[limit]! < take) { before += count[limit]!; limit++; }
    let atLimit = take - before;
    // Slot where each distance's run starts in the output row.
    const start = new Int32Array(limit + 1);
    for (let d = 1; d <= limit; d++) start[d] = start[d - 1]! + count[d - 1]!;
    for (let j = 0; j < n && take > 0; j++) {
      if (j === own) continue;
      const d = distance[j]!;
      if (d > limit) continue;
      if (d === limit) { if (atLimit === 0) continue; atLimit--; }
      const slot = r * kk + start[d]!++;
      indices[slot] = j;
      scores[slot] = hammingScore(d, dim);
    }
  }
  return { n: m, k: kk, indices, scores };
}
