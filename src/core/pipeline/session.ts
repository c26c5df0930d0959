// A finished comparison kept in memory: the report plus each side's vectors and embedder, so the
// query playground answers a typed query under A and B in milliseconds without re-embedding the corpus.
import type { DriftConfig, VectorSpec } from '../config/types';
import type { Embedder } from '../embedding/types';
import { exactTopK } from '../index/exact';
import { hasVectorSpec, prepareQueries, prepareVectors } from '../index/quantize';
import type { PreparedVectors } from '../index/types';
import { scorePreparedQueries } from '../metrics/indexScores';
import type { Chunk, RunOptions } from '../types';
import type { SideRun } from './side';
import type { ComparisonSession, Report, SearchHit } from './types';

/** What one side of a run holds once its chunks are embedded. */
export interface EmbeddedSide {
  chunks: Chunk[];
  /** chunks.length x embedder.dimension, row-major, unit rows. */
  vectors: Float32Array;
  embedder: Embedder;
  /** The side's vectors setting: the playground then ranks as that index ranks. */
  vectorSpec?: VectorSpec;
}

/** The side's vectors as its index stores them, prepared on the first search that needs them. */
const preparedOf = new WeakMap<EmbeddedSide, PreparedVectors>();

async function searchSide(side: EmbeddedSide, query: string, k: number, options: RunOptions): Promise<SearchHit[]> {
  const n = side.chunks.length;
  const dim = side.embedder.dimension;
  if (n === 0) return [];
  const { vectors: queryVector } = await side.embedder.embed([query], { ...options, kind: 'query' });
  if (hasVectorSpec(side.vectorSpec)) return searchSetting(side, side.vectorSpec, queryVector, k, options);
  // One query against n rows is a few milliseconds on the calling thread; workers would only add start-up.
  const lists = await exactTopK(side.vectors, n, dim, Math.min(k, n), { ...options, queries: queryVector, excludeSelf: false, workers: 0 });
  const hits: SearchHit[] = [];
  for (let j = 0; j < lists.k; j++) {
    const chunk = lists.indices[j] ?? -1;
    const c = side.chunks[chunk];
    if (chunk < 0 || !c) continue;
    hits.push({ chunk, file: c.file, start: c.start, end: c.end, score: lists.scores[j] ?? 0 });
  }
  return hits;
}

async function searchSetting(side: EmbeddedSide, spec: VectorSpec, queryVector: Float32Array, k: number, options: RunOptions): Promise<SearchHit[]> {
  let prepared = preparedOf.get(side);
  if (!prepared) {
    prepared = prepareVectors(side.vectors, side.chunks.length, side.embedder.dimension, spec);
    preparedOf.set(side, prepared);
  }
  const [scored] = await scorePreparedQueries(prepared, queryVector, Math.min(k, side.chunks.length), options.signal);
  // Rescored hits are ordered by the float vectors, so that is the score they show.
  const full = spec.rescore && spec.quantize ? prepareQueries(prepared, queryVector).full : undefined;
  const dim = prepared.dimension;
  return (scored?.top ?? []).map((chunk) => {
    const c = side.chunks[chunk]!;
    let score = scored!.scores[chunk] ?? 0;
    if (full) {
      score = 0;
      for (let d = 0; d < dim; d++) score += full[d]! * prepared!.full[chunk * dim + d]!;
    }
    return { chunk, file: c.file, start: c.start, end: c.end, score };
  });
}

/** What saveBaseline needs from a session, kept out of the public session type. */
export interface SessionRecord {
  config: DriftConfig;
  sideA: SideRun;
  sideB: SideRun;
  fingerprintA: string;
}

const records = new WeakMap<ComparisonSession, SessionRecord>();

export function sessionRecord(session: ComparisonSession): SessionRecord | undefined {
  return records.get(session);
}

/** `ownsModels` false: the embedders belong to a warm session, which disposes them (dispose() here only ends searching). */
export function createSession(report: Report, a: EmbeddedSide, b: EmbeddedSide, record?: SessionRecord, ownsModels = true): ComparisonSession {
  let disposed = false;
  const session: ComparisonSession = {
    report,
    async search(query: string, k: number, options: RunOptions = {}) {
      if (disposed) throw new Error('This comparison was closed; run it again to search.');
      const [hitsA, hitsB] = await Promise.all([searchSide(a, query, k, options), searchSide(b, query, k, options)]);
      return { a: hitsA, b: hitsB };
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      if (!ownsModels) return;
      await a.embedder.dispose();
      if (b.embedder !== a.embedder) await b.embedder.dispose();
    },
  };
  if (record) records.set(session, record);
  return session;
}
