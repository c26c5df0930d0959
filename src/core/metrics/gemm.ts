// The space metrics' float64 products (X^T X, X^T Y, X W over d x d) on onnxruntime-node's Gemm
// where it loads: at 2,000 x 384 x 384, 16-19 ms against 0.6-0.9 s for the JavaScript loops on
// these cores, and these products were most of the space section (CKA, the Procrustes map) that a
// live update redoes. Where the runtime is absent (the extension's .vsix) or the product is small,
// the JavaScript kernels of linalg.ts answer. Either way a product depends only on its inputs and
// its size, so a warm session's report still equals a one-off run's on the same machine.
import { gemmGraph, inverseGraph } from '../index/onnxGraph';
import { loadOrtNode, type OrtSession } from '../index/ortNode';
import { availableParallelism } from 'node:os';
import { mirrorUpper, times, transposeTimesSelfYielding, transposeTimesYielding, type Matrix } from './linalg';

/** Multiply-adds below which the JavaScript loop answers (a session run costs about 0.1 ms). */
const NATIVE_WORK = 1e6;

const sessions = new Map<string, Promise<OrtSession | null>>();

/** One session per graph for the process (they hold no data, only the graph). */
function session(key: string, graph: () => Uint8Array): Promise<OrtSession | null> {
  let s = sessions.get(key);
  if (!s) {
    s = loadOrtNode().then((ort) => ort?.InferenceSession.create(graph(), {
      intraOpNumThreads: availableParallelism(), interOpNumThreads: 1, graphOptimizationLevel: 'all',
    }) ?? null).catch(() => null);
    sessions.set(key, s);
  }
  return s;
}

/**
 * op(a) . op(b) on onnxruntime-node (op = transpose where asked), or null when the runtime is not
 * there. `a` is m x k (k x m transposed), `b` k x n (n x k transposed).
 */
export async function nativeGemm(a: Matrix, b: Matrix, transA: boolean, transB: boolean): Promise<Matrix | null> {
  const s = await session(`gemm ${transA} ${transB}`, () => gemmGraph(transA, transB));
  const ort = await loadOrtNode();
  if (!s || !ort) return null;
  const out = await s.run({ a: new ort.Tensor('float64', a.data, [a.rows, a.cols]), b: new ort.Tensor('float64', b.data, [b.rows, b.cols]) });
  const c = out['c']!;
  return { rows: c.dims[0]!, cols: c.dims[1]!, data: c.data as Float64Array };
}

/** a^-1 for a square `a` on onnxruntime-node, or null when the runtime (or its Inverse operator) is not there. */
export async function nativeInverse(a: Matrix): Promise<Matrix | null> {
  const s = await session('inverse', inverseGraph);
  const ort = await loadOrtNode();
  if (!s || !ort) return null;
  const out = await s.run({ a: new ort.Tensor('float64', a.data, [a.rows, a.cols]) });
  return { rows: a.rows, cols: a.cols, data: out['c']!.data as Float64Array };
}

/** X^T Y for X (n x p), Y (n x q). */
export async function productTransposed(x: Matrix, y: Matrix, pause: () => Promise<void>): Promise<Matrix> {
  const native = x.rows * x.cols * y.cols >= NATIVE_WORK ? await nativeGemm(x, y, true, false) : null;
  if (!native) return transposeTimesYielding(x, y, pause);
  await pause();
  return native;
}

/** X^T X for X (n x p), exactly symmetric (the eigensolver reads one triangle, Procrustes both). */
export async function productSelf(x: Matrix, pause: () => Promise<void>): Promise<Matrix> {
  const native = x.rows * x.cols * x.cols >= NATIVE_WORK ? await nativeGemm(x, x, true, false) : null;
  if (!native) return transposeTimesSelfYielding(x, pause);
  mirrorUpper(native);
  await pause();
  return native;
}

/** X W for X (n x p), W (p x q). */
export async function product(x: Matrix, w: Matrix, pause: () => Promise<void>): Promise<Matrix> {
  const native = x.rows * x.cols * w.cols >= NATIVE_WORK ? await nativeGemm(x, w, false, false) : null;
  if (!native) return times(x, w, pause);
  await pause();
  return native;
}
