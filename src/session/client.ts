// The host's side of the session worker: starts dist/session-worker.js on first use, sends it
// requests, relays its progress and answers, and turns a crashed worker into a clear error for
// whatever was waiting (the next request starts a fresh worker). No vscode here: the benchmark
// drives the extension's runs through this very class.
import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { DriftConfig } from '../core/config/types';
import { DriftError, type ProgressEvent } from '../core/types';
import type { SearchAnswer, TokenizeAnswer } from '../shared/protocol';
import { PendingRequests } from '../shared/requests';
import {
  fromWire, validateFromSession, type FromSessionMessage, type RunRequest, type RunSummary, type ToSessionMessage,
} from './protocol';

export interface SessionHooks {
  log(level: 'info' | 'error', message: string): void;
  /** An API key or token the core asks for by name (SecretStorage, then the environment). */
  getSecret(name: string): Promise<string | undefined>;
}

export interface RunResult {
  /** report.json as UTF-8 bytes, for the panel (the host never parses it). */
  report: Uint8Array;
  summary: RunSummary;
}

export type RunParameters = Omit<RunRequest, 'type' | 'id'>;

/** What a request is answered with (its `type`), what answers it, and where its progress goes. */
type Pending = PendingRequests<FromSessionMessage['type'], FromSessionMessage, ((event: ProgressEvent) => void) | undefined>;
/** Every request but shutdown and secretResponse, without the id the pending map gives it. */
type Request = Exclude<ToSessionMessage, { type: 'shutdown' | 'secretResponse' | 'cancel' }> extends infer M ? M extends { id: number } ? Omit<M, 'id'> : never : never;

/** How long a worker asked to shut down may take before it is terminated. */
const SHUTDOWN_GRACE_MS = 3000;

export class SessionClient {
  private worker: Worker | undefined;
  // Runs take as long as they take (the user cancels them): no timeout.
  private readonly pending: Pending = new PendingRequests();

  constructor(private readonly script: string, private readonly hooks: SessionHooks) {}

  /** Starts run `id`; `done` resolves with the report, or rejects (a cancelled run with DriftError 'cancelled'). */
  run(parameters: RunParameters, onProgress: (event: ProgressEvent) => void): { id: number; done: Promise<RunResult> } {
    const { id, answer } = this.request<Extract<FromSessionMessage, { type: 'runDone' }>>({ ...parameters, type: 'run' }, 'runDone', onProgress);
    return { id, done: answer.then((m) => ({ report: m.report, summary: m.summary })) };
  }

  cancel(id: number): void {
    if (this.pending.has(id)) this.worker?.postMessage({ type: 'cancel', id } satisfies ToSessionMessage);
  }

  async search(query: string, k: number): Promise<SearchAnswer> {
    const m = await this.request<Extract<FromSessionMessage, { type: 'searchDone' }>>({ type: 'search', query, k }, 'searchDone').answer;
    return { a: m.a, b: m.b };
  }

  async tokenize(config: DriftConfig, context: { cacheDir: string; allowNetwork: boolean }, text: string): Promise<TokenizeAnswer> {
    const m = await this.request<Extract<FromSessionMessage, { type: 'tokenizeDone' }>>(
      { type: 'tokenize', config, cacheDir: context.cacheDir, allowNetwork: context.allowNetwork, text }, 'tokenizeDone').answer;
    return { a: m.a, b: m.b };
  }

  /** Writes one side as a LanceDB table in the worker; `signal` cancels it. */
  async exportSide(parameters: Omit<Extract<ToSessionMessage, { type: 'export' }>, 'type' | 'id'>, signal: AbortSignal, onProgress: (event: ProgressEvent) => void): Promise<Omit<Extract<FromSessionMessage, { type: 'exported' }>, 'type' | 'id'>> {
    const { id, answer } = this.request<Extract<FromSessionMessage, { type: 'exported' }>>({ ...parameters, type: 'export' }, 'exported', onProgress);
    const abort = (): void => this.cancel(id);
    signal.addEventListener('abort', abort, { once: true });
    try {
      const { type: _type, id: _id, ...result } = await answer;
      return result;
    } finally {
      signal.removeEventListener('abort', abort);
    }
  }

  async saveBaseline(baselineDir: string): Promise<void> {
    await this.request({ type: 'saveBaseline', baselineDir }, 'baselineSaved').answer;
  }

  /** Asks the worker to free its session and exit; terminates it if it does not within a few seconds. */
  async dispose(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'shutdown' } satisfies ToSessionMessage);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), SHUTDOWN_GRACE_MS); });
    if (await Promise.race([exited, late]) === 'late') await worker.terminate();
    clearTimeout(timer);
  }

  /** Numbers `message`, sends it and waits for its answer of type `expects` (or a `failed` with its id). */
  private request<T extends FromSessionMessage>(message: Request, expects: T['type'], onProgress?: (event: ProgressEvent) => void): { id: number; answer: Promise<T> } {
    const { id, answer } = this.pending.open(expects, onProgress);
    try {
      const worker = this.start();
      this.holdWhileWaiting();
      worker.postMessage({ ...message, id } as ToSessionMessage);
    } catch (err) {
      this.pending.fail(id, err as Error);
    }
    return { id, answer: answer as Promise<T> };
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    if (!fs.existsSync(this.script)) throw new DriftError(`The session worker ${this.script} is missing; build first with \`npm run build\`.`, 'io');
    const worker = new Worker(this.script, { name: 'embedding-drift-session' });
    worker.on('message', (raw: unknown) => { if (this.worker === worker) this.onMessage(worker, raw); });
    worker.on('error', (err) => this.lost(worker, `failed: ${err.message}`));
    worker.on('exit', (code) => this.lost(worker, `stopped (exit code ${code})`));
    this.worker = worker;
    return worker;
  }

  /** The worker keeps the process alive while a request waits on it, and only then (an idle session never blocks an exit). */
  private holdWhileWaiting(): void {
    if (this.pending.size > 0) this.worker?.ref();
    else this.worker?.unref();
  }

  /** The worker is gone: everything waiting on it fails with the reason; the next request starts a new one. */
  private lost(worker: Worker, why: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    const waiting = this.pending.failAll(new Error(`The comparison worker ${why}; run the comparison again.`));
    if (waiting > 0) this.hooks.log('error', `the session worker ${why} with ${waiting} request(s) waiting`);
  }

  private onMessage(worker: Worker, raw: unknown): void {
    const m = validateFromSession(raw, (line) => this.hooks.log('error', line));
    if (!m) return;
    switch (m.type) {
      case 'progress':
        this.pending.extra(m.id)?.(m.event);
        return;
      case 'log':
        this.hooks.log(m.level, m.message);
        return;
      case 'secretRequest':
        void this.hooks.getSecret(m.name).then((value) => value, () => undefined).then((value) => {
          if (this.worker === worker) worker.postMessage({ type: 'secretResponse', id: m.id, ...(value !== undefined ? { value } : {}) } satisfies ToSessionMessage);
        });
        return;
      case 'failed':
        this.pending.fail(m.id, fromWire(m.error));
        this.holdWhileWaiting();
        return;
      case 'runDone':
      case 'searchDone':
      case 'tokenizeDone':
      case 'baselineSaved':
      case 'exported': {
        if (!this.pending.settle(m.id, m.type, m)) {
          this.hooks.log('error', `the session worker answered ${m.type} to request ${m.id}, which does not wait for one`);
          return;
        }
        this.holdWhileWaiting();
        return;
      }
      default: {
        const never: never = m;
        void never;
      }
    }
  }
}
