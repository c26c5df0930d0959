// Messages between the embedding pool (main thread) and its worker threads.

export type ToWorker = { type: 'stop' } | {
  type: 'embed';
  id: number;
  /** Int32Array buffer, batch x seqLen token ids, right-padded. */
  ids: ArrayBuffer;
  /** Int32Array buffer, real tokens per row. */
  lengths: ArrayBuffer;
  batch: number;
  seqLen: number;
};

export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; message: string; model: boolean; unloadable: boolean }
  | { type: 'vectors'; id: number; vectors: ArrayBuffer }
  | { type: 'error'; id: number; message: string; model: boolean; unloadable: boolean };
