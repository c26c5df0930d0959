// Where the CLI finds its own files (the built webview bundle, the demo data) and where it keeps
// its cache by default.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DriftError } from '../core/types';

/** `$XDG_CACHE_HOME/embedding-drift`, else `~/.cache/embedding-drift`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env['XDG_CACHE_HOME'] && path.isAbsolute(env['XDG_CACHE_HOME']) ? env['XDG_CACHE_HOME'] : path.join(os.homedir(), '.cache');
  return path.join(base, 'embedding-drift');
}

/**
 * The package folder: walks up from this file, which is dist/cli.js when built and src/cli/*.ts
 * under tsx, to the package.json named embedding-drift.
 */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'embedding-drift') return dir;
      } catch {
        // Not ours or unreadable: keep walking.
      }
    }
    if (path.dirname(dir) === dir) throw new DriftError(`Cannot find the embedding-drift package folder above ${from}.`, 'io');
  }
}

/** A built file in dist/, with a clear message when the build has not run. */
export function distFile(name: string): string {
  const file = path.join(packageRoot(), 'dist', name);
  if (!existsSync(file)) throw new DriftError(`${path.join('dist', name)} is missing: build first with \`npm run build\` (node esbuild.js).`, 'io');
  return file;
}

/** This package's version, from its package.json. */
export function toolVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
