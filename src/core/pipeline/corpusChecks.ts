// What a walked corpus must hold before a run is worth doing, and what the report says about it: a
// corpus with nothing to compare ends the run with the reason (an empty report would read as "no
// drift"); the tool's own outputs and configuration are left out and counted once.
import path from 'node:path';
import type { DriftConfig } from '../config/types';
import { ownOutputsNote } from '../corpus/ownOutputs';
import { plural } from '../report/summary';
import { DriftError, type Corpus } from '../types';

/** Leaves the configuration file in use out of the corpus, whatever its name, when it lies in the root. */
export function leaveOutConfigFile(corpus: Corpus, config: DriftConfig): Corpus {
  if (!config.configPath) return corpus;
  const rel = path.relative(corpus.root, config.configPath).split(path.sep).join('/');
  const at = corpus.files.findIndex((f) => f.path === rel);
  if (at < 0) return corpus;
  corpus.files.splice(at, 1);
  corpus.ownOutputs = (corpus.ownOutputs ?? 0) + 1;
  return corpus;
}

/** Throws the reason a walked corpus cannot be compared: no file at all, or no text in any file. */
export function checkCorpusHasText(corpus: Corpus, config: DriftConfig, root: string): void {
  const own = corpus.ownOutputs ? ` ${ownOutputsNote(corpus.ownOutputs)}` : '';
  if (corpus.files.length === 0) {
    const skipped = corpus.skipped;
    if (skipped.length > 0) {
      const binary = skipped.filter((s) => s.reason.startsWith('binary file')).length;
      const what = binary === skipped.length
        ? `${plural(binary, 'file')} matched corpus.include but ${binary === 1 ? 'is' : 'are all'} binary and ${binary === 1 ? 'was' : 'were'} skipped`
        : `${plural(skipped.length, 'file')} matched corpus.include but ${skipped.length === 1 ? 'was' : 'were all'} skipped`;
      throw new DriftError(`No files to compare in ${root}: ${what} (e.g. ${skipped[0]!.path}: ${skipped[0]!.reason}).${own}`, 'corpus');
    }
    const include = config.corpus.include;
    const patterns = include.length === 1 ? `"${include[0]}"` : `(${include.length} patterns, the first "${include[0] ?? ''}")`;
    throw new DriftError(`No files to compare in ${root}: nothing matches corpus.include ${patterns} outside corpus.exclude.${own}`, 'corpus');
  }
  if (corpus.files.every((f) => f.text.trim() === '')) {
    const which = corpus.files.length === 1 ? `its only file, ${corpus.files[0]!.path}, is empty` : `all ${corpus.files.length} files are empty (e.g. ${corpus.files[0]!.path})`;
    throw new DriftError(`No text to compare in ${root}: ${which}. Add text or point corpus.root at another folder.`, 'corpus');
  }
}

/** Report warnings about the corpora a run read (once per corpus root). */
export function corpusWarnings(corpora: Corpus[]): string[] {
  const out: string[] = [];
  for (const corpus of new Set(corpora)) if (corpus.ownOutputs) out.push(ownOutputsNote(corpus.ownOutputs));
  return out;
}

/** Files of two snapshots by path: new in B, gone from A, and present in both with other bytes. */
export function fileChanges(a: Corpus, b: Corpus): { added: string[]; removed: string[]; changed: string[]; unchanged: number } {
  const before = new Map(a.files.map((f) => [f.path, f.hash]));
  const after = new Map(b.files.map((f) => [f.path, f.hash]));
  const added = [...after.keys()].filter((p) => !before.has(p));
  const removed = [...before.keys()].filter((p) => !after.has(p));
  const changed = [...after].filter(([p, hash]) => before.has(p) && before.get(p) !== hash).map(([p]) => p);
  return { added, removed, changed, unchanged: after.size - added.length - changed.length };
}
