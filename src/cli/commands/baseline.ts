// `embedding-drift baseline save|compare`: keep this run's vectors, then later compare the corpus
// as it is then against them (same model on two snapshots: snapshot drift and churn over time).
import path from 'node:path';
import { describeChunker } from '../../core/config/describe';
import { writeBaseline } from '../../core/pipeline/baseline';
import { plural } from '../../core/report/summary';
import { compareWithBaseline, embedSideA } from '../../core/pipeline/compare';
import { DriftError } from '../../core/types';
import { flag, formatFlags, parseArgs, type FlagSpec } from '../args';
import { CONFIG_FLAGS, excludeFolder, resolveConfig } from '../configResolve';
import { envSecrets, type CliContext } from '../context';
import { COMPARE_FLAGS, compareAndReport, runSettings } from './compare';

const DIR_FLAG: FlagSpec = { name: 'dir', value: 'DIR', help: 'the baseline folder (default ./drift-baseline)' };
const SAVE_FLAGS: readonly FlagSpec[] = [
  ...CONFIG_FLAGS,
  DIR_FLAG,
  { name: 'cache-dir', value: 'DIR', help: 'model files and embedding cache' },
  { name: 'offline', help: 'never download models or call hosted endpoints' },
  { name: 'help', help: 'show this help' },
];
const COMPARE_BASELINE_FLAGS: readonly FlagSpec[] = [DIR_FLAG, ...COMPARE_FLAGS.filter((f) => f.name !== 'debug')];

const BASELINE_HELP = `Usage: embedding-drift baseline save [options]
       embedding-drift baseline compare [options]

save     embeds the corpus with configuration A and stores chunks, vectors and texts in DIR.
compare  embeds the corpus as it is now with configuration A and compares it with the baseline:
         the baseline is side A, now is side B; the report adds snapshot drift (centroid
         distance, MMD with p-value, classifier AUC, drifted dimensions).

save options:
${formatFlags(SAVE_FLAGS)}

compare options:
${formatFlags(COMPARE_BASELINE_FLAGS)}

Examples:
  embedding-drift baseline save --dir .drift/baseline
  git pull && embedding-drift baseline compare --dir .drift/baseline --fail-on "snapshot.mmdPValue < 0.01"
`;

export async function runBaseline(argv: string[], ctx: CliContext): Promise<number> {
  const [action, ...rest] = argv;
  if (action === undefined || action === '--help' || action === 'help') { ctx.stdout.write(BASELINE_HELP); return action ? 0 : 2; }
  if (action === 'save') {
    const args = parseArgs('baseline save', rest, SAVE_FLAGS);
    if (args.booleans.has('help')) { ctx.stdout.write(BASELINE_HELP); return 0; }
    // Only side A is stored: a configuration without "b" is complete, and no A-vs-B report is made.
    const config = await resolveConfig('baseline save', args, ctx.cwd, { oneSide: true });
    const dir = path.resolve(ctx.cwd, flag(args, 'dir') ?? 'drift-baseline');
    const settings = runSettings(args, ctx, dir);
    excludeFolder(config, dir);
    excludeFolder(config, settings.cacheDir);
    const { run, model } = await embedSideA(config, {
      cacheDir: settings.cacheDir, allowNetwork: settings.allowNetwork, getSecret: envSecrets(ctx.env),
      signal: ctx.signal, onProgress: (e) => ctx.progress.onProgress(e),
    });
    try {
      ctx.progress.finish();
      await writeBaseline({ side: config.a, fingerprint: model.embedder.fingerprint, run }, dir);
      ctx.stdout.write(`baseline saved: ${plural(run.corpus.files.length, 'file')}, ${plural(run.chunks.length, 'chunk')} (${model.embedder.label}, ${describeChunker(config.a.chunker)}) in ${dir}\n`);
      return 0;
    } finally {
      await model.embedder.dispose();
    }
  }
  if (action === 'compare') {
    const args = parseArgs('baseline compare', rest, COMPARE_BASELINE_FLAGS);
    if (args.booleans.has('help')) { ctx.stdout.write(BASELINE_HELP); return 0; }
    const dir = path.resolve(ctx.cwd, flag(args, 'dir') ?? 'drift-baseline');
    const settings = runSettings(args, ctx, 'drift-report');
    // The corpus now is embedded with configuration A, like the baseline was: the file that saved
    // the baseline (often "a" alone) is the file that compares with it.
    const config = await resolveConfig('baseline compare', args, ctx.cwd, { oneSide: true });
    excludeFolder(config, dir);
    return compareAndReport(config, settings, ctx, (c, options) => compareWithBaseline(c, dir, options));
  }
  throw new DriftError(`baseline: unknown action "${action}" (use save or compare)`, 'usage');
}
