// The exact top-k kernel: dot products of query rows against corpus rows with 4x4 register
// blocking, feeding a per-row top-k selection. Runs inline and inside knn-worker threads.

export interface KernelInput {
  /** Corpus rows, n x dim, unit length. */
  corpus: Float32Array;
  n: number;
  dim: number;
  /** Query rows, m x dim; the corpus itself when searching all pairs. */
  queries: Float32Array;
  k: number;
  /** Skip the corpus row with the same index as the query (all-pairs search). */
  excludeSelf: boolean;
  /** Query rows [rowStart, rowEnd) are computed; results go to the same rows of the outputs. */
  rowStart: number;
  rowEnd: number;
  /** m*k outputs, -1 / -Infinity where fewer than k candidates exist. */
  indices: Int32Array;
  scores: Float32Array;
  /** Called after each block of query rows with the number of rows finished so far. */
  onRows?: (rowsDone: number) => void;
}

/** Query rows per block and corpus rows per tile: a tile (128 x 384 floats) stays in L2 while
 * every 4-row group of the block passes over it. */
const QUERY_BLOCK = 64;
const CORPUS_TILE = 128;

export function topKKernel(input: KernelInput): void {
  const { corpus, n, dim, queries, k, excludeSelf, rowStart, rowEnd, indices, scores } = input;
  for (let r = rowStart * k; r < rowEnd * k; r++) { indices[r] = -1; scores[r] = -Infinity; }
  if (k === 0) return;
  for (let b0 = rowStart; b0 < rowEnd; b0 += QUERY_BLOCK) {
    const b1 = Math.min(rowEnd, b0 + QUERY_BLOCK);
    for (let t0 = 0; t0 < n; t0 += CORPUS_TILE) {
      const t1 = Math.min(n, t0 + CORPUS_TILE);
      let q0 = b0;
      for (; q0 + 4 <= b1; q0 += 4) fourRows(input, q0, t0, t1);
      for (; q0 < b1; q0++) oneRow(corpus, t0, t1, dim, queries, q0, k, excludeSelf, indices, scores);
    }
    input.onRows?.(b1 - rowStart);
  }
}

/** Inserts (j, s) into row q's descending list if it beats the current k-th score. */
function offer(indices: Int32Array, scores: Float32Array, k: number, q: number, j: number, s: number): void {
  const base = q * k;
  if (!(s > scores[base + k - 1]!)) return;
  let p = k - 1;
  while (p > 0 && scores[base + p - 1]! < s) {
    scores[base + p] = scores[base + p - 1]!;
    indices[base + p] = indices[base + p - 1]!;
    p--;
  }
  scores[base + p] = s;
  indices[base + p] = j;
}

function oneRow(
  corpus: Float32Array, from: number, to: number, dim: number, queries: Float32Array, q: number, k: number,
  excludeSelf: boolean, indices: Int32Array, scores: Float32Array,
): void {
  const qo = q * dim;
  for (let j = from; j < to; j++) {
    if (excludeSelf && j === q) continue;
    const co = j * dim;
    let s = 0;
    for (let d = 0; d < dim; d++) s += queries[qo + d]! * corpus[co + d]!;
    offer(indices, scores, k, q, j, s);
  }
}

/**
 * Four query rows against the corpus, four corpus rows at a time: sixteen running sums in
 * registers, so each loaded value is used four times (the plain loop uses it once).
 */
function fourRows(input: KernelInput, q0: number, from: number, to: number): void {
  const { corpus, dim, queries, k, excludeSelf, indices, scores } = input;
  const a0 = q0 * dim, a1 = a0 + dim, a2 = a1 + dim, a3 = a2 + dim;
  const put = (q: number, j: number, s: number): void => {
    if (!(excludeSelf && j === q)) offer(indices, scores, k, q, j, Math.fround(s));
  };
  const to4 = from + (to - from) - ((to - from) % 4);
  for (let j = from; j < to4; j += 4) {
    const b0 = j * dim, b1 = b0 + dim, b2 = b1 + dim, b3 = b2 + dim;
    let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
    let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
    for (let d = 0; d < dim; d++) {
      const x0 = queries[a0 + d]!, x1 = queries[a1 + d]!, x2 = queries[a2 + d]!, x3 = queries[a3 + d]!;
      const y0 = corpus[b0 + d]!, y1 = corpus[b1 + d]!, y2 = corpus[b2 + d]!, y3 = corpus[b3 + d]!;
      s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
      s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
      s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
      s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
    }
    put(q0 + 0, j + 0, s00); put(q0 + 0, j + 1, s01); put(q0 + 0, j + 2, s02); put(q0 + 0, j + 3, s03);
    put(q0 + 1, j + 0, s10); put(q0 + 1, j + 1, s11); put(q0 + 1, j + 2, s12); put(q0 + 1, j + 3, s13);
    put(q0 + 2, j + 0, s20); put(q0 + 2, j + 1, s21); put(q0 + 2, j + 2, s22); put(q0 + 2, j + 3, s23);
    put(q0 + 3, j + 0, s30); put(q0 + 3, j + 1, s31); put(q0 + 3, j + 2, s32); put(q0 + 3, j + 3, s33);
  }
  for (let j = to4; j < to; j++) {
    const b = j * dim;
    for (let r = 0; r < 4; r++) {
      const q = q0 + r;
      if (excludeSelf && j === q) continue;
      const a = q * dim;
      let s = 0;
      for (let d = 0; d < dim; d++) s += queries[a + d]! * corpus[b + d]!;
      offer(indices, scores, k, q, j, Math.fround(s));
    }
  }
}

/** The reference: one dot product at a time, full sort per row. Used by tests and the benchmark. */
export function naiveTopK(
  corpus: Float32Array, n: number, dim: number, queries: Float32Array, rows: number[], k: number, excludeSelf: boolean,
): Array<Array<{ index: number; score: number }>> {
  return rows.map((q) => {
    const all: Array<{ index: number; score: number }> = [];
    for (let j = 0; j < n; j++) {
      if (excludeSelf && j === q) continue;
      let s = 0;
      for (let d = 0; d < dim; d++) s += queries[q * dim + d]! * corpus[j * dim + d]!;
      all.push({ index: j, score: s });
    }
    all.sort((x, y) => y.score - x.score || x.index - y.index);
    return all.slice(0, k);
  });
}
