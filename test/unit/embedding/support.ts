// Shared helpers of the embedding tests: the tiny test models in a temp folder, specs, vector math.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ModelSpec } from '../../../src/core/config/types';
import { generateTinyBert } from '../../../scripts/make-models';

export type LocalSpec = Extract<ModelSpec, { kind: 'local' }>;

let modelsDir: string | undefined;

/** tiny-bert (2 layers) and tiny-bert-1l (1 layer), generated once per test process. */
export function testModels(): { tiny: string; oneLayer: string; root: string } {
  if (!modelsDir) {
    modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-models-'));
    generateTinyBert(path.join(modelsDir, 'tiny-bert'), { seed: 7 });
    generateTinyBert(path.join(modelsDir, 'tiny-bert-1l'), { seed: 11, shape: { layers: 1 }, quantized: false });
    process.on('exit', () => fs.rmSync(modelsDir as string, { recursive: true, force: true }));
  }
  return { tiny: path.join(modelsDir, 'tiny-bert'), oneLayer: path.join(modelsDir, 'tiny-bert-1l'), root: modelsDir };
}

export function localSpec(folder: string, over: Partial<LocalSpec> = {}): LocalSpec {
  return {
    kind: 'local', path: folder, dtype: 'fp32', pooling: 'mean', normalize: true,
    queryPrefix: '', documentPrefix: '', backend: 'wasm', ...over,
  };
}

export function row(v: Float32Array, i: number, dim: number): Float32Array {
  return v.subarray(i * dim, (i + 1) * dim);
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return m;
}

export function norm(v: Float32Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

/** OS threads of this process (worker threads are OS threads; a terminated worker's are gone). */
export function threadCount(): number {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  return Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
}

/** Resolves once the process is back to at most `limit` threads (cancelled workers exit by themselves). */
export async function threadsBackTo(limit: number): Promise<void> {
  while (threadCount() > limit) await new Promise((r) => setTimeout(r, 50));
}

/** Whether the process is back to at most `limit` threads within `ms` (a thread leaves the count a moment after its 'exit'). */
export async function threadsBackWithin(limit: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (threadCount() > limit && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return threadCount() <= limit;
}
