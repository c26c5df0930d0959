// Fixed-size windows with overlap: the baseline chunker. In characters, windows of `size` code
// units stepping `size - overlap`; in tokens, windows of `size` whole tokens.
import type { ChunkerSpec } from '../config/types';
import { safeBoundary, trimSpan, type Measure, type Span } from './spans';

export function fixedSpans(text: string, spec: ChunkerSpec, measure: Measure): Span[] {
  const spans: Span[] = [];
  const push = (start: number, end: number) => {
    const span = trimSpan(text, start, end);
    if (span) spans.push(span);
  };
  if (measure.unit === 'tokens' && measure.tokens) {
    const tokens = measure.tokens;
    const step = spec.size - spec.overlap;
    for (let first = 0; first < tokens.length; first += step) {
      const last = Math.min(first + spec.size, tokens.length) - 1;
      push(tokens[first]![0], tokens[last]![1]);
      if (last === tokens.length - 1) break;
    }
    return spans;
  }
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, safeBoundary(text, start + spec.size));
    // A window of one code unit that would split a pair takes the whole character.
    if (end <= start) end = start + 2;
    push(start, end);
    if (end >= text.length) break;
    // Forward off a pair, so the overlap never grows past its bound; never step backwards.
    start = safeBoundary(text, Math.max(start + 1, end - spec.overlap), 'forward');
  }
  return spans;
}
