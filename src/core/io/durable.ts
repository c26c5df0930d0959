// The one way the product writes a file: a temp sibling written whole and fsynced, renamed over the
// target, then the folder fsynced, so readers (and a process killed at any point) see the old
// content or the complete new one, never a torn file, and the rename itself survives a power cut.
// Every writer (embedding cache, model downloads, reports, baselines, extension storage, the user's
// configuration and anchors files) goes through here; the file operations are one injectable
// object so fault tests can fail the N-th write for real.
import * as nodeFs from 'node:fs/promises';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DriftError, type DriftErrorCode } from '../types';

/**
 * A file's content: bytes, text, or text in pieces written one after another (a 100 MB report
 * written from its pieces is never joined, nor encoded whole, in memory).
 */
export type FileData = Uint8Array | string | Iterable<string>;

/** The file operations a durable write needs; swap it to inject faults. */
export interface FileOps {
  readFile(file: string): Promise<Uint8Array>;
  /** Creates or truncates `file`, writes `data` (pieces in order) and fsyncs it before resolving. */
  writeFileSynced(file: string, data: FileData): Promise<void>;
  /** Creates `file` only when it does not exist (EEXIST otherwise). */
  createExclusive(file: string, data: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  mkdir(dir: string): Promise<void>;
  readdir(dir: string): Promise<string[]>;
  stat(file: string): Promise<{ size: number; mtimeMs: number; isDirectory: boolean }>;
  rm(dir: string): Promise<void>;
  /** Makes the folder's entries (a rename into it) durable. */
  syncFolder(dir: string): Promise<void>;
}

export const nodeFileOps: FileOps = {
  readFile: (file) => nodeFs.readFile(file),
  async writeFileSynced(file, data) {
    const handle = await nodeFs.open(file, 'w');
    try {
      // writeFile on an open handle writes from the current position: the pieces follow each other.
      for (const piece of typeof data === 'string' || data instanceof Uint8Array ? [data] : data) await handle.writeFile(piece);
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
  async syncFolder(dir) {
    // Some file systems refuse fsync on a folder (EINVAL, EISDIR on a few): the rename still happened,
    // only its durability across a power cut is the file system's to give.
    const handle = await nodeFs.open(dir, 'r').catch(() => undefined);
    if (!handle) return;
    try {
      await handle.sync().catch(() => undefined);
    } finally {
      await handle.close();
    }
  },
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
    ENOENT: 'the folder does not exist',
  };
  if (code && reasons[code]) return `${reasons[code]} (${code})`;
  return err instanceof Error ? err.message.split('\n')[0] ?? 'unknown error' : String(err);
}

/** A unique sibling name for a temp or write-once file: time, pid plus random bits, never reused. */
export function uniqueName(prefix: string, suffix: string): string {
  return `${prefix}${Date.now().toString(36)}-${process.pid}-${randomBytes(6).toString('hex')}${suffix}`;
}

export interface DurableOptions {
  fs?: FileOps;
  /** The DriftError code a failure is reported as (default 'io'). */
  code?: DriftErrorCode;
}

/**
 * Writes `file` so that readers see either the old content or the complete new one: temp file in
 * the same folder, fsync, rename, fsync of the folder. On failure the temp file is removed and a
 * DriftError names the file and the reason; whatever was at `file` before is untouched.
 */
export async function writeFileDurable(file: string, data: FileData, options: DurableOptions = {}): Promise<void> {
  const fs = options.fs ?? nodeFileOps;
  const tmp = path.join(path.dirname(file), uniqueName('.tmp-', `-${path.basename(file)}`));
  try {
    await fs.writeFileSynced(tmp, data);
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.unlink(tmp).catch(() => undefined);
    throw new DriftError(`Could not write ${file}: ${describeWriteError(err)}.`, options.code ?? 'io', { cause: err });
  }
  await fs.syncFolder(path.dirname(file));
}

/**
 * Replaces the folder `target` by one holding exactly `files` (name -> content), all or nothing:
 * the new folder is written beside it (each file fsynced), the old one moved aside, the new one
 * renamed into place, the parent fsynced, then the old one removed. A failure at any step leaves
 * the folder that was there before.
 */
export async function replaceFolderDurable(target: string, files: ReadonlyArray<readonly [string, Uint8Array | string]>, options: DurableOptions = {}): Promise<void> {
  const fs = options.fs ?? nodeFileOps;
  const code = options.code ?? 'io';
  const parent = path.dirname(target);
  const temp = path.join(parent, uniqueName(`.tmp-${path.basename(target)}-`, ''));
  try {
    await fs.mkdir(temp);
    for (const [name, data] of files) await fs.writeFileSynced(path.join(temp, name), data);
    await fs.syncFolder(temp);
  } catch (err) {
    await fs.rm(temp).catch(() => undefined);
    throw new DriftError(`Could not write ${target}: ${describeWriteError(err)}.`, code, { cause: err });
  }
  const old = path.join(parent, uniqueName(`.old-${path.basename(target)}-`, ''));
  let movedAside = false;
  try {
    await fs.rename(target, old).then(() => { movedAside = true; }, (err: unknown) => { if (errorCode(err) !== 'ENOENT') throw err; });
    await fs.rename(temp, target);
  } catch (err) {
    // Put the old folder back: a failed replace must leave the one the user had.
    if (movedAside) await fs.rename(old, target).catch(() => undefined);
    await fs.rm(temp).catch(() => undefined);
    throw new DriftError(`Could not move the new ${path.basename(target)} into ${target}: ${describeWriteError(err)}.`, code, { cause: err });
  }
  await fs.syncFolder(parent);
  // The new folder is in place; a copy of the old one that cannot be removed is only clutter.
  if (movedAside) await fs.rm(old).catch(() => undefined);
}
