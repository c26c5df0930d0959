// `embedding-drift compare --watch` as a user runs it (dist/cli.js in a child process, the default
// offline configuration): the first run writes the report, an edit to a corpus file rewrites it
// with the edit in it and prints the change in one line, a file added likewise, and Ctrl-C (SIGINT)
// ends the loop with 130. The report folder lies inside the corpus: writing it must not count as a
// change (the watcher's filter is checked on its own below). Needs `node esbuild.js`.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isIgnoredChange } from '../../../src/core/corpus/watch';
import { OUTPUT_MARKER } from '../../../src/core/corpus/ownOutputs';
import Ajv from 'ajv';
import type { Report } from '../../../src/core/report/types';
import { CLI } from '../../support/cli';
import { writeTree } from '../../support/files';

const CORPUS: Record<string, string> = {
  'README.md': '# Project\n\nA small project about embeddings and retrieval.\n\n## Setup\n\nInstall with npm and run the demo.\n',
  'docs/chunking.md': '# Chunking\n\nRecursive splitting tries paragraphs, then lines, then words.\n\n## Overlap\n\nOverlap keeps sentences that cross a boundary in both chunks.\n',
  'docs/models.md': '# Models\n\nSentence embedding models map text to unit vectors; cosine similarity ranks neighbors.\n',
};

/** Collects a child's output and resolves when a line matching `pattern` has been printed `count` times in all. */
class Output {
  text = '';
  private waiters: Array<() => void> = [];
  constructor(stream: NodeJS.ReadableStream) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => { this.text += chunk; for (const w of this.waiters) w(); });
  }
  lines(pattern: RegExp): string[] {
    return this.text.split('\n').filter((l) => pattern.test(l));
  }
  until(pattern: RegExp, count: number, child: ChildProcess, stderr: () => string): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.lines(pattern);
        if (found.length >= count) { child.off('exit', exited); resolve(found[count - 1]!); }
      };
      const exited = (code: number | null) => reject(new Error(`the watch ended (${code}) before printing ${pattern}:\n${this.text}\n${stderr()}`));
      child.on('exit', exited);
      this.waiters.push(check);
      check();
    });
  }
}

describe('embedding-drift compare --watch (dist/cli.js)', function () {
  this.timeout(300_000);
  let dir: string;
  let child: ChildProcess | undefined;
  before(function () {
    if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `node esbuild.js` (npm test builds first).');
  });
  beforeEach(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'drift-watch-')); });
  afterEach(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    child = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('rewrites the report after an edit and an added file, says what changed, and ends with 130 on SIGINT', async () => {
    const corpus = path.join(dir, 'corpus');
    await writeTree(corpus, CORPUS);
    const out = path.join(corpus, 'drift-report');
    child = spawn(process.execPath, [CLI, 'compare', '--watch', '--corpus', corpus, '--out', out, '--k', '2'], {
      cwd: dir, env: { ...process.env, XDG_CACHE_HOME: path.join(dir, 'xdg-cache') },
    });
    const stdout = new Output(child.stdout!);
    const stderr = new Output(child.stderr!);
    const exit = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    const summary = /^\[\d\d:\d\d:\d\d\] /;

    await stdout.until(/^watching for changes/, 1, child, () => stderr.text);
    assert.match(stdout.lines(summary)[0]!, /first run: \d+ chunks under A, \d+ chunks under B/);
    const before = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    assert.equal(before.corpus.files, 3);
    assert.equal(before.chunkTable.a.some((c) => c.text.includes('Zebra')), false);

    // An edit: the rewritten report holds the new text, and the line says one file changed.
    await writeFile(path.join(corpus, 'docs/models.md'), '# Models\n\nZebra stripes are a poor analogy for sparse vectors, but a memorable one.\n');
    const edited = await stdout.until(summary, 2, child, () => stderr.text);
    assert.match(edited, /\] 1 file changed, \d+ chunks? re-embedded, churn /);
    const afterEdit = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    const zebra = afterEdit.chunkTable.a.filter((c) => c.text.includes('Zebra'));
    assert.deepEqual(zebra.map((c) => c.file), ['docs/models.md']);
    assert.ok(afterEdit.reuse && (afterEdit.reuse.reused['chunk'] ?? 0) > 0, 'the unchanged files\' chunks are reused');
    const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(path.resolve(__dirname, '../../../schemas/report.schema.json'), 'utf8')));
    assert.ok(validate(afterEdit), 'a warm run\'s report (with reuse) is valid under the schema');
    assert.ok(readFileSync(path.join(out, 'report.html'), 'utf8').includes('Zebra stripes'), 'report.html is rewritten too');

    // A new file in a new folder.
    mkdirSync(path.join(corpus, 'guides'));
    writeFileSync(path.join(corpus, 'guides/keys.md'), '# Keys\n\nRotate the API key: create the new one, deploy, revoke the old one.\n');
    const added = await stdout.until(summary, 3, child, () => stderr.text);
    assert.match(added, /\] 1 file added, /);
    assert.equal((JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report).corpus.files, 4);

    child.kill('SIGINT');
    assert.equal(await exit, 130);
    assert.match(stderr.text, /embedding-drift: cancelled/);
    // One line per change, nothing more.
    assert.equal(stdout.lines(summary).length, 3, stdout.text);
  });

  it('refuses --fail-on and --json with --watch (one run\'s answers) before running anything', async () => {
    const corpus = path.join(dir, 'corpus');
    await writeTree(corpus, CORPUS);
    const run = (extra: string[]) => new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [CLI, 'compare', '--watch', '--corpus', corpus, '--out', path.join(dir, 'out'), ...extra], { cwd: dir });
      let err = '';
      p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
      p.on('exit', (code) => resolve({ code, stderr: err }));
    });
    const gate = await run(['--fail-on', 'chunks.a > 1']);
    assert.equal(gate.code, 2);
    assert.match(gate.stderr, /--fail-on gates a single run; drop --watch/);
    const json = await run(['--json']);
    assert.equal(json.code, 2);
    assert.match(json.stderr, /--json prints one run's summary; drop --watch/);
    assert.equal(existsSync(path.join(dir, 'out')), false);
  });
});

describe('watcher filter (isIgnoredChange)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'drift-watch-filter-'));
    await writeTree(dir, { 'docs/a.md': 'a', 'out/report.json': '{}', 'out/nested/x.html': '<!DOCTYPE html>', '.git/index': '' });
    writeFileSync(path.join(dir, 'out', OUTPUT_MARKER), 'marker');
  });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  it('ignores the tool\'s marked output folders (at any depth), their marker and .git; keeps corpus files and the configuration', () => {
    const at = (rel: string) => isIgnoredChange(dir, path.join(dir, rel));
    assert.equal(at('out/report.json'), true);
    assert.equal(at('out/nested/x.html'), true);
    assert.equal(at(`docs/${OUTPUT_MARKER}`), true);
    assert.equal(at('.git/index'), true);
    assert.equal(at('docs/a.md'), false);
    assert.equal(at('docs/new-folder/b.md'), false);
    assert.equal(at('embedding-drift.json'), false);
    assert.equal(at('outside.md'), false);
  });
});
