// Path containment for openLocation/fileText requests from the webview: only files inside the
// allowed roots, whatever spelling an attacker tries.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { containedPath, containedRealPath, isInside } from '../../../src/extension/containment';

describe('extension containment', () => {
  const root = path.resolve('/work/space');
  const corpus = path.resolve('/data/corpus');

  it('resolves relative paths inside the first root', () => {
    assert.equal(containedPath([root], 'docs/setup.md'), path.join(root, 'docs', 'setup.md'));
    assert.equal(containedPath([root], './a.md'), path.join(root, 'a.md'));
  });

  it('accepts absolute paths inside any root and refuses those outside', () => {
    assert.equal(containedPath([root, corpus], '/data/corpus/x.md'), '/data/corpus/x.md');
    assert.equal(containedPath([root, corpus], '/etc/passwd'), undefined);
    assert.equal(containedPath([root], '/work/space-other/x.md'), undefined, 'a sibling folder sharing the prefix is outside');
  });

  it('refuses every spelling of parent traversal', () => {
    for (const p of ['../x', 'docs/../../x', 'docs/..', '..', 'docs\\..\\..\\x', '%2e%2e/x', '..%2fx', 'docs%5c..', '%00']) {
      assert.equal(containedPath([root], p), undefined, p);
    }
  });

  it('refuses URLs, Windows drives, UNC paths, NUL bytes and empty paths', () => {
    for (const p of ['file:///etc/passwd', 'https://x/y', 'javascript:alert(1)', 'C:\\Windows\\x', 'c:/x', '\\\\server\\share', 'a\0b', '']) {
      assert.equal(containedPath([root], p), undefined, JSON.stringify(p));
    }
  });

  it('allows names that merely start with two dots', () => {
    assert.equal(containedPath([root], '..notes.md'), path.join(root, '..notes.md'));
    assert.equal(isInside(root, path.join(root, '..notes.md')), true);
  });

  it('has no roots, no access', () => {
    assert.equal(containedPath([], 'a.md'), undefined);
  });

  it('follows symlinks: a link inside the workspace to a file outside is refused', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-contain-'));
    try {
      const ws = path.join(tmp, 'ws');
      const outside = path.join(tmp, 'secret.txt');
      fs.mkdirSync(ws);
      fs.writeFileSync(outside, 'secret');
      fs.writeFileSync(path.join(ws, 'ok.md'), 'ok');
      fs.symlinkSync(outside, path.join(ws, 'link.md'));
      fs.symlinkSync(tmp, path.join(ws, 'up'));
      assert.equal(await containedRealPath([ws], 'ok.md'), path.join(ws, 'ok.md'));
      assert.equal(await containedRealPath([ws], 'link.md'), undefined);
      assert.equal(await containedRealPath([ws], 'up/secret.txt'), undefined);
      assert.equal(await containedRealPath([ws], 'missing.md'), undefined);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
