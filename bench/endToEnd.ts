// Whole A/B runs: ours (compare(), in this process, as the extension host runs it) cold and warm,
// and the straightforward approach over the very same chunks.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chunkCorpus } from '../src/core/chunking';
import { parseConfig } from '../src/core/config';
import type { ChunkerSpec, DriftConfig } from '../src/core/config/types';
import { walkCorpus } from '../src/core/corpus';
import { compare } from '../src/core/pipeline/compare';
import type { Report } from '../src/core/report/types';
import { wordsTokenizer } from '../src/core/tokenizers';
import type { Chunk } from '../src/core/types';
import { alignByOverlap, loadPipeline, meanAlignedOverlap, naiveAllPairsTopK } from './baseline';
import type { BenchModel } from './model';
import { timed, withLoopStall } from './measure';

export const BENCH_K = 10;

/** A: recursive splitter; B: the markdown-aware one; same model. Chunks under 400 chars keep
 * the MiniLM-shaped model's cost per chunk near the field notes' 92-token figure. */
export const CHUNKER_A: ChunkerSpec = { type: 'recursive', size: 400, overlap: 50, unit: 'chars' };
export const CHUNKER_B: ChunkerSpec = { type: 'markdown', size: 400, overlap: 50, unit: 'chars' };

/** Writes a configuration file for the corpus and returns it parsed, as a user's file would be. */
export function writeBenchConfig(file: string, corpusRoot: string, model: { path: string } | string, a: ChunkerSpec, b: ChunkerSpec): DriftConfig {
  const spec = {
    corpus: { root: corpusRoot },
    k: BENCH_K,
    a: { label: 'A', model, chunker: a },
    b: { label: 'B', model, chunker: b },
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = JSON.stringify(spec, null, 2);
  fs.writeFileSync(file, text);
  return parseConfig(text, file);
}

export interface OurRun {
  ms: number;
  stallMs: number;
  report: Report;
  /** Time of the stages that embed (model load, chunk and query embedding). */
  embedMs: number;
}

/** One compare() in this process, with the event loop watched; the session is disposed after. */
export async function runOurs(config: DriftConfig, cacheDir: string): Promise<OurRun> {
  const { value: report, ms, stallMs } = await withLoopStall(async () => {
    const session = await compare(config, { cacheDir, allowNetwork: false });
    try { return session.report; } finally { await session.dispose(); }
  });
  const embedMs = Object.entries(report.timings)
    .filter(([name]) => name === 'model' || name.startsWith('embed'))
    .reduce((sum, [, v]) => sum + v, 0);
  return { ms, stallMs, report, embedMs };
}

/** The chunks each side of `config` produces (our chunkers; character units need no tokenizer). */
export async function chunksOf(config: DriftConfig): Promise<{ a: Chunk[]; b: Chunk[] }> {
  const corpus = await walkCorpus(config.corpus, {});
  const words = wordsTokenizer();
  return { a: await chunkCorpus(corpus, config.a, words, {}), b: await chunkCorpus(corpus, config.b, words, {}) };
}

export interface BaselineRun {
  ms: number;
  embedMs: number;
  chunksA: number;
  chunksB: number;
  meanOverlap: number;
}

/**
 * The straightforward approach end to end: walk and chunk (the same chunkers), load the pipeline,
 * embed A's chunks and search them, then B's, then the aligned neighbor overlap.
 */
export async function runStraightforward(config: DriftConfig, model: BenchModel, log: (line: string) => void): Promise<BaselineRun> {
  let embedMs = 0;
  const { value, ms } = await timed(async () => {
    const chunks = await chunksOf(config);
    const pipeline = await loadPipeline(model.modelsRoot, model.modelId, 'fp32');
    try {
      const lists = [];
      for (const side of [chunks.a, chunks.b]) {
        const embedded = await timed(() => pipeline.embed(side.map((c) => c.text)));
        embedMs += embedded.ms;
        log(`  straightforward: ${side.length} chunks embedded in ${(embedded.ms / 1000).toFixed(1)} s`);
        lists.push(naiveAllPairsTopK(embedded.value, side.length, pipeline.dimension, BENCH_K));
      }
      const overlap = meanAlignedOverlap(lists[0]!, lists[1]!, alignByOverlap(chunks.a, chunks.b), BENCH_K);
      return { chunksA: chunks.a.length, chunksB: chunks.b.length, meanOverlap: overlap };
    } finally {
      await pipeline.dispose();
    }
  });
  return { ms, embedMs, ...value };
}

/**
 * Finds B's chunker edit (a larger size) whose chunks differ from B's in the share closest to
 * `target`: the "small tweak" of the warm rerun, measured rather than assumed.
 */
export async function tweakChunker(config: DriftConfig, target: number): Promise<{ chunker: ChunkerSpec; changedShare: number }> {
  const corpus = await walkCorpus(config.corpus, {});
  const words = wordsTokenizer();
  const before = new Set((await chunkCorpus(corpus, config.b, words, {})).map((c) => c.embedText));
  let best = { chunker: config.b.chunker, changedShare: 0 };
  for (const grow of [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128]) {
    const chunker = { ...config.b.chunker, size: config.b.chunker.size + grow };
    const after = await chunkCorpus(corpus, { ...config.b, chunker }, words, {});
    const changed = after.filter((c) => !before.has(c.embedText)).length / Math.max(1, after.length);
    if (Math.abs(changed - target) < Math.abs(best.changedShare - target)) best = { chunker, changedShare: changed };
    if (changed >= target) break;
  }
  return best;
}
