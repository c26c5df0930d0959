// Embedding throughput: our runtime (native fp32, and our default backend and dtype) against the
// transformers.js pipeline on the same mixed-length texts, model load time kept apart.
import type { Dtype, ModelSpec } from '../src/core/config/types';
import { createEmbedder } from '../src/core/embedding';
import { loadPipeline } from './baseline';
import type { BenchModel } from './model';
import { timed } from './measure';

export interface Throughput {
  texts: number;
  loadMs: number;
  ms: number;
  textsPerSecond: number;
}

export function localModelSpec(folder: string, backend: 'wasm' | 'native' | 'auto', dtype: Dtype): ModelSpec {
  return { kind: 'local', path: folder, dtype, pooling: 'mean', normalize: true, queryPrefix: '', documentPrefix: '', backend };
}

/** Warm-up texts: the first call pays for allocations and kernel selection in every runtime. */
const WARM_UP = 4;

export async function pipelineThroughput(model: BenchModel, texts: string[]): Promise<Throughput> {
  const load = await timed(() => loadPipeline(model.modelsRoot, model.modelId, 'fp32'));
  const pipeline = load.value;
  try {
    await pipeline.embed(texts.slice(0, WARM_UP));
    const run = await timed(() => pipeline.embed(texts));
    return { texts: texts.length, loadMs: load.ms, ms: run.ms, textsPerSecond: texts.length / (run.ms / 1000) };
  } finally {
    await pipeline.dispose();
  }
}

export async function oursThroughput(spec: ModelSpec, cacheDir: string, texts: string[]): Promise<Throughput> {
  const load = await timed(() => createEmbedder(spec, { cacheDir, allowNetwork: false }));
  const embedder = load.value;
  try {
    await embedder.embed(texts.slice(0, WARM_UP), { kind: 'document' });
    const run = await timed(() => embedder.embed(texts, { kind: 'document' }));
    return { texts: texts.length, loadMs: load.ms, ms: run.ms, textsPerSecond: texts.length / (run.ms / 1000) };
  } finally {
    await embedder.dispose();
  }
}
