// The space metrics' float64 products on onnxruntime-node: the definition's numbers for each
// transpose, the same bits for the same inputs (a warm report must equal a cold one), exact
// symmetry of X^T X, and the JavaScript kernels below the size where the runtime pays.
import * as assert from 'node:assert/strict';
import { nativeGemm, product, productSelf, productTransposed } from '../../../src/core/metrics/gemm';
import { matrix, times, transposeTimesSelf, transposeTimes, type Matrix } from '../../../src/core/metrics/linalg';

const filled = (rows: number, cols: number, seed: number): Matrix =>
  matrix(rows, cols, Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 0.731 + seed) * (i % 11 === 0 ? 0 : 1)));

/** op(a) op(b) by the definition, one sum per entry. */
function reference(a: Matrix, b: Matrix, transA: boolean, transB: boolean): Matrix {
  const m = transA ? a.cols : a.rows, k = transA ? a.rows : a.cols, n = transB ? b.rows : b.cols;
  const at = (x: Matrix, r: number, c: number, t: boolean): number => (t ? x.data[c * x.cols + r]! : x.data[r * x.cols + c]!);
  const out = matrix(m, n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = 0; t < k; t++) s += at(a, i, t, transA) * at(b, t, j, transB);
    out.data[i * n + j] = s;
  }
  return out;
}

const noPause = (): Promise<void> => Promise.resolve();

describe('gemm (float64 products on onnxruntime-node)', () => {
  it('gives the definition for each combination of transposes, to 1e-12', async () => {
    const cases: Array<[Matrix, Matrix, boolean, boolean]> = [
      [filled(37, 29, 1), filled(29, 41, 2), false, false],
      [filled(29, 37, 3), filled(29, 41, 4), true, false],
      [filled(37, 29, 5), filled(41, 29, 6), false, true],
      [filled(29, 37, 7), filled(41, 29, 8), true, true],
    ];
    for (const [a, b, ta, tb] of cases) {
      const got = await nativeGemm(a, b, ta, tb);
      assert.ok(got, 'onnxruntime-node loads in the test environment');
      const want = reference(a, b, ta, tb);
      assert.deepEqual([got.rows, got.cols], [want.rows, want.cols]);
      want.data.forEach((x, i) => assert.ok(Math.abs(got.data[i]! - x) <= 1e-12 * Math.max(1, Math.abs(x)), `transA ${ta} transB ${tb} entry ${i}: ${got.data[i]} vs ${x}`));
    }
  });

  it('gives the same bits for the same inputs, and an exactly symmetric X^T X', async () => {
    const x = filled(500, 64, 9), y = filled(500, 48, 10);
    const first = await productTransposed(x, y, noPause);
    const again = await productTransposed(x, y, noPause);
    assert.deepEqual(Array.from(again.data), Array.from(first.data));
    const self = await productSelf(x, noPause);
    for (let i = 0; i < 64; i++) for (let j = 0; j < i; j++) assert.equal(self.data[i * 64 + j], self.data[j * 64 + i]);
    // Above the size where the runtime answers: within rounding of the JavaScript kernel, not its bits.
    const js = transposeTimes(x, y);
    js.data.forEach((v, i) => assert.ok(Math.abs(first.data[i]! - v) <= 1e-12 * Math.max(1, Math.abs(v))));
  });

  it('leaves small products to the JavaScript kernels, bit for bit', async () => {
    const x = filled(9, 7, 11), y = filled(9, 4, 12), w = filled(7, 5, 13);
    assert.deepEqual(Array.from((await productTransposed(x, y, noPause)).data), Array.from(transposeTimes(x, y).data));
    assert.deepEqual(Array.from((await productSelf(x, noPause)).data), Array.from(transposeTimesSelf(x).data));
    assert.deepEqual(Array.from((await product(x, w, noPause)).data), Array.from((await times(x, w)).data));
  });
});
