// A comparison session that stays warm between runs (live mode in the editor, `compare --watch`):
// models and their worker threads stay open, a file's chunks are kept by its content hash and
// chunker, and every later stage (embedding, alignment, neighbors, query set, each metric) is keyed
// by a hash of its inputs and reused while they do not change. A warm run's report equals a one-off
// run's on the same inputs except `timings` and `reuse`. Starting a run cancels the one in flight.
import { promises as fs } from 'node:fs';
import type { DriftConfig } from '../config/types';
import { canonicalJson, SessionMemo, sha256Hex } from '../memo';
import { describeChange, type RunChange } from '../report/change';
import type { Report } from '../report/types';
import { DriftError, type Corpus, type RunOptions } from '../types';
import { compare } from './compare';
import { ModelPool } from './context';
import { createSession, sessionRecord } from './session';
import type { CompareOptions, ComparisonSession } from './types';

/** Models unused this long are disposed with their worker threads (the next run reopens them). */
export const DEFAULT_IDLE_MS = 10 * 60 * 1000;

export interface WarmSessionOptions extends Omit<CompareOptions, 'signal' | 'onProgress'> {
  /** Dispose the models after this long without a run (default 10 minutes; 0: keep them until dispose()). */
  idleMs?: number;
}

export interface WarmRun {
  /** The report (read-only: later runs of the session may share its arrays). */
  report: Report;
  /** What changed since the session's previous successful run. */
  change: RunChange;
  /** The change in one line: "2 files changed, 14 chunks re-embedded, churn 31% -> 34%". */
  summary: string;
  /** The query playground over this run's vectors (reopens the models if the idle timeout closed them). */
  search: ComparisonSession['search'];
  /**
   * The run's own compare() session, for what reads a run whole (saveBaseline). The warm session
   * owns its models: never dispose it, and search through `search` above.
   */
  session: ComparisonSession;
}

export interface WarmSession {
  /**
   * Runs `config`. A run of this session still in flight is cancelled first (its promise rejects
   * with a cancelled DriftError). `options.signal` cancels this run only.
   */
  run(config: DriftConfig, options?: RunOptions): Promise<WarmRun>;
  /** Cancels a run in flight, disposes the models and forgets every kept stage. */
  dispose(): Promise<void>;
  /** What the session holds now (for a status line). */
  status(): { running: boolean; modelsOpen: number; stagesKept: number };
  /**
   * Resolves once the models the last run kept are loaded: a run whose chunks all came from the
   * cache starts its models afterwards, so that the next edit embeds at once.
   */
  modelsLoaded(): Promise<void>;
}

/** What the session remembers of its last successful run, to say what changed. */
interface LastRun {
  report: Report;
  config: string;
  anchors: string | null;
  files: Map<string, string>;
}

async function anchorsDigest(config: DriftConfig): Promise<string | null> {
  if (config.anchors === undefined) return null;
  return fs.readFile(config.anchors).then((data) => sha256Hex(data), () => 'unreadable');
}

function filesOf(corpora: Corpus[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const corpus of corpora) for (const f of corpus.files) out.set(`${corpus.root}\0${f.path}`, f.hash);
  return out;
}

function fileChanges(before: Map<string, string>, after: Map<string, string>): RunChange['files'] {
  let changed = 0, added = 0, removed = 0;
  for (const [path, hash] of after) {
    const old = before.get(path);
    if (old === undefined) added++;
    else if (old !== hash) changed++;
  }
  for (const path of before.keys()) if (!after.has(path)) removed++;
  return { changed, added, removed };
}

export function createWarmSession(options: WarmSessionOptions): WarmSession {
  const memo = new SessionMemo();
  const models = new ModelPool();
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  let last: LastRun | undefined;
  let inFlight: { controller: AbortController; done: Promise<unknown> } | undefined;
  let idle: NodeJS.Timeout | undefined;
  let disposed = false;
  // The kept models loading after the last run (ModelPool.warm).
  let loading: Promise<void> = Promise.resolve();
  // A store run owns its models (context.ts); the session closes that run's when the next one lands.
  let owned: ComparisonSession | undefined;

  const armIdle = (): void => {
    if (idle) clearTimeout(idle);
    if (idleMs <= 0) return;
    idle = setTimeout(() => { void models.release(); }, idleMs);
    idle.unref();
  };

  async function runOnce(config: DriftConfig, signal: AbortSignal, onProgress: RunOptions['onProgress']): Promise<WarmRun> {
    memo.begin();
    models.begin();
    const compareOptions: CompareOptions = { ...options, signal, onProgress };
    const session = await compare(config, compareOptions, { memo, models });
    const record = sessionRecord(session);
    const report = session.report;
    report.reuse = { reused: Object.fromEntries(memo.reused), computed: Object.fromEntries(memo.computed) };
    // Values no stage of this run read belong to files and settings that are gone.
    memo.finish();
    await models.finish();
    loading = models.warm();
    const files = filesOf(record ? [...new Set([record.sideA.corpus, record.sideB.corpus])] : []);
    const configText = canonicalJson(config);
    const anchors = await anchorsDigest(config);
    const sideRuns = record ? [...new Set([record.sideA, record.sideB])] : [];
    const change: RunChange = {
      files: last ? fileChanges(last.files, files) : { changed: 0, added: files.size, removed: 0 },
      configChanged: last !== undefined && last.config !== configText,
      anchorsChanged: last !== undefined && last.anchors !== anchors,
      chunksEmbedded: sideRuns.reduce((sum, r) => sum + r.cacheMisses, 0),
    };
    const summary = describeChange(change, last?.report, report);
    last = { report, config: configText, anchors, files };
    const previous = owned;
    owned = config.a.store || config.b.store ? session : undefined;
    if (previous) await previous.dispose();
    const storeRun = owned === session;
    return {
      report, change, summary, session,
      search: async (query, k, searchOptions) => {
        if (disposed) throw new DriftError('This live session was closed; run it again to search.', 'usage');
        if (storeRun || !record) return session.search(query, k, searchOptions);
        // The pool hands out the models this run used, or reopens them after the idle timeout closed them.
        const [modelA, modelB] = await Promise.all([models.open(config.a, 'a', options), models.open(config.b, 'b', options)]);
        const side = (run: typeof record.sideA, embedder: typeof modelA.embedder) => ({ chunks: run.chunks, vectors: run.vectors, embedder });
        return createSession(report, side(record.sideA, modelA.embedder), side(record.sideB, modelB.embedder), undefined, false).search(query, k, searchOptions);
      },
    };
  }

  return {
    async run(config, runOptions = {}) {
      if (disposed) throw new DriftError('This live session was closed.', 'usage');
      if (inFlight) {
        inFlight.controller.abort();
        await inFlight.done.catch(() => undefined);
      }
      if (idle) clearTimeout(idle);
      const controller = new AbortController();
      const signal = runOptions.signal ? AbortSignal.any([controller.signal, runOptions.signal]) : controller.signal;
      const running = runOnce(config, signal, runOptions.onProgress);
      const current = { controller, done: running };
      inFlight = current;
      try {
        return await running;
      } finally {
        if (inFlight === current) inFlight = undefined;
        if (!disposed) armIdle();
      }
    },
    status() {
      return { running: inFlight !== undefined, modelsOpen: models.size, stagesKept: memo.size };
    },
    modelsLoaded: () => loading,
    async dispose() {
      if (disposed) return;
      disposed = true;
      if (idle) clearTimeout(idle);
      if (inFlight) {
        inFlight.controller.abort();
        await inFlight.done.catch(() => undefined);
      }
      memo.clear();
      await owned?.dispose();
      await models.release();
    },
  };
}
