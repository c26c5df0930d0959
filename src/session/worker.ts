// The session worker (dist/session-worker.js): a worker thread of the extension host that owns the
// comparison session (models, their worker threads, vectors) and does every long piece of work the
// extension asks for (runs, playground searches, tokenizing), so the host's event loop only relays
// messages and never stalls, however long a run's synchronous stretches are.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { parentPort, type MessagePort } from 'node:worker_threads';
import { writeFileDurable } from '../core/io/durable';
import { loadBaselineReport, saveBaseline } from '../core/pipeline/baseline';
import { compareWithBaseline } from '../core/pipeline/compare';
import { exportSide } from '../core/pipeline/export';
import type { CompareOptions, ComparisonSession } from '../core/pipeline/types';
import { createWarmSession, type WarmSession, type WarmSessionOptions } from '../core/pipeline/warm';
import type { Report } from '../core/report/types';
import { DriftError, throwIfAborted, type ProgressEvent } from '../core/types';
import { sinceBaseline } from '../extension/baseline';
import { SelectionTokenizers } from './tokenizers';
import { encodeReport } from '../shared/protocol';
import { PendingRequests } from '../shared/requests';
import {
  toWire, validateToSession, type ExportRequest, type FromSessionMessage, type RunRequest, type RunSummary, type ToSessionMessage,
} from './protocol';

/** Progress reaches the host at most this often within one stage (stage changes and ends always do). */
const PROGRESS_INTERVAL_MS = 100;

/** The last finished run: what the playground searches and Save as Baseline stores. */
interface FinishedRun {
  search: ComparisonSession['search'];
  /** The run's compare() session (saveBaseline reads it). */
  session: ComparisonSession;
  /** Lets go of what only this run holds (a warm run's models belong to the warm session). */
  release(): Promise<void>;
}

export class SessionWorker {
  private last: FinishedRun | undefined;
  /**
   * Comparisons of the configurations go through one warm session (models, chunks and every stage
   * kept between runs, what changed said in one line), made again when the run options change.
   */
  private warm: { key: string; session: WarmSession } | undefined;
  private readonly runs = new Map<number, AbortController>();
  /** Runs go one after another: a cancelled run winds down before the next one writes to the cache. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly tokenizers = new SelectionTokenizers();
  /** The core's secret requests to the host, answered by id (the host answers every one, from SecretStorage or the environment). */
  private readonly secrets = new PendingRequests<'secret', string | undefined>();
  /**
   * The stored baseline's report, read once per baseline folder rather than on every (live) run:
   * this worker is the only writer of the extension's baseline, and saving one forgets it.
   */
  private baselineReport: { dir: string; report: Promise<Report | undefined> } | undefined;

  constructor(private readonly port: Pick<MessagePort, 'postMessage'>, private readonly close: () => void = () => undefined) {}

  handle(raw: unknown): void {
    const message = validateToSession(raw, (m) => this.post({ type: 'log', level: 'error', message: m }));
    if (message) void this.dispatch(message);
  }

  private post(message: FromSessionMessage, transfer?: ArrayBuffer[]): void {
    this.port.postMessage(message, transfer);
  }

  private fail(id: number, err: unknown): void {
    this.post({ type: 'failed', id, error: toWire(err) });
  }

  /** Does a request's work and posts its answer, or its failure under the same id. */
  private async answer(id: number, work: () => Promise<FromSessionMessage>): Promise<void> {
    try {
      this.post(await work());
    } catch (err) {
      this.fail(id, err);
    }
  }

  private async dispatch(m: ToSessionMessage): Promise<void> {
    switch (m.type) {
      case 'run':
        return this.run(m);
      case 'export':
        return this.export(m);
      case 'cancel':
        this.runs.get(m.id)?.abort();
        return;
      case 'search':
        return this.answer(m.id, async () => {
          if (!this.last) throw new DriftError('Run the comparison in this window to search it (the playground needs the live session).', 'usage');
          const hits = await this.last.search(m.query, m.k);
          return { type: 'searchDone', id: m.id, a: hits.a, b: hits.b };
        });
      case 'tokenize':
        return this.answer(m.id, async () => {
          const result = await this.tokenizers.tokenize(m.config, { cacheDir: m.cacheDir, allowNetwork: m.allowNetwork }, m.text);
          return { type: 'tokenizeDone', id: m.id, a: result.a, b: result.b };
        });
      case 'saveBaseline':
        return this.answer(m.id, async () => {
          if (!this.last) {
            throw new DriftError('Run "Embedding Drift: Compare Configurations" in this window first; its result becomes the baseline.', 'usage');
          }
          // The baseline folder keeps the run's report beside side A: one write, all or nothing.
          this.baselineReport = undefined;
          await saveBaseline(this.last.session, m.baselineDir);
          return { type: 'baselineSaved', id: m.id };
        });
      case 'secretResponse':
        this.secrets.settle(m.id, 'secret', m.value);
        return;
      case 'shutdown':
        await this.dispose();
        this.close();
        return;
      default: {
        const never: never = m;
        void never;
      }
    }
  }

  private async run(m: RunRequest): Promise<void> {
    const abort = new AbortController();
    this.runs.set(m.id, abort);
    const work = this.queue.then(() => this.execute(m, abort.signal));
    this.queue = work.catch(() => undefined);
    try {
      const { bytes, summary } = await work;
      this.post({ type: 'runDone', id: m.id, report: bytes, summary }, [bytes.buffer as ArrayBuffer]);
    } catch (err) {
      this.fail(m.id, err);
    } finally {
      this.runs.delete(m.id);
    }
  }

  /** Export Side to LanceDB: in the queue like a run (it embeds through the same cache). */
  private async export(m: ExportRequest): Promise<void> {
    const abort = new AbortController();
    this.runs.set(m.id, abort);
    const work = this.queue.then(() => exportSide(m.config, m.side, m.target, {
      cacheDir: m.cacheDir, allowNetwork: m.allowNetwork, getSecret: (name) => this.askSecret(name), signal: abort.signal,
      onProgress: throttledProgress((event) => this.post({ type: 'progress', id: m.id, event })),
      ...(m.lancedbPath !== undefined ? { lancedbPath: m.lancedbPath } : {}),
    }));
    this.queue = work.catch(() => undefined);
    try {
      const result = await work;
      this.post({ type: 'exported', id: m.id, rows: result.rows, uri: result.uri, table: result.table, dimension: result.dimension, model: result.model });
    } catch (err) {
      this.fail(m.id, err);
    } finally {
      this.runs.delete(m.id);
    }
  }

  private async execute(m: RunRequest, signal: AbortSignal): Promise<{ bytes: Uint8Array; summary: RunSummary }> {
    throwIfAborted(signal);
    const options: CompareOptions = {
      cacheDir: m.cacheDir,
      allowNetwork: m.allowNetwork,
      getSecret: (name) => this.askSecret(name),
      signal,
      onProgress: throttledProgress((event) => this.post({ type: 'progress', id: m.id, event })),
      ...(m.workers !== undefined ? { workers: m.workers } : {}),
      ...(m.toolVersion !== undefined ? { toolVersion: m.toolVersion } : {}),
      ...(m.lancedbPath !== undefined ? { lancedbPath: m.lancedbPath } : {}),
    };
    let finished: FinishedRun;
    let report: Report;
    let change: string | undefined;
    if (m.against === 'baseline') {
      const session = await compareWithBaseline(m.config, m.baselineDir, options);
      if (signal.aborted) {
        // Finished after the user let go: the shown report stays the one they had.
        await session.dispose().catch(() => undefined);
        throw new DriftError('Cancelled.', 'cancelled');
      }
      finished = { search: (query, k, o) => session.search(query, k, o), session, release: () => session.dispose() };
      report = session.report;
    } else {
      const { signal: _signal, onProgress, ...rest } = options;
      const run = await this.warmSession(rest).run(m.config, { signal, ...(onProgress ? { onProgress } : {}) });
      // (The warm session counts this run as its last: the next change line is measured from it.)
      if (signal.aborted) throw new DriftError('Cancelled.', 'cancelled');
      finished = { search: run.search, session: run.session, release: async () => undefined };
      report = run.report;
      change = run.summary;
    }
    const previous = this.last;
    this.last = finished;
    await previous?.release().catch(() => undefined);
    // A fresh buffer of its own (TextEncoder never pools), so it can be transferred to the host.
    const bytes = encodeReport(report);
    // The run's last stage: the bar reaches 100 when report.json is on disk.
    const file = path.basename(m.reportFile);
    options.onProgress?.({ stage: 'report', done: 0, total: 1, message: file });
    await writeReportFile(m.reportFile, bytes);
    options.onProgress?.({ stage: 'report', done: 1, total: 1, message: file });
    const summary: RunSummary = {
      labels: { a: report.configs.a.label, b: report.configs.b.label },
      corpusRoots: [report.corpus.root, ...(report.corpus.rootB ? [report.corpus.rootB] : [])],
      chunks: { a: report.chunks.a, b: report.chunks.b },
      createdAt: report.createdAt,
      ...(change !== undefined ? { change } : {}),
    };
    // A run against the baseline is itself the comparison with it: headline deltas are for the runs between.
    const baseline = m.against === 'configurations'
      ? await baselineDeltas(this.storedBaselineReport(m.baselineDir), report, (message) => this.post({ type: 'log', level: 'error', message }))
      : undefined;
    if (baseline) summary.baseline = baseline;
    return { bytes, summary };
  }

  private storedBaselineReport(dir: string): Promise<Report | undefined> {
    if (this.baselineReport?.dir !== dir) this.baselineReport = { dir, report: loadBaselineReport(dir) };
    return this.baselineReport.report;
  }

  /** The warm session for these options (cache folder, network, workers...): another set starts a new one. */
  private warmSession(options: WarmSessionOptions): WarmSession {
    const { getSecret: _getSecret, ...keyed } = options;
    const key = JSON.stringify(keyed);
    if (this.warm?.key !== key) {
      const old = this.warm;
      if (old) void old.session.dispose().catch(() => undefined);
      this.warm = { key, session: createWarmSession(options) };
    }
    return this.warm.session;
  }

  private askSecret(name: string): Promise<string | undefined> {
    const { id, answer } = this.secrets.open('secret', undefined);
    this.post({ type: 'secretRequest', id, name });
    return answer;
  }

  async dispose(): Promise<void> {
    for (const abort of this.runs.values()) abort.abort();
    await this.queue;
    await this.last?.release().catch(() => undefined);
    this.last = undefined;
    await this.warm?.session.dispose().catch(() => undefined);
    this.warm = undefined;
  }
}

/** Forwards a stage's first and last event and at most one every PROGRESS_INTERVAL_MS in between. */
export function throttledProgress(send: (event: ProgressEvent) => void, now: () => number = Date.now): (event: ProgressEvent) => void {
  let last = -Infinity;
  let stage = '';
  return (event) => {
    const key = `${event.stage}:${event.side ?? ''}`;
    const t = now();
    const ends = event.total !== undefined && event.done >= event.total;
    if (key !== stage || ends || t - last >= PROGRESS_INTERVAL_MS) {
      stage = key;
      last = t;
      send(event);
    }
  };
}

async function writeReportFile(file: string, bytes: Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileDurable(file, bytes);
}

/** The headline numbers that moved since the stored baseline report; undefined when there is none (or it cannot be read: logged). */
async function baselineDeltas(stored: Promise<Report | undefined>, report: Report, log: (m: string) => void): Promise<RunSummary['baseline']> {
  try {
    const baseline = await stored;
    if (!baseline) return undefined;
    // Only like with like: another kind of run, k, model, chunker or tokenizer says why it is not compared.
    const since = sinceBaseline(baseline, report);
    return since.comparable ? { createdAt: baseline.createdAt, deltas: since.lines } : { createdAt: baseline.createdAt, notComparable: since.reason };
  } catch (err) {
    log(`the stored baseline report is not used: ${(err as Error).message}`);
    return undefined;
  }
}

if (parentPort) {
  const port = parentPort;
  const worker = new SessionWorker(port, () => port.close());
  port.on('message', (raw: unknown) => worker.handle(raw));
}
