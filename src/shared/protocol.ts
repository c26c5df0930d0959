// The typed messages between the extension host and the report webview, and the hand-written
// validators each side runs on arrival: anything unknown or malformed is logged and dropped.
import type { Report } from '../core/report/types';
import { STAGES, type ProgressEvent, type SearchHit, type Side } from '../core/types';
import type { StaleState } from './stale';

export type { SearchHit, Side };
export type TabId = 'overview' | 'churn' | 'tokens' | 'anchors' | 'space' | 'decisions' | 'maps' | 'chunking' | 'playground';
export const TAB_IDS: readonly TabId[] = ['overview', 'churn', 'tokens', 'anchors', 'space', 'decisions', 'maps', 'chunking', 'playground'];

/** UI state that survives hiding and reopening the panel (VS Code getState/setState). */
export interface UiState {
  tab: TabId;
  /** Selected churn item (index into neighbors.items), or null. */
  churnSelected: number | null;
  churnSort: { column: string; descending: boolean };
  churnFilter: string;
  termFilter: string;
  anchorSort: { column: string; descending: boolean };
  mapColor: 'churn' | 'file' | 'folder';
  chunkingFile: string | null;
  tokenizeText: string;
  searchQuery: string;
}

/** One tokenizer's view of a text, as the token boxes draw it. */
export interface TokenizedText {
  tokenizer: string;
  pieces: string[];
  /** [start, end) character offsets of each token in the input. */
  offsets: Array<[number, number]>;
  unknown: boolean[];
}

/** A search of both sides' indexes (the playground's, relayed to the session worker as it is). */
export interface SearchQuery { query: string; k: number }
/** Both sides' answers to a search (the worker's searchDone, the webview's search response). */
export interface SearchAnswer { a: SearchHit[]; b: SearchHit[] }
/** A text under A's and B's tokenizers (the worker's tokenizeDone, the webview's tokenize response). */
export interface TokenizeAnswer { a: TokenizedText; b: TokenizedText }

// ---- webview -> host ----------------------------------------------------------------------------

/** The webview has loaded and listens; the host sends `showReport` only after this. */
export interface ReadyMessage { type: 'ready' }
/** Open a workspace file at a character range (chunk, neighbor, anchor target...). */
export interface OpenLocationMessage { type: 'openLocation'; file: string; start: number; end: number; side?: Side }
/**
 * A request of the webview (answered once, by a `response` with the same id; the pair travels in
 * `RequestMessage` / `ResponseMessage`, numbered and timed out by src/shared/requests.ts).
 */
export type WebviewRequest =
  /** Tokenize any text with both configurations' real tokenizers. */
  | { type: 'tokenize'; text: string }
  /** Query playground: search both indexes of the live comparison session. */
  | ({ type: 'search' } & SearchQuery)
  /** Full text of a corpus file (the chunking view draws both sets of boundaries over it). */
  | { type: 'fileText'; file: string; side?: Side }
  /**
   * Anchors tab: label a side's retrieved chunk as expected for a golden query; the host appends
   * `{"query", "expect": "file#Lx-Ly"}` to the anchors file. The chunk is named by its index in the
   * report's chunk table, so the path comes from the report the host holds, never from the webview.
   */
  | { type: 'labelExpected'; query: string; side: Side; chunk: number };
export interface RequestMessage { type: 'request'; id: number; request: WebviewRequest }
/** Stop the comparison that is running. */
export interface CancelMessage { type: 'cancel' }
/** Something failed inside the webview; the host logs it to its output channel. */
export interface WebviewErrorMessage { type: 'webviewError'; message: string }
/** The stale banner's Rerun button: run the comparison again with the workspace as it is now. */
export interface RerunMessage { type: 'rerun' }

export type FromWebviewMessage =
  | ReadyMessage
  | OpenLocationMessage
  | RequestMessage
  | CancelMessage
  | WebviewErrorMessage
  | RerunMessage;

// ---- host -> webview ----------------------------------------------------------------------------

/**
 * A report to show, as report.json's UTF-8 bytes: the host relays them from the session worker
 * without parsing (VS Code transfers a typed array as a buffer); the webview decodes and checks
 * them (decodeReport). A report replacing one on screen keeps the tab, scroll, filters and selection.
 */
export interface ShowReportMessage {
  type: 'showReport';
  report: Uint8Array;
  /** What changed since the report it replaces, in one line (live mode), e.g. "2 files changed, 14 chunks re-embedded". */
  change?: string;
}
/** What each request kind is answered with when it succeeds. */
export interface WebviewAnswers {
  tokenize: TokenizeAnswer;
  search: SearchAnswer;
  fileText: { text: string };
  /** The line appended to the anchors file (`expect` as written). */
  labelExpected: { expect: string };
}
/** An answer, or why there is none (a one-line message for the user). */
export type Answer<T> = T | { error: string };
/** A request's answer, tagged with the request's type. */
export type WebviewResponse = { [K in keyof WebviewAnswers]: { type: K } & Answer<WebviewAnswers[K]> }[keyof WebviewAnswers];
/** The response to a request of the same type. */
export type ResponseFor<R extends WebviewRequest> = Extract<WebviewResponse, { type: R['type'] }>;
export interface ResponseMessage { type: 'response'; id: number; response: WebviewResponse }
/** Progress of a comparison that is running (the webview shows a bar, these words and a cancel button). */
export interface ProgressMessage {
  type: 'progress'; event: ProgressEvent;
  /** The stage in words with counts and time left, as the notification shows it ("Embedding B: 120/800, about 40 s left"). */
  text: string;
}
/** The shown report no longer matches the workspace (null: it does again); the banner offers Rerun. */
export interface StaleMessage { type: 'stale'; stale: StaleState | null }
/** The comparison ended without a report (failed or cancelled), or the host hit another error. */
export interface ErrorMessage { type: 'error'; message: string }
/** Host-driven UI changes, e.g. a command that opens the report on the Tokenization tab. */
export interface SetStateMessage { type: 'setState'; state: Partial<UiState> }

export type ToWebviewMessage =
  | ShowReportMessage
  | ResponseMessage
  | ProgressMessage
  | ErrorMessage
  | SetStateMessage
  | StaleMessage;

// ---- validation ---------------------------------------------------------------------------------

export type Log = (message: string) => void;
const defaultLog: Log = (m) => console.warn(m);

/**
 * `x` typed as T when `check` finds nothing wrong with it, else undefined, with one log line naming
 * where it came from and why it was dropped: the one shape of every validator of both protocols.
 */
export function validated<T>(x: unknown, check: (x: unknown) => string | undefined, from: string, log: Log): T | undefined {
  const why = check(x);
  if (why === undefined) return x as T;
  log(`Dropped a message from ${from}: ${why}.`);
  return undefined;
}

// The checks both protocols (this one and the session worker's, src/session/protocol.ts) build on.
type Rec = Record<string, unknown>;
export const isObj = (x: unknown): x is Rec => typeof x === 'object' && x !== null && !Array.isArray(x);
export const isStr = (x: unknown): x is string => typeof x === 'string';
export const isNat = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
export const isSide = (x: unknown): x is Side => x === 'a' || x === 'b';
const optional = <T>(x: unknown, check: (v: unknown) => v is T): boolean => x === undefined || check(x);
/** Bounds on what may be asked for: a tokenize/search text, a file path. */
export const MAX_TEXT = 100_000;
export const MAX_PATH = 4096;
/** A search's k: from 1 to this. */
const MAX_K = 1000;
/** Bound on a line of text the host shows in the panel (progress, change summary). */
const MAX_LINE = 2000;

/** Checks a message that arrived from the webview; returns it typed, or undefined (logged). */
export function validateFromWebview(x: unknown, log: Log = defaultLog): FromWebviewMessage | undefined {
  return validated(x, checkFromWebview, 'the report webview', log);
}

function checkFromWebview(x: unknown): string | undefined {
  if (!isObj(x) || !isStr(x.type)) return 'not an object with a type';
  const type = x.type as FromWebviewMessage['type'];
  switch (type) {
    case 'ready':
    case 'cancel':
    case 'rerun':
      return undefined;
    case 'openLocation':
      if (!isStr(x.file) || x.file.length === 0 || x.file.length > MAX_PATH) return 'openLocation without a file';
      if (!isNat(x.start) || !isNat(x.end) || x.end < x.start) return 'openLocation with a bad range';
      return optional(x.side, isSide) ? undefined : 'openLocation with a bad side';
    case 'request':
      if (!isNat(x.id)) return 'request without an id';
      return checkRequest(x.request);
    case 'webviewError':
      return isStr(x.message) ? undefined : 'malformed webviewError';
    default:
      return unknownType(type);
  }
}

/** Checks a message that arrived from the host; returns it typed, or undefined (logged). */
export function validateToWebview(x: unknown, log: Log = defaultLog): ToWebviewMessage | undefined {
  return validated(x, checkToWebview, 'the extension host', log);
}

function checkToWebview(x: unknown): string | undefined {
  if (!isObj(x) || !isStr(x.type)) return 'not an object with a type';
  const type = x.type as ToWebviewMessage['type'];
  switch (type) {
    case 'showReport':
      if (!(x.report instanceof Uint8Array)) return 'showReport without report bytes';
      return x.change === undefined || (isStr(x.change) && x.change.length <= MAX_LINE) ? undefined : 'showReport with a bad change line';
    case 'response':
      if (!isNat(x.id)) return 'response without an id';
      return checkResponse(x.response);
    case 'progress':
      return isProgress(x.event) && isStr(x.text) && x.text.length <= MAX_LINE ? undefined : 'malformed progress';
    case 'stale':
      return x.stale === null || isStale(x.stale) ? undefined : 'malformed stale';
    case 'error':
      return isStr(x.message) ? undefined : 'malformed error';
    case 'setState':
      return isObj(x.state) ? undefined : 'malformed setState';
    default:
      return unknownType(type);
  }
}

/** Why `x` is not a WebviewRequest, or undefined when it is one. */
function checkRequest(x: unknown): string | undefined {
  if (!isObj(x) || !isStr(x.type)) return 'request without a type';
  const type = x.type as WebviewRequest['type'];
  switch (type) {
    case 'tokenize':
      return isStr(x.text) && x.text.length <= MAX_TEXT ? undefined : 'malformed tokenize request';
    case 'search':
      return isSearchQuery(x) ? undefined : 'malformed search request';
    case 'fileText':
      return isPath(x.file) && optional(x.side, isSide) ? undefined : 'malformed fileText request';
    case 'labelExpected':
      return isStr(x.query) && x.query.length > 0 && x.query.length <= MAX_TEXT && isSide(x.side) && isNat(x.chunk)
        ? undefined : 'malformed labelExpected request';
    default:
      return unknownType(type);
  }
}

/** Why `x` is not a WebviewResponse, or undefined when it is one. */
function checkResponse(x: unknown): string | undefined {
  if (!isObj(x) || !isStr(x.type)) return 'response without a type';
  const type = x.type as WebviewResponse['type'];
  if (x.error !== undefined) return isStr(x.error) ? checkKind(type) : 'response with a bad error';
  switch (type) {
    case 'tokenize':
      return isTokenizeAnswer(x) ? undefined : 'malformed tokenize response';
    case 'search':
      return isSearchAnswer(x) ? undefined : 'malformed search response';
    case 'fileText':
      return isStr(x.text) ? undefined : 'fileText response without text or error';
    case 'labelExpected':
      return isStr(x.expect) ? undefined : 'labelExpected response without expect or error';
    default:
      return unknownType(type);
  }
}

function checkKind(type: WebviewResponse['type']): string | undefined {
  switch (type) {
    case 'tokenize': case 'search': case 'fileText': case 'labelExpected': return undefined;
    default: return unknownType(type);
  }
}

export function unknownType(type: never): string {
  return `unknown type ${JSON.stringify(String(type)).slice(0, 60)}`;
}

/** A path as a message may name one: not empty, not longer than MAX_PATH. */
export function isPath(x: unknown): x is string {
  return isStr(x) && x.length > 0 && x.length <= MAX_PATH;
}

export function isSearchQuery(x: unknown): x is SearchQuery {
  return isObj(x) && isStr(x.query) && x.query.length <= MAX_TEXT && isNat(x.k) && x.k >= 1 && x.k <= MAX_K;
}

export function isSearchAnswer(x: unknown): x is SearchAnswer {
  return isObj(x) && isHits(x.a) && isHits(x.b);
}

export function isTokenizeAnswer(x: unknown): x is TokenizeAnswer {
  return isObj(x) && isTokenized(x.a) && isTokenized(x.b);
}

function isStale(x: unknown): x is StaleState {
  return isObj(x) && isNum(x.ageMs) && x.ageMs >= 0 && typeof x.configuration === 'boolean' && typeof x.anchors === 'boolean' && isNat(x.corpusFiles);
}

/** The report inside a showReport message, or why it cannot be shown (decoded and checked where it arrives). */
export function decodeReport(bytes: Uint8Array): Report | string {
  let report: unknown;
  try {
    report = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return 'report is not valid UTF-8 JSON';
  }
  return checkReportShape(report) ?? (report as Report);
}

/** report.json's bytes as showReport carries them. */
export function encodeReport(report: Report): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(report));
}

export function isProgress(x: unknown): x is ProgressEvent {
  return isObj(x) && (STAGES as readonly unknown[]).includes(x.stage) && isNum(x.done) && optional(x.total, isNum) &&
    optional(x.side, isSide) && optional(x.message, isStr);
}

function isTokenized(x: unknown): x is TokenizedText {
  if (!isObj(x) || !isStr(x.tokenizer) || !Array.isArray(x.pieces) || !Array.isArray(x.offsets) || !Array.isArray(x.unknown)) return false;
  const n = x.pieces.length;
  return x.offsets.length === n && x.unknown.length === n && x.pieces.every(isStr) &&
    x.unknown.every((u) => typeof u === 'boolean') &&
    x.offsets.every((o) => Array.isArray(o) && o.length === 2 && isNat(o[0]) && isNat(o[1]));
}

function isHits(x: unknown): x is SearchHit[] {
  return Array.isArray(x) && x.every((h) => isObj(h) && isNat(h.chunk) && isStr(h.file) && isNat(h.start) && isNat(h.end) && isNum(h.score));
}

/**
 * A shallow check of the report: version and the top-level parts every view reads. A full check
 * is the JSON Schema's job (schemas/report.schema.json); this guards the webview against a stray
 * or stale payload, and the views read defensively below this level.
 */
export function checkReportShape(r: unknown): string | undefined {
  if (!isObj(r)) return 'report is not an object';
  if (r.schemaVersion !== 1) return `report schemaVersion ${JSON.stringify(r.schemaVersion)} is not 1`;
  if (!isObj(r.configs) || !isObj(r.configs.a) || !isObj(r.configs.b)) return 'report without configs';
  if (!isObj(r.chunkTable) || !Array.isArray(r.chunkTable.a) || !Array.isArray(r.chunkTable.b)) return 'report without chunkTable';
  if (!isObj(r.neighbors) || !Array.isArray(r.neighbors.items) || !isObj(r.neighbors.histogram)) return 'report without neighbors';
  if (!isObj(r.anchors) || !Array.isArray(r.anchors.items)) return 'report without anchors';
  if (!isObj(r.tokenization) || !Array.isArray(r.tokenization.newVocabulary)) return 'report without tokenization';
  if (!isObj(r.space) || !isObj(r.corpus) || !isObj(r.chunks)) return 'report without space, corpus or chunks';
  return undefined;
}
