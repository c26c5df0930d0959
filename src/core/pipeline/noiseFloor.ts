// The noise floor stage (config `noiseFloor: true`): side A again under each change that should not
// matter (the other inference backend, the other dtype, approximate against exact search), each
// compared with A's own neighbor lists by the A-to-B churn definitions. A source that does not apply
// to the model, or cannot run here, is skipped with the reason: a floor is never invented.
import type { DriftConfig, ModelSpec, SearchSpec } from '../config/types';
import { createEmbedder, embedWithCache, openEmbeddingCache } from '../embedding';
import { nativeRuntimeAvailable, OnnxEmbedder } from '../embedding/onnxEmbedder';
import type { Embedder } from '../embedding/types';
import { findDistinctPrepared } from '../index/distinct';
import { prepareVectors } from '../index/quantize';
import type { NeighborSearch, PreparedVectors } from '../index/types';
import { sameItemChurn, summarizeNoiseFloor } from '../metrics/noiseFloor';
import type { NoiseFloor, NoiseMeasurement, NoiseSource } from '../report/types';
import { DriftError, isAbortError, type Chunk } from '../types';
import { forSide } from './stages';
import type { CompareOptions } from './types';

export interface NoiseFloorInputs {
  config: DriftConfig;
  /** Side A's chunks, its embedder and its vectors as the index stores them. */
  chunks: Chunk[];
  embedder: Embedder;
  prepared: PreparedVectors;
  /** A's neighbor search as the report used it (its rows and method). */
  search: NeighborSearch;
}

type Skip = { source: NoiseSource; reason: string };

/** Why a model spec has no backend or dtype variant here, or null when it may have one. */
function noVariantReason(model: ModelSpec): string | null {
  if (model.kind === 'builtin' && model.name === 'lexical') return 'builtin:lexical has one implementation: no other backend or dtype exists to compare';
  if (model.kind === 'endpoint') return 'a hosted endpoint runs where it is hosted: no other backend or dtype here';
  return null;
}

export async function measureNoiseFloor(input: NoiseFloorInputs, options: CompareOptions): Promise<NoiseFloor> {
  const { config, chunks, prepared, search } = input;
  const measured: NoiseMeasurement[] = [];
  const skipped: Skip[] = [];
  const run = forSide({ signal: options.signal, onProgress: options.onProgress }, 'a');
  const workers = options.workers === undefined ? {} : { workers: options.workers };
  const compareWith = async (source: NoiseSource, variant: string, lists: NeighborSearch): Promise<void> => {
    const churn = await sameItemChurn(
      { lists: search.lists, rows: search.rows }, { lists: lists.lists, rows: lists.rows }, chunks, config.k, config.churnThreshold, options.signal,
    );
    measured.push({ source, variant, ...churn });
  };
  // Over distinct texts, as A's own lists were searched.
  const texts = chunks.map((c) => c.embedText);
  const searchLike = (p: PreparedVectors, spec: SearchSpec): Promise<NeighborSearch> =>
    findDistinctPrepared(texts, p, config.k, spec, { ...run, seed: config.seed, ...workers, ...(search.rows.length < p.n ? { rows: search.rows } : {}) });
  // Variants search the way A's own lists were searched, so only the one change differs.
  // ('database', a sampled store's own search, never reaches here: buildPipelineReport measures no floor over found neighbors.)
  const sameMethod: SearchSpec = { ...config.search, method: search.method === 'hnsw' ? 'hnsw' : 'exact' };

  // Approximate against exact search on A's own vectors.
  if (prepared.bits) {
    skipped.push({ source: 'search', reason: 'binary vectors are always searched exhaustively by Hamming distance: there is no approximate index to compare' });
  } else {
    const other: SearchSpec = { ...config.search, method: search.method === 'exact' ? 'hnsw' : 'exact' };
    const variant = other.method === 'hnsw'
      ? `HNSW search (M ${other.m}, efConstruction ${other.efConstruction}, efSearch ${other.efSearch}) instead of exact`
      : 'exact search instead of HNSW';
    await compareWith('search', variant, await searchLike(prepared, other));
  }

  const model = config.a.model;
  const none = noVariantReason(model);
  if (none !== null || (model.kind !== 'hub' && model.kind !== 'local' && !(model.kind === 'builtin' && model.name === 'glove'))) {
    const reason = none ?? 'this side has no model to run again';
    skipped.push({ source: 'backend', reason }, { source: 'dtype', reason });
    return summarizeNoiseFloor(measured, skipped);
  }

  // Re-embeds A's chunks with one variant of its model and measures the churn that alone causes.
  const variantRun = async (source: NoiseSource, variant: string, spec: ModelSpec, cacheTag: string | null): Promise<void> => {
    let embedder: Embedder | undefined;
    try {
      embedder = await createEmbedder(spec, {
        cacheDir: options.cacheDir, allowNetwork: options.allowNetwork, ...workers, ...run,
        ...(options.getSecret ? { getSecret: options.getSecret } : {}),
      });
      // The backend is not in the fingerprint (its vectors share A's store), so its own store is tagged.
      const store = await openEmbeddingCache(options.cacheDir, {
        fingerprint: cacheTag === null ? embedder.fingerprint : `${embedder.fingerprint}\u0000noise-floor:${cacheTag}`, dimension: embedder.dimension,
      });
      const embedded = await embedWithCache(embedder, chunks.map((c) => c.embedText), store, { ...run, kind: 'document', side: 'a' });
      const p = prepareVectors(embedded.vectors, chunks.length, embedder.dimension, config.a.vectors, 'a.vectors');
      await compareWith(source, variant, await searchLike(p, sameMethod));
    } catch (err) {
      if (isAbortError(err) || !(err instanceof DriftError)) throw err;
      skipped.push({ source, reason: `${variant} could not run: ${err.message}` });
    } finally {
      await embedder?.dispose();
    }
  };

  const current = input.embedder instanceof OnnxEmbedder ? input.embedder.backend : undefined;
  if (model.backend !== 'auto') {
    skipped.push({ source: 'backend', reason: `the backend is set to '${model.backend}' (by the configuration, a setting or Restricted Mode), so the other one is not run` });
  } else if (current === undefined) {
    skipped.push({ source: 'backend', reason: 'the model did not run on ONNX Runtime here' });
  } else if (current === 'wasm' && !nativeRuntimeAvailable()) {
    skipped.push({ source: 'backend', reason: 'onnxruntime-node does not load here, so only WASM runs' });
  } else {
    const other = current === 'native' ? 'wasm' : 'native';
    const name = (b: string): string => (b === 'wasm' ? 'WASM' : 'native');
    await variantRun('backend', `the ${name(other)} backend instead of ${name(current)}`, { ...model, backend: other }, other);
  }

  if (model.kind === 'builtin') {
    skipped.push({ source: 'dtype', reason: 'builtin:glove ships only its int8 table; the GloVe folder `npm run make-models` writes (.models/glove-6b-100d, as { "path": ... }) has both dtypes' });
  } else {
    const dtype = model.dtype === 'fp32' ? 'q8' : 'fp32';
    await variantRun('dtype', `${dtype} weights instead of ${model.dtype}`, { ...model, dtype }, null);
  }
  return summarizeNoiseFloor(measured, skipped);
}
