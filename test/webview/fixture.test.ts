// The fixture reports the webview tests use are real reports: they validate against the report's
// JSON Schema, and their churn numbers are the core's over the neighbor lists they hold.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { neighborChurn } from '../../src/core/metrics/churn';
import { round } from '../../src/core/metrics/stats';
import { makeFixtureReport } from '../fixtures/make-report';

const schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../schemas/report.schema.json'), 'utf8'));

describe('fixture reports (test/fixtures/make-report.ts)', () => {
  for (const [name, options] of [
    ['default', {}], ['different chunkings', { chunks: 120, differentChunking: true }], ['hostile', { chunks: 100, hostile: true }],
  ] as const) {
    it(`${name}: validates against schemas/report.schema.json`, () => {
      const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
      const ok = validate(makeFixtureReport(options));
      assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 5)));
    });
  }

  for (const differentChunking of [false, true]) {
    it(`${differentChunking ? 'different chunkings' : 'same chunking'}: the neighbors block is what the report builder's neighborChurn makes of its lists`, async () => {
      const r = makeFixtureReport({ chunks: 120, differentChunking });
      const k = r.neighbors.k;
      const pack = (lists: number[][], scores: number[][]) => {
        const indices = new Int32Array(lists.length * k).fill(-1);
        const packed = new Float32Array(lists.length * k);
        lists.forEach((l, i) => { indices.set(l, i * k); packed.set(scores[i]!, i * k); });
        return { n: lists.length, k, indices, scores: packed };
      };
      const items = r.neighbors.items;
      const churn = await neighborChurn({
        chunksA: r.chunkTable.a, chunksB: r.chunkTable.b,
        neighborsA: { lists: pack(items.map((x) => x.neighborsA), items.map((x) => x.scoresA)), rows: items.map((x) => x.chunk) },
        // B's lists sit at their counterparts' rows.
        neighborsB: { lists: pack(items.map((x) => x.neighborsB), items.map((x) => x.scoresB)), rows: items.map((x) => x.counterpart) },
        counterpart: Int32Array.from(items, (x) => x.counterpart), sameItems: !differentChunking, k, churnThreshold: r.neighbors.churnThreshold,
      });
      assert.deepEqual(churn.items, items);
      assert.deepEqual(churn.histogram, r.neighbors.histogram);
      assert.equal(round(churn.meanJaccard), r.neighbors.meanJaccard);
      assert.equal(round(churn.churnedShare), r.neighbors.churnedShare);
      // The histogram counts overlap@k, one bin per value 0/k..k/k.
      assert.equal(r.neighbors.histogram.counts.length, k + 1);
      assert.equal(r.neighbors.histogram.counts.reduce((p, q) => p + q, 0), items.length);
      if (!differentChunking) assert.ok(items.some((x) => x.jaccard < 1) && items.some((x) => x.jaccard > 0), 'the fixture holds churned and kept chunks');
    });
  }

  it('chunk previews are their file text', () => {
    const r = makeFixtureReport({ chunks: 120, differentChunking: true });
    // A and B cut the same file texts: where their previews overlap, they agree character for character.
    for (const b of r.chunkTable.b) {
      for (const a of r.chunkTable.a.filter((c) => c.file === b.file)) {
        const from = Math.max(a.start, b.start), to = Math.min(a.start + a.text.length, b.start + b.text.length);
        if (from < to) assert.equal(a.text.slice(from - a.start, to - a.start), b.text.slice(from - b.start, to - b.start));
      }
    }
  });
});
