// The noise floor stage on a real ONNX model (the generated tiny-bert, with both model.onnx and
// model_quantized.onnx): native against WASM and fp32 against q8 are measured on A's own chunks,
// search against HNSW too; the floor is the largest; what does not apply is skipped with its reason.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateTinyBert } from '../../../scripts/make-models';
import { defaultConfig } from '../../../src/core/config';
import type { DriftConfig, ModelSpec } from '../../../src/core/config/types';
import { createEmbedder } from '../../../src/core/embedding';
import { nativeRuntimeAvailable } from '../../../src/core/embedding/onnxEmbedder';
import { prepareVectors, searchPrepared } from '../../../src/core/index/quantize';
import { measureNoiseFloor } from '../../../src/core/pipeline/noiseFloor';
import type { Chunk } from '../../../src/core/types';

const WORDS = 'index vector query token chunk model cache search neighbor corpus install server client batch latency recall precision embedding graph layer weight'.split(' ');

/** Sentences of seeded word choices: texts a model embeds differently, with near ties among them. */
function chunks(n: number): Chunk[] {
  let s = 7;
  const next = (): number => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
  return Array.from({ length: n }, (_, i) => {
    const text = Array.from({ length: 8 + (i % 5) }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ');
    return { file: `doc${i % 6}.md`, start: 0, end: text.length, text, embedText: text };
  });
}

describe('noise floor stage', function () {
  this.timeout(180_000);
  let dir: string;
  let modelDir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'drift-noise-'));
    modelDir = path.join(dir, 'tiny-bert');
    generateTinyBert(modelDir, { seed: 3 });
  });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  async function floorFor(model: ModelSpec, items: Chunk[], tweak: (c: DriftConfig) => void = () => undefined) {
    const config = defaultConfig(dir);
    config.k = 5;
    config.a.model = model;
    tweak(config);
    const cacheDir = path.join(dir, 'cache');
    const embedder = await createEmbedder(model, { cacheDir, allowNetwork: false, workers: 1 });
    try {
      const { vectors } = await embedder.embed(items.map((c) => c.embedText), { kind: 'document' });
      const prepared = prepareVectors(vectors, items.length, embedder.dimension, config.a.vectors);
      const search = await searchPrepared(prepared, config.k, config.search, { workers: 0 });
      return await measureNoiseFloor({ config, chunks: items, embedder, prepared, search }, { cacheDir, allowNetwork: false, workers: 1 });
    } finally {
      await embedder.dispose();
    }
  }

  const local = (over: Partial<Extract<ModelSpec, { kind: 'local' }>> = {}): ModelSpec =>
    ({ kind: 'local', path: modelDir, dtype: 'fp32', pooling: 'mean', normalize: true, queryPrefix: '', documentPrefix: '', backend: 'auto', ...over });

  it('measures the other backend, the other dtype and HNSW; the floor is the largest', async () => {
    const floor = await floorFor(local(), chunks(120));
    const by = new Map(floor.sources.map((s) => [s.source, s]));
    assert.ok(by.get('search'), 'search is always measured for float vectors');
    assert.match(by.get('search')!.variant, /^HNSW search \(M 16, efConstruction 200, efSearch 64\) instead of exact$/);
    assert.equal(by.get('dtype')?.variant, 'q8 weights instead of fp32');
    // int8 weights move vectors enough to reorder some near neighbors of these near-duplicate texts.
    assert.ok(by.get('dtype')!.meanJaccard < 1, 'q8 changes some neighbor lists');
    if (nativeRuntimeAvailable()) {
      assert.equal(by.get('backend')?.variant, 'the WASM backend instead of native');
      // The two runtimes agree within float rounding: far less churn than the dtype change.
      assert.ok(by.get('backend')!.meanJaccard >= by.get('dtype')!.meanJaccard);
    }
    const worst = Math.max(...floor.sources.map((s) => s.churnedShare));
    assert.equal(floor.churnedShare, worst);
    const largest = floor.sources.find((s) => s.source === floor.largest)!;
    assert.equal(largest.churnedShare, worst);
    assert.equal(floor.meanJaccard, largest.meanJaccard);
  });

  it('skips what does not apply, with the reason: a pinned backend, a missing dtype file, binary search, builtin:lexical', async () => {
    const noQuantized = path.join(dir, 'fp32-only');
    generateTinyBert(noQuantized, { seed: 3, quantized: false });
    const pinned = await floorFor(local({ path: noQuantized, backend: 'wasm' }), chunks(40), (c) => { c.a.vectors = { quantize: 'binary' }; });
    const reasons = new Map(pinned.skipped.map((s) => [s.source, s.reason]));
    assert.match(reasons.get('backend')!, /backend is set to 'wasm'/);
    assert.match(reasons.get('dtype')!, /^q8 weights instead of fp32 could not run: .*onnx\/model_quantized\.onnx/);
    assert.match(reasons.get('search')!, /binary vectors are always searched exhaustively by Hamming distance/);
    // Nothing measured: no floor, never a made-up 0.
    assert.deepEqual([pinned.churnedShare, pinned.meanJaccard, pinned.largest, pinned.sources.length], [null, null, null, 0]);

    const lexical = await floorFor({ kind: 'builtin', name: 'lexical', dimension: 64 }, chunks(60));
    assert.deepEqual(lexical.sources.map((s) => s.source), ['search']);
    assert.deepEqual(lexical.skipped.map((s) => s.source), ['backend', 'dtype']);
    assert.match(lexical.skipped[0]!.reason, /builtin:lexical has one implementation/);
    assert.equal(lexical.largest, 'search');
  });
});
