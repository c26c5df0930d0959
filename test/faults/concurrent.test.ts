// Two CLI runs on one cache folder at the same time (two processes, from an empty cache): both
// finish with the clean report, and the cache they leave is valid and complete.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddingCache } from '../../src/core/embedding/cache';
import { compareArgs, readReport, spawnCli, writeSmallProject } from './support/cli';
import { comparableReport } from './support/reports';

describe('faults: two processes on one cache at once', function () {
  this.timeout(300_000);
  let base: string;
  before(() => { base = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-concurrent-')); });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  it('both finish with the clean report and the cache stays valid', async () => {
    const project = writeSmallProject(base);
    const clean = await spawnCli(compareArgs(project.config, path.join(base, 'clean-cache'), path.join(base, 'clean'))).done;
    assert.equal(clean.code, 0, clean.stderr);
    const expected = comparableReport(readReport(path.join(base, 'clean')));

    const cache = path.join(base, 'shared-cache');
    for (let round = 0; round < 2; round++) {
      // Round 0 starts from nothing (both write everything); round 1 from a full cache (both read).
      const runs = await Promise.all(['p', 'q'].map((tag) => spawnCli(compareArgs(project.config, cache, path.join(base, `${tag}${round}`))).done));
      for (const [i, r] of runs.entries()) {
        assert.equal(r.code, 0, `run ${i} of round ${round}: ${r.stderr}`);
        assert.deepEqual(comparableReport(readReport(path.join(base, `${['p', 'q'][i]}${round}`))), expected);
      }
    }
    const report = readReport(path.join(base, 'p0'));
    for (const side of [report.configs.a, report.configs.b]) {
      const store = await EmbeddingCache.open(path.join(cache, 'embeddings'), side.fingerprint, side.dimension);
      assert.deepEqual(store.warnings, [], 'the shared cache is valid');
      assert.ok(store.size >= report.chunks.a, `the cache holds every chunk (${store.size})`);
    }
  });
});
