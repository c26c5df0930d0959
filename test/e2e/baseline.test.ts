// Baselines in real VS Code (code-server + Chromium), as a user meets them: Compare with Baseline
// before there is one offers to make it (no CLI command, no storage path), the next Compare with
// Baseline compares the corpus with it, and a later comparison of configurations says how its
// headline numbers moved since the baseline (only like with like).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeWorkspace } from './support/workspace';
import {
  clickNotificationButton, installExtension, notifications, openWorkbench, removeTempDirs, runCommand, waitFor, type Workbench,
} from './support/workbench';
import { editAndSave, nextRun, reportCreatedAt, storedReport } from './support/editing';

const WITH_BASELINE = 'Embedding Drift: Compare with Baseline';
const COMPARE = 'Embedding Drift: Compare Configurations';

/** The workspace's baseline folder under the extension's workspace storage, or undefined before one is saved. */
function baselineManifest(wb: Workbench): string | undefined {
  const root = path.join(wb.userDataDir, 'User', 'workspaceStorage');
  for (const ws of fs.existsSync(root) ? fs.readdirSync(root) : []) {
    const file = path.join(root, ws, 'embedding-drift.embedding-drift', 'baseline', 'baseline.json');
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

/** Waits for a toast whose text matches and returns its text. */
async function toast(wb: Workbench, text: RegExp, what: string): Promise<string> {
  let seen: string[] = [];
  await waitFor(async () => (seen = await notifications(wb.page)).some((t) => text.test(t)), 120_000, () => `${what}: no toast ${text}; saw ${JSON.stringify(seen)}`);
  return seen.find((t) => text.test(t))!;
}

describe('Embedding Drift baselines in real VS Code (code-server)', function () {
  let wb: Workbench;
  let root: string;

  before(async function () {
    const extensionsDir = await installExtension();
    root = makeWorkspace('baseline');
    // Auto save would save while the test types: a person here saves with Ctrl+S.
    wb = await openWorkbench({ folder: root, extensionsDir, settings: { 'files.autoSave': 'off' } });
  });
  after(async () => {
    if (wb) await wb.close();
    removeTempDirs();
  });

  it('Compare with Baseline without one offers "Run and Save as Baseline", which runs and saves it', async () => {
    assert.equal(baselineManifest(wb), undefined, 'no baseline before the test');
    await runCommand(wb.page, WITH_BASELINE);
    const offer = await toast(wb, /has no baseline yet/, 'Compare with Baseline, no baseline');
    assert.doesNotMatch(offer, /embedding-drift baseline save|--dir/, 'no CLI command for a VS Code user');
    await clickNotificationButton(wb.page, /has no baseline yet/, 'Run and Save as Baseline');
    await toast(wb, /this run is now the baseline/, 'after Run and Save as Baseline');
    const manifest = baselineManifest(wb);
    assert.ok(manifest, 'the baseline folder was written');
    // What was saved is side A of the run just made: the report beside it is that run's.
    const saved = JSON.parse(fs.readFileSync(path.join(path.dirname(manifest), 'report.json'), 'utf8')) as { createdAt: string };
    assert.equal(saved.createdAt, storedReport(wb).createdAt);
  });

  it('with a baseline, Compare with Baseline compares the corpus as it is now with it (a snapshot run)', async () => {
    const before = reportCreatedAt(wb);
    // The corpus moves on after the baseline: a page is rewritten.
    await editAndSave(wb.page, 'installing.md', 'Download the archive and unpack it first. ');
    await runCommand(wb.page, WITH_BASELINE);
    await nextRun(wb, before, 'Compare with Baseline');
    const report = storedReport(wb);
    assert.ok(report.corpus.rootB !== undefined, 'a comparison of two snapshots: the baseline and now');
    assert.ok(!(await notifications(wb.page)).some((t) => /has no baseline yet/.test(t)), 'no second offer');
  });

  it('a later comparison of configurations says how the headline numbers moved since the baseline', async () => {
    const before = reportCreatedAt(wb);
    await runCommand(wb.page, COMPARE);
    await nextRun(wb, before, 'Compare Configurations');
    // Same configurations, one page rewritten: like with like, so deltas (or "no headline number moved"), never "not compared".
    const said = await toast(wb, /Since the baseline|Not compared with the baseline/, 'after Compare Configurations');
    assert.match(said, /Since the baseline: /, said);
  });
});
