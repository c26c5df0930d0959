// partitionPoint: the first index past the prefix for which the predicate holds.
import * as assert from 'node:assert/strict';
import { partitionPoint } from '../../../src/core/bisect';

describe('partitionPoint', () => {
  const sorted = [1, 3, 3, 5, 8];
  it('finds the first element not below a value (lower bound)', () => {
    assert.equal(partitionPoint(sorted.length, (i) => sorted[i]! < 3), 1);
    assert.equal(partitionPoint(sorted.length, (i) => sorted[i]! < 4), 3);
    assert.equal(partitionPoint(sorted.length, (i) => sorted[i]! < 0), 0);
    assert.equal(partitionPoint(sorted.length, (i) => sorted[i]! < 9), 5);
  });
  it('finds the first element above a value (upper bound) and handles an empty range', () => {
    assert.equal(partitionPoint(sorted.length, (i) => sorted[i]! <= 3), 3);
    assert.equal(partitionPoint(0, () => true), 0);
  });
});
