// Workspace-trust rules: what a configuration may do in a workspace the user has not trusted.
// Reading and comparing still work; nothing is downloaded or sent out (allowNetwork false), models
// run on WASM only (settings.ts), no path in the configuration may point outside the workspace, and
// no store is opened from outside it or from a URI.
// Pure, so it is unit-tested in Node.
import type { DriftConfig, ModelSpec, SideConfig, StoreSpec, TokenizerSpec } from '../core/config/types';
import { DriftError } from '../core/types';
import { isInside } from './containment';
import * as path from 'node:path';

export interface TrustIssue {
  /** Dotted field of the configuration, e.g. "b.model.path". */
  field: string;
  message: string;
}

/** Every way `config` would reach beyond an untrusted workspace, one issue per field. */
export function untrustedIssues(config: DriftConfig, workspaceRoots: readonly string[]): TrustIssue[] {
  const issues: TrustIssue[] = [];
  const roots = workspaceRoots.map((r) => path.resolve(r));
  const checkPath = (field: string, p: string | undefined): void => {
    if (p === undefined) return;
    if (!roots.some((root) => isInside(root, path.resolve(p)))) {
      issues.push({ field, message: `${field} points outside the workspace (${p}), which an untrusted workspace may not do` });
    }
  };
  checkPath('corpus.root', config.corpus.root);
  checkPath('anchors', config.anchors);
  for (const side of ['a', 'b'] as const) {
    const s: SideConfig = config[side];
    checkPath(`${side}.corpus`, s.corpusRoot);
    checkModel(`${side}.model`, s.model, issues, checkPath);
    checkTokenizer(`${side}.tokenizer`, s.tokenizer, checkPath);
    if (s.chunker.tokenizer) checkTokenizer(`${side}.chunker.tokenizer`, s.chunker.tokenizer, checkPath);
    if (s.store) checkStore(`${side}.store`, s.store, issues, checkPath);
  }
  return issues;
}

/** A store is read only from a folder or file inside the workspace; a URI (s3://, gs://, db://...) would reach out. */
function checkStore(field: string, store: StoreSpec, issues: TrustIssue[], checkPath: (f: string, p: string) => void): void {
  if (store.kind === 'file') { checkPath(`${field}.file`, store.path); return; }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(store.uri)) {
    issues.push({ field: `${field}.lancedb`, message: `${field}.lancedb is a URI (${store.uri.split('/').slice(0, 3).join('/')}...); an untrusted workspace opens no remote store` });
    return;
  }
  checkPath(`${field}.lancedb`, store.uri);
}

function checkModel(field: string, model: ModelSpec, issues: TrustIssue[], checkPath: (f: string, p: string) => void): void {
  if (model.kind === 'local') checkPath(`${field}.path`, model.path);
  if (model.kind === 'endpoint') {
    issues.push({ field, message: `${field} is a hosted endpoint (${model.endpoint}); an untrusted workspace sends nothing over the network` });
  }
}

function checkTokenizer(field: string, spec: TokenizerSpec, checkPath: (f: string, p: string) => void): void {
  if (spec.kind === 'hf') checkPath(`${field}.path`, spec.path);
}

/**
 * Throws one DriftError('config') listing the issues, most important first, when the workspace
 * is untrusted and the configuration reaches beyond it; otherwise returns the config unchanged.
 */
export function enforceTrust(config: DriftConfig, trusted: boolean, workspaceRoots: readonly string[]): DriftConfig {
  if (trusted) return config;
  const issues = untrustedIssues(config, workspaceRoots);
  if (issues.length === 0) return config;
  const where = config.configPath ? path.basename(config.configPath) : 'the configuration';
  const lines = issues.map((i) => i.message);
  throw new DriftError(
    `Restricted mode: ${where}: ${lines.join('; ')}. Trust the workspace to allow this.`,
    'config',
  );
}
