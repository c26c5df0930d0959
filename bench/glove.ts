// GloVe's figures: how long the models take to build (the Hub-layout folder from the 307 MB
// package JSON, and the compact builtin the build generates), to load (tokenizer + workers + ONNX
// session, the first embed included), and how many texts per second each form embeds.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readGlovePackage, writeGloveModel } from '../scripts/glove-model';
import type { ModelSpec } from '../src/core/config/types';
import { createEmbedder } from '../src/core/embedding';
import { runChild, timed } from './measure';

export interface GloveFigures {
  /** Reading and parsing the package's JSON (once per build). */
  packageLoadMs: number;
  /** The full folder (341,479 words; fp32 + int8 graphs, tokenizer, card) after the JSON is loaded. */
  folderWriteMs: number;
  folderBytes: number;
  /** `tsx scripts/glove-model.ts --builtin`: the whole generation the build runs when its key changed. */
  builtinBuildMs: number;
  builtinBytes: number;
  /** createEmbedder + the probe embed, from a cache that has never seen the model. */
  loadMs: { builtin: number; folder: number };
  textsPerSecond: { builtin: number; folder: number };
  texts: number;
}

function folderBytes(dir: string): number {
  let sum = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) sum += fs.statSync(path.join(e.parentPath, e.name)).size;
  }
  return sum;
}

/** `texts`: the chunks to embed (real documentation). Writes into `work/glove`. */
export async function benchGlove(repo: string, work: string, texts: string[], log: (line: string) => void): Promise<GloveFigures> {
  const dir = path.join(work, 'glove');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const builtin = await runChild(process.execPath, [require.resolve('tsx/cli'), path.join(repo, 'scripts', 'glove-model.ts'), '--builtin', path.join(dir, 'builtin')], { cwd: repo });
  if (builtin.code !== 0) throw new Error(`glove-model --builtin: ${builtin.stderr.trim().split('\n').pop() ?? ''}`);
  log(`  builtin (100,000 words, int8): generated in ${(builtin.ms / 1000).toFixed(1)} s, ${(folderBytes(path.join(dir, 'builtin')) / 2 ** 20).toFixed(1)} MB`);
  const load = await timed(() => readGlovePackage(repo));
  const folder = path.join(dir, 'glove-6b-100d');
  const write = await timed(() => writeGloveModel(folder, load.value));
  log(`  folder (341,479 words, fp32 + int8): package JSON read in ${(load.ms / 1000).toFixed(1)} s, written in ${(write.ms / 1000).toFixed(1)} s, ${(folderBytes(folder) / 2 ** 20).toFixed(0)} MB`);

  const context = { cacheDir: path.join(dir, 'cache'), allowNetwork: false };
  const measure = async (name: string, spec: ModelSpec) => {
    const opened = await timed(() => createEmbedder(spec, context));
    try {
      const run = await timed(() => opened.value.embed(texts, { kind: 'document' }));
      const perSecond = texts.length / (run.ms / 1000);
      log(`  ${name}: loaded in ${opened.ms.toFixed(0)} ms, ${perSecond.toFixed(0)} texts/s over ${texts.length} texts`);
      return { loadMs: opened.ms, perSecond };
    } finally {
      await opened.value.dispose();
    }
  };
  const b = await measure('builtin:glove (default backend, int8)', { kind: 'builtin', name: 'glove', backend: 'auto' });
  const f = await measure('glove-6b-100d folder (default backend, fp32)', {
    kind: 'local', path: folder, dtype: 'fp32', pooling: 'mean', normalize: true, queryPrefix: '', documentPrefix: '', backend: 'auto',
  });
  return {
    packageLoadMs: load.ms, folderWriteMs: write.ms, folderBytes: folderBytes(folder),
    builtinBuildMs: builtin.ms, builtinBytes: folderBytes(path.join(dir, 'builtin')),
    loadMs: { builtin: b.loadMs, folder: f.loadMs }, textsPerSecond: { builtin: b.perSecond, folder: f.perSecond }, texts: texts.length,
  };
}
