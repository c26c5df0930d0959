// Vocabulary shared by every stage of the core: files, chunks, progress, cancellation and the one
// error type whose message is safe to show a user as it is.

/** One of the two configurations compared: A (before) or B (after). */
export type Side = 'a' | 'b';

/** Every long operation takes these: an AbortSignal and a progress callback. */
export interface RunOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((event: ProgressEvent) => void) | undefined;
}

/**
 * A run's stages in the order a run reaches them, each sent by the code doing its work: 'report' is
 * writing the output (report.json by the session worker, a LanceDB table by Export Side).
 */
export const STAGES = ['walk', 'chunk', 'download', 'embed', 'index', 'metrics', 'report'] as const;
export type Stage = typeof STAGES[number];

export interface ProgressEvent {
  stage: Stage;
  /** Which configuration the work is for, when it is for one. */
  side?: Side;
  done: number;
  total?: number;
  /** Short human text, e.g. a file being downloaded. Never holds secrets. */
  message?: string;
}

/** One retrieved chunk of a search of one side's index (the query playground). */
export interface SearchHit {
  chunk: number;
  file: string;
  start: number;
  end: number;
  score: number;
}

/** A decoded workspace file. `path` is POSIX-style and relative to the corpus root. */
export interface CorpusFile {
  path: string;
  text: string;
  /** sha256 hex of the raw bytes on disk. */
  hash: string;
  bytes: number;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface Corpus {
  root: string;
  files: CorpusFile[];
  /** Files left out, and files read with a loss or a warning (e.g. invalid UTF-8 replaced). */
  skipped: SkippedFile[];
  /** Files the globs took that Embedding Drift wrote itself (reports, baselines, its configuration), left out. */
  ownOutputs?: number;
}

/** A character range of one corpus file: [start, end) in UTF-16 code units of the decoded text. */
export interface ChunkSpan {
  file: string;
  start: number;
  end: number;
}

export interface Chunk extends ChunkSpan {
  /** Exactly `file.text.slice(start, end)` before preprocessing; what is embedded is `embedText`. */
  text: string;
  /** Text after the configuration's preprocessing (normalization etc.); equals `text` when none. */
  embedText: string;
  /** Markdown heading path (outermost first) for markdown-aware chunkers. */
  headingPath?: string[];
}

export type DriftErrorCode = 'config' | 'corpus' | 'model' | 'network' | 'cancelled' | 'io' | 'usage' | 'cache';

/**
 * An expected failure with a message meant for the user (one line, names the file/model/field).
 * Anything else that escapes is a bug and front doors show it as such.
 */
export class DriftError extends Error {
  constructor(message: string, readonly code: DriftErrorCode, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DriftError';
  }
}

export function isAbortError(err: unknown): boolean {
  return (err instanceof DriftError && err.code === 'cancelled') ||
    (err instanceof Error && err.name === 'AbortError');
}

/** Throws a DriftError('cancelled') when the signal has fired. Call between units of work. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DriftError('Cancelled.', 'cancelled');
}
