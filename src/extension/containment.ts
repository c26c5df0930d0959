// Decides whether a file path that arrived from the webview (or a configuration) may be opened:
// only files inside one of the allowed roots (the workspace folders, the report's corpus roots).
// Pure path logic plus one realpath check, no `vscode`, so it is unit-tested in plain Node.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/**
 * Resolves `requested` (relative to the first root, or absolute) and returns the absolute path when
 * it lies inside one of `roots`, else undefined. Rejects, before resolving, anything a report never
 * holds but an attacker might send: `..` segments, NUL bytes, percent-encoding of separators or
 * dots, URLs, Windows drive letters or UNC paths on POSIX, and backslash separators.
 */
export function containedPath(roots: readonly string[], requested: string): string | undefined {
  if (roots.length === 0 || requested.length === 0 || requested.length > 4096) return undefined;
  if (requested.includes('\0')) return undefined;
  if (/%(2e|2f|5c|00)/i.test(requested)) return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(requested) && !isWindowsAbsolute(requested)) return undefined;
  if (path.sep === '/' && (requested.includes('\\') || isWindowsAbsolute(requested))) return undefined;
  const segments = requested.split(/[\\/]+/);
  if (segments.includes('..')) return undefined;
  const base = path.resolve(roots[0] ?? '/');
  const resolved = path.resolve(base, requested);
  return roots.some((root) => isInside(path.resolve(root), resolved)) ? resolved : undefined;
}

/**
 * Like containedPath, and the file's real path (symlinks followed) must also lie inside a root's
 * real path: a symlink in the workspace that points elsewhere is refused. Undefined when the file
 * does not exist.
 */
export async function containedRealPath(roots: readonly string[], requested: string): Promise<string | undefined> {
  const resolved = containedPath(roots, requested);
  if (resolved === undefined) return undefined;
  let real: string;
  try {
    real = await fs.realpath(resolved);
  } catch {
    return undefined;
  }
  for (const root of roots) {
    let realRoot: string;
    try {
      realRoot = await fs.realpath(root);
    } catch {
      continue;
    }
    if (isInside(realRoot, real)) return resolved;
  }
  return undefined;
}

/** True when `child` is `parent` itself or lies below it (both absolute and normalized). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function isWindowsAbsolute(p: string): boolean {
  return /^[a-z]:[\\/]/i.test(p) || /^[\\/]{2}/.test(p);
}
