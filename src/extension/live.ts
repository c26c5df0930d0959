// Live mode and stale reports, the parts without `vscode` (unit-tested in Node): which saved file
// matters to a comparison, what the shown report no longer includes, and the debounced rerun that
// cancels a run in flight and starts again.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { DriftConfig } from '../core/config/types';
import { decodeFile } from '../core/corpus/decode';
import { inOutputFolder, isOwnFileByContent, isOwnFileByName } from '../core/corpus/ownOutputs';
import { describeStale, type StaleState } from '../shared/stale';

export type ChangeKind = 'configuration' | 'anchors' | 'corpus';

/** The files a comparison reads, as live mode and the stale banner watch them. */
export interface WatchedFiles {
  /** Where the configuration file is or would be found (its two documented places). */
  configFiles: string[];
  anchors?: string;
  corpora: Array<{ root: string; include: string[]; exclude: string[] }>;
  /** Folders whose files never count: the extension's own storage (cache, reports, baseline). */
  ownFolders: string[];
}

/** Folders that are never corpus content whatever the globs say (the walker never enters them either). */
const NEVER_CONTENT = new Set(['.git', '.hg', '.svn', 'node_modules']);

export function watchedFiles(config: DriftConfig, configFiles: string[], ownFolders: string[]): WatchedFiles {
  const roots = [...new Set([config.a.corpusRoot ?? config.corpus.root, config.b.corpusRoot ?? config.corpus.root])];
  return {
    configFiles: configFiles.map((f) => path.resolve(f)),
    ...(config.anchors ? { anchors: path.resolve(config.anchors) } : {}),
    corpora: roots.map((root) => ({ root: path.resolve(root), include: config.corpus.include, exclude: config.corpus.exclude })),
    ownFolders: ownFolders.map((f) => path.resolve(f)),
  };
}

function inside(folder: string, file: string): string | undefined {
  const rel = path.relative(folder, file);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel.split(path.sep).join('/');
}

/** What a saved, created or deleted file is to the comparison; undefined when the comparison does not read it. */
export function classifyChange(file: string, watched: WatchedFiles): ChangeKind | undefined {
  const absolute = path.resolve(file);
  if (watched.ownFolders.some((f) => inside(f, absolute) !== undefined)) return undefined;
  if (watched.configFiles.includes(absolute)) return 'configuration';
  if (watched.anchors === absolute) return 'anchors';
  for (const corpus of watched.corpora) {
    const rel = inside(corpus.root, absolute);
    if (rel === undefined || rel.split('/').some((part) => NEVER_CONTENT.has(part))) continue;
    const included = picomatch(corpus.include, { dot: true });
    const excluded = corpus.exclude.length > 0 ? picomatch(corpus.exclude, { dot: true }) : () => false;
    // .gitignore rules and the size cap are the walker's: a save of such a file reruns to no effect.
    if (included(rel) && !excluded(rel)) return 'corpus';
  }
  return undefined;
}

/**
 * Whether a corpus file that changed is one of Embedding Drift's own outputs (a report or baseline
 * written or moved into the corpus, a folder the CLI or an export marked, a configuration file in a
 * subfolder): the walker leaves those out, so a rerun would change nothing, and a report written
 * into a watched folder would rerun for ever. `text` is the saved document's; without it (a file
 * created, deleted or renamed) the file is read, and a file that is gone is judged by its place only.
 */
export async function isOwnOutput(file: string, watched: WatchedFiles, text?: string): Promise<boolean> {
  const absolute = path.resolve(file);
  for (const corpus of watched.corpora) {
    const rel = inside(corpus.root, absolute);
    if (rel !== undefined && (isOwnFileByName(rel) || await inOutputFolder(corpus.root, rel))) return true;
  }
  if (text === undefined) {
    try {
      const decoded = decodeFile(await fs.readFile(absolute));
      if (decoded.kind !== 'text') return false;
      text = decoded.text;
    } catch {
      return false;
    }
  }
  return isOwnFileByContent(text);
}

/**
 * The changes the shown report does not include. A run includes every change noted before it
 * started; changes during a run stay (the file may have been read before the edit).
 */
export class ChangeTracker {
  private readonly changes = new Map<string, { kind: ChangeKind; at: number }>();

  note(kind: ChangeKind, file: string, at: number): void {
    const key = path.resolve(file);
    // The first change of a file since the last run dates the staleness.
    if (!this.changes.has(key)) this.changes.set(key, { kind, at });
  }

  /** A run that started at `startedAt` finished: what it read is current. */
  runFinished(startedAt: number): void {
    for (const [file, change] of this.changes) if (change.at < startedAt) this.changes.delete(file);
  }

  /** Files changed since the shown report, e.g. for the change summary; sorted. */
  files(): string[] {
    return [...this.changes.keys()].sort();
  }

  state(now: number): StaleState | null {
    if (this.changes.size === 0) return null;
    let first = Infinity;
    const state: StaleState = { ageMs: 0, configuration: false, anchors: false, corpusFiles: 0 };
    for (const change of this.changes.values()) {
      first = Math.min(first, change.at);
      if (change.kind === 'configuration') state.configuration = true;
      else if (change.kind === 'anchors') state.anchors = true;
      else state.corpusFiles++;
    }
    state.ageMs = Math.max(0, now - first);
    return state;
  }
}

/** The timer functions the scheduler uses (injected: the unit tests drive time by hand). */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface RerunHooks {
  /** Stops the run in flight, if any, and resolves once it no longer holds the session. */
  cancelRunning(): Promise<void>;
  /** Starts a run and resolves when it ends (whatever the outcome). */
  start(): Promise<void>;
}

/**
 * Debounced reruns: saves within `delayMs` of each other make one run; a run in flight when the
 * delay ends is cancelled and a new one starts once it has stopped. Saves that arrive while the
 * old run winds down are folded into the one that starts next.
 */
export class RerunScheduler {
  private timer: unknown;
  private generation = 0;
  private disposed = false;

  constructor(private readonly hooks: RerunHooks, private readonly delayMs: number, private readonly timers: Timers = realTimers) {}

  get pending(): boolean {
    return this.timer !== undefined;
  }

  trigger(): void {
    if (this.disposed) return;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => void this.fire(), this.delayMs);
  }

  /** Drops a pending rerun (live mode turned off); a run in flight is left alone. */
  clear(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.generation++;
  }

  dispose(): void {
    this.clear();
    this.disposed = true;
  }

  private async fire(): Promise<void> {
    this.timer = undefined;
    const mine = ++this.generation;
    await this.hooks.cancelRunning();
    // A newer save fired (or live mode went off) while the old run wound down: that one decides.
    if (mine !== this.generation || this.disposed || this.timer !== undefined) return;
    await this.hooks.start();
  }
}

/** What the status bar item shows: live state, the run in flight or the last run and its time. */
export interface StatusView {
  live: boolean;
  trusted: boolean;
  /** Progress of the run in flight, in words. */
  running?: string;
  last?: { finishedAt: number; ms: number; labels: { a: string; b: string }; change?: string };
  /** The last live rerun failed (until a run finishes). */
  failure?: string;
  stale: StaleState | null;
}

/** "14:03:09" in the editor's local time. */
export function clockTime(at: number): string {
  const d = new Date(at);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

export function describeStatus(v: StatusView): { text: string; tooltip: string } {
  const name = v.live ? 'Drift live' : 'Drift';
  const lines: string[] = [v.live
    ? 'Embedding Drift live mode: the report reruns when the configuration, the anchors file or a corpus file is saved.'
    : 'Embedding Drift (live mode off: "Embedding Drift: Toggle Live Mode" reruns on every save).'];
  if (v.live && !v.trusted) lines.push('Restricted Mode: live runs download no model, call no hosted endpoint and run models on WASM.');
  let text: string;
  if (v.running !== undefined) {
    text = `$(sync~spin) ${name}: running`;
    lines.push(`Running: ${v.running}`);
  } else if (v.failure) {
    text = `$(error) ${name}: failed`;
    lines.push(v.failure);
  } else if (v.last) {
    text = `${v.live ? '$(pulse)' : v.stale ? '$(warning)' : '$(graph)'} ${name} ${clockTime(v.last.finishedAt)}${!v.live && v.stale ? ' (stale)' : ''}`;
  } else {
    text = `${v.live ? '$(pulse)' : '$(graph)'} ${name}`;
    lines.push('No run in this window yet.');
  }
  if (v.last) {
    lines.push(`Last run ${clockTime(v.last.finishedAt)} (${(v.last.ms / 1000).toFixed(1)} s): ${v.last.labels.a} vs ${v.last.labels.b}.`);
    if (v.last.change) lines.push(v.last.change);
  }
  if (!v.live && v.stale) lines.push(describeStale(v.stale));
  lines.push('Click to open the report.');
  return { text, tooltip: lines.join('\n') };
}
