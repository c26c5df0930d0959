// X^T Y with four rows per pass: the same numbers as the definition, for every row remainder.
import * as assert from 'node:assert/strict';
import { matrix, times, transposeTimes, transposeTimesSelf, transposeTimesSelfYielding, transposeTimesYielding } from '../../../src/core/metrics/linalg';

describe('transposeTimes (row-blocked X^T Y)', () => {
  it('gives the hand-worked product', () => {
    // X = [[1,2],[3,4],[5,6]], Y = [[1,0,2],[0,1,1],[1,1,0]] -> X^T Y = [[6,8,5],[8,10,8]].
    const x = matrix(3, 2, [1, 2, 3, 4, 5, 6]);
    const y = matrix(3, 3, [1, 0, 2, 0, 1, 1, 1, 1, 0]);
    assert.deepEqual(Array.from(transposeTimes(x, y).data), [6, 8, 5, 8, 10, 8]);
  });

  it('matches the definition sum_r x[r][i] y[r][j] for 1 to 9 rows, zeros included', () => {
    for (let n = 1; n <= 9; n++) {
      const p = 5, q = 3;
      const x = matrix(n, p, Array.from({ length: n * p }, (_, i) => (i % 7 === 0 ? 0 : ((i * 37) % 11) - 5)));
      const y = matrix(n, q, Array.from({ length: n * q }, (_, i) => ((i * 13) % 9) - 4));
      const got = transposeTimes(x, y);
      for (let i = 0; i < p; i++) {
        for (let j = 0; j < q; j++) {
          let s = 0;
          for (let r = 0; r < n; r++) s += x.data[r * p + i]! * y.data[r * q + j]!;
          assert.equal(got.data[i * q + j], s, `n=${n} (${i},${j})`);
        }
      }
    }
  });

  it('X^T X from the upper triangle equals the full product to the last bit, for 1 to 9 rows', () => {
    for (let n = 1; n <= 9; n++) {
      const x = matrix(n, 6, Array.from({ length: n * 6 }, (_, i) => (i % 5 === 0 ? 0 : Math.sin(i * 1.7))));
      assert.deepEqual(Array.from(transposeTimesSelf(x).data), Array.from(transposeTimes(x, x).data), `n=${n}`);
    }
  });

  it('the yielding forms give the same bits as the plain ones, pausing once per 8-row block (1 to 70 rows)', async () => {
    for (const n of [1, 3, 7, 8, 9, 31, 32, 33, 70]) {
      const x = matrix(n, 7, Array.from({ length: n * 7 }, (_, i) => (i % 5 === 0 ? 0 : Math.sin(i * 1.3))));
      const y = matrix(n, 4, Array.from({ length: n * 4 }, (_, i) => Math.cos(i * 0.7)));
      let pauses = 0;
      const pause = (): Promise<void> => { pauses++; return Promise.resolve(); };
      assert.deepEqual(Array.from((await transposeTimesYielding(x, y, pause)).data), Array.from(transposeTimes(x, y).data), `n=${n}`);
      assert.equal(pauses, Math.ceil(n / 8), `pauses n=${n}`);
      assert.deepEqual(Array.from((await transposeTimesSelfYielding(x, pause)).data), Array.from(transposeTimesSelf(x).data), `self n=${n}`);
    }
  });

  it('times gives the hand-worked X W and pauses once per four rows', async () => {
    // [[1,2],[0,3]] x [[1,0,1],[2,1,0]] = [[5,2,1],[6,3,0]].
    let pauses = 0;
    const count = (): Promise<void> => { pauses++; return Promise.resolve(); };
    const out = await times(matrix(2, 2, [1, 2, 0, 3]), matrix(2, 3, [1, 0, 1, 2, 1, 0]), count);
    assert.deepEqual(Array.from(out.data), [5, 2, 1, 6, 3, 0]);
    assert.equal(pauses, 1);
    // Nine rows: two blocks of four and one row left, each row the same X row times W.
    pauses = 0;
    const nine = await times(matrix(9, 2, Array.from({ length: 18 }, (_, i) => [1, 2, 0, 3][i % 4]!)), matrix(2, 3, [1, 0, 1, 2, 1, 0]), count);
    assert.deepEqual(Array.from(nine.data), Array.from({ length: 9 }, (_, r) => (r % 2 === 0 ? [5, 2, 1] : [6, 3, 0])).flat());
    assert.equal(pauses, 3);
  });
});
