// The embedder contract every model source implements (built-in, ONNX, hosted endpoint).
import type { RunOptions } from '../types';
import type { Tokenizer } from '../tokenizers/types';

export type TextKind = 'document' | 'query';

export interface EmbedResult {
  /** n x dimension, row-major; rows unit length when the model normalizes. */
  vectors: Float32Array;
  /** How many inputs were longer than maxTokens and cut. */
  truncated: number;
  /** 1 where input i was cut (same order as the inputs), when the embedder knows which ones. */
  truncatedRows?: Uint8Array;
}

export interface Embedder {
  /** Changes whenever the vectors could change (source, revision/file hash, dtype, pooling, prefixes...). */
  readonly fingerprint: string;
  readonly dimension: number;
  /** Human name for messages and the report, e.g. "builtin:lexical" or "Xenova/bge-small-en-v1.5". */
  readonly label: string;
  /** Maximum sequence length in the model's own tokens, when it has one. */
  readonly maxTokens?: number | undefined;
  /** The model's own tokenizer (for truncation accounting and tokenization views). */
  readonly tokenizer: Tokenizer;
  embed(texts: string[], options: RunOptions & { kind: TextKind }): Promise<EmbedResult>;
  /**
   * Loads the model now (an ONNX model's worker threads) when it is not loaded, so the next embed
   * does not wait for it; resolves either way (a model that fails to load fails that embed).
   */
  warm?(): Promise<void>;
  dispose(): Promise<void>;
}
