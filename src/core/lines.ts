// Line numbers of character ranges, written once: anchors name spans by lines ("#L35-L49"), the
// report gives every chunk its lines too, so a person reads the same unit everywhere.
import { partitionPoint } from './bisect';

/** Offsets at which each line of `text` starts (line 1 at offset 0). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** 1-based line of the character at `offset`. */
export function lineAt(starts: readonly number[], offset: number): number {
  return partitionPoint(starts.length, (i) => starts[i]! <= offset);
}

/**
 * The first and last line (1-based, inclusive) that the characters [start, end) touch; an empty
 * range is the line it sits on. A chunk ending right after a newline does not reach the next line.
 */
export function lineSpan(starts: readonly number[], start: number, end: number): [number, number] {
  const first = lineAt(starts, start);
  return [first, end > start ? lineAt(starts, end - 1) : first];
}
