// The one durable writer: what readers see after success and after a failure at every step, the
// order of its operations (the folder is fsynced after the rename, or the rename may not survive a
// power cut), and a scan of src/ that no other module writes files on its own.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { nodeFileOps, replaceFolderDurable, writeFileDurable, type FileOps } from '../../../src/core/io/durable';
import { DriftError } from '../../../src/core/types';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'drift-durable-'));
}

/** nodeFileOps that records every call and fails the `failAt`-th mutating one with EIO. */
function recording(failAt?: number): { ops: FileOps; calls: string[] } {
  const calls: string[] = [];
  let mutating = 0;
  const gate = (name: string, target: string): void => {
    calls.push(`${name} ${path.basename(target)}`);
    if (name === 'readFile' || name === 'readdir' || name === 'stat' || name === 'syncFolder') return;
    mutating++;
    if (mutating === failAt) throw Object.assign(new Error(`EIO: i/o error, ${name}`), { code: 'EIO' });
  };
  const ops: FileOps = {
    ...nodeFileOps,
    async writeFileSynced(file, data) { gate('write', file); return nodeFileOps.writeFileSynced(file, data); },
    async rename(from, to) { gate('rename', to); return nodeFileOps.rename(from, to); },
    async mkdir(dir) { gate('mkdir', dir); return nodeFileOps.mkdir(dir); },
    async syncFolder(dir) { gate('syncFolder', dir); return nodeFileOps.syncFolder(dir); },
  };
  return { ops, calls };
}

describe('writeFileDurable', () => {
  it('replaces the content whole and leaves no temp file behind', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'report.json');
    fs.writeFileSync(file, 'old');
    await writeFileDurable(file, 'new content');
    assert.equal(fs.readFileSync(file, 'utf8'), 'new content');
    assert.deepEqual(fs.readdirSync(dir), ['report.json']);
  });

  it('writes text given in pieces one after another, as one file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'report.html');
    await writeFileDurable(file, ['<p>', 'é😀'.repeat(3), '', '</p>\n']);
    assert.equal(fs.readFileSync(file, 'utf8'), `<p>${'é😀'.repeat(3)}</p>\n`);
    assert.deepEqual(fs.readdirSync(dir), ['report.html']);
  });

  it('writes the temp file, renames it over the target, then fsyncs the folder, in that order', async () => {
    const dir = tempDir();
    const { ops, calls } = recording();
    await writeFileDurable(path.join(dir, 'a.json'), '{}', { fs: ops });
    assert.equal(calls.length, 3);
    assert.match(calls[0]!, /^write \.tmp-.*-a\.json$/);
    assert.equal(calls[1], 'rename a.json');
    assert.equal(calls[2], `syncFolder ${path.basename(dir)}`);
  });

  for (const failAt of [1, 2]) {
    it(`a failure at step ${failAt} keeps the old content, removes the temp file and names the file and reason`, async () => {
      const dir = tempDir();
      const file = path.join(dir, 'anchors.jsonl');
      fs.writeFileSync(file, 'old line\n');
      const { ops } = recording(failAt);
      await assert.rejects(writeFileDurable(file, 'new line\n', { fs: ops, code: 'cache' }), (err: unknown) => {
        assert.ok(err instanceof DriftError);
        assert.equal(err.code, 'cache');
        assert.equal(err.message, `Could not write ${file}: input/output error (EIO).`);
        return true;
      });
      assert.equal(fs.readFileSync(file, 'utf8'), 'old line\n');
      assert.deepEqual(fs.readdirSync(dir), ['anchors.jsonl']);
    });
  }
});

describe('replaceFolderDurable', () => {
  const files = [['vectors.f32', new Uint8Array([1, 2, 3, 4])], ['baseline.json', '{"format":1}'], ['report.json', '{}']] as const;

  it('puts exactly the new files in place and removes the old folder', async () => {
    const parent = tempDir();
    const target = path.join(parent, 'baseline');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'stale.txt'), 'from before');
    await replaceFolderDurable(target, files);
    assert.deepEqual(fs.readdirSync(target).sort(), ['baseline.json', 'report.json', 'vectors.f32']);
    assert.deepEqual([...fs.readFileSync(path.join(target, 'vectors.f32'))], [1, 2, 3, 4]);
    assert.deepEqual(fs.readdirSync(parent), ['baseline']);
  });

  it('creates the folder when there was none', async () => {
    const parent = tempDir();
    await replaceFolderDurable(path.join(parent, 'new'), files);
    assert.deepEqual(fs.readdirSync(path.join(parent, 'new')).sort(), ['baseline.json', 'report.json', 'vectors.f32']);
  });

  // mkdir, three writes, rename old aside, rename new in: a failure at each leaves the old folder whole.
  for (let failAt = 1; failAt <= 6; failAt++) {
    it(`a failure at mutating step ${failAt} leaves the folder that was there, and nothing beside it`, async () => {
      const parent = tempDir();
      const target = path.join(parent, 'baseline');
      fs.mkdirSync(target);
      fs.writeFileSync(path.join(target, 'baseline.json'), 'the old one');
      const { ops } = recording(failAt);
      await assert.rejects(replaceFolderDurable(target, files, { fs: ops }), DriftError);
      assert.deepEqual(fs.readdirSync(target), ['baseline.json']);
      assert.equal(fs.readFileSync(path.join(target, 'baseline.json'), 'utf8'), 'the old one');
      assert.deepEqual(fs.readdirSync(parent), ['baseline']);
    });
  }
});

describe('one way to write a file', () => {
  const SRC = path.resolve(__dirname, '..', '..', '..', 'src');
  // The durable writer itself; the embedding worker and webview never write files.
  const ALLOWED = new Set([path.join('core', 'io', 'durable.ts')]);
  const WRITES = new Set(['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'createWriteStream', 'rename', 'renameSync', 'copyFile', 'copyFileSync', 'truncate']);

  function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const full = path.join(dir, e.name);
      return e.isDirectory() ? sourceFiles(full) : /\.ts$/.test(e.name) ? [full] : [];
    });
  }

  it('no module under src/ but src/core/io/durable.ts writes, appends or renames a file itself', () => {
    const found: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const rel = path.relative(SRC, file);
      if (ALLOWED.has(rel)) continue;
      const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && WRITES.has(node.expression.name.text)) {
          // Calls on a FileOps object (`fs.rename` where fs is the injected layer) go through the writer's layer.
          const receiver = node.expression.expression.getText(source);
          if (!/^(this\.)?(cfs|ops|fileOps|options\.fs)$/.test(receiver)) {
            found.push(`${rel}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${receiver}.${node.expression.name.text}`);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    assert.deepEqual(found, []);
  });
});
