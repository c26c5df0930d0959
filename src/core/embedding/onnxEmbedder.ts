// The ONNX embedder: transformers.js tokenizes on the main thread (so inputs can be sorted by
// length into batches with little padding), a pool of worker threads runs ONNX Runtime (WASM by
// default, native when asked or available) and pools the token states into vectors.
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import type { Dtype, Pooling } from '../config/types';
import { fromTransformersTokenizer } from '../tokenizers/hf';
import { DriftError, throwIfAborted, type RunOptions } from '../types';
import { withCountMemo, type CountingTokenizer } from './countMemo';
import type { ModelFolder } from './modelFolder';
import type { Backend, SessionSpec } from './session';
import type { EmbedResult, Embedder, TextKind } from './types';
import { packageRoot, wasmAssetsUrl, WorkerPool, workerScript, type Batch } from './workerPool';
import { yielder } from '../yielding';

export interface OnnxEmbedderOptions {
  model: ModelFolder;
  /** Human name, e.g. the Hub id or the folder. */
  label: string;
  /** What identifies the source in the fingerprint, e.g. "hub:Xenova/x@main" or "local". */
  source: string;
  dtype: Dtype;
  pooling: Pooling;
  normalize: boolean;
  queryPrefix: string;
  documentPrefix: string;
  backend: 'wasm' | 'native' | 'auto';
  /** Worker threads (default: one per core). */
  workers?: number | undefined;
  /** Most texts per batch (default 32); a batch also stays under `batchTokens` padded tokens (default 512 native, 4096 WASM). */
  batchSize?: number;
  batchTokens?: number;
  /**
   * Looks up the dimension an earlier run recorded for this fingerprint (the embedding cache's
   * manifest). When it answers, create() skips the probe and the workers start on the first embed,
   * so a rerun whose chunks are all cached never loads the model.
   */
  recordedDimension?: ((fingerprint: string) => Promise<number | undefined>) | undefined;
}

interface TransformersTokenizer {
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
  pad_token_id?: number | null;
}

/** True when onnxruntime-node loads in this process (its binary exists for this platform). */
export function nativeRuntimeAvailable(): boolean {
  try {
    require('onnxruntime-node');
    return true;
  } catch {
    return false;
  }
}

export function resolveBackend(requested: 'wasm' | 'native' | 'auto', label: string): Backend {
  if (requested === 'wasm') return 'wasm';
  const available = nativeRuntimeAvailable();
  if (requested === 'native' && !available) {
    throw new DriftError(`Model ${label}: backend 'native' needs onnxruntime-node, which does not load here; use backend 'wasm' or 'auto'.`, 'model');
  }
  return available ? 'native' : 'wasm';
}

/** Where `body` (a text's ids without special tokens) sits inside `ids` (with them), or -1. */
function bodyOffset(ids: readonly number[], body: readonly number[]): number {
  for (let at = 0; at <= ids.length - body.length; at++) if (body.every((id, i) => ids[at + i] === id)) return at;
  return -1;
}

export class OnnxEmbedder implements Embedder {
  readonly fingerprint: string;
  readonly label: string;
  readonly maxTokens: number | undefined;
  readonly tokenizer: CountingTokenizer;
  readonly backend: Backend;
  dimension = 0;
  private pool: WorkerPool | undefined;
  private readonly spec: SessionSpec;
  private readonly script: string;
  private readonly workers: number;
  private readonly padId: number;
  /** The special tokens around every single text (before / after it); null when a probe could not find them. */
  private wrap: { head: number[]; tail: number[] } | null | undefined;

  private constructor(private readonly options: OnnxEmbedderOptions, private readonly tok: TransformersTokenizer) {
    const { model } = options;
    this.label = options.label;
    this.maxTokens = model.maxTokens;
    // Keyed by the tokenizer files' hash (part of contentHash): a rerun with this model counts only new chunks.
    this.tokenizer = withCountMemo(fromTransformersTokenizer(tok as never, options.label), model.contentHash);
    this.backend = resolveBackend(options.backend, options.label);
    this.workers = Math.max(1, options.workers ?? os.availableParallelism());
    const root = packageRoot();
    this.script = workerScript(root);
    this.spec = {
      onnxPath: model.onnxPath,
      backend: this.backend,
      wasmPaths: wasmAssetsUrl(root),
      threads: Math.max(1, Math.floor(os.availableParallelism() / this.workers)),
      pooling: options.pooling,
      normalize: options.normalize,
      label: options.label,
    };
    this.padId = typeof tok.pad_token_id === 'number' ? tok.pad_token_id : 0;
    // The backend is left out on purpose: WASM and native agree within float rounding (tested),
    // so their vectors share one cache.
    this.fingerprint = 'onnx:' + createHash('sha256').update(JSON.stringify({
      v: 1, source: options.source, content: model.contentHash, dtype: options.dtype, pooling: options.pooling,
      normalize: options.normalize, queryPrefix: options.queryPrefix, documentPrefix: options.documentPrefix,
      maxTokens: model.maxTokens ?? null,
    })).digest('hex');
  }

  /** Loads the tokenizer, starts the workers and embeds a probe text, so a broken model fails here. */
  static async create(options: OnnxEmbedderOptions, run: RunOptions = {}): Promise<OnnxEmbedder> {
    let tok: TransformersTokenizer;
    try {
      const { PreTrainedTokenizer } = await import('@huggingface/transformers');
      tok = new PreTrainedTokenizer(options.model.tokenizerJson, options.model.tokenizerConfig) as unknown as TransformersTokenizer;
    } catch (err) {
      const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0];
      throw new DriftError(`Model ${options.label}: cannot load tokenizer.json from ${options.model.folder} (${reason}).`, 'model', { cause: err });
    }
    const embedder = new OnnxEmbedder(options, tok);
    const recorded = await options.recordedDimension?.(embedder.fingerprint);
    if (recorded !== undefined) {
      // The fingerprint covers the model file's content hash: this exact model loaded and embedded before.
      embedder.dimension = recorded;
      return embedder;
    }
    try {
      const probe = await embedder.embed(['embedding drift'], { kind: 'document', signal: run.signal });
      embedder.dimension = probe.vectors.length;
    } catch (err) {
      await embedder.dispose();
      throw err;
    }
    return embedder;
  }

  /**
   * Token ids with special tokens, cut at maxTokens. The text's own tokens are cut and the special
   * tokens around them kept (as Python transformers does: [CLS] ... [SEP]); transformers.js's
   * `truncation` drops the closing special token instead.
   */
  private tokenize(text: string): { ids: number[]; cut: boolean; count: number | undefined } {
    const ids = this.tok.encode(text);
    const max = this.maxTokens;
    if (max === undefined || ids.length <= max) return { ids, cut: false, count: this.textTokens(ids) };
    const body = this.tok.encode(text, { add_special_tokens: false });
    const specials = ids.length - body.length;
    const prefix = bodyOffset(ids, body);
    if (prefix < 0 || max <= specials) return { ids: ids.slice(0, max), cut: true, count: body.length };
    return { ids: [...ids.slice(0, prefix), ...body.slice(0, max - specials), ...ids.slice(prefix + body.length)], cut: true, count: body.length };
  }

  /**
   * The text's own tokens in `ids`, i.e. what `tokenizer.count` gives: `ids` less the special
   * tokens the tokenizer puts around every single text (learned once from a probe); undefined when
   * `ids` does not start and end with them.
   */
  private textTokens(ids: number[]): number | undefined {
    if (this.wrap === undefined) {
      const probe = 'embedding drift';
      const full = this.tok.encode(probe);
      const body = this.tok.encode(probe, { add_special_tokens: false });
      const at = bodyOffset(full, body);
      this.wrap = at < 0 ? null : { head: full.slice(0, at), tail: full.slice(at + body.length) };
    }
    const w = this.wrap;
    if (!w || ids.length < w.head.length + w.tail.length) return undefined;
    const from = ids.length - w.tail.length;
    if (!w.head.every((id, i) => ids[i] === id) || !w.tail.every((id, i) => ids[from + i] === id)) return undefined;
    return ids.length - w.head.length - w.tail.length;
  }

  async embed(texts: string[], options: RunOptions & { kind: TextKind }): Promise<EmbedResult> {
    const { signal } = options;
    throwIfAborted(signal);
    if (texts.length === 0) return { vectors: new Float32Array(0), truncated: 0, truncatedRows: new Uint8Array(0) };
    const prefix = options.kind === 'query' ? this.options.queryPrefix : this.options.documentPrefix;
    const encoded: Array<{ ids: number[]; cut: boolean }> = [];
    // Let an abort (and everything else on this thread) through during long tokenization.
    const pause = yielder(signal);
    // A document's token count is known here; the truncation view would otherwise tokenize it again.
    const remember = options.kind === 'document' && prefix === '';
    for (const text of texts) {
      const tokens = this.tokenize(prefix + text);
      if (remember && tokens.count !== undefined) this.tokenizer.remember(text, tokens.count);
      encoded.push(tokens);
      await pause();
    }
    const truncatedRows = new Uint8Array(texts.length);
    encoded.forEach((e, i) => { truncatedRows[i] = e.cut ? 1 : 0; });

    const { batches, members } = this.formBatches(encoded);
    const pool = await this.ensurePool(signal);
    let vectors: Float32Array | undefined;
    let done = 0;
    options.onProgress?.({ stage: 'embed', done: 0, total: texts.length });
    try {
      await pool.runAll(batches, (index, rows) => {
        const dim = rows.length / (batches[index] as Batch).batch;
        vectors ??= new Float32Array(texts.length * dim);
        (members[index] as number[]).forEach((input, r) => vectors!.set(rows.subarray(r * dim, (r + 1) * dim), input * dim));
        done += (members[index] as number[]).length;
        options.onProgress?.({ stage: 'embed', done, total: texts.length });
      }, signal);
    } catch (err) {
      // The pool terminates itself on abort or failure; the next call starts a fresh one.
      this.pool = undefined;
      throw err;
    }
    if (this.dimension > 0 && vectors !== undefined && vectors.length !== texts.length * this.dimension) {
      throw new DriftError(`Model ${this.label}: gives vectors of dimension ${vectors.length / texts.length}, but its embedding cache recorded ${this.dimension}; clear the cache and run again.`, 'model');
    }
    return { vectors: vectors ?? new Float32Array(0), truncated: truncatedRows.reduce((a, b) => a + b, 0), truncatedRows };
  }

  /** Sorts inputs by token count (longest first, so the tail is short) and packs padded batches. */
  private formBatches(encoded: Array<{ ids: number[] }>): { batches: Batch[]; members: number[][] } {
    // At least about four batches per worker, so no worker idles while another finishes a big
    // last batch (48 texts in batches of 32 would leave one of two workers idle for 2/3 of the time).
    const balanced = Math.max(4, Math.ceil(encoded.length / (this.workers * 4)));
    const maxTexts = Math.min(this.options.batchSize ?? 32, balanced);
    // A native batch cannot be interrupted (see EmbedWorker.stop): 512 tokens keep an abort
    // under about a second on a MiniLM-sized model; WASM is interrupted at once.
    const maxTokens = this.options.batchTokens ?? (this.backend === 'native' ? 512 : 4096);
    const order = encoded.map((_, i) => i).sort((a, b) => (encoded[b]?.ids.length ?? 0) - (encoded[a]?.ids.length ?? 0) || a - b);
    const batches: Batch[] = [];
    const members: number[][] = [];
    for (let start = 0; start < order.length;) {
      const seqLen = Math.max(1, encoded[order[start] as number]?.ids.length ?? 1);
      const count = Math.max(1, Math.min(maxTexts, Math.floor(maxTokens / seqLen), order.length - start));
      const group = order.slice(start, start + count);
      const ids = new Int32Array(count * seqLen).fill(this.padId);
      const lengths = new Int32Array(count);
      group.forEach((input, r) => {
        const row = encoded[input]?.ids ?? [];
        ids.set(row, r * seqLen);
        lengths[r] = row.length;
      });
      batches.push({ ids, lengths, batch: count, seqLen });
      members.push(group);
      start += count;
    }
    return { batches, members };
  }

  async warm(): Promise<void> {
    const pool = await this.ensurePool(undefined).catch(() => undefined);
    pool?.unrefIdle();
  }

  private async ensurePool(signal: AbortSignal | undefined): Promise<WorkerPool> {
    // A pool still loading (started by warm()) is handed out too: runAll waits for its workers.
    if (this.pool) return this.pool;
    const pool = new WorkerPool(this.script, this.spec, this.workers, this.label);
    this.pool = pool;
    // Loading a large model takes seconds: an abort meanwhile ends it at once.
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new DriftError('Cancelled.', 'cancelled'));
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => undefined);
    try {
      await Promise.race([pool.ready(), aborted]);
    } catch (err) {
      // Cancelled while loading: the workers exit on their own, without holding up the caller.
      const stopping = pool.terminate();
      if (this.pool === pool) this.pool = undefined;
      if (!signal?.aborted) await stopping;
      throw err;
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
    return pool;
  }

  async dispose(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.terminate();
  }
}
