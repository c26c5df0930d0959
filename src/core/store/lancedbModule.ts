// Loads @lancedb/lancedb (and the apache-arrow it was built against) at run time. Its native core is
// 155 MB, too large for the .vsix: the CLI gets it as an npm dependency, the extension from a folder
// the user installs it into (DEFAULT_LANCEDB_FOLDER or the embeddingDrift.lancedbPath setting).
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { DriftError } from '../types';

type LanceDb = typeof import('@lancedb/lancedb');
type Arrow = typeof import('apache-arrow');

export interface LanceModules {
  lancedb: LanceDb;
  arrow: Arrow;
  /** Where it was loaded from ("dependency" or the folder). */
  from: string;
}

/** The release the code is tested with (newer ones may not install offline with npm ci). */
export const LANCEDB_VERSION = '0.31.0';
export const DEFAULT_LANCEDB_FOLDER = path.join(os.homedir(), '.embedding-drift', 'lancedb');

export function lancedbInstallCommand(folder = DEFAULT_LANCEDB_FOLDER): string {
  return `npm install --prefix "${folder}" @lancedb/lancedb@${LANCEDB_VERSION} apache-arrow@18`;
}

const loaded = new Map<string, LanceModules>();

function requireFrom(require: NodeJS.Require, from: string): LanceModules {
  // Rust's logger prints warnings (e.g. "No existing dataset ... it will be created") on stderr.
  process.env['LANCEDB_LOG'] ??= 'error';
  return { lancedb: require('@lancedb/lancedb') as LanceDb, arrow: require('apache-arrow') as Arrow, from };
}

/**
 * The LanceDB modules: the package's own dependency when it resolves (CLI, tests), else the
 * folder given (or DEFAULT_LANCEDB_FOLDER) holding node_modules/@lancedb/lancedb. A missing
 * install is a DriftError that says the command to run.
 */
export function loadLanceDb(folder?: string): LanceModules {
  const key = folder ?? '';
  const cached = loaded.get(key);
  if (cached) return cached;
  const attempts: string[] = [];
  if (folder === undefined) {
    try {
      const modules = requireFrom(require, 'dependency');
      loaded.set(key, modules);
      return modules;
    } catch (err) {
      attempts.push(`not installed beside Embedding Drift (${firstLine(err)})`);
    }
  }
  const dir = path.resolve(folder ?? DEFAULT_LANCEDB_FOLDER);
  try {
    const modules = requireFrom(createRequire(path.join(dir, 'package.json')), dir);
    loaded.set(key, modules);
    return modules;
  } catch (err) {
    attempts.push(`not in ${dir} (${firstLine(err)})`);
  }
  throw new DriftError(
    `Reading a LanceDB store needs @lancedb/lancedb ${LANCEDB_VERSION}, which is ${attempts.join('; ')}. Install it with: ${lancedbInstallCommand(folder ?? DEFAULT_LANCEDB_FOLDER)}`,
    'config',
  );
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (text.split('\n')[0] ?? '').slice(0, 160);
}
