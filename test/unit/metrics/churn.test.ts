// Neighbor churn when a chunk has no counterpart under B (its file is gone in a later snapshot):
// it has no neighbor list under B to compare, so it is left out and counted apart, not churned.
import * as assert from 'node:assert/strict';
import { neighborChurn } from '../../../src/core/metrics/churn';
import type { NeighborLists } from '../../../src/core/index/types';

/** k = 1 lists, one neighbor per row. */
function lists(neighbors: number[]): NeighborLists {
  return { n: neighbors.length, k: 1, indices: Int32Array.from(neighbors), scores: Float32Array.from(neighbors, () => 0.5) };
}

describe('neighbor churn over chunks present on both sides', () => {
  // A: three chunks of f.md and one of gone.md; B: the same three of f.md and one of new.md.
  const f = (i: number): { file: string; start: number; end: number } => ({ file: 'f.md', start: i * 10, end: i * 10 + 10 });
  const chunksA = [f(0), f(1), f(2), { file: 'gone.md', start: 0, end: 10 }];
  const chunksB = [f(0), f(1), f(2), { file: 'new.md', start: 0, end: 10 }];
  const rows = Int32Array.from([0, 1, 2, 3]);

  it('leaves A chunks without a counterpart out of every figure and lists them as unmatched', async () => {
    const churn = await neighborChurn({
      chunksA, chunksB, counterpart: Int32Array.from([0, 1, 2, -1]), sameItems: false, k: 1, churnThreshold: 0.5,
      // A: 0->1, 1->0, 2->gone.md, gone.md->2.  B: 0->1 (kept), 1->2 (lost 0), 2->new.md (lost gone.md).
      neighborsA: { lists: lists([1, 0, 3, 2]), rows },
      neighborsB: { lists: lists([1, 2, 3, 2]), rows },
    });
    assert.deepEqual(churn.unmatched, [3]);
    assert.deepEqual(churn.items.map((x) => x.chunk), [0, 1, 2]);
    assert.deepEqual(churn.items.map((x) => x.jaccard), [1, 0, 0]);
    // 2 of the 3 compared chunks churned (counting gone.md's chunk as churned would make it 3 of 4).
    assert.equal(churn.churnedShare, 2 / 3);
    assert.equal(churn.meanJaccard, 1 / 3);
    assert.equal(churn.jaccards.length, 3);
  });

  it('every A chunk with a counterpart: nothing unmatched', async () => {
    const churn = await neighborChurn({
      chunksA, chunksB, counterpart: Int32Array.from([0, 1, 2, 3]), sameItems: true, k: 1, churnThreshold: 0.5,
      neighborsA: { lists: lists([1, 0, 3, 2]), rows }, neighborsB: { lists: lists([1, 0, 3, 2]), rows },
    });
    assert.deepEqual(churn.unmatched, []);
    assert.equal(churn.items.length, 4);
    assert.equal(churn.churnedShare, 0);
  });
});
