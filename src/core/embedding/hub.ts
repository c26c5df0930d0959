// Downloads a model from the Hugging Face Hub (or any server with its URL layout,
// `{remoteHost}{model}/resolve/{revision}/{file}`, taken from transformers.js's `env`) into a
// store folder named by a hash of id and revision, once. Files are checked (length, JSON), retried
// once when truncated, and written atomically; a marker lists what is complete, so a cached model
// needs no network at all.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dtype } from '../config/types';
import { DriftError, throwIfAborted, type RunOptions } from '../types';
import { nodeCacheFs, withLock, writeFileAtomic, type CacheFs } from './cacheStore';
import { fileSha256, onnxFileFor } from './modelFolder';

export interface HubOptions extends RunOptions {
  /** Folder that holds every downloaded model (see modelStoreRoot). */
  storeRoot: string;
  allowNetwork: boolean;
  /** Defaults: transformers.js `env.remoteHost` / `env.remotePathTemplate` (the Hub). */
  remoteHost?: string;
  remotePathTemplate?: string;
  /** Sent as a bearer token (gated or private models). Never logged or stored. */
  token?: string | undefined;
  fs?: CacheFs;
}

const MARKER = 'download.json';
const ID = /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/;
const REVISION = /^[\w.-]+(\/[\w.-]+)*$/;

interface Marker {
  id: string;
  revision: string;
  files: Record<string, { bytes: number; sha256: string }>;
}

/** The files a model needs for one dtype; `optional` ones may be absent on the server. */
export function hubFiles(dtype: Dtype): Array<{ file: string; optional: boolean }> {
  return [
    { file: 'config.json', optional: true },
    { file: 'tokenizer_config.json', optional: true },
    { file: 'tokenizer.json', optional: false },
    { file: onnxFileFor(dtype), optional: false },
  ];
}

export function hubFolderName(id: string, revision: string): string {
  return createHash('sha256').update(`${id}@${revision}`).digest('hex').slice(0, 32);
}

function checkNames(id: string, revision: string): void {
  if (!ID.test(id) || id.split('/').some((p) => p === '..' || p === '.')) {
    throw new DriftError(`Model id "${id}" is not a valid Hugging Face model id (expected "owner/name").`, 'model');
  }
  if (!REVISION.test(revision) || revision.split('/').some((p) => p === '..' || p === '.')) {
    throw new DriftError(`Model ${id}: revision "${revision}" is not a valid branch, tag or commit.`, 'model');
  }
}

function readMarker(folder: string): Marker | undefined {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(folder, MARKER), 'utf8')) as Marker;
    return typeof m.files === 'object' && m.files !== null ? m : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Files the marker lists as complete and that are on disk with their recorded size and sha256
 * (the hash is memoized and the fingerprint needs it anyway, so checking costs nothing extra).
 * A file damaged on disk is not complete: it is downloaded again.
 */
function completeFiles(folder: string, marker: Marker | undefined): Set<string> {
  const done = new Set<string>();
  for (const [file, info] of Object.entries(marker?.files ?? {})) {
    if (info.bytes < 0) {
      done.add(file); // recorded as absent on the server (an optional file)
      continue;
    }
    try {
      const full = path.join(folder, file);
      if (fs.statSync(full).size === info.bytes && fileSha256(full) === info.sha256) done.add(file);
    } catch {
      // Missing: downloaded again.
    }
  }
  return done;
}

class Truncated extends Error {}

/**
 * Makes sure the model's files for `dtype` are in the store and returns the model folder (Hub
 * layout). With everything cached it touches no network; with `allowNetwork` false and files
 * missing it fails with a clear message.
 */
export async function ensureHubModel(id: string, revision: string, dtype: Dtype, options: HubOptions): Promise<string> {
  checkNames(id, revision);
  const cfs = options.fs ?? nodeCacheFs;
  const folder = path.join(options.storeRoot, hubFolderName(id, revision));
  const wanted = hubFiles(dtype);
  const have = completeFiles(folder, readMarker(folder));
  const missing = wanted.filter((w) => !have.has(w.file));
  if (missing.length === 0) return folder;
  if (!options.allowNetwork) {
    throw new DriftError(`Model ${id} (${revision}) is not fully downloaded (missing or damaged: ${missing.map((m) => m.file).join(', ')}) ` +
      'and network access is off (offline run or untrusted workspace).', 'model');
  }
  const { env } = await import('@huggingface/transformers');
  const host = (options.remoteHost ?? env.remoteHost).replace(/\/?$/, '/');
  const template = options.remotePathTemplate ?? env.remotePathTemplate;
  const base = host + template.replaceAll('{model}', id).replaceAll('{revision}', encodeURIComponent(revision)).replace(/\/?$/, '/');

  // A failed first download must not leave an empty model folder behind (it looks like a model).
  const created = await cfs.stat(folder).then(() => false, () => true);
  await cfs.mkdir(path.join(folder, 'onnx'));
  try {
    return await downloadInto(folder, { id, revision, base }, missing, have.size > 0, options);
  } catch (err) {
    // Files that did arrive are kept for the next try; a folder left with none is removed.
    if (created && await holdsNoFile(cfs, folder)) await cfs.rm(folder).catch(() => undefined);
    throw err;
  }
}

async function holdsNoFile(cfs: CacheFs, folder: string): Promise<boolean> {
  const top = await cfs.readdir(folder).catch(() => [] as string[]);
  const onnx = await cfs.readdir(path.join(folder, 'onnx')).catch(() => [] as string[]);
  return top.every((name) => name === 'onnx') && onnx.length === 0;
}

/** Fetches the missing files of one model into its folder and records them in its marker. */
async function downloadInto(
  folder: string, model: { id: string; revision: string; base: string }, missing: ReturnType<typeof hubFiles>, haveAny: boolean, options: HubOptions,
): Promise<string> {
  const { id, revision, base } = model;
  const cfs = options.fs ?? nodeCacheFs;
  const got: Marker['files'] = {};
  // Files already on disk count as found: a 404 then means a missing file, not an unknown model.
  let foundAny = haveAny;
  for (const [n, { file, optional }] of missing.entries()) {
    throwIfAborted(options.signal);
    const label = `${id}: ${file} (${n + 1}/${missing.length})`;
    let data: Uint8Array | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        data = await fetchFile(base + file, { id, file, optional, label, foundAny }, options);
        break;
      } catch (err) {
        if (!(err instanceof Truncated)) throw err;
        if (attempt === 2) {
          throw new DriftError(`Model ${id}: the download of ${file} was incomplete or corrupt twice (${err.message}); try again later.`, 'model');
        }
      }
    }
    if (data === undefined) {
      got[file] = { bytes: -1, sha256: '' };
      continue;
    }
    foundAny = true;
    await writeFileAtomic(cfs, path.join(folder, file), data);
    got[file] = { bytes: data.byteLength, sha256: createHash('sha256').update(data).digest('hex') };
  }
  await withLock(cfs, folder, async () => {
    const marker = readMarker(folder) ?? { id, revision, files: {} };
    marker.files = { ...marker.files, ...got };
    await writeFileAtomic(cfs, path.join(folder, MARKER), JSON.stringify(marker, null, 1));
  });
  return folder;
}

/**
 * Forgets a stored file that turned out unusable (e.g. an ONNX graph that does not load although
 * its transfer looked complete), so the next run downloads it again.
 */
export async function forgetHubFile(folder: string, file: string, options: { fs?: CacheFs } = {}): Promise<void> {
  const cfs = options.fs ?? nodeCacheFs;
  await withLock(cfs, folder, async () => {
    const marker = readMarker(folder);
    if (marker) {
      delete marker.files[file];
      await writeFileAtomic(cfs, path.join(folder, MARKER), JSON.stringify(marker, null, 1));
    }
    await cfs.unlink(path.join(folder, file)).catch(() => undefined);
  });
}

/** One file's bytes; undefined when optional and absent. Throws Truncated for a short or broken body. */
async function fetchFile(
  url: string,
  what: { id: string; file: string; optional: boolean; label: string; foundAny: boolean },
  options: HubOptions,
): Promise<Uint8Array | undefined> {
  const { id, file, optional, label } = what;
  const headers: Record<string, string> = {};
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(url, { headers, ...(options.signal ? { signal: options.signal } : {}) });
  } catch (err) {
    throwIfAborted(options.signal);
    const reason = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    throw new DriftError(`Model ${id}: cannot reach ${new URL(url).host} to download ${file} (${reason}).`, 'network', { cause: err });
  }
  if (response.status === 404) {
    await response.body?.cancel();
    if (optional) return undefined;
    if (!what.foundAny) {
      throw new DriftError(`Model ${id} was not found (404) at ${new URL(url).host}; check the model id and revision.`, 'model');
    }
    throw new DriftError(`Model ${id}: ${file} not found (404) at ${new URL(url).host}; the model does not ship it.`, 'model');
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    throw new DriftError(`Model ${id}: access denied (${response.status}); a gated or private model needs a token.`, 'model');
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    if (response.status >= 500) throw new Truncated(`server error ${response.status}`);
    throw new DriftError(`Model ${id}: downloading ${file} failed with HTTP ${response.status}.`, 'network');
  }
  const expected = Number(response.headers.get('content-length') ?? NaN);
  const total = Number.isFinite(expected) ? expected : undefined;
  const parts: Uint8Array[] = [];
  let loaded = 0;
  options.onProgress?.({ stage: 'download', done: 0, ...(total !== undefined ? { total } : {}), message: label });
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      parts.push(chunk);
      loaded += chunk.byteLength;
      options.onProgress?.({ stage: 'download', done: loaded, ...(total !== undefined ? { total } : {}), message: label });
    }
  } catch (err) {
    throwIfAborted(options.signal);
    throw new Truncated(`connection broke after ${loaded} bytes${total !== undefined ? ` of ${total}` : ''}: ${err instanceof Error ? err.message : String(err)}`);
  }
  throwIfAborted(options.signal);
  if (total !== undefined && loaded !== total) throw new Truncated(`got ${loaded} of ${total} bytes`);
  const data = Buffer.concat(parts);
  // The Hub sends an LFS file's sha256 as its (linked) ETag: a mismatch is a corrupt transfer.
  const etag = (response.headers.get('x-linked-etag') ?? response.headers.get('etag') ?? '').replace(/^W\//, '').replace(/"/g, '');
  if (/^[0-9a-f]{64}$/.test(etag) && createHash('sha256').update(data).digest('hex') !== etag) {
    throw new Truncated('its sha256 does not match the server\'s ETag: corrupt transfer');
  }
  if (file.endsWith('.json')) {
    try {
      JSON.parse(data.toString('utf8'));
    } catch {
      throw new Truncated(`${file} is not valid JSON`);
    }
  }
  return data;
}
