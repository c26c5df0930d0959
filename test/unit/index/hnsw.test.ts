// HNSW through hnswlib-wasm, in memory: recall@10 against exact search at default settings, the
// reusable index answering single queries, and the recall the search stage reports.
import * as assert from 'node:assert/strict';
import { exactTopK } from '../../../src/core/index/exact';
import { DEFAULT_HNSW, HnswIndex, hnswTopK, recallAtK } from '../../../src/core/index/hnsw';
import { findNeighbors } from '../../../src/core/index/search';
import { unitVectors } from '../metrics/support';

describe('HNSW (hnswlib-wasm)', () => {
  it('reaches recall@10 >= 0.95 at default settings on 10,000 random unit vectors', async () => {
    // Dimension 16 keeps the build (the cost here) to seconds; M 16, efConstruction 200, ef 64.
    const n = 10000, dim = 16, k = 10;
    const vectors = unitVectors(n, dim, 21);
    const approx = await hnswTopK(vectors, n, dim, k, { params: DEFAULT_HNSW });
    const exact = await exactTopK(vectors, n, dim, k, { workers: 2 });
    const recall = recallAtK(approx, exact);
    assert.ok(recall >= 0.95, `recall@10 ${recall}`);
    for (let q = 0; q < n; q += 997) assert.ok(!approx.indices.subarray(q * k, (q + 1) * k).includes(q));
  });

  it('builds once and answers single queries, best first, with cosine scores', async () => {
    const n = 300, dim = 8;
    const vectors = unitVectors(n, dim, 22);
    const index = await HnswIndex.build(vectors, n, dim);
    try {
      const hits = index.query(vectors.subarray(5 * dim, 6 * dim), 3);
      assert.equal(hits[0]!.index, 5);
      assert.ok(Math.abs(hits[0]!.score - 1) < 1e-5);
      assert.ok(hits[0]!.score >= hits[1]!.score && hits[1]!.score >= hits[2]!.score);
      assert.equal(index.query(vectors.subarray(0, dim), 1000).length, n);
    } finally {
      index.dispose();
    }
  });

  it('the search stage switches to HNSW above the threshold and reports its recall', async () => {
    const n = 1500, dim = 12, k = 10;
    const vectors = unitVectors(n, dim, 23);
    const result = await findNeighbors(vectors, n, dim, k, { method: 'auto', hnswThreshold: 1000, m: 16, efConstruction: 200, efSearch: 64 }, { workers: 0 });
    assert.equal(result.method, 'hnsw');
    assert.ok(result.recall !== null && result.recall >= 0.95 && result.recall <= 1, `recall ${result.recall}`);
  });

  it('recall@k counts found exact neighbors', () => {
    const exact = { n: 2, k: 2, indices: Int32Array.from([1, 2, 0, 3]), scores: new Float32Array(4) };
    const approx = { n: 2, k: 2, indices: Int32Array.from([2, 5, 3, 0]), scores: new Float32Array(4) };
    assert.equal(recallAtK(approx, exact), 3 / 4);
  });
});
