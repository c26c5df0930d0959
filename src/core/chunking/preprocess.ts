// Preprocessing that changes what gets embedded (markdown syntax stripped, Unicode normalized,
// whitespace collapsed), with an offset map from every processed character back to the
// original file, so a chunk cut from processed text still opens at the right place on disk.
import type { PreprocessSpec } from '../config/types';
import { partitionPoint } from '../bisect';

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
  return partitionPoint(from.length, (i) => from[i]! < original);
}

export function isIdentity(spec: PreprocessSpec): boolean {
  return spec.normalize === 'none' && !spec.collapseWhitespace && !spec.stripMarkdown;
}

/** Builds output text piece by piece, each piece tied to the input range it replaces. */
class MappedBuilder {
  private parts: string[] = [];
  private from = new Int32Array(1024);
  private to = new Int32Array(1024);
  private length = 0;

  private reserve(extra: number): void {
    if (this.length + extra <= this.from.length) return;
    let capacity = this.from.length * 2;
    while (capacity < this.length + extra) capacity *= 2;
    const from = new Int32Array(capacity);
    const to = new Int32Array(capacity);
    from.set(this.from.subarray(0, this.length));
    to.set(this.to.subarray(0, this.length));
    this.from = from;
    this.to = to;
  }

  emit(piece: string, inputStart: number, inputEnd: number): void {
    if (piece === '') return;
    this.reserve(piece.length);
    this.parts.push(piece);
    this.from.fill(inputStart, this.length, this.length + piece.length);
    this.to.fill(inputEnd, this.length, this.length + piece.length);
    this.length += piece.length;
  }

  /** Copies input[start, end) unchanged: each character maps to itself. */
  copy(input: string, start: number, end: number): void {
    if (end <= start) return;
    this.reserve(end - start);
    this.parts.push(input.slice(start, end));
    for (let i = start; i < end; i++) { this.from[this.length] = i; this.to[this.length] = i + 1; this.length++; }
  }

  /** Composes this step's map with the previous one (input positions -> original). */
  finish(previous: Preprocessed): Preprocessed {
    const text = this.parts.join('');
    const from = this.from.slice(0, this.length);
    const to = this.to.slice(0, this.length);
    if (previous.from && previous.to) {
      for (let i = 0; i < this.length; i++) {
        const end = to[i]!;
        from[i] = previous.from[from[i]!]!;
        to[i] = previous.to[end - 1]!;
      }
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
  const text = input.text;
  if (text.normalize(form) === text) return input;
  const builder = new MappedBuilder();
  // ASCII never changes and only joins a following combining mark, so only non-ASCII runs
  // (with the character before them) are looked at, segment by segment.
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    if (text.charCodeAt(i) < 128) { i++; continue; }
    const runStart = Math.max(copied, i - 1);
    let runEnd = i;
    while (runEnd < text.length && text.charCodeAt(runEnd) >= 128) runEnd++;
    builder.copy(text, copied, runStart);
    const run = text.slice(runStart, runEnd);
    const segments = [...run.matchAll(/\P{M}\p{M}*|\p{M}+/gsu)].map((m) => ({ at: runStart + m.index, text: m[0], normalized: m[0].normalize(form) }));
    const whole = run.normalize(form);
    if (segments.map((segment) => segment.normalized).join('') === whole) {
      for (const segment of segments) {
        if (segment.normalized === segment.text) builder.copy(text, segment.at, segment.at + segment.text.length);
        else builder.emit(segment.normalized, segment.at, segment.at + segment.text.length);
      }
    } else {
      // Composition across segments (e.g. Hangul jamo): correct text, one coarse range for the run.
      builder.emit(whole, runStart, runEnd);
    }
    copied = runEnd;
    i = runEnd;
  }
  builder.copy(text, copied, text.length);
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
  // Code ranges come in text order: binary search for the last one starting at or before a position.
  const inCode = (position: number) => {
    const range = code[partitionPoint(code.length, (i) => code[i]![0] <= position) - 1];
    return range !== undefined && position < range[1];
  };
  const add = (start: number, end: number) => { if (end > start && !inCode(start)) ranges.push([start, end]); };
  for (const m of text.matchAll(/^ {0,3}(#{1,6})[ \t]+/gm)) add(m.index, m.index + m[0].length);
  for (const m of text.matchAll(/^[ \t]*(?:>[ \t]?)+/gm)) add(m.index, m.index + m[0].length);
  for (const m of text.matchAll(/^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?/gm)) add(m.index, m.index + m[0].length);
  for (const m of text.matchAll(/^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/gm)) add(m.index, m.index + m[0].length);
  for (const m of text.matchAll(/^ {0,3}=+[ \t]*$/gm)) add(m.index, m.index + m[0].length);
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
