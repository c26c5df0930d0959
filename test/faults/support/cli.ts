// Runs the built CLI (dist/cli.js) as a real child process on a small corpus, for the tests that kill
// it or run two at once. Requires `node esbuild.js` first (npm test and npm run test:faults build).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { seededRandom } from '../../../src/core/random';
import type { Report } from '../../../src/core/report/types';

export const CLI = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');

export interface CliResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<CliResult> } {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run node esbuild.js first`);
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

/** A corpus of `files` markdown files with seeded text, and a configuration with two lexical models. */
export function writeSmallProject(dir: string, files = 24): { config: string; corpus: string } {
  const corpus = path.join(dir, 'corpus');
  const random = seededRandom(11);
  const words = ['vector', 'index', 'chunk', 'token', 'cache', 'drift', 'query', 'anchor', 'model', 'rank', 'recall', 'overlap'];
  for (let i = 0; i < files; i++) {
    const lines = Array.from({ length: 12 }, (_, l) => `${l % 4 === 0 ? '## Part ' + l + '\n\n' : ''}${Array.from({ length: 14 }, () => words[Math.floor(random() * words.length)]).join(' ')}.`);
    fs.mkdirSync(path.join(corpus, `part${i % 5}`), { recursive: true });
    fs.writeFileSync(path.join(corpus, `part${i % 5}`, `doc${i}.md`), `# Document ${i}\n\n${lines.join('\n')}\n`);
  }
  const config = path.join(dir, 'embedding-drift.json');
  fs.writeFileSync(config, JSON.stringify({
    corpus: { root: 'corpus', include: ['**/*.md'] },
    search: { method: 'exact' },
    a: { model: { builtin: 'lexical', dimension: 48 }, chunker: { type: 'recursive', size: 300, overlap: 30 } },
    b: { model: { builtin: 'lexical', dimension: 80 }, chunker: { type: 'markdown', size: 250, overlap: 0 } },
  }));
  return { config, corpus };
}

export function compareArgs(config: string, cacheDir: string, out: string): string[] {
  return ['compare', '--config', config, '--cache-dir', cacheDir, '--out', out, '--offline', '--json'];
}

export function readReport(out: string): Report {
  return JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
}
