// A pool of embedding worker threads (dist/embed-worker.js), each with its own ONNX Runtime
// session. Batches go to whichever worker is free; abort terminates every worker at once, so
// cancellation takes effect within a batch and leaves no thread behind.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DriftError } from '../types';
import { UnloadableModelError, type SessionSpec } from './session';
import type { FromWorker, ToWorker } from './workerProtocol';

/** The folder holding this package's package.json, found by walking up from `from`. */
export function packageRoot(from: string = __dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if ((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'embedding-drift') return dir;
      } catch {
        // Not ours (or unreadable): keep walking.
      }
    }
    if (path.dirname(dir) === dir) throw new DriftError(`Cannot find the embedding-drift package folder above ${from}.`, 'io');
  }
}

/** dist/embed-worker.js of this package; a clear error when the build has not run. */
export function workerScript(root: string = packageRoot()): string {
  const script = path.join(root, 'dist', 'embed-worker.js');
  if (!fs.existsSync(script)) {
    throw new DriftError(`The embedding worker ${script} is missing; build first with \`npm run build\` (node esbuild.js).`, 'io');
  }
  return script;
}

/** File URL of the folder with ort-wasm-simd-threaded.{wasm,mjs}: dist/ when built, else the package's own. */
export function wasmAssetsUrl(root: string = packageRoot()): string {
  const dist = path.join(root, 'dist');
  const folder = fs.existsSync(path.join(dist, 'ort-wasm-simd-threaded.wasm'))
    ? dist
    : path.dirname(require.resolve('onnxruntime-web', { paths: [root] }));
  return pathToFileURL(folder + path.sep).href;
}

class EmbedWorker {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  readonly exited: Promise<void>;
  private readonly pending = new Map<number, { resolve: (v: Float32Array) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(script: string, spec: SessionSpec, private readonly label: string) {
    this.worker = new Worker(script, { workerData: spec });
    let settleReady!: { resolve: () => void; reject: (e: Error) => void };
    this.ready = new Promise((resolve, reject) => { settleReady = { resolve, reject }; });
    this.ready.catch(() => undefined); // observed by whoever awaits it
    this.worker.on('message', (msg: FromWorker) => {
      switch (msg.type) {
        case 'ready': settleReady.resolve(); break;
        case 'failed':
          this.fail(msg.unloadable ? new UnloadableModelError(msg.message, 'model') : this.error(msg.message, msg.model));
          settleReady.reject(this.failure as Error);
          break;
        case 'vectors': this.settle(msg.id)?.resolve(new Float32Array(msg.vectors)); break;
        case 'error': this.settle(msg.id)?.reject(this.error(msg.message, msg.model)); break;
        default: { const never: never = msg; void never; }
      }
    });
    this.worker.on('error', (err) => {
      this.fail(this.error(err.message, false));
      settleReady.reject(this.failure as Error);
    });
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('exit', (code) => {
      this.fail(this.failure ?? new DriftError(`Model ${label}: an embedding worker stopped unexpectedly (exit code ${code}).`, 'model'));
      settleReady.reject(this.failure as Error);
    });
  }

  private error(message: string, model: boolean): Error {
    return model ? new DriftError(message, 'model') : new DriftError(`Model ${this.label}: inference failed (${message.split('\n')[0]}).`, 'model');
  }

  private settle(id: number) {
    const p = this.pending.get(id);
    this.pending.delete(id);
    return p;
  }

  fail(err: Error): void {
    this.failure ??= err;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }

  /**
   * Ends the thread. WASM is interrupted at once; a native session finishes the batch in hand
   * first (killing a thread inside onnxruntime-node aborts the process), so native batches are
   * kept small.
   */
  stop(backend: 'wasm' | 'native'): Promise<void> {
    if (backend === 'wasm') return this.worker.terminate().then(() => undefined);
    this.worker.ref(); // keep the process up until the thread has really gone
    this.worker.postMessage({ type: 'stop' } satisfies ToWorker);
    return this.exited;
  }

  run(ids: Int32Array, lengths: Int32Array, batch: number, seqLen: number): Promise<Float32Array> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const msg: ToWorker = { type: 'embed', id, ids: ids.buffer as ArrayBuffer, lengths: lengths.buffer as ArrayBuffer, batch, seqLen };
      this.worker.postMessage(msg, [ids.buffer as ArrayBuffer, lengths.buffer as ArrayBuffer]);
    });
  }
}

export interface Batch {
  ids: Int32Array;
  lengths: Int32Array;
  batch: number;
  seqLen: number;
}

export class WorkerPool {
  private readonly workers: EmbedWorker[];
  private terminated = false;
  private terminating: Promise<void> | undefined;
  /** runAll calls in flight: while any runs, the workers keep the process alive. */
  private running = 0;

  private readonly backend: 'wasm' | 'native';

  constructor(script: string, spec: SessionSpec, size: number, private readonly label: string) {
    this.backend = spec.backend;
    this.workers = Array.from({ length: Math.max(1, size) }, () => new EmbedWorker(script, spec, label));
  }

  get size(): number {
    return this.workers.length;
  }

  /** Resolves when every worker has its session, or rejects with the first start-up failure. */
  async ready(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.ready));
  }

  /**
   * Runs every batch on the free workers; `onBatch(index, vectors)` as each finishes.
   * On abort the workers are terminated and the call rejects with DriftError('cancelled');
   * the pool is then unusable (terminated).
   */
  async runAll(batches: Batch[], onBatch: (index: number, vectors: Float32Array) => void, signal?: AbortSignal): Promise<void> {
    if (this.terminated) throw new DriftError(`Model ${this.label}: the embedding pool was shut down.`, 'model');
    this.running++;
    for (const w of this.workers) w.worker.ref();
    const cancelled = new DriftError('Cancelled.', 'cancelled');
    const onAbort = () => {
      for (const w of this.workers) w.fail(cancelled);
      void this.terminate();
    };
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let next = 0;
    try {
      await Promise.all(this.workers.map(async (w) => {
        await w.ready;
        while (next < batches.length) {
          const index = next++;
          const b = batches[index] as Batch;
          onBatch(index, await w.run(b.ids, b.lengths, b.batch, b.seqLen));
        }
      }));
    } catch (err) {
      // One failure (a crashed worker, a model error) ends the whole call: stop the rest now, and
      // return only once every thread is gone. A cancel returns at once: a worker still compiling
      // ORT's WASM (V8 tier-up) takes seconds to exit, and it exits on its own (see terminate).
      if (signal?.aborted) {
        void this.terminate();
        throw cancelled;
      }
      await this.terminate();
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.running--;
      this.unrefIdle();
    }
  }

  /** Idle workers must not keep the process alive (the CLI exits when its work is done). */
  unrefIdle(): void {
    if (!this.terminated && this.running === 0) for (const w of this.workers) w.worker.unref();
  }

  /** Stops every worker; resolves when all have exited (repeat calls share the first). */
  terminate(): Promise<void> {
    this.terminated = true;
    this.terminating ??= Promise.all(this.workers.map((w) => w.stop(this.backend))).then(() => undefined);
    return this.terminating;
  }
}
