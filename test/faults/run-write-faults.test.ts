// Every file a whole run writes (embedding cache, report.json, report.html, baseline), failed in
// turn: for every N the N-th write fails (a torn write, or a full disk from then on). The run ends
// with a one-line DriftError or finishes; what was on disk before stays readable (old report whole,
// old baseline loadable, cache entries checked); the next run's report equals a clean run's.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeReport } from '../../src/cli/output';
import { parseConfig } from '../../src/core/config';
import { EmbeddingCache } from '../../src/core/embedding/cache';
import { loadBaseline, saveBaseline } from '../../src/core/pipeline/baseline';
import { compare } from '../../src/core/pipeline/compare';
import type { Report } from '../../src/core/report/types';
import { DriftError } from '../../src/core/types';
import { injectFsFaults } from './support/fs-faults';
import { comparableReport } from './support/reports';

const MODES = ['torn', 'full'] as const;

function writeCorpus(dir: string, from: number, to: number): void {
  fs.mkdirSync(dir, { recursive: true });
  for (let i = from; i < to; i++) {
    fs.writeFileSync(path.join(dir, `note${i}.md`), `# Note ${i}\n\nThe cache stores vectors for note ${i}.\n\n## Detail\n\nChunk ${i} talks about retrieval, anchors and drift ${i % 3}.\n`);
  }
}

describe('faults: every write of a whole run (cache, report, baseline) fails in turn', function () {
  this.timeout(600_000);
  let base: string;
  let corpus: string;
  let seeded: string;
  let clean: Report;
  let writes = 0;

  const config = () => parseConfig(JSON.stringify({
    corpus: { root: corpus, include: ['**/*.md'] },
    search: { method: 'exact' },
    a: { model: { builtin: 'lexical', dimension: 32 }, chunker: { type: 'recursive', size: 120, overlap: 10 } },
    b: { model: { builtin: 'lexical', dimension: 40 }, chunker: { type: 'markdown', size: 100, overlap: 0 } },
  }), path.join(base, 'embedding-drift.json'));

  /** compare(), then report.json + report.html, then a baseline: everything a CLI run writes. */
  async function fullRun(state: string): Promise<Report> {
    const session = await compare(config(), { cacheDir: path.join(state, 'cache'), allowNetwork: false, workers: 1 });
    try {
      await writeReport(session.report, path.join(state, 'out'));
      await saveBaseline(session, path.join(state, 'baseline'));
      return session.report;
    } finally {
      await session.dispose();
    }
  }

  before(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-run-faults-'));
    corpus = path.join(base, 'corpus');
    // The state before the run: cache, report and baseline of an earlier run on half the corpus.
    writeCorpus(corpus, 0, 4);
    seeded = path.join(base, 'seeded');
    await fullRun(seeded);
    writeCorpus(corpus, 4, 8);
    clean = await fullRun(path.join(base, 'clean'));
    const state = path.join(base, 'count');
    fs.cpSync(seeded, state, { recursive: true });
    const counter = injectFsFaults(state, undefined, 'eio');
    try {
      await fullRun(state);
    } finally {
      counter.restore();
    }
    writes = counter.writes;
    assert.ok(counter.log.some((l) => l.includes('report.html')) && counter.log.some((l) => l.includes('baseline')) && counter.log.some((l) => l.includes('manifest.json')),
      `the run writes cache, report and baseline: ${counter.log.join(', ')}`);
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  for (const mode of MODES) {
    it(`${mode}: at every N the run stops cleanly or finishes, old files stay whole, the next run is clean`, async () => {
      let stopped = 0;
      for (let n = 1; n <= writes; n++) {
        const state = path.join(base, `${mode}-${n}`);
        fs.cpSync(seeded, state, { recursive: true });
        const faults = injectFsFaults(state, n, mode);
        let error: unknown;
        try {
          await fullRun(state);
        } catch (err) {
          error = err;
        } finally {
          faults.restore();
        }
        const where = `${mode} at write ${n} (${faults.log[n - 1]})`;
        if (error !== undefined) {
          stopped++;
          assert.ok(error instanceof DriftError, `${where}: ${String(error)}`);
          assert.ok(!error.message.includes('\n'), `${where}: ${error.message}`);
        }
        // What the user has on disk is never torn: the report parses, the page is whole, the baseline loads.
        const out = path.join(state, 'out');
        assert.equal(JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')).schemaVersion, 1, where);
        assert.match(fs.readFileSync(path.join(out, 'report.html'), 'utf8').trimEnd(), /<\/html>$/i, where);
        await loadBaseline(path.join(state, 'baseline'));

        const next = await fullRun(state);
        assert.deepEqual(comparableReport(next), comparableReport(clean), `${where}: the next run differs from a clean run`);
        for (const side of [clean.configs.a, clean.configs.b]) {
          const store = await EmbeddingCache.open(path.join(state, 'cache', 'embeddings'), side.fingerprint, side.dimension);
          assert.deepEqual(store.warnings, [], `${where}: the cache still needs repair after the next run`);
        }
        fs.rmSync(state, { recursive: true, force: true });
      }
      assert.ok(stopped > 0, 'some faults stop the run (report or baseline cannot be written)');
    });
  }
});
