// The live loop's figures, in one long-lived warm session (src/core/pipeline/warm.ts), as live mode
// and `compare --watch` run it, its model loaded: the rerun after about 10% of B's chunks changed (warm_vs_cold), and
// the time from saving one edited page to the rewritten report (live_update_ms), measured through
// the same watcher, session and report writer `compare --watch` uses (its 300 ms debounce included).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DriftConfig } from '../src/core/config/types';
import { watchCorpus } from '../src/core/corpus/watch';
import { createWarmSession, type WarmRun } from '../src/core/pipeline/warm';
import { writeReport } from '../src/cli/output';
import { timed } from './measure';

export interface LiveFigures {
  /** The session's first run (the embedding cache already full from the cold run). */
  firstMs: number;
  /** The rerun after B's chunker changed. */
  warmMs: number;
  warm: { timings: Record<string, number>; reuse: WarmRun['report']['reuse']; summary: string };
  /** Save of one edited page -> report.json and report.html rewritten. */
  liveUpdateMs: number;
  live: { timings: Record<string, number>; reuse: WarmRun['report']['reuse']; summary: string; file: string };
}

/** The largest file of the corpus whose text is not yet edited: one "page" of documentation. */
function pageToEdit(root: string): string {
  const files = fs.readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.md'))
    .map((e) => path.join(e.parentPath, e.name));
  if (files.length === 0) throw new Error(`no markdown page under ${root}`);
  return files.sort((x, y) => fs.statSync(y).size - fs.statSync(x).size)[0]!;
}

export async function benchLive(config: DriftConfig, tweaked: DriftConfig, cacheDir: string, outDir: string, log: (line: string) => void): Promise<LiveFigures> {
  const session = createWarmSession({ cacheDir, allowNetwork: false });
  try {
    const first = await timed(() => session.run(config));
    log(`  session's first run: ${(first.ms / 1000).toFixed(2)} s (${first.value.summary})`);
    // Every chunk of that run came from the cache the cold run filled, so the session loads the
    // model after it, as live mode does while the user edits: the rerun starts once it is loaded
    // (the seconds an edit takes), in a session whose model is warm. The wait is not timed.
    const loading = await timed(() => session.modelsLoaded());
    log(`  the session's model loaded in the background after it: ${loading.ms.toFixed(0)} ms (not part of the rerun)`);
    const warm = await timed(() => session.run(tweaked));
    log(`  rerun, B's chunker changed: ${(warm.ms / 1000).toFixed(2)} s (${warm.value.summary})`);
    log(`    stage times (ms): ${JSON.stringify(warm.value.report.timings)}`);
    log(`    computed: ${JSON.stringify(warm.value.report.reuse?.computed)}`);

    // One page edited and saved; the watcher sees it, the session reruns, the report is rewritten.
    fs.mkdirSync(outDir, { recursive: true });
    await writeReport(warm.value.report, outDir);
    const file = pageToEdit(tweaked.corpus.root);
    const original = fs.readFileSync(file, 'utf8');
    let live: WarmRun | undefined;
    const saved = performance.now();
    const updated = await new Promise<number>((resolve, reject) => {
      const watcher = watchCorpus({ roots: [tweaked.corpus.root], files: [] }, () => {
        session.run(tweaked)
          .then(async (run) => { live = run; await writeReport(run.report, outDir); watcher.close(); resolve(performance.now() - saved); })
          .catch((err: unknown) => { watcher.close(); reject(err); });
      }, { onError: reject });
      fs.writeFileSync(file, `${original}\n\n## Live edit\n\nA paragraph added while the report was open, about retries and rate limits.\n`);
    }).finally(() => fs.writeFileSync(file, original));
    log(`  save of ${path.relative(tweaked.corpus.root, file)} -> report rewritten: ${updated.toFixed(0)} ms (${live!.summary})`);
    log(`    stage times (ms): ${JSON.stringify(live!.report.timings)}`);
    return {
      firstMs: first.ms, warmMs: warm.ms, liveUpdateMs: updated,
      warm: { timings: warm.value.report.timings, reuse: warm.value.report.reuse, summary: warm.value.summary },
      live: { timings: live!.report.timings, reuse: live!.report.reuse, summary: live!.summary, file: path.relative(tweaked.corpus.root, file) },
    };
  } finally {
    await session.dispose();
  }
}
