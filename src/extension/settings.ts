// The extension's settings (embeddingDrift.*) as defaults under the configuration file: a value
// written in the file always wins; a setting fills in only what the file leaves out. Pure.
import { DEFAULT_K, DEFAULT_MAX_FILE_BYTES } from '../core/config/defaults';
import type { DriftConfig, ModelSpec } from '../core/config/types';
import { parseTree, findNodeAtLocation } from 'jsonc-parser';

export interface ExtensionSettings {
  defaultK: number;
  backend: 'auto' | 'wasm' | 'native';
  /** 0 = one per core (the core's default). */
  workers: number;
  /** Cache size above which the user is told (and offered Clear Cache); 0 = no limit. */
  cacheLimitMB: number;
  maxFileSizeKB: number;
}

/** What a setting is when the user set nothing: the core's defaults where the setting stands for a configuration field (package.json's "default" entries agree: a unit test checks). */
export const DEFAULT_SETTINGS: ExtensionSettings = {
  defaultK: DEFAULT_K, backend: 'auto', workers: 0, cacheLimitMB: 2048, maxFileSizeKB: DEFAULT_MAX_FILE_BYTES / 1024,
};

/** Which of the fields settings can fill the configuration file sets itself. */
export function fieldsSetInFile(text: string): { k: boolean; maxFileBytes: boolean; backend: { a: boolean; b: boolean } } {
  const root = parseTree(text);
  const has = (p: Array<string | number>): boolean => root !== undefined && findNodeAtLocation(root, p) !== undefined;
  return {
    k: has(['k']),
    maxFileBytes: has(['corpus', 'maxFileBytes']),
    backend: { a: has(['a', 'model', 'backend']), b: has(['b', 'model', 'backend']) },
  };
}

/**
 * Returns a copy of `config` with settings applied where the file is silent. `setInFile` is
 * undefined for the built-in default configuration (no file): then every setting applies.
 * In an untrusted workspace the backend setting is ignored (WASM only).
 */
export function applySettings(
  config: DriftConfig,
  settings: ExtensionSettings,
  setInFile: ReturnType<typeof fieldsSetInFile> | undefined,
  trusted: boolean,
): DriftConfig {
  const out: DriftConfig = { ...config, corpus: { ...config.corpus }, a: { ...config.a }, b: { ...config.b } };
  if (!setInFile?.k && Number.isInteger(settings.defaultK) && settings.defaultK >= 1) out.k = settings.defaultK;
  if (!setInFile?.maxFileBytes && settings.maxFileSizeKB > 0) out.corpus.maxFileBytes = Math.round(settings.maxFileSizeKB * 1024);
  const backend = trusted ? settings.backend : 'wasm';
  for (const side of ['a', 'b'] as const) {
    if (setInFile?.backend[side] && trusted) continue;
    out[side].model = withBackend(out[side].model, backend, trusted);
  }
  return out;
}

function withBackend(model: ModelSpec, backend: ExtensionSettings['backend'], trusted: boolean): ModelSpec {
  if (model.kind !== 'hub' && model.kind !== 'local' && !(model.kind === 'builtin' && model.name === 'glove')) return model;
  if (!trusted) return { ...model, backend: 'wasm' };
  return backend === 'auto' ? model : { ...model, backend };
}
