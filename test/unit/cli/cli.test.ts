// The built CLI (dist/cli.js) as a user runs it: exit codes 0/1/2 with their messages, reports on
// disk, hostile files listed as skipped, tokens and help. Needs `node esbuild.js` (npm test builds).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeTree } from '../../support/files';

import { CLI, cli } from '../../support/cli';

const CORPUS: Record<string, string> = {
  'README.md': '# Project\n\nA small project about embeddings and retrieval.\n\n## Setup\n\nInstall with npm and run the demo.\n',
  'docs/chunking.md': '# Chunking\n\nRecursive splitting tries paragraphs, then lines, then words.\n\n## Overlap\n\nOverlap keeps sentences that cross a boundary in both chunks.\n',
  'docs/models.md': '# Models\n\nSentence embedding models map text to unit vectors; cosine similarity ranks neighbors.\n',
  'src/index.ts': '/** Entry point: wires the chunker and the index. */\nexport function main(): void {\n  console.log("hello");\n}\n',
};

describe('embedding-drift CLI (dist/cli.js)', function () {
  this.timeout(180_000);
  let dir: string;
  let corpus: string;
  let env: Record<string, string>;
  before(function () {
    if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `node esbuild.js` (npm test builds first).');
  });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'drift-cli-'));
    corpus = path.join(dir, 'corpus');
    await writeTree(corpus, CORPUS);
    env = { XDG_CACHE_HOME: path.join(dir, 'xdg-cache') };
  });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it('compare exits 0, writes report.json and report.html under the default cache dir, prints the summary and the path', () => {
    const r = cli(['compare', '--corpus', corpus, '--out', path.join(dir, 'out'), '--k', '3', '--fail-on', 'neighbors.churnedShare > 1'], dir, env);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(readFileSync(path.join(dir, 'out/report.json'), 'utf8'));
    assert.equal(report.neighbors.k, 3);
    assert.equal(report.corpus.files, 4);
    assert.ok(existsSync(path.join(dir, 'out/report.html')));
    assert.match(r.stdout, new RegExp(`report: ${path.join(dir, 'out/report.html').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.ok(existsSync(path.join(dir, 'xdg-cache/embedding-drift/embeddings')), 'cache not under $XDG_CACHE_HOME/embedding-drift');
    assert.equal(r.stderr.includes('fail-on condition held'), false);
    // Progress (stderr is not a terminal here: one line per stage) ends with writing the files.
    const stages = r.stderr.split('\n').filter((l) => /^(walk|chunk|embed|index|metrics|report)\b/.test(l));
    assert.equal(stages.at(-1), 'report (2): report.json', r.stderr);
  });

  it('exits 1 and names the condition that held, with the value', () => {
    const r = cli(['compare', '--corpus', corpus, '--out', path.join(dir, 'out'), '--fail-on', 'chunks.a > 1', '--fail-on', 'chunks.a < 0'], dir, env);
    assert.equal(r.status, 1, r.stderr);
    const report = JSON.parse(readFileSync(path.join(dir, 'out/report.json'), 'utf8'));
    assert.match(r.stderr, new RegExp(`fail-on condition held: chunks\\.a > 1 \\(chunks\\.a = ${report.chunks.a}\\)`));
    assert.equal(r.stderr.includes('chunks.a < 0'), false);
  });

  it('--json prints a parseable summary whose headline matches report.json', () => {
    const r = cli(['compare', '--corpus', corpus, '--out', path.join(dir, 'out'), '--json'], dir, env);
    assert.equal(r.status, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    const report = JSON.parse(readFileSync(summary.report, 'utf8'));
    assert.equal(summary.headline.churnedShare, report.neighbors.churnedShare);
    assert.equal(summary.headline.chunksA, report.chunks.a);
    assert.ok(Array.isArray(summary.summary) && summary.summary.length > 0);
    assert.deepEqual(summary.failedConditions, []);
    // A fresh cache embeds every chunk; the rerun embeds none.
    assert.equal(summary.stats.cache.a.misses, report.chunks.a);
    const rerun = JSON.parse(cli(['compare', '--corpus', corpus, '--out', path.join(dir, 'out'), '--json'], dir, env).stdout);
    assert.deepEqual(rerun.stats.cache.a, { hits: report.chunks.a, misses: 0 });
    assert.deepEqual(rerun.stats.cache.b, { hits: report.chunks.b, misses: 0 });
    assert.equal(JSON.parse(readFileSync(rerun.report, 'utf8')).tool.version, JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')).version);
  });

  it('exits 2 with a one-line message for usage errors, before running anything', () => {
    const bad = cli(['compare', '--corpus', corpus, '--fail-on', 'neighbors.churnShare > 0.3'], dir, env);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown field "neighbors\.churnShare" \(did you mean "neighbors\.churnedShare"\?\)/);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
    assert.equal(existsSync(path.join(dir, 'drift-report')), false);

    const option = cli(['compare', '--coprus', corpus], dir, env);
    assert.equal(option.status, 2);
    assert.match(option.stderr, /unknown option --coprus \(did you mean --corpus\?\)/);

    const command = cli(['comprae'], dir, env);
    assert.equal(command.status, 2);
    assert.match(command.stderr, /unknown command "comprae"/);
  });

  it('exits 2 naming the file and field of a configuration error, without a stack trace', async () => {
    const config = path.join(dir, 'embedding-drift.json');
    await writeFile(config, '{ "k": 10, "b": { "chunker": { "type": "recursive", "size": 100, "overlap": 600 } } }');
    const r = cli(['compare', '--config', config, '--corpus', corpus], dir, env);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /embedding-drift\.json/);
    assert.match(r.stderr, /b\.chunker\.overlap/);
    assert.equal(/\n\s+at /.test(r.stderr), false, `stack trace leaked: ${r.stderr}`);
  });

  it('exits 2 for a corpus folder that does not exist', () => {
    const r = cli(['compare', '--corpus', path.join(dir, 'missing')], dir, env);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^embedding-drift: Corpus folder .*missing does not exist\.\n$/);
    assert.equal(/\n\s+at /.test(r.stderr), false);
  });

  it('exits 2 when nothing in the folder matches the include patterns, instead of an empty report', async () => {
    const empty = path.join(dir, 'images');
    await writeTree(empty, { 'photo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47]) });
    const r = cli(['compare', '--corpus', empty, '--out', path.join(dir, 'out')], dir, env);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^embedding-drift: No files to compare in .*images: nothing matches corpus\.include \(4 patterns, the first "\*\*\/\*\.\{md,[^"]*"\) outside corpus\.exclude\.\n$/m);
    assert.equal(existsSync(path.join(dir, 'out/report.json')), false);
  });

  it('finds embedding-drift.json in the corpus folder like the extension does', async () => {
    await writeFile(path.join(corpus, 'embedding-drift.json'), JSON.stringify({ k: 2, a: { label: 'left' }, b: { label: 'right' } }));
    const r = cli(['compare', '--out', path.join(dir, 'out')], corpus, env);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(readFileSync(path.join(dir, 'out/report.json'), 'utf8'));
    assert.equal(report.neighbors.k, 2);
    assert.equal(report.configs.a.label, 'left');
  });

  it('finishes with exit 0 on a folder with hostile files and lists them as skipped', async () => {
    await writeFile(path.join(corpus, 'binary.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x0a]));
    await writeFile(path.join(corpus, 'latin1.md'), Buffer.from('caf\xe9 cr\xe8me, invalid UTF-8\n', 'latin1'));
    await writeFile(path.join(corpus, 'big.md'), 'x'.repeat(3 * 1024 * 1024));
    await writeFile(path.join(corpus, '"><img src=x onerror=alert(1)>.md'), '# XSS in a file name\n\nharmless text\n');
    await symlink(path.join(corpus, 'nowhere.md'), path.join(corpus, 'dangling.md'));
    await mkdir(path.join(corpus, 'loop'));
    await symlink(corpus, path.join(corpus, 'loop/again'));
    await writeFile(path.join(corpus, 'empty.md'), '');
    const r = cli(['compare', '--corpus', corpus, '--out', path.join(dir, 'out')], dir, env);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(readFileSync(path.join(dir, 'out/report.json'), 'utf8'));
    const skipped = new Map<string, string>(report.corpus.skipped.map((s: { path: string; reason: string }) => [s.path, s.reason]));
    for (const file of ['binary.md', 'big.md', 'latin1.md']) {
      assert.ok(skipped.has(file), `${file} not listed as skipped: ${JSON.stringify(report.corpus.skipped)}`);
      assert.match(r.stdout, new RegExp(`skipped: ${file.replace('.', '\\.')} \\(`));
    }
    const files = report.chunkTable.a.map((c: { file: string }) => c.file);
    assert.ok(files.includes('"><img src=x onerror=alert(1)>.md'));
    assert.ok(files.includes('docs/chunking.md'));
  });

  it('tokens shows both tokenizations with counts and marks unknown tokens', async () => {
    await writeFile(path.join(corpus, 'embedding-drift.json'), JSON.stringify({ a: { tokenizer: 'bert-base-uncased' }, b: { tokenizer: 'cl100k_base' } }));
    const r = cli(['tokens', '--corpus', corpus, 'hello world Tokenization ☃'], dir, env);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^A .*\(bert-base-uncased\): \d+ tokens, 1 unknown$/);
    assert.match(lines[1] ?? '', /hello\|world\|token\|##ization\|\?\[UNK\]\?|hello\|world\|token\|##ization\|\?☃\?/);
    // cl100k_base: "hello" 15339, " world" 1917 (worked out from the tiktoken vocabulary).
    const json = JSON.parse(cli(['tokens', '--corpus', corpus, '--json', 'hello world'], dir, env).stdout);
    assert.deepEqual(json[1].ids, [15339, 1917]);
    assert.equal(json[1].count, 2);
    assert.equal(cli(['tokens', '--corpus', corpus], dir, env).status, 2);
  });

  it('prints help with examples for every command', () => {
    for (const command of ['compare', 'tokens', 'demo', 'baseline']) {
      const r = cli([command, '--help'], dir, env);
      assert.equal(r.status, 0, `${command}: ${r.stderr}`);
      assert.match(r.stdout, /Usage: embedding-drift/);
      assert.match(r.stdout, /Examples:/);
    }
    const top = cli(['--help'], dir, env);
    assert.equal(top.status, 0);
    assert.match(top.stdout, /Commands:/);
  });

  it('demo builds a corpus of real package docs and source, compares offline and prints the report path', () => {
    const demoDir = path.join(dir, 'demo');
    const r = cli(['demo', '--builtin-only', '--dir', demoDir, '--fail-on', 'anchors.count < 10'], dir, env);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(readFileSync(path.join(demoDir, 'report/report.json'), 'utf8'));
    assert.ok(report.corpus.files >= 20, `only ${report.corpus.files} files`);
    assert.ok(report.chunkTable.a.some((c: { file: string }) => c.file === 'picomatch/README.md'));
    assert.ok(report.chunkTable.a.some((c: { file: string }) => c.file.endsWith('.js')), 'no source files');
    assert.equal(report.anchors.source, 'file');
    assert.equal(report.anchors.malformed.length, 0);
    assert.equal(report.chunks.sameChunking, false);
    assert.equal(report.configs.a.tokenizer, 'bert-base-uncased');
    assert.equal(report.configs.b.tokenizer, 'o200k_base');
    assert.ok(report.tokenization.newVocabulary.length > 0);
    assert.match(r.stdout, /report: .*report\.html\n$/);
    // A non-empty folder the demo did not make is never emptied.
    const other = cli(['demo', '--dir', corpus], dir, env);
    assert.equal(other.status, 2);
    assert.match(other.stderr, /not empty and was not made by the demo/);
    assert.ok(existsSync(path.join(corpus, 'README.md')));
  });

  it('Ctrl-C cancels with exit 130 and a "cancelled" line; the next run completes from a consistent cache', async () => {
    const demoDir = path.join(dir, 'demo');
    const child = spawn(process.execPath, [CLI, 'demo', '--builtin-only', '--dir', demoDir], { cwd: dir, env: { ...process.env, ...env } });
    let stderr = '';
    let signalled = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      // Interrupt once embedding has started, mid-run.
      if (!signalled && /embed A/.test(stderr)) { signalled = true; child.kill('SIGINT'); }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    assert.ok(signalled, `never saw the embed stage: ${stderr}`);
    assert.equal(code, 130, stderr);
    assert.match(stderr, /embedding-drift: cancelled\n$/);
    assert.equal(existsSync(path.join(demoDir, 'report/report.json')), false);
    const again = cli(['demo', '--builtin-only', '--dir', demoDir], dir, env);
    assert.equal(again.status, 0, again.stderr);
  });

  it('baseline save then compare: exit 0, the report compares then with now', async () => {
    const baseline = path.join(dir, 'baseline');
    const save = cli(['baseline', 'save', '--corpus', corpus, '--dir', baseline], dir, env);
    assert.equal(save.status, 0, save.stderr);
    assert.match(save.stdout, /baseline saved: 4 files/);
    await writeFile(path.join(corpus, 'docs/new.md'), '# Rerankers\n\nA cross-encoder reranks the first-stage hits.\n');
    const r = cli(['baseline', 'compare', '--corpus', corpus, '--dir', baseline, '--out', path.join(dir, 'out'), '--json'], dir, env);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(readFileSync(path.join(dir, 'out/report.json'), 'utf8'));
    assert.equal(report.configs.b.label, 'now');
    assert.match(report.configs.a.label, /^baseline /);
    assert.ok(report.chunks.b > report.chunks.a);
    const missing = cli(['baseline', 'compare', '--corpus', corpus, '--dir', path.join(dir, 'none')], dir, env);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /No baseline in/);
  });

  it('baseline save and compare both take a configuration with side A alone', async () => {
    const project = path.join(dir, 'a-only');
    await writeTree(path.join(project, 'docs'), CORPUS);
    await writeFile(path.join(project, 'embedding-drift.json'), JSON.stringify({
      corpus: { root: 'docs' }, a: { model: 'builtin:lexical', chunker: { type: 'markdown', size: 400, overlap: 0 } },
    }));
    const saved = cli(['baseline', 'save', '--dir', 'base'], project, env);
    assert.equal(saved.status, 0, saved.stderr);
    const r = cli(['baseline', 'compare', '--dir', 'base', '--out', 'out', '--k', '2'], project, env);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(readFileSync(path.join(project, 'out/report.json'), 'utf8'));
    assert.equal(report.configs.b.label, 'now');
    assert.equal(report.configs.b.chunker, report.configs.a.chunker);
    assert.equal(report.neighbors.churnedShare, 0, 'an unchanged corpus under the same configuration');
  });

  it('baseline compare after a file was removed and one added: churn and anchors over what is present in both, the rest counted apart', async () => {
    const project = path.join(dir, 'snapshot-project');
    const snap = path.join(project, 'corpus');
    await writeTree(snap, CORPUS);
    await writeFile(path.join(project, 'anchors.jsonl'), [
      { query: 'sentence embedding models and unit vectors', expect: 'docs/models.md#L1-L3' },
      { query: 'recursive splitting of paragraphs', expect: 'docs/chunking.md#L1-L3' },
    ].map((x) => JSON.stringify(x)).join('\n'));
    await writeFile(path.join(project, 'embedding-drift.json'), JSON.stringify({
      corpus: { root: 'corpus' }, anchors: 'anchors.jsonl', a: { model: 'builtin:lexical', chunker: { type: 'markdown', size: 200, overlap: 0 } },
    }));
    assert.equal(cli(['baseline', 'save', '--dir', 'base'], project, env).status, 0);
    await rm(path.join(snap, 'docs/models.md'));
    await writeFile(path.join(snap, 'docs/rerank.md'), '# Rerankers\n\nA cross-encoder reranks the first-stage hits.\n');
    const r = cli(['baseline', 'compare', '--dir', 'base', '--out', 'out', '--k', '2'], project, env);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(readFileSync(path.join(project, 'out/report.json'), 'utf8'));
    const removed = report.chunkTable.a.filter((c: { file: string }) => c.file === 'docs/models.md').length;
    const added = report.chunkTable.b.filter((c: { file: string }) => c.file === 'docs/rerank.md').length;
    assert.ok(removed > 0 && added > 0);
    assert.deepEqual(report.neighbors.unmatched, { a: removed, b: added });
    assert.equal(report.neighbors.items.length, report.chunks.a - removed);
    assert.ok(report.neighbors.items.every((x: { file: string }) => x.file !== 'docs/models.md'));
    assert.match(r.stdout, new RegExp(`over chunks present in both \\(${removed} chunks? of removed text and ${added} chunks? of added files left out\\)`));
    // The anchor on the removed page cannot be retrieved under B by any model: left out, not "missed".
    assert.equal(report.anchors.unmatched, 1);
    assert.equal(report.anchors.count, 1);
    assert.deepEqual(report.anchors.items.map((x: { file: string }) => x.file), ['docs/chunking.md']);
    assert.match(r.stdout, /1 anchor whose expected text is gone from now's corpus left out/);
    assert.doesNotMatch(r.stdout, /missed under now/);
  });
});
