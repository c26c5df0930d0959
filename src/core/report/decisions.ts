// The report's answers to decisions a team takes before it changes its index: what a side's vectors
// setting is and keeps (retention against the other side's float vectors when nothing else differs),
// and how deep A's index must search for B to rerank its way to B's own top-k (migration depth).
import { describeVectors } from '../config/describe';
import type { DriftConfig, Side, VectorSpec } from '../config/types';
import type { NeighborSearch, PreparedVectors } from '../index/types';
import { row } from '../metrics/churn';
import { indexScoresReusing } from '../metrics/indexScores';
import type { ScoredRows } from '../index/queryScores';
import { NO_MEMO, type StageMemo } from '../memo';
import { fmix, mixRow, wordsOf } from '../rows';
import { migrationDepth } from '../metrics/migration';
import { round } from '../metrics/stats';
import type { JudgedResult } from '../metrics/judged';
import type { Chunk } from '../types';
import type { MigrationDepth, NoiseFloor, RetrievalQuality, VectorRetention, VectorSettingSummary } from './types';

/** Query items the migration depth averages over: at most 500, fewer on large corpora, never below 100. */
const MIGRATION_ITEMS = 500;
const MIGRATION_MIN_ITEMS = 100;
/** Multiply-adds the depth may spend (each item costs a pass over A's vectors: n x dim). */
const MIGRATION_WORK = 3e8;

function isSet(spec: VectorSpec | undefined): spec is VectorSpec {
  return spec !== undefined && (spec.quantize !== undefined || spec.dimensions !== undefined);
}

/** configs.<side>.vectors: the setting in words and numbers, int8 ranges as calibrated. */
export function vectorSettingSummary(spec: VectorSpec | undefined, prepared: PreparedVectors | undefined): VectorSettingSummary | undefined {
  if (!isSet(spec) || !prepared) return undefined;
  const r = prepared.ranges;
  return {
    description: describeVectors(spec, prepared.fromDimension),
    ...(spec.quantize ? { quantize: spec.quantize } : {}),
    ...(spec.dimensions !== undefined ? { dimensions: spec.dimensions } : {}),
    fromDimension: prepared.fromDimension,
    ...(spec.quantize && spec.rescore ? { rescore: spec.rescore } : {}),
    ...(r ? { int8Ranges: { rows: r.rows, min: Array.from(r.min, (x) => round(x, 6)), max: Array.from(r.max, (x) => round(x, 6)) } } : {}),
  };
}

/** Published retention for a setting (Hugging Face, "Binary and Scalar Embedding Quantization", 2024). */
function publishedFor(spec: VectorSpec): string | null {
  const truncated = spec.dimensions !== undefined ? ' (for untruncated vectors)' : '';
  if (spec.quantize === 'binary') return `binary keeps about 92.5% of nDCG@10 on MTEB retrieval without rescoring and about 96% with it${truncated}`;
  if (spec.quantize === 'int8') return `int8 keeps about 99% of nDCG@10 on MTEB retrieval${truncated}`;
  return null;
}

/**
 * What one side's vectors setting keeps, when it is the only difference between A and B (same model,
 * same chunks, one corpus) and the other side stores float vectors; undefined otherwise.
 */
export function vectorRetention(
  config: DriftConfig, same: { model: boolean; chunks: boolean; corpus: boolean },
  meanOverlap: number, anchors: { count: number; a: RetrievalQuality; b: RetrievalQuality },
): VectorRetention | undefined {
  const setA = isSet(config.a.vectors), setB = isSet(config.b.vectors);
  if (setA === setB || !same.model || !same.chunks || !same.corpus) return undefined;
  const side: Side = setA ? 'a' : 'b';
  const float = anchors[side === 'a' ? 'b' : 'a'];
  const kept = anchors[side];
  const ratio = (x: number, y: number): number | null => (anchors.count === 0 || y === 0 ? null : round(x / y));
  return {
    side, neighbors: round(meanOverlap),
    ndcg10: ratio(kept.ndcg10, float.ndcg10), hitAtK: ratio(kept.hitAtK, float.hitAtK),
    published: publishedFor(config[side].vectors!),
  };
}

/**
 * Migration depth over A's searched items (a seeded sample of at most MIGRATION_ITEMS), ranking A's
 * candidates by A's index scores and taking B's top-k from B's own neighbor lists.
 */
export async function migrationReport(input: {
  config: DriftConfig; a: { chunks: Chunk[]; prepared: PreparedVectors }; b: { chunks: Chunk[] };
  searchA: NeighborSearch; searchB: NeighborSearch; counterpart: Int32Array; sameItems: boolean; signal?: AbortSignal | undefined;
  /** A warm session's memo: the last run's item scores are kept for unchanged rows. */
  memo?: StageMemo;
}): Promise<MigrationDepth> {
  const { config, searchA, searchB } = input;
  const memo = input.memo ?? NO_MEMO;
  const prepared = input.a.prepared;
  const candidates = Array.from(searchA.rows);
  const perItem = Math.max(1, input.a.chunks.length * prepared.dimension);
  const size = Math.max(MIGRATION_MIN_ITEMS, Math.min(MIGRATION_ITEMS, Math.floor(MIGRATION_WORK / perItem)));
  // Above `size`, the candidates whose vectors hash lowest (with the seed), in chunk order: a uniform
  // sample an edit changes only by its own chunks, so a warm rerun keeps the other items' scores.
  let picked = candidates;
  if (candidates.length > size) {
    const words = wordsOf(prepared.vectors);
    const keys = candidates.map((i) => fmix(mixRow(config.seed + 7, words, i, prepared.dimension)));
    picked = candidates.map((_, r) => r).sort((x, y) => keys[x]! - keys[y]! || x - y).slice(0, size).sort((x, y) => x - y).map((r) => candidates[r]!);
  }
  const rowOfB = new Map<number, number>();
  searchB.rows.forEach((item, r) => rowOfB.set(item, r));
  const slot = 'migration.a';
  const previous = memo.recall<ScoredRows>(slot);
  const kept: ScoredRows[] = [];
  const curve = await migrationDepth({
    scoresA: async (items) => {
      const { scores, scored } = await indexScoresReusing(prepared, items, previous, input.signal);
      if (scored) kept.push(scored);
      return scores;
    },
    nA: input.a.chunks.length,
    items: picked,
    neighborsB: (j) => { const r = rowOfB.get(j); return r === undefined ? undefined : row(searchB.lists, r)[0]; },
    counterpart: input.counterpart, sameItems: input.sameItems, chunksA: input.a.chunks, chunksB: input.b.chunks,
    k: config.k, signal: input.signal,
  });
  if (kept.length > 0) {
    const queries = new Float32Array(kept.reduce((s, x) => s + x.queries.length, 0));
    let at = 0;
    for (const x of kept) { queries.set(x.queries, at); at += x.queries.length; }
    memo.keep(slot, { queries, chunks: prepared.vectors, dim: prepared.dimension, scores: kept.flatMap((x) => x.scores) } satisfies ScoredRows);
  }
  return {
    k: config.k, comparison: input.sameItems ? 'same-items' : 'aligned', items: curve.items, total: input.a.chunks.length,
    curve: curve.curve.map((p) => ({ K: p.K, recall: round(p.recall, 6) })),
    recallAtK: round(curve.curve[0]?.recall ?? 0, 6),
    kFor99Percent: curve.kFor99Percent, kFor95Percent: curve.kFor95Percent, kForAll: curve.kForAll, unreachable: round(curve.unreachable),
  };
}

/** Why each null field of the decisions is null, for report.notMeasured (--fail-on quotes it). */
export function decisionsNotMeasured(
  retention: VectorRetention | undefined, anchorCount: number, depth: MigrationDepth | undefined, floor: NoiseFloor | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (retention) {
    const why = anchorCount === 0 ? 'no golden queries (anchors) in this run' : 'the float side scores 0 on it, so there is no ratio';
    if (retention.ndcg10 === null) out['retention.ndcg10'] = why;
    if (retention.hitAtK === null) out['retention.hitAtK'] = why;
  }
  if (depth) {
    const why = (level: string): string => `no K up to every other chunk recovers ${level} of B's top-${depth.k}: ${Math.round(depth.unreachable * 1000) / 10}% of B's neighbors are in text no A chunk covers`;
    if (depth.kFor95Percent === null) out['migrationDepth.kFor95Percent'] = why('95%');
    if (depth.kFor99Percent === null) out['migrationDepth.kFor99Percent'] = why('99%');
    if (depth.kForAll === null) out['migrationDepth.kForAll'] = why('all');
  }
  if (floor && floor.churnedShare === null) {
    const why = `no source could be measured on A (${floor.skipped.map((x) => `${x.source}: ${x.reason}`).join('; ')})`;
    for (const field of ['churnedShare', 'meanJaccard', 'meanOverlap']) out[`noiseFloor.${field}`] = why;
  }
  return out;
}

/** A golden query's unjudged hits on one side (the query's group in a judged@k result). */
export function unjudgedOf(judged: JudgedResult, query: string): number[] {
  return judged.queries.find((q) => q.query === query)?.unjudged ?? [];
}
