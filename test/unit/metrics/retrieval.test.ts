// Query scoring against a plain loop; retrieval churn of plain queries and out-of-distribution
// flags, worked out by hand.
import * as assert from 'node:assert/strict';
import { scoreQueries, topIndices } from '../../../src/core/index/queryScores';
import { outOfDistribution, queryChurn } from '../../../src/core/metrics/retrieval';
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

  it('flags a query whose best chunk is less similar than the 1st percentile of nearest neighbors', () => {
    // 101 nearest-neighbor similarities 0.50, 0.51, ... 1.50: 1st percentile = 0.51.
    const nearest = Float32Array.from({ length: 101 }, (_, i) => 0.5 + i / 100);
    const a = [scored([0.2, 0.5]), scored([0.9, 0.1])];
    const b = [scored([0.6, 0.1]), scored([0.3, 0.2])];
    const ood = outOfDistribution(['odd', 'fine'], a, b, nearest, nearest);
    assert.ok(Math.abs(ood.threshold.a - 0.51) < 1e-4);
    assert.deepEqual(ood.items.map((x) => [x.flaggedA, x.flaggedB]), [[true, false], [false, true]]);
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
