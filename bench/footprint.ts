// Footprints: peak memory of a large A/B run in a spawned CLI process (the product as users run
// it, worker threads included), and the size of the packaged extension.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runChild, type ChildRun } from './measure';

export interface MemoryRun {
  ms: number;
  maxRssBytes: number | null;
  chunksA: number | null;
  chunksB: number | null;
  /** 'cli': dist/cli.js compare; 'child': bench/memoryChild.ts, when the CLI could not run. */
  via: 'cli' | 'child';
  /** Why the CLI was not used, when it was not. */
  cliError?: string;
}

/**
 * `node dist/cli.js compare` on a configuration file, offline, under GNU time; when the CLI fails,
 * the same compare() through bench/memoryChild.ts, so the figure still exists (and says how).
 */
export async function memoryOfRun(repo: string, configFile: string, outDir: string, cacheDir: string): Promise<MemoryRun> {
  const cli = await runChild(process.execPath, [
    path.join(repo, 'dist', 'cli.js'), 'compare', '--config', configFile, '--out', outDir, '--cache-dir', cacheDir, '--offline', '--json',
  ], { cwd: path.dirname(configFile) });
  if (cli.code === 0) {
    let chunks: { a: number; b: number } | undefined;
    try {
      chunks = (JSON.parse(fs.readFileSync(path.join(outDir, 'report.json'), 'utf8')) as { chunks?: { a: number; b: number } }).chunks;
    } catch { /* the figure stands without the counts */ }
    return { ms: cli.ms, maxRssBytes: cli.maxRssBytes, chunksA: chunks?.a ?? null, chunksB: chunks?.b ?? null, via: 'cli' };
  }
  fs.rmSync(cacheDir, { recursive: true, force: true });
  const child = await runChild(process.execPath, ['--require', 'tsx/cjs', path.join(repo, 'bench', 'memoryChild.ts'), configFile, cacheDir], { cwd: repo });
  failUnlessOk('memoryChild', child);
  const chunks = (JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as { chunks?: { a: number; b: number } }).chunks;
  return { ms: child.ms, maxRssBytes: child.maxRssBytes, chunksA: chunks?.a ?? null, chunksB: chunks?.b ?? null, via: 'child', cliError: summary(cli) };
}

/** `npm run package`, then the size of embedding-drift.vsix. */
export async function vsixSize(repo: string): Promise<number> {
  const run = await runChild('npm', ['run', '--silent', 'package'], { cwd: repo });
  failUnlessOk('npm run package', run);
  return fs.statSync(path.join(repo, 'embedding-drift.vsix')).size;
}

/** The child's first error line (the one that names the problem, not the stack). */
function summary(run: ChildRun): string {
  const lines = (run.stderr.trim() || run.stdout.trim()).split('\n').map((l) => l.trim());
  const named = lines.find((l) => /error/i.test(l) && !l.startsWith('at ')) ?? lines[lines.length - 1] ?? '';
  return `exit ${run.code}: ${named}`;
}

function failUnlessOk(what: string, run: ChildRun): void {
  if (run.code !== 0) throw new Error(`${what}: ${summary(run)}`);
}
