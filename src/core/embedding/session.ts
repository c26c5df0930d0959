// One ONNX Runtime session of a sentence-embedding graph, on WASM (onnxruntime-web) or native
// (onnxruntime-node): checks that the graph fits (input_ids + attention_mask in, token states
// out), runs one padded batch and pools it. Runs inside an embedding worker thread.
import type { Pooling } from '../config/types';
import { DriftError } from '../types';
import { hasNaN, poolRows } from './pooling';

export type Backend = 'wasm' | 'native';

export interface SessionSpec {
  onnxPath: string;
  backend: Backend;
  /** Folder URL holding ort-wasm-simd-threaded.{wasm,mjs} (wasm backend). */
  wasmPaths: string;
  /** Intra-op threads (native); WASM always runs one thread per worker. */
  threads: number;
  pooling: Pooling;
  normalize: boolean;
  label: string;
}

/** A failure the main thread turns into DriftError('model'). */
export class ModelError extends Error {
  /** True when the ONNX file itself could not be loaded (corrupt or not ONNX). */
  unloadable = false;
}

/** On the main thread: the model's ONNX file cannot be loaded, so a downloaded copy is suspect. */
export class UnloadableModelError extends DriftError {}

const ALLOWED_INPUTS = new Set(['input_ids', 'attention_mask', 'token_type_ids']);
const STATE_OUTPUTS = ['last_hidden_state', 'token_embeddings'];

type Ort = typeof import('onnxruntime-common');

function loadOrt(backend: Backend, wasmPaths: string): Ort {
  if (backend === 'native') return require('onnxruntime-node') as Ort;
  const ort = require('onnxruntime-web') as Ort;
  ort.env.wasm.wasmPaths = wasmPaths;
  // Parallelism comes from worker threads; ORT's own WASM threads gave nothing in Node.
  ort.env.wasm.numThreads = 1;
  return ort;
}

export class EmbeddingSession {
  private constructor(
    private readonly ort: Ort,
    private readonly session: import('onnxruntime-common').InferenceSession,
    private readonly spec: SessionSpec,
    private readonly output: string,
    private readonly wantsTokenTypes: boolean,
  ) {}

  static async create(spec: SessionSpec): Promise<EmbeddingSession> {
    const ort = loadOrt(spec.backend, spec.wasmPaths);
    let session: import('onnxruntime-common').InferenceSession;
    try {
      session = await ort.InferenceSession.create(spec.onnxPath, {
        graphOptimizationLevel: 'all',
        ...(spec.backend === 'native' ? { intraOpNumThreads: spec.threads, interOpNumThreads: 1 } : {}),
      });
    } catch (err) {
      const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0];
      const error = new ModelError(`Model ${spec.label}: ${spec.onnxPath} is not a loadable ONNX graph (${reason}).`);
      error.unloadable = true;
      throw error;
    }
    const inputs = session.inputNames;
    const missing = ['input_ids', 'attention_mask'].filter((n) => !inputs.includes(n));
    const unknown = inputs.filter((n) => !ALLOWED_INPUTS.has(n));
    const output = STATE_OUTPUTS.find((n) => session.outputNames.includes(n)) ??
      (session.outputNames.includes('sentence_embedding') ? 'sentence_embedding' : undefined);
    if (missing.length > 0 || unknown.length > 0 || !output) {
      await session.release();
      throw new ModelError(`Model ${spec.label}: the ONNX graph does not fit a sentence-embedding model ` +
        `(inputs ${inputs.join(', ') || 'none'}; outputs ${session.outputNames.join(', ') || 'none'}; ` +
        'needs input_ids and attention_mask in and last_hidden_state, token_embeddings or sentence_embedding out).');
    }
    return new EmbeddingSession(ort, session, spec, output, inputs.includes('token_type_ids'));
  }

  /** ids: batch x seqLen token ids, right-padded; lengths: real tokens per row. Returns batch x dim. */
  async embed(ids: Int32Array, lengths: Int32Array, batch: number, seqLen: number): Promise<Float32Array> {
    const inputIds = new BigInt64Array(batch * seqLen);
    const mask = new BigInt64Array(batch * seqLen);
    for (let b = 0; b < batch; b++) {
      const len = lengths[b] ?? 0;
      for (let t = 0; t < seqLen; t++) {
        const i = b * seqLen + t;
        inputIds[i] = BigInt(ids[i] ?? 0);
        mask[i] = t < len ? 1n : 0n;
      }
    }
    const dims = [batch, seqLen];
    const feeds: Record<string, import('onnxruntime-common').Tensor> = {
      input_ids: new this.ort.Tensor('int64', inputIds, dims),
      attention_mask: new this.ort.Tensor('int64', mask, dims),
    };
    if (this.wantsTokenTypes) feeds['token_type_ids'] = new this.ort.Tensor('int64', new BigInt64Array(batch * seqLen), dims);
    let result: Awaited<ReturnType<typeof this.session.run>>;
    try {
      result = await this.session.run(feeds, [this.output]);
    } catch (err) {
      throw outOfVocabulary(err, this.spec.label) ?? err;
    }
    const tensor = result[this.output];
    if (!tensor || tensor.type !== 'float32') {
      throw new ModelError(`Model ${this.spec.label}: output ${this.output} is ${tensor?.type ?? 'missing'}, expected float32.`);
    }
    const data = tensor.data as Float32Array;
    const shape = tensor.dims;
    let pooled: Float32Array;
    if (shape.length === 3 && shape[0] === batch && shape[1] === seqLen) {
      pooled = poolRows(data, batch, seqLen, shape[2] as number, lengths, this.spec.pooling, this.spec.normalize);
    } else if (shape.length === 2 && shape[0] === batch) {
      pooled = poolRows(data, batch, 1, shape[1] as number, new Int32Array(batch).fill(1), 'cls', this.spec.normalize);
    } else {
      throw new ModelError(`Model ${this.spec.label}: output ${this.output} has shape [${shape.join(', ')}], expected [${batch}, ${seqLen}, dim].`);
    }
    tensor.dispose?.();
    if (hasNaN(pooled)) throw new ModelError(`Model ${this.spec.label} produced NaN values; its weights are broken or it does not support this input.`);
    return pooled;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/**
 * ORT's out-of-bounds Gather on the embedding table means the tokenizer yields ids the graph does
 * not have: say that, instead of the runtime's node names.
 */
function outOfVocabulary(err: unknown, label: string): ModelError | undefined {
  const m = /indices element out of data bounds, idx=(-?\d+) must be within the inclusive range \[-?\d+,\s*(\d+)\]/.exec(err instanceof Error ? err.message : String(err));
  if (!m) return undefined;
  return new ModelError(`Model ${label}: its tokenizer gave token id ${m[1]}, but the ONNX graph's vocabulary has ${Number(m[2]) + 1} entries; tokenizer.json does not match the model.`);
}
