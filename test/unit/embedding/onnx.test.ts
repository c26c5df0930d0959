import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { bertWeights, buildBertGraph, TINY_BERT } from '../../../scripts/make-models';
import { cacheKey, createEmbedder, EmbeddingCache, embeddingCacheRoot } from '../../../src/core/embedding';
import { withCountMemo } from '../../../src/core/embedding/countMemo';
import { inspectModelFolder } from '../../../src/core/embedding/modelFolder';
import type { OnnxEmbedder } from '../../../src/core/embedding/onnxEmbedder';
import { workerScript } from '../../../src/core/embedding/workerPool';
import type { Embedder } from '../../../src/core/embedding/types';
import { DriftError } from '../../../src/core/types';
import { referenceForward } from './reference';
import { localSpec, maxAbsDiff, norm, row, testModels, threadCount, threadsBackTo, threadsBackWithin, type LocalSpec } from './support';

// A fresh cache folder: a store another run left for the same model would let create() skip its probe.
const context = { cacheDir: fs.mkdtempSync(path.join(os.tmpdir(), 'drift-onnx-cache-')), allowNetwork: false, workers: 2 };
const texts = [
  'Embedding drift shows how retrieval changes.',
  'short',
  'A much longer passage about tokenizers, chunkers and vector indexes, which pads every shorter text in its batch quite a lot.',
  'hnsw',
];

function isModelError(pattern: RegExp) {
  return (err: unknown) => err instanceof DriftError && err.code === 'model' && pattern.test(err.message) && !err.message.includes('\n');
}

describe('ONNX embedder on tiny-bert', function () {
  this.timeout(60000);
  const open: Embedder[] = [];
  const make = async (over: Partial<LocalSpec> = {}, folder = testModels().tiny, workers = 1) => {
    const e = await createEmbedder(localSpec(folder, over), { ...context, workers });
    open.push(e);
    return e;
  };
  before(async () => {
    workerScript(); // fails clearly when `node esbuild.js` has not run
    // Start libuv's thread pool now (it lives as long as the process), so thread counts taken in
    // the tests below see only the worker threads come and go.
    await fs.promises.readFile(__filename);
  });
  after(async () => { await Promise.all(open.map((e) => e.dispose())); });

  /**
   * A cache folder as a previous run leaves it (one cached row: its manifest records tiny-bert's
   * fingerprint and dimension, so create() skips its probe), and tiny-bert's vectors of `texts`.
   */
  const recordedCache = async (prefix: string) => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const fresh = await make({}, testModels().tiny, 1);
    const expected = await fresh.embed(texts, { kind: 'document' });
    const store = await EmbeddingCache.open(embeddingCacheRoot(cacheDir), fresh.fingerprint, 32);
    await store.write([cacheKey('document', 'x')], new Float32Array(32), new Uint8Array(1));
    return { cacheDir, fresh, expected };
  };

  it('gives deterministic unit-length vectors of the model dimension', async () => {
    const e = await make({}, testModels().tiny, 2);
    assert.equal(e.dimension, 32);
    assert.equal(e.maxTokens, 128);
    const a = await e.embed(texts, { kind: 'document' });
    const b = await e.embed(texts, { kind: 'document' });
    assert.deepEqual(a.vectors, b.vectors);
    for (let i = 0; i < texts.length; i++) assert.ok(Math.abs(norm(row(a.vectors, i, 32)) - 1) < 1e-5);
    assert.equal(a.truncated, 0);
    // Different texts, different vectors.
    assert.ok(maxAbsDiff(row(a.vectors, 0, 32), row(a.vectors, 1, 32)) > 1e-2);
  });

  it('is batch-invariant: a text alone equals the same text inside a padded batch', async () => {
    const e = await make();
    const batch = await e.embed(texts, { kind: 'document' });
    for (let i = 0; i < texts.length; i++) {
      const alone = await e.embed([texts[i]!], { kind: 'document' });
      assert.ok(maxAbsDiff(alone.vectors, row(batch.vectors, i, 32)) < 1e-5, `text ${i}`);
    }
  });

  it('matches an independent forward pass of the one-layer model for mean, cls and last pooling', async () => {
    const shape = { ...TINY_BERT, layers: 1 };
    const weights = bertWeights(shape, 11);
    const text = 'Tokenizers shatter new vocabulary: pgvector, hnswlib!';
    for (const pooling of ['mean', 'cls', 'last'] as const) {
      const e = await make({ pooling, normalize: false }, testModels().oneLayer);
      const ids = [101, ...e.tokenizer.encode(text).ids, 102];
      const states = referenceForward(shape, weights, ids);
      const expected = new Float32Array(32);
      if (pooling === 'mean') states.forEach((s) => s.forEach((v, d) => { expected[d]! += v / states.length; }));
      else expected.set(pooling === 'cls' ? states[0]! : states[states.length - 1]!);
      const got = (await e.embed([text, 'pad me out with a longer companion text please'], { kind: 'document' })).vectors;
      assert.ok(maxAbsDiff(row(got, 0, 32), expected) < 1e-4, `${pooling}: ${maxAbsDiff(row(got, 0, 32), expected)}`);
      await e.dispose();
    }
  });

  it('agrees between the WASM and native backends within 1e-4', async () => {
    const wasm = await make({ backend: 'wasm' });
    const native = await make({ backend: 'native' });
    assert.equal((native as OnnxEmbedder).backend, 'native');
    assert.equal((wasm as OnnxEmbedder).backend, 'wasm');
    const a = await wasm.embed(texts, { kind: 'document' });
    const b = await native.embed(texts, { kind: 'document' });
    assert.ok(maxAbsDiff(a.vectors, b.vectors) < 1e-4, String(maxAbsDiff(a.vectors, b.vectors)));
    assert.equal(wasm.fingerprint, native.fingerprint);
  });

  it('truncates at the maximum length, reports which inputs were cut, and keeps the head of the text', async () => {
    const e = await make({ maxTokens: 16 });
    assert.equal(e.maxTokens, 16);
    const words = Array.from({ length: 30 }, (_, i) => ['alpha', 'beta', 'gamma', 'delta', 'river', 'stone'][i % 6]);
    // Each word is one WordPiece token: [CLS] + 14 words + [SEP] = 16.
    assert.deepEqual(e.tokenizer.encode(words.join(' ')).ids.length, 30);
    const r = await e.embed([words.join(' '), 'short text'], { kind: 'document' });
    assert.equal(r.truncated, 1);
    assert.deepEqual([...(r.truncatedRows ?? [])], [1, 0]);
    const head = await e.embed([words.slice(0, 14).join(' ')], { kind: 'document' });
    assert.ok(maxAbsDiff(row(r.vectors, 0, 32), head.vectors) < 1e-5);
    const tiny = await make();
    assert.notEqual(tiny.fingerprint, e.fingerprint);
  });

  it('records each document\'s token count while tokenizing it for the model, equal to what the tokenizer counts', async () => {
    const e = await make({ maxTokens: 16 });
    const words = Array.from({ length: 30 }, (_, i) => ['river', 'stone', 'alpha', 'gamma', 'delta', 'beta'][i % 6]).join(' ');
    // Cut at 16 (30 tokens of its own), short, a literal special token inside, unknown characters.
    const docs = [`${words} counted`, 'counted short text', 'counted [SEP] in the middle [CLS]', 'counted \u2603\u2603 snowmen'];
    await e.embed(docs, { kind: 'document' });
    await e.embed(['counted as a query'], { kind: 'query' });
    // The memo under this model's key, over a tokenizer that refuses to count: each count below is
    // one the embedding recorded.
    const key = inspectModelFolder(testModels().tiny, 'fp32', 'tiny').contentHash;
    const refuse = (): never => { throw new Error('counted again'); };
    const recorded = withCountMemo({ name: 'refuses', encode: refuse, count: refuse }, key);
    for (const d of docs) assert.equal(recorded.count(d), e.tokenizer.encode(d).ids.length, d);
    assert.equal(recorded.count(docs[0]!), 31);
    // A query, and a document under a prefix, are tokenized as other texts than the chunk: not recorded.
    assert.throws(() => recorded.count('counted as a query'), /counted again/);
    const prefixed = await make({ documentPrefix: 'passage: ' });
    await prefixed.embed(['counted under a prefix'], { kind: 'document' });
    assert.throws(() => recorded.count('counted under a prefix'), /counted again/);
  });

  it('applies the query and document prefixes and names them in the fingerprint', async () => {
    const plain = await make();
    const prefixed = await make({ queryPrefix: 'query: ', documentPrefix: 'passage: ' });
    assert.notEqual(plain.fingerprint, prefixed.fingerprint);
    const q = await prefixed.embed(['how to chunk'], { kind: 'query' });
    const d = await prefixed.embed(['how to chunk'], { kind: 'document' });
    const ref = await plain.embed(['query: how to chunk', 'passage: how to chunk'], { kind: 'document' });
    assert.ok(maxAbsDiff(q.vectors, row(ref.vectors, 0, 32)) < 1e-5);
    assert.ok(maxAbsDiff(d.vectors, row(ref.vectors, 1, 32)) < 1e-5);
  });

  it('runs the int8 weights (q8) close to fp32, under another fingerprint', async () => {
    const fp32 = await make({ dtype: 'fp32' });
    const q8 = await make({ dtype: 'q8' });
    assert.notEqual(fp32.fingerprint, q8.fingerprint);
    const a = await fp32.embed(texts, { kind: 'document' });
    const b = await q8.embed(texts, { kind: 'document' });
    for (let i = 0; i < texts.length; i++) {
      let dot = 0;
      for (let d = 0; d < 32; d++) dot += row(a.vectors, i, 32)[d]! * row(b.vectors, i, 32)[d]!;
      assert.ok(dot > 0.95 && dot < 0.99999, `cosine ${dot}`);
    }
  });

  it('stops at the abort (no batch completes after it) and leaves no worker thread behind', async () => {
    const baseline = threadCount();
    const e = await createEmbedder(localSpec(testModels().tiny), { ...context, workers: 2 });
    assert.ok(threadCount() > baseline, 'workers are running');
    const many = Array.from({ length: 3000 }, (_, i) => `${texts[i % texts.length]} number ${i}`);
    const ac = new AbortController();
    let doneAtAbort = -1;
    let progressAfterAbort = 0;
    const started = e.embed(many, {
      kind: 'document', signal: ac.signal,
      onProgress: (p) => {
        if (ac.signal.aborted) progressAfterAbort++;
        else if (p.done > 0) { doneAtAbort = p.done; ac.abort(); }
      },
    });
    await assert.rejects(started, (err: unknown) => err instanceof DriftError && err.code === 'cancelled');
    assert.ok(doneAtAbort > 0 && doneAtAbort < many.length, `aborted after ${doneAtAbort} texts`);
    assert.equal(progressAfterAbort, 0, 'no batch finished after the abort');
    // The call returns at once; the threads exit on their own a moment later (a worker still
    // compiling ORT's WASM takes seconds to go), and never stay.
    await threadsBackTo(baseline);
    // Usable again afterwards: a fresh pool starts on the next call.
    const again = await e.embed(['after abort'], { kind: 'document' });
    assert.equal(again.vectors.length, 32);
    assert.ok(threadCount() > baseline, 'a fresh pool runs');
    await e.dispose();
    // The OS counts a thread until it has fully gone, a moment after its 'exit' event (a full unit run once saw one still counted).
    assert.ok(await threadsBackWithin(baseline, 5_000), `dispose ends the workers (${threadCount()} threads, ${baseline} before)`);
  });

  it('cancels a native (onnxruntime-node) run without killing the process: the batch in hand finishes, then the thread exits', async () => {
    // Terminating a thread inside onnxruntime-node aborts the whole process ("terminate called
    // after throwing an instance of Napi::Error"): if that regressed, this test process would die.
    const baseline = threadCount();
    const e = await createEmbedder(localSpec(testModels().tiny, { backend: 'native' }), { ...context, workers: 2 });
    const many = Array.from({ length: 3000 }, (_, i) => `${texts[i % texts.length]} number ${i}`);
    const ac = new AbortController();
    await assert.rejects(e.embed(many, { kind: 'document', signal: ac.signal, onProgress: (p) => { if (p.done > 0) ac.abort(); } }),
      (err: unknown) => err instanceof DriftError && err.code === 'cancelled');
    await threadsBackTo(baseline + 1); // onnxruntime-node, now loaded in this thread, may keep one of its own
    const again = await e.embed(['after abort'], { kind: 'document' });
    assert.equal(again.vectors.length, 32);
    await e.dispose();
  });

  it('cancels while the model is still loading, leaving no worker thread', async () => {
    const baseline = threadCount();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    await assert.rejects(createEmbedder(localSpec(testModels().tiny), { ...context, signal: ac.signal }),
      (err: unknown) => err instanceof DriftError && err.code === 'cancelled');
    await threadsBackTo(baseline); // the mocha timeout fails the test if they never go
  });

  it('explains a folder without tokenizer.json, a missing dtype file and a missing folder', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-badmodel-'));
    fs.cpSync(testModels().tiny, dir, { recursive: true });
    fs.rmSync(path.join(dir, 'onnx', 'model_quantized.onnx'));
    await assert.rejects(createEmbedder(localSpec(dir, { dtype: 'q8' }), context),
      isModelError(/no onnx\/model_quantized\.onnx for dtype q8 .*found onnx\/model\.onnx/));
    fs.rmSync(path.join(dir, 'tokenizer.json'));
    await assert.rejects(createEmbedder(localSpec(dir), context), isModelError(/no tokenizer\.json in /));
    await assert.rejects(createEmbedder(localSpec(path.join(dir, 'nope')), context), isModelError(/does not exist/));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('explains a corrupt ONNX file, a graph that is not a sentence encoder, and a model that yields NaN', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-badmodel-'));
    fs.cpSync(testModels().oneLayer, dir, { recursive: true });
    const onnxFile = path.join(dir, 'onnx', 'model.onnx');
    const good = fs.readFileSync(onnxFile);
    fs.writeFileSync(onnxFile, good.subarray(0, 5000));
    await assert.rejects(createEmbedder(localSpec(dir), context), isModelError(/model\.onnx is not a loadable ONNX graph/));

    // A graph whose only input is pixel_values (an image model), built with onnx-proto.
    const vi = (name: string) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'b' }, { dimValue: 3 }] } } } });
    fs.writeFileSync(onnxFile, onnx.ModelProto.encode(onnx.ModelProto.create({
      irVersion: 8, opsetImport: [{ domain: '', version: 17 }],
      graph: { name: 'g', node: [{ opType: 'Identity', input: ['pixel_values'], output: ['logits'] }], input: [vi('pixel_values')], output: [vi('logits')] },
    })).finish());
    await assert.rejects(createEmbedder(localSpec(dir), context), isModelError(/does not fit a sentence-embedding model \(inputs pixel_values; outputs logits/));

    const weights = bertWeights({ ...TINY_BERT, layers: 1 }, 11);
    weights.get('layer0.ffn_ln.gamma')!.data[3] = NaN;
    fs.writeFileSync(onnxFile, buildBertGraph({ ...TINY_BERT, layers: 1 }, weights, false));
    await assert.rejects(createEmbedder(localSpec(dir), context), isModelError(/produced NaN values/));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts no workers when the cache recorded the dimension; the first embed starts them and checks the dimension', async () => {
    const { cacheDir, fresh, expected } = await recordedCache('drift-lazy-');
    const baseline = threadCount();
    const lazy = await createEmbedder(localSpec(testModels().tiny), { ...context, cacheDir, workers: 2 });
    open.push(lazy);
    assert.equal(lazy.dimension, 32);
    assert.equal(lazy.fingerprint, fresh.fingerprint);
    assert.equal(threadCount(), baseline, 'no worker thread before the first embed');
    assert.equal(lazy.tokenizer.count('embedding drift'), fresh.tokenizer.count('embedding drift'));
    const got = await lazy.embed(texts, { kind: 'document' });
    assert.ok(threadCount() > baseline, 'the first embed started the workers');
    assert.ok(maxAbsDiff(got.vectors, expected.vectors) < 1e-6);
    await lazy.dispose();
    await threadsBackTo(baseline);

    // A store that recorded another dimension (hand-edited, or a model file swapped under one hash) is caught, not mixed in.
    const other = path.join(cacheDir, 'other');
    const wrong = await EmbeddingCache.open(embeddingCacheRoot(other), fresh.fingerprint, 16);
    await wrong.write([cacheKey('document', 'x')], new Float32Array(16), new Uint8Array(1));
    const mismatched = await createEmbedder(localSpec(testModels().tiny), { ...context, cacheDir: other, workers: 1 });
    open.push(mismatched);
    assert.equal(mismatched.dimension, 16);
    await assert.rejects(mismatched.embed(texts, { kind: 'document' }), isModelError(/dimension 32, but its embedding cache recorded 16/));
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it('warm() starts a lazily created model\'s workers without an embed; the embed after it uses them; dispose while loading ends them', async () => {
    const { cacheDir, expected } = await recordedCache('drift-warm-model-');
    const baseline = threadCount();
    const lazy = await createEmbedder(localSpec(testModels().tiny), { ...context, cacheDir, workers: 2 });
    open.push(lazy);
    assert.equal(threadCount(), baseline, 'no worker thread before warm()');
    await lazy.warm!();
    const loaded = threadCount();
    assert.ok(loaded >= baseline + 2, `warm() started both workers (${baseline} -> ${loaded} threads)`);
    const got = await lazy.embed(texts, { kind: 'document' });
    assert.equal(threadCount(), loaded, 'the embed started no thread of its own');
    assert.ok(maxAbsDiff(got.vectors, expected.vectors) < 1e-6);
    await lazy.dispose();
    await threadsBackTo(baseline);

    // Disposed while warm() is still loading: warm() resolves, and no thread stays.
    const early = await createEmbedder(localSpec(testModels().tiny), { ...context, cacheDir, workers: 2 });
    const warming = early.warm!();
    await early.dispose();
    await warming;
    assert.ok(await threadsBackWithin(baseline, 5000), `threads back to ${baseline} (now ${threadCount()})`);
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it('says to build first when dist/embed-worker.js is missing', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-nodist-'));
    assert.throws(() => workerScript(root), /embed-worker\.js is missing; build first with `npm run build`/);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
