// What every command gets: output streams, the environment, cancellation wired to Ctrl-C, and progress.
import type { ProgressSink } from './progress';

export interface CliContext {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Fires on SIGINT; every stage stops at its next check and the command exits 130. */
  signal: AbortSignal;
  progress: ProgressSink;
}

/** API keys named in the configuration come from the environment in the CLI. */
export function envSecrets(env: NodeJS.ProcessEnv): (name: string) => Promise<string | undefined> {
  return async (name) => env[name];
}
