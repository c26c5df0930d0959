// Sentence chunking: Intl.Segmenter sentences packed up to the size, overlapping by whole
// sentences; a sentence longer than the size is split like the recursive chunker would.
import type { ChunkerSpec } from '../config/types';
import { recursiveSpansWithin } from './recursive';
import { packSpans, trimSpan, type Measure, type Span } from './spans';

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

export function sentenceUnits(text: string): Span[] {
  const units: Span[] = [];
  for (const segment of segmenter.segment(text)) {
    const span = trimSpan(text, segment.index, segment.index + segment.segment.length);
    if (span) units.push(span);
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
