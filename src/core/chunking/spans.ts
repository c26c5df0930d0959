// Character spans of the text being chunked, a size measure over them (characters, or tokens
// of one tokenization of the whole text), and the greedy packer with overlap that several
// chunkers share.
import type { Tokenizer } from '../tokenizers/types';
import { partitionPoint } from '../bisect';

/** [start, end) in UTF-16 code units of the text being chunked. */
export interface Span {
  start: number;
  end: number;
  headingPath?: string[];
}

/** Size of a span in the chunker's unit. */
export interface Measure {
  unit: 'chars' | 'tokens';
  size(start: number, end: number): number;
  /** Token spans in text order (unit 'tokens' only). */
  tokens?: ReadonlyArray<readonly [number, number]>;
}

export function charMeasure(): Measure {
  return { unit: 'chars', size: (start, end) => end - start };
}

/**
 * Token counts from one tokenization of the whole text: a span's size is the number of tokens
 * that start inside it, found by binary search, so no candidate chunk is ever re-tokenized.
 */
export function tokenMeasure(text: string, tokenizer: Tokenizer): Measure {
  const tokens = tokenizer.encode(text).offsets
    .filter(([start, end]) => end > start)
    .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const starts = Int32Array.from(tokens, ([start]) => start);
  const before = (position: number) => partitionPoint(starts.length, (i) => starts[i]! < position);
  return { unit: 'tokens', size: (start, end) => (end <= start ? 0 : before(end) - before(start)), tokens };
}

const SPACE = /\s/;

export function isSpace(text: string, index: number): boolean {
  return SPACE.test(text[index]!);
}

/** The span without leading and trailing whitespace; undefined when nothing is left. */
export function trimSpan(text: string, start: number, end: number): Span | undefined {
  while (start < end && isSpace(text, start)) start++;
  while (end > start && isSpace(text, end - 1)) end--;
  return end > start ? { start, end } : undefined;
}

function insidePair(text: string, index: number): boolean {
  if (index <= 0 || index >= text.length) return false;
  const before = text.charCodeAt(index - 1);
  const after = text.charCodeAt(index);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}

/** Moves a boundary off the middle of a surrogate pair (never splits an emoji in two), earlier or later. */
export function safeBoundary(text: string, index: number, direction: 'back' | 'forward' = 'back'): number {
  if (!insidePair(text, index)) return index;
  return direction === 'back' ? index - 1 : index + 1;
}

/**
 * Packs consecutive units into chunks of at most `size`, each next chunk starting with the
 * previous chunk's trailing units that fit in `overlap` (whole units only). Units larger than
 * `size` must be split by the caller first; such a unit still becomes a chunk of its own.
 */
export function packSpans(units: readonly Span[], size: number, overlap: number, measure: Measure): Span[] {
  const chunks: Span[] = [];
  const current: Span[] = [];
  const spanOf = (list: readonly Span[]): Span => ({ start: list[0]!.start, end: list[list.length - 1]!.end });
  for (const unit of units) {
    if (current.length > 0 && measure.size(current[0]!.start, unit.end) > size) {
      chunks.push(spanOf(current));
      const lastEnd = current[current.length - 1]!.end;
      while (current.length > 0 && (measure.size(current[0]!.start, lastEnd) > overlap || measure.size(current[0]!.start, unit.end) > size)) {
        current.shift();
      }
    }
    current.push(unit);
  }
  if (current.length > 0) chunks.push(spanOf(current));
  return chunks;
}
