// The corpus walker on a hostile folder made for real in a temp dir: binary, huge, invalid
// UTF-8, symlink loops, a FIFO, a dangling link, CRLF and BOM files, CJK and emoji, a file
// named like an XSS payload. The walk finishes, every problem file has its reason, every good
// file is there with offsets that match the disk.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultCorpus } from '../../../src/core/config/defaults';
import { decodeFile, firstInvalidUtf8, walkCorpus } from '../../../src/core/corpus/index';
import { DriftError, type ProgressEvent } from '../../../src/core/types';

const XSS_NAME = '"><img src=x onerror=alert(1)>.md';
const CRLF = 'line one\r\nline two\r\n';
const BOM_BODY = 'héllo wörld\n';
const CJK = '日本語のテキスト 😀 emoji 👍🏽\n';

async function write(root: string, rel: string, content: string | Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await fs.writeFile(path.join(root, rel), content);
}

describe('corpus: walkCorpus on a hostile folder', function () {
  let root: string;

  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'drift-walk-'));
    await write(root, 'good.md', '# Good\n\nText.\n');
    await write(root, 'docs/guide.txt', 'guide\n');
    await write(root, 'crlf.txt', CRLF);
    await write(root, 'bom.md', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(BOM_BODY, 'utf8')]));
    await write(root, 'cjk.md', CJK);
    await write(root, 'empty.txt', '');
    await write(root, 'binary.txt', Buffer.from('abc\0def'));
    await write(root, 'invalid.md', Buffer.from([0x6f, 0x6b, 0x20, 0xff, 0xfe, 0x20, 0x62, 0x61, 0x64]));
    await write(root, XSS_NAME, 'payload in the name only\n');
    await write(root, 'folder.md/inner.md', 'a folder named like a file\n');
    await write(root, 'node_modules/dep/readme.md', 'excluded by default\n');
    await write(root, 'image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    await write(root, '.gitignore', 'ignored.md\nbuild-output/\n*.draft.md\n');
    await write(root, 'ignored.md', 'ignored by git\n');
    await write(root, 'build-output/x.md', 'ignored folder\n');
    await write(root, 'sub/.gitignore', '*.log.md\n!wanted.draft.md\n');
    await write(root, 'sub/wanted.draft.md', 'the root ignores *.draft.md, sub/.gitignore brings it back\n');
    await write(root, 'other.draft.md', 'ignored by the root rule\n');
    await write(root, 'sub/keep.md', 'kept\n');
    await write(root, 'sub/debug.log.md', 'ignored by the nested .gitignore\n');
    // 30 MB, sparse: the size cap must refuse it before reading a byte.
    const big = await fs.open(path.join(root, 'big.txt'), 'w');
    await big.truncate(30 * 1024 * 1024);
    await big.close();
    await fs.symlink('.', path.join(root, 'loop'));
    await fs.symlink('..', path.join(root, 'sub', 'back'));
    await fs.symlink('nowhere.md', path.join(root, 'dangling.md'));
    await fs.symlink('good.md', path.join(root, 'alias.md'));
    // Links out of the corpus: a private file and a folder next to it.
    await write(path.dirname(root), `${path.basename(root)}-outside/private.md`, 'private\n');
    await fs.symlink(path.join(`${root}-outside`, 'private.md'), path.join(root, 'private-link.md'));
    await fs.symlink(`${root}-outside`, path.join(root, 'outside-folder'));
    execFileSync('mkfifo', [path.join(root, 'pipe.md')]);
  });

  after(async () => {
    await fs.rm(root, { recursive: true, force: true });
    await fs.rm(`${root}-outside`, { recursive: true, force: true });
  });

  it('finishes, lists the good files in sorted order and reports each problem with its reason', async () => {
    const events: ProgressEvent[] = [];
    const corpus = await walkCorpus(defaultCorpus(root), { onProgress: (e) => events.push(e) });
    const outside = await fs.realpath(`${root}-outside`);
    assert.equal(corpus.root, root);
    assert.deepEqual(corpus.files.map((f) => f.path), [
      '"><img src=x onerror=alert(1)>.md', 'alias.md', 'bom.md', 'cjk.md', 'crlf.txt', 'docs/guide.txt', 'empty.txt',
      'folder.md/inner.md', 'good.md', 'invalid.md', 'sub/keep.md', 'sub/wanted.draft.md',
    ]);
    assert.deepEqual(corpus.skipped, [
      { path: 'big.txt', reason: 'larger than the 2 MB limit (30 MB)' },
      { path: 'binary.txt', reason: 'binary file (NUL byte at byte 3)' },
      { path: 'dangling.md', reason: 'broken symbolic link (ENOENT)' },
      { path: 'invalid.md', reason: 'invalid UTF-8 at byte 3; read with replacement characters (U+FFFD)' },
      { path: 'loop', reason: 'symbolic link to a folder already walked (.); not followed again' },
      { path: 'outside-folder', reason: `symbolic link to a folder outside the corpus root (${outside}); not followed` },
      { path: 'pipe.md', reason: 'not a regular file (device, socket or pipe)' },
      { path: 'private-link.md', reason: `symbolic link to a file outside the corpus root (${path.join(outside, 'private.md')}); not followed` },
      { path: 'sub/back', reason: 'symbolic link to a folder already walked (.); not followed again' },
    ]);
    assert.ok(events.length > 0 && events.every((e) => e.stage === 'walk'));
    const last = events[events.length - 1]!;
    // Read candidates: the 12 good files plus big.txt and binary.txt, refused on reading.
    assert.equal(last.done, 14);
    assert.equal(last.total, 14);
  });

  it('keeps CRLF and drops the BOM, so offsets match the file on disk', async () => {
    const corpus = await walkCorpus(defaultCorpus(root));
    const byPath = new Map(corpus.files.map((f) => [f.path, f]));
    const crlf = byPath.get('crlf.txt')!;
    assert.equal(crlf.text, CRLF);
    assert.equal(crlf.text.indexOf('line two'), 10, 'offset counts the \\r');
    assert.equal(crlf.bytes, 20);
    const bom = byPath.get('bom.md')!;
    assert.equal(bom.text, BOM_BODY);
    assert.equal(bom.bytes, 3 + Buffer.byteLength(BOM_BODY));
    const onDisk = await fs.readFile(path.join(root, 'bom.md'));
    assert.equal(bom.hash, createHash('sha256').update(onDisk).digest('hex'), 'hash of the bytes, BOM included');
    assert.equal(byPath.get('cjk.md')!.text, CJK);
    assert.equal(byPath.get('empty.txt')!.text, '');
    assert.equal(byPath.get('invalid.md')!.text, 'ok \uFFFD\uFFFD bad');
    assert.equal(byPath.get(XSS_NAME)!.text, 'payload in the name only\n');
  });

  it('is deterministic', async () => {
    const first = await walkCorpus(defaultCorpus(root));
    const second = await walkCorpus(defaultCorpus(root));
    assert.deepEqual(second, first);
  });

  it('honors options: gitignore off, a smaller size cap, explicit globs', async () => {
    const noGit = await walkCorpus({ ...defaultCorpus(root), gitignore: false });
    for (const p of ['ignored.md', 'build-output/x.md', 'sub/debug.log.md', 'other.draft.md']) assert.ok(noGit.files.some((f) => f.path === p), p);
    const small = await walkCorpus({ ...defaultCorpus(root), include: ['**/*.txt'], maxFileBytes: 10 });
    assert.deepEqual(small.files.map((f) => f.path), ['docs/guide.txt', 'empty.txt']);
    assert.deepEqual(small.skipped.find((s) => s.path === 'crlf.txt'), { path: 'crlf.txt', reason: 'larger than the 10 B limit (20 B)' });
    const withModules = await walkCorpus({ ...defaultCorpus(root), include: ['node_modules/**'], exclude: [] });
    assert.deepEqual(withModules.files.map((f) => f.path), ['node_modules/dep/readme.md']);
  });

  it('reports a file that vanishes between listing and reading (ENOENT)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'drift-vanish-'));
    try {
      await write(dir, 'a.md', 'a');
      await write(dir, 'b.md', 'b');
      let removed = false;
      const corpus = await walkCorpus(defaultCorpus(dir), {
        // The first listing event comes after the folder is listed and before any read.
        onProgress: (event) => {
          if (!removed && event.total === undefined) {
            removed = true;
            require('node:fs').unlinkSync(path.join(dir, 'b.md'));
          }
        },
      });
      assert.deepEqual(corpus.files.map((f) => f.path), ['a.md']);
      assert.deepEqual(corpus.skipped, [{ path: 'b.md', reason: 'vanished before it could be read (ENOENT)' }]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('reports an unreadable file (EACCES)', async function () {
    this.timeout(60_000);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'drift-eacces-'));
    try {
      await write(dir, 'secret.md', 'x');
      await write(dir, 'open.md', 'y');
      await fs.chmod(path.join(dir, 'secret.md'), 0o000);
      let skipped: unknown;
      if (process.getuid?.() !== 0) {
        skipped = (await walkCorpus(defaultCorpus(dir))).skipped;
      } else {
        // chmod 000 does not stop root: walk as the unprivileged user `nobody` (setpriv drops the uid
        // for real), so the kernel itself refuses the read.
        await fs.chmod(dir, 0o755);
        const walker = path.resolve(__dirname, '../../../src/core/corpus/index.ts');
        const defaults = path.resolve(__dirname, '../../../src/core/config/defaults.ts');
        const script = `const { walkCorpus } = require(${JSON.stringify(walker)}); const { defaultCorpus } = require(${JSON.stringify(defaults)});
          walkCorpus(defaultCorpus(${JSON.stringify(dir)})).then((c) => console.log(JSON.stringify({ files: c.files.map((f) => f.path), skipped: c.skipped })));`;
        const out = execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--import', 'tsx', '-e', script],
          { encoding: 'utf8', env: { ...process.env, HOME: os.tmpdir() } });
        const result = JSON.parse(out.trim().split('\n').pop()!) as { files: string[]; skipped: unknown };
        assert.deepEqual(result.files, ['open.md'], 'the readable file is still read');
        skipped = result.skipped;
      }
      assert.deepEqual(skipped, [{ path: 'secret.md', reason: 'cannot be read: permission denied (EACCES)' }]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('a missing root is reported, not thrown', async () => {
    const corpus = await walkCorpus(defaultCorpus(path.join(root, 'no-such-folder')));
    assert.deepEqual(corpus.files, []);
    assert.equal(corpus.skipped.length, 1);
    assert.match(corpus.skipped[0]!.reason, /the corpus root .*no-such-folder cannot be read \(ENOENT\)/);
  });

  it('stops with a cancelled DriftError when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(walkCorpus(defaultCorpus(root), { signal: controller.signal }), (err: unknown) => err instanceof DriftError && err.code === 'cancelled');
  });

  it('walks 3,000 tiny files in many folders completely', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'drift-many-'));
    try {
      for (let d = 0; d < 30; d++) {
        await fs.mkdir(path.join(dir, `d${d}`));
        await Promise.all(Array.from({ length: 100 }, (_, f) => fs.writeFile(path.join(dir, `d${d}`, `f${f}.md`), `file ${d}/${f}`)));
      }
      const corpus = await walkCorpus(defaultCorpus(dir));
      assert.equal(corpus.files.length, 3000);
      assert.equal(corpus.skipped.length, 0);
      const paths = corpus.files.map((f) => f.path);
      assert.deepEqual(paths, [...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      assert.equal(corpus.files.find((f) => f.path === 'd7/f42.md')!.text, 'file 7/42');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('corpus: decoding', () => {
  it('finds the first invalid UTF-8 byte (stray continuation, overlong, surrogate, truncated)', () => {
    assert.equal(firstInvalidUtf8(Buffer.from('héllo 😀', 'utf8')), -1);
    assert.equal(firstInvalidUtf8(Uint8Array.of(0x61, 0x80)), 1);
    assert.equal(firstInvalidUtf8(Uint8Array.of(0xc0, 0xaf)), 0, 'overlong "/"');
    assert.equal(firstInvalidUtf8(Uint8Array.of(0x61, 0xed, 0xa0, 0x80)), 1, 'UTF-16 surrogate');
    assert.equal(firstInvalidUtf8(Uint8Array.of(0x61, 0x62, 0xe6, 0x97)), 2, 'truncated at the end');
  });

  it('reads UTF-16 with a BOM as text, not as binary', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hi ü', 'utf16le')]);
    assert.deepEqual(decodeFile(utf16), { kind: 'text', text: 'hi ü' });
  });
});
