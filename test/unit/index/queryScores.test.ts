// Query scoring that reuses the previous run's scores (a warm session): after chunks are edited,
// deleted and added and queries change, the result is bit for bit what scoring from nothing gives,
// and kept scores really are taken over (a poisoned previous score shows up where it must).
import * as assert from 'node:assert/strict';
import { scoreQueries, scoreQueriesReusing, type ScoredRows } from '../../../src/core/index/queryScores';
import { matchRows } from '../../../src/core/rows';
import { prepareVectors } from '../../../src/core/index/quantize';
import { scorePreparedQueries } from '../../../src/core/metrics/indexScores';
import { unitVectors } from '../metrics/support';

const dim = 24;
const depth = 5;

function rowsOf(v: Float32Array, rows: number[]): Float32Array {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => out.set(v.subarray(r * dim, (r + 1) * dim), i * dim));
  return out;
}

describe('scoreQueriesReusing', () => {
  const chunks = unitVectors(200, dim, 1);
  const queries = unitVectors(9, dim, 2);

  it('equals scoring from nothing after chunk edits, deletions, additions and query changes', async () => {
    const first = await scoreQueries(queries, chunks, 200, dim, depth);
    const previous: ScoredRows = { queries, chunks, dim, scores: first };
    // Chunks: 20 deleted, one edited, 7 new ones inserted; queries: one replaced, one added, order changed.
    const fresh = unitVectors(8, dim, 3);
    const kept = [...Array(200).keys()].filter((j) => j < 40 || j >= 60);
    const nextChunks = new Float32Array((kept.length + 7) * dim);
    nextChunks.set(rowsOf(chunks, kept.slice(0, 100)), 0);
    nextChunks.set(fresh.subarray(0, 7 * dim), 100 * dim);
    nextChunks.set(rowsOf(chunks, kept.slice(100)), 107 * dim);
    nextChunks.set(fresh.subarray(7 * dim), 50 * dim);
    const n = kept.length + 7;
    const nextQueries = new Float32Array(10 * dim);
    nextQueries.set(rowsOf(queries, [8, 7, 6, 5, 4, 3, 2, 1]), 0);
    nextQueries.set(unitVectors(2, dim, 4), 8 * dim);
    const reused = await scoreQueriesReusing(nextQueries, nextChunks, n, dim, depth, previous);
    const cold = await scoreQueries(nextQueries, nextChunks, n, dim, depth);
    assert.equal(reused.length, 10);
    reused.forEach((r, q) => {
      assert.deepEqual(r.top, cold[q]!.top);
      assert.deepEqual(Buffer.from(r.scores.buffer), Buffer.from(cold[q]!.scores.buffer), `query ${q}`);
    });
  });

  it('takes kept scores from the previous run (a poisoned one shows) and rescores changed chunks', async () => {
    const first = await scoreQueries(queries, chunks, 200, dim, depth);
    const poisoned = first.map((s) => ({ scores: Float32Array.from(s.scores), top: s.top }));
    poisoned[0]!.scores[10] = 42;
    poisoned[0]!.scores[11] = 42;
    const edited = Float32Array.from(chunks);
    edited.set(unitVectors(1, dim, 5), 11 * dim);
    const out = await scoreQueriesReusing(queries, edited, 200, dim, depth, { queries, chunks, dim, scores: poisoned });
    assert.equal(out[0]!.scores[10], 42, 'chunk 10 did not change: its score is the kept one');
    assert.notEqual(out[0]!.scores[11], 42, 'chunk 11 changed: scored again');
    assert.equal(out[0]!.top[0], 10);
  });

  it('a side with a vectors setting (float rows, int8 with rescoring) scores with kept rows as from nothing', async () => {
    for (const spec of [undefined, { quantize: 'int8' as const, rescore: 3 }]) {
      const before = prepareVectors(chunks, 200, dim, spec);
      let kept: ScoredRows | undefined;
      await scorePreparedQueries(before, queries, depth, undefined, { previous: undefined, keep: (x) => { kept = x; } });
      assert.ok(kept, 'the scoring was kept');
      // Two chunks edited; int8 ranges come from the new rows (a different calibration rescored whole is still exact).
      const edited = Float32Array.from(chunks);
      edited.set(unitVectors(2, dim, 8), 30 * dim);
      const after = prepareVectors(edited, 200, dim, spec);
      const reused = await scorePreparedQueries(after, queries, depth, undefined, { previous: kept, keep: () => undefined });
      const cold = await scorePreparedQueries(after, queries, depth);
      assert.deepEqual(reused.map((r) => r.top), cold.map((r) => r.top), JSON.stringify(spec));
      reused.forEach((r, q) => assert.deepEqual(Buffer.from(r.scores.buffer), Buffer.from(cold[q]!.scores.buffer)));
    }
  });

  it('matchRows matches rows by their bits only', () => {
    const a = unitVectors(5, dim, 6);
    const b = new Float32Array(4 * dim);
    b.set(a.subarray(3 * dim, 4 * dim), 0);
    b.set(a.subarray(0, dim), dim);
    const near = Float32Array.from(a.subarray(dim, 2 * dim));
    near[0] = Math.fround(near[0]! + 1e-7);
    b.set(near, 2 * dim);
    b.set(a.subarray(0, dim), 3 * dim);
    assert.deepEqual([...matchRows(b, a, dim)], [3, 0, -1, 0]);
  });
});
