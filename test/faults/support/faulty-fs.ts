// A CacheFs that makes a chosen write fail for real on disk: the N-th mutating call throws (EIO), or
// leaves a torn file first (a crash mid-write), or the disk "fills up" from the N-th write on (ENOSPC).
// Counting every mutating call of a clean run, then failing each N in turn, covers every write a run makes.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { nodeCacheFs, type CacheFs } from '../../../src/core/embedding/cacheStore';
import type { FileData } from '../../../src/core/io/durable';

/**
 * - `eio`: only the N-th write fails, with EIO, nothing written.
 * - `torn`: the N-th write leaves what a crash would (half a file, or nothing where the real call is
 *   atomic), then fails; later writes work (the process "restarted").
 * - `full`: from the N-th write on, every write that needs space fails with ENOSPC after writing a
 *   prefix, as a full disk does; removing and renaming still work.
 */
export type FaultMode = 'eio' | 'torn' | 'full';
export const FAULT_MODES: readonly FaultMode[] = ['eio', 'torn', 'full'];

export function errnoError(code: 'EIO' | 'ENOSPC', op: string, file: string): NodeJS.ErrnoException {
  const text = code === 'EIO' ? 'i/o error' : 'no space left on device';
  return Object.assign(new Error(`${code}: ${text}, ${op} '${file}'`), { code, syscall: op, path: file });
}

export class FaultyFs implements CacheFs {
  /** Mutating calls seen so far (1-based count of the last one). */
  writes = 0;
  /** "N op basename" for each mutating call, for failure messages. */
  readonly log: string[] = [];
  /** Files read, so a test can tell what a run trusted. */
  readonly reads: string[] = [];

  constructor(private readonly failAt?: number, private readonly mode: FaultMode = 'eio', private readonly inner: CacheFs = nodeCacheFs) {}

  /** Whether the call now starting fails. */
  private gate(op: string, file: string): boolean {
    this.writes++;
    this.log.push(`${this.writes} ${op} ${path.basename(file)}`);
    if (this.failAt === undefined) return false;
    return this.mode === 'full' ? this.writes >= this.failAt : this.writes === this.failAt;
  }

  private get code(): 'EIO' | 'ENOSPC' {
    return this.mode === 'full' ? 'ENOSPC' : 'EIO';
  }

  /** Not counted as a write: an fsync of a folder allocates nothing, so the fault sequences stay as they were. */
  syncFolder(dir: string): Promise<void> {
    return this.inner.syncFolder(dir);
  }

  async readFile(file: string): Promise<Uint8Array> {
    this.reads.push(file);
    return this.inner.readFile(file);
  }

  async writeFileSynced(file: string, data: FileData): Promise<void> {
    if (this.gate('write', file)) {
      if (this.mode !== 'eio') {
        // What a crash or a full disk leaves: the file exists with only a prefix of the data.
        const bytes = typeof data === 'string' || data instanceof Uint8Array ? Buffer.from(data) : Buffer.from([...data].join(''));
        await fs.writeFile(file, bytes.subarray(0, Math.floor(bytes.byteLength / 2)));
      }
      throw errnoError(this.code, 'write', file);
    }
    return this.inner.writeFileSynced(file, data);
  }

  async createExclusive(file: string, data: string): Promise<void> {
    if (this.gate('createExclusive', file)) throw errnoError(this.code, 'open', file);
    return this.inner.createExclusive(file, data);
  }

  async rename(from: string, to: string): Promise<void> {
    // rename(2) is atomic: a crash leaves the old name or the new one, never half; it needs no new space.
    if (this.gate('rename', to) && this.mode !== 'full') throw errnoError(this.code, 'rename', to);
    return this.inner.rename(from, to);
  }

  async unlink(file: string): Promise<void> {
    const fails = this.gate('unlink', file);
    // Removing frees space: it still works on a full disk.
    if (fails && this.mode !== 'full') throw errnoError(this.code, 'unlink', file);
    return this.inner.unlink(file);
  }

  async mkdir(dir: string): Promise<void> {
    // mkdir -p of a folder that exists only looks, so it succeeds even on a failing disk.
    const exists = await fs.stat(dir).then((s) => s.isDirectory(), () => false);
    if (this.gate('mkdir', dir) && !exists) throw errnoError(this.code, 'mkdir', dir);
    return this.inner.mkdir(dir);
  }

  readdir(dir: string): Promise<string[]> {
    return this.inner.readdir(dir);
  }

  stat(file: string): Promise<{ size: number; mtimeMs: number; isDirectory: boolean }> {
    return this.inner.stat(file);
  }

  async rm(dir: string): Promise<void> {
    if (this.gate('rm', dir)) throw errnoError(this.code, 'rm', dir);
    return this.inner.rm(dir);
  }
}
