// Symmetric eigendecomposition (Householder tridiagonalization + implicit QL, the EISPACK
// tred2/tql2 pair as in JAMA) and, on top of it, the orthogonal polar factor Procrustes needs:
// about 10 n^3 flops where the one-sided Jacobi SVD spends a dozen sweeps of ~8 n^3 each.
import { nativeInverse, product, productSelf, productTransposed } from './gemm';
import { frobeniusSquared, type Matrix } from './linalg';

/** Never pauses: for callers with no event loop to keep live. */
const noPause = (): Promise<void> => Promise.resolve();

/**
 * a = V diag(values) V^T for symmetric `a`; values ascending, column i of V its eigenvector.
 * Awaits `pause` once per row or eigenvalue (a 384 x 384 solve is ~0.4 s of CPU).
 */
export async function symmetricEigen(a: Matrix, pause: () => Promise<void> = noPause): Promise<{ values: Float64Array; vectors: Matrix }> {
  const n = a.rows;
  const v = Float64Array.from(a.data);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  await tridiagonalize(v, d, e, n, pause);
  // The QL sweeps rotate pairs of eigenvectors: stored as rows they are contiguous (2x faster).
  const rows = transposed(v, n);
  await diagonalize(rows, d, e, n, pause);
  return { values: d, vectors: { rows: n, cols: n, data: transposed(rows, n) } };
}

function transposed(a: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) out[c * n + r] = a[r * n + c]!;
  return out;
}

/** Householder reduction to tridiagonal form (tred2); v ends as the accumulated transform. */
async function tridiagonalize(v: Float64Array, d: Float64Array, e: Float64Array, n: number, pause: () => Promise<void>): Promise<void> {
  for (let j = 0; j < n; j++) d[j] = v[(n - 1) * n + j]!;
  for (let i = n - 1; i > 0; i--) {
    await pause();
    let scale = 0, h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) { d[j] = v[(i - 1) * n + j]!; v[i * n + j] = 0; v[j * n + i] = 0; }
    } else {
      for (let k = 0; k < i; k++) { d[k]! /= scale; h += d[k]! * d[k]!; }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        v[j * n + i] = f;
        g = e[j]! + v[j * n + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) { g += v[k * n + j]! * d[k]!; e[k]! += v[k * n + j]! * f; }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) { e[j]! /= h; f += e[j]! * d[j]!; }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j]! -= hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) v[k * n + j]! -= f * e[k]! + g * d[k]!;
        d[j] = v[(i - 1) * n + j]!;
        v[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    await pause();
    v[(n - 1) * n + i] = v[i * n + i]!;
    v[i * n + i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = v[k * n + i + 1]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += v[k * n + i + 1]! * v[k * n + j]!;
        for (let k = 0; k <= i; k++) v[k * n + j]! -= g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) v[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) { d[j] = v[(n - 1) * n + j]!; v[(n - 1) * n + j] = 0; }
  if (n > 0) v[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL iterations on the tridiagonal (tql2); row i of vt accumulates eigenvector i; sorts ascending. */
async function diagonalize(vt: Float64Array, d: Float64Array, e: Float64Array, n: number, pause: () => Promise<void>): Promise<void> {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  if (n > 0) e[n - 1] = 0;
  let f = 0, tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    await pause();
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]!) > eps * tst1) m++;
    if (m > l) {
      let iterations = 0;
      do {
        // One QL step rotates up to n rows of n: tens of ms at 384, so it may pause before each.
        await pause();
        if (++iterations > 60) throw new Error('symmetricEigen: no convergence');
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i]! -= h;
        f += h;
        p = d[m]!;
        let c = 1, c2 = c, c3 = c, s = 0, s2 = 0;
        const el1 = e[l + 1]!;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2; c2 = c; s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          const vi = i * n, vj = vi + n;
          for (let k = 0; k < n; k++) {
            h = vt[vj + k]!;
            vt[vj + k] = s * vt[vi + k]! + c * h;
            vt[vi + k] = c * vt[vi + k]! - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
  // Selection sort of values with their columns (n swaps at most).
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    for (let j = i + 1; j < n; j++) if (d[j]! < d[k]!) k = j;
    if (k === i) continue;
    const t = d[i]!; d[i] = d[k]!; d[k] = t;
    for (let c = 0; c < n; c++) { const x = vt[i * n + c]!; vt[i * n + c] = vt[k * n + c]!; vt[k * n + c] = x; }
  }
}

/**
 * The orthogonal polar factor Q = U V^T of a square M = U S V^T: the Procrustes map. From the
 * eigenvectors V of M^T M: u_i = M v_i / s_i for the directions M keeps, and any orthonormal
 * completion for the directions it (numerically) annihilates, where every completion fits
 * equally well (as the SVD's own choice there is arbitrary). Null for a non-square or zero M.
 * Awaits `pause` between columns.
 */
export async function polarFactor(m: Matrix, pause: () => Promise<void> = noPause): Promise<Matrix | null> {
  if (m.rows !== m.cols || m.rows === 0) return null;
  const newton = await newtonPolar(m, pause);
  if (newton) return newton;
  const n = m.rows;
  const { values, vectors } = await symmetricEigen(await productSelf(m, pause), pause);
  const top = values[n - 1]!;
  if (!(top > 0)) return null;
  // M V in one product: its column c is M v_c, eigenvector c's image direction.
  const images = await product(m, vectors, pause);
  const vc = Array.from({ length: n }, (_, c) => columnOf(vectors, c));
  // Largest first, so the kept directions are orthonormalized in order of trust; squaring the
  // singular values makes directions under 1e-5 of the largest too noisy to keep.
  let candidates = 0;
  while (candidates < n && values[n - 1 - candidates]! > 1e-10 * top) candidates++;
  const order = Array.from({ length: candidates }, (_, j) => n - 1 - j);
  const uc = await orthonormalLeading(images, order, values, pause) ?? await gramSchmidtLeading(images, order, pause);
  const vOrder = order.slice(0, uc.length).map((c) => vc[c]!);
  for (let c = n - 1 - uc.length; c >= 0; c--) vOrder.push(vc[c]!);
  for (let j = 0; uc.length < n && j < n; j++) {
    await pause();
    const u = new Float64Array(n);
    u[j] = 1;
    if (orthonormalize(u, uc)) uc.push(u);
  }
  if (uc.length < n) return null;
  // Q = sum_c u_c v_c^T = U^T V for U, V holding u_c, v_c as rows.
  const rows = (list: Float64Array[]): Matrix => {
    const out = new Float64Array(n * n);
    list.forEach((x, c) => out.set(x, c * n));
    return { rows: n, cols: n, data: out };
  };
  return productTransposed(rows(uc), rows(vOrder), pause);
}

/**
 * The polar factor by Newton's iteration X <- (z X + X^-T / z) / 2 from X = M, with Higham's
 * Frobenius scaling z until the steps are small (N. J. Higham, "Computing the polar decomposition
 * with applications", SIAM J. Sci. Stat. Comput. 7, 1986): about ten 384 x 384 inverses on
 * onnxruntime-node, 0.1-0.2 s where the eigensolver takes 0.5 s here. Null (the eigensolver then
 * answers) without the runtime, for a (numerically) singular M, where the polar factor is not
 * unique, and when the result is not orthogonal to 1e-10.
 */
async function newtonPolar(m: Matrix, pause: () => Promise<void>): Promise<Matrix | null> {
  const n = m.rows;
  const frobenius = (data: Float64Array): number => Math.sqrt(frobeniusSquared({ rows: n, cols: n, data }));
  let x = Float64Array.from(m.data);
  let scaled = true;
  let previous = Infinity;
  for (let step = 0; step < 40; step++) {
    const inverse = await nativeInverse({ rows: n, cols: n, data: x });
    if (!inverse) return null;
    const normX = frobenius(x), normInverse = frobenius(inverse.data);
    // A singular M: infinite or NaN entries, or an inverse too large to trust.
    if (!Number.isFinite(normInverse) || !(normX > 0) || normX * normInverse > 1e12) return null;
    const z = scaled ? Math.sqrt(normInverse / normX) : 1;
    const next = new Float64Array(n * n);
    let change = 0;
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        const v = 0.5 * (z * x[r * n + c]! + inverse.data[c * n + r]! / z);
        change += (v - x[r * n + c]!) ** 2;
        next[r * n + c] = v;
      }
    }
    x = next;
    change = Math.sqrt(change);
    await pause();
    // Converged: the step is at rounding level, or (unscaled, so quadratic) stopped shrinking.
    if (change <= 1e-14 * n || (!scaled && change >= previous)) return orthogonal(x, n, pause);
    if (change < 1e-2) scaled = false;
    previous = change;
  }
  return null;
}

/** `x` as an n x n matrix when X^T X = I to 1e-10 in every entry, else null. */
async function orthogonal(x: Float64Array, n: number, pause: () => Promise<void>): Promise<Matrix | null> {
  const q = { rows: n, cols: n, data: x };
  const gram = await productSelf(q, pause);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (Math.abs(gram.data[r * n + c]! - (r === c ? 1 : 0)) > 1e-10) return null;
  return q;
}

/**
 * Orthonormal directions for columns `order` of `images` (n x n), in that order, as Gram-Schmidt
 * would give them: stops at the first column left with under 1e-3 of its norm once the earlier
 * ones are taken out. By Cholesky QR, twice (each pass one Gram matrix, one Cholesky, one
 * triangular solve as a product), so the n^3 work runs as three products: 0.4 s of Gram-Schmidt
 * at 384 became a few tens of ms. Null if the second pass finds the first one's result not
 * orthonormal enough to factor (then Gram-Schmidt answers).
 */
async function orthonormalLeading(images: Matrix, order: number[], values: Float64Array, pause: () => Promise<void>): Promise<Float64Array[] | null> {
  const n = images.rows;
  // Columns scaled to about unit length (|M v_c| = sqrt(value c)), so the Gram matrix is near I.
  const pick = (count: number): Matrix => {
    const out = new Float64Array(n * count);
    for (let r = 0; r < n; r++) for (let j = 0; j < count; j++) out[r * count + j] = images.data[r * n + order[j]!]! / Math.sqrt(values[order[j]!]!);
    return { rows: n, cols: count, data: out };
  };
  if (order.length === 0) return [];
  // U = Q L^T, so Q = U (L^-1)^T.
  const first = cholesky(await productSelf(pick(order.length), pause), 1e-3);
  if (first.kept === 0) return [];
  const q0 = await product(pick(first.kept), lowerInverseTransposed(first.l, order.length, first.kept), pause);
  const second = cholesky(await productSelf(q0, pause), 0.5);
  if (second.kept < first.kept) return null;
  const q = await product(q0, lowerInverseTransposed(second.l, first.kept, first.kept), pause);
  return Array.from({ length: first.kept }, (_, j) => columnOf(q, j));
}

/**
 * Lower L with G = L L^T (G k x k, symmetric; L row-major, so every inner loop reads along rows),
 * for the leading columns whose residual (the square root of the pivot) keeps more than `floor`
 * of the column's own norm; `kept` is where it stopped.
 */
function cholesky(g: Matrix, floor: number): { l: Float64Array; kept: number } {
  const k = g.rows, gd = g.data;
  const l = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    const lj = j * k;
    let pivot = gd[lj + j]!;
    for (let i = 0; i < j; i++) pivot -= l[lj + i]! ** 2;
    if (!(pivot > floor * floor * gd[lj + j]!)) return { l, kept: j };
    const d = Math.sqrt(pivot);
    l[lj + j] = d;
    for (let c = j + 1; c < k; c++) {
      const lc = c * k;
      let t = gd[lc + j]!;
      for (let i = 0; i < j; i++) t -= l[lc + i]! * l[lj + i]!;
      l[lc + j] = t / d;
    }
  }
  return { l, kept: k };
}

/**
 * (L^-1)^T for the leading `size` x `size` block of lower `l` (stored `k` wide): its row j is the
 * solution x of L x = e_j, by forward substitution (x_i = 0 for i < j).
 */
function lowerInverseTransposed(l: Float64Array, k: number, size: number): Matrix {
  const out = new Float64Array(size * size);
  for (let j = 0; j < size; j++) {
    const x = out.subarray(j * size, (j + 1) * size);
    x[j] = 1 / l[j * k + j]!;
    for (let i = j + 1; i < size; i++) {
      const li = i * k;
      let s = 0;
      for (let t = j; t < i; t++) s += l[li + t]! * x[t]!;
      x[i] = -s / l[li + i]!;
    }
  }
  return { rows: size, cols: size, data: out };
}

/** The same directions by Gram-Schmidt, one column at a time (the fallback of orthonormalLeading). */
async function gramSchmidtLeading(images: Matrix, order: number[], pause: () => Promise<void>): Promise<Float64Array[]> {
  const uc: Float64Array[] = [];
  for (const c of order) {
    await pause();
    const u = columnOf(images, c);
    if (!orthonormalize(u, uc)) break;
    uc.push(u);
  }
  return uc;
}

/** Column `c` of `a` as a contiguous array. */
function columnOf(a: Matrix, c: number): Float64Array {
  return Float64Array.from({ length: a.rows }, (_, r) => a.data[r * a.cols + c]!);
}

/** Makes `u` unit length and orthogonal to `basis` (Gram-Schmidt, twice); false if nothing is left. */
function orthonormalize(u: Float64Array, basis: Float64Array[]): boolean {
  const before = Math.sqrt(u.reduce((s, x) => s + x * x, 0));
  if (!(before > 0)) return false;
  for (let pass = 0; pass < 2; pass++) {
    for (const b of basis) {
      let dot = 0;
      for (let r = 0; r < u.length; r++) dot += u[r]! * b[r]!;
      for (let r = 0; r < u.length; r++) u[r]! -= dot * b[r]!;
    }
  }
  const norm = Math.sqrt(u.reduce((s, x) => s + x * x, 0));
  if (!(norm > 1e-3 * before)) return false;
  for (let r = 0; r < u.length; r++) u[r]! /= norm;
  return true;
}
