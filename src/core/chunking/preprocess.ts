// Preprocessing that changes what gets embedded (markdown syntax stripped, Unicode normalized,
// whitespace collapsed), with an offset map from every processed character back to the
// original file, so a chunk cut from processed text still opens at the right place on disk.
import type { PreprocessSpec } from '../config/types';

export interface Preprocessed {
  text: string;
  /** For each processed code unit, the original [from, to) it came from; undefined = identity. */
  from?: Int32Array;
  to?: Int32Array;
}

/** Maps a processed span [start, end) back to the original text. */
export function originalSpan(processed: Preprocessed, start: number, end: number): [number, number] {
  if (!processed.from || !processed.to) return [start, end];
  return [processed.from[start]!, processed.to[end - 1]!];
}

/** The first processed position at or after an original offset (for structure found in the original). */
export function processedPosition(processed: Preprocessed, original: number): number {
  const from = processed.from;
  if (!from) return original;
  let lo = 0;
  let hi = from.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (from[mid]! < original) lo = mid + 1; else hi = mid;
  }
  return lo;
}

export function isIdentity(spec: PreprocessSpec): boolean {
  return spec.normalize === 'none' && !spec.collapseWhitespace && !spec.stripMarkdown;
}

/** Builds output text piece by piece, each piece tied to the input range it replaces. */
class MappedBuilder {
  private parts: string[] = [];
  private from: number[] = [];
  private to: number[] = [];

  emit(piece: string, inputStart: number, inputEnd: number): void {
    if (piece === '') return;
    this.parts.push(piece);
    for (let i = 0; i < piece.length; i++) { this.from.push(inputStart); this.to.push(inputEnd); }
  }

  /** Copies input[start, end) unchanged: each character maps to itself. */
  copy(input: string, start: number, end: number): void {
    if (end <= start) return;
    this.parts.push(input.slice(start, end));
    for (let i = start; i < end; i++) { this.from.push(i); this.to.push(i + 1); }
  }

  /** Composes this step's map with the previous one (input positions -> original). */
  finish(previous: Preprocessed): Preprocessed {
    const text = this.parts.join('');
    const from = new Int32Array(text.length);
    const to = new Int32Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const start = this.from[i]!;
      const end = this.to[i]!;
      from[i] = previous.from ? previous.from[start]! : start;
      to[i] = previous.to ? previous.to[end - 1]! : end;
    }
    return { text, from, to };
  }
}

export function preprocess(text: string, spec: PreprocessSpec): Preprocessed {
  let current: Preprocessed = { text };
  if (spec.stripMarkdown) current = stripMarkdown(current);
  if (spec.normalize !== 'none') current = normalizeUnicode(current, spec.normalize);
  if (spec.collapseWhitespace) current = collapseWhitespace(current);
  return current;
}

/** NFC/NFKC per base character and its combining marks, so each output maps to its source. */
function normalizeUnicode(input: Preprocessed, form: 'NFC' | 'NFKC'): Preprocessed {
  if (input.text.normalize(form) === input.text) return input;
  const builder = new MappedBuilder();
  for (const match of input.text.matchAll(/\P{M}\p{M}*|\p{M}+/gsu)) {
    const segment = match[0];
    const normalized = segment.normalize(form);
    if (normalized === segment) builder.copy(input.text, match.index, match.index + segment.length);
    else builder.emit(normalized, match.index, match.index + segment.length);
  }
  return builder.finish(input);
}

/**
 * Runs of spaces and tabs become one space; a run holding one line break becomes "\n", two or
 * more become "\n\n", so paragraphs still separate for the chunkers that split on them.
 */
function collapseWhitespace(input: Preprocessed): Preprocessed {
  const builder = new MappedBuilder();
  const text = input.text;
  let last = 0;
  for (const match of text.matchAll(/\s+/g)) {
    builder.copy(text, last, match.index);
    const run = match[0];
    const breaks = (run.match(/\n/g) ?? []).length;
    const replacement = breaks >= 2 ? '\n\n' : breaks === 1 ? '\n' : ' ';
    const start = match.index;
    const end = start + run.length;
    if (replacement === run) builder.copy(text, start, end);
    else for (let i = 0; i < replacement.length; i++) builder.emit(replacement[i]!, start, end);
    last = end;
  }
  builder.copy(text, last, text.length);
  return builder.finish(input);
}

/** Markdown syntax as character ranges to delete; the words (link text, code, alt text) stay. */
export function markdownSyntaxRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const code: Array<[number, number]> = [];
  // Fences: delete the fence lines, keep the code, and leave code contents untouched.
  const fence = /^ {0,3}(`{3,}|~{3,})[^\n]*(?:\n|$)/gm;
  let open: { end: number; marker: string } | undefined;
  for (const match of text.matchAll(fence)) {
    const marker = match[1]!;
    if (!open) {
      ranges.push([match.index, match.index + match[0].length]);
      open = { end: match.index + match[0].length, marker };
    } else if (marker[0] === open.marker[0] && marker.length >= open.marker.length && match[0].slice(match[0].indexOf(marker) + marker.length).trim() === '') {
      code.push([open.end, match.index]);
      ranges.push([match.index, match.index + match[0].length]);
      open = undefined;
    }
  }
  if (open) code.push([open.end, text.length]);
  const inCode = (position: number) => code.some(([s, e]) => position >= s && position < e);
  const add = (start: number, end: number) => { if (end > start && !inCode(start)) ranges.push([start, end]); };
  for (const m of text.matchAll(/^ {0,3}(#{1,6})[ \t]+/gm)) add(m.index, m.index + m[0].length);
  for (const m of text.matchAll(/^[ \t]*(?:>[ \t]?)+/gm)) add(m.index, m.index + m[0].length);
  for (const m of text.matchAll(/^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?/gm)) add(m.index, m.index + m[0].length);
  for (const m of text.matchAll(/^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/gm)) add(m.index, m.index + m[0].length);
  for (const m of text.matchAll(/!?\[([^\]\n]*)\]\(([^)\n]*)\)/g)) {
    const textStart = m.index + (m[0].startsWith('!') ? 2 : 1);
    add(m.index, textStart);
    add(textStart + m[1]!.length, m.index + m[0].length);
  }
  for (const m of text.matchAll(/(`+)([^`\n]+?)\1/g)) {
    add(m.index, m.index + m[1]!.length);
    add(m.index + m[0].length - m[1]!.length, m.index + m[0].length);
  }
  for (const m of text.matchAll(/(\*\*|\*|~~|(?<![\p{L}\p{N}])__|(?<![\p{L}\p{N}])_)(?=\S)([^\n]*?\S)\1/gu)) {
    add(m.index, m.index + m[1]!.length);
    add(m.index + m[0].length - m[1]!.length, m.index + m[0].length);
  }
  for (const m of text.matchAll(/<!--[\s\S]*?-->|<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g)) add(m.index, m.index + m[0].length);
  return ranges;
}

function stripMarkdown(input: Preprocessed): Preprocessed {
  const ranges = markdownSyntaxRanges(input.text).sort((x, y) => x[0] - y[0]);
  if (ranges.length === 0) return input;
  const builder = new MappedBuilder();
  let position = 0;
  for (const [start, end] of ranges) {
    builder.copy(input.text, position, start);
    position = Math.max(position, end);
  }
  builder.copy(input.text, position, input.text.length);
  return builder.finish(input);
}
