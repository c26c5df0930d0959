// The small pure parts of the adapter: settings under the file, anchors lines, baseline deltas,
// progress text, and the command table against package.json.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultConfig } from '../../../src/core/config';
import type { Report } from '../../../src/core/report/types';
import { anchorLine, anchorTarget, appendAnchor } from '../../../src/extension/anchors';
import { describeDeltas, headlineDeltas, sinceBaseline } from '../../../src/extension/baseline';
import { saveBaseline } from '../../../src/core/pipeline/baseline';
import { compare, compareWithBaseline } from '../../../src/core/pipeline/compare';
import { COMMAND_IDS } from '../../../src/extension/command-ids';
import { ProgressTracker, describeProgress, overallPercent } from '../../../src/extension/progress-text';
import { DEFAULT_SETTINGS, applySettings, fieldsSetInFile } from '../../../src/extension/settings';

const onnx = { dtype: 'q8', pooling: 'mean', normalize: true, queryPrefix: '', documentPrefix: '', backend: 'auto' } as const;

describe('extension settings', () => {
  it('default to the core\'s defaults, as package.json declares them', () => {
    const declared = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')).contributes.configuration.properties;
    for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) assert.equal(declared[`embeddingDrift.${key}`].default, value, key);
    const c = defaultConfig('/ws');
    assert.equal(DEFAULT_SETTINGS.defaultK, c.k);
    assert.equal(DEFAULT_SETTINGS.maxFileSizeKB * 1024, c.corpus.maxFileBytes);
  });

  it('fill only what the file leaves out', () => {
    const set = fieldsSetInFile('{ // c\n "k": 7, "corpus": { "maxFileBytes": 100 }, "b": { "model": { "id": "x/y", "backend": "wasm" } } }');
    assert.deepEqual(set, { k: true, maxFileBytes: true, backend: { a: false, b: true } });
    const c = defaultConfig('/ws');
    c.k = 7;
    c.a.model = { kind: 'hub', id: 'x/a', revision: 'main', ...onnx };
    c.b.model = { kind: 'hub', id: 'x/y', revision: 'main', ...onnx, backend: 'wasm' };
    const out = applySettings(c, { ...DEFAULT_SETTINGS, defaultK: 20, backend: 'native', maxFileSizeKB: 1 }, set, true);
    assert.equal(out.k, 7);
    assert.equal(out.corpus.maxFileBytes, c.corpus.maxFileBytes);
    assert.equal(out.a.model.kind === 'hub' && out.a.model.backend, 'native');
    assert.equal(out.b.model.kind === 'hub' && out.b.model.backend, 'wasm');
    assert.equal(c.a.model.kind === 'hub' && c.a.model.backend, 'auto', 'the input is not changed');
  });

  it('apply fully to the default configuration, and force WASM when untrusted', () => {
    const c = defaultConfig('/ws');
    c.a.model = { kind: 'local', path: '/ws/m', ...onnx, backend: 'native' };
    const out = applySettings(c, { ...DEFAULT_SETTINGS, defaultK: 3, maxFileSizeKB: 4 }, undefined, false);
    assert.equal(out.k, 3);
    assert.equal(out.corpus.maxFileBytes, 4096);
    assert.equal(out.a.model.kind === 'local' && out.a.model.backend, 'wasm');
    assert.deepEqual(out.b.model, c.b.model, 'builtin:lexical has no backend');
    c.b.model = { kind: 'builtin', name: 'glove', backend: 'native' };
    assert.deepEqual(applySettings(c, DEFAULT_SETTINGS, undefined, false).b.model, { kind: 'builtin', name: 'glove', backend: 'wasm' },
      'builtin:glove runs ONNX: WASM only in Restricted Mode');
    assert.deepEqual(applySettings(c, { ...DEFAULT_SETTINGS, backend: 'wasm' }, undefined, true).b.model, { kind: 'builtin', name: 'glove', backend: 'wasm' });
  });
});

describe('extension anchors', () => {
  it('writes path#Lx-Ly relative to the configuration folder, lines in order', () => {
    assert.equal(anchorTarget('/ws', '/ws/docs/setup.md', 10, 40), 'docs/setup.md#L10-L40');
    assert.equal(anchorTarget('/ws', '/ws/a.md', 9, 3), 'a.md#L3-L9');
  });

  it('appends one JSONL line, never glued to a last line without newline', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-anchor-'));
    try {
      const file = path.join(tmp, 'sub', 'anchors.jsonl');
      await appendAnchor(file, anchorLine('how to "install"?\nnow', 'a.md#L1-L2'));
      fs.appendFileSync(file, '{"query":"q","expect":"b.md#L1-L1"}');
      await appendAnchor(file, anchorLine('second', 'c.md#L5-L6'));
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      assert.equal(lines.length, 4);
      assert.equal(lines[3], '');
      assert.deepEqual(lines.slice(0, 3).map((l) => JSON.parse(l)), [
        { query: 'how to "install"?\nnow', expect: 'a.md#L1-L2' },
        { query: 'q', expect: 'b.md#L1-L1' },
        { query: 'second', expect: 'c.md#L5-L6' },
      ]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

function fakeReport(churned: number, jaccard: number, hits: number | null): Report {
  return {
    chunks: { a: 10, b: 12, sameChunking: false },
    neighbors: { k: 10, meanJaccard: jaccard, meanOverlap: 0.5, meanRbo: 0.6, churnedShare: churned },
    anchors: { count: hits === null ? 0 : 4, a: { hitAtK: hits ?? 0 }, b: { hitAtK: hits ?? 0 } },
    space: { linearCka: null },
  } as unknown as Report;
}

describe('extension baseline deltas', () => {
  it('a report against itself moves nothing', () => {
    const r = fakeReport(0.3, 0.4, 0.75);
    assert.ok(headlineDeltas(r, r).every((d) => d.delta === null || d.delta === 0));
    assert.deepEqual(describeDeltas(headlineDeltas(r, r)), []);
  });

  it('names what moved, with signed differences', () => {
    const lines = describeDeltas(headlineDeltas(fakeReport(0.1, 0.4, null), fakeReport(0.35, 0.25, 0.5)));
    assert.deepEqual(lines, [
      'mean Jaccard@10 0.400 -> 0.250 (-0.150)',
      'churned share 0.100 -> 0.350 (+0.250)',
      'anchors hit@10 A n/a -> 0.500',
      'anchors hit@10 B n/a -> 0.500',
    ]);
  });
});

describe('extension progress text', () => {
  it('describes stage, side, counts and time left', () => {
    assert.equal(describeProgress({ stage: 'embed', side: 'b', done: 120, total: 800 }, 40), 'Embedding B: 120/800, about 40 s left');
    assert.equal(describeProgress({ stage: 'walk', done: 0 }), 'Reading files');
    assert.equal(describeProgress({ stage: 'download', side: 'a', done: 1048576, total: 23 * 1048576, message: 'model.onnx' }), 'Downloading model A: 1 MB/23 MB, model.onnx');
  });

  it('the overall bar never moves backwards over a run and ends at 100', () => {
    const run = [
      { stage: 'walk', done: 1, total: 2 }, { stage: 'walk', done: 2, total: 2 },
      { stage: 'chunk', side: 'a', done: 5, total: 5 }, { stage: 'chunk', side: 'b', done: 5, total: 5 },
      { stage: 'embed', side: 'a', done: 50, total: 100 }, { stage: 'embed', side: 'a', done: 100, total: 100 },
      { stage: 'embed', side: 'b', done: 10, total: 100 }, { stage: 'embed', side: 'b', done: 100, total: 100 },
      { stage: 'index', done: 1, total: 1 }, { stage: 'metrics', done: 1, total: 1 }, { stage: 'report', done: 1, total: 1 },
    ] as const;
    const tracker = new ProgressTracker(() => 0);
    let total = 0;
    let last = -1;
    for (const e of run) {
      const p = overallPercent(e);
      assert.ok(p >= last, `${e.stage} ${'side' in e ? e.side : ''}`);
      last = p;
      total += tracker.update(e).increment;
    }
    assert.equal(last, 100);
    assert.equal(total, 100);
  });

  it('estimates time left from the current stage rate', () => {
    let now = 0;
    const tracker = new ProgressTracker(() => now);
    tracker.update({ stage: 'embed', side: 'a', done: 0, total: 110 });
    now = 10_000;
    assert.equal(tracker.update({ stage: 'embed', side: 'a', done: 10, total: 110 }).message, 'Embedding A: 10/110, about 2 min left');
    now = 100_000;
    assert.equal(tracker.update({ stage: 'embed', side: 'a', done: 100, total: 110 }).message, 'Embedding A: 100/110, about 10 s left');
  });
});

describe('extension command table', () => {
  it('registers exactly the commands package.json contributes, each with a title', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'));
    const contributed = pkg.contributes.commands.map((c: { command: string; title: string }) => {
      assert.ok(c.title.length > 0);
      return c.command;
    });
    assert.deepEqual([...contributed].sort(), [...COMMAND_IDS].sort());
    for (const id of COMMAND_IDS) assert.ok(fs.readFileSync(path.join(__dirname, '../../../src/extension/commands.ts'), 'utf8').includes(`'${id}': (c) =>`), id);
  });

  it('declares limited support for untrusted workspaces and settings with descriptions', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'));
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    const props = pkg.contributes.configuration.properties as Record<string, { description?: string; markdownDescription?: string }>;
    for (const key of ['defaultK', 'backend', 'workers', 'cacheLimitMB', 'maxFileSizeKB']) {
      const p = props[`embeddingDrift.${key}`];
      assert.ok(p && (p.description ?? p.markdownDescription), key);
    }
    for (const key of pkg.capabilities.untrustedWorkspaces.restrictedConfigurations) assert.ok(props[key], key);
    // A folder's own `live` must not start runs in Restricted Mode: VS Code ignores its workspace value there.
    assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('embeddingDrift.live'));
  });

  it('takes every user-facing string of package.json from package.nls.json, and nls holds no stale key', () => {
    const text = fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8');
    const nls = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.nls.json'), 'utf8')) as Record<string, string>;
    const used = [...text.matchAll(/"%([^"%]+)%"/g)].map((m) => m[1]!);
    assert.ok(used.length > 20);
    for (const key of used) assert.ok(typeof nls[key] === 'string' && nls[key].length > 0, `package.nls.json lacks ${key}`);
    assert.deepEqual(Object.keys(nls).filter((k) => !used.includes(k)), [], 'keys nothing uses');
    const pkg = JSON.parse(text);
    const strings = (x: unknown, at: string): Array<[string, string]> => typeof x === 'string' ? [[at, x]]
      : Array.isArray(x) ? x.flatMap((v, i) => strings(v, `${at}[${i}]`))
        : x && typeof x === 'object' ? Object.entries(x).flatMap(([k, v]) => strings(v, `${at}.${k}`)) : [];
    // Every title, label and description a person reads is a %key%.
    const literal = strings(pkg.contributes, 'contributes').filter(([at, v]) => /\.(title|label|description|markdownDescription)$|enumDescriptions\[\d+\]$/.test(at) && !/^%.+%$/.test(v));
    assert.deepEqual(literal, []);
  });

  it('says whose the entries in shared menus are (Embedding Drift submenu or a title naming Drift)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'));
    const nls = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.nls.json'), 'utf8')) as Record<string, string>;
    const text = (v: string): string => nls[v.replace(/^%|%$/g, '')] ?? v;
    const titles = new Map<string, string>(pkg.contributes.commands.map((c: { command: string; title: string }) => [c.command, text(c.title)]));
    const submenus = new Map<string, string>((pkg.contributes.submenus ?? []).map((s: { id: string; label: string }) => [s.id, text(s.label)]));
    const shared = ['editor/context', 'explorer/context', 'editor/title', 'editor/title/context', 'view/title'];
    for (const menu of shared) {
      for (const entry of pkg.contributes.menus[menu] ?? []) {
        const label = entry.submenu ? submenus.get(entry.submenu) : titles.get(entry.command);
        assert.ok(label && /Drift/.test(label), `${menu}: "${label}" does not say it belongs to Embedding Drift`);
      }
    }
  });
});

describe('extension baseline: like with like', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-baseline-like-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a chunker A/B run is compared with the same A/B run later, never with a snapshot run or another configuration', async function () {
    this.timeout(120_000);
    const corpus = path.join(dir, 'corpus');
    const para = (topic: string, n: number): string => Array.from({ length: n }, (_, i) => `${topic} note ${i}: chunks, neighbors and tokenizers drift when ${topic} changes.`).join(' ');
    fs.mkdirSync(corpus);
    for (const t of ['install', 'search', 'tokens', 'cache']) fs.writeFileSync(path.join(corpus, `${t}.md`), `# ${t}\n\n${para(t, 6)}\n\n## More ${t}\n\n${para(`${t} details`, 5)}\n`);
    const config = defaultConfig(corpus);
    config.k = 3;
    config.a.chunker = { type: 'recursive', size: 160, overlap: 20, unit: 'chars' };
    config.b.chunker = { type: 'markdown', size: 120, overlap: 0, unit: 'chars' };
    const options = { cacheDir: path.join(dir, 'cache'), allowNetwork: false, workers: 1 };
    const run = async (c = config) => { const s = await compare(c, options); await s.dispose(); return s.report; };
    const baseline = await run();
    // The same A/B later, after a page changed: comparable, and the numbers that moved are named.
    fs.appendFileSync(path.join(corpus, 'search.md'), `\n## Added\n\n${para('vector index', 8)}\n`);
    const later = await run();
    const same = sinceBaseline(baseline, later);
    assert.ok(same.comparable);
    assert.deepEqual(same.lines, describeDeltas(headlineDeltas(baseline, later)));
    assert.ok(same.lines.some((l) => l.startsWith('chunks A ')), `chunk counts moved: ${same.lines.join('; ')}`);
    // A snapshot run (the corpus against a saved side A) is another kind of run.
    const saved = await compare({ ...config, b: config.a }, options);
    await saveBaseline(saved, path.join(dir, 'baseline'));
    await saved.dispose();
    const snapshotSession = await compareWithBaseline(config, path.join(dir, 'baseline'), options);
    await snapshotSession.dispose();
    assert.deepEqual(sinceBaseline(baseline, snapshotSession.report),
      { comparable: false, reason: 'the baseline is a comparison of two configurations on one corpus and this run is a comparison of two snapshots of the corpus' });
    // Another chunker for B: the numbers would mix the setup change with drift.
    const other = await run({ ...config, b: { ...config.b, chunker: { type: 'sentence', size: 200, overlap: 0, unit: 'chars' } } });
    assert.deepEqual(sinceBaseline(baseline, other), { comparable: false, reason: "B's chunker changed (markdown 120/0 chars -> sentence 200/0 chars)" });
    assert.deepEqual(sinceBaseline(baseline, await run({ ...config, k: 4 })), { comparable: false, reason: 'k changed (3 -> 4)' });
  });
});
