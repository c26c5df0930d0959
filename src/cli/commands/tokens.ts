// `embedding-drift tokens "TEXT"`: the text's tokenization under A's and B's tokenizers, piece by
// piece, with counts and unknown tokens marked: the quickest look at how a tokenizer sees new terms.
import path from 'node:path';
import type { SideConfig } from '../../core/config/types';
import { createEmbedder } from '../../core/embedding';
import { loadTokenizer } from '../../core/tokenizers';
import type { Encoding } from '../../core/tokenizers/types';
import { DriftError } from '../../core/types';
import { flag, formatFlags, parseArgs, type FlagSpec } from '../args';
import { CONFIG_FLAGS, resolveConfig } from '../configResolve';
import { envSecrets, type CliContext } from '../context';
import { defaultCacheDir } from '../paths';

const TOKENS_FLAGS: readonly FlagSpec[] = [
  ...CONFIG_FLAGS,
  { name: 'cache-dir', value: 'DIR', help: 'model files (default $XDG_CACHE_HOME/embedding-drift or ~/.cache/embedding-drift)' },
  { name: 'json', help: 'print the encodings as JSON' },
  { name: 'offline', help: 'never download models' },
  { name: 'help', help: 'show this help' },
];

const TOKENS_HELP = `Usage: embedding-drift tokens [options] "TEXT"

Shows TEXT as A's and B's tokenizers split it: pieces separated by |, the count, and
unknown tokens marked with ?. Reads the same configuration as compare.

Options:
${formatFlags(TOKENS_FLAGS)}

Examples:
  embedding-drift tokens "HNSW reranking with ColBERT"
  embedding-drift tokens --config embedding-drift.json "kubectl rollout undo"
`;

/** Pieces joined by "|", unknown ones as "?piece?", whitespace made visible. */
export function formatPieces(encoding: Encoding): string {
  return encoding.pieces
    .map((piece, i) => {
      const shown = piece.replace(/\n/g, '\\n').replace(/\t/g, '\\t');
      return encoding.unknown[i] ? `?${shown}?` : shown;
    })
    .join('|');
}

async function sideTokenizer(side: SideConfig, cacheDir: string, allowNetwork: boolean, ctx: CliContext) {
  // The model's own tokenizer comes with the model; other kinds load without it.
  if (side.tokenizer.kind !== 'model') return loadTokenizer(side.tokenizer);
  const embedder = await createEmbedder(side.model, { cacheDir, allowNetwork, getSecret: envSecrets(ctx.env), signal: ctx.signal, onProgress: (e) => ctx.progress.onProgress(e) });
  try {
    return await loadTokenizer(side.tokenizer, { modelTokenizer: embedder.tokenizer });
  } finally {
    await embedder.dispose();
  }
}

export async function runTokens(argv: string[], ctx: CliContext): Promise<number> {
  const args = parseArgs('tokens', argv, TOKENS_FLAGS);
  if (args.booleans.has('help')) { ctx.stdout.write(TOKENS_HELP); return 0; }
  if (args.positionals.length !== 1) {
    throw new DriftError('tokens: give exactly one TEXT argument, in quotes (e.g. embedding-drift tokens "some text")', 'usage');
  }
  const text = args.positionals[0] ?? '';
  const config = await resolveConfig('tokens', args, ctx.cwd);
  const cacheDir = path.resolve(ctx.cwd, flag(args, 'cache-dir') ?? defaultCacheDir(ctx.env));
  const allowNetwork = !args.booleans.has('offline');
  const rows: Array<{ side: 'a' | 'b'; label: string; tokenizer: string; encoding: Encoding }> = [];
  for (const side of ['a', 'b'] as const) {
    const tokenizer = await sideTokenizer(config[side], cacheDir, allowNetwork, ctx);
    rows.push({ side, label: config[side].label, tokenizer: tokenizer.name, encoding: tokenizer.encode(text) });
  }
  ctx.progress.finish();
  if (args.booleans.has('json')) {
    ctx.stdout.write(`${JSON.stringify(rows.map((r) => ({ side: r.side, label: r.label, tokenizer: r.tokenizer, count: r.encoding.ids.length, ...r.encoding })), null, 2)}\n`);
    return 0;
  }
  for (const r of rows) {
    const unknown = r.encoding.unknown.filter(Boolean).length;
    ctx.stdout.write(`${r.side.toUpperCase()} ${r.label} (${r.tokenizer}): ${r.encoding.ids.length} tokens${unknown ? `, ${unknown} unknown` : ''}\n  ${formatPieces(r.encoding)}\n`);
  }
  return 0;
}
