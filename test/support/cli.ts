// Runs the built CLI (dist/cli.js) as a user would: a child process with its exit code and output.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const CLI = path.resolve(__dirname, '../../dist/cli.js');

export interface CliRun { status: number | null; stdout: string; stderr: string }

export function cli(args: string[], cwd: string, env: Record<string, string> = {}, timeout = 120_000): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
