// Finds corpus files that changed or vanished on disk while a run was in progress, so the report can
// say that their results reflect the version read first (the run itself never mixes two versions).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { throwIfAborted, type Corpus, type CorpusFile, type RunOptions, type SkippedFile } from '../types';

/** Re-reads in flight at once, as the walker does. */
const CONCURRENCY = 16;

async function changeOf(root: string, file: CorpusFile): Promise<SkippedFile | undefined> {
  const absolute = path.join(root, ...file.path.split('/'));
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(absolute);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
    const what = code === 'ENOENT' ? 'deleted' : `made unreadable (${code})`;
    return { path: file.path, reason: `${what} while the run was in progress; the results use the version read first` };
  }
  if (bytes.byteLength === file.bytes && createHash('sha256').update(bytes).digest('hex') === file.hash) return undefined;
  return { path: file.path, reason: 'changed on disk while the run was in progress; the results use the version read first' };
}

/** The files of `corpus` whose bytes on disk no longer match what the walk read. */
export async function changedSinceWalk(corpus: Corpus, options: RunOptions = {}): Promise<SkippedFile[]> {
  const changes: SkippedFile[] = [];
  for (let i = 0; i < corpus.files.length; i += CONCURRENCY) {
    throwIfAborted(options.signal);
    const batch = await Promise.all(corpus.files.slice(i, i + CONCURRENCY).map((f) => changeOf(corpus.root, f)));
    for (const change of batch) if (change) changes.push(change);
  }
  return changes;
}

/** Adds each corpus's changed files to its `skipped` list (the list the report shows with reasons). */
export async function noteChangedFiles(corpora: Corpus[], options: RunOptions = {}): Promise<void> {
  for (const corpus of new Set(corpora)) corpus.skipped.push(...await changedSinceWalk(corpus, options));
}
