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
}

/** `node dist/cli.js compare` on a configuration file, offline, under GNU time. */
export async function memoryOfCliRun(repo: string, configFile: string, outDir: string, cacheDir: string): Promise<MemoryRun> {
  const run = await runChild(process.execPath, [
    path.join(repo, 'dist', 'cli.js'), 'compare', '--config', configFile, '--out', outDir, '--cache-dir', cacheDir, '--offline', '--json',
  ], { cwd: path.dirname(configFile) });
  failUnlessOk('compare', run);
  let chunksA: number | null = null, chunksB: number | null = null;
  try {
    const report = JSON.parse(fs.readFileSync(path.join(outDir, 'report.json'), 'utf8')) as { chunks?: { a: number; b: number } };
    chunksA = report.chunks?.a ?? null;
    chunksB = report.chunks?.b ?? null;
  } catch { /* the figure stands without the counts */ }
  return { ms: run.ms, maxRssBytes: run.maxRssBytes, chunksA, chunksB };
}

/** `npm run package`, then the size of embedding-drift.vsix. */
export async function vsixSize(repo: string): Promise<number> {
  const run = await runChild('npm', ['run', '--silent', 'package'], { cwd: repo });
  failUnlessOk('npm run package', run);
  return fs.statSync(path.join(repo, 'embedding-drift.vsix')).size;
}

function failUnlessOk(what: string, run: ChildRun): void {
  if (run.code === 0) return;
  const tail = (run.stderr.trim() || run.stdout.trim()).split('\n').slice(-3).join(' | ');
  throw new Error(`${what} exited with ${run.code}: ${tail}`);
}
