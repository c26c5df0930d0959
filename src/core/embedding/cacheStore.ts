// Every file write of the embedding cache and the model store goes through here: durable atomic
// writes (temp file, fsync, rename), an exclusive lock file with stale detection, and one
// injectable `CacheFs` layer so fault tests can make the N-th write fail (ENOSPC, EIO) for real.
import * as nodeFs from 'node:fs/promises';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DriftError } from '../types';

/** The file operations the cache uses; swap it to inject faults. */
export interface CacheFs {
  readFile(file: string): Promise<Uint8Array>;
  /** Creates or truncates `file`, writes `data` and fsyncs it before resolving. */
  writeFileSynced(file: string, data: Uint8Array | string): Promise<void>;
  /** Creates `file` only when it does not exist (EEXIST otherwise). */
  createExclusive(file: string, data: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  mkdir(dir: string): Promise<void>;
  readdir(dir: string): Promise<string[]>;
  stat(file: string): Promise<{ size: number; mtimeMs: number; isDirectory: boolean }>;
  rm(dir: string): Promise<void>;
}

export const nodeCacheFs: CacheFs = {
  readFile: (file) => nodeFs.readFile(file),
  async writeFileSynced(file, data) {
    const handle = await nodeFs.open(file, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  async createExclusive(file, data) {
    // Written whole under a temp name, then linked into place: link(2) fails with EEXIST as open 'wx'
    // does, and a process killed midway never leaves an empty lock that others must wait out.
    const tmp = path.join(path.dirname(file), uniqueName('.tmp-', `-${path.basename(file)}`));
    await nodeFs.writeFile(tmp, data);
    try {
      await nodeFs.link(tmp, file);
    } finally {
      await nodeFs.unlink(tmp).catch(() => undefined);
    }
  },
  rename: (from, to) => nodeFs.rename(from, to),
  unlink: (file) => nodeFs.unlink(file),
  mkdir: async (dir) => { await nodeFs.mkdir(dir, { recursive: true }); },
  readdir: (dir) => nodeFs.readdir(dir),
  async stat(file) {
    const s = await nodeFs.stat(file);
    return { size: s.size, mtimeMs: s.mtimeMs, isDirectory: s.isDirectory() };
  },
  rm: (dir) => nodeFs.rm(dir, { recursive: true, force: true }),
};

export function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/** A one-line reason for a failed write, e.g. "no space left on device (ENOSPC)". */
export function describeWriteError(err: unknown): string {
  const code = errorCode(err);
  const reasons: Record<string, string> = {
    ENOSPC: 'no space left on device',
    EIO: 'input/output error',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    EDQUOT: 'disk quota exceeded',
  };
  if (code && reasons[code]) return `${reasons[code]} (${code})`;
  return err instanceof Error ? err.message.split('\n')[0] ?? 'unknown error' : String(err);
}

/** A unique sibling name for a temp or write-once file: pid plus random bits, never reused. */
export function uniqueName(prefix: string, suffix: string): string {
  return `${prefix}${Date.now().toString(36)}-${process.pid}-${randomBytes(6).toString('hex')}${suffix}`;
}

/**
 * Writes `file` so that readers see either the old content or the complete new one: temp file in
 * the same folder, fsync, rename. On failure the temp file is removed and a DriftError('cache')
 * names the file; whatever was at `file` before is untouched.
 */
export async function writeFileAtomic(fs: CacheFs, file: string, data: Uint8Array | string): Promise<void> {
  const tmp = path.join(path.dirname(file), uniqueName('.tmp-', `-${path.basename(file)}`));
  try {
    await fs.writeFileSynced(tmp, data);
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.unlink(tmp).catch(() => undefined);
    throw new DriftError(`Could not write ${file}: ${describeWriteError(err)}.`, 'cache', { cause: err });
  }
}

const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 20_000;
/** Lock files this process holds right now: one with our pid that is not here was leaked by a failed release. */
const heldLocks = new Set<string>();

/**
 * Runs `work` while holding `<dir>/.lock`. The lock records pid and time; a lock whose process is
 * gone or that is older than 30 s is stale (a crashed writer) and is broken. Held for milliseconds.
 */
export async function withLock<T>(fs: CacheFs, dir: string, work: () => Promise<T>): Promise<T> {
  const lock = path.join(dir, '.lock');
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.createExclusive(lock, JSON.stringify({ pid: process.pid, time: Date.now() }));
      heldLocks.add(lock);
      break;
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') {
        throw new DriftError(`Could not lock ${dir}: ${describeWriteError(err)}.`, 'cache', { cause: err });
      }
      if (await isStaleLock(fs, lock)) {
        await fs.unlink(lock).catch(() => undefined);
        continue;
      }
      if (Date.now() - started > LOCK_WAIT_MS) {
        throw new DriftError(`Timed out waiting for the lock ${lock}; another process is writing this cache.`, 'cache');
      }
      await new Promise((r) => setTimeout(r, Math.min(200, 5 * 2 ** attempt)));
    }
  }
  try {
    return await work();
  } finally {
    heldLocks.delete(lock);
    await fs.unlink(lock).catch(() => undefined);
  }
}

async function isStaleLock(fs: CacheFs, lock: string): Promise<boolean> {
  try {
    const raw = new TextDecoder().decode(await fs.readFile(lock));
    const { pid, time } = JSON.parse(raw) as { pid: number; time: number };
    if (Date.now() - time > LOCK_STALE_MS) return true;
    if (pid === process.pid) return !heldLocks.has(lock);
    try {
      process.kill(pid, 0);
    } catch (err) {
      return errorCode(err) === 'ESRCH';
    }
    return false;
  } catch (err) {
    // Vanished between our attempt and this read: not stale, just retry. Unreadable garbage left by
    // a crash mid-write is stale once it is old enough.
    if (errorCode(err) === 'ENOENT') return false;
    try {
      return Date.now() - (await fs.stat(lock)).mtimeMs > LOCK_STALE_MS;
    } catch {
      return false;
    }
  }
}

/** Total bytes of the files below `dir` (0 when it does not exist). */
export async function folderSize(fs: CacheFs, dir: string): Promise<number> {
  let total = 0;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const full = path.join(dir, name);
    try {
      const s = await fs.stat(full);
      total += s.isDirectory ? await folderSize(fs, full) : s.size;
    } catch {
      // Removed while we walked: it no longer counts.
    }
  }
  return total;
}
