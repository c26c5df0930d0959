import * as path from 'node:path';
import * as fs from 'node:fs';
import { buildBenchCorpus, collectSources } from './corpus';
import { CHUNKER_A, CHUNKER_B, writeBenchConfig } from './endToEnd';
import { ensureBenchModel } from './model';
import { compare } from '../src/core/pipeline/compare';
const repo = path.resolve(__dirname, '..');
const work = path.join(repo, 'bench', '.work');
async function main() {
  fs.mkdirSync(work, { recursive: true });
  const model = ensureBenchModel(work, console.log);
  const small = buildBenchCorpus(collectSources(path.join(repo, 'node_modules')), path.join(work, 'corpus-2000'), 2000 * 295);
  const config = writeBenchConfig(path.join(work, 'cold', 'embedding-drift.json'), small.root, { path: model.folder }, CHUNKER_A, CHUNKER_B);
  const cache = '/tmp/lc/timings-cache';
  fs.rmSync(cache, { recursive: true, force: true });
  for (let i = 0; i < 2; i++) {
    const t0 = performance.now();
    const s = await compare(config, { cacheDir: cache, allowNetwork: false });
    console.log(`run ${i}: ${((performance.now() - t0) / 1000).toFixed(1)} s`, JSON.stringify(s.report.timings));
    await s.dispose();
  }
}
main();
