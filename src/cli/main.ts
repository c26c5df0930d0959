// The embedding-drift command line: the same core as the extension, headless. Dispatches commands,
// wires Ctrl-C to cancellation and maps every failure to one line and an exit code.
import { isAbortError, DriftError } from '../core/types';
import { runBaseline } from './commands/baseline';
import { runCompare } from './commands/compare';
import { runDemo } from './commands/demo';
import { runExport } from './commands/export';
import { runTokens } from './commands/tokens';
import type { CliContext } from './context';
import { toolVersion } from './paths';
import { createProgress } from './progress';

const HELP = `embedding-drift: compare two embedding configurations on your own corpus

Usage: embedding-drift <command> [options]      (embedding-drift <command> --help for details)

Commands:
  compare            run a comparison, write report.json and report.html, gate CI with --fail-on
  tokens "TEXT"      show the tokenization of TEXT under A and B
  baseline save      store this run's vectors as a baseline
  baseline compare   compare the corpus as it is now against a stored baseline
  demo               compare two chunkers (and tokenizers) on a built-in corpus, offline
  export             write one side's chunks and vectors as a LanceDB table

Examples:
  embedding-drift demo
  embedding-drift compare --corpus docs --fail-on "neighbors.churnedShare > 0.3"
  embedding-drift tokens "HNSW reranking with ColBERT"
`;

export const EXIT = { ok: 0, conditionHeld: 1, error: 2, cancelled: 130, terminated: 143 } as const;

/** The abort reason SIGTERM gives, so the run ends with 143 and says why instead of "cancelled". */
export const TERMINATED = 'SIGTERM';

type Command = (argv: string[], ctx: CliContext) => Promise<number>;
const COMMANDS: Record<string, Command> = { compare: runCompare, tokens: runTokens, baseline: runBaseline, demo: runDemo, export: runExport };

export async function main(argv: string[], io: Omit<CliContext, 'signal' | 'progress'> & { signal: AbortSignal }): Promise<number> {
  const debug = argv.includes('--debug');
  const rest = argv.filter((a) => a !== '--debug');
  const name = rest[0];
  const progress = createProgress(io.stderr);
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.stdout.write(HELP);
      return name === undefined ? EXIT.error : EXIT.ok;
    }
    if (name === '--version') {
      io.stdout.write(`${toolVersion()}\n`);
      return EXIT.ok;
    }
    const command = COMMANDS[name];
    if (!command) throw new DriftError(`unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')}; see --help)`, 'usage');
    return await command(rest.slice(1), { ...io, progress });
  } catch (err) {
    progress.finish();
    if (isAbortError(err)) {
      const terminated = io.signal.reason === TERMINATED;
      io.stderr.write(terminated ? 'embedding-drift: terminated (SIGTERM); the cache is consistent\n' : 'embedding-drift: cancelled\n');
      return terminated ? EXIT.terminated : EXIT.cancelled;
    }
    if (err instanceof DriftError) {
      io.stderr.write(`embedding-drift: ${err.message}\n`);
      if (debug && err.cause) io.stderr.write(`${err.cause instanceof Error ? err.cause.stack : String(err.cause)}\n`);
      return EXIT.error;
    }
    // Not an expected failure: a bug. Say so in one line; the stack only on request.
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`embedding-drift: unexpected error: ${message}${debug ? '' : ' (run with --debug for the stack trace)'}\n`);
    if (debug && err instanceof Error) io.stderr.write(`${err.stack}\n`);
    return EXIT.error;
  }
}

if (require.main === module) {
  const controller = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts++;
    // First Ctrl-C: stop at the next check, keep the cache consistent. Second: leave now.
    if (interrupts > 1) process.exit(EXIT.cancelled);
    controller.abort();
  });
  // SIGTERM (a CI timeout, `kill`) stops like Ctrl-C, at the next check with the cache consistent, and says so.
  process.on('SIGTERM', () => {
    if (controller.signal.aborted) process.exit(EXIT.terminated);
    controller.abort(TERMINATED);
  });
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), signal: controller.signal })
    .then((code) => { process.exitCode = code; })
    .catch(() => { process.exitCode = EXIT.error; });
}
