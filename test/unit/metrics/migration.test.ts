// Migration depth: ranks with the stated tie rule and the depth curve by hand, and the properties the
// issue asks for on seeded data (monotone in K, full recall when A returns every other item, equal A
// and B recover everything at K = k); recall at K = k is neighbor churn's overlap@k.
import * as assert from 'node:assert/strict';
import { exactTopK } from '../../../src/core/index/exact';
import type { NeighborLists } from '../../../src/core/index/types';
import { neighborChurn } from '../../../src/core/metrics/churn';
import { depthGrid, migrationCurve, migrationDepth, ranksUnder, rankUnder, targetRanks, type MigrationInputs } from '../../../src/core/metrics/migration';
import type { ChunkSpan } from '../../../src/core/types';
import { referenceScores, unitVectors } from './support';


function rowOf(lists: NeighborLists, r: number): number[] {
  return Array.from(lists.indices.subarray(r * lists.k, (r + 1) * lists.k)).filter((x) => x >= 0);
}

/** Two spaces over the same n items: B is A plus noise of the given size, renormalized. */
function spaces(n: number, dim: number, noise: number, seed: number): { a: Float32Array; b: Float32Array } {
  const a = unitVectors(n, dim, seed);
  const e = unitVectors(n, dim, seed + 1);
  const b = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let d = 0; d < dim; d++) { b[i * dim + d] = a[i * dim + d]! + noise * e[i * dim + d]!; norm += b[i * dim + d]! ** 2; }
    for (let d = 0; d < dim; d++) b[i * dim + d]! /= Math.sqrt(norm);
  }
  return { a, b };
}

async function sameItemInputs(a: Float32Array, b: Float32Array, n: number, dim: number, k: number): Promise<{ input: MigrationInputs; listsA: NeighborLists; listsB: NeighborLists }> {
  const listsA = await exactTopK(a, n, dim, k, { workers: 0 });
  const listsB = await exactTopK(b, n, dim, k, { workers: 0 });
  const spans: ChunkSpan[] = Array.from({ length: n }, (_, i) => ({ file: 'f', start: i * 10, end: i * 10 + 10 }));
  const input: MigrationInputs = {
    scoresA: async (items) => items.map((i) => referenceScores(a.subarray(i * dim, (i + 1) * dim), a, n, dim)[0]!), nA: n, items: Array.from({ length: n }, (_, i) => i),
    neighborsB: (j) => rowOf(listsB, j), counterpart: Int32Array.from({ length: n }, (_, i) => i), sameItems: true,
    chunksA: spans, chunksB: spans, k,
  };
  return { input, listsA, listsB };
}

describe('migration depth', () => {
  it('ranks under A leave the query out and put equal scores in index order (by hand)', () => {
    const scores = [0.9, 0.5, 0.7, 0.5, 0.1];
    assert.equal(rankUnder(scores, 0, 2), 1);
    assert.equal(rankUnder(scores, 0, 1), 2);
    assert.equal(rankUnder(scores, 0, 3), 3);
    assert.equal(rankUnder(scores, 0, 4), 4);
    // A target several A items stand for takes the best of them; none gives Infinity.
    assert.deepEqual(targetRanks(scores, 0, [[4, 3], [], [2]]), [3, Infinity, 1]);
  });

  it('ranks many items in one pass exactly as rankUnder ranks each: ties, signed zeros, infinities, NaN', () => {
    let seed = 7;
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    // Few distinct values, so most scores tie; specials mixed in.
    const specials = [0, -0, Infinity, -Infinity, Number.NaN];
    for (let trial = 0; trial < 60; trial++) {
      const n = 1 + Math.floor(next() * 300);
      const scores = Float32Array.from({ length: n }, () => (next() < 0.1 ? specials[Math.floor(next() * specials.length)]! : Math.round(next() * 8) / 8));
      const self = Math.floor(next() * n);
      const xs = [...new Set(Array.from({ length: Math.floor(next() * 40) }, () => Math.floor(next() * n)))].filter((x) => x !== self);
      const ranks = ranksUnder(scores, self, xs);
      for (const x of xs) assert.equal(ranks.get(x), rankUnder(scores, self, x), `trial ${trial}, item ${x}`);
    }
  });

  it('the curve, K for 95/99% and the unreachable share (by hand)', () => {
    // Two items, k = 2: ranks [1, 3] and [2, never]; each target weighs 1/4; A can return 5 items.
    const c = migrationCurve([[1, 3], [2, Infinity]], 2, 5);
    assert.deepEqual(c.curve, [{ K: 2, recall: 0.5 }, { K: 4, recall: 0.75 }, { K: 5, recall: 0.75 }]);
    assert.equal(c.kFor95Percent, null);
    assert.equal(c.kForAll, null);
    assert.equal(c.unreachable, 0.25);
    assert.equal(c.items, 2);
    const full = migrationCurve([[1, 7], [2, 4]], 2, 9);
    // recall 0.75 from K = 4, 1 from K = 7: the K for 95%, 99% and all are 7, and 7 is on the curve.
    assert.equal(full.kFor95Percent, 7);
    assert.equal(full.kFor99Percent, 7);
    assert.equal(full.kForAll, 7);
    assert.deepEqual(full.curve.map((p) => p.K), [2, 4, 6, 7, 9]);
    assert.deepEqual(full.curve.map((p) => p.recall), [0.5, 0.75, 0.75, 1, 1]);
    assert.deepEqual(depthGrid(10, 2000), [10, 20, 30, 50, 100, 200, 300, 500, 1000, 2000]);
    assert.deepEqual(migrationCurve([], 10, 100), { curve: [], kFor95Percent: null, kFor99Percent: null, kForAll: null, unreachable: 0, items: 0 });
  });

  it('is monotone in K and reaches full recall when A returns every other item (property)', async () => {
    const n = 300, dim = 16, k = 10;
    const { a, b } = spaces(n, dim, 0.8, 11);
    const { input } = await sameItemInputs(a, b, n, dim, k);
    const c = await migrationDepth(input);
    for (let p = 1; p < c.curve.length; p++) {
      assert.ok(c.curve[p]!.K > c.curve[p - 1]!.K);
      assert.ok(c.curve[p]!.recall >= c.curve[p - 1]!.recall, `recall falls at K=${c.curve[p]!.K}`);
    }
    const last = c.curve[c.curve.length - 1]!;
    assert.equal(last.K, n - 1);
    assert.equal(last.recall, 1);
    assert.ok(c.kForAll !== null && c.kForAll <= n - 1);
    assert.ok(c.kFor95Percent! <= c.kFor99Percent! && c.kFor99Percent! <= c.kForAll!);
    assert.ok(c.curve[0]!.recall < 0.95, 'noise this large must lose neighbors at K = k');
    assert.equal(c.unreachable, 0);
  });

  it('equal A and B recover all of B\'s top-k at K = k; recall at K = k is churn\'s mean overlap@k', async () => {
    const n = 200, dim = 12, k = 8;
    const { a, b } = spaces(n, dim, 0.5, 21);
    const same = await migrationDepth((await sameItemInputs(a, a, n, dim, k)).input);
    assert.deepEqual(same.curve[0], { K: k, recall: 1 });
    assert.equal(same.kFor95Percent, k);
    assert.equal(same.kForAll, k);
    const { input, listsA, listsB } = await sameItemInputs(a, b, n, dim, k);
    const depth = await migrationDepth(input);
    const rows = { rows: Int32Array.from({ length: n }, (_, i) => i) };
    const churn = await neighborChurn({
      chunksA: input.chunksA, chunksB: input.chunksB, neighborsA: { lists: listsA, ...rows }, neighborsB: { lists: listsB, ...rows },
      counterpart: input.counterpart, sameItems: true, k, churnThreshold: 0.5,
    });
    assert.ok(Math.abs(depth.curve[0]!.recall - churn.meanOverlap) < 1e-12, `${depth.curve[0]!.recall} vs ${churn.meanOverlap}`);
  });

  it('different chunkings: a B neighbor is recovered by any A chunk sharing its characters (by hand)', async () => {
    // A: four chunks of 10 characters; B: eight of 5. Query item A0 (counterpart B0).
    const chunksA: ChunkSpan[] = [0, 1, 2, 3].map((i) => ({ file: 'f', start: i * 10, end: i * 10 + 10 }));
    const chunksB: ChunkSpan[] = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => ({ file: 'f', start: i * 5, end: i * 5 + 5 }));
    chunksB.push({ file: 'gone', start: 0, end: 5 });
    // A's scores from A0: A3 > A2 > A1.
    const scoresA = Float32Array.from([1, 0.2, 0.5, 0.9]);
    // B0's top 4: B1 (inside A0: the query's own text, left out), B4 (in A2: rank 2), B7 (in A3: rank 1), B8 (no A chunk: never).
    const c = await migrationDepth({
      scoresA: async (items) => items.map(() => scoresA), nA: 4, items: [0], neighborsB: (j) => (j === 0 ? [1, 4, 7, 8] : undefined),
      counterpart: Int32Array.from([0, 2, 4, 6]), sameItems: false, chunksA, chunksB, k: 3,
    });
    assert.equal(c.items, 1);
    assert.deepEqual(c.curve, [{ K: 3, recall: 2 / 3 }]);
    assert.ok(Math.abs(c.unreachable - 1 / 3) < 1e-12);
    assert.equal(c.kFor95Percent, null);
  });
});
