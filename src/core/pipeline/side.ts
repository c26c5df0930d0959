// One side of a comparison: open its model, tokenizers and embedding store, chunk its corpus and
// embed the chunks (yielding between files, so Ctrl-C and the editor stay responsive). When A and
// B share a model they share one store: a chunk text A embedded is a cache hit for B.
import { chunkCorpus } from '../chunking';
import type { SideConfig } from '../config/types';
import { createEmbedder, embedWithCache, openEmbeddingCache, type EmbeddingCache } from '../embedding';
import type { Embedder, TextKind } from '../embedding/types';
import { markOutputFolder } from '../corpus/ownOutputs';
import { loadTokenizer } from '../tokenizers';
import type { Tokenizer } from '../tokenizers/types';
import { NO_MEMO, type StageMemo } from '../memo';
import type { Chunk, Corpus, RunOptions } from '../types';
import { forSide, sameSpec } from './stages';
import { timed, type Timings } from '../timing';
import type { CompareOptions } from './types';

export interface SideModel {
  embedder: Embedder;
  /** The tokenizer of the tokenization views. */
  tokenizer: Tokenizer;
  /** Counts chunk sizes when the chunker's unit is tokens. */
  chunkTokenizer: Tokenizer;
  /** The open store for this embedder's fingerprint. */
  cache: EmbeddingCache;
}

export interface SideRun {
  corpus: Corpus;
  chunks: Chunk[];
  /** chunks.length x dimension, row-major. */
  vectors: Float32Array;
  /** Chunks longer than the model's maximum length, cut before embedding. */
  truncated: number;
  cacheHits: number;
  cacheMisses: number;
  /** Chunks repeating a text embedded in this run (embedded once). */
  cacheDeduplicated?: number;
  /** Rows read from a store instead of embedded (a store side). */
  stored?: number;
  /** Cache problems found and repaired (never fatal). */
  warnings: string[];
}

export async function openSideModel(side: SideConfig, name: 'a' | 'b', options: CompareOptions): Promise<SideModel> {
  const run = forSide(options, name);
  const embedder = await createEmbedder(side.model, {
    cacheDir: options.cacheDir,
    allowNetwork: options.allowNetwork,
    ...(options.getSecret ? { getSecret: options.getSecret } : {}),
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    ...run,
  });
  try {
    const context = { modelTokenizer: embedder.tokenizer };
    const tokenizer = await loadTokenizer(side.tokenizer, context);
    const chunkSpec = side.chunker.tokenizer;
    const chunkTokenizer = chunkSpec && !sameSpec(chunkSpec, side.tokenizer) ? await loadTokenizer(chunkSpec, context) : tokenizer;
    const cache = await openEmbeddingCache(options.cacheDir, embedder);
    // Models and vectors are never corpus, even when the cache folder lies inside one.
    await markOutputFolder(options.cacheDir).catch(() => undefined);
    return { embedder, tokenizer, chunkTokenizer, cache };
  } catch (err) {
    await embedder.dispose();
    throw err;
  }
}

/** Embeds texts of one kind through the side's store. */
export function embedTexts(model: SideModel, texts: string[], kind: TextKind, options: RunOptions, side?: 'a' | 'b') {
  return embedWithCache(model.embedder, texts, model.cache, { ...options, kind, ...(side ? { side } : {}) });
}

/**
 * Chunks and embeds one side; `chunks` skips chunking when the caller knows they are the same as
 * another side's. In a warm session, unchanged files keep their chunks and an unchanged chunk list
 * under the same model keeps its vectors (stage 'embed'): nothing is looked up again.
 */
export async function embedSide(
  side: SideConfig, name: 'a' | 'b', corpus: Corpus, model: SideModel, options: RunOptions, timings: Timings, chunks?: Chunk[], memo: StageMemo = NO_MEMO,
): Promise<SideRun> {
  const run = forSide(options, name);
  const sideChunks = chunks ?? await timed(timings, `chunk.${name}`, () => chunkCorpus(corpus, side, model.chunkTokenizer, run, memo));
  let fresh = false;
  const embedded = await timed(timings, `embed.${name}`, () => memo.stage('embed', [model.embedder.fingerprint, memo.digest(sideChunks)], () => {
    fresh = true;
    return embedTexts(model, sideChunks.map((c) => c.embedText), 'document', run, name);
  }));
  // Taken from the session, every chunk is a hit and the first run's cache warnings are old news.
  return {
    corpus, chunks: sideChunks, vectors: embedded.vectors, truncated: embedded.truncated,
    cacheHits: fresh ? embedded.hits : sideChunks.length, cacheMisses: fresh ? embedded.misses : 0,
    cacheDeduplicated: fresh ? embedded.deduplicated : 0, warnings: fresh ? embedded.warnings : [],
  };
}
