// Opens a side's store, whichever kind the configuration names.
import { openFileStore } from './files';
import { openLanceStore, type OpenStoreOptions } from './lance';
import type { StoreSpec, VectorStore } from './types';

export type { OpenStoreOptions } from './lance';
export * from './types';

export function openStore(spec: StoreSpec, options: OpenStoreOptions = {}): Promise<VectorStore> {
  return spec.kind === 'lancedb' ? openLanceStore(spec, options) : openFileStore(spec, options);
}

/** How the report names a store: `lancedb:docs.vector` or `file:vectors.parquet#vector`. */
export function describeStore(spec: StoreSpec): string {
  if (spec.kind === 'lancedb') return `lancedb:${spec.table}.${spec.columns.vector}`;
  const base = spec.path.split(/[\\/]/).pop() ?? spec.path;
  return `file:${base}#${spec.columns.vector}`;
}
