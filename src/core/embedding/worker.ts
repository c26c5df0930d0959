// Embedding worker thread: holds one ONNX Runtime session and answers batch requests from the
// pool (src/core/embedding/workerPool.ts). Token ids arrive and vectors leave as transferred
// ArrayBuffers, never as JSON arrays. On 'stop' it finishes the batch in hand, releases the
// session and exits: a native (onnxruntime-node) session must never be killed mid-run, because
// terminating the thread then aborts the whole process.
import { parentPort, workerData } from 'node:worker_threads';
import { EmbeddingSession, ModelError, type SessionSpec } from './session';
import type { FromWorker, ToWorker } from './workerProtocol';

const port = parentPort;
if (!port) throw new Error('embed-worker must run as a worker thread');

const post = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const describe = (err: unknown) => ({
  message: err instanceof Error ? err.message : String(err),
  model: err instanceof ModelError,
  unloadable: err instanceof ModelError && err.unloadable,
});

const ready = EmbeddingSession.create(workerData as SessionSpec);
ready.then(
  () => post({ type: 'ready' }),
  (err: unknown) => post({ type: 'failed', ...describe(err) }),
);

/** Jobs run one after another; 'stop' waits behind the one in hand. */
let queue: Promise<unknown> = ready.catch(() => undefined);
let stopping = false;

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'stop') {
    stopping = true;
    queue = queue
      .then(() => ready.then((session) => session.release(), () => undefined))
      .finally(() => process.exit(0));
    return;
  }
  queue = queue.then(async () => {
    if (stopping) return;
    try {
      const session = await ready;
      const vectors = await session.embed(new Int32Array(msg.ids), new Int32Array(msg.lengths), msg.batch, msg.seqLen);
      post({ type: 'vectors', id: msg.id, vectors: vectors.buffer as ArrayBuffer }, [vectors.buffer as ArrayBuffer]);
    } catch (err) {
      post({ type: 'error', id: msg.id, ...describe(err) });
    }
  });
});
