// Exact top-k (blocked kernel, inline and in worker threads) against the one-dot-product-at-a-time
// scan on random data; sampled rows; padding; cancellation.
import * as assert from 'node:assert/strict';
import { exactTopK } from '../../../src/core/index/exact';
import { naiveTopK } from '../../../src/core/index/kernel';
import { gatherRows } from '../../../src/core/rows';
import { dropSelf, findNeighbors } from '../../../src/core/index/search';
import { DriftError } from '../../../src/core/types';
import { unitVectors } from '../metrics/support';

function assertMatchesNaive(lists: { indices: Int32Array; scores: Float32Array; k: number }, corpus: Float32Array, n: number, dim: number, queries: Float32Array, k: number, excludeSelf: boolean): void {
  const m = queries.length / dim;
  const reference = naiveTopK(corpus, n, dim, queries, Array.from({ length: m }, (_, i) => i), k, excludeSelf);
  reference.forEach((list, q) => list.forEach((hit, c) => {
    const got = lists.indices[q * k + c]!;
    // A float32 tie at the boundary may pick either row; then the scores must agree.
    if (got !== hit.index) assert.ok(Math.abs(lists.scores[q * k + c]! - hit.score) < 1e-6, `row ${q} rank ${c}: ${got} vs ${hit.index}`);
    assert.ok(Math.abs(lists.scores[q * k + c]! - hit.score) < 1e-5);
  }));
}

describe('exactTopK', () => {
  it('gives the hand-worked all-pairs lists, self excluded', async () => {
    // Rows: (1,0), (0,1), (0.6,0.8), (-1,0).
    const corpus = Float32Array.from([1, 0, 0, 1, 0.6, 0.8, -1, 0]);
    const lists = await exactTopK(corpus, 4, 2, 2, { workers: 0, backend: 'js' });
    assert.deepEqual(Array.from(lists.indices), [2, 1, 2, 0, 1, 0, 1, 2]);
  });

  for (const [label, options] of [
    ['inline JS kernel', { workers: 0, backend: 'js' as const }],
    ['two worker threads', { workers: 2, backend: 'js' as const }],
    ['onnxruntime-node graph', { workers: 2, backend: 'onnx' as const }],
    ['onnxruntime-web (WASM) graph in two worker threads', { workers: 2, backend: 'wasm' as const }],
  ] as const) {
    it(`agrees with the naive scan on random unit vectors: ${label}`, async () => {
      // 1,203 rows (not a multiple of the 4x4 blocks or the tiles), dim 67 (odd).
      const n = 1203, dim = 67, k = 10;
      const corpus = unitVectors(n, dim, 1);
      const lists = await exactTopK(corpus, n, dim, k, options);
      assert.equal(lists.n, n);
      // Each engine is installed here, so none may have fallen back to the JS kernel.
      assert.equal(lists.engine, { js: 'js', onnx: 'native', wasm: 'wasm' }[options.backend]);
      assertMatchesNaive(lists, corpus, n, dim, corpus, k, true);
      for (let q = 0; q < n; q++) assert.ok(!lists.indices.subarray(q * k, (q + 1) * k).includes(q));
    });
  }

  it('searches separate queries without excluding anything', async () => {
    const n = 500, dim = 32, k = 7;
    const corpus = unitVectors(n, dim, 2);
    const queries = unitVectors(37, dim, 3);
    const lists = await exactTopK(corpus, n, dim, k, { workers: 0, queries });
    assert.equal(lists.n, 37);
    assertMatchesNaive(lists, corpus, n, dim, queries, k, false);
  });

  it('pads with -1 / -Infinity when fewer than k other rows exist', async () => {
    const corpus = unitVectors(3, 4, 3);
    const lists = await exactTopK(corpus, 3, 4, 5, { workers: 0 });
    for (let q = 0; q < 3; q++) {
      const row = Array.from(lists.indices.subarray(q * 5, q * 5 + 5));
      assert.deepEqual(row.slice(2), [-1, -1, -1]);
      assert.deepEqual(row.slice(0, 2).sort(), [0, 1, 2].filter((j) => j !== q));
      assert.equal(lists.scores[q * 5 + 4], -Infinity);
    }
  });

  it('sampled query rows equal the same rows of the all-pairs search', async () => {
    const n = 800, dim = 24, k = 10;
    const corpus = unitVectors(n, dim, 4);
    const all = await exactTopK(corpus, n, dim, k, { workers: 0 });
    const rows = [0, 17, 399, 799];
    const some = await findNeighbors(corpus, n, dim, k, { method: 'exact', hnswThreshold: 1e9, m: 16, efConstruction: 200, efSearch: 64 }, { rows, workers: 0 });
    assert.equal(some.method, 'exact');
    assert.equal(some.recall, null);
    rows.forEach((r, p) => assert.deepEqual(Array.from(some.lists.indices.subarray(p * k, (p + 1) * k)), Array.from(all.indices.subarray(r * k, (r + 1) * k))));
    // dropSelf removes the row's own item even when it is not first.
    const cut = dropSelf({ n: 1, k: 3, indices: Int32Array.from([5, 9, 2]), scores: Float32Array.from([1, 0.9, 0.8]) }, [9], 2);
    assert.deepEqual(Array.from(cut.indices), [5, 2]);
    assert.deepEqual(Array.from(gatherRows(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, [2, 0])), [5, 6, 1, 2]);
  });

  it('stops with a cancelled DriftError, inline and in workers', async () => {
    const corpus = unitVectors(2000, 64, 5);
    const controller = new AbortController();
    controller.abort();
    for (const workers of [0, 2]) {
      await assert.rejects(exactTopK(corpus, 2000, 64, 10, { workers, backend: 'js', signal: controller.signal }),
        (err: unknown) => err instanceof DriftError && err.code === 'cancelled');
    }
    const late = new AbortController();
    const running = exactTopK(corpus, 2000, 64, 10, { workers: 2, backend: 'js', signal: late.signal });
    setTimeout(() => late.abort(), 5);
    await assert.rejects(running, (err: unknown) => err instanceof DriftError && err.code === 'cancelled');
  });

  it('rejects vectors that do not match n x dim with a clear message', async () => {
    await assert.rejects(exactTopK(new Float32Array(10), 4, 3, 2), /expected 4 x 3 vectors, got 10 values/);
  });
});
