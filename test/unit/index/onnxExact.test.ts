// Exact top-k through onnxruntime-node (Gemm + TopK graph built without a protobuf library):
// hand-worked lists, agreement with the one-dot-product-at-a-time reference, edges.
import * as assert from 'node:assert/strict';
import { naiveTopK } from '../../../src/core/index/kernel';
import { onnxTopK } from '../../../src/core/index/onnxExact';
import { DriftError } from '../../../src/core/types';

function unitRows(n: number, dim: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const next = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32 - 0.5; };
  const v = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let d = 0; d < dim; d++) { const x = next(); v[i * dim + d] = x; norm += x * x; }
    for (let d = 0; d < dim; d++) v[i * dim + d]! /= Math.sqrt(norm);
  }
  return v;
}

describe('onnxTopK (exact search as Gemm + TopK)', () => {
  it('gives the hand-worked all-pairs lists, ties to the lower index', async () => {
    // Rows: (1,0), (0,1), (0.6,0.8), (-1,0).
    const corpus = Float32Array.from([1, 0, 0, 1, 0.6, 0.8, -1, 0]);
    const lists = await onnxTopK(corpus, 4, 2, corpus, 2, { excludeSelf: true });
    assert.ok(lists);
    assert.deepEqual(Array.from(lists.indices), [2, 1, 2, 0, 1, 0, 1, 2]);
    const expected = [0.6, 0, 0.8, 0, 0.8, 0.6, 0, -0.6];
    Array.from(lists.scores).forEach((s, i) => assert.ok(Math.abs(s - expected[i]!) < 1e-6, `score ${i}: ${s}`));
  });

  it('agrees with the plain reference on random unit vectors, all pairs and separate queries', async () => {
    const n = 300, dim = 24, k = 7;
    const corpus = unitRows(n, dim, 7);
    const rows = Array.from({ length: n }, (_, i) => i);
    const allPairs = await onnxTopK(corpus, n, dim, corpus, k, { excludeSelf: true });
    assert.ok(allPairs);
    const reference = naiveTopK(corpus, n, dim, corpus, rows, k, true);
    reference.forEach((list, q) => list.forEach((hit, c) => {
      assert.equal(allPairs.indices[q * k + c], hit.index, `row ${q} rank ${c}`);
      assert.ok(Math.abs(allPairs.scores[q * k + c]! - hit.score) < 1e-5);
    }));
    const queries = unitRows(40, dim, 11);
    const separate = await onnxTopK(corpus, n, dim, queries, k, { excludeSelf: false });
    assert.ok(separate);
    assert.equal(separate.n, 40);
    naiveTopK(corpus, n, dim, queries, Array.from({ length: 40 }, (_, i) => i), k, false).forEach((list, q) => {
      assert.deepEqual(Array.from(separate.indices.subarray(q * k, (q + 1) * k)), list.map((h) => h.index));
    });
  });

  it('one session serves corpora of every row count: each search reads its own corpus and gives the reference lists', async () => {
    const dim = 16, k = 5;
    // Same dimension and k, so the same cached session, each time with another corpus size.
    for (const [n, seed] of [[500, 13], [37, 19], [1200, 31], [6, 37]] as const) {
      const corpus = unitRows(n, dim, seed);
      const queries = unitRows(60, dim, seed + 1);
      for (const excludeSelf of [true, false]) {
        const q = excludeSelf ? corpus : queries;
        const lists = await onnxTopK(corpus, n, dim, q, k, { excludeSelf });
        assert.ok(lists);
        naiveTopK(corpus, n, dim, q, Array.from({ length: q.length / dim }, (_, i) => i), k, excludeSelf).forEach((list, r) => {
          assert.deepEqual(Array.from(lists.indices.subarray(r * k, r * k + list.length)), list.map((h) => h.index), `n ${n}, row ${r}`);
          list.forEach((h, c) => assert.ok(Math.abs(lists.scores[r * k + c]! - h.score) < 1e-6));
        });
      }
    }
    // Blocks over KEPT_BLOCK_SCORES (70 x 20,000) run on a session of their own, released after.
    const n = 20000;
    const corpus = unitRows(n, 4, 41);
    const queries = unitRows(70, 4, 43);
    const lists = await onnxTopK(corpus, n, 4, queries, k, { excludeSelf: false });
    assert.ok(lists);
    naiveTopK(corpus, n, 4, queries, Array.from({ length: 70 }, (_, i) => i), k, false).forEach((list, r) => {
      assert.deepEqual(Array.from(lists.indices.subarray(r * k, (r + 1) * k)), list.map((h) => h.index), `n ${n}, row ${r}`);
    });
  });

  it('equal scores keep the lower index first', async () => {
    // Every row twice (row j + 200 is row j): each list is pairs of ties, the lower index first.
    const half = unitRows(200, 12, 23);
    const corpus = new Float32Array(400 * 12);
    corpus.set(half, 0);
    corpus.set(half, 200 * 12);
    const lists = await onnxTopK(corpus, 400, 12, unitRows(50, 12, 29), 6, { excludeSelf: false });
    assert.ok(lists);
    for (let q = 0; q < 50; q++) {
      const row: number[] = Array.from(lists.indices.subarray(q * 6, q * 6 + 6));
      for (let c = 0; c < 6; c += 2) assert.ok(row[c]! < 200 && row[c + 1] === row[c]! + 200, `query ${q}: ${row.join(' ')}`);
    }
  });

  it('pads with -1 / -Infinity when fewer than k other rows exist', async () => {
    const corpus = unitRows(3, 4, 3);
    const lists = await onnxTopK(corpus, 3, 4, corpus, 5, { excludeSelf: true });
    assert.ok(lists);
    for (let q = 0; q < 3; q++) {
      const row: number[] = Array.from(lists.indices.subarray(q * 5, q * 5 + 5));
      assert.deepEqual(row.slice(2), [-1, -1, -1]);
      assert.deepEqual([...row.slice(0, 2)].sort(), [0, 1, 2].filter((j) => j !== q));
      assert.equal(lists.scores[q * 5 + 4], -Infinity);
    }
  });

  it('stops with a cancelled DriftError when the signal has fired', async () => {
    const corpus = unitRows(50, 8, 5);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(onnxTopK(corpus, 50, 8, corpus, 3, { excludeSelf: true, signal: controller.signal }),
      (err: unknown) => err instanceof DriftError && err.code === 'cancelled');
  });
});
