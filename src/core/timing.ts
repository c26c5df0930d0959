// The one way a stage's wall time reaches report.timings (pipeline stages and the report builder's metrics).

/** Milliseconds per stage name, as report.timings holds them. */
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
