// The extension host's event loop during a cold run as the extension runs it: the session worker
// (dist/session-worker.js, the same entry the extension starts) does the work, this thread only
// relays progress through the same ProgressTracker the notification uses. The idle reference is
// the same probe with nothing running; this thread's CPU time tells a stall of the event loop from
// a wait for a core on a machine shared by more runnable threads than it has cores.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DriftConfig } from '../src/core/config/types';
import { compare } from '../src/core/pipeline/compare';
import { ProgressTracker } from '../src/extension/progress-text';
import { SessionClient } from '../src/session/client';
import { decodeReport } from '../src/shared/protocol';
import { withHostProbe } from './measure';

export interface HostStall {
  /** Longest event-loop delay of this thread during the run (ms). */
  stallMs: number;
  /** This thread's CPU time within that longest delay (ms, 10 ms ticks; null off Linux). */
  stallCpuMs: number | null;
  /** This thread's CPU time over the whole run (ms; null off Linux). */
  threadCpuMs: number | null;
  /** The same probe over as long with nothing running (ms): what the machine alone causes. */
  idleStallMs: number;
  runMs: number;
  chunks: { a: number; b: number };
  progressEvents: number;
}

export async function hostStallDuringColdRun(repo: string, config: DriftConfig, work: string): Promise<HostStall> {
  const cacheDir = path.join(work, 'cache-host-stall');
  fs.rmSync(cacheDir, { recursive: true, force: true });
  const client = new SessionClient(path.join(repo, 'dist', 'session-worker.js'), { log: () => undefined, getSecret: async () => undefined });
  const tracker = new ProgressTracker();
  let progressEvents = 0;
  try {
    const { value, ms, stallMs, stallCpuMs, threadCpuMs } = await withHostProbe(() => client.run({
      against: 'configurations', config, allowNetwork: false, cacheDir,
      baselineDir: path.join(work, 'host-stall', 'baseline'),
      reportFile: path.join(work, 'host-stall', 'last-report.json'),
    }, (event) => { progressEvents++; tracker.update(event); }).done);
    const report = decodeReport(value.report);
    if (typeof report === 'string') throw new Error(`the session worker's report: ${report}`);
    const idle = await withHostProbe(() => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 10_000))));
    return { stallMs, stallCpuMs, threadCpuMs, idleStallMs: idle.stallMs, runMs: ms, chunks: { a: report.chunks.a, b: report.chunks.b }, progressEvents };
  } finally {
    await client.dispose();
  }
}

/** The same cold run with compare() on this thread (the CLI's case, and the extension's before the session worker). */
export async function stallDuringInProcessRun(config: DriftConfig, work: string): Promise<{ stallMs: number; stallCpuMs: number | null; runMs: number }> {
  const cacheDir = path.join(work, 'cache-host-stall-in-process');
  fs.rmSync(cacheDir, { recursive: true, force: true });
  const { ms, stallMs, stallCpuMs } = await withHostProbe(async () => {
    const session = await compare(config, { cacheDir, allowNetwork: false });
    await session.dispose();
  });
  return { stallMs, stallCpuMs, runMs: ms };
}
