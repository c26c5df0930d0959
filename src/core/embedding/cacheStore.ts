// The embedding cache's and the model store's file layer: the product's one durable writer
// (src/core/io/durable.ts) with cache-flavored errors, an exclusive lock file with stale detection,
// and one injectable `CacheFs` so fault tests can make the N-th write fail (ENOSPC, EIO) for real.
import * as path from 'node:path';
import { describeWriteError, errorCode, nodeFileOps, writeFileDurable, type FileOps } from '../io/durable';
import { DriftError } from '../types';

export { describeWriteError, errorCode, uniqueName } from '../io/durable';

/** The file operations the cache uses (the durable writer's); swap it to inject faults. */
export type CacheFs = FileOps;
export const nodeCacheFs: CacheFs = nodeFileOps;

/** The durable write (src/core/io/durable.ts), failures reported as cache errors. */
export function writeFileAtomic(fs: CacheFs, file: string, data: Uint8Array | string): Promise<void> {
  return writeFileDurable(file, data, { fs, code: 'cache' });
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
