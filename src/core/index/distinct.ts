// Neighbor search over distinct texts. Chunks with identical embedded text have identical vectors:
// a duplicated file (a symlink, a copied page) would fill half of every top-k list with twins and
// split ties between them differently under A and B, manufacturing churn. So the search runs on
// the first chunk of each distinct text (chunk order: file path, then position), a chunk's twin is
// never its neighbor, and every copy gets the list of its first occurrence. Ties in score keep the
// lower chunk index first (every exact backend does; tested in test/unit/index/distinct.test.ts).
import type { SearchSpec } from '../config/types';
import type { RunOptions } from '../types';
import { searchPrepared, selectPrepared } from './quantize';
import { gatherRows } from '../rows';
import { findNeighbors } from './search';
import type { DistinctSearch, NeighborSearch, PreparedVectors } from './types';

export interface DistinctTexts {
  /** For each chunk, the index of the first chunk with the same text. */
  first: Int32Array;
  /** The chunks that are the first of their text, in chunk order. */
  unique: number[];
}

export function distinctTexts(texts: readonly string[]): DistinctTexts {
  const seen = new Map<string, number>();
  const first = new Int32Array(texts.length);
  const unique: number[] = [];
  texts.forEach((text, i) => {
    const earlier = seen.get(text);
    if (earlier === undefined) { seen.set(text, i); unique.push(i); first[i] = i; } else first[i] = earlier;
  });
  return { first, unique };
}

/**
 * findNeighbors over the distinct texts of `texts` (the embedded text of each row of `vectors`),
 * answered for every chunk in `options.rows` (default: all) in chunk indices.
 */
export function findDistinctNeighbors(
  texts: readonly string[], vectors: Float32Array, dim: number, k: number, spec: SearchSpec,
  options: RunOptions & { rows?: ArrayLike<number>; workers?: number; seed?: number } = {},
): Promise<DistinctSearch> {
  const { rows: _requested, ...rest } = options;
  return searchDistinct(texts, options.rows, (unique, wanted) => findNeighbors(
    unique.length === texts.length ? vectors : gatherRows(vectors, dim, unique), unique.length, dim, k, spec, { ...rest, ...(wanted ? { rows: wanted } : {}) },
  ));
}

/** findDistinctNeighbors for a side's vectors as its index stores them (config `vectors`), ranked as that index ranks. */
export function findDistinctPrepared(
  texts: readonly string[], p: PreparedVectors, k: number, spec: SearchSpec,
  options: RunOptions & { rows?: ArrayLike<number>; workers?: number; seed?: number } = {},
): Promise<DistinctSearch> {
  const { rows: _requested, ...rest } = options;
  return searchDistinct(texts, options.rows, (unique, wanted) => searchPrepared(
    unique.length === p.n ? p : selectPrepared(p, unique), k, spec, { ...rest, ...(wanted ? { rows: wanted } : {}) },
  ));
}

/**
 * Runs `search` over the first chunk of each distinct text (`unique`, in chunk order; `wanted`:
 * positions in `unique` to answer, undefined for all) and gives every requested chunk the list of
 * its text's first occurrence, in chunk indices.
 */
export async function searchDistinct(
  texts: readonly string[], rows: ArrayLike<number> | undefined,
  search: (unique: number[], wanted: number[] | undefined) => Promise<NeighborSearch>,
): Promise<DistinctSearch> {
  const n = texts.length;
  const { first, unique } = distinctTexts(texts);
  if (unique.length === n) {
    const inner = await search(unique, rows ? Array.from(rows) : undefined);
    return { ...inner, distinct: n };
  }
  const position = new Int32Array(n);
  unique.forEach((chunk, u) => { position[chunk] = u; });
  const requested = rows ? Int32Array.from(rows) : Int32Array.from({ length: n }, (_, i) => i);
  const wanted = [...new Set(Array.from(requested, (r) => position[first[r]!]!))].sort((x, y) => x - y);
  const all = wanted.length === unique.length;
  const inner = await search(unique, all ? undefined : wanted);
  const rowOf = new Map<number, number>();
  inner.rows.forEach((u, r) => rowOf.set(u, r));
  const kk = inner.lists.k;
  const indices = new Int32Array(requested.length * kk).fill(-1);
  const scores = new Float32Array(requested.length * kk).fill(-Infinity);
  requested.forEach((chunk, r) => {
    const from = rowOf.get(position[first[chunk]!]!)! * kk;
    for (let c = 0; c < kk; c++) {
      const u = inner.lists.indices[from + c]!;
      if (u < 0) break;
      indices[r * kk + c] = unique[u]!;
      scores[r * kk + c] = inner.lists.scores[from + c]!;
    }
  });
  return {
    lists: { n: requested.length, k: kk, indices, scores, ...(inner.lists.engine ? { engine: inner.lists.engine } : {}) },
    rows: requested, method: inner.method, recall: inner.recall, distinct: unique.length,
  };
}
