// The on-disk embedding cache: one store per embedder fingerprint, keyed by the hash of kind + text,
// so identical chunks under A and B, and unchanged chunks between runs, are embedded once.
// Layout: <root>/<sha256(fingerprint)[:32]>/manifest.json + segments/seg-*.bin (write-once files).
// A segment is read only when its sha256 matches the manifest; anything else is dropped, reported
// in `warnings` and embedded again.
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { DriftError } from '../types';
import {
  describeWriteError, errorCode, folderSize, nodeCacheFs, uniqueName, withLock, writeFileAtomic, type CacheFs,
} from './cacheStore';
import type { TextKind } from './types';

export const CACHE_FORMAT = 1;
const SEGMENT_MAGIC = 0x53434445; // "EDCS" little-endian
const HEADER_BYTES = 16;
const KEY_BYTES = 32;
/** Past this many small segments a writer folds them into one, so opening stays a handful of reads. */
const COMPACT_AT = 48;
/**
 * Segments of at least this many rows (a fold of 48 writes of 1,024 texts holds 49,152) are left
 * as they are: folding every segment each time rewrote (and held in memory several times over) the
 * whole store, 1.2 GB transient at 200,000 rows of 384, on every 48th write.
 */
const FOLDED_ROWS = 16_384;
/** Temp files and unrecorded segments a killed writer left are removed once this old (no live write takes that long). */
const LEFTOVER_MS = 60 * 60 * 1000;

interface SegmentEntry {
  file: string;
  count: number;
  bytes: number;
  sha256: string;
}

interface Manifest {
  format: number;
  fingerprint: string;
  dimension: number;
  segments: SegmentEntry[];
}

/** The cache key of one input: sha256 over kind and text (the prefix follows from the kind). */
export function cacheKey(kind: TextKind, text: string): string {
  return createHash('sha256').update(kind).update('\n').update(text).digest('hex');
}

export function storeFolderName(fingerprint: string): string {
  return createHash('sha256').update(fingerprint).digest('hex').slice(0, 32);
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Packs rows into one segment file: header, keys, truncation flags (4-aligned), float32 rows. */
export function encodeSegment(dimension: number, keys: string[], truncated: Uint8Array, vectors: Float32Array): Uint8Array {
  const count = keys.length;
  const flagBytes = Math.ceil(count / 4) * 4;
  const vecOffset = HEADER_BYTES + count * KEY_BYTES + flagBytes;
  const out = new Uint8Array(vecOffset + count * dimension * 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, SEGMENT_MAGIC, true);
  view.setUint32(4, CACHE_FORMAT, true);
  view.setUint32(8, dimension, true);
  view.setUint32(12, count, true);
  keys.forEach((k, i) => out.set(Buffer.from(k, 'hex'), HEADER_BYTES + i * KEY_BYTES));
  out.set(truncated.subarray(0, count), HEADER_BYTES + count * KEY_BYTES);
  new Float32Array(out.buffer, vecOffset, count * dimension).set(vectors.subarray(0, count * dimension));
  return out;
}

interface DecodedSegment {
  keys: string[];
  truncated: Uint8Array;
  vectors: Float32Array;
}

/** Reads a segment back; returns a reason string when its shape is wrong. */
export function decodeSegment(data: Uint8Array, dimension: number): DecodedSegment | string {
  if (data.byteLength < HEADER_BYTES) return 'shorter than its header';
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (view.getUint32(0, true) !== SEGMENT_MAGIC) return 'not a segment file';
  if (view.getUint32(4, true) !== CACHE_FORMAT) return `format ${view.getUint32(4, true)} instead of ${CACHE_FORMAT}`;
  if (view.getUint32(8, true) !== dimension) return `dimension ${view.getUint32(8, true)} instead of ${dimension}`;
  const count = view.getUint32(12, true);
  const flagBytes = Math.ceil(count / 4) * 4;
  const vecOffset = HEADER_BYTES + count * KEY_BYTES + flagBytes;
  if (data.byteLength !== vecOffset + count * dimension * 4) return 'length does not match its header';
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const start = data.byteOffset + HEADER_BYTES + i * KEY_BYTES;
    keys.push(Buffer.from(data.buffer, start, KEY_BYTES).toString('hex'));
  }
  // Copies (Buffer#slice would share memory), so the rows are 4-byte aligned and own their bytes.
  const truncated = new Uint8Array(data.subarray(HEADER_BYTES + count * KEY_BYTES, HEADER_BYTES + count * KEY_BYTES + count));
  const vectors = new Float32Array(count * dimension);
  new Uint8Array(vectors.buffer).set(data.subarray(vecOffset));
  return { keys, truncated, vectors };
}

export interface OpenCacheOptions {
  fs?: CacheFs;
}

/** One fingerprint's store, loaded into memory. */
export class EmbeddingCache {
  /** Problems found and repaired while opening or writing: shown to the user, never fatal. */
  readonly warnings: string[] = [];
  private readonly rows = new Map<string, { vectors: Float32Array; row: number; truncated: boolean }>();

  private constructor(
    readonly dir: string,
    readonly fingerprint: string,
    readonly dimension: number,
    private readonly fs: CacheFs,
  ) {}

  /** Opens (creating when missing) the store for `fingerprint` below `root`. */
  static async open(root: string, fingerprint: string, dimension: number, options: OpenCacheOptions = {}): Promise<EmbeddingCache> {
    const fs = options.fs ?? nodeCacheFs;
    const dir = path.join(root, storeFolderName(fingerprint));
    const cache = new EmbeddingCache(dir, fingerprint, dimension, fs);
    await cache.load();
    return cache;
  }

  /**
   * The dimension the store of `fingerprint` below `root` recorded, when it holds rows written in
   * this format; undefined otherwise. Read without loading the rows, so a model can skip its probe.
   */
  static async recordedDimension(root: string, fingerprint: string, options: OpenCacheOptions = {}): Promise<number | undefined> {
    const fs = options.fs ?? nodeCacheFs;
    try {
      const m = JSON.parse(new TextDecoder().decode(await fs.readFile(path.join(root, storeFolderName(fingerprint), 'manifest.json')))) as Partial<Manifest>;
      const ok = m.format === CACHE_FORMAT && m.fingerprint === fingerprint && Number.isInteger(m.dimension) && (m.dimension ?? 0) > 0 &&
        Array.isArray(m.segments) && m.segments.length > 0;
      return ok ? m.dimension : undefined;
    } catch {
      return undefined;
    }
  }

  get size(): number {
    return this.rows.size;
  }

  /**
   * Drops the rows held in memory (the files stay): a one-off run calls it once both sides hold
   * their vectors, which would otherwise sit in memory twice (a 50 MB corpus: 540 MB). A later
   * read misses and embeds again (a run's few hundred queries), writing its rows as any miss does.
   */
  forgetRows(): void {
    this.rows.clear();
  }

  has(key: string): boolean {
    return this.rows.has(key);
  }

  /** Copies the cached row of `key` into `out`; returns whether it was truncated, or undefined on a miss. */
  read(key: string, out: Float32Array): boolean | undefined {
    const hit = this.rows.get(key);
    if (!hit) return undefined;
    out.set(hit.vectors.subarray(hit.row * this.dimension, (hit.row + 1) * this.dimension));
    return hit.truncated;
  }

  /**
   * Stores rows as one new write-once segment and records it in the manifest. A failed write leaves
   * the cache as it was and throws DriftError('cache') naming the file and the reason.
   */
  async write(keys: string[], vectors: Float32Array, truncated: Uint8Array): Promise<void> {
    if (keys.length === 0) return;
    const segment = encodeSegment(this.dimension, keys, truncated, vectors);
    const file = uniqueName('seg-', '.bin');
    await this.ensureFolders();
    await writeFileAtomic(this.fs, path.join(this.dir, 'segments', file), segment);
    const entry: SegmentEntry = { file, count: keys.length, bytes: segment.byteLength, sha256: sha256(segment) };
    try {
      await withLock(this.fs, this.dir, async () => {
        const manifest = (await this.readManifest()).manifest ?? this.emptyManifest();
        manifest.segments.push(entry);
        await this.writeManifest(manifest);
      });
    } catch (err) {
      await this.fs.unlink(path.join(this.dir, 'segments', file)).catch(() => undefined);
      throw err;
    }
    const decoded = decodeSegment(segment, this.dimension);
    if (typeof decoded !== 'string') this.index(decoded);
    await this.compactIfNeeded();
  }

  private emptyManifest(): Manifest {
    return { format: CACHE_FORMAT, fingerprint: this.fingerprint, dimension: this.dimension, segments: [] };
  }

  private async ensureFolders(): Promise<void> {
    try {
      await this.fs.mkdir(path.join(this.dir, 'segments'));
    } catch (err) {
      throw new DriftError(`Could not create the embedding cache folder ${this.dir}: ${describeWriteError(err)}.`, 'cache', { cause: err });
    }
  }

  private index(seg: DecodedSegment): void {
    seg.keys.forEach((key, row) => this.rows.set(key, { vectors: seg.vectors, row, truncated: seg.truncated[row] === 1 }));
  }

  /** The manifest, or undefined with a reason when it is missing (no reason), unreadable or another store's. */
  private async readManifest(): Promise<{ manifest?: Manifest; problem?: string }> {
    let raw: Uint8Array;
    try {
      raw = await this.fs.readFile(path.join(this.dir, 'manifest.json'));
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return {};
      return { problem: `could not be read (${errorCode(err) ?? String(err)})` };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(raw));
    } catch {
      return { problem: 'is not valid JSON' };
    }
    const m = parsed as Partial<Manifest>;
    if (m.format !== CACHE_FORMAT) return { problem: `has format ${String(m.format)} instead of ${CACHE_FORMAT}` };
    if (m.fingerprint !== this.fingerprint || m.dimension !== this.dimension) {
      return { problem: 'belongs to another model configuration' };
    }
    if (!Array.isArray(m.segments) || !m.segments.every(isSegmentEntry)) return { problem: 'has a malformed segment list' };
    return { manifest: m as Manifest };
  }

  private async writeManifest(manifest: Manifest): Promise<void> {
    await writeFileAtomic(this.fs, path.join(this.dir, 'manifest.json'), JSON.stringify(manifest, null, 1));
  }

  private async load(): Promise<void> {
    const { manifest, problem } = await this.readManifest();
    if (problem) this.warnings.push(`Embedding cache manifest ${path.join(this.dir, 'manifest.json')} ${problem}; the cache for this model is rebuilt.`);
    if (!manifest) {
      if (problem) await this.repair(() => true);
      return;
    }
    const bad = new Set<string>();
    for (const entry of manifest.segments) {
      const reason = await this.loadSegment(entry);
      if (reason) {
        bad.add(entry.file);
        this.warnings.push(`Embedding cache segment ${path.join(this.dir, 'segments', entry.file)} ${reason}; its vectors are embedded again.`);
      }
    }
    if (bad.size > 0) await this.repair((e) => bad.has(e.file));
    await this.sweepLeftovers(manifest);
  }

  /**
   * Removes what killed writers left: temp files, and segments the manifest never recorded (a kill
   * between writing a segment and recording it). Only old ones, so a live writer's files are safe.
   */
  private async sweepLeftovers(manifest: Manifest): Promise<void> {
    const known = new Set(manifest.segments.map((e) => e.file));
    for (const folder of [this.dir, path.join(this.dir, 'segments')]) {
      let names: string[];
      try {
        names = await this.fs.readdir(folder);
      } catch {
        continue;
      }
      for (const name of names) {
        const leftover = name.startsWith('.tmp-') || (folder !== this.dir && name.startsWith('seg-') && !known.has(name));
        if (!leftover) continue;
        const file = path.join(folder, name);
        try {
          if (Date.now() - (await this.fs.stat(file)).mtimeMs > LEFTOVER_MS) await this.fs.unlink(file);
        } catch {
          // Gone already, or not removable now: housekeeping, tried again on the next open.
        }
      }
    }
  }

  private async loadSegment(entry: SegmentEntry): Promise<string | undefined> {
    let data: Uint8Array;
    try {
      data = await this.fs.readFile(path.join(this.dir, 'segments', entry.file));
    } catch (err) {
      return errorCode(err) === 'ENOENT' ? 'is missing' : `could not be read (${errorCode(err) ?? String(err)})`;
    }
    if (data.byteLength !== entry.bytes) return `is truncated or padded (${data.byteLength} bytes, expected ${entry.bytes})`;
    if (sha256(data) !== entry.sha256) return 'is corrupt (checksum mismatch)';
    const decoded = decodeSegment(data, this.dimension);
    if (typeof decoded === 'string') return `is malformed (${decoded})`;
    if (decoded.keys.length !== entry.count) return 'is malformed (row count differs from the manifest)';
    this.index(decoded);
    return undefined;
  }

  /** Drops the manifest entries `isBad` picks (all of them when the manifest was unreadable) and their files. */
  private async repair(isBad: (e: SegmentEntry) => boolean): Promise<void> {
    try {
      await this.ensureFolders();
      await withLock(this.fs, this.dir, async () => {
        const current = (await this.readManifest()).manifest ?? this.emptyManifest();
        const dropped = current.segments.filter(isBad);
        current.segments = current.segments.filter((e) => !isBad(e));
        await this.writeManifest(current);
        for (const e of dropped) await this.fs.unlink(path.join(this.dir, 'segments', e.file)).catch(() => undefined);
      });
    } catch (err) {
      // Repair is housekeeping: the bad data is already ignored in memory, so a failed write only
      // means the next run repairs again.
      this.warnings.push(err instanceof DriftError ? err.message : `Embedding cache repair failed: ${String(err)}`);
    }
  }

  /** Folds many small segments into one (under the lock), so reopening stays cheap; folded ones stay. */
  private async compactIfNeeded(): Promise<void> {
    try {
      await withLock(this.fs, this.dir, async () => {
        const manifest = (await this.readManifest()).manifest;
        const small = manifest?.segments.filter((e) => e.count < FOLDED_ROWS) ?? [];
        if (!manifest || small.length < COMPACT_AT) return;
        const keys: string[] = [];
        const flags: number[] = [];
        const parts: Float32Array[] = [];
        const merged: SegmentEntry[] = [];
        const seen = new Set<string>();
        for (const entry of small) {
          let data: Uint8Array;
          try {
            data = await this.fs.readFile(path.join(this.dir, 'segments', entry.file));
          } catch {
            continue;
          }
          if (data.byteLength !== entry.bytes || sha256(data) !== entry.sha256) continue;
          const seg = decodeSegment(data, this.dimension);
          if (typeof seg === 'string') continue;
          merged.push(entry);
          seg.keys.forEach((k, i) => {
            if (seen.has(k)) return;
            seen.add(k);
            keys.push(k);
            flags.push(seg.truncated[i] ?? 0);
            parts.push(seg.vectors.subarray(i * this.dimension, (i + 1) * this.dimension));
          });
        }
        const vectors = new Float32Array(keys.length * this.dimension);
        parts.forEach((p, i) => vectors.set(p, i * this.dimension));
        const segment = encodeSegment(this.dimension, keys, Uint8Array.from(flags), vectors);
        const file = uniqueName('seg-', '.bin');
        await writeFileAtomic(this.fs, path.join(this.dir, 'segments', file), segment);
        const mergedFiles = new Set(merged.map((e) => e.file));
        manifest.segments = [
          { file, count: keys.length, bytes: segment.byteLength, sha256: sha256(segment) },
          ...manifest.segments.filter((e) => !mergedFiles.has(e.file)),
        ];
        await this.writeManifest(manifest);
        for (const f of mergedFiles) await this.fs.unlink(path.join(this.dir, 'segments', f)).catch(() => undefined);
      });
    } catch (err) {
      this.warnings.push(err instanceof DriftError ? err.message : `Embedding cache compaction failed: ${String(err)}`);
    }
  }
}

function isSegmentEntry(e: unknown): e is SegmentEntry {
  const s = e as SegmentEntry;
  return typeof s === 'object' && s !== null && typeof s.file === 'string' && /^seg-[\w-]+\.bin$/.test(s.file) &&
    Number.isInteger(s.count) && Number.isInteger(s.bytes) && typeof s.sha256 === 'string';
}

/** Bytes the cache folder holds on disk (embeddings and anything else below it). */
export async function cacheSize(dir: string, fs: CacheFs = nodeCacheFs): Promise<number> {
  return folderSize(fs, dir);
}

/** Removes everything below `dir`. */
export async function clearCache(dir: string, fs: CacheFs = nodeCacheFs): Promise<void> {
  try {
    await fs.rm(dir);
  } catch (err) {
    throw new DriftError(`Could not clear the cache at ${dir}: ${String(errorCode(err) ?? err)}.`, 'cache', { cause: err });
  }
}
