// How the benchmark measures: wall time, the host's longest event-loop stall during a piece of
// work, and the peak resident memory of a spawned child process (with its worker threads).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

export async function timed<T>(work: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

/**
 * Runs `work` while sampling the event loop every 5 ms (what the extension host would feel);
 * `stallMs` is the longest delay seen, i.e. the longest time the loop could not run a timer.
 */
export async function withLoopStall<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; stallMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  try {
    const { value, ms } = await timed(work);
    histogram.disable();
    return { value, ms, stallMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}

/** CPU time (ms) this process's main thread has used, from /proc (Linux; 10 ms ticks), else null. */
function mainThreadCpuMs(): number | null {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

export interface HostProbe {
  ms: number;
  /** Longest time a 5 ms timer of this thread waited beyond its due time: what the editor would feel. */
  stallMs: number;
  /** This thread's CPU time during that longest wait (null off Linux): near 0 means it was not running code but waiting for a core. */
  stallCpuMs: number | null;
  /** This thread's CPU time during the whole piece of work (null off Linux). */
  threadCpuMs: number | null;
}

/**
 * Runs `work` while a 5 ms timer probes this thread, as withLoopStall does, and also reads the
 * thread's own CPU time at each tick: on a machine with more runnable threads than cores a long
 * wait can be the scheduler's, not the event loop's, and the CPU time tells the two apart.
 */
export async function withHostProbe<T>(work: () => Promise<T>): Promise<{ value: T } & HostProbe> {
  const start = performance.now();
  const cpuStart = mainThreadCpuMs();
  let last = start;
  let lastCpu = cpuStart;
  let stallMs = 0;
  let stallCpuMs: number | null = null;
  const probe = setInterval(() => {
    const now = performance.now();
    const cpu = mainThreadCpuMs();
    const gap = now - last - 5;
    if (gap > stallMs) {
      stallMs = gap;
      stallCpuMs = cpu !== null && lastCpu !== null ? cpu - lastCpu : null;
    }
    last = now;
    lastCpu = cpu;
  }, 5);
  try {
    const value = await work();
    const cpuEnd = mainThreadCpuMs();
    return { value, ms: performance.now() - start, stallMs: Math.max(0, stallMs), stallCpuMs, threadCpuMs: cpuEnd !== null && cpuStart !== null ? cpuEnd - cpuStart : null };
  } finally {
    clearInterval(probe);
  }
}

export interface ChildRun {
  code: number | null;
  ms: number;
  /** Peak resident set of the child (all its threads), bytes; null when it could not be read. */
  maxRssBytes: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Spawns `command args` under GNU time (`/usr/bin/time -v`) when present, which reports the
 * child's peak RSS after it exits; the child's own output is kept apart from time's report.
 */
export function runChild(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<ChildRun> {
  const useTime = process.platform === 'linux' && existsSync('/usr/bin/time');
  const marker = '@@bench-time@@';
  const [cmd, argv] = useTime ? ['/usr/bin/time', ['-f', `${marker}%M`, command, ...args]] as const : [command, args] as const;
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...argv], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - start;
      const at = stderr.lastIndexOf(marker);
      // GNU time prints %M in kilobytes.
      const kb = at >= 0 ? Number.parseInt(stderr.slice(at + marker.length), 10) : Number.NaN;
      if (at >= 0) stderr = stderr.slice(0, at);
      resolve({ code, ms, maxRssBytes: Number.isFinite(kb) ? kb * 1024 : null, stdout, stderr });
    });
  });
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
