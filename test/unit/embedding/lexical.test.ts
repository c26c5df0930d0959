import * as assert from 'node:assert/strict';
import { DriftError } from '../../../src/core/types';
import { createEmbedder } from '../../../src/core/embedding';
import { fnv1a, LexicalEmbedder, lexicalFeatures, lexicalVector } from '../../../src/core/embedding/lexical';

function norm(v: Float32Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
}

describe('builtin:lexical embedder', () => {
  it('hashes with standard 32-bit FNV-1a', () => {
    // Published FNV-1a test vectors.
    assert.equal(fnv1a('', 0), 0x811c9dc5);
    assert.equal(fnv1a('a', 0), 0xe40c292c);
    assert.equal(fnv1a('foobar', 0), 0xbf9cf968);
  });

  it('extracts the lower-cased word and its boundary-marked 3-5-grams', () => {
    assert.deepEqual([...lexicalFeatures('AB')].sort(), [['g:<ab', 1], ['g:<ab>', 1], ['g:ab>', 1], ['w:ab', 1]]);
    // "<cat>" has three 3-grams, two 4-grams and one 5-gram.
    assert.equal([...lexicalFeatures('cat').keys()].filter((f) => f.startsWith('g:')).length, 6);
  });

  it('places each feature at its hashed slot with its sign and weight, then L2-normalizes', () => {
    const dim = 4096;
    const v = new Float32Array(dim);
    lexicalVector('ab', v);
    // Word weight 1, three grams weight 0.5 each: squared norm 1 + 3 * 0.25 = 1.75.
    const expected = new Float32Array(dim);
    for (const [feature, weight] of [['w:ab', 1], ['g:<ab', 0.5], ['g:ab>', 0.5], ['g:<ab>', 0.5]] as const) {
      const sign = fnv1a(feature, 0x9e3779b9) & 1 ? 1 : -1;
      const slot = fnv1a(feature, 0) % dim;
      expected[slot] = (expected[slot] ?? 0) + (sign * weight) / Math.sqrt(1.75);
    }
    for (let i = 0; i < dim; i++) assert.ok(Math.abs((v[i] ?? 0) - (expected[i] ?? 0)) < 1e-6, `slot ${i}`);
  });

  it('weights repeated words sublinearly (1 + ln tf)', () => {
    const dim = 4096;
    const v = new Float32Array(dim);
    lexicalVector('cat dog dog', v);
    const cat = v[fnv1a('w:cat', 0) % dim] ?? 0;
    const dogSlot = fnv1a('w:dog', 0) % dim;
    assert.notEqual(fnv1a('w:cat', 0) % dim, dogSlot);
    assert.ok(Math.abs(Math.abs(v[dogSlot] ?? 0) / Math.abs(cat) - (1 + Math.log(2))) < 1e-5);
  });

  it('gives deterministic unit-length rows, zeros for a text without words', async () => {
    const e = new LexicalEmbedder();
    const texts = ['Embedding drift in retrieval', 'hnsw index', '', '!!!', 'Embedding drift in retrieval'];
    const { vectors, truncated } = await e.embed(texts, { kind: 'document' });
    const again = await new LexicalEmbedder().embed(texts, { kind: 'document' });
    assert.deepEqual(vectors, again.vectors);
    assert.equal(truncated, 0);
    assert.equal(vectors.length, texts.length * 384);
    const row = (i: number) => vectors.subarray(i * 384, (i + 1) * 384);
    assert.ok(Math.abs(norm(row(0)) - 1) < 1e-5);
    assert.ok(Math.abs(norm(row(1)) - 1) < 1e-5);
    assert.equal(norm(row(2)), 0);
    assert.equal(norm(row(3)), 0);
    assert.deepEqual(row(0), row(4));
  });

  it('ranks texts sharing words and word parts above unrelated text', async () => {
    const e = new LexicalEmbedder();
    const { vectors } = await e.embed(
      ['embedding model drift', 'embedding models drifting', 'banana bread recipe'], { kind: 'query' });
    const row = (i: number) => vectors.subarray(i * 384, (i + 1) * 384);
    assert.ok(dot(row(0), row(1)) > 0.5);
    assert.ok(dot(row(0), row(1)) > dot(row(0), row(2)) + 0.3);
  });

  it('names its dimension in the fingerprint and rejects a bad dimension', () => {
    assert.notEqual(new LexicalEmbedder(384).fingerprint, new LexicalEmbedder(256).fingerprint);
    assert.equal(new LexicalEmbedder(256).dimension, 256);
    assert.throws(() => new LexicalEmbedder(0), RangeError);
  });

  it('is what createEmbedder gives for builtin:lexical, offline', async () => {
    const e = await createEmbedder({ kind: 'builtin', name: 'lexical', dimension: 128 }, { cacheDir: '/nonexistent', allowNetwork: false });
    assert.ok(e instanceof LexicalEmbedder);
    assert.deepEqual([e.dimension, e.label, e.fingerprint], [128, 'builtin:lexical', new LexicalEmbedder(128).fingerprint]);
  });

  it('stops when the signal has fired', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(new LexicalEmbedder().embed(['a'], { kind: 'document', signal: ac.signal }),
      (err: unknown) => err instanceof DriftError && err.code === 'cancelled');
  });

  it('hashes like the words tokenizer it exposes', () => {
    const e = new LexicalEmbedder();
    assert.equal(e.tokenizer.name, 'words');
    assert.deepEqual(e.tokenizer.encode('Drift, again').ids, [fnv1a('drift', 0), fnv1a(',', 0), fnv1a('again', 0)]);
  });
});
