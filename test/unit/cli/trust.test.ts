// The built CLI on the cases where a user could be misled: its own outputs read back as corpus,
// empty and tiny corpora, gates on unmeasurable numbers, unwritable output folders, signals.
// Needs `node esbuild.js` (npm test builds first).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import { writeTree } from '../../support/files';

const validateReport = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(path.resolve(__dirname, '../../../schemas/report.schema.json'), 'utf8')));

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

/** The last line on stderr: progress lines come before the message. */
function lastLine(text: string): string {
  return text.trimEnd().split('\n').pop() ?? '';
}

interface Run { status: number | null; stdout: string; stderr: string }

function cli(args: string[], cwd: string, env: Record<string, string>): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Six short pages, as in the report that found the problem. */
const DOCS: Record<string, string> = Object.fromEntries(['install', 'quickstart', 'clients', 'async', 'timeouts', 'proxies'].map((name, i) => [
  `${name}.md`,
  `# ${name}\n\n${`The ${name} page explains part ${i} of the HTTP client: requests, responses, headers and errors. `.repeat(6)}\n\n## Details\n\nMore about ${name}, with examples.\n`,
]));

describe('CLI: runs a user can trust', function () {
  this.timeout(180_000);
  let dir: string;
  let env: Record<string, string>;
  before(function () {
    if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `node esbuild.js` (npm test builds first).');
  });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'drift-trust-'));
    env = { XDG_CACHE_HOME: path.join(dir, 'xdg-cache') };
  });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it('`cd docs && compare && baseline save`: the baseline holds the docs only, not the report just written', async () => {
    const docs = path.join(dir, 'docs');
    await writeTree(docs, DOCS);
    const compared = cli(['compare', '--json'], docs, env);
    assert.equal(compared.status, 0, compared.stderr);
    const report = JSON.parse(readFileSync(path.join(docs, 'drift-report/report.json'), 'utf8'));
    assert.equal(report.corpus.files, 6);
    const saved = cli(['baseline', 'save'], docs, env);
    assert.equal(saved.status, 0, saved.stderr);
    const manifest = JSON.parse(readFileSync(path.join(docs, 'drift-baseline/baseline.json'), 'utf8'));
    assert.deepEqual(manifest.corpus.files.map((f: { path: string }) => f.path).sort(), Object.keys(DOCS).sort());
    assert.equal(manifest.chunks.length, report.chunks.a);
    // A later run into another folder leaves both earlier outputs out and says so once.
    const again = cli(['compare', '--out', path.join(docs, 'second')], docs, env);
    assert.equal(again.status, 0, again.stderr);
    const second = JSON.parse(readFileSync(path.join(docs, 'second/report.json'), 'utf8'));
    assert.equal(second.corpus.files, 6);
    // drift-report: report.json + report.html; drift-baseline: baseline.json.
    assert.deepEqual(second.warnings.filter((w: string) => w.includes('written by Embedding Drift')),
      ['3 files written by Embedding Drift (reports, baselines, its configuration) were left out of the corpus.']);
    assert.equal(again.stdout.split('written by Embedding Drift').length - 1, 1);
  });

  it('a corpus whose only file is empty exits 2 with the reason, not an empty report that passes every gate', async () => {
    await writeTree(path.join(dir, 'c'), { 'empty.md': '' });
    const r = cli(['compare', '--corpus', 'c', '--out', 'out', '--fail-on', 'neighbors.churnedShare > 0.3'], dir, env);
    assert.equal(r.status, 2, r.stdout);
    assert.equal(lastLine(r.stderr), `embedding-drift: No text to compare in ${path.join(dir, 'c')}: its only file, empty.md, is empty. Add text or point corpus.root at another folder.`);
    assert.equal(existsSync(path.join(dir, 'out/report.json')), false);
  });

  it('a folder with only binary files says they matched and were skipped as binary, not that nothing matched', async () => {
    await writeTree(path.join(dir, 'c'), { 'a.md': Buffer.from('PK\0\x03binary'), 'b.txt': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]) });
    const r = cli(['compare', '--corpus', 'c', '--out', 'out'], dir, env);
    assert.equal(r.status, 2, r.stdout);
    assert.match(lastLine(r.stderr), /^embedding-drift: No files to compare in \S+: 2 files matched corpus\.include but are all binary and were skipped \(e\.g\. a\.md: binary file \(NUL byte at byte 2\)\)\.$/);
    assert.equal(r.stderr.includes('nothing matches'), false);
  });

  it('a side with k chunks or fewer: churnedShare is null with the reason, the summary says so, and a gate on it is an error', async () => {
    await writeTree(path.join(dir, 'c'), { 'one.md': '# One\n\nFirst short page about clients.\n', 'two.md': '# Two\n\nSecond short page about proxies.\n', 'three.md': '# Three\n\nThird page, on timeouts.\n' });
    const r = cli(['compare', '--corpus', 'c', '--out', 'out', '--fail-on', 'neighbors.churnedShare > 0.3', '--fail-on', 'chunks.a < 1'], dir, env);
    assert.equal(r.status, 2, r.stderr);
    const report = JSON.parse(readFileSync(path.join(dir, 'out/report.json'), 'utf8'));
    assert.ok(validateReport({ ...report }), JSON.stringify(validateReport.errors));
    assert.equal(report.neighbors.churnedShare, null);
    const reason = 'A has 3 distinct chunks, not more than k = 10, so every chunk\'s neighbor list is the whole rest of the corpus and cannot change; lower k below the number of chunks or add text';
    assert.deepEqual(report.notMeasured, { 'neighbors.churnedShare': reason });
    assert.ok(report.warnings.includes(`Churned share is not measured: ${reason}.`));
    assert.ok(r.stdout.includes(`  - Neighbor churn at k = 10 is not measured: ${reason}.`), r.stdout);
    assert.equal(lastLine(r.stderr), `embedding-drift: --fail-on "neighbors.churnedShare > 0.3": neighbors.churnedShare is not measured in this report (null): ${reason}`);
    // With k below the number of chunks the same corpus is measured.
    const measured = cli(['compare', '--corpus', 'c', '--out', 'out2', '--k', '1', '--fail-on', 'neighbors.churnedShare > 1'], dir, env);
    assert.equal(measured.status, 0, measured.stderr);
    assert.equal(typeof JSON.parse(readFileSync(path.join(dir, 'out2/report.json'), 'utf8')).neighbors.churnedShare, 'number');
  });

  it('--fail-on "1/0 > 1" is refused before the run', () => {
    const r = cli(['compare', '--corpus', 'nowhere', '--fail-on', '1/0 > 1'], dir, env);
    assert.equal(r.status, 2);
    assert.equal(lastLine(r.stderr), 'embedding-drift: --fail-on "1/0 > 1": division by zero');
  });

  it('an output folder that cannot be written fails before the run, not after it', async () => {
    await writeTree(path.join(dir, 'docs'), DOCS);
    await writeFile(path.join(dir, 'not-a-folder'), 'a file where the output folder would go\n');
    const r = cli(['compare', '--corpus', 'docs', '--out', 'not-a-folder/out'], dir, env);
    assert.equal(r.status, 2);
    assert.equal(lastLine(r.stderr), `embedding-drift: Cannot write to the output folder ${path.join(dir, 'not-a-folder/out')}: ENOTDIR.`);
    // Nothing ran: no stage was reported and nothing was embedded into the cache.
    assert.equal(/^(walk|embed [AB])/m.test(r.stderr), false, r.stderr);
    assert.equal(existsSync(path.join(dir, 'xdg-cache/embedding-drift/embeddings')), false);
  });

  it('SIGTERM stops like Ctrl-C and says so, with exit 143', async () => {
    const docs = path.join(dir, 'docs');
    await writeTree(docs, Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`p${i}.md`, `# Page ${i}\n\n${`Words about topic ${i} and ${i * 7 % 13}. `.repeat(40)}\n`])));
    const child = spawn(process.execPath, [CLI, 'compare', '--corpus', docs, '--out', path.join(dir, 'out')], { cwd: dir, env: { ...process.env, ...env } });
    let stderr = '';
    let signalled = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!signalled && /embed A/.test(stderr)) { signalled = true; child.kill('SIGTERM'); }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    assert.ok(signalled, `never saw the embed stage: ${stderr}`);
    assert.equal(code, 143, stderr);
    assert.match(stderr, /embedding-drift: terminated \(SIGTERM\); the cache is consistent\n$/);
    assert.equal(existsSync(path.join(dir, 'out/report.json')), false);
  });

  it('baseline save takes a configuration with "a" only, honors --corpus over a missing corpus.root, and makes no A-vs-B report', async () => {
    const docs = path.join(dir, 'docs');
    await writeTree(docs, DOCS);
    await writeFile(path.join(dir, 'drift.json'), JSON.stringify({ corpus: { root: 'moved-away' }, a: { model: 'builtin:lexical', chunker: { type: 'recursive', size: 300, overlap: 0, unit: 'chars' } } }));
    const saved = cli(['baseline', 'save', '--config', 'drift.json', '--corpus', 'docs', '--dir', 'base'], dir, env);
    assert.equal(saved.status, 0, saved.stderr);
    assert.match(saved.stdout, /^baseline saved: 6 files, \d+ chunks \(builtin:lexical, recursive 300\/0 chars\) in /);
    assert.deepEqual(readdirSync(path.join(dir, 'base')).sort(), ['.embedding-drift-output', 'baseline.json', 'vectors.f32']);
    // No neighbor search, no metrics: the only stages are the walk and side A's chunking and embedding.
    assert.equal(/^(metrics|index|embed B)/m.test(saved.stderr), false, saved.stderr);
    // compare still needs both sides, and names the missing one.
    const compared = cli(['compare', '--config', 'drift.json', '--corpus', 'docs', '--out', 'out'], dir, env);
    assert.equal(compared.status, 2);
    assert.match(compared.stderr, /b.*is missing/);
  });

  it('a fresh cache says how many chunks were deduplicated, not that they came from the cache', async () => {
    const docs = path.join(dir, 'docs');
    await writeTree(docs, DOCS);
    await symlink('install.md', path.join(docs, 'copy-of-install.md'));
    const r = cli(['compare', '--corpus', 'docs', '--out', 'out', '--json'], dir, env);
    assert.equal(r.status, 0, r.stderr);
    const { stats } = JSON.parse(r.stdout);
    const report = JSON.parse(readFileSync(path.join(dir, 'out/report.json'), 'utf8'));
    assert.equal(stats.cache.a.hits, 0);
    assert.ok(stats.cache.a.deduplicated > 0);
    assert.equal(stats.cache.a.misses + stats.cache.a.deduplicated, report.chunks.a);
    const text = cli(['compare', '--corpus', 'docs', '--out', 'out'], dir, { ...env, XDG_CACHE_HOME: path.join(dir, 'fresh') });
    assert.match(text.stdout, new RegExp(`A ${stats.cache.a.misses} embedded, 0 from cache, ${stats.cache.a.deduplicated} deduplicated`));
  });

  it('baseline compare lists the files added, removed and changed since the baseline, in the report and the summary', async () => {
    const docs = path.join(dir, 'docs');
    await writeTree(docs, DOCS);
    assert.equal(cli(['baseline', 'save', '--corpus', 'docs', '--dir', 'base'], dir, env).status, 0);
    await unlink(path.join(docs, 'proxies.md'));
    await writeFile(path.join(docs, 'http2.md'), '# HTTP/2\n\nEnable it on the client; multiplexing sends many requests over one connection.\n');
    await writeFile(path.join(docs, 'async.md'), `${DOCS['async.md']}\n## Cancellation\n\nCancel a request by closing its scope.\n`);
    const r = cli(['baseline', 'compare', '--corpus', 'docs', '--dir', 'base', '--out', 'out'], dir, env);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(readFileSync(path.join(dir, 'out/report.json'), 'utf8'));
    assert.ok(validateReport({ ...report }), JSON.stringify(validateReport.errors));
    assert.deepEqual(report.corpus.changes, { added: ['http2.md'], removed: ['proxies.md'], changed: ['async.md'], unchanged: 4 });
    assert.ok(r.stdout.includes('\nfiles: 1 added (http2.md), 1 removed (proxies.md), 1 changed (async.md), 4 unchanged\n'), r.stdout);
  });
});
