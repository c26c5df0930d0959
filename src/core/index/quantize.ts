// A side's vectors as its index would store them (config `vectors`): the first N dimensions kept and
// renormalized (Matryoshka truncation), then scalar int8 or binary quantization, searched the way
// such an index ranks (dot product of dequantized int8 rows; Hamming distance of sign bits), with
// optional rescoring of the top candidates by the float vectors, as vector databases offer.
// Applied to a side's vectors after they were embedded or read, whatever produced them.
import type { SearchSpec, VectorSpec } from '../config/types';
import { DriftError, type RunOptions } from '../types';
import { hammingTopK, wordsPerRow } from './hamming';
import { gatherRows } from '../rows';
import { findNeighbors } from './search';
import type { Int8Ranges, NeighborLists, NeighborSearch, PreparedVectors } from './types';


/** The first `keep` dimensions of each row, scaled back to unit length (a zero row stays zero). */
export function truncateRows(v: Float32Array, n: number, dim: number, keep: number): Float32Array {
  const out = new Float32Array(n * keep);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let d = 0; d < keep; d++) norm += v[i * dim + d]! ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < keep; d++) out[i * keep + d] = v[i * dim + d]! * scale;
  }
  return out;
}

/** Each dimension's minimum and maximum over the rows (the calibration set). */
export function calibrateInt8(v: Float32Array, n: number, dim: number): Int8Ranges {
  const min = new Float32Array(dim).fill(n === 0 ? 0 : Infinity);
  const max = new Float32Array(dim).fill(n === 0 ? 0 : -Infinity);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) {
      const x = v[i * dim + d]!;
      if (x < min[d]!) min[d] = x;
      if (x > max[d]!) max[d] = x;
    }
  }
  return { min, max, rows: n };
}

/** The step of each dimension: (max - min) / 255; 0 when a dimension is constant. */
function steps(r: Int8Ranges): Float64Array {
  return Float64Array.from(r.min, (lo, d) => (r.max[d]! - lo) / 255);
}

/** Codes -128..127: the nearest of the 256 levels min + (code + 128) x step, values outside clipped. */
export function quantizeInt8(v: Float32Array, n: number, dim: number, r: Int8Ranges): Int8Array {
  const step = steps(r);
  const out = new Int8Array(n * dim);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) {
      const s = step[d]!;
      const level = s > 0 ? Math.round((v[i * dim + d]! - r.min[d]!) / s) : 0;
      out[i * dim + d] = Math.min(255, Math.max(0, level)) - 128;
    }
  }
  return out;
}

/** The value each code stands for: min + (code + 128) x step. */
export function dequantizeInt8(codes: Int8Array, n: number, dim: number, r: Int8Ranges): Float32Array {
  const step = steps(r);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) out[i * dim + d] = r.min[d]! + (codes[i * dim + d]! + 128) * step[d]!;
  }
  return out;
}

/** One bit per dimension, 1 where the value is above 0 (0 and below give 0), packed 32 to a word, lowest dimension in the lowest bit. */
export function packSigns(v: Float32Array, n: number, dim: number): Uint32Array {
  const words = wordsPerRow(dim);
  const out = new Uint32Array(n * words);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) {
      if (v[i * dim + d]! > 0) out[i * words + (d >>> 5)]! |= 1 << (d & 31);
    }
  }
  return out;
}

/** Packed sign bits as unit rows of +-1/sqrt(dim): what other metrics (CKA, maps) see of a binary side. */
export function signRows(bits: Uint32Array, n: number, dim: number): Float32Array {
  const words = wordsPerRow(dim);
  const unit = dim === 0 ? 0 : 1 / Math.sqrt(dim);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) out[i * dim + d] = (bits[i * words + (d >>> 5)]! >>> (d & 31)) & 1 ? unit : -unit;
  }
  return out;
}

/** Whether a vectors setting changes anything at all. */
export function hasVectorSpec(spec: VectorSpec | undefined): spec is VectorSpec {
  return spec !== undefined && (spec.quantize !== undefined || spec.dimensions !== undefined);
}

/**
 * Applies a side's vectors setting to its unit rows. `at` names the setting in messages
 * (e.g. "b.vectors"); asking for more dimensions than the model has is a configuration error.
 */
export function prepareVectors(raw: Float32Array, n: number, dim: number, spec: VectorSpec | undefined, at = 'vectors'): PreparedVectors {
  const s = spec ?? {};
  if (s.dimensions !== undefined && s.dimensions > dim) {
    throw new DriftError(`${at}.dimensions is ${s.dimensions}, more than the model's ${dim} dimensions; choose at most ${dim}.`, 'config');
  }
  const keep = s.dimensions ?? dim;
  const full = keep === dim && s.dimensions === undefined ? raw : truncateRows(raw, n, dim, keep);
  const base = { spec: s, n, dimension: keep, fromDimension: dim, full };
  if (s.quantize === 'int8') {
    const ranges = calibrateInt8(full, n, keep);
    return { ...base, ranges, vectors: dequantizeInt8(quantizeInt8(full, n, keep, ranges), n, keep, ranges) };
  }
  if (s.quantize === 'binary') {
    const bits = packSigns(full, n, keep);
    return { ...base, bits, vectors: signRows(bits, n, keep) };
  }
  return { ...base, vectors: full };
}

/** Query rows encoded like the side's chunks (same truncation, same int8 ranges, same sign rule). */
export interface PreparedQueries {
  vectors: Float32Array;
  full: Float32Array;
  bits?: Uint32Array;
}

export function prepareQueries(p: PreparedVectors, raw: Float32Array): PreparedQueries {
  const m = p.fromDimension === 0 ? 0 : raw.length / p.fromDimension;
  const full = p.dimension === p.fromDimension && p.spec.dimensions === undefined ? raw : truncateRows(raw, m, p.fromDimension, p.dimension);
  if (p.ranges) return { full, vectors: dequantizeInt8(quantizeInt8(full, m, p.dimension, p.ranges), m, p.dimension, p.ranges) };
  if (p.bits) {
    const bits = packSigns(full, m, p.dimension);
    return { full, bits, vectors: signRows(bits, m, p.dimension) };
  }
  return { full, vectors: full };
}

/** Candidates fetched from the quantized index per result wanted: rescore x k, at most `available`. */
export function candidateDepth(spec: VectorSpec, k: number, available: number): number {
  // Without rescoring the depth stays k even on tiny corpora: the searches pad short lists themselves.
  return spec.rescore && spec.quantize ? Math.max(0, Math.min(available, spec.rescore * k)) : k;
}

/**
 * Reorders each row's candidates by the dot product of the float rows (`queries` row r against
 * `corpus` row j), best first, equal scores in increasing index, and keeps `k`.
 */
export function rescoreLists(lists: NeighborLists, queries: Float32Array, corpus: Float32Array, dim: number, k: number): NeighborLists {
  const indices = new Int32Array(lists.n * k).fill(-1);
  const scores = new Float32Array(lists.n * k).fill(-Infinity);
  for (let r = 0; r < lists.n; r++) {
    const scored: Array<[number, number]> = [];
    for (let c = 0; c < lists.k; c++) {
      const j = lists.indices[r * lists.k + c]!;
      if (j < 0) continue;
      let s = 0;
      for (let d = 0; d < dim; d++) s += queries[r * dim + d]! * corpus[j * dim + d]!;
      scored.push([j, Math.fround(s)]);
    }
    scored.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
    scored.slice(0, k).forEach(([j, s], c) => { indices[r * k + c] = j; scores[r * k + c] = s; });
  }
  return { n: lists.n, k, indices, scores };
}

/**
 * Neighbor search as the side's index ranks: binary by Hamming distance (always exhaustive), others
 * through `findNeighbors` (exact or HNSW by `search`), then rescoring when the setting asks for it.
 */
export async function searchPrepared(
  p: PreparedVectors, k: number, search: SearchSpec,
  options: RunOptions & { rows?: ArrayLike<number>; workers?: number; seed?: number } = {},
): Promise<NeighborSearch> {
  const depth = candidateDepth(p.spec, k, Math.max(0, p.n - 1));
  let found: NeighborSearch;
  if (p.bits) {
    const rows = options.rows ? Int32Array.from(options.rows) : Int32Array.from({ length: p.n }, (_, i) => i);
    const words = wordsPerRow(p.dimension);
    const queries = options.rows ? gatherWords(p.bits, words, rows) : undefined;
    const lists = await hammingTopK(p.bits, p.n, p.dimension, depth, { ...(queries ? { queries } : {}), self: rows, signal: options.signal });
    found = { lists, rows, method: 'exact', recall: null };
  } else {
    found = await findNeighbors(p.vectors, p.n, p.dimension, depth, search, options);
  }
  if (!(p.spec.rescore && p.spec.quantize)) return found;
  const lists = rescoreLists(found.lists, gatherRows(p.full, p.dimension, found.rows), p.full, p.dimension, Math.min(k, depth));
  return { ...found, lists };
}

/** The given rows of prepared vectors (same setting, same int8 ranges), in that order. */
export function selectPrepared(p: PreparedVectors, rows: readonly number[]): PreparedVectors {
  const dim = p.dimension;
  const vectors = gatherRows(p.vectors, dim, rows);
  return {
    ...p, n: rows.length, vectors,
    full: p.full === p.vectors ? vectors : gatherRows(p.full, dim, rows),
    ...(p.bits ? { bits: gatherWords(p.bits, wordsPerRow(dim), rows) } : {}),
  };
}

function gatherWords(bits: Uint32Array, words: number, rows: ArrayLike<number>): Uint32Array {
  const out = new Uint32Array(rows.length * words);
  for (let r = 0; r < rows.length; r++) out.set(bits.subarray(rows[r]! * words, (rows[r]! + 1) * words), r * words);
  return out;
}
