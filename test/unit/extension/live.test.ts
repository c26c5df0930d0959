// Live mode and stale reports without VS Code: which saves count, what the stale banner and the
// status bar say, and the debounced cancel-and-restart of reruns, with time driven by hand.
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultConfig } from '../../../src/core/config';
import { walkCorpus } from '../../../src/core/corpus';
import { markOutputFolder } from '../../../src/core/corpus/ownOutputs';
import {
  ChangeTracker, RerunScheduler, classifyChange, clockTime, describeStatus, isOwnOutput, watchedFiles, type Timers,
} from '../../../src/extension/live';
import { renderStandaloneHtml } from '../../../src/shared/html';
import { writeTree } from '../../support/files';
import { BASELINE_JSON, REPORT_JSON } from '../../support/own-outputs';
import { describeAge, describeStale } from '../../../src/shared/stale';

const ROOT = path.resolve('/work/ws');

describe('live mode: which files count', () => {
  const config = defaultConfig(ROOT);
  config.configPath = path.join(ROOT, 'embedding-drift.json');
  config.anchors = path.join(ROOT, 'anchors.jsonl');
  config.corpus.include = ['docs/**/*.md', '**/*.json'];
  config.corpus.exclude = ['docs/drafts/**'];
  const storage = path.join(ROOT, '.storage');
  const watched = watchedFiles(config, [config.configPath], [storage]);

  it('the configuration file is configuration even though it matches a corpus glob', () => {
    assert.equal(classifyChange(path.join(ROOT, 'embedding-drift.json'), watched), 'configuration');
  });

  it('the anchors file is anchors; corpus files by include and exclude', () => {
    assert.equal(classifyChange(path.join(ROOT, 'anchors.jsonl'), watched), 'anchors');
    assert.equal(classifyChange(path.join(ROOT, 'docs', 'guide', 'a.md'), watched), 'corpus');
    assert.equal(classifyChange(path.join(ROOT, 'docs', 'drafts', 'b.md'), watched), undefined, 'excluded');
    assert.equal(classifyChange(path.join(ROOT, 'src', 'a.ts'), watched), undefined, 'not included');
    assert.equal(classifyChange(path.join(ROOT, 'docs', 'a.txt'), watched), undefined, 'not included');
  });

  it('never node_modules, VCS folders, the extension\'s own storage or files outside the corpus', () => {
    assert.equal(classifyChange(path.join(ROOT, 'node_modules', 'x', 'package.json'), watched), undefined);
    assert.equal(classifyChange(path.join(ROOT, 'docs', 'node_modules', 'a.md'), watched), undefined);
    assert.equal(classifyChange(path.join(ROOT, '.git', 'config.json'), watched), undefined);
    assert.equal(classifyChange(path.join(storage, 'last-report.json'), watched), undefined);
    assert.equal(classifyChange(path.resolve('/elsewhere/docs/a.md'), watched), undefined);
    assert.equal(classifyChange(path.join(ROOT, '..', 'ws2', 'docs', 'a.md'), watched), undefined);
  });

  it('each side\'s corpus root is watched when the sides read two snapshots', () => {
    const two = defaultConfig(ROOT);
    two.a.corpusRoot = path.join(ROOT, 'then');
    two.b.corpusRoot = path.join(ROOT, 'now');
    const w = watchedFiles(two, [], []);
    assert.deepEqual(w.corpora.map((c) => c.root), [path.join(ROOT, 'then'), path.join(ROOT, 'now')]);
    assert.equal(classifyChange(path.join(ROOT, 'now', 'x.md'), w), 'corpus');
    assert.equal(classifyChange(path.join(ROOT, 'x.md'), w), undefined);
  });
});

describe('live mode: the tool\'s own outputs never count as changes', () => {
  let root: string;
  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'drift-live-own-'));
    await writeTree(root, {
      'embedding-drift.json': '{ "k": 5 }\n',
      'guide.md': '# Guide\n\nReal content.\n',
      'notes/about-drift.md': 'This page mentions "embedding-drift" and {"schemaVersion": 1} but is a user document.\n',
      'notes/data.json': '{ "schemaVersion": 1, "tool": "mine" }\n',
      // A folder the CLI wrote (marked), two levels above the file; a report and a baseline moved out of theirs.
      'reports/2026-11/report.json': REPORT_JSON,
      'reports/2026-11/nested/extra.md': 'inside a marked folder\n',
      'moved/report.json': REPORT_JSON,
      'old-baseline/baseline.json': BASELINE_JSON,
      // A configuration in a subfolder is the tool's by name.
      'sub/embedding-drift.json': '{ "k": 5 }\n',
    });
    await markOutputFolder(path.join(root, 'reports/2026-11'));
    await fs.writeFile(path.join(root, 'moved/report.html'), renderStandaloneHtml(JSON.parse(REPORT_JSON), { script: '', css: '' }));
  });
  after(async () => { await fs.rm(root, { recursive: true, force: true }); });

  const tree = ['guide.md', 'notes/about-drift.md', 'notes/data.json', 'reports/2026-11/report.json', 'reports/2026-11/nested/extra.md',
    'moved/report.json', 'moved/report.html', 'old-baseline/baseline.json', 'sub/embedding-drift.json'];

  it('a save counts exactly when the walker would read the file (checked file by file against walkCorpus)', async () => {
    const config = defaultConfig(root);
    config.configPath = path.join(root, 'embedding-drift.json');
    const watched = watchedFiles(config, [config.configPath], []);
    const walked = new Set((await walkCorpus(config.corpus)).files.map((f) => f.path));
    // The walker reads the user's documents and none of the outputs: the comparison below is not vacuous.
    assert.deepEqual([...walked].sort(), ['guide.md', 'notes/about-drift.md', 'notes/data.json']);
    for (const rel of tree) {
      const file = path.join(root, ...rel.split('/'));
      const text = await fs.readFile(file, 'utf8');
      const kind = classifyChange(file, watched);
      for (const given of [text, undefined]) {
        const counts = kind === 'corpus' && !(await isOwnOutput(file, watched, given));
        assert.equal(counts, walked.has(rel), `${rel} (${given === undefined ? 'read from disk' : 'saved text'})`);
      }
    }
  });

  it('a deleted file is judged by its place: in a marked folder it never counts', async () => {
    const config = defaultConfig(root);
    const watched = watchedFiles(config, [], []);
    assert.equal(await isOwnOutput(path.join(root, 'reports/2026-11/gone.md'), watched), true);
    assert.equal(await isOwnOutput(path.join(root, 'notes/gone.md'), watched), false);
    // The saved text decides over what is on disk (the document may differ from the file until the save lands).
    assert.equal(await isOwnOutput(path.join(root, 'guide.md'), watched, REPORT_JSON), true);
    assert.equal(await isOwnOutput(path.join(root, 'moved/report.json'), watched, '# now a page\n'), false);
  });
});

describe('stale reports: what the banner says', () => {
  it('counts the age from the first change and words each kind', () => {
    const t = new ChangeTracker();
    assert.equal(t.state(1000), null);
    t.note('configuration', '/w/embedding-drift.json', 1000);
    assert.equal(describeStale(t.state(13_000)!), 'stale: configuration changed 12 s ago');
    t.note('corpus', '/w/a.md', 5000);
    t.note('corpus', '/w/b.md', 6000);
    t.note('corpus', '/w/a.md', 9000);
    assert.deepEqual(t.state(61_000), { ageMs: 60_000, configuration: true, anchors: false, corpusFiles: 2 });
    assert.equal(describeStale(t.state(61_000)!), 'stale: configuration and 2 corpus files changed 1 min ago');
    t.note('anchors', '/w/anchors.jsonl', 9500);
    assert.equal(describeStale(t.state(61_000)!), 'stale: configuration, anchors file and 2 corpus files changed 1 min ago');
  });

  it('a finished run clears what it read; a change during the run stays', () => {
    const t = new ChangeTracker();
    t.note('corpus', '/w/a.md', 100);
    t.note('corpus', '/w/b.md', 300);
    t.runFinished(200);
    assert.deepEqual(t.files(), [path.resolve('/w/b.md')]);
    assert.equal(describeStale(t.state(3300)!), 'stale: 1 corpus file changed 3 s ago');
    t.runFinished(400);
    assert.equal(t.state(5000), null);
  });

  it('ages read in seconds, minutes, hours', () => {
    assert.deepEqual([0, 999, 59_999, 60_000, 3_599_999, 3_600_000, 7_300_000].map(describeAge),
      ['0 s ago', '0 s ago', '59 s ago', '1 min ago', '59 min ago', '1 h ago', '2 h ago']);
  });
});

describe('status bar wording', () => {
  const at = new Date(2026, 10, 29, 14, 3, 9).getTime();
  const last = { finishedAt: at, ms: 4200, labels: { a: 'today', b: 'candidate' } };

  it('shows live state and the last run\'s time', () => {
    assert.equal(clockTime(at), '14:03:09');
    assert.equal(describeStatus({ live: true, trusted: true, stale: null, last }).text, '$(pulse) Drift live 14:03:09');
    assert.equal(describeStatus({ live: false, trusted: true, stale: null, last }).text, '$(graph) Drift 14:03:09');
    assert.equal(describeStatus({ live: false, trusted: true, stale: null }).text, '$(graph) Drift');
    const tip = describeStatus({ live: true, trusted: true, stale: null, last: { ...last, change: '2 files changed, churn 31% -> 34%' } }).tooltip;
    assert.match(tip, /Last run 14:03:09 \(4\.2 s\): today vs candidate\./);
    assert.match(tip, /2 files changed, churn 31% -> 34%/);
    assert.match(tip, /Click to open the report\.$/);
  });

  it('a stale report (live off), a run in flight, a failed live rerun', () => {
    const stale = { ageMs: 12_000, configuration: true, anchors: false, corpusFiles: 0 };
    const v = describeStatus({ live: false, trusted: true, stale, last });
    assert.equal(v.text, '$(warning) Drift 14:03:09 (stale)');
    assert.match(v.tooltip, /stale: configuration changed 12 s ago/);
    assert.equal(describeStatus({ live: true, trusted: true, stale: null, last, running: 'Embedding B: 3/12' }).text, '$(sync~spin) Drift live: running');
    const failed = describeStatus({ live: true, trusted: true, stale: null, last, failure: 'Live rerun: embedding-drift.json: line 3, column 5: invalid JSON' });
    assert.equal(failed.text, '$(error) Drift live: failed');
    assert.match(failed.tooltip, /line 3, column 5/);
  });

  it('says what live mode does in Restricted Mode', () => {
    assert.match(describeStatus({ live: true, trusted: false, stale: null }).tooltip, /Restricted Mode: live runs download no model, call no hosted endpoint and run models on WASM\./);
    assert.doesNotMatch(describeStatus({ live: true, trusted: true, stale: null }).tooltip, /Restricted/);
  });
});

/** Timers driven by hand: advance(ms) fires what is due, in order. */
function manualTimers(): Timers & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let next = 1;
  const due = new Map<number, { at: number; fn: () => void }>();
  return {
    setTimeout: (fn, ms) => { const id = next++; due.set(id, { at: now + ms, fn }); return id; },
    clearTimeout: (id) => { due.delete(id as number); },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const first = [...due.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!first) break;
        due.delete(first[0]);
        now = first[1].at;
        first[1].fn();
      }
      now = end;
    },
    pending: () => due.size,
  };
}

/** A fake run slot: starts are recorded; a run ends when the test says so (or when cancelled and released). */
function runSlot() {
  const log: string[] = [];
  let current: { n: number; end: () => void; ended: Promise<void> } | undefined;
  let count = 0;
  const waiting: Array<() => void> = [];
  return {
    log,
    hooks: {
      cancelRunning: async () => {
        if (!current) return;
        log.push(`cancel ${current.n}`);
        // The old run winds down until the test releases it.
        await new Promise<void>((resolve) => { waiting.push(resolve); });
        current.end();
        await current.ended;
      },
      start: () => {
        const n = ++count;
        log.push(`start ${n}`);
        let end!: () => void;
        const ended = new Promise<void>((resolve) => { end = resolve; });
        const run = { n, end, ended: ended.then(() => { if (current === run) current = undefined; log.push(`end ${n}`); }) };
        current = run;
        return run.ended;
      },
    },
    finish: () => current?.end(),
    releaseCancel: () => { for (const resolve of waiting.splice(0)) resolve(); },
  };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('live reruns: debounce, cancel and restart', () => {
  it('saves within the delay make one run', async () => {
    const timers = manualTimers();
    const slot = runSlot();
    const s = new RerunScheduler(slot.hooks, 600, timers);
    s.trigger(); timers.advance(300);
    s.trigger(); timers.advance(300);
    s.trigger(); timers.advance(599);
    await settle();
    assert.deepEqual(slot.log, []);
    timers.advance(1);
    await settle();
    assert.deepEqual(slot.log, ['start 1']);
    slot.finish();
    await settle();
    assert.deepEqual(slot.log, ['start 1', 'end 1']);
  });

  it('a save while a run is in flight cancels it and starts again once it has stopped', async () => {
    const timers = manualTimers();
    const slot = runSlot();
    const s = new RerunScheduler(slot.hooks, 600, timers);
    s.trigger(); timers.advance(600); await settle();
    s.trigger(); timers.advance(600); await settle();
    assert.deepEqual(slot.log, ['start 1', 'cancel 1'], 'the new run waits for the old one to wind down');
    slot.releaseCancel(); await settle(); await settle();
    assert.deepEqual(slot.log, ['start 1', 'cancel 1', 'end 1', 'start 2']);
  });

  it('saves that arrive while the old run winds down fold into one new run', async () => {
    const timers = manualTimers();
    const slot = runSlot();
    const s = new RerunScheduler(slot.hooks, 600, timers);
    s.trigger(); timers.advance(600); await settle();
    s.trigger(); timers.advance(600); await settle();        // fire 2: cancels run 1, waits
    s.trigger(); timers.advance(600); await settle();        // fire 3: also waits on the same wind-down
    slot.releaseCancel(); await settle(); await settle(); await settle();
    assert.deepEqual(slot.log.filter((l) => l.startsWith('start')), ['start 1', 'start 2'], slot.log.join(', '));
  });

  it('turning live mode off drops a pending rerun; dispose ignores later saves', async () => {
    const timers = manualTimers();
    const slot = runSlot();
    const s = new RerunScheduler(slot.hooks, 600, timers);
    s.trigger(); timers.advance(300);
    assert.equal(s.pending, true);
    s.clear();
    assert.equal(s.pending, false);
    timers.advance(1000); await settle();
    assert.deepEqual(slot.log, []);
    s.dispose();
    s.trigger();
    assert.equal(timers.pending(), 0);
  });
});
