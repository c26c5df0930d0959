// Query scoring against a plain loop; retrieval churn of plain queries and out-of-distribution
// flags, worked out by hand.
import * as assert from 'node:assert/strict';
import { lift, outOfDistribution } from '../../../src/core/metrics/ood';
import { scoreQueries, topIndices } from '../../../src/core/index/queryScores';
import { queryChurn } from '../../../src/core/metrics/retrieval';
import { unitVectors } from './support';

const scored = (values: number[]): { scores: Float32Array; top: number[] } => {
  const scores = Float32Array.from(values);
  return { scores, top: topIndices(scores, 10) };
};

describe('query churn and out-of-distribution queries', () => {
  const chunks = [0, 1, 2, 3].map((i) => ({ file: 'f', start: i * 10, end: i * 10 + 10 }));

  it('scores each query by overlap@k and RBO of what A and B retrieve, most changed first', () => {
    // "moved": A retrieves [0, 1], B retrieves [2, 1]: overlap 1/2;
    // RBO: A_1 = 0, A_2 = 1/2 -> 0.5 * 0.81 + (1/9)(0.5 * 0.81) = 0.45.
    // "same": both retrieve [3, 2]: overlap 1, RBO 1.
    const a = [scored([0.1, 0.2, 0.3, 0.4]), scored([0.9, 0.8, 0.1, 0])];
    const b = [scored([0.1, 0.2, 0.3, 0.4]), scored([0.1, 0.8, 0.9, 0])];
    const items = queryChurn(['same', 'moved'], a, b, chunks, chunks, true, 2);
    assert.deepEqual(items.map((x) => [x.query, x.overlap, x.rbo]), [['moved', 0.5, 0.45], ['same', 1, 1]]);
    assert.deepEqual(items[0]!.retrievedA, [0, 1]);
    assert.deepEqual(items[0]!.retrievedB, [2, 1]);
  });

  it('through character overlap when the chunkings differ', () => {
    // B cuts the same text in two 20-char chunks: B0 covers A0 and A1, B1 covers A2 and A3.
    const chunksB = [{ file: 'f', start: 0, end: 20 }, { file: 'f', start: 20, end: 40 }];
    const a = [scored([0.9, 0.1, 0.8, 0])];
    const b = [scored([0.5, 0.6])];
    // A retrieves [0, 2]; B retrieves [1, 0] = B1 overlaps A2, B0 overlaps A0: the same spans.
    const [item] = queryChurn(['q'], a, b, chunks, chunksB, false, 2);
    assert.equal(item!.overlap, 1);
    assert.equal(item!.rbo, 0.9);
  });

  it('flags a query whose lift is no larger than the 95th percentile of the background questions\' lifts', () => {
    // Lift = best cosine - mean cosine: [0.9, 0.5, 0.1] has mean 0.5, lift 0.4.
    assert.ok(Math.abs(lift(scored([0.9, 0.5, 0.1])) - 0.4) < 1e-6);
    // Background lifts 0.00, 0.01, ..., 0.10 ([2L, 0] has mean L and lift L): 95th percentile 0.095.
    const background = Array.from({ length: 11 }, (_, i) => scored([(2 * i) / 100, 0]));
    // "odd" stands out 0.05 under A (flagged) and 0.25 under B; "fine" 0.4 under A and 0.08 under B (flagged).
    const a = [scored([0.6, 0.5]), scored([0.9, 0.5, 0.1])];
    const b = [scored([0.75, 0.25]), scored([0.58, 0.5, 0.42])];
    const ood = outOfDistribution(['odd', 'fine'], a, b, background, background);
    assert.deepEqual(ood.threshold, { a: 0.095, b: 0.095 });
    assert.equal(ood.background, 11);
    assert.equal(ood.quantile, 0.95);
    assert.deepEqual(ood.items.map((x) => [x.query, x.liftA, x.liftB, x.flaggedA, x.flaggedB]), [['odd', 0.05, 0.25, true, false], ['fine', 0.4, 0.08, false, true]]);
    assert.deepEqual(ood.items.map((x) => [x.topA, x.topB]), [[0.6, 0.75], [0.9, 0.58]]);
    assert.deepEqual(ood.flaggedShare, { a: 0.5, b: 0.5 });
  });
});

describe('scoreQueries', () => {
  it('gives every query its cosine with every chunk and its top list, for any number of queries', async () => {
    const n = 50, dim = 7;
    const chunks = unitVectors(n, dim, 1);
    for (const m of [1, 4, 6]) {
      const queries = unitVectors(m, dim, 2);
      const scored = await scoreQueries(queries, chunks, n, dim, 5);
      assert.equal(scored.length, m);
      scored.forEach((s, q) => {
        for (let j = 0; j < n; j++) {
          let dot = 0;
          for (let d = 0; d < dim; d++) dot += queries[q * dim + d]! * chunks[j * dim + d]!;
          assert.ok(Math.abs(s.scores[j]! - dot) < 1e-6);
        }
        const sorted = Array.from(s.scores.keys()).sort((x, y) => s.scores[y]! - s.scores[x]! || x - y).slice(0, 5);
        assert.deepEqual(s.top, sorted);
      });
    }
  });
});
