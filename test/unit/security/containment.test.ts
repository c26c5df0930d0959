// The webview may ask to open a file: only files inside the workspace folders or the report's corpus
// roots may open. Hard cases by hand (dot segments, absolute paths, symlinks out, backslashes,
// percent-encoding, URLs, NUL) and a property over random paths: whatever is accepted is inside.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { containedPath, containedRealPath, isInside } from '../../../src/extension/containment';

describe('security: paths from the webview stay inside the workspace', () => {
  let base: string;
  let root: string;
  let corpus: string;
  before(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'drift-contain-')));
    root = path.join(base, 'workspace');
    corpus = path.join(base, 'snapshot');
    fs.mkdirSync(path.join(root, 'docs'), { recursive: true });
    fs.mkdirSync(corpus);
    fs.writeFileSync(path.join(root, 'docs', 'a.md'), 'a');
    fs.writeFileSync(path.join(corpus, 'b.md'), 'b');
    fs.writeFileSync(path.join(base, 'secret.txt'), 'secret');
    fs.symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'docs', 'link-out.md'));
    fs.symlinkSync(base, path.join(root, 'dir-out'));
    fs.symlinkSync(path.join(root, 'docs', 'a.md'), path.join(root, 'link-in.md'));
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  it('accepts files inside any allowed root', async () => {
    assert.equal(containedPath([root, corpus], 'docs/a.md'), path.join(root, 'docs', 'a.md'));
    assert.equal(containedPath([root, corpus], path.join(corpus, 'b.md')), path.join(corpus, 'b.md'));
    assert.equal(await containedRealPath([root], 'docs/a.md'), path.join(root, 'docs', 'a.md'));
    assert.equal(await containedRealPath([root], 'link-in.md'), path.join(root, 'link-in.md'), 'a symlink that stays inside is fine');
  });

  it('refuses dot segments, absolute paths elsewhere, backslashes, encodings, URLs and NUL', () => {
    const refused = [
      '../secret.txt', 'docs/../../secret.txt', '..', 'docs/..', './../secret.txt', path.join(base, 'secret.txt'), '/etc/passwd',
      '..\\secret.txt', 'docs\\..\\..\\secret.txt', 'C:\\Windows\\win.ini', 'c:/Windows/win.ini', '\\\\server\\share\\x', '//server/share/x',
      '%2e%2e/secret.txt', '..%2fsecret.txt', '%2E%2E%5Csecret.txt', 'docs%2f..%2f..%2fsecret.txt', 'docs/a.md%00.png',
      'file:///etc/passwd', 'vscode-resource:/etc/passwd', 'http://x/y', 'docs/a.md\0', '', 'x'.repeat(5000),
    ];
    for (const p of refused) assert.equal(containedPath([root, corpus], p), undefined, JSON.stringify(p));
    assert.equal(containedPath([], 'docs/a.md'), undefined, 'no roots, nothing opens');
  });

  it('refuses symlinks that lead out of the roots, and files that do not exist', async () => {
    assert.equal(await containedRealPath([root], 'docs/link-out.md'), undefined);
    assert.equal(await containedRealPath([root], 'dir-out/secret.txt'), undefined);
    assert.equal(await containedRealPath([root], 'docs/missing.md'), undefined);
  });

  it('never accepts a path whose resolved form lies outside every root (10,000 random paths)', () => {
    const segment = fc.oneof(fc.constantFrom('..', '.', '', 'docs', 'a.md', '%2e%2e', '..\\', 'C:', '~', '\0', 'dir-out', 'secret.txt'), fc.string({ maxLength: 6 }));
    const candidate = fc.tuple(fc.boolean(), fc.array(segment, { maxLength: 6 }), fc.constantFrom('/', '\\')).map(([abs, parts, sep]) => (abs ? '/' : '') + parts.join(sep));
    fc.assert(fc.property(fc.oneof(candidate, fc.string()), (p) => {
      const accepted = containedPath([root, corpus], p);
      if (accepted === undefined) return;
      assert.ok(path.isAbsolute(accepted));
      assert.ok(isInside(root, accepted) || isInside(corpus, accepted), `${JSON.stringify(p)} -> ${accepted}`);
      assert.ok(!accepted.split(path.sep).includes('..'));
    }), { numRuns: 10_000, seed: 6 });
  });

  it('isInside is not fooled by a sibling that shares a prefix', () => {
    assert.equal(isInside('/w/project', '/w/project-evil/x'), false);
    assert.equal(isInside('/w/project', '/w/project/x'), true);
    assert.equal(isInside('/w/project', '/w'), false);
  });
});
