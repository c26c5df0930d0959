// `embedding-drift compare --watch`: the live loop in a terminal. One warm session
// (src/core/pipeline/warm.ts) runs the configuration, writes report.json and report.html, and prints
// the run's change in one line; each burst of saves to the corpus, the configuration or the anchors
// file reruns it (a run in flight is cancelled and restarted). A failed run (a configuration being
// edited, an empty corpus) prints its one-line error and the loop waits for the next save. Ctrl-C
// ends it with 130, SIGTERM with 143, the cache consistent.
import path from 'node:path';
import { CONFIG_FILE_NAME } from '../../core/config';
import type { DriftConfig } from '../../core/config/types';
import { watchCorpus, type CorpusWatcher } from '../../core/corpus/watch';
import { createWarmSession } from '../../core/pipeline/warm';
import type { RunChange } from '../../core/report/change';
import { DriftError, isAbortError } from '../../core/types';
import type { ParsedArgs } from '../args';
import { configFileOf, excludeFolder, resolveConfig } from '../configResolve';
import { envSecrets, type CliContext } from '../context';
import { prepareOutputFolder, writeReport } from '../output';
import { toolVersion } from '../paths';
import type { RunSettings } from './compare';

/** What a run of `config` reads that a save can change: its corpus roots, its configuration file and its anchors file. */
async function targetsOf(config: DriftConfig, args: ParsedArgs, cwd: string) {
  const configFile = await configFileOf(args, cwd);
  const roots = [config.corpus.root, config.a.corpusRoot, config.b.corpusRoot].filter((r): r is string => r !== undefined);
  const files = [configFile, config.anchors].filter((f): f is string => f !== undefined);
  return { roots, files };
}

function unchanged(change: RunChange): boolean {
  const { changed, added, removed } = change.files;
  return changed + added + removed === 0 && !change.configChanged && !change.anchorsChanged;
}

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

export async function watchCompare(args: ParsedArgs, settings: RunSettings, ctx: CliContext): Promise<number> {
  // A gate or a JSON document is the answer of one run; a loop gives neither.
  if (settings.conditions.length > 0) throw new DriftError('compare: --fail-on gates a single run; drop --watch to use it', 'usage');
  if (settings.json) throw new DriftError('compare: --json prints one run\'s summary; drop --watch to use it', 'usage');
  let config = await resolveConfig('compare', args, ctx.cwd);
  // Watched by name: a configuration created or moved later is found on the next save.
  const configName = path.basename(await configFileOf(args, ctx.cwd) ?? CONFIG_FILE_NAME);
  const session = createWarmSession({ toolVersion: toolVersion(), cacheDir: settings.cacheDir, allowNetwork: settings.allowNetwork, getSecret: envSecrets(ctx.env) });
  const prepare = (c: DriftConfig) => { excludeFolder(c, settings.out); excludeFolder(c, settings.cacheDir); return c; };
  prepare(config);
  await prepareOutputFolder(settings.out);

  let watcher: CorpusWatcher | undefined;
  let watched = '';
  let first = true;
  let configStale = false;
  let written: Promise<unknown> = Promise.resolve();
  const rewatch = async () => {
    const targets = await targetsOf(config, args, ctx.cwd);
    const key = JSON.stringify(targets);
    if (key === watched) return;
    watcher?.close();
    watched = key;
    watcher = watchCorpus(targets, (paths) => {
      if (paths.some((p) => path.basename(p) === configName)) configStale = true;
      void runOnce();
    }, { onError: (err) => ctx.stderr.write(`embedding-drift: watching stopped for a folder: ${err.message}\n`) });
  };

  async function runOnce(): Promise<void> {
    const started = performance.now();
    try {
      if (configStale) {
        configStale = false;
        config = prepare(await resolveConfig('compare', args, ctx.cwd));
        await rewatch();
      }
      const run = await session.run(config, { signal: ctx.signal, onProgress: (e) => ctx.progress.onProgress(e) });
      // A save that changed nothing the run reads (an editor's backup file, a touch) rewrites nothing.
      if (!first && unchanged(run.change)) { ctx.progress.finish(); return; }
      // Runs finish in order (a newer one cancels an older one), but writes are chained so that the
      // last report on disk is always the last run's.
      const writing = written.then(() => writeReport(run.report, settings.out, (e) => ctx.progress.onProgress(e)));
      written = writing.catch(() => undefined);
      const files = await writing;
      ctx.progress.finish();
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      ctx.stdout.write(`[${clock()}] ${run.summary} (${seconds} s)\n`);
      if (first) ctx.stdout.write(`report: ${files.html}\nwatching for changes (Ctrl-C ends)\n`);
      first = false;
    } catch (err) {
      ctx.progress.finish();
      // Superseded by a newer save (the session cancels it) or ended by Ctrl-C: nothing to say here.
      if (isAbortError(err)) return;
      // A configuration that does not parse is re-read on the next save, whichever file it is.
      if (err instanceof DriftError && err.code === 'config') configStale = true;
      // The loop outlives a failed run: the next save may fix it. A bug is named as one.
      const message = err instanceof DriftError ? err.message : `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
      ctx.stderr.write(`[${clock()}] embedding-drift: ${message}\n`);
    }
  }

  await rewatch();
  await runOnce();
  try {
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  } finally {
    watcher?.close();
    await session.dispose();
  }
  throw new DriftError('Cancelled.', 'cancelled');
}
