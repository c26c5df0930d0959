// Vector rows recognized by their float bits: a fast 32-bit hash of rows (MurmurHash3's mixing),
// and which rows of one run's vectors are, bit for bit, rows of the previous run's. What a warm
// session uses to keep per-row results (a query's score against a chunk) for the rows an edit did
// not touch, and what the space section samples and splits pairs by.

/** One round of MurmurHash3's 32-bit body. */
function mix(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's finalizer: every input bit reaches every output bit. Unsigned. */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The float bits of `vectors` as 32-bit words (no copy). */
export function wordsOf(vectors: Float32Array): Uint32Array {
  return new Uint32Array(vectors.buffer, vectors.byteOffset, vectors.length);
}

/** `h` with row `row` (dim words) of `words` mixed in; finish with `fmix`. */
export function mixRow(h: number, words: Uint32Array, row: number, dim: number): number {
  for (let c = row * dim, end = c + dim; c < end; c++) h = mix(h, words[c]!);
  return h;
}

/**
 * For each row of `next` (n x dim), a row of `previous` with the very same float bits, or -1.
 * Rows are matched by hash and then compared word for word, so a match is never a collision.
 */
export function matchRows(next: Float32Array, previous: Float32Array, dim: number): Int32Array {
  const n = dim === 0 ? 0 : next.length / dim;
  const out = new Int32Array(n).fill(-1);
  if (dim === 0) return out;
  const prevWords = wordsOf(previous);
  const nextWords = wordsOf(next);
  const byHash = new Map<number, number>();
  for (let r = previous.length / dim - 1; r >= 0; r--) byHash.set(fmix(mixRow(0, prevWords, r, dim)), r);
  for (let r = 0; r < n; r++) {
    const candidate = byHash.get(fmix(mixRow(0, nextWords, r, dim)));
    if (candidate === undefined) continue;
    let same = true;
    for (let c = 0; c < dim && same; c++) same = nextWords[r * dim + c] === prevWords[candidate * dim + c];
    if (same) out[r] = candidate;
  }
  return out;
}

/** Rows of `vectors` copied into one contiguous block. */
export function gatherRows(vectors: Float32Array, dim: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * dim);
  for (let r = 0; r < rows.length; r++) out.set(vectors.subarray(rows[r]! * dim, (rows[r]! + 1) * dim), r * dim);
  return out;
}
