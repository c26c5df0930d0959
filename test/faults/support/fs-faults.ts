// Fault injection for every file a run writes, whichever module writes it: patches node's fs.promises
// (the one object `node:fs/promises` and `fs.promises` share) so that, for paths under one folder,
// the N-th mutating call fails. EIO and ENOSPC cannot be caused for real without privileges, so this
// is the one stand-in; what each fault leaves on disk is real.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errnoError, type FaultMode } from './faulty-fs';

type AnyFn = (...args: any[]) => Promise<any>;
const promises = fs.promises as unknown as Record<string, AnyFn>;
const MUTATING = ['writeFile', 'appendFile', 'open', 'rename', 'mkdir', 'rm', 'rmdir', 'unlink', 'link', 'copyFile', 'truncate', 'symlink', 'cp'] as const;
/** On a full disk these still work: they free space or only relink names (rename in place needs no new blocks). */
const NEEDS_NO_SPACE = new Set(['rm', 'rmdir', 'unlink', 'rename']);

export interface FsFaults {
  /** Mutating calls under the folder so far. */
  writes: number;
  log: string[];
  restore(): void;
}

function writesTo(op: string, args: unknown[]): string | undefined {
  if (op === 'open') {
    const flags = args[1] ?? 'r';
    const writing = typeof flags === 'number' ? (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT)) !== 0 : /[wax+]/.test(String(flags));
    if (!writing) return undefined;
  }
  const target = op === 'rename' || op === 'link' || op === 'copyFile' || op === 'symlink' || op === 'cp' ? args[1] : args[0];
  return typeof target === 'string' ? path.resolve(target) : target instanceof URL ? target.pathname : undefined;
}

/** From now on, the `failAt`-th mutating call under `under` fails as `mode` says (see FaultMode); undefined only counts. */
export function injectFsFaults(under: string, failAt: number | undefined, mode: FaultMode): FsFaults {
  const root = path.resolve(under) + path.sep;
  const originals = new Map<string, AnyFn>();
  const state: FsFaults = {
    writes: 0,
    log: [],
    restore() { for (const [name, fn] of originals) promises[name] = fn; },
  };
  const code = mode === 'full' ? 'ENOSPC' : 'EIO';
  for (const op of MUTATING) {
    const original = promises[op];
    if (!original) continue;
    originals.set(op, original);
    promises[op] = async function patched(this: unknown, ...args: unknown[]) {
      const target = writesTo(op, args);
      if (target === undefined || !(target + path.sep).startsWith(root)) return original.apply(this, args);
      state.writes++;
      state.log.push(`${state.writes} ${op} ${path.relative(root, target)}`);
      const fails = failAt !== undefined && (mode === 'full' ? state.writes >= failAt : state.writes === failAt);
      if (!fails) return original.apply(this, args);
      if (mode === 'full' && NEEDS_NO_SPACE.has(op)) return original.apply(this, args);
      if (op === 'mkdir' && fs.existsSync(target)) return original.apply(this, args);
      if (mode !== 'eio' && (op === 'writeFile' || op === 'appendFile')) {
        const data = args[1];
        const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data as Uint8Array);
        await originals.get('writeFile')!(target, bytes.subarray(0, Math.floor(bytes.byteLength / 2)));
      } else if (mode !== 'eio' && op === 'open') {
        await originals.get('writeFile')!(target, '');
      }
      throw errnoError(code, op, target);
    };
  }
  return state;
}
