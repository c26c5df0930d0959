// Files read back are validated on load: a real report and a real baseline pass; a damaged one is a
// DriftError('cache') that names the file and the first field at fault, never a TypeError later.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseConfig } from '../../../src/core/config';
import { hasBaseline, loadBaseline, loadBaselineReport, saveBaseline } from '../../../src/core/pipeline/baseline';
import { compare } from '../../../src/core/pipeline/compare';
import type { Report } from '../../../src/core/report/types';
import { checkedReport } from '../../../src/core/report/validate';
import { DriftError } from '../../../src/core/types';
import { Storage } from '../../../src/extension/storage';

describe('validation of files read back', function () {
  this.timeout(120_000);
  let root: string;
  let report: Report;
  let baselineDir: string;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-validate-'));
    fs.mkdirSync(path.join(root, 'docs'));
    for (let i = 0; i < 8; i++) fs.writeFileSync(path.join(root, 'docs', `p${i}.md`), `# Page ${i}\n\nVectors and anchors of page ${i} drift ${i % 3}.\n`);
    const config = parseConfig(JSON.stringify({
      corpus: { root, include: ['docs/**/*.md'] }, k: 2, search: { method: 'exact' },
      a: { model: { builtin: 'lexical', dimension: 16 }, chunker: { type: 'fixed', size: 40, overlap: 0 } },
      b: { model: { builtin: 'lexical', dimension: 16 }, chunker: { type: 'fixed', size: 30, overlap: 0 } },
    }), path.join(root, 'embedding-drift.json'));
    const session = await compare(config, { cacheDir: path.join(root, '.cache'), allowNetwork: false, workers: 0 });
    report = JSON.parse(JSON.stringify(session.report)) as Report;
    baselineDir = path.join(root, 'baseline');
    await saveBaseline(session, baselineDir);
    await session.dispose();
  });

  const damage = (message: RegExp) => (err: unknown): boolean => {
    assert.ok(err instanceof DriftError, `not a DriftError: ${String(err)}`);
    assert.equal(err.code, 'cache');
    assert.match(err.message, message);
    return true;
  };

  it('a real report passes as it is', () => {
    assert.equal(checkedReport(report, 'report.json'), report);
  });

  it('a report with a wrong field type, a missing section or no object at all is refused, naming the field', () => {
    const wrongType = structuredClone(report) as unknown as { neighbors: { meanJaccard: unknown } };
    wrongType.neighbors.meanJaccard = 'high';
    assert.throws(() => checkedReport(wrongType, 'report.json'), damage(/^The saved report report\.json is damaged or was written by another version \(at \/neighbors\/meanJaccard: must be number\); run the comparison again\.$/));
    const missing = structuredClone(report) as Partial<Report>;
    delete missing.anchors;
    assert.throws(() => checkedReport(missing, 'last.json'), damage(/last\.json .*at the top level: must have required property 'anchors'/));
    assert.throws(() => checkedReport([1, 2], 'x.json'), damage(/x\.json .*must be object/));
  });

  it('the extension\'s stored report: garbage JSON and a schema mismatch are DriftErrors, a good one loads', async () => {
    const storage = new Storage(path.join(root, 'global'), path.join(root, 'ws'));
    const file = path.join(root, 'stored.json');
    fs.writeFileSync(file, JSON.stringify(report));
    assert.deepEqual(await storage.readReport(file), report);
    fs.writeFileSync(file, '{"schemaVersion": 1, "tool": ');
    await assert.rejects(storage.readReport(file), damage(/stored\.json is damaged/));
    fs.writeFileSync(file, JSON.stringify({ ...report, chunks: 'many' }));
    await assert.rejects(storage.readReport(file), damage(/at \/chunks: must be object/));
    assert.equal(await storage.readReport(path.join(root, 'none.json')), undefined);
  });

  it("a baseline's report: the run's report read back, a damaged one refused with the baseline's remedy, none without a baseline", async () => {
    assert.equal(await hasBaseline(baselineDir), true);
    assert.deepEqual(await loadBaselineReport(baselineDir), report);
    const file = path.join(baselineDir, 'report.json');
    const original = fs.readFileSync(file, 'utf8');
    try {
      fs.writeFileSync(file, JSON.stringify({ ...report, neighbors: null }));
      await assert.rejects(loadBaselineReport(baselineDir), damage(/baseline[/\\]report\.json is damaged .*at \/neighbors: must be object\); save the baseline again\.$/));
    } finally {
      fs.writeFileSync(file, original);
    }
    const empty = path.join(root, 'no-baseline');
    assert.equal(await hasBaseline(empty), false);
    assert.equal(await loadBaselineReport(empty), undefined);
  });

  it('a baseline whose manifest is damaged is refused, naming baseline.json and the field', async () => {
    const good = await loadBaseline(baselineDir);
    assert.equal(good.chunks.length, report.chunkTable.a.length);
    const manifestFile = path.join(baselineDir, 'baseline.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { chunks: Array<{ start: unknown }>; corpus: { files: unknown } };
    const original = fs.readFileSync(manifestFile, 'utf8');
    try {
      manifest.chunks[0]!.start = '0';
      fs.writeFileSync(manifestFile, JSON.stringify(manifest));
      await assert.rejects(loadBaseline(baselineDir), damage(/^The baseline in .* is damaged \(baseline\.json at \/chunks\/0\/start: must be integer\); save it again\.$/));
      manifest.chunks[0]!.start = 0;
      manifest.corpus.files = null;
      fs.writeFileSync(manifestFile, JSON.stringify(manifest));
      await assert.rejects(loadBaseline(baselineDir), damage(/baseline\.json at \/corpus\/files: must be array/));
    } finally {
      fs.writeFileSync(manifestFile, original);
    }
  });
});
