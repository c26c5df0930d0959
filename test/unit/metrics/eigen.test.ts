// Symmetric eigendecomposition and the polar factor built on it: exact small cases by hand, and
// agreement with the Jacobi SVD's U V^T (the Procrustes map) on random matrices.
import * as assert from 'node:assert/strict';
import { polarFactor, symmetricEigen } from '../../../src/core/metrics/eigen';
import { matrix, svd, type Matrix } from '../../../src/core/metrics/linalg';

function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  let s = seed >>> 0;
  const next = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32 - 0.5; };
  return matrix(rows, cols, Array.from({ length: rows * cols }, next));
}

/** a b^T when transposeB, else a b. */
function product(a: Matrix, b: Matrix, transposeB = false): Matrix {
  const out = matrix(a.rows, transposeB ? b.rows : b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < out.cols; j++) {
      let s = 0;
      for (let k = 0; k < a.cols; k++) s += a.data[i * a.cols + k]! * (transposeB ? b.data[j * b.cols + k]! : b.data[k * b.cols + j]!);
      out.data[i * out.cols + j] = s;
    }
  }
  return out;
}

const close = (x: number, y: number, tol: number, what: string): void => assert.ok(Math.abs(x - y) <= tol, `${what}: ${x} vs ${y}`);

describe('symmetricEigen and polarFactor', () => {
  it('finds the hand-worked eigenpairs of [[2,1],[1,2]]', async () => {
    const { values, vectors } = await symmetricEigen(matrix(2, 2, [2, 1, 1, 2]));
    close(values[0]!, 1, 1e-14, 'lambda 0');
    close(values[1]!, 3, 1e-14, 'lambda 1');
    // Eigenvector of 3 is (1,1)/sqrt 2 up to sign.
    close(Math.abs(vectors.data[1]!), Math.SQRT1_2, 1e-14, 'v(0,1)');
    close(vectors.data[1]! * vectors.data[3]!, 0.5, 1e-14, 'same sign');
  });

  it('reconstructs random symmetric matrices with orthonormal eigenvectors', async () => {
    for (const n of [1, 2, 5, 30]) {
      const r = randomMatrix(n, n, n);
      const a = matrix(n, n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a.data[i * n + j] = r.data[i * n + j]! + r.data[j * n + i]!;
      const { values, vectors } = await symmetricEigen(a);
      for (let i = 1; i < n; i++) assert.ok(values[i]! >= values[i - 1]!, 'ascending');
      const scaled = matrix(n, n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) scaled.data[i * n + j] = vectors.data[i * n + j]! * values[j]!;
      const back = product(scaled, vectors, true);
      back.data.forEach((x, i) => close(x, a.data[i]!, 1e-12, `n=${n} entry ${i}`));
      const vtv = product(vectors, vectors, true);
      vtv.data.forEach((x, i) => close(x, i % (n + 1) === 0 ? 1 : 0, 1e-12, `orthonormal n=${n}`));
    }
  });

  it('gives the rotation of a rotation times a positive diagonal', async () => {
    const c = Math.cos(Math.PI / 6), s = Math.sin(Math.PI / 6);
    const q = await polarFactor(matrix(2, 2, [3 * c, -0.5 * s, 3 * s, 0.5 * c]));
    assert.ok(q);
    [c, -s, s, c].forEach((x, i) => close(q.data[i]!, x, 1e-12, `entry ${i}`));
  });

  it('equals U V^T of the Jacobi SVD on random 40 x 40 matrices, and refuses zero or non-square ones', async () => {
    for (const seed of [1, 2, 3]) {
      const m = randomMatrix(40, 40, seed);
      const q = await polarFactor(m);
      assert.ok(q);
      const { u, v } = svd(m);
      const uvt = product(u, v, true);
      q.data.forEach((x, i) => close(x, uvt.data[i]!, 1e-8, `seed ${seed} entry ${i}`));
    }
    assert.equal(await polarFactor(matrix(2, 2, [0, 0, 0, 0])), null);
    assert.equal(await polarFactor(matrix(2, 3, [1, 0, 0, 0, 1, 0])), null);
  });

  it('completes a rank-deficient M to an orthogonal map: [[1,2],[2,4]] keeps u = (1,2)/sqrt 5', async () => {
    // M = 5 u u^T: Q must map u to u; the null direction (2,-1)/sqrt 5 may go to either sign.
    const q = await polarFactor(matrix(2, 2, [1, 2, 2, 4]));
    assert.ok(q);
    const u = [1 / Math.sqrt(5), 2 / Math.sqrt(5)];
    close(q.data[0]! * u[0]! + q.data[1]! * u[1]!, u[0]!, 1e-9, '(Q u)_0');
    close(q.data[2]! * u[0]! + q.data[3]! * u[1]!, u[1]!, 1e-9, '(Q u)_1');
    close(Math.abs(q.data[0]! * q.data[3]! - q.data[1]! * q.data[2]!), 1, 1e-9, '|det Q|');
  });

  it('is orthogonal and reaches the Procrustes optimum tr(Q^T M) = sum of singular values when M has rank 12 of 30', async () => {
    const x = randomMatrix(12, 30, 5), y = randomMatrix(12, 30, 6);
    const m = matrix(30, 30);
    for (let i = 0; i < 30; i++) for (let j = 0; j < 30; j++) {
      let s = 0;
      for (let r = 0; r < 12; r++) s += x.data[r * 30 + i]! * y.data[r * 30 + j]!;
      m.data[i * 30 + j] = s;
    }
    const q = await polarFactor(m);
    assert.ok(q);
    product(q, q, true).data.forEach((v, i) => close(v, i % 31 === 0 ? 1 : 0, 1e-9, `orthogonal ${i}`));
    let trace = 0;
    for (let i = 0; i < 30; i++) for (let j = 0; j < 30; j++) trace += q.data[i * 30 + j]! * m.data[i * 30 + j]!;
    const nuclear = svd(m).s.reduce((a, b) => a + b, 0);
    close(trace, nuclear, 1e-8 * nuclear, 'tr(Q^T M)');
  });

  it('an ill-conditioned M (singular values 1 to 1e-7: the Newton iteration answers, not the eigensolver) gives U V^T of its SVD', async () => {
    // M = U diag(s) V^T with U, V the orthogonal factors of random matrices' SVDs.
    const n = 24;
    const { u } = svd(randomMatrix(n, n, 21));
    const { v } = svd(randomMatrix(n, n, 22));
    const m = matrix(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < n; c++) s += u.data[i * n + c]! * 10 ** (-7 * c / (n - 1)) * v.data[j * n + c]!;
      m.data[i * n + j] = s;
    }
    const q = await polarFactor(m);
    assert.ok(q);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let want = 0;
      for (let c = 0; c < n; c++) want += u.data[i * n + c]! * v.data[j * n + c]!;
      close(q.data[i * n + j]!, want, 1e-6, `Q ${i},${j}`);
    }
  });
});
