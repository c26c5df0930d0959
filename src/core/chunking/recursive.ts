// The recursive character splitter RAG developers know from LangChain's
// RecursiveCharacterTextSplitter (keepSeparator: true), reimplemented over character spans so
// each chunk knows where it came from. One deliberate difference: the last level splits
// between code points, not UTF-16 units, so no chunk ends in half an emoji.
import type { ChunkerSpec } from '../config/types';
import { trimSpan, type Measure, type Span } from './spans';

export const DEFAULT_SEPARATORS: readonly string[] = ['\n\n', '\n', ' ', ''];

export function recursiveSpans(text: string, spec: ChunkerSpec, measure: Measure, separators: readonly string[] = DEFAULT_SEPARATORS): Span[] {
  return splitSpan(text, 0, text.length, separators, spec, measure);
}

/** The same splitter over text[start, end): other chunkers use it for a block larger than the size. */
export function recursiveSpansWithin(text: string, start: number, end: number, spec: ChunkerSpec, measure: Measure): Span[] {
  return splitSpan(text, start, end, DEFAULT_SEPARATORS, spec, measure);
}

function splitSpan(text: string, start: number, end: number, separators: readonly string[], spec: ChunkerSpec, measure: Measure): Span[] {
  const chunks: Span[] = [];
  let separator = separators[separators.length - 1] ?? '';
  let rest: readonly string[] | undefined;
  // Searching a copy of the span keeps each level linear in the span's length.
  const slice = text.slice(start, end);
  for (let i = 0; i < separators.length; i++) {
    const candidate = separators[i]!;
    if (candidate === '') { separator = candidate; break; }
    if (slice.includes(candidate)) { separator = candidate; rest = separators.slice(i + 1); break; }
  }
  const pieces = splitOnSeparator(slice, start, separator);
  let good: Span[] = [];
  for (const piece of pieces) {
    if (measure.size(piece.start, piece.end) < spec.size) {
      good.push(piece);
      continue;
    }
    if (good.length > 0) { chunks.push(...mergeSplits(text, good, spec, measure)); good = []; }
    if (!rest) {
      const span = trimSpan(text, piece.start, piece.end);
      if (span) chunks.push(span);
    } else {
      chunks.push(...splitSpan(text, piece.start, piece.end, rest, spec, measure));
    }
  }
  if (good.length > 0) chunks.push(...mergeSplits(text, good, spec, measure));
  return chunks;
}

/** Pieces that each begin with the separator (kept, as LangChain's keepSeparator does). */
function splitOnSeparator(slice: string, offset: number, separator: string): Span[] {
  const pieces: Span[] = [];
  if (separator === '') {
    for (let i = 0; i < slice.length;) {
      const width = slice.codePointAt(i)! > 0xffff && i + 1 < slice.length ? 2 : 1;
      pieces.push({ start: offset + i, end: offset + i + width });
      i += width;
    }
    return pieces;
  }
  let pieceStart = 0;
  // Like String.split with a lookahead: a cut before every occurrence except at the very start.
  let at = slice.indexOf(separator, 1);
  while (at >= 0) {
    pieces.push({ start: offset + pieceStart, end: offset + at });
    pieceStart = at;
    at = slice.indexOf(separator, at + 1);
  }
  pieces.push({ start: offset + pieceStart, end: offset + slice.length });
  return pieces.filter((p) => p.end > p.start);
}

/** LangChain's mergeSplits: contiguous pieces joined up to size, overlap carried over, trimmed. */
function mergeSplits(text: string, pieces: readonly Span[], spec: ChunkerSpec, measure: Measure): Span[] {
  const chunks: Span[] = [];
  const current: Span[] = [];
  let total = 0;
  const emit = () => {
    if (current.length === 0) return;
    const span = trimSpan(text, current[0]!.start, current[current.length - 1]!.end);
    if (span) chunks.push(span);
  };
  for (const piece of pieces) {
    const length = measure.size(piece.start, piece.end);
    if (total + length > spec.size && current.length > 0) {
      emit();
      while (total > spec.overlap || (total + length > spec.size && total > 0)) {
        const first = current.shift()!;
        total -= measure.size(first.start, first.end);
      }
    }
    current.push(piece);
    total += length;
  }
  emit();
  return chunks;
}
