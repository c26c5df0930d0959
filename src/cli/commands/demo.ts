// `embedding-drift demo`: the README's first command. Builds a corpus from documentation and
// source in installed packages, then compares two chunkers and two tokenizers (and the generated
// tiny-bert model as B, when `npm run make-models` has made it), offline.
import { existsSync } from 'node:fs';
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
  { name: 'models', value: 'DIR', help: 'folder of generated test models (default: .models in the package); tiny-bert there becomes B\'s model' },
  { name: 'builtin-only', help: 'use the built-in lexical embedder on both sides even when tiny-bert exists' },
  { name: 'fail-on', value: 'EXPR', repeatable: true, help: 'as in compare' },
  { name: 'json', help: 'print a JSON summary on stdout' },
  { name: 'help', help: 'show this help' },
];

const DEMO_HELP = `Usage: embedding-drift demo [options]

Builds a corpus from the READMEs, docs and some source of installed npm packages (copied at
run time, listed in demo/sources.json), writes an anchors file and a configuration next to
it, and compares recursive 800-char chunks (tokenizer bert-base-uncased) with markdown
chunks of 120 BERT tokens (tokenizer o200k_base), with the built-in embedder. If
\`npm run make-models\` has generated .models/tiny-bert, B embeds with it. Runs offline.

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
  const models = path.resolve(ctx.cwd, flag(args, 'models') ?? path.join(root, '.models'));
  const tinyBert = path.join(models, 'tiny-bert');
  const useTinyBert = !args.booleans.has('builtin-only') && existsSync(path.join(tinyBert, 'tokenizer.json'));
  const settings = runSettings(args, ctx, path.join(dir, 'report'));
  const demo = await buildDemoCorpus(dir, path.join(root, 'demo'), path.join(root, 'node_modules'), useTinyBert ? { tinyBert } : {}, {
    signal: ctx.signal, onProgress: (e) => ctx.progress.onProgress(e),
  });
  ctx.progress.finish();
  ctx.stderr.write(`demo corpus: ${demo.files} files (${Math.round(demo.bytes / 1024)} KB) from installed packages in ${demo.corpusRoot}; ` +
    `${demo.anchors} anchors; configuration ${demo.configPath}${useTinyBert ? '; B embeds with tiny-bert' : ''}\n`);
  const config = await loadConfig(demo.configPath);
  return compareAndReport(config, settings, ctx);
}
