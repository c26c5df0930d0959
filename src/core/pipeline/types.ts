// The one entry point both front doors (extension, CLI) call: configuration in, report out.
import type { DriftConfig } from '../config/types';
import type { Report } from '../report/types';
import type { RunOptions, SearchHit } from '../types';

export interface CompareOptions extends RunOptions {
  /** Folder for model files and the embedding cache (created if missing). */
  cacheDir: string;
  /** Resolves an API key by the name the configuration gives (env var or SecretStorage). */
  getSecret?: (name: string) => Promise<string | undefined>;
  /** False in untrusted workspaces and offline runs: no model download, no hosted endpoint. */
  allowNetwork: boolean;
  /** Worker threads for embedding and search (default: one per core). */
  workers?: number;
  /** Version of the front door, recorded in report.tool.version. */
  toolVersion?: string;
  /** Folder holding node_modules/@lancedb/lancedb when it is not installed beside the code (the extension). */
  lancedbPath?: string;
}

export type { SearchHit };

/** What a finished run keeps in memory so the query playground can answer in milliseconds. */
export interface ComparisonSession {
  report: Report;
  search(query: string, k: number, options?: RunOptions): Promise<{ a: SearchHit[]; b: SearchHit[] }>;
  dispose(): Promise<void>;
}

export type { DriftConfig, Report };
