// Watches what a live run reads (corpus roots, the configuration file, the anchors file) and calls
// back once per burst of saves. The tool's own outputs never count as a change: nothing inside a
// folder holding its marker (the report folder, the cache) and nothing under .git, so writing the
// report after a run never starts the next one. Editors save by writing a temp file and renaming
// it, so a single file is watched through its folder, by name.
import { existsSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { NEVER_WALKED } from './walk';
import { OUTPUT_MARKER } from './ownOutputs';

export interface WatchTargets {
  /** Folders watched with everything under them (corpus roots). */
  roots: string[];
  /** Single files (the configuration, the anchors file), watched by name in their folder. */
  files: string[];
}

export interface CorpusWatcher {
  close(): void;
}

export interface WatchOptions {
  /** Quiet time after the last event before `onChange` (default 300 ms): a save is often several events. */
  debounceMs?: number;
  /** A folder could not be watched (removed, no inotify watches left). */
  onError?: (err: Error) => void;
}

/** Whether an event at `file` (absolute) under `root` is the tool's own output or VCS internals. */
export function isIgnoredChange(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return false;
  const parts = rel.split(path.sep);
  if (parts.some((p) => NEVER_WALKED.has(p)) || parts[parts.length - 1] === OUTPUT_MARKER) return true;
  // A marked folder anywhere between the root and the file (the walker skips all of it).
  let dir = path.dirname(file);
  for (;;) {
    if (existsSync(path.join(dir, OUTPUT_MARKER))) return true;
    if (dir === root || path.dirname(dir) === dir) return false;
    dir = path.dirname(dir);
  }
}

/** Calls `onChange` with the changed paths (absolute, deduplicated) after each burst of events. */
export function watchCorpus(targets: WatchTargets, onChange: (paths: string[]) => void, options: WatchOptions = {}): CorpusWatcher {
  const debounceMs = options.debounceMs ?? 300;
  const watchers: FSWatcher[] = [];
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const note = (file: string) => {
    if (closed) return;
    pending.add(file);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      const paths = [...pending];
      pending.clear();
      onChange(paths);
    }, debounceMs);
  };
  const add = (dir: string, recursive: boolean, listener: (file: string) => void) => {
    try {
      const watcher = watch(dir, { recursive, persistent: true }, (_event, name) => {
        if (name !== null) listener(path.join(dir, name.toString()));
      });
      watcher.on('error', (err) => options.onError?.(err));
      watchers.push(watcher);
    } catch (err) {
      options.onError?.(err instanceof Error ? err : new Error(String(err)));
    }
  };
  const roots = [...new Set(targets.roots.map((r) => path.resolve(r)))];
  for (const root of roots) add(root, true, (file) => { if (!isIgnoredChange(root, file)) note(file); });
  // Files outside every root: their folder, non-recursively, filtered by name.
  const byFolder = new Map<string, Set<string>>();
  for (const file of targets.files.map((f) => path.resolve(f))) {
    if (roots.some((root) => !path.relative(root, file).startsWith('..'))) continue;
    const names = byFolder.get(path.dirname(file)) ?? new Set<string>();
    names.add(path.basename(file));
    byFolder.set(path.dirname(file), names);
  }
  for (const [dir, names] of byFolder) add(dir, false, (file) => { if (names.has(path.basename(file))) note(file); });
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
