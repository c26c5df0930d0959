// The embedding benchmark on its own: texts/s of our runtime (default WASM q8, and native fp32) next
// to a plain transformers.js feature-extraction pipeline (native fp32, batches of 16 in file order)
// on the MiniLM-shaped model and mixed-length real text, then the RATIO lines.
// Usage: npx tsx bench/embed.ts [--quick]   (npm run bench runs the same measurement in bench/run.ts)
import * as os from 'node:os';
import * as path from 'node:path';
import { buildBenchCorpus, collectSources, corpusPieces } from './corpus';
import { ensureBenchModel } from './model';
import { compareThroughput, localModelSpec } from './throughput';

const quick = process.argv.includes('--quick');
const TEXTS = quick ? 48 : 128;
const ROUNDS = quick ? 1 : 3;
/** Piece lengths in characters, cycled so batches in file order mix short and long texts. */
const LENGTHS = [120, 300, 700, 1500];

async function main(): Promise<void> {
  const repo = path.resolve(__dirname, '..');
  const work = path.join(repo, 'bench', '.work');
  const log = (line: string) => console.log(line);
  const model = ensureBenchModel(work, log);
  const corpus = buildBenchCorpus(collectSources(path.join(repo, 'node_modules')), path.join(work, 'corpus-embed'), TEXTS * 2000);
  const byLength = LENGTHS.map((size) => corpusPieces(corpus.root, size, TEXTS));
  const texts = Array.from({ length: TEXTS }, (_, i) => byLength[i % LENGTHS.length]![Math.floor(i / LENGTHS.length)]!).filter(Boolean);
  log(`machine: ${os.availableParallelism()} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}; ${texts.length} texts of ${LENGTHS.join('/')} chars, ${ROUNDS} round(s)`);
  const measured = await compareThroughput(model, {
    native: localModelSpec(model.folder, 'native', 'fp32'),
    default: localModelSpec(model.folder, 'wasm', 'q8'),
  }, path.join(work, 'cache-embed'), texts, ROUNDS);
  const pipeline = measured['pipeline']!;
  const native = measured['native']!;
  const defaults = measured['default']!;
  log(`transformers.js pipeline (onnxruntime-node fp32, batches of 16): ${pipeline.textsPerSecond.toFixed(2)} texts/s`);
  log(`ours, native (onnxruntime-node fp32, worker pool, sorted batches): ${native.textsPerSecond.toFixed(2)} texts/s`);
  log(`ours, default (onnxruntime-web WASM q8, worker pool, sorted batches): ${defaults.textsPerSecond.toFixed(2)} texts/s`);
  log(`RATIO embed_native_vs_pipeline ${(native.textsPerSecond / pipeline.textsPerSecond).toFixed(2)}`);
  log(`RATIO embed_default_vs_pipeline ${(defaults.textsPerSecond / pipeline.textsPerSecond).toFixed(2)}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
