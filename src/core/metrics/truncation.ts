// Truncation: how many chunks are longer than the model reads, in the model's own tokens, and how
// much corpus text is therefore never embedded.
import type { Tokenizer } from '../tokenizers/types';
import type { TruncationStats } from '../report/types';
import { throwIfAborted, type Chunk, type RunOptions } from '../types';
import { round } from './stats';
import { yielder } from '../yielding';

export interface TruncationResult {
  stats: TruncationStats;
  /** Token count per chunk (for the chunk table). */
  tokens: number[];
}

/**
 * maxTokens counts the text's own tokens (special tokens such as [CLS] not included), so a chunk
 * exactly at the limit is not truncated. "Never embedded" = characters of the corpus files that no
 * chunk's embedded part covers: cut-off tails, and gaps the chunker left. When preprocessing
 * changed the text, the cut point is mapped back proportionally (an estimate).
 */
export async function truncationStats(
  chunks: readonly Pick<Chunk, 'file' | 'start' | 'end' | 'text' | 'embedText'>[],
  fileLengths: ReadonlyMap<string, number>, tokenizer: Tokenizer, maxTokens: number | undefined, options: RunOptions = {},
): Promise<TruncationResult> {
  const tokens: number[] = [];
  let truncated = 0;
  const covered = new Map<string, Array<[number, number]>>();
  const pause = yielder(options.signal);
  throwIfAborted(options.signal);
  for (const chunk of chunks) {
    await pause();
    const count = tokenizer.count(chunk.embedText);
    tokens.push(count);
    let end = chunk.end;
    if (maxTokens !== undefined && count > maxTokens) {
      truncated++;
      const enc = tokenizer.encode(chunk.embedText);
      const cut = enc.offsets[maxTokens - 1]?.[1] ?? 0;
      const ratio = chunk.embedText.length === 0 ? 1 : cut / chunk.embedText.length;
      end = chunk.start + Math.round((chunk.end - chunk.start) * (chunk.embedText === chunk.text ? cut / Math.max(1, chunk.text.length) : ratio));
    }
    const list = covered.get(chunk.file) ?? [];
    list.push([chunk.start, end]);
    covered.set(chunk.file, list);
  }
  let total = 0;
  let embedded = 0;
  for (const [file, length] of fileLengths) {
    total += length;
    const ranges = (covered.get(file) ?? []).sort((x, y) => x[0] - y[0]);
    let reach = 0;
    for (const [s, e] of ranges) {
      const from = Math.max(s, reach);
      if (e > from) { embedded += e - from; reach = e; }
    }
  }
  return {
    tokens,
    stats: {
      maxTokens: maxTokens ?? null,
      share: chunks.length === 0 ? 0 : round(truncated / chunks.length),
      textShare: total === 0 ? 0 : round(Math.max(0, total - embedded) / total),
      truncated,
      zeroVectors: 0,
    },
  };
}

/**
 * Rows (chunks) whose vector is all zeros: what a model gives a text it knows no token of (GloVe's
 * unkVector, the lexical embedder's vector of a text without words). Normalization leaves them zero.
 */
export function zeroVectorRows(vectors: Float32Array, dimension: number): number[] {
  const rows: number[] = [];
  const n = dimension > 0 ? Math.floor(vectors.length / dimension) : 0;
  for (let i = 0; i < n; i++) {
    let zero = true;
    for (let d = i * dimension; d < (i + 1) * dimension; d++) {
      if (vectors[d] !== 0) { zero = false; break; }
    }
    if (zero) rows.push(i);
  }
  return rows;
}
