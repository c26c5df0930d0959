// Snapshot drift tests: MMD's permutation p-value, the classifier AUC and the KS share behave as
// tests must on samples of one distribution and of two.
import * as assert from 'node:assert/strict';
import { auc, domainClassifierAuc, driftedDimensionShare, ksTest, mmdTest } from '../../../src/core/metrics/snapshot';
import { gaussian, seededRandom } from '../../../src/core/random';

const dim = 8;
function sample(n: number, shift: number, random: () => number): Float32Array {
  return Float32Array.from({ length: n * dim }, () => gaussian(random) + shift);
}

describe('snapshot drift', () => {
  it('MMD on two samples of one distribution gives p > 0.05 on most seeds', () => {
    let accepted = 0;
    const seeds = 20;
    for (let seed = 1; seed <= seeds; seed++) {
      const random = seededRandom(seed);
      const { pValue } = mmdTest(sample(60, 0, random), 60, sample(60, 0, random), 60, dim, random, 100);
      if (pValue > 0.05) accepted++;
    }
    // Under the null p is uniform: about 19 of 20 expected; 15 leaves room without hiding a bug.
    assert.ok(accepted >= 15, `only ${accepted}/${seeds} seeds had p > 0.05`);
  });

  it('MMD on shifted samples gives p < 0.01', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const random = seededRandom(seed);
      const { mmd, pValue } = mmdTest(sample(60, 0, random), 60, sample(60, 0.6, random), 60, dim, random, 200);
      assert.ok(pValue < 0.01, `seed ${seed}: p = ${pValue}`);
      assert.ok(mmd > 0);
    }
  });

  it('AUC counts ordered pairs, ties half', () => {
    assert.equal(auc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]), 0.75);
    assert.equal(auc([1, 1], [true, false]), 0.5);
  });

  it('the domain classifier separates shifted snapshots and not identical ones', () => {
    const random = seededRandom(11);
    const same = domainClassifierAuc(sample(100, 0, random), 100, sample(100, 0, random), 100, dim, random);
    const shifted = domainClassifierAuc(sample(100, 0, random), 100, sample(100, 0.8, random), 100, dim, random);
    assert.ok(Math.abs(same - 0.5) < 0.15, `same ${same}`);
    assert.ok(shifted > 0.9, `shifted ${shifted}`);
  });

  it('KS: identical samples give D = 0; a shift in some dimensions is found in those only', () => {
    const x = Float64Array.from([1, 2, 3, 4]);
    assert.equal(ksTest(x, x).d, 0);
    assert.equal(ksTest(x, Float64Array.from([5, 6, 7, 8])).d, 1);
    const random = seededRandom(4);
    const n = 300;
    const a = sample(n, 0, random);
    const b = sample(n, 0, random);
    for (let i = 0; i < n; i++) for (const d of [0, 1]) b[i * dim + d]! += 1;
    assert.equal(driftedDimensionShare(a, n, b, n, dim), 2 / dim);
  });
});
