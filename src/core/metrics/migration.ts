// Migration depth: if B's vectors rerank the candidates A's index returns (serving B over A's index
// while the corpus is re-embedded), how many candidates K must A return to recover B's own top-k?
// Per query item, the rank under A of each of B's top-k neighbors; recall(K) is the share of them
// ranked within A's top K, averaged over items. Different chunkings go through the character
// alignment: a B neighbor is recovered once A returns any chunk that shares characters with it.
import type { ChunkSpan } from '../types';
import { SpanIndex } from './align';
import { yielder } from '../yielding';

export interface MigrationPoint {
  /** Candidates A returns per query item. */
  K: number;
  /** Share of B's top-k among them, averaged over items. */
  recall: number;
}

export interface MigrationCurve {
  /** Increasing K from k up to every other item, recall non-decreasing. */
  curve: MigrationPoint[];
  /** Smallest K reaching 95% / 99% / all of B's top-k; null when never reached. */
  kFor95Percent: number | null;
  kFor99Percent: number | null;
  kForAll: number | null;
  /** Share of B's top-k that no A chunk stands for (their text is in no A chunk): never recovered. */
  unreachable: number;
  /** Query items averaged over. */
  items: number;
}

/**
 * 1-based rank of item `x` in a row of A's scores with item `self` left out: items scoring higher,
 * and items scoring the same with a lower index, come first (the tie rule of every list here).
 */
export function rankUnder(scores: ArrayLike<number>, self: number, x: number): number {
  const sx = scores[x]!;
  let rank = 1;
  for (let j = 0; j < scores.length; j++) {
    if (j === self || j === x) continue;
    const s = scores[j]!;
    if (s > sx || (s === sx && j < x)) rank++;
  }
  return rank;
}

/**
 * For one query item: each target is the A items that stand for one of B's top-k neighbors; its
 * rank is the best rank under A among them (Infinity when none: A can never return it).
 */
export function targetRanks(scores: ArrayLike<number>, self: number, targets: readonly (readonly number[])[]): number[] {
  const ranks = ranksUnder(scores, self, [...new Set(targets.flat())].filter((x) => x !== self));
  return targets.map((group) => {
    let best = Infinity;
    for (const x of group) if (x !== self) best = Math.min(best, ranks.get(x)!);
    return best;
  });
}

/**
 * `rankUnder` of every item of `xs` (self left out of them) in one pass over the scores instead of
 * one pass each: item j outranks x exactly when (score, -index) of j is the larger pair, so with
 * `xs` sorted by that pair the items j outranks are a tail of them, found by binary search.
 * A NaN score outranks nothing and nothing outranks it, as in `rankUnder`.
 */
export function ranksUnder(scores: ArrayLike<number>, self: number, xs: readonly number[]): Map<number, number> {
  const ranks = new Map<number, number>();
  const sorted = xs.filter((x) => !Number.isNaN(scores[x]!));
  for (const x of xs) if (Number.isNaN(scores[x]!)) ranks.set(x, 1);
  if (sorted.length <= 2) {
    for (const x of sorted) ranks.set(x, rankUnder(scores, self, x));
    return ranks;
  }
  // Best first: higher score, then lower index.
  sorted.sort((x, y) => scores[y]! - scores[x]! || x - y);
  const outranked = new Int32Array(sorted.length + 1);
  for (let j = 0; j < scores.length; j++) {
    if (j === self) continue;
    const s = scores[j]!;
    // First position whose item j outranks (the items from there on rank below j).
    let lo = 0, hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const x = sorted[mid]!;
      const sx = scores[x]!;
      if (s > sx || (s === sx && j < x)) hi = mid; else lo = mid + 1;
    }
    outranked[lo]!++;
  }
  let above = 0;
  sorted.forEach((x, p) => { above += outranked[p]!; ranks.set(x, 1 + above); });
  return ranks;
}

/** Candidate depths shown: k, 2k, 3k, 5k, 10k, 20k, 50k... up to `maxK`, plus `extra` depths. */
export function depthGrid(k: number, maxK: number, extra: Array<number | null> = []): number[] {
  const grid = new Set<number>();
  for (let decade = 1; decade * k <= maxK; decade *= 10) {
    for (const m of [1, 2, 3, 5]) if (m * decade * k <= maxK) grid.add(m * decade * k);
  }
  grid.add(Math.max(0, maxK));
  for (const x of extra) if (x !== null && x >= k && x <= maxK) grid.add(x);
  return [...grid].filter((x) => x >= Math.min(k, maxK)).sort((x, y) => x - y);
}

/**
 * The depth curve from each item's target ranks (`ranks[i][t]`, Infinity = unreachable); items
 * without targets are left out. `maxK` is the most A can return (every other item).
 */
export function migrationCurve(ranks: readonly (readonly number[])[], k: number, maxK: number): MigrationCurve {
  const rows = ranks.filter((r) => r.length > 0);
  const items = rows.length;
  if (items === 0) return { curve: [], kFor95Percent: null, kFor99Percent: null, kForAll: null, unreachable: 0, items: 0 };
  // recall(K) = mean over items of (targets ranked <= K) / (item's targets). Counts are summed per
  // target count m and divided once, so recall is exactly 1 when every target is found.
  const ranked: Array<[number, number]> = [];
  let unreachable = 0;
  for (const r of rows) {
    for (const rank of r) {
      if (Number.isFinite(rank)) ranked.push([rank, r.length]); else unreachable += 1 / (r.length * items);
    }
  }
  ranked.sort((x, y) => x[0] - y[0]);
  const targets = ranked.length + rows.reduce((s, r) => s + r.filter((x) => !Number.isFinite(x)).length, 0);
  const recallOf = (found: Map<number, number>): number => {
    let s = 0, all = 0;
    for (const [m, count] of found) { s += count / m; all += count; }
    return all === targets ? 1 : Math.min(1, s / items);
  };
  const add = (found: Map<number, number>, m: number): void => { found.set(m, (found.get(m) ?? 0) + 1); };
  const recallAt = (K: number): number => {
    const found = new Map<number, number>();
    for (const [rank, m] of ranked) { if (rank > K) break; add(found, m); }
    return recallOf(found);
  };
  // Smallest K whose recall reaches `level`: checked once all targets of one rank are counted.
  const reach = (level: number): number | null => {
    const found = new Map<number, number>();
    for (let t = 0; t < ranked.length; t++) {
      add(found, ranked[t]![1]);
      if (ranked[t + 1]?.[0] === ranked[t]![0]) continue;
      // A hair of slack: mixed target counts (1/3 + 1/4 ...) round below a level they reach.
      if (recallOf(found) >= level - 1e-12) return Math.max(ranked[t]![0], Math.min(k, maxK));
    }
    return null;
  };
  const kFor95Percent = reach(0.95), kFor99Percent = reach(0.99), kForAll = reach(1);
  const curve = depthGrid(k, maxK, [kFor95Percent, kFor99Percent, kForAll]).map((K) => ({ K, recall: recallAt(K) }));
  return { curve, kFor95Percent, kFor99Percent, kForAll, unreachable: Math.min(1, unreachable), items };
}

export interface MigrationInputs {
  /** A's index scores of each query item against every A item (what A's index ranks by), in order. */
  scoresA(items: readonly number[]): Promise<Float32Array[]>;
  /** Number of A items. */
  nA: number;
  /** Query items (A indices): all, or a sample. */
  items: readonly number[];
  /** B's top-k neighbor list of B item `j` (its counterpart's row), or undefined when not searched. */
  neighborsB(j: number): readonly number[] | undefined;
  /** Counterpart (B index) of every A item; identity for the same chunking. */
  counterpart: Int32Array;
  sameItems: boolean;
  chunksA: readonly ChunkSpan[];
  chunksB: readonly ChunkSpan[];
  k: number;
  signal?: AbortSignal | undefined;
}

/**
 * The migration depth curve over `items`. With different chunkings a B neighbor is stood for by
 * every A chunk sharing characters with it; one that lies only in the query item's own A chunk is
 * left out (A never returns its query as a candidate, and that text is the query's own).
 */
export async function migrationDepth(input: MigrationInputs): Promise<MigrationCurve> {
  const { items, counterpart, sameItems, chunksA, k } = input;
  const index = sameItems ? undefined : new SpanIndex(chunksA);
  const pause = yielder(input.signal);
  const ranks: number[][] = [];
  // Items whose counterpart has a neighbor list under B; their A scores come a block at a time.
  const wanted = items.filter((i) => (counterpart[i] ?? -1) >= 0 && input.neighborsB(counterpart[i]!) !== undefined);
  for (let start = 0; start < wanted.length; start += SCORE_BLOCK) {
    await pause();
    const block = wanted.slice(start, start + SCORE_BLOCK);
    const scores = await input.scoresA(block);
    block.forEach((i, b) => ranks.push(itemRanks(input, index, i, scores[b]!)));
  }
  return migrationCurve(ranks, k, Math.max(0, input.nA - 1));
}

/** Query items whose A scores are computed together (one pass over A's rows serves the block). */
const SCORE_BLOCK = 16;

function itemRanks(input: MigrationInputs, index: SpanIndex | undefined, i: number, scores: Float32Array): number[] {
  const { counterpart, sameItems, chunksB } = input;
  const listB = input.neighborsB(counterpart[i]!)!;
  const targets: number[][] = [];
  for (const y of listB) {
    if (sameItems) { targets.push([y]); continue; }
    const standing = index!.overlapping(chunksB[y]!);
    const others = standing.filter((x) => x !== i);
    if (standing.length > 0 && others.length === 0) continue;
    targets.push(others);
  }
  return targetRanks(scores, i, targets);
}
