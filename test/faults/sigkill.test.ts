// CLI runs killed with SIGKILL at seeded random moments, 20 times, alternating `compare` (cache,
// report.json/html) and `baseline save` (cache, baseline): each next run gives a report equal to a
// clean run's (or a baseline equal to a clean save), a report or baseline on disk is never torn,
// and the cache never serves a corrupt row.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddingCache } from '../../src/core/embedding/cache';
import { seededRandom } from '../../src/core/random';
import { loadBaseline, type Baseline } from '../../src/core/pipeline/baseline';
import type { Report } from '../../src/core/report/types';
import { compareArgs, readReport, spawnCli, writeSmallProject } from './support/cli';
import { comparableReport } from './support/reports';

const KILLS = 20;
const SEED = 20261124;

/** Opens every store the report's configurations use; returns the problems the checksums found. */
async function cacheProblems(cacheDir: string, report: Report): Promise<string[]> {
  const problems: string[] = [];
  for (const side of [report.configs.a, report.configs.b]) {
    const cache = await EmbeddingCache.open(path.join(cacheDir, 'embeddings'), side.fingerprint, side.dimension);
    problems.push(...cache.warnings);
  }
  return problems;
}

describe('faults: SIGKILL at random moments during a CLI run', function () {
  this.timeout(600_000);
  let base: string;
  let project: { config: string; corpus: string };
  let clean: Report;
  let cleanMs = 0;
  let cleanBaseline: Baseline;
  let cleanBaselineMs = 0;
  let warmMs = 0;
  let warmBaselineMs = 0;
  const saveArgs = (cacheDir: string, dir: string) => ['baseline', 'save', '--config', project.config, '--cache-dir', cacheDir, '--dir', dir, '--offline'];
  /** What two saves of the same corpus and configuration share. */
  const baselineContent = (b: Baseline) => ({ side: b.side, fingerprint: b.fingerprint, chunks: b.chunks, vectors: Buffer.from(b.vectors.buffer, b.vectors.byteOffset, b.vectors.byteLength).toString('base64') });

  before(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-sigkill-'));
    project = writeSmallProject(base);
    const started = Date.now();
    const r = await spawnCli(compareArgs(project.config, path.join(base, 'clean-cache'), path.join(base, 'clean-out'))).done;
    cleanMs = Date.now() - started;
    assert.equal(r.code, 0, r.stderr);
    clean = readReport(path.join(base, 'clean-out'));
    assert.ok(clean.chunks.a > 100 && clean.chunks.b > 100);
    const savedAt = Date.now();
    const saved = await spawnCli(saveArgs(path.join(base, 'clean-cache-2'), path.join(base, 'clean-baseline'))).done;
    cleanBaselineMs = Date.now() - savedAt;
    assert.equal(saved.code, 0, saved.stderr);
    cleanBaseline = await loadBaseline(path.join(base, 'clean-baseline'));
    // Kill moments are drawn from how long the same kind of run takes: a run on a warm cache is
    // several times shorter than a first run, and a moment drawn from the wrong one mostly lands
    // after the process has already finished.
    const rerunAt = Date.now();
    const rerun = await spawnCli(compareArgs(project.config, path.join(base, 'clean-cache'), path.join(base, 'clean-out-2'))).done;
    warmMs = Date.now() - rerunAt;
    assert.equal(rerun.code, 0, rerun.stderr);
    const resavedAt = Date.now();
    const resaved = await spawnCli(saveArgs(path.join(base, 'clean-cache-2'), path.join(base, 'clean-baseline-2'))).done;
    warmBaselineMs = Date.now() - resavedAt;
    assert.equal(resaved.code, 0, resaved.stderr);
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  it(`recovers from ${KILLS} kills: the next run's report or baseline equals a clean run's`, async () => {
    const random = seededRandom(SEED);
    const cacheDir = path.join(base, 'cache');
    const out = path.join(base, 'out');
    const outcomes = { killed: 0, finishedFirst: 0, repaired: 0 };
    const baselineDir = path.join(base, 'baseline');
    for (let i = 0; i < KILLS; i++) {
      const saving = i % 2 === 1;
      // Every other pair starts from an empty cache, so kills land in the writes of a first run too.
      const coldPair = Math.floor(i / 2) % 2 === 0;
      if (coldPair) fs.rmSync(cacheDir, { recursive: true, force: true });
      const delay = Math.floor(random() * (saving ? (coldPair ? cleanBaselineMs : warmBaselineMs) : (coldPair ? cleanMs : warmMs)));
      const args = saving ? saveArgs(cacheDir, baselineDir) : compareArgs(project.config, cacheDir, out);
      const { child, done } = spawnCli(args);
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      const killed = await done;
      clearTimeout(timer);
      if (killed.signal === 'SIGKILL') outcomes.killed++; else outcomes.finishedFirst++;
      const what = `${saving ? 'baseline save' : 'compare'} killed at ${delay} ms (kill ${i})`;
      // What is on disk is whole: a report parses, a baseline loads (written to temp names, renamed).
      if (fs.existsSync(path.join(out, 'report.json'))) readReport(out);
      if (fs.existsSync(baselineDir)) await loadBaseline(baselineDir);

      // The checksums catch whatever the kill left; the next run rebuilds it.
      const problems = fs.existsSync(cacheDir) ? await cacheProblems(cacheDir, clean) : [];
      if (problems.length > 0) outcomes.repaired++;
      const next = await spawnCli(args).done;
      assert.equal(next.code, 0, `run after ${what}: ${next.stderr}`);
      if (saving) assert.deepEqual(baselineContent(await loadBaseline(baselineDir)), baselineContent(cleanBaseline), `baseline after ${what}`);
      else assert.deepEqual(comparableReport(readReport(out)), comparableReport(clean), `report after ${what}`);
      assert.deepEqual(await cacheProblems(cacheDir, clean), [], `cache after the run that followed the ${what}`);
    }
    assert.ok(outcomes.killed >= KILLS / 2, `most runs were really killed mid-way: ${JSON.stringify(outcomes)}`);
  });
});
