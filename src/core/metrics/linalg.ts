// The little dense linear algebra the space metrics need: X^T Y products, centering, and a
// one-sided Jacobi SVD (exact enough and simple for the d <= 1024 matrices met here).

/** Row-major n x d matrix in Float64 (sums of many products lose too much in Float32). */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function matrix(rows: number, cols: number, data?: ArrayLike<number>): Matrix {
  const m = { rows, cols, data: new Float64Array(rows * cols) };
  if (data) for (let i = 0; i < rows * cols; i++) m.data[i] = data[i]!;
  return m;
}

/** Chosen rows of an n x dim Float32 block, as a Float64 matrix. */
export function selectRows(vectors: Float32Array, dim: number, rows: ArrayLike<number>): Matrix {
  const out = matrix(rows.length, dim);
  for (let r = 0; r < rows.length; r++) {
    const base = rows[r]! * dim;
    for (let d = 0; d < dim; d++) out.data[r * dim + d] = vectors[base + d]!;
  }
  return out;
}

/** Subtracts each column's mean (in place) and returns the means. */
export function centerColumns(x: Matrix): Float64Array {
  const means = new Float64Array(x.cols);
  for (let r = 0; r < x.rows; r++) for (let c = 0; c < x.cols; c++) means[c]! += x.data[r * x.cols + c]!;
  for (let c = 0; c < x.cols; c++) means[c]! /= Math.max(1, x.rows);
  for (let r = 0; r < x.rows; r++) for (let c = 0; c < x.cols; c++) x.data[r * x.cols + c]! -= means[c]!;
  return means;
}

/** Rows handled between two looks at the clock in the yielding products (a multiple of 4: the kernels' row blocks). */
const ROWS_PER_PAUSE = 8;

/**
 * X^T Y for X (n x p) and Y (n x q): p x q. Four rows of X and Y per pass over the output: the
 * p x q output (1.2 MB at 384 x 384) is read and written a quarter as often, twice as fast here.
 */
export function transposeTimes(x: Matrix, y: Matrix): Matrix {
  const out = matrix(x.cols, y.cols);
  addTransposeTimes(out.data, x, y, 0, x.rows);
  return out;
}

/** transposeTimes that awaits `pause` between row blocks (same sums in the same order: same result). */
export async function transposeTimesYielding(x: Matrix, y: Matrix, pause: () => Promise<void>): Promise<Matrix> {
  const out = matrix(x.cols, y.cols);
  for (let r = 0; r < x.rows; r += ROWS_PER_PAUSE) {
    addTransposeTimes(out.data, x, y, r, Math.min(x.rows, r + ROWS_PER_PAUSE));
    await pause();
  }
  return out;
}

/** Adds rows [from, to) of X^T Y into `o`; `from` is a multiple of 4 and only the last range has a tail. */
function addTransposeTimes(o: Float64Array, x: Matrix, y: Matrix, from: number, to: number): void {
  const xd = x.data, yd = y.data, p = x.cols, q = y.cols;
  const n4 = to - ((to - from) % 4);
  for (let r = from; r < n4; r += 4) {
    const x0 = r * p, x1 = x0 + p, x2 = x1 + p, x3 = x2 + p;
    const y0 = r * q, y1 = y0 + q, y2 = y1 + q, y3 = y2 + q;
    for (let i = 0; i < p; i++) {
      const a0 = xd[x0 + i]!, a1 = xd[x1 + i]!, a2 = xd[x2 + i]!, a3 = xd[x3 + i]!;
      if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;
      const oo = i * q;
      for (let j = 0; j < q; j++) o[oo + j]! += a0 * yd[y0 + j]! + a1 * yd[y1 + j]! + a2 * yd[y2 + j]! + a3 * yd[y3 + j]!;
    }
  }
  for (let r = n4; r < to; r++) {
    const xo = r * p, yo = r * q;
    for (let i = 0; i < p; i++) {
      const a = xd[xo + i]!;
      if (a === 0) continue;
      const oo = i * q;
      for (let j = 0; j < q; j++) o[oo + j]! += a * yd[yo + j]!;
    }
  }
}

/** X^T X (p x p): symmetric, so only the upper triangle is computed (half the work) and mirrored. */
export function transposeTimesSelf(x: Matrix): Matrix {
  const out = matrix(x.cols, x.cols);
  addTransposeTimesSelf(out.data, x, 0, x.rows);
  mirrorUpper(out);
  return out;
}

/** transposeTimesSelf that awaits `pause` between row blocks (same result). */
export async function transposeTimesSelfYielding(x: Matrix, pause: () => Promise<void>): Promise<Matrix> {
  const out = matrix(x.cols, x.cols);
  for (let r = 0; r < x.rows; r += ROWS_PER_PAUSE) {
    addTransposeTimesSelf(out.data, x, r, Math.min(x.rows, r + ROWS_PER_PAUSE));
    await pause();
  }
  mirrorUpper(out);
  return out;
}

function addTransposeTimesSelf(o: Float64Array, x: Matrix, from: number, to: number): void {
  const p = x.cols;
  const xd = x.data;
  const n4 = to - ((to - from) % 4);
  for (let r = from; r < n4; r += 4) {
    const x0 = r * p, x1 = x0 + p, x2 = x1 + p, x3 = x2 + p;
    for (let i = 0; i < p; i++) {
      const a0 = xd[x0 + i]!, a1 = xd[x1 + i]!, a2 = xd[x2 + i]!, a3 = xd[x3 + i]!;
      if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;
      const oo = i * p;
      for (let j = i; j < p; j++) o[oo + j]! += a0 * xd[x0 + j]! + a1 * xd[x1 + j]! + a2 * xd[x2 + j]! + a3 * xd[x3 + j]!;
    }
  }
  for (let r = n4; r < to; r++) {
    const xo = r * p;
    for (let i = 0; i < p; i++) {
      const a = xd[xo + i]!;
      if (a === 0) continue;
      const oo = i * p;
      for (let j = i; j < p; j++) o[oo + j]! += a * xd[xo + j]!;
    }
  }
}

/** Copies the upper triangle of a square matrix onto the lower one. */
export function mirrorUpper(m: Matrix): void {
  const p = m.cols, o = m.data;
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) o[i * p + j] = o[j * p + i]!;
}

/**
 * X (n x p) times W (p x q); awaits `pause` after every four rows (and the rest) when given. Four rows of X per pass
 * over W (1.2 MB at 384 x 384, read a quarter as often); each output still sums its p products in
 * column order, as a row-at-a-time loop would.
 */
export async function times(x: Matrix, w: Matrix, pause?: () => Promise<void>): Promise<Matrix> {
  const out = matrix(x.rows, w.cols);
  const p = x.cols, q = w.cols, xd = x.data, wd = w.data, od = out.data;
  const n4 = x.rows - (x.rows % 4);
  for (let r = 0; r < n4; r += 4) {
    const x0 = r * p, x1 = x0 + p, x2 = x1 + p, x3 = x2 + p;
    const o0 = r * q, o1 = o0 + q, o2 = o1 + q, o3 = o2 + q;
    for (let i = 0; i < p; i++) {
      const a0 = xd[x0 + i]!, a1 = xd[x1 + i]!, a2 = xd[x2 + i]!, a3 = xd[x3 + i]!;
      const wo = i * q;
      for (let j = 0; j < q; j++) {
        const v = wd[wo + j]!;
        od[o0 + j]! += a0 * v; od[o1 + j]! += a1 * v; od[o2 + j]! += a2 * v; od[o3 + j]! += a3 * v;
      }
    }
    if (pause) await pause();
  }
  for (let r = n4; r < x.rows; r++) {
    for (let i = 0; i < p; i++) {
      const a = xd[r * p + i]!;
      const wo = i * q, oo = r * q;
      for (let j = 0; j < q; j++) od[oo + j]! += a * wd[wo + j]!;
    }
  }
  if (pause && n4 < x.rows) await pause();
  return out;
}

export function frobeniusSquared(m: Matrix): number {
  let s = 0;
  for (const v of m.data) s += v * v;
  return s;
}

/**
 * Thin SVD A = U S V^T of a p x q matrix by one-sided Jacobi (Hestenes) rotations on the columns
 * of A (or of A^T when p < q). U is p x r, V is q x r, r = min(p, q), singular values descending.
 */
export function svd(a: Matrix, maxSweeps = 30, onSweep?: () => void): { u: Matrix; s: Float64Array; v: Matrix } {
  if (a.rows < a.cols) {
    const t = svd(transpose(a), maxSweeps, onSweep);
    return { u: t.v, s: t.s, v: t.u };
  }
  const p = a.rows;
  const q = a.cols;
  // Work on columns: store A^T so each column is contiguous.
  const cols = transpose(a).data; // q x p
  const v = new Float64Array(q * q);
  for (let i = 0; i < q; i++) v[i * q + i] = 1;
  const eps = 1e-15;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let rotated = false;
    for (let i = 0; i < q - 1; i++) {
      for (let j = i + 1; j < q; j++) {
        let alpha = 0, beta = 0, gamma = 0;
        const io = i * p, jo = j * p;
        for (let r = 0; r < p; r++) {
          const x = cols[io + r]!, y = cols[jo + r]!;
          alpha += x * x; beta += y * y; gamma += x * y;
        }
        if (Math.abs(gamma) <= eps * Math.sqrt(alpha * beta) || gamma === 0) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let r = 0; r < p; r++) {
          const x = cols[io + r]!, y = cols[jo + r]!;
          cols[io + r] = c * x - s * y;
          cols[jo + r] = s * x + c * y;
        }
        const vi = i * q, vj = j * q;
        for (let r = 0; r < q; r++) {
          const x = v[vi + r]!, y = v[vj + r]!;
          v[vi + r] = c * x - s * y;
          v[vj + r] = s * x + c * y;
        }
      }
    }
    onSweep?.();
    if (!rotated) break;
  }
  // Column i of the rotated A is s_i u_i; row i of `v` (as stored) is column i of V.
  const sv = Array.from({ length: q }, (_, i) => {
    let n = 0;
    for (let r = 0; r < p; r++) n += cols[i * p + r]! ** 2;
    return { i, s: Math.sqrt(n) };
  }).sort((x, y) => y.s - x.s);
  const u = matrix(p, q);
  const vm = matrix(q, q);
  const s = new Float64Array(q);
  sv.forEach(({ i, s: value }, c) => {
    s[c] = value;
    for (let r = 0; r < p; r++) u.data[r * q + c] = value > 0 ? cols[i * p + r]! / value : 0;
    for (let r = 0; r < q; r++) vm.data[r * q + c] = v[i * q + r]!;
  });
  return { u, s, v: vm };
}

export function transpose(a: Matrix): Matrix {
  const out = matrix(a.cols, a.rows);
  for (let r = 0; r < a.rows; r++) for (let c = 0; c < a.cols; c++) out.data[c * a.rows + r] = a.data[r * a.cols + c]!;
  return out;
}
