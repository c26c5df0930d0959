// Query scoring against a plain loop; retrieval churn of plain queries and out-of-distribution
// flags, worked out by hand.
import * as assert from 'node:assert/strict';
import { backgroundReference, lift, outOfDistribution } from '../../../src/core/metrics/ood';
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

  it('a chunk\'s level is the mean cosine of the k background questions closest to it; each question is measured over the others', () => {
    // One chunk, four questions at 0.1..0.4, k = 2: level (0.4 + 0.3) / 2 = 0.35. Without 0.1 or 0.2
    // the two closest stay (lifts -0.25, -0.15); without 0.3 they are 0.4, 0.2 (0.3 - 0.3 = 0);
    // without 0.4 they are 0.3, 0.2 (0.4 - 0.25 = 0.15).
    const ref = backgroundReference([0.1, 0.2, 0.3, 0.4].map((v) => scored([v])), 1, 2);
    assert.ok(Math.abs(ref.level[0]! - 0.35) < 1e-6);
    [-0.25, -0.15, 0, 0.15].forEach((x, i) => assert.ok(Math.abs(ref.lifts[i]! - x) < 1e-6, `${ref.lifts[i]} != ${x}`));
  });

  it('flags a query whose lift over the background level is no larger than the 95th percentile of the background questions\' own lifts', () => {
    // Three background questions over two chunks, so k = 2 (one fewer than the questions): levels
    // (mean of the two closest per chunk) [0.5, 0.3].
    const background = [scored([0.2, 0]), scored([0.4, 0.2]), scored([0.6, 0.4])];
    // A query's lift: max over chunks of (cosine - level).
    assert.ok(Math.abs(lift([0.5, 0.7], [0.5, 0.3]) - 0.4) < 1e-9);
    // Each background question over the others' level: [0.2, 0] - [0.5, 0.3] -> -0.3;
    // [0.4, 0.2] - [0.4, 0.2] -> 0; [0.6, 0.4] - [0.3, 0.1] -> 0.3. 95th percentile of
    // [-0.3, 0, 0.3]: position 1.9, 0 + 0.9 * 0.3 = 0.27.
    // "odd" under A [0.6, 0.45]: lift max(0.1, 0.15) = 0.15 <= 0.27, flagged (its best cosine 0.6 is
    // chunk 0, but it rises most at chunk 1); under B [0.9, 0.1]: 0.4, kept.
    // "fine" under A [0.5, 0.7]: 0.4, kept; under B [0.65, 0.3]: max(0.15, 0) = 0.15, flagged.
    const a = [scored([0.6, 0.45]), scored([0.5, 0.7])];
    const b = [scored([0.9, 0.1]), scored([0.65, 0.3])];
    const ood = outOfDistribution(['odd', 'fine'], a, b, background, background, 0.95);
    assert.deepEqual(ood.threshold, { a: 0.27, b: 0.27 });
    assert.equal(ood.background, 3);
    assert.equal(ood.quantile, 0.95);
    assert.deepEqual(ood.items.map((x) => [x.query, x.liftA, x.liftB, x.flaggedA, x.flaggedB]), [['odd', 0.15, 0.4, true, false], ['fine', 0.4, 0.15, false, true]]);
    assert.deepEqual(ood.items.map((x) => [x.topA, x.topB]), [[0.6, 0.9], [0.7, 0.65]]);
    assert.deepEqual(ood.flaggedShare, { a: 0.5, b: 0.5 });
  });

  it('a chunk every question matches (a hub) lifts no query: flags do not move when each chunk\'s scores shift by its own amount', () => {
    // Averaged word vectors put some chunks near every sentence; best-minus-mean then favored
    // whatever query met such a chunk. Shifting chunk j by offset[j] for every question must change nothing.
    const offset = [0, 0.3, 0.05, 0.2];
    const shift = (x: number[]): number[] => x.map((v, j) => v + offset[j]!);
    const background = [[0.1, 0.2, 0.1, 0.3], [0.2, 0.1, 0.3, 0.1], [0.3, 0.3, 0.2, 0.2], [0.1, 0.3, 0.3, 0.1], [0.2, 0.2, 0.1, 0.2]];
    const queries = [[0.7, 0.2, 0.2, 0.1], [0.3, 0.35, 0.2, 0.3], [0.2, 0.3, 0.3, 0.25]];
    const run = (f: (x: number[]) => number[]) => outOfDistribution(['q1', 'q2', 'q3'], queries.map((q) => scored(f(q))), queries.map((q) => scored(f(q))), background.map((q) => scored(f(q))), background.map((q) => scored(f(q))), 0.95);
    const plain = run((x) => x);
    const hubbed = run(shift);
    assert.deepEqual(hubbed.items.map((x) => [x.flaggedA, x.liftA]), plain.items.map((x) => [x.flaggedA, x.liftA]));
    assert.equal(hubbed.threshold.a, plain.threshold.a);
    // The query that is about chunk 0 passes; the two that look like the background are flagged.
    assert.deepEqual(plain.items.map((x) => x.flaggedA), [false, true, true]);
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
