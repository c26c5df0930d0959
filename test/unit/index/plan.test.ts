// How search.method "auto" chooses for a large side (exact, HNSW, or a sample of query rows searched
// exactly), worked out by hand from the planning rates; a sample's lists against a brute-force scan;
// progress inside the search stage.
import * as assert from 'node:assert/strict';
import type { SearchSpec } from '../../../src/core/config/types';
import {
  autoSample, EXACT_MADDS_PER_SECOND, findNeighbors, HNSW_INSERT_SECONDS, MIN_AUTO_SAMPLE, SEARCH_BUDGET_SECONDS, searchSeconds, useHnsw,
} from '../../../src/core/index/search';
import type { ProgressEvent } from '../../../src/core/types';
import { unitVectors } from '../metrics/support';

const AUTO: SearchSpec = { method: 'auto', hnswThreshold: 50000, m: 16, efConstruction: 200, efSearch: 64 };

describe('search plan (search.method "auto" on large sides)', () => {
  it('states the rates the rule is worked from', () => {
    // The figures below are computed by hand from these; a change of rate must change them too.
    assert.equal(EXACT_MADDS_PER_SECOND, 3.2e10);
    assert.equal(HNSW_INSERT_SECONDS, 4.8e-3);
    assert.equal(SEARCH_BUDGET_SECONDS, 30);
    assert.equal(MIN_AUTO_SAMPLE, 2000);
  });

  it('estimates exact search as m x n x dim multiply-adds and an HNSW build per insert', () => {
    // 500 x 20,000 x 384 = 3.84e9 multiply-adds at 3.2e10/s: 0.12 s; 20,000 inserts x 4.8 ms = 96 s.
    const s = searchSeconds(AUTO, 20000, 500, 384);
    assert.ok(Math.abs(s.exact - 0.12) < 1e-9);
    assert.ok(Math.abs(s.hnsw - 96) < 1e-9);
    // Half the dimensions, twice M: the same insert cost.
    assert.ok(Math.abs(searchSeconds({ ...AUTO, m: 32 }, 20000, 500, 192).hnsw - 96) < 1e-9);
  });

  it('searches every chunk exactly below the threshold and while exact search fits the budget', () => {
    assert.equal(useHnsw(AUTO, 49999, 384), false);
    assert.equal(autoSample(AUTO, 49999, 384), null);
    // 50,000^2 x 384 / 3.2e10 = 30 s: within budget, and the HNSW build (240 s) is not: exact.
    assert.equal(useHnsw(AUTO, 50000, 384), false);
    assert.equal(autoSample(AUTO, 50000, 384), null);
  });

  it('samples query rows when exact search of every chunk is over budget, as many as the budget holds', () => {
    // 52,000^2 x 384 / 3.2e10 = 32.4 s > 30 s; rows = floor(30 x 3.2e10 / (52,000 x 384)) = 48,076.
    assert.equal(autoSample(AUTO, 52000, 384), 48076);
    // The 50 MB case's larger side: 191,000 chunks of 384: floor(9.6e11 / 73,344,000) = 13,089.
    assert.equal(autoSample(AUTO, 191000, 384), 13089);
    // 100 dimensions (GloVe): 191,000^2 x 100 / 3.2e10 = 114 s; floor(9.6e11 / 19,100,000) = 50,261.
    assert.equal(autoSample(AUTO, 191000, 100), 50261);
    // Never fewer than MIN_AUTO_SAMPLE: 3,000,000 x 384 would give 833.
    assert.equal(autoSample(AUTO, 3000000, 384), 2000);
  });

  it('keeps HNSW above a lowered threshold while its build fits the budget, and never starts a build of minutes', () => {
    // 1,500 inserts at 12 dimensions: 1,500 x 4.8 ms x 12/384 = 0.225 s.
    assert.equal(useHnsw({ ...AUTO, hnswThreshold: 1000 }, 1500, 12), true);
    // 6,250 x 4.8 ms = 30 s: the last size within budget at 384 dimensions; one more is over.
    assert.equal(useHnsw({ ...AUTO, hnswThreshold: 1000 }, 6250, 384), true);
    assert.equal(useHnsw({ ...AUTO, hnswThreshold: 1000 }, 6251, 384), false);
  });

  it('a forced method is obeyed: "exact" and "hnsw" never sample', () => {
    for (const method of ['exact', 'hnsw'] as const) assert.equal(autoSample({ ...AUTO, method }, 191000, 384), null);
    assert.equal(useHnsw({ ...AUTO, method: 'exact' }, 191000, 384), false);
    assert.equal(useHnsw({ ...AUTO, method: 'hnsw' }, 10, 384), true);
  });
});

/** Top-k of each query row by a plain double-precision scan, self left out, ties to the lower index. */
function bruteForce(vectors: Float32Array, n: number, dim: number, rows: number[], k: number): number[][] {
  return rows.map((q) => {
    const scored: Array<[number, number]> = [];
    for (let j = 0; j < n; j++) {
      if (j === q) continue;
      let s = 0;
      for (let d = 0; d < dim; d++) s += vectors[q * dim + d]! * vectors[j * dim + d]!;
      scored.push([j, s]);
    }
    scored.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
    return scored.slice(0, k).map(([j]) => j);
  });
}

describe('sampled search', () => {
  it('gives each sampled row the neighbors a brute-force scan of the whole side gives, exactly', async () => {
    const n = 3000, dim = 16, k = 10;
    const vectors = unitVectors(n, dim, 31);
    const rows = [0, 5, 77, 1024, 1500, 2222, 2999];
    // Above a lowered threshold HNSW would be built for all rows (3,000 x 4.8 ms x 16/384 = 0.6 s),
    // yet 7 sampled rows (7 x 3,000 x 16 multiply-adds) are searched exactly against every row.
    const spec: SearchSpec = { ...AUTO, hnswThreshold: 1000 };
    assert.equal(useHnsw(spec, n, dim), true);
    assert.equal(useHnsw(spec, n, dim, rows.length), false);
    const sampled = await findNeighbors(vectors, n, dim, k, spec, { rows, workers: 0 });
    assert.equal(sampled.method, 'exact');
    assert.equal(sampled.recall, null);
    assert.deepEqual(Array.from(sampled.rows), rows);
    const truth = bruteForce(vectors, n, dim, rows, k);
    rows.forEach((_, r) => assert.deepEqual(Array.from(sampled.lists.indices.subarray(r * k, (r + 1) * k)), truth[r], `row ${rows[r]}`));
  });

  it('reports progress with a total inside the search stage, up to every sampled row', async () => {
    const n = 4000, dim = 32, k = 10;
    const vectors = unitVectors(n, dim, 32);
    const rows = Array.from({ length: 900 }, (_, i) => i * 4);
    const events: ProgressEvent[] = [];
    await findNeighbors(vectors, n, dim, k, AUTO, { rows, workers: 0, onProgress: (e) => events.push(e) });
    const index = events.filter((e) => e.stage === 'index');
    assert.ok(index.length >= 3, `${index.length} progress events`);
    assert.ok(index.every((e) => e.total === rows.length));
    for (let i = 1; i < index.length; i++) assert.ok(index[i]!.done >= index[i - 1]!.done);
    assert.equal(index.at(-1)!.done, rows.length);
  });
});
