// compare() end to end on a hostile corpus (binary, 30 MB, invalid UTF-8, symlink loop, unreadable,
// empty, CRLF, BOM, CJK and emoji, markup in names, 10,000 tiny files, a 5 MB one-line file, a file
// deleted and one rewritten mid-run): the run finishes, lists every skipped or changed file with its
// reason, and its results for the good files equal a run on the good files alone.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseConfig } from '../../src/core/config';
import { compare } from '../../src/core/pipeline/compare';
import type { Report } from '../../src/core/report/types';
import type { ProgressEvent } from '../../src/core/types';
import { buildHostileCorpus, HTML_NAME, writeGoodFiles, type HostileCorpus } from './support/hostile-corpus';
import { comparableReport } from './support/reports';

function configFor(root: string) {
  return parseConfig(JSON.stringify({
    corpus: { root: '.', include: ['**/*'], maxFileBytes: 6 * 1024 * 1024 },
    search: { method: 'exact' },
    a: { model: { builtin: 'lexical', dimension: 64 }, chunker: { type: 'recursive', size: 2000, overlap: 200 } },
    b: { model: { builtin: 'lexical', dimension: 64 }, chunker: { type: 'markdown', size: 1500, overlap: 0 } },
  }), path.join(root, 'embedding-drift.json'));
}

async function run(root: string, cacheDir: string, onProgress?: (e: ProgressEvent) => void): Promise<Report> {
  const session = await compare(configFor(root), { cacheDir, allowNetwork: false, workers: 2, ...(onProgress ? { onProgress } : {}) });
  try {
    return session.report;
  } finally {
    await session.dispose();
  }
}

describe('faults: hostile corpus through compare()', function () {
  this.timeout(600_000);
  let base: string;
  let corpus: HostileCorpus;
  let report: Report;
  const rewrittenTo = '# After\n\nentirely different words now\n';

  before(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-hostile-'));
    corpus = buildHostileCorpus(path.join(base, 'corpus'));
    let struck = false;
    report = await run(corpus.root, path.join(base, 'cache'), (e) => {
      // After the walk read every file, while chunking: change the disk under the run, for real.
      if (!struck && e.stage === 'chunk') {
        struck = true;
        fs.writeFileSync(path.join(corpus.root, 'docs', 'rewritten.md'), rewrittenTo);
        fs.rmSync(path.join(corpus.root, 'docs', 'deleted.md'));
      }
    });
    assert.ok(struck, 'the run reported chunking progress, so the files were changed mid-run');
  });
  after(() => {
    fs.chmodSync(path.join(base, 'corpus', 'docs', 'locked.md'), 0o644);
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('lists every skipped file with its reason', () => {
    const reasons = new Map(report.corpus.skipped.map((s) => [s.path, s.reason]));
    for (const [file, pattern] of corpus.skipped) {
      assert.ok(reasons.has(file), `${file} is not listed; skipped: ${JSON.stringify(report.corpus.skipped).slice(0, 600)}`);
      assert.match(reasons.get(file)!, pattern, file);
    }
    for (const s of report.corpus.skipped) assert.ok(s.reason.length > 0 && !s.reason.includes('\n'), `${s.path}: ${s.reason}`);
  });

  it('lists the files deleted and rewritten while the run was in progress', () => {
    const reasons = new Map(report.corpus.skipped.map((s) => [s.path, s.reason]));
    assert.match(reasons.get('docs/rewritten.md') ?? '(not listed)', /changed/i);
    assert.match(reasons.get('docs/deleted.md') ?? '(not listed)', /deleted|vanished|removed/i);
  });

  it('keeps every good file, markup and quotes in names as plain data', () => {
    assert.equal(report.corpus.files, corpus.good.size);
    const files = new Set(report.chunkTable.a.map((c) => c.file));
    assert.ok(files.has(`docs/${HTML_NAME}`));
    assert.ok(files.has('src/bundle.min.md'));
    assert.ok(files.has('tiny/09/t9999.md'));
    assert.ok(!files.has('docs/empty.md'), 'an empty file has no chunk');
    // The 5 MB line is cut into chunks no longer than the chunker's size.
    const bundle = report.chunkTable.a.filter((c) => c.file === 'src/bundle.min.md');
    assert.ok(bundle.length >= (5 * 1024 * 1024) / 2000 && bundle.every((c) => c.end - c.start <= 2000));
  });

  it('gives the same results for the good files as a run on the good files alone', async () => {
    const alone = path.join(base, 'alone');
    writeGoodFiles(corpus, alone);
    const reference = await run(alone, path.join(base, 'cache-alone'));
    assert.deepEqual(comparableReport(report), comparableReport(reference));
  });
});
