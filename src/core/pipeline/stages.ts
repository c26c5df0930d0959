// Small helpers every pipeline stage shares: timing into report.timings, progress tagged with the
// side it is for, and structural equality of specs (to share work between A and B).
import { canonicalJson } from '../memo';
import type { ProgressEvent, RunOptions } from '../types';

export type Timings = Record<string, number>;

/** Runs one stage and records its wall time (ms) under `name`, adding to time already recorded. */
export async function timed<T>(timings: Timings, name: string, work: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    timings[name] = Math.round((timings[name] ?? 0) + performance.now() - started);
  }
}

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
