// The noise floor: identical settings give no churn; approximate against exact search gives churn
// shaped like 1 - recall on clustered data (the mean overlap@k with the exact lists is recall@k, and
// the churned share is the share of items whose own recall falls below the threshold); the floor
// is the source that churned most, and nothing measured means no floor (null), never 0.
import * as assert from 'node:assert/strict';
import { exactTopK } from '../../../src/core/index/exact';
import { hnswTopK, recallAtK } from '../../../src/core/index/hnsw';
import type { NeighborLists } from '../../../src/core/index/types';
import { gaussian, seededRandom } from '../../../src/core/random';
import { sameItemChurn, summarizeNoiseFloor } from '../../../src/core/metrics/noiseFloor';
import type { ChunkSpan } from '../../../src/core/types';

function clustered(n: number, dim: number, clusters: number, spread: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const centers = Array.from({ length: clusters }, () => Array.from({ length: dim }, () => gaussian(random)));
  const v = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = centers[i % clusters]!;
    let norm = 0;
    for (let d = 0; d < dim; d++) { const x = c[d]! + spread * gaussian(random); v[i * dim + d] = x; norm += x * x; }
    for (let d = 0; d < dim; d++) v[i * dim + d]! /= Math.sqrt(norm);
  }
  return v;
}

const spans = (n: number): ChunkSpan[] => Array.from({ length: n }, (_, i) => ({ file: `f${i % 7}`, start: i * 10, end: i * 10 + 10 }));
const rowsOf = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

describe('noise floor', () => {
  it('identical settings give a floor of 0', async () => {
    const n = 300, dim = 16, k = 10;
    const v = clustered(n, dim, 12, 0.6, 1);
    const first = await exactTopK(v, n, dim, k, { workers: 0 });
    const again = await exactTopK(Float32Array.from(v), n, dim, k, { workers: 0 });
    const churn = await sameItemChurn({ lists: first, rows: rowsOf(n) }, { lists: again, rows: rowsOf(n) }, spans(n), k, 0.5);
    assert.deepEqual(churn, { churnedShare: 0, meanJaccard: 1, meanOverlap: 1 });
    const floor = summarizeNoiseFloor([{ source: 'search', variant: 'exact against exact', ...churn }], []);
    assert.equal(floor.churnedShare, 0);
    assert.equal(floor.largest, 'search');
  });

  it('exact against HNSW churns like 1 - recall on clustered data', async () => {
    const n = 3000, dim = 16, k = 10, threshold = 0.9;
    const v = clustered(n, dim, 30, 0.35, 2);
    const exact = await exactTopK(v, n, dim, k, { workers: 0 });
    // A small graph and a short candidate list, so the index misses some neighbors.
    const approx = await hnswTopK(v, n, dim, k, { params: { m: 4, efConstruction: 16, efSearch: 10 } });
    const recall = recallAtK(approx, exact);
    assert.ok(recall > 0.5 && recall < 0.99, `recall ${recall}: the test needs an index that misses some`);
    const churn = await sameItemChurn({ lists: exact, rows: rowsOf(n) }, { lists: approx, rows: rowsOf(n) }, spans(n), k, threshold);
    assert.ok(Math.abs(1 - churn.meanOverlap - (1 - recall)) < 1e-9, `1 - overlap ${1 - churn.meanOverlap}, 1 - recall ${1 - recall}`);
    const row = (l: NeighborLists, r: number): Set<number> => new Set(l.indices.subarray(r * k, (r + 1) * k));
    let below = 0;
    for (let r = 0; r < n; r++) {
      const e = row(exact, r);
      let found = 0;
      for (const x of row(approx, r)) if (e.has(x)) found++;
      if (found / k < threshold) below++;
    }
    assert.equal(churn.churnedShare, below / n);
    assert.ok(churn.churnedShare > 0);
  });

  it('the floor is the source that churned most; nothing measured is no floor', () => {
    const floor = summarizeNoiseFloor([
      { source: 'search', variant: 'HNSW instead of exact', churnedShare: 0.01, meanJaccard: 0.98, meanOverlap: 0.99 },
      { source: 'dtype', variant: 'fp32 instead of q8', churnedShare: 0.04, meanJaccard: 0.9, meanOverlap: 0.95 },
      { source: 'backend', variant: 'WASM instead of native', churnedShare: 0.04, meanJaccard: 0.95, meanOverlap: 0.97 },
    ], []);
    assert.equal(floor.largest, 'dtype');
    assert.equal(floor.churnedShare, 0.04);
    assert.equal(floor.meanJaccard, 0.9);
    const none = summarizeNoiseFloor([], [{ source: 'backend', reason: 'builtin:lexical has one implementation' }]);
    assert.deepEqual({ c: none.churnedShare, j: none.meanJaccard, l: none.largest }, { c: null, j: null, l: null });
    assert.equal(none.skipped.length, 1);
  });
});
