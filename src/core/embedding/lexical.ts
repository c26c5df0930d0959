// The built-in `builtin:lexical` embedder: a lexical baseline that needs no weights, so a first run
// works offline and chunker comparisons need no download. Hashed word and character 3-5-gram
// features with sublinear (1 + log tf) weights, signed feature hashing into a fixed dimension, L2.
import { wordsTokenizer } from '../tokenizers/words';
import { throwIfAborted, type RunOptions } from '../types';
import { yielder } from '../yielding';
import type { EmbedResult, Embedder, TextKind } from './types';

/** Bumped whenever the features change, so cached vectors of an older version are never reused. */
const LEXICAL_VERSION = 1;
export const DEFAULT_LEXICAL_DIMENSION = 384;

const WORD = /[\p{L}\p{N}_]+/gu;
/** Subword grams carry less weight than whole words: they mostly bridge inflections and typos. */
const SUBWORD_WEIGHT = 0.5;
const GRAM_SIZES = [3, 4, 5];

/** 32-bit FNV-1a over UTF-16 code units (as words.ts's wordId), with a seed mixed into the offset basis. */
export function fnv1a(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Feature counts of one text: `w:word` for each word, `g:gram` for each boundary-marked n-gram. */
export function lexicalFeatures(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (f: string) => counts.set(f, (counts.get(f) ?? 0) + 1);
  for (const m of text.matchAll(WORD)) {
    const word = m[0].toLowerCase();
    add(`w:${word}`);
    const marked = `<${word}>`;
    for (const n of GRAM_SIZES) {
      for (let i = 0; i + n <= marked.length; i++) add(`g:${marked.slice(i, i + n)}`);
    }
  }
  return counts;
}

/** Writes the unit-length lexical vector of `text` into `out` (zeros for a text without words). */
export function lexicalVector(text: string, out: Float32Array): void {
  out.fill(0);
  const dim = out.length;
  for (const [feature, tf] of lexicalFeatures(text)) {
    const h = fnv1a(feature, 0);
    // The sign comes from an independent hash so colliding features cancel in expectation.
    const sign = fnv1a(feature, 0x9e3779b9) & 1 ? 1 : -1;
    const weight = (1 + Math.log(tf)) * (feature.startsWith('g:') ? SUBWORD_WEIGHT : 1);
    const slot = h % dim;
    out[slot] = (out[slot] ?? 0) + sign * weight;
  }
  let norm = 0;
  for (let i = 0; i < dim; i++) norm += (out[i] ?? 0) ** 2;
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < dim; i++) out[i] = (out[i] ?? 0) * inv;
  }
}

export class LexicalEmbedder implements Embedder {
  readonly fingerprint: string;
  readonly label = 'builtin:lexical';
  readonly maxTokens = undefined;
  /** Words and punctuation: what the features are built from (punctuation adds no feature). */
  readonly tokenizer = wordsTokenizer();

  constructor(readonly dimension: number = DEFAULT_LEXICAL_DIMENSION) {
    if (!Number.isInteger(dimension) || dimension < 8) {
      throw new RangeError(`builtin:lexical dimension must be an integer >= 8, got ${dimension}`);
    }
    this.fingerprint = `builtin:lexical:v${LEXICAL_VERSION}:d${dimension}`;
  }

  async embed(texts: string[], options: RunOptions & { kind: TextKind }): Promise<EmbedResult> {
    const dim = this.dimension;
    const vectors = new Float32Array(texts.length * dim);
    // Yield now and then so a long run stays cancellable and the host stays responsive.
    const pause = yielder(options.signal);
    for (let i = 0; i < texts.length; i++) {
      if (i % 256 === 0) {
        throwIfAborted(options.signal);
        options.onProgress?.({ stage: 'embed', done: i, total: texts.length });
        await pause();
      }
      lexicalVector(texts[i] ?? '', vectors.subarray(i * dim, (i + 1) * dim));
    }
    throwIfAborted(options.signal);
    options.onProgress?.({ stage: 'embed', done: texts.length, total: texts.length });
    return { vectors, truncated: 0 };
  }

  async dispose(): Promise<void> {}
}
