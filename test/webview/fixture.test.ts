// The fixture reports the webview tests use are real reports: they validate against the report's
// JSON Schema, and their churn numbers follow from the neighbor lists they hold.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { histogram, jaccard, makeFixtureReport, rboAtDepth } from '../fixtures/make-report';

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

  it('churn items agree with their neighbor lists; chunk previews are their file text', () => {
    const r = makeFixtureReport({ chunks: 120, differentChunking: true });
    for (const it of r.neighbors.items) {
      const mapped = it.neighborsA.map((x) => r.neighbors.items[x]!.counterpart);
      assert.equal(it.jaccard, Math.round(jaccard(mapped, it.neighborsB) * 1e4) / 1e4);
      assert.equal(it.overlap, it.keptA.filter(Boolean).length / r.neighbors.k);
      assert.deepEqual(it.keptA, mapped.map((x) => it.neighborsB.includes(x)));
      assert.deepEqual(it.keptB, it.neighborsB.map((y) => mapped.includes(y)));
    }
    assert.deepEqual(r.neighbors.histogram, histogram(r.neighbors.items.map((x) => x.jaccard), 10));
    // A and B cut the same file texts: where their previews overlap, they agree character for character.
    for (const b of r.chunkTable.b) {
      for (const a of r.chunkTable.a.filter((c) => c.file === b.file)) {
        const from = Math.max(a.start, b.start), to = Math.min(a.start + a.text.length, b.start + b.text.length);
        if (from < to) assert.equal(a.text.slice(from - a.start, to - a.start), b.text.slice(from - b.start, to - b.start));
      }
    }
  });

  it('rboAtDepth: 1 for identical lists, 0 for disjoint ones, and the hand-worked prefix value', () => {
    assert.ok(Math.abs(rboAtDepth([1, 2, 3], [1, 2, 3]) - 1) < 1e-12);
    assert.equal(rboAtDepth([1, 2, 3], [4, 5, 6]), 0);
    // Depth 2, p = 0.9: agreement 0 at d=1, 1/2 at d=2 -> (0.1 * 0.9 * 0.5) / (1 - 0.81) = 0.045 / 0.19.
    assert.ok(Math.abs(rboAtDepth([1, 2], [2, 3]) - 0.045 / 0.19) < 1e-12);
  });
});
