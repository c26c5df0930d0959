// Embedding throughput: our runtime (native fp32, and our default backend and dtype) against the
// transformers.js pipeline on the same mixed-length texts, model load time kept apart. The runners
// take turns for several rounds and each keeps its best round: on a machine shared with other
// work, the best of interleaved rounds is the figure least moved by what else runs.
import type { Dtype, ModelSpec } from '../src/core/config/types';
import { createEmbedder } from '../src/core/embedding';
import { loadPipeline } from './baseline';
import type { BenchModel } from './model';
import { timed } from './measure';

export interface Throughput {
  texts: number;
  loadMs: number;
  /** Best round. */
  ms: number;
  textsPerSecond: number;
  roundsMs: number[];
}

export function localModelSpec(folder: string, backend: 'wasm' | 'native' | 'auto', dtype: Dtype): ModelSpec {
  return { kind: 'local', path: folder, dtype, pooling: 'mean', normalize: true, queryPrefix: '', documentPrefix: '', backend };
}

interface Runner {
  name: string;
  loadMs: number;
  embed(texts: string[]): Promise<unknown>;
  dispose(): Promise<void>;
}

/** Warm-up texts: the first call pays for allocations and kernel selection in every runtime. */
const WARM_UP = 4;

async function pipelineRunner(model: BenchModel): Promise<Runner> {
  const load = await timed(() => loadPipeline(model.modelsRoot, model.modelId, 'fp32'));
  return { name: 'pipeline', loadMs: load.ms, embed: (t) => load.value.embed(t), dispose: () => load.value.dispose() };
}

async function oursRunner(name: string, spec: ModelSpec, cacheDir: string): Promise<Runner> {
  const load = await timed(() => createEmbedder(spec, { cacheDir, allowNetwork: false }));
  return { name, loadMs: load.ms, embed: (t) => load.value.embed(t, { kind: 'document' }), dispose: () => load.value.dispose() };
}

/** Texts per second of the pipeline and of each of our specs, over `rounds` interleaved rounds. */
export async function compareThroughput(
  model: BenchModel, ours: Record<string, ModelSpec>, cacheDir: string, texts: string[], rounds: number,
): Promise<Record<string, Throughput>> {
  const runners: Runner[] = [await pipelineRunner(model)];
  try {
    for (const [name, spec] of Object.entries(ours)) runners.push(await oursRunner(name, spec, cacheDir));
    for (const r of runners) await r.embed(texts.slice(0, WARM_UP));
    const rounds_: Record<string, number[]> = Object.fromEntries(runners.map((r) => [r.name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const r of runners) rounds_[r.name]!.push((await timed(() => r.embed(texts))).ms);
    }
    return Object.fromEntries(runners.map((r) => {
      const best = Math.min(...rounds_[r.name]!);
      return [r.name, { texts: texts.length, loadMs: r.loadMs, ms: best, textsPerSecond: texts.length / (best / 1000), roundsMs: rounds_[r.name]! }];
    }));
  } finally {
    await Promise.allSettled(runners.map((r) => r.dispose()));
  }
}
