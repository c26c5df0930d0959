// Small helpers every pipeline stage shares: progress tagged with the side it is for, and structural
// equality of specs (to share work between A and B). Timing a stage is src/core/timing.ts's `timed`.
import { canonicalJson } from '../memo';
import type { ProgressEvent, RunOptions } from '../types';

/** The run options with every progress event marked as belonging to one side. */
export function forSide(options: RunOptions, side: 'a' | 'b'): RunOptions {
  const onProgress = options.onProgress;
  return {
    signal: options.signal,
    onProgress: onProgress ? (event: ProgressEvent) => onProgress({ ...event, side }) : undefined,
  };
}

export function sameSpec(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
