// Neighbor churn between A and B: per item Jaccard@k, overlap@k and RBO of its neighbor lists,
// directly when both sides chunk identically, through character overlap when they do not.
import type { ChunkSpan } from '../types';
import type { NeighborLists } from '../index/types';
import type { ChurnItem, Histogram } from '../report/types';
import { spanOverlap } from './align';
import { jaccard, overlapAtK, rankBiasedOverlap } from './rbo';
import { bootstrapCi, histogram, mean, median, round } from './stats';
import { yielder } from '../yielding';

/** Row `r` of a neighbor search belongs to item rows[r]. */
export interface RowLists {
  lists: NeighborLists;
  rows: ArrayLike<number>;
}

export interface ChurnInputs {
  chunksA: readonly ChunkSpan[];
  chunksB: readonly ChunkSpan[];
  /** Neighbor lists of the A items compared (all items, or a sample). */
  neighborsA: RowLists;
  /** Neighbor lists under B; must hold a row for the counterpart of every compared A item. */
  neighborsB: RowLists;
  /** Counterpart (B index) of every A chunk; identity when chunkings are the same. */
  counterpart: Int32Array;
  sameItems: boolean;
  k: number;
  churnThreshold: number;
  /** Stops the comparison (checked when it hands the event loop back, about every 50 ms). */
  signal?: AbortSignal | undefined;
}

export interface ListComparison {
  keptA: boolean[];
  keptB: boolean[];
  /** B's list written in A's item ids (matched items) or unique negative ids (unmatched). */
  mappedB: number[];
}

/**
 * Compares a neighbor list under A with one under B. With different chunkings an A neighbor is
 * kept when some B neighbor shares characters with it; for ranked measures each B neighbor stands
 * for the first still unmatched A neighbor it overlaps (one-to-one, so overlap@k stays <= 1).
 */
export function compareLists(
  listA: readonly number[], listB: readonly number[], chunksA: readonly ChunkSpan[], chunksB: readonly ChunkSpan[], sameItems: boolean,
): ListComparison {
  if (sameItems) {
    const setA = new Set(listA);
    const setB = new Set(listB);
    return { keptA: listA.map((x) => setB.has(x)), keptB: listB.map((y) => setA.has(y)), mappedB: [...listB] };
  }
  const keptA = listA.map((x) => listB.some((y) => spanOverlap(chunksA[x]!, chunksB[y]!) > 0));
  const used = new Set<number>();
  const keptB: boolean[] = [];
  const mappedB = listB.map((y) => {
    let match = -1;
    let any = false;
    for (const x of listA) {
      if (spanOverlap(chunksA[x]!, chunksB[y]!) <= 0) continue;
      any = true;
      if (!used.has(x)) { match = x; break; }
    }
    keptB.push(any);
    if (match >= 0) { used.add(match); return match; }
    return -1 - y;
  });
  return { keptA, keptB, mappedB };
}

export interface ChurnResult {
  items: ChurnItem[];
  meanJaccard: number;
  medianJaccard: number;
  meanOverlap: number;
  meanRbo: number;
  churnedShare: number;
  /** Histogram of per-item overlap@k over [0, 1], one bin per possible value 0/k..k/k. */
  histogram: Histogram;
  /** Per-item values, in `items` order, for confidence intervals and vocabulary splits. */
  jaccards: Float64Array;
  overlaps: Float64Array;
  /**
   * A items with no counterpart under B (their file is gone in a later snapshot): they have no
   * neighbor list under B to compare, so they are left out of every figure above, not counted as churned.
   */
  unmatched: number[];
}

export async function neighborChurn(input: ChurnInputs): Promise<ChurnResult> {
  const { chunksA, chunksB, neighborsA, neighborsB, counterpart, sameItems, k, churnThreshold } = input;
  // Aligned chunkings compare character spans k x k per item: tens of ms per thousand items.
  const pause = yielder(input.signal);
  const rowOfB = new Map<number, number>();
  for (let r = 0; r < neighborsB.rows.length; r++) rowOfB.set(neighborsB.rows[r]!, r);
  const items: ChurnItem[] = [];
  const unmatched: number[] = [];
  const js: number[] = [];
  const os: number[] = [];
  const rbos: number[] = [];
  for (let r = 0; r < neighborsA.rows.length; r++) {
    await pause();
    const a = neighborsA.rows[r]!;
    const cp = counterpart[a] ?? -1;
    if (cp < 0) { unmatched.push(a); continue; }
    const rowB = rowOfB.get(cp);
    const one = churnItem(a, cp, row(neighborsA.lists, r), rowB === undefined ? undefined : row(neighborsB.lists, rowB), chunksA, chunksB, sameItems, k);
    js.push(one.jaccard); os.push(one.overlap); rbos.push(one.rbo);
    items.push(one.item);
  }
  const jaccards = Float64Array.from(js);
  const overlaps = Float64Array.from(os);
  return { items, jaccards, overlaps, unmatched, ...churnSummary(jaccards, overlaps, rbos, k, churnThreshold) };
}

/**
 * One A item (chunk `a`, its counterpart `counterpart` under B) against B: its neighbor list and
 * scores under A, its counterpart's under B (undefined: B has no row for it, nothing is kept).
 * The item as the report holds it (rounded), and its unrounded Jaccard@k, overlap@k and RBO.
 */
export function churnItem(
  a: number, counterpart: number, [listA, scoresA]: [number[], number[]], rowB: [number[], number[]] | undefined,
  chunksA: readonly ChunkSpan[], chunksB: readonly ChunkSpan[], sameItems: boolean, k: number,
): { item: ChurnItem; jaccard: number; overlap: number; rbo: number } {
  const [listB, scoresB] = rowB ?? [[], []];
  const cmp = compareLists(listA, listB, chunksA, chunksB, sameItems);
  const j = jaccard(listA, cmp.mappedB);
  const o = overlapAtK(listA, cmp.mappedB, k);
  const rb = rowB === undefined ? 0 : rankBiasedOverlap(listA, cmp.mappedB);
  const span = chunksA[a]!;
  return {
    jaccard: j, overlap: o, rbo: rb,
    item: {
      chunk: a, file: span.file, start: span.start, end: span.end,
      jaccard: round(j), overlap: round(o), rbo: round(rb),
      neighborsA: listA, scoresA: scoresA.map((s) => round(s)), keptA: cmp.keptA,
      neighborsB: listB, scoresB: scoresB.map((s) => round(s)), keptB: cmp.keptB,
      counterpart,
    },
  };
}

/** The figures over the compared items, from their unrounded per-item values (churnItem's). */
export function churnSummary(
  jaccards: Float64Array, overlaps: Float64Array, rbos: ArrayLike<number>, k: number, churnThreshold: number,
): Pick<ChurnResult, 'meanJaccard' | 'medianJaccard' | 'meanOverlap' | 'meanRbo' | 'churnedShare' | 'histogram'> {
  const n = overlaps.length;
  let churned = 0;
  for (const o of overlaps) if (o < churnThreshold) churned++;
  const bins = Math.max(1, k) + 1;
  const hist = histogram(overlaps, bins, -0.5 / Math.max(1, k), 1 + 0.5 / Math.max(1, k));
  return {
    meanJaccard: mean(jaccards), medianJaccard: median(jaccards), meanOverlap: mean(overlaps), meanRbo: mean(rbos),
    churnedShare: n === 0 ? 0 : churned / n,
    histogram: hist,
  };
}

/** Bootstrap CIs of mean Jaccard and churned share, for per-item metrics on a sample. */
export function churnConfidence(result: ChurnResult, churnThreshold: number, random: () => number, confidence = 0.95): {
  meanJaccardCi: [number, number]; churnedShareCi: [number, number];
} {
  const churnedFlags = Float64Array.from(result.overlaps, (o) => (o < churnThreshold ? 1 : 0));
  const avg = (s: Float64Array): number => mean(s);
  return {
    meanJaccardCi: bootstrapCi(result.jaccards, avg, random, confidence).map((x) => round(x)) as [number, number],
    churnedShareCi: bootstrapCi(churnedFlags, avg, random, confidence).map((x) => round(x)) as [number, number],
  };
}

/**
 * Document-level churn: per file, the set of files its chunks' neighbors come from (its own file
 * left out) under A and under B, and the mean Jaccard of those sets over files that have any.
 */
export function documentChurn(chunksA: readonly ChunkSpan[], chunksB: readonly ChunkSpan[], a: RowLists, b: RowLists): { meanJaccard: number; files: number } {
  const filesOf = (chunks: readonly ChunkSpan[], side: RowLists): Map<string, Set<string>> => {
    const out = new Map<string, Set<string>>();
    for (let r = 0; r < side.rows.length; r++) {
      const own = chunks[side.rows[r]!]!.file;
      let set = out.get(own);
      if (!set) { set = new Set(); out.set(own, set); }
      for (const j of row(side.lists, r)[0]) {
        const f = chunks[j]!.file;
        if (f !== own) set.add(f);
      }
    }
    return out;
  };
  const fa = filesOf(chunksA, a);
  const fb = filesOf(chunksB, b);
  const values: number[] = [];
  for (const [file, setA] of fa) {
    const setB = fb.get(file) ?? new Set<string>();
    if (setA.size === 0 && setB.size === 0) continue;
    const ids = new Map<string, number>();
    const id = (f: string): number => { if (!ids.has(f)) ids.set(f, ids.size); return ids.get(f)!; };
    values.push(jaccard([...setA].map(id), [...setB].map(id)));
  }
  return { meanJaccard: round(mean(values)), files: values.length };
}

/** Row r of packed lists as plain arrays, without the -1 padding. */
export function row(lists: NeighborLists, r: number): [number[], number[]] {
  const idx: number[] = [];
  const sc: number[] = [];
  for (let c = 0; c < lists.k; c++) {
    const i = lists.indices[r * lists.k + c]!;
    if (i < 0) break;
    idx.push(i);
    sc.push(lists.scores[r * lists.k + c]!);
  }
  return [idx, sc];
}

