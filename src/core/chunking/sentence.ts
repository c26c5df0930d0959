// Sentence chunking: Intl.Segmenter sentences packed up to the size, overlapping by whole
// sentences; a sentence longer than the size is split like the recursive chunker would.
import type { ChunkerSpec } from '../config/types';
import { recursiveSpansWithin } from './recursive';
import { packSpans, safeBoundary, trimSpan, type Measure, type Span } from './spans';

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/**
 * Intl.Segmenter slows down more than linearly on long inputs (V8/ICU: about 1 s for 100 KB
 * here), so text is segmented in windows; each window's last sentence may be cut, so the next
 * window starts where that sentence starts.
 */
const WINDOW = 8192;

export function sentenceUnits(text: string): Span[] {
  const units: Span[] = [];
  const push = (start: number, end: number) => {
    const span = trimSpan(text, start, end);
    if (span) units.push(span);
  };
  let start = 0;
  while (start < text.length) {
    const end = Math.min(text.length, start + WINDOW);
    const segments = [...segmenter.segment(text.slice(start, end))];
    if (end === text.length) {
      for (const s of segments) push(start + s.index, start + s.index + s.segment.length);
      break;
    }
    const last = segments[segments.length - 1]!;
    if (segments.length === 1) {
      // One sentence longer than the window: cut it here (it exceeds any sensible chunk size anyway).
      const cut = safeBoundary(text, end);
      push(start, cut);
      start = cut;
      continue;
    }
    for (const s of segments.slice(0, -1)) push(start + s.index, start + s.index + s.segment.length);
    start += last.index;
  }
  return units;
}

export function sentenceSpans(text: string, spec: ChunkerSpec, measure: Measure): Span[] {
  const units: Span[] = [];
  for (const sentence of sentenceUnits(text)) {
    if (measure.size(sentence.start, sentence.end) > spec.size) {
      units.push(...recursiveSpansWithin(text, sentence.start, sentence.end, spec, measure));
    } else {
      units.push(sentence);
    }
  }
  return packSpans(units, spec.size, spec.overlap, measure);
}
