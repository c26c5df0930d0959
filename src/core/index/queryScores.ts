// Queries scored against every chunk of one side: the full row of cosines (percentiles and
// out-of-distribution flags need all of them) and the top `depth`, for anchors, plain queries and
// the query playground's vectors settings. The dot products run in WebAssembly SIMD (dotKernel.wat)
// where the runtime has it, else in JavaScript: both are the same float64 sums in dimension order.
import { dotKernelBase64 } from '../../generated/dotKernel';
import { gatherRows, matchRows } from '../rows';
import { throwIfAborted } from '../types';
import { yielder } from '../yielding';

/** One query's cosines with every chunk and its top `depth`, best first (ties: lower index). */
export interface QueryScores {
  scores: Float32Array;
  top: number[];
}

/** Where the dot products run: WebAssembly SIMD (src/core/index/dotKernel.wat) or plain JavaScript; both give the same bits. */
export type DotKernelKind = 'wasm' | 'js';

export async function scoreQueries(queries: Float32Array, chunks: Float32Array, n: number, dim: number, depth: number, signal?: AbortSignal): Promise<QueryScores[]> {
  return scoreQueriesOn(preferredDotKernel(), queries, chunks, n, dim, depth, signal);
}

/**
 * `scoreQueries` on the given kernel. Chunk rows are copied (as float64) a block at a time, never a
 * whole side, and every query of a group of up to QUERY_BYTES is scored against the block before the
 * next; each kernel call scores at most CALL_QUERIES queries against one block, then the loop may yield.
 */
export async function scoreQueriesOn(
  kind: DotKernelKind, queries: Float32Array, chunks: Float32Array, n: number, dim: number, depth: number, signal?: AbortSignal,
): Promise<QueryScores[]> {
  const m = dim === 0 ? 0 : queries.length / dim;
  const pause = yielder(signal);
  throwIfAborted(signal);
  const rows = Array.from({ length: m }, () => new Float32Array(n));
  if (m > 0 && n > 0) {
    const queryCap = Math.min(roundUp4(m), Math.max(4, roundDown4(QUERY_BYTES / (8 * dim))));
    const blockRows = Math.min(roundUp4(n), Math.max(4, roundDown4(BLOCK_BYTES / (8 * dim))));
    const k = kind === 'wasm' ? wasmKernel(queryCap, blockRows, dim) : jsKernel(queryCap, blockRows, dim);
    try {
      for (let q0 = 0; q0 < m; q0 += queryCap) {
        const mq = Math.min(queryCap, m - q0);
        interleaveQueries(queries, q0, mq, dim, k.queries);
        for (let j0 = 0; j0 < n; j0 += blockRows) {
          const nb = Math.min(blockRows, n - j0);
          const nb4 = roundUp4(nb);
          // Float32 to float64 (exact), the padding rows zero.
          k.chunks.set(chunks.subarray(j0 * dim, (j0 + nb) * dim));
          k.chunks.fill(0, nb * dim, nb4 * dim);
          for (let g0 = 0; g0 < mq; g0 += CALL_QUERIES) {
            await pause();
            const nq = Math.min(CALL_QUERIES, roundUp4(mq) - g0);
            k.score(g0, nq, nb4);
            for (let i = 0; i < nq && g0 + i < mq; i++) rows[q0 + g0 + i]!.set(k.scores.subarray(i * nb4, i * nb4 + nb), j0);
          }
        }
      }
    } finally {
      k.release();
    }
  }
  return rows.map((scores) => ({ scores, top: topIndices(scores, depth) }));
}

/** Bytes of float64 query rows held for the kernel at once, and of float64 chunk rows per block (about L2's size). */
const QUERY_BYTES = 3 << 20;
const BLOCK_BYTES = 3 << 19;
/** Queries per kernel call (a multiple of 4): 64 x 512 chunks x 384 is a few milliseconds between chances to yield. */
const CALL_QUERIES = 64;

function roundUp4(x: number): number { return (x + 3) & ~3; }
function roundDown4(x: number): number { return Math.floor(x) & ~3; }

/**
 * The kernels' shared layout: `queries` holds query rows in groups of 4, interleaved (query 4k+i,
 * dimension d at (4k * dim) + 4d + i), `chunks` a block of chunk rows (row-major), `scores` one row of
 * `nc` per query of a call. `score(g0, nq, nc)` scores queries g0..g0+nq of `queries` against the
 * first `nc` chunk rows; g0, nq and nc are multiples of 4 (padding rows are zeros, their scores unused).
 */
interface DotKernel {
  queries: Float64Array;
  chunks: Float64Array;
  scores: Float32Array;
  score(g0: number, nq: number, nc: number): void;
  /** The scoring is done with the kernel's arrays. */
  release(): void;
}

/** Rows q0..q0+mq of `queries` into `out` in the kernels' interleaved layout, zero rows up to a multiple of 4. */
function interleaveQueries(queries: Float32Array, q0: number, mq: number, dim: number, out: Float64Array): void {
  for (let i = 0; i < roundUp4(mq); i++) {
    const base = (i >> 2) * 4 * dim + (i & 3);
    const a = (q0 + i) * dim;
    if (i >= mq) { for (let d = 0; d < dim; d++) out[base + 4 * d] = 0; continue; }
    for (let d = 0; d < dim; d++) out[base + 4 * d] = queries[a + d]!;
  }
}

/** The JavaScript kernel: 4 queries x 2 chunks per pass, eight float64 sums, each in dimension order. */
function jsKernel(queryCap: number, blockRows: number, dim: number): DotKernel {
  const queries = new Float64Array(roundUp4(queryCap) * dim);
  const chunks = new Float64Array(blockRows * dim);
  const scores = new Float32Array(CALL_QUERIES * blockRows);
  return { queries, chunks, scores, score: (g0, nq, nc) => jsScore(queries, g0, nq, chunks, nc, dim, scores), release: () => undefined };
}

function jsScore(qi: Float64Array, g0: number, nq: number, cb: Float64Array, nc: number, dim: number, out: Float32Array): void {
  for (let g = 0; g < nq; g += 4) {
    const p0 = (g0 + g) * dim;
    for (let j = 0; j < nc; j += 2) {
      const b = j * dim;
      const c = b + dim;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
      for (let d = 0, p = p0; d < dim; d++, p += 4) {
        const y = cb[b + d]!, z = cb[c + d]!;
        const x0 = qi[p]!, x1 = qi[p + 1]!, x2 = qi[p + 2]!, x3 = qi[p + 3]!;
        s0 += x0 * y; s1 += x1 * y; s2 += x2 * y; s3 += x3 * y;
        t0 += x0 * z; t1 += x1 * z; t2 += x2 * z; t3 += x3 * z;
      }
      const o = g * nc + j;
      out[o] = s0; out[o + 1] = t0;
      out[o + nc] = s1; out[o + nc + 1] = t1;
      out[o + 2 * nc] = s2; out[o + 2 * nc + 1] = t2;
      out[o + 3 * nc] = s3; out[o + 3 * nc + 1] = t3;
    }
  }
}

/** The compiled WebAssembly kernel, or null where the runtime lacks WebAssembly SIMD (then JavaScript scores). */
let dotModule: WebAssembly.Module | null | undefined;

function compiledDotModule(): WebAssembly.Module | null {
  if (dotModule === undefined) dotModule = dotModuleFrom(Uint8Array.from(atob(dotKernelBase64), (ch) => ch.charCodeAt(0)));
  return dotModule;
}

/** `bytes` compiled, or null where they do not validate (no SIMD) or the runtime has no WebAssembly (node --jitless). */
export function dotModuleFrom(bytes: Uint8Array<ArrayBuffer>): WebAssembly.Module | null {
  try {
    return WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    return null;
  }
}

/** The kernel `scoreQueries` uses: WebAssembly SIMD where it compiles, else JavaScript. */
export function preferredDotKernel(): DotKernelKind {
  return compiledDotModule() ? 'wasm' : 'js';
}

interface DotInstance {
  memory: WebAssembly.Memory;
  score: (q: number, nq: number, c: number, nc: number, dim: number, out: number) => void;
}

/** Instances no scoring holds: reused (growing their memory as needed) instead of a new memory per scoring. */
const idleInstances: DotInstance[] = [];
const MAX_IDLE_INSTANCES = 2;

/**
 * A WebAssembly kernel on an instance of its own while the scoring runs (concurrent scorings never
 * share a memory), handed back by `release`. Falls back to the JavaScript kernel if the module is
 * missing or cannot be instantiated.
 */
function wasmKernel(queryCap: number, blockRows: number, dim: number): DotKernel {
  const module = compiledDotModule();
  if (!module) return jsKernel(queryCap, blockRows, dim);
  const qBytes = roundUp4(queryCap) * dim * 8;
  const cBytes = blockRows * dim * 8;
  const total = qBytes + cBytes + CALL_QUERIES * blockRows * 4;
  let instance = idleInstances.pop();
  try {
    instance ??= new WebAssembly.Instance(module, {}).exports as unknown as DotInstance;
    const pages = Math.ceil(total / 65536);
    const have = instance.memory.buffer.byteLength / 65536;
    if (pages > have) instance.memory.grow(pages - have);
  } catch {
    return jsKernel(queryCap, blockRows, dim);
  }
  const buffer = instance.memory.buffer;
  const { score } = instance;
  return {
    queries: new Float64Array(buffer, 0, qBytes / 8),
    chunks: new Float64Array(buffer, qBytes, cBytes / 8),
    scores: new Float32Array(buffer, qBytes + cBytes, CALL_QUERIES * blockRows),
    score: (g0, nq, nc) => score(g0 * dim * 8, nq, qBytes, nc, dim, qBytes + cBytes),
    release: () => { if (idleInstances.length < MAX_IDLE_INSTANCES) idleInstances.push(instance); },
  };
}

/** A scoring a later one may reuse: the query rows, the chunk rows and what came out. */
export interface ScoredRows {
  queries: Float32Array;
  chunks: Float32Array;
  dim: number;
  scores: QueryScores[];
}

/**
 * `scoreQueries`, reusing `previous` (a warm session's last scoring of the same kind): a query whose
 * float bits equal a previous query's keeps that query's score for every chunk whose bits equal a
 * previous chunk's, and only the other chunks are scored. Each score is one dot product summed in
 * dimension order, so a kept score is the bits scoring it again would give; `top` is recomputed.
 */
export async function scoreQueriesReusing(
  queries: Float32Array, chunks: Float32Array, n: number, dim: number, depth: number, previous: ScoredRows | undefined, signal?: AbortSignal,
): Promise<QueryScores[]> {
  if (!previous || previous.dim !== dim || dim === 0) return scoreQueries(queries, chunks, n, dim, depth, signal);
  const pause = yielder(signal);
  throwIfAborted(signal);
  const oldQuery = matchRows(queries, previous.queries, dim);
  const oldChunk = chunkMatch(chunks, n, dim, previous.chunks);
  const changed: number[] = [];
  oldChunk.forEach((o, j) => { if (o < 0) changed.push(j); });
  const m = queries.length / dim;
  const out: QueryScores[] = new Array<QueryScores>(m);
  const fresh: number[] = [];
  const kept: number[] = [];
  for (let q = 0; q < m; q++) (oldQuery[q]! < 0 ? fresh : kept).push(q);
  // The kept queries against the changed chunks only, on the same kernel: the same bits as scoring all.
  const rescored = kept.length > 0 && changed.length > 0
    ? await scoreQueries(gatherRows(queries, dim, kept), gatherRows(chunks, dim, changed), changed.length, dim, 0, signal)
    : [];
  for (const [r, q] of kept.entries()) {
    await pause();
    const previousScores = previous.scores[oldQuery[q]!]!.scores;
    const scores = new Float32Array(n);
    for (let j = 0; j < n; j++) { const o = oldChunk[j]!; if (o >= 0) scores[j] = previousScores[o]!; }
    const fresher = rescored[r]?.scores;
    if (fresher) changed.forEach((j, c) => { scores[j] = fresher[c]!; });
    out[q] = { scores, top: topIndices(scores, depth) };
  }
  if (fresh.length > 0) {
    (await scoreQueries(gatherRows(queries, dim, fresh), chunks, n, dim, depth, signal)).forEach((scored, r) => { out[fresh[r]!] = scored; });
  }
  return out;
}

/** The last chunk matches per chunk array: migration depth scores its items a block at a time against the same rows. */
const chunkMatches = new WeakMap<Float32Array, { previous: Float32Array; n: number; match: Int32Array }>();

function chunkMatch(chunks: Float32Array, n: number, dim: number, previous: Float32Array): Int32Array {
  const known = chunkMatches.get(chunks);
  if (known && known.previous === previous && known.n === n) return known.match;
  const match = matchRows(chunks.subarray(0, n * dim), previous, dim);
  chunkMatches.set(chunks, { previous, n, match });
  return match;
}

export function topIndices(scores: Float32Array, depth: number): number[] {
  // (Depth 0, migration depth's scores: the loop below would read top[-1], a slow lookup per chunk.)
  if (depth <= 0) return [];
  const top: number[] = [];
  for (let j = 0; j < scores.length; j++) {
    const s = scores[j]!;
    if (top.length === depth && !(s > scores[top[depth - 1]!]!)) continue;
    let p = top.length === depth ? depth - 1 : top.length;
    if (top.length < depth) top.push(j);
    while (p > 0 && scores[top[p - 1]!]! < s) { top[p] = top[p - 1]!; p--; }
    top[p] = j;
  }
  return top;
}
