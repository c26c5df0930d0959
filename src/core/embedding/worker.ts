// Embedding worker thread: holds one ONNX Runtime session and answers batch requests from the
// pool (src/core/embedding/workerPool.ts). Token ids arrive and vectors leave as transferred
// ArrayBuffers, never as JSON arrays.
import { parentPort, workerData } from 'node:worker_threads';
import { EmbeddingSession, ModelError, type SessionSpec } from './session';
import type { FromWorker, ToWorker } from './workerProtocol';

const port = parentPort;
if (!port) throw new Error('embed-worker must run as a worker thread');

const post = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const describe = (err: unknown) => ({ message: err instanceof Error ? err.message : String(err), model: err instanceof ModelError });

const ready = EmbeddingSession.create(workerData as SessionSpec);
ready.then(
  () => post({ type: 'ready' }),
  (err: unknown) => post({ type: 'failed', ...describe(err) }),
);

port.on('message', (msg: ToWorker) => {
  if (msg.type !== 'embed') return;
  ready
    .then((session) => session.embed(new Int32Array(msg.ids), new Int32Array(msg.lengths), msg.batch, msg.seqLen))
    .then(
      (vectors) => post({ type: 'vectors', id: msg.id, vectors: vectors.buffer as ArrayBuffer }, [vectors.buffer as ArrayBuffer]),
      (err: unknown) => post({ type: 'error', id: msg.id, ...describe(err) }),
    );
});
