// `embedding-drift export`: writes one side's chunks and vectors as a LanceDB table (the dry run of
// a migration; a folder run turned into an index to keep and to compare against later).
import path from 'node:path';
import { exportSide } from '../../core/pipeline/export';
import { DriftError } from '../../core/types';
import { flag, formatFlags, parseArgs, type FlagSpec } from '../args';
import { CONFIG_FLAGS, excludeFolder, resolveConfig } from '../configResolve';
import { envSecrets, type CliContext } from '../context';
import { defaultCacheDir, toolVersion } from '../paths';

const EXPORT_FLAGS: readonly FlagSpec[] = [
  ...CONFIG_FLAGS,
  { name: 'side', value: 'a|b', help: 'which configuration to export (default a)' },
  { name: 'to', value: 'lancedb:DIR', help: 'the LanceDB database folder to write into (created when missing)' },
  { name: 'table', value: 'NAME', help: 'the table to create' },
  { name: 'overwrite', help: 'replace a table of that name (LanceDB keeps its old version)' },
  { name: 'cache-dir', value: 'DIR', help: 'model files and embedding cache (default $XDG_CACHE_HOME/embedding-drift or ~/.cache/embedding-drift)' },
  { name: 'offline', help: 'never download models or call hosted endpoints' },
  { name: 'debug', help: 'show stack traces of unexpected errors' },
  { name: 'help', help: 'show this help' },
];

const EXPORT_HELP = `Usage: embedding-drift export --to lancedb:DIR --table NAME [options]

Chunks and embeds one side of the configuration (or reads it from its store) and writes
the rows as a LanceDB table: columns id, text, path, start, end, model and vector. A
comparison can then read that side from the table ("store": { "lancedb": DIR, "table": NAME }).
Nothing is written when anything fails; an existing table is kept unless --overwrite.

Options:
${formatFlags(EXPORT_FLAGS)}

Examples:
  embedding-drift export --to lancedb:.drift/index --table docs
  embedding-drift export --config embedding-drift.json --side b --to lancedb:/data/lancedb --table docs_candidate
`;

export async function runExport(argv: string[], ctx: CliContext): Promise<number> {
  const args = parseArgs('export', argv, EXPORT_FLAGS);
  if (args.booleans.has('help')) { ctx.stdout.write(EXPORT_HELP); return 0; }
  if (args.positionals.length > 0) throw new DriftError(`export: unexpected argument "${args.positionals[0]}"; see embedding-drift export --help`, 'usage');
  const side = flag(args, 'side') ?? 'a';
  if (side !== 'a' && side !== 'b') throw new DriftError(`export: --side must be a or b (got "${side}")`, 'usage');
  const to = flag(args, 'to');
  if (!to) throw new DriftError('export: --to lancedb:DIR is required (the LanceDB folder to write into)', 'usage');
  if (!to.startsWith('lancedb:') || to.length === 'lancedb:'.length) throw new DriftError(`export: --to must be lancedb:DIR, a LanceDB database folder (got "${to}")`, 'usage');
  const table = flag(args, 'table');
  if (!table) throw new DriftError('export: --table NAME is required', 'usage');
  const uri = path.resolve(ctx.cwd, to.slice('lancedb:'.length));
  const cacheDir = path.resolve(ctx.cwd, flag(args, 'cache-dir') ?? defaultCacheDir(ctx.env));
  const config = await resolveConfig('export', args, ctx.cwd);
  excludeFolder(config, uri);
  excludeFolder(config, cacheDir);
  const result = await exportSide(config, side, { uri, table, overwrite: args.booleans.has('overwrite') }, {
    toolVersion: toolVersion(), cacheDir, allowNetwork: !args.booleans.has('offline'), getSecret: envSecrets(ctx.env),
    signal: ctx.signal, onProgress: (e) => ctx.progress.onProgress(e),
  });
  ctx.progress.finish();
  ctx.stdout.write(`exported ${side.toUpperCase()} (${result.model}): ${result.rows} rows of ${result.dimension} dimensions to LanceDB table "${result.table}" in ${result.uri}\n`);
  return 0;
}
