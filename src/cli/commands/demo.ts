// `embedding-drift demo`: the README's first command. Builds a corpus from documentation and
// source in installed packages, then compares the built-in lexical embedder with builtin:glove (a
// real trained model) on the same chunks, offline; --builtin-only compares two chunkers instead.
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../core/config';
import { flag, formatFlags, parseArgs, type FlagSpec } from '../args';
import type { CliContext } from '../context';
import { buildDemoCorpus } from '../demoCorpus';
import { packageRoot } from '../paths';
import { compareAndReport, runSettings } from './compare';

const DEMO_FLAGS: readonly FlagSpec[] = [
  { name: 'dir', value: 'DIR', help: 'where the demo corpus and configuration are built (default: <tmp>/embedding-drift-demo)' },
  { name: 'out', value: 'DIR', help: 'where report.json and report.html go (default: DIR/report)' },
  { name: 'cache-dir', value: 'DIR', help: 'embedding cache (default $XDG_CACHE_HOME/embedding-drift or ~/.cache/embedding-drift)' },
  { name: 'builtin-only', help: 'compare two chunkers with the built-in lexical embedder on both sides (no GloVe)' },
  { name: 'fail-on', value: 'EXPR', repeatable: true, help: 'as in compare' },
  { name: 'json', help: 'print a JSON summary on stdout' },
  { name: 'help', help: 'show this help' },
];

const DEMO_HELP = `Usage: embedding-drift demo [options]

Builds a corpus from the READMEs, docs and some source of installed npm packages (copied at
run time, listed in demo/sources.json), writes an anchors file and a configuration next to
it, and compares the built-in lexical embedder (A) with builtin:glove (B, GloVe 6B 100d word
vectors, a real trained model shipped with the tool) on the same recursive 800-char chunks.
With --builtin-only it compares recursive 800-char chunks (tokenizer bert-base-uncased) with
markdown chunks of 120 BERT tokens (tokenizer o200k_base), lexical on both sides. Runs offline.

Options:
${formatFlags(DEMO_FLAGS)}

Examples:
  npm run demo
  embedding-drift demo --out drift-report
  embedding-drift demo --builtin-only --fail-on "neighbors.churnedShare > 0.9"
`;

export async function runDemo(argv: string[], ctx: CliContext): Promise<number> {
  const args = parseArgs('demo', argv, DEMO_FLAGS);
  if (args.booleans.has('help')) { ctx.stdout.write(DEMO_HELP); return 0; }
  const root = packageRoot();
  const dir = path.resolve(ctx.cwd, flag(args, 'dir') ?? path.join(os.tmpdir(), 'embedding-drift-demo'));
  const story = args.booleans.has('builtin-only') ? 'chunkers' : 'glove';
  const settings = runSettings(args, ctx, path.join(dir, 'report'));
  const demo = await buildDemoCorpus(dir, path.join(root, 'demo'), path.join(root, 'node_modules'), story, {
    signal: ctx.signal, onProgress: (e) => ctx.progress.onProgress(e),
  });
  ctx.progress.finish();
  ctx.stderr.write(`demo corpus: ${demo.files} files (${Math.round(demo.bytes / 1024)} KB) from installed packages in ${demo.corpusRoot}; ` +
    `${demo.anchors} anchors; configuration ${demo.configPath}; ${story === 'glove' ? 'builtin:lexical vs builtin:glove on the same chunks' : 'two chunkers, builtin:lexical on both sides'}\n`);
  const config = await loadConfig(demo.configPath);
  return compareAndReport(config, settings, ctx);
}
