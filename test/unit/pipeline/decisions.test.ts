// The decisions of issue 16 end to end through compare(): a side's vectors setting applied after
// embedding (described in configs, searched as its index ranks, its retention against the float
// side), migration depth in every one-corpus report (equal sides: full recall at K = k), and the
// noise floor on request (builtin:lexical: search only, the rest skipped with the reason).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultConfig } from '../../../src/core/config';
import type { DriftConfig } from '../../../src/core/config/types';
import { compare } from '../../../src/core/pipeline/compare';
import { DriftError } from '../../../src/core/types';
import type { Report } from '../../../src/core/report/types';
import { writeTree } from '../../support/files';
import Ajv from 'ajv';

const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(fs.readFileSync(path.join(__dirname, '../../../schemas/report.schema.json'), 'utf8')));

function checkSchema(report: Report): void {
  assert.ok(validate(JSON.parse(JSON.stringify(report))), JSON.stringify(validate.errors?.slice(0, 3)));
}

const WORDS = 'index vector query token chunk model cache search neighbor corpus install server client batch latency recall precision embedding graph layer weight proxy timeout header cookie stream'.split(' ');

/** Twelve pages of seeded sentences: enough chunks for neighbor lists, overlaps and ties. */
function pages(): Record<string, string> {
  let s = 11;
  const next = (): number => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
  const out: Record<string, string> = {};
  for (let p = 0; p < 12; p++) {
    const lines = [`# Page ${p}`, ''];
    for (let l = 0; l < 14; l++) lines.push(`${Array.from({ length: 10 }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ')}.`);
    out[`docs/page${p}.md`] = `${lines.join('\n')}\n`;
  }
  return out;
}

describe('decisions through compare()', function () {
  this.timeout(120_000);
  let dir: string;
  let corpus: string;
  let cacheDir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'drift-decisions-'));
    corpus = path.join(dir, 'corpus');
    cacheDir = path.join(dir, 'cache');
    await writeTree(corpus, pages());
    await writeFile(path.join(dir, 'anchors.jsonl'), [
      '{"query": "proxy timeout header", "expect": "docs/page3.md#L3-L8"}',
      '{"query": "stream cookie cache", "expect": "docs/page7.md"}',
      '{"query": "latency recall precision", "expect": "docs/page10.md#L5-L12"}',
    ].join('\n'));
  });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  function config(): DriftConfig {
    const c = defaultConfig(corpus);
    c.k = 5;
    c.anchors = path.join(dir, 'anchors.jsonl');
    c.a.chunker = { type: 'recursive', size: 160, overlap: 20, unit: 'chars' };
    c.b = { ...c.a, label: 'B' };
    return c;
  }

  it('equal sides: migration depth recovers all of B\'s top-k at K = k; no retention without a setting', async () => {
    const session = await compare(config(), { cacheDir, allowNetwork: false, workers: 0 });
    try {
      const m = session.report.migrationDepth!;
      assert.equal(m.comparison, 'same-items');
      assert.equal(m.items, session.report.chunks.a);
      assert.deepEqual(m.curve[0], { K: 5, recall: 1 });
      assert.deepEqual([m.recallAtK, m.kFor95Percent, m.kFor99Percent, m.kForAll, m.unreachable], [1, 5, 5, 5, 0]);
      assert.equal(session.report.retention, undefined);
      assert.equal(session.report.configs.b.vectors, undefined);
      assert.equal(session.report.noiseFloor, undefined);
      checkSchema(session.report);
    } finally {
      await session.dispose();
    }
  });

  it('B stores binary vectors with rescoring: described, ranked by Hamming, its retention against A', async () => {
    const c = config();
    c.b.vectors = { quantize: 'binary', rescore: 3 };
    const session = await compare(c, { cacheDir, allowNetwork: false, workers: 0 });
    try {
      const r = session.report;
      assert.deepEqual(r.configs.b.vectors, { description: 'binary, rescore 3x', quantize: 'binary', fromDimension: 384, rescore: 3 });
      assert.equal(r.configs.b.dimension, 384);
      const ret = r.retention!;
      assert.equal(ret.side, 'b');
      // Neighbors kept is A-to-B overlap@k: the float lists against the binary index's.
      assert.equal(ret.neighbors, r.neighbors.meanOverlap);
      assert.ok(ret.neighbors < 1, 'binary changes some lists');
      const ratio = r.anchors.a.ndcg10 === 0 ? null : Number((r.anchors.b.ndcg10 / r.anchors.a.ndcg10).toPrecision(4));
      assert.equal(ret.ndcg10, ratio);
      assert.match(ret.published!, /binary keeps about 92\.5% .* about 96% with it/);
      // Rescored lists are in float-cosine order (the full vectors' dot products, best first).
      for (const item of r.neighbors.items.slice(0, 20)) {
        for (let p = 1; p < item.scoresB.length; p++) assert.ok(item.scoresB[p - 1]! >= item.scoresB[p]!);
      }
      // The playground ranks the same way: a chunk's own text finds that chunk first.
      const hits = await session.search(r.chunkTable.b[4]!.text, 3);
      assert.equal(hits.b[0]!.chunk, 4);
      checkSchema(r);
    } finally {
      await session.dispose();
    }
  });

  it('A truncated and int8: ranges stated per dimension, retention measured on A\'s side', async () => {
    const c = config();
    c.a.vectors = { quantize: 'int8', dimensions: 128 };
    c.b = { ...c.b };
    delete c.b.vectors;
    const session = await compare(c, { cacheDir, allowNetwork: false, workers: 0 });
    try {
      const r = session.report;
      const v = r.configs.a.vectors!;
      assert.equal(v.description, 'first 128 of 384 dims, int8');
      assert.equal(r.configs.a.dimension, 128);
      assert.equal(v.int8Ranges!.rows, r.chunks.a);
      assert.equal(v.int8Ranges!.min.length, 128);
      assert.ok(v.int8Ranges!.min.every((lo, d) => lo <= v.int8Ranges!.max[d]!));
      assert.equal(r.retention!.side, 'a');
      assert.match(r.retention!.published!, /int8 .* \(for untruncated vectors\)/);
      // Migration depth ranks A's candidates by A's own (int8, 128-dim) index.
      assert.ok(r.migrationDepth!.recallAtK <= 1 && r.migrationDepth!.kForAll !== null);
      checkSchema(r);
    } finally {
      await session.dispose();
    }
  });

  it('noise floor on builtin:lexical: search only, backend and dtype skipped with the reason', async () => {
    const c = config();
    c.noiseFloor = true;
    c.b.chunker = { type: 'markdown', size: 120, overlap: 10, unit: 'chars' };
    const session = await compare(c, { cacheDir, allowNetwork: false, workers: 0 });
    try {
      const f = session.report.noiseFloor!;
      assert.deepEqual(f.sources.map((s) => s.source), ['search']);
      assert.equal(f.largest, 'search');
      assert.deepEqual(f.skipped.map((s) => s.source), ['backend', 'dtype']);
      assert.match(f.skipped[0]!.reason, /builtin:lexical has one implementation/);
      assert.equal(session.report.migrationDepth!.comparison, 'aligned');
      checkSchema(session.report);
    } finally {
      await session.dispose();
    }
  });

  it('more dimensions than the model has: one configuration error naming the field', async () => {
    const c = config();
    c.b.vectors = { dimensions: 1000 };
    await assert.rejects(compare(c, { cacheDir, allowNetwork: false, workers: 0 }),
      (e: unknown) => e instanceof DriftError && e.code === 'config' && /^b\.vectors\.dimensions is 1000, more than the model's 384 dimensions/.test(e.message));
  });
});
