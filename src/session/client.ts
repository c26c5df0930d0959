// The host's side of the session worker: starts dist/session-worker.js on first use, sends it
// requests, relays its progress and answers, and turns a crashed worker into a clear error for
// whatever was waiting (the next request starts a fresh worker). No vscode here: the benchmark
// drives the extension's runs through this very class.
import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { DriftConfig } from '../core/config/types';
import { DriftError, type ProgressEvent } from '../core/types';
import type { SearchHit, TokenizedText } from '../shared/protocol';
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

interface Pending {
  expects: FromSessionMessage['type'];
  resolve(message: FromSessionMessage): void;
  reject(err: Error): void;
  onProgress?: ((event: ProgressEvent) => void) | undefined;
}

/** How long a worker asked to shut down may take before it is terminated. */
const SHUTDOWN_GRACE_MS = 3000;

export class SessionClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly script: string, private readonly hooks: SessionHooks) {}

  /** Starts run `id`; `done` resolves with the report, or rejects (a cancelled run with DriftError 'cancelled'). */
  run(parameters: RunParameters, onProgress: (event: ProgressEvent) => void): { id: number; done: Promise<RunResult> } {
    const id = this.nextId++;
    const done = this.request<Extract<FromSessionMessage, { type: 'runDone' }>>({ ...parameters, type: 'run', id }, 'runDone', onProgress)
      .then((m) => ({ report: m.report, summary: m.summary }));
    return { id, done };
  }

  cancel(id: number): void {
    if (this.pending.has(id)) this.worker?.postMessage({ type: 'cancel', id } satisfies ToSessionMessage);
  }

  async search(query: string, k: number): Promise<{ a: SearchHit[]; b: SearchHit[] }> {
    const m = await this.request<Extract<FromSessionMessage, { type: 'searchDone' }>>({ type: 'search', id: this.nextId++, query, k }, 'searchDone');
    return { a: m.a, b: m.b };
  }

  async tokenize(config: DriftConfig, context: { cacheDir: string; allowNetwork: boolean }, text: string): Promise<{ a: TokenizedText; b: TokenizedText }> {
    const m = await this.request<Extract<FromSessionMessage, { type: 'tokenizeDone' }>>(
      { type: 'tokenize', id: this.nextId++, config, cacheDir: context.cacheDir, allowNetwork: context.allowNetwork, text }, 'tokenizeDone');
    return { a: m.a, b: m.b };
  }

  /** Writes one side as a LanceDB table in the worker; `signal` cancels it. */
  async exportSide(parameters: Omit<Extract<ToSessionMessage, { type: 'export' }>, 'type' | 'id'>, signal: AbortSignal, onProgress: (event: ProgressEvent) => void): Promise<Omit<Extract<FromSessionMessage, { type: 'exported' }>, 'type' | 'id'>> {
    const id = this.nextId++;
    const abort = (): void => this.cancel(id);
    signal.addEventListener('abort', abort, { once: true });
    try {
      const { type: _type, id: _id, ...result } = await this.request<Extract<FromSessionMessage, { type: 'exported' }>>({ ...parameters, type: 'export', id }, 'exported', onProgress);
      return result;
    } finally {
      signal.removeEventListener('abort', abort);
    }
  }

  async saveBaseline(baselineDir: string): Promise<void> {
    await this.request({ type: 'saveBaseline', id: this.nextId++, baselineDir }, 'baselineSaved');
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

  private request<T extends FromSessionMessage>(message: ToSessionMessage & { id: number }, expects: T['type'], onProgress?: (event: ProgressEvent) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let worker: Worker;
      try {
        worker = this.start();
      } catch (err) {
        reject(err as Error);
        return;
      }
      this.pending.set(message.id, { expects, resolve: (m) => resolve(m as T), reject, onProgress });
      this.holdWhileWaiting();
      worker.postMessage(message);
    });
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
    const waiting = [...this.pending.values()];
    this.pending.clear();
    if (waiting.length > 0) this.hooks.log('error', `the session worker ${why} with ${waiting.length} request(s) waiting`);
    for (const p of waiting) p.reject(new Error(`The comparison worker ${why}; run the comparison again.`));
  }

  private onMessage(worker: Worker, raw: unknown): void {
    const m = validateFromSession(raw, (line) => this.hooks.log('error', line));
    if (!m) return;
    switch (m.type) {
      case 'progress':
        this.pending.get(m.id)?.onProgress?.(m.event);
        return;
      case 'log':
        this.hooks.log(m.level, m.message);
        return;
      case 'secretRequest':
        void this.hooks.getSecret(m.name).then((value) => value, () => undefined).then((value) => {
          if (this.worker === worker) worker.postMessage({ type: 'secretResponse', id: m.id, ...(value !== undefined ? { value } : {}) } satisfies ToSessionMessage);
        });
        return;
      case 'failed': {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        this.holdWhileWaiting();
        p?.reject(fromWire(m.error));
        return;
      }
      case 'runDone':
      case 'searchDone':
      case 'tokenizeDone':
      case 'baselineSaved':
      case 'exported': {
        const p = this.pending.get(m.id);
        if (!p || p.expects !== m.type) {
          this.hooks.log('error', `the session worker answered ${m.type} to request ${m.id}, which does not wait for one`);
          return;
        }
        this.pending.delete(m.id);
        this.holdWhileWaiting();
        p.resolve(m);
        return;
      }
      default: {
        const never: never = m;
        void never;
      }
    }
  }
}
