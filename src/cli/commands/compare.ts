// `embedding-drift compare`: run the configuration, write report.json + report.html, print the
// verdicts, and turn --fail-on conditions into the exit code (1 when any holds).
import path from 'node:path';
import { compare } from '../../core/pipeline/compare';
import { sessionRecord } from '../../core/pipeline/session';
import type { DriftConfig } from '../../core/config/types';
import type { ConfigSummary, Report } from '../../core/report/types';
import { describeFileChanges, plural, summarizeReport } from '../../core/report/summary';
import { DriftError } from '../../core/types';
import { flag, formatFlags, parseArgs, type FlagSpec, type ParsedArgs } from '../args';
import { CONFIG_FLAGS, excludeFolder, resolveConfig } from '../configResolve';
import { envSecrets, type CliContext } from '../context';
import { evaluateFailOn, parseFailOn, REPORT_FIELDS, type FailCondition } from '../failOn';
import { prepareOutputFolder, writeReport } from '../output';
import { watchCompare } from './watch';
import { defaultCacheDir, toolVersion } from '../paths';

export const COMPARE_FLAGS: readonly FlagSpec[] = [
  ...CONFIG_FLAGS,
  { name: 'out', value: 'DIR', help: 'where report.json and report.html go (default ./drift-report)' },
  { name: 'cache-dir', value: 'DIR', help: 'model files and embedding cache (default $XDG_CACHE_HOME/embedding-drift or ~/.cache/embedding-drift)' },
  { name: 'k', value: 'N', help: 'neighbors per item (default: the configuration\'s k, 10)' },
  { name: 'fail-on', value: 'EXPR', repeatable: true, help: 'exit 1 when this condition on report fields holds (repeatable)' },
  { name: 'json', help: 'print a JSON summary on stdout instead of text' },
  { name: 'watch', help: 'stay running: rerun and rewrite the report after each save to the corpus, the configuration or the anchors file, printing what changed in one line (Ctrl-C ends)' },
  { name: 'offline', help: 'never download models or call hosted endpoints' },
  { name: 'debug', help: 'show stack traces of unexpected errors' },
  { name: 'help', help: 'show this help' },
];

export const COMPARE_HELP = `Usage: embedding-drift compare [options]

Compares configuration A with B on a corpus folder and writes OUT/report.json and a
self-contained OUT/report.html.

Options:
${formatFlags(COMPARE_FLAGS)}

Exit codes: 0 ran and no --fail-on condition held; 1 a condition held (named on stderr);
2 usage, configuration, corpus or model error, or a condition that cannot be evaluated on this
report (a field not measured, null; a division by zero); 130 cancelled (Ctrl-C); 143 terminated
(SIGTERM).

--fail-on conditions: numbers (0.3 or 30%), report fields, + - * /, parentheses,
< <= > >= == !=, && ||. A field whose section the report does not hold (e.g. snapshot.* in a
two-config run) makes its comparison false and is named in a warning; a field the report holds
as null (not measured, e.g. neighbors.churnedShare on a side with k chunks or fewer) is an error
that says why. Fields:
${wrap(REPORT_FIELDS.join(', '), 92, '  ')}

Examples:
  embedding-drift compare
  embedding-drift compare --corpus docs --config embedding-drift.json --out drift-report
  embedding-drift compare --fail-on "neighbors.churnedShare > 0.3"
  embedding-drift compare --fail-on "anchors.b.hitAtK < anchors.a.hitAtK - 0.05" --json
  embedding-drift compare --watch     (live: models stay loaded, only what a save changed is redone)
`;

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) { lines.push(indent + line); line = word; } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

/** The numbers a CI log or a script wants first, also the --json payload's `headline`. */
export function headline(report: Report): Record<string, number | null> {
  return {
    churnedShare: report.neighbors.churnedShare,
    meanJaccard: report.neighbors.meanJaccard,
    meanRbo: report.neighbors.meanRbo,
    hitAtKA: report.anchors.count > 0 ? report.anchors.a.hitAtK : null,
    hitAtKB: report.anchors.count > 0 ? report.anchors.b.hitAtK : null,
    linearCka: report.space.linearCka,
    chunksA: report.chunks.a,
    chunksB: report.chunks.b,
  };
}

/** How the run went: cache use per side (what a rerun saves) and wall time. */
export interface RunStats {
  seconds: number;
  cache?: { a: CacheUse; b: CacheUse };
}

/** Chunks embedded now, served from the cache, repeating a text embedded in the same run, or read from a store. */
interface CacheUse { hits: number; misses: number; deduplicated?: number; stored?: number }

function statsLine(stats: RunStats): string {
  const side = (name: string, c: CacheUse) => (c.stored !== undefined ? `${name} ${c.stored} rows read from its store`
    : `${name} ${c.misses} embedded, ${c.hits} from cache${c.deduplicated ? `, ${c.deduplicated} deduplicated` : ''}`);
  return `done in ${stats.seconds.toFixed(1)} s${stats.cache ? `; ${side('A', stats.cache.a)}; ${side('B', stats.cache.b)}` : ''}`;
}

function cacheUse(side: { cacheHits: number; cacheMisses: number; cacheDeduplicated?: number; stored?: number }): CacheUse {
  return {
    hits: side.cacheHits, misses: side.cacheMisses, ...(side.cacheDeduplicated ? { deduplicated: side.cacheDeduplicated } : {}),
    ...(side.stored !== undefined ? { stored: side.stored } : {}),
  };
}

/** Prints the run's result; returns the exit code the --fail-on conditions give. */
export function reportOutcome(
  report: Report, written: { json: string; html: string }, conditions: FailCondition[], json: boolean, ctx: CliContext, stats: RunStats,
): number {
  const held: string[] = [];
  // A condition that cannot be evaluated on this report (a null field, a division by zero) is an
  // error, reported after the summary so the run's result is still printed.
  const refused: string[] = [];
  for (const condition of conditions) {
    let result: ReturnType<typeof evaluateFailOn>;
    try { result = evaluateFailOn(condition, report); } catch (err) {
      if (!(err instanceof DriftError)) throw err;
      refused.push(err.message);
      continue;
    }
    for (const field of result.missing) ctx.stderr.write(`warning: --fail-on "${condition.source}": ${field} is not in this report, so that comparison is false\n`);
    if (result.holds) {
      held.push(condition.source);
      const values = result.values.map(([f, v]) => `${f} = ${v}`).join(', ');
      ctx.stderr.write(`fail-on condition held: ${condition.source}${values ? ` (${values})` : ''}\n`);
    }
  }
  const summary = summarizeReport(report);
  if (json) {
    ctx.stdout.write(`${JSON.stringify({
      report: written.json, html: written.html, summary, headline: headline(report), skipped: report.corpus.skipped, failedConditions: held,
      ...(refused.length > 0 ? { conditionErrors: refused } : {}), stats,
    }, null, 2)}\n`);
  } else {
    const lines = [
      `${sideLine(report.configs.a)} vs ${sideLine(report.configs.b)}`,
      `corpus: ${plural(report.corpus.files, 'file')}, ${plural(report.chunks.a, 'chunk')} under A, ${report.chunks.b} under B${report.corpus.skipped.length ? `, ${report.corpus.skipped.length} skipped` : ''}`,
      ...(report.corpus.changes ? [describeFileChanges(report.corpus.changes)] : []),
      ...summary.map((s) => `  - ${s}`),
    ];
    const skipped = report.corpus.skipped;
    for (const s of skipped.slice(0, 20)) lines.push(`skipped: ${s.path} (${s.reason})`);
    if (skipped.length > 20) lines.push(`skipped: ... and ${skipped.length - 20} more (see report.json)`);
    for (const w of report.warnings) lines.push(`warning: ${w}`);
    lines.push(statsLine(stats));
    lines.push(`report: ${written.html}`);
    ctx.stdout.write(`${lines.join('\n')}\n`);
  }
  for (const message of refused) ctx.stderr.write(`embedding-drift: ${message}\n`);
  return refused.length > 0 ? 2 : held.length > 0 ? 1 : 0;
}

export interface RunSettings {
  out: string;
  cacheDir: string;
  conditions: FailCondition[];
  json: boolean;
  allowNetwork: boolean;
}

/** Runs a resolved configuration, writes the report files and prints the outcome (compare, demo and baseline share it). */
export async function compareAndReport(
  config: DriftConfig, settings: RunSettings, ctx: CliContext, run: typeof compare = compare,
): Promise<number> {
  excludeFolder(config, settings.out);
  excludeFolder(config, settings.cacheDir);
  await prepareOutputFolder(settings.out);
  const started = performance.now();
  const session = await run(config, {
    toolVersion: toolVersion(),
    cacheDir: settings.cacheDir,
    allowNetwork: settings.allowNetwork,
    getSecret: envSecrets(ctx.env),
    signal: ctx.signal,
    onProgress: (e) => ctx.progress.onProgress(e),
  });
  try {
    const written = await writeReport(session.report, settings.out, (e) => ctx.progress.onProgress(e));
    ctx.progress.finish();
    const record = sessionRecord(session);
    const stats: RunStats = {
      seconds: (performance.now() - started) / 1000,
      ...(record ? { cache: { a: cacheUse(record.sideA), b: cacheUse(record.sideB) } } : {}),
    };
    return reportOutcome(session.report, written, settings.conditions, settings.json, ctx, stats);
  } finally {
    await session.dispose();
  }
}

/** The settings every running command shares: --out, --cache-dir, --fail-on, --json, --offline. */
export function runSettings(args: ParsedArgs, ctx: CliContext, defaultOut: string): RunSettings {
  return {
    // Conditions are parsed before the run, so a typo costs a second, not a whole comparison.
    conditions: (args.flags.get('fail-on') ?? []).map(parseFailOn),
    out: path.resolve(ctx.cwd, flag(args, 'out') ?? defaultOut),
    cacheDir: path.resolve(ctx.cwd, flag(args, 'cache-dir') ?? defaultCacheDir(ctx.env)),
    json: args.booleans.has('json'),
    allowNetwork: !args.booleans.has('offline'),
  };
}

export async function runCompare(argv: string[], ctx: CliContext): Promise<number> {
  const args = parseArgs('compare', argv, COMPARE_FLAGS);
  if (args.booleans.has('help')) { ctx.stdout.write(COMPARE_HELP); return 0; }
  if (args.positionals.length > 0) throw new DriftError(`compare: unexpected argument "${args.positionals[0]}"; see embedding-drift compare --help`, 'usage');
  const settings = runSettings(args, ctx, 'drift-report');
  if (args.booleans.has('watch')) return watchCompare(args, settings, ctx);
  const config = await resolveConfig('compare', args, ctx.cwd);
  return compareAndReport(config, settings, ctx);
}

/** "label (model, chunker[, vectors setting])" for the CLI's first line. */
function sideLine(c: ConfigSummary): string {
  return `${c.label} (${c.model}, ${c.chunker}${c.vectors ? `, ${c.vectors.description}` : ''})`;
}
