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

/** Runs a one-node float64 graph on `feeds` and returns its output `c`, or null without the runtime. */
async function runNative(key: string, graph: () => Uint8Array, feeds: Matrix[], rows: number, cols: number): Promise<Matrix | null> {
  const [s, ort] = await Promise.all([session(key, graph), loadOrtNode()]);
  if (!s || !ort) return null;
  const names = ['a', 'b'];
  const out = await s.run(Object.fromEntries(feeds.map((m, i) => [names[i]!, new ort.Tensor('float64', m.data, [m.rows, m.cols])])));
  return { rows, cols, data: out['c']!.data as Float64Array };
}

/**
 * op(a) . op(b) on onnxruntime-node (op = transpose where asked), or null when the runtime is not
 * there. `a` is m x k (k x m transposed), `b` k x n (n x k transposed).
 */
export function nativeGemm(a: Matrix, b: Matrix, transA: boolean, transB: boolean): Promise<Matrix | null> {
  return runNative(`gemm ${transA} ${transB}`, () => gemmGraph(transA, transB), [a, b], transA ? a.cols : a.rows, transB ? b.rows : b.cols);
}

/** a^-1 for a square `a` on onnxruntime-node, or null when the runtime (or its Inverse operator) is not there. */
export function nativeInverse(a: Matrix): Promise<Matrix | null> {
  return runNative('inverse', inverseGraph, [a], a.rows, a.cols);
}

/**
 * The native product when it is worth a session run (`work` multiply-adds) and the runtime is
 * there, else the JavaScript kernel; the event loop gets a turn after a native one too.
 */
async function nativeOr(work: number, native: () => Promise<Matrix | null>, js: () => Promise<Matrix>, pause: () => Promise<void>): Promise<Matrix> {
  const out = work >= NATIVE_WORK ? await native() : null;
  if (!out) return js();
  await pause();
  return out;
}

/** X^T Y for X (n x p), Y (n x q). */
export function productTransposed(x: Matrix, y: Matrix, pause: () => Promise<void>): Promise<Matrix> {
  return nativeOr(x.rows * x.cols * y.cols, () => nativeGemm(x, y, true, false), () => transposeTimesYielding(x, y, pause), pause);
}

/** X^T X for X (n x p), exactly symmetric (the eigensolver reads one triangle, Procrustes both). */
export function productSelf(x: Matrix, pause: () => Promise<void>): Promise<Matrix> {
  return nativeOr(x.rows * x.cols * x.cols, async () => {
    const out = await nativeGemm(x, x, true, false);
    if (out) mirrorUpper(out);
    return out;
  }, () => transposeTimesSelfYielding(x, pause), pause);
}

/** X W for X (n x p), W (p x q). */
export function product(x: Matrix, w: Matrix, pause: () => Promise<void>): Promise<Matrix> {
  return nativeOr(x.rows * x.cols * w.cols, () => nativeGemm(x, w, false, false), () => times(x, w, pause), pause);
}
