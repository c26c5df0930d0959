// Embeds through the cache: looks every text up by key, embeds only the unique misses (in groups,
// each group written as it finishes so a cancelled run keeps its work), and fills one result.
import { throwIfAborted, type RunOptions } from '../types';
import { cacheKey, EmbeddingCache, type OpenCacheOptions } from './cache';
import type { Embedder, TextKind } from './types';

export interface CachedEmbedResult {
  /** n x dimension, row-major, in input order. */
  vectors: Float32Array;
  /** Inputs cut at the model's maximum length, cached ones included. */
  truncated: number;
  /** Inputs served from the cache as it was before this call. */
  hits: number;
  /** Distinct texts that had to be embedded. */
  misses: number;
  /** Inputs repeating a text embedded in this call: embedded once, not served from the cache. */
  deduplicated: number;
  /** Cache problems found and worked around (corrupt segment rebuilt, write failed...). */
  warnings: string[];
}

/** Unique misses embedded per call to the embedder, and written as one segment. */
const GROUP = 1024;

/**
 * `cache` is an open EmbeddingCache, a root folder (the store for the embedder's fingerprint is
 * opened below it), or undefined for no caching. A failed cache write never fails the run: the
 * vectors are returned and the failure becomes a warning.
 */
export async function embedWithCache(
  embedder: Embedder,
  texts: string[],
  cache: EmbeddingCache | string | undefined,
  options: RunOptions & { kind: TextKind; side?: 'a' | 'b'; cacheOptions?: OpenCacheOptions },
): Promise<CachedEmbedResult> {
  const dim = embedder.dimension;
  const store = typeof cache === 'string'
    ? await EmbeddingCache.open(cache, embedder.fingerprint, dim, options.cacheOptions)
    : cache;
  const warnings = store ? [...store.warnings] : [];
  const vectors = new Float32Array(texts.length * dim);
  const keys = texts.map((t) => cacheKey(options.kind, t));
  const truncatedRows = new Uint8Array(texts.length);

  // Unique misses, each remembered with every input position that wants it.
  const missing = new Map<string, number[]>();
  for (let i = 0; i < texts.length; i++) {
    const key = keys[i] as string;
    const cut = store?.read(key, vectors.subarray(i * dim, (i + 1) * dim));
    if (cut !== undefined) {
      truncatedRows[i] = cut ? 1 : 0;
      continue;
    }
    const list = missing.get(key);
    if (list) list.push(i);
    else missing.set(key, [i]);
  }
  const misses = missing.size;
  let repeats = 0;
  for (const positions of missing.values()) repeats += positions.length - 1;
  // Progress counts every input not waiting for the embedder; the result tells the two kinds apart.
  const hits = texts.length - misses;
  const total = texts.length;
  const report = (done: number) => options.onProgress?.({
    stage: 'embed', done, total, ...(options.side ? { side: options.side } : {}),
  });
  report(hits);

  const entries = [...missing.entries()];
  let storeWorks = store !== undefined;
  // Cuts an embedder reported without saying which rows they were.
  let unattributedCuts = 0;
  for (let g = 0; g < entries.length; g += GROUP) {
    throwIfAborted(options.signal);
    const group = entries.slice(g, g + GROUP);
    const groupTexts = group.map(([, positions]) => texts[positions[0] as number] as string);
    const result = await embedder.embed(groupTexts, {
      kind: options.kind,
      signal: options.signal,
      onProgress: (e) => report(hits + g + e.done),
    });
    const flags = result.truncatedRows ?? new Uint8Array(group.length);
    if (!result.truncatedRows) unattributedCuts += result.truncated;
    group.forEach(([, positions], j) => {
      const row = result.vectors.subarray(j * dim, (j + 1) * dim);
      for (const p of positions) {
        vectors.set(row, p * dim);
        truncatedRows[p] = flags[j] ?? 0;
      }
    });
    if (store && storeWorks) {
      try {
        await store.write(group.map(([key]) => key), result.vectors, flags);
      } catch (err) {
        // Keep the vectors; a cache that cannot be written only costs time on the next run.
        warnings.push(err instanceof Error ? err.message : String(err));
        storeWorks = false;
      }
    }
    report(hits + Math.min(g + GROUP, entries.length));
  }
  let truncated = unattributedCuts;
  for (const t of truncatedRows) truncated += t;
  // Warnings the store gathered while writing (repairs, compaction) that are new since opening.
  if (store) for (const w of store.warnings) if (!warnings.includes(w)) warnings.push(w);
  return { vectors, truncated, hits: hits - repeats, misses, deduplicated: repeats, warnings };
}
