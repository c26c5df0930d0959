// X^T Y with four rows per pass: the same numbers as the definition, for every row remainder.
import * as assert from 'node:assert/strict';
import { matrix, transposeTimes, transposeTimesSelf } from '../../../src/core/metrics/linalg';

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
});
