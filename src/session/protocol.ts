// The messages between the extension host and the session worker (src/session/worker.ts), the
// thread that owns the comparison session: the host asks (run, cancel, search, tokenize, save the
// baseline) and relays; the worker computes and answers. Both sides validate what arrives and drop
// (with one log line) anything malformed, as with the webview's messages (src/shared/protocol.ts,
// whose shapes and field checks this file shares: a search or a tokenization is the same there).
import type { DriftConfig } from '../core/config/types';
import { DriftError, type DriftErrorCode, type ProgressEvent } from '../core/types';
import {
  isNat, isObj, isPath, isProgress, isSearchAnswer, isSearchQuery, isSide, isStr, isTokenizeAnswer, MAX_TEXT, unknownType, validated,
  type Log, type SearchAnswer, type SearchQuery, type TokenizeAnswer,
} from '../shared/protocol';

// ---- host -> worker -----------------------------------------------------------------------------

/** Run a comparison (the worker runs one at a time: a new run waits for a cancelled one to wind down). */
export interface RunRequest {
  type: 'run'; id: number;
  against: 'configurations' | 'baseline';
  /** Resolved by the host (file, trust rules, settings) and validated there by parseConfig. */
  config: DriftConfig;
  cacheDir: string;
  baselineDir: string;
  /** The worker writes report.json's bytes here (the host relays the bytes, never parses them). */
  reportFile: string;
  allowNetwork: boolean;
  workers?: number;
  toolVersion?: string;
  /** Folder holding node_modules/@lancedb/lancedb (a machine setting), for configurations with a LanceDB store. */
  lancedbPath?: string;
}
/** Write one side of `config` as a LanceDB table (Export Side to LanceDB); progress comes as `progress` with this id. */
export interface ExportRequest {
  type: 'export'; id: number;
  config: DriftConfig;
  side: 'a' | 'b';
  /** The LanceDB folder and table name. */
  target: { uri: string; table: string };
  cacheDir: string;
  allowNetwork: boolean;
  lancedbPath?: string;
}
/** Stop run or export `id` (nothing happens when it already ended). */
export interface CancelRunRequest { type: 'cancel'; id: number }
/** Query playground: search both sides of the session of the last finished run (the webview's search, relayed). */
export type SearchRequest = { type: 'search'; id: number } & SearchQuery;
/** A text under the real tokenizers of A and B of `config`. */
export interface TokenizeRequest { type: 'tokenize'; id: number; config: DriftConfig; cacheDir: string; allowNetwork: boolean; text: string }
/** Store the last finished run's side A as the baseline in `baselineDir`, with its report (headline numbers of later runs are compared with it). */
export interface SaveBaselineRequest { type: 'saveBaseline'; id: number; baselineDir: string }
/** The answer to a worker's secretRequest: undefined when there is no such secret. */
export interface SecretResponse { type: 'secretResponse'; id: number; value?: string }
/** Dispose the session (models, worker threads) and exit. */
export interface ShutdownRequest { type: 'shutdown' }

export type ToSessionMessage =
  | RunRequest | ExportRequest | CancelRunRequest | SearchRequest | TokenizeRequest | SaveBaselineRequest | SecretResponse | ShutdownRequest;

// ---- worker -> host -----------------------------------------------------------------------------

/** What the host needs to know of a finished run without reading the report. */
export interface RunSummary {
  labels: { a: string; b: string };
  /** Corpus roots of the report (the side's root first): paths it names open only inside these or the workspace. */
  corpusRoots: string[];
  chunks: { a: number; b: number };
  createdAt: string;
  /** Headline numbers against the stored baseline report, when there is one (or why they are not compared). */
  baseline?: { createdAt: string; deltas: string[] } | { createdAt: string; notComparable: string };
  /** What changed since the previous run of this session, in one line (worded in the core). */
  change?: string;
}
export interface RunProgressMessage { type: 'progress'; id: number; event: ProgressEvent }
export interface RunDoneMessage {
  type: 'runDone'; id: number;
  /** report.json as UTF-8 bytes (its buffer is transferred, not copied). */
  report: Uint8Array;
  summary: RunSummary;
}
/** An error crossing the thread boundary: a DriftError keeps its code, anything else its stack. */
export interface WireError { message: string; code?: DriftErrorCode; stack?: string }
export interface FailedMessage { type: 'failed'; id: number; error: WireError }
export type SearchDoneMessage = { type: 'searchDone'; id: number } & SearchAnswer;
export type TokenizeDoneMessage = { type: 'tokenizeDone'; id: number } & TokenizeAnswer;
export interface BaselineSavedMessage { type: 'baselineSaved'; id: number }
export interface ExportedMessage { type: 'exported'; id: number; rows: number; uri: string; table: string; dimension: number; model: string }
/** The core asks for a secret by name (an endpoint's apiKeyEnv, HF_TOKEN); the host answers from SecretStorage or the environment. */
export interface SecretRequest { type: 'secretRequest'; id: number; name: string }
export interface WorkerLogMessage { type: 'log'; level: 'info' | 'error'; message: string }

export type FromSessionMessage =
  | RunProgressMessage | RunDoneMessage | FailedMessage | SearchDoneMessage | TokenizeDoneMessage
  | BaselineSavedMessage | ExportedMessage | SecretRequest | WorkerLogMessage;

// ---- validation ---------------------------------------------------------------------------------

const ERROR_CODES: readonly DriftErrorCode[] = ['config', 'corpus', 'model', 'network', 'cancelled', 'io', 'usage', 'cache'];

/**
 * The parts of a configuration the worker reads before the core does. The host built it with
 * parseConfig (which checks every field); this guards against a message that is not one at all.
 */
function isConfig(x: unknown): x is DriftConfig {
  return isObj(x) && isStr(x.baseDir) && isObj(x.corpus) && isStr(x.corpus.root) && isNat(x.k) &&
    isObj(x.a) && isObj(x.b) && isObj(x.a.model) && isObj(x.b.model) && isObj(x.a.chunker) && isObj(x.b.chunker);
}

/** Checks a message that arrived in the worker from the host; returns it typed, or undefined (logged). */
export function validateToSession(x: unknown, log: Log): ToSessionMessage | undefined {
  return validated(x, checkToSession, 'the extension host', log);
}

function checkToSession(x: unknown): string | undefined {
  if (!isObj(x) || !isStr(x.type)) return 'not an object with a type';
  const type = x.type as ToSessionMessage['type'];
  switch (type) {
    case 'run':
      if (!isNat(x.id) || (x.against !== 'configurations' && x.against !== 'baseline')) return 'run without id or kind';
      if (!isConfig(x.config)) return 'run without a configuration';
      if (![x.cacheDir, x.baselineDir, x.reportFile].every(isPath)) return 'run with a bad folder';
      if (typeof x.allowNetwork !== 'boolean') return 'run without allowNetwork';
      if (x.workers !== undefined && !(isNat(x.workers) && x.workers >= 1 && x.workers <= 64)) return 'run with a bad worker count';
      if (x.lancedbPath !== undefined && !isPath(x.lancedbPath)) return 'run with a bad lancedbPath';
      return x.toolVersion === undefined || isStr(x.toolVersion) ? undefined : 'run with a bad toolVersion';
    case 'export':
      if (!isNat(x.id) || !isSide(x.side) || !isConfig(x.config)) return 'export without id, side or configuration';
      if (!isObj(x.target) || !isPath(x.target.uri) || !isStr(x.target.table) || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,200}$/.test(x.target.table)) return 'export with a bad target';
      if (!isPath(x.cacheDir) || typeof x.allowNetwork !== 'boolean') return 'export without cacheDir or allowNetwork';
      return x.lancedbPath === undefined || isPath(x.lancedbPath) ? undefined : 'export with a bad lancedbPath';
    case 'cancel':
      return isNat(x.id) ? undefined : 'cancel without an id';
    case 'search':
      return isNat(x.id) && isSearchQuery(x) ? undefined : 'malformed search';
    case 'tokenize':
      return isNat(x.id) && isConfig(x.config) && isPath(x.cacheDir) && typeof x.allowNetwork === 'boolean' && isStr(x.text) && x.text.length <= MAX_TEXT
        ? undefined : 'malformed tokenize';
    case 'saveBaseline':
      return isNat(x.id) && isPath(x.baselineDir) ? undefined : 'malformed saveBaseline';
    case 'secretResponse':
      return isNat(x.id) && (x.value === undefined || isStr(x.value)) ? undefined : 'malformed secretResponse';
    case 'shutdown':
      return undefined;
    default:
      return unknownType(type);
  }
}

/** Checks a message that arrived in the host from the worker; returns it typed, or undefined (logged). */
export function validateFromSession(x: unknown, log: Log): FromSessionMessage | undefined {
  return validated(x, checkFromSession, 'the session worker', log);
}

function checkFromSession(x: unknown): string | undefined {
  if (!isObj(x) || !isStr(x.type)) return 'not an object with a type';
  const type = x.type as FromSessionMessage['type'];
  switch (type) {
    case 'progress':
      return isNat(x.id) && isProgress(x.event) ? undefined : 'malformed progress';
    case 'runDone':
      if (!isNat(x.id) || !(x.report instanceof Uint8Array)) return 'runDone without id or report bytes';
      return isSummary(x.summary) ? undefined : 'runDone with a malformed summary';
    case 'failed':
      if (!isNat(x.id) || !isObj(x.error) || !isStr(x.error.message)) return 'failed without id or message';
      if (x.error.code !== undefined && !ERROR_CODES.includes(x.error.code as DriftErrorCode)) return 'failed with an unknown error code';
      return x.error.stack === undefined || isStr(x.error.stack) ? undefined : 'failed with a bad stack';
    case 'searchDone':
      return isNat(x.id) && isSearchAnswer(x) ? undefined : 'malformed searchDone';
    case 'tokenizeDone':
      return isNat(x.id) && isTokenizeAnswer(x) ? undefined : 'malformed tokenizeDone';
    case 'baselineSaved':
      return isNat(x.id) ? undefined : 'baselineSaved without an id';
    case 'exported':
      return isNat(x.id) && isNat(x.rows) && isPath(x.uri) && isStr(x.table) && isNat(x.dimension) && isStr(x.model) ? undefined : 'malformed exported';
    case 'secretRequest':
      return isNat(x.id) && isStr(x.name) && /^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(x.name) ? undefined : 'malformed secretRequest';
    case 'log':
      return (x.level === 'info' || x.level === 'error') && isStr(x.message) ? undefined : 'malformed log';
    default:
      return unknownType(type);
  }
}

function isSummary(x: unknown): x is RunSummary {
  if (!isObj(x) || !isObj(x.labels) || !isStr(x.labels.a) || !isStr(x.labels.b)) return false;
  if (!Array.isArray(x.corpusRoots) || !x.corpusRoots.every(isPath)) return false;
  if (!isObj(x.chunks) || !isNat(x.chunks.a) || !isNat(x.chunks.b) || !isStr(x.createdAt)) return false;
  if (x.baseline !== undefined && !(isObj(x.baseline) && isStr(x.baseline.createdAt) &&
    ((Array.isArray(x.baseline.deltas) && x.baseline.deltas.every(isStr)) || isStr(x.baseline.notComparable)))) return false;
  return x.change === undefined || isStr(x.change);
}

/** An error as it crosses the thread boundary (structured clone keeps neither class nor code). */
export function toWire(err: unknown): WireError {
  if (err instanceof DriftError) return { message: err.message, code: err.code };
  if (err instanceof Error) return { message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
  return { message: String(err) };
}

/** Turns a WireError back into the error the host's callers expect (a DriftError keeps its code). */
export function fromWire(wire: WireError): Error {
  if (wire.code) return new DriftError(wire.message, wire.code);
  const err = new Error(wire.message);
  if (wire.stack) err.stack = wire.stack;
  return err;
}
