// What changed between two runs of a warm session, in the one line both live mode (the status bar
// and the panel) and `compare --watch` print: "2 files changed, 14 chunks re-embedded, churn 31% -> 34%".
import type { Report } from './types';

export interface RunChange {
  /** Corpus files (both roots) edited, added and deleted since the previous run. */
  files: { changed: number; added: number; removed: number };
  /** The configuration file says something else (a chunker, a model, k...). */
  configChanged: boolean;
  /** The anchors file's text changed. */
  anchorsChanged: boolean;
  /** Chunk texts this run embedded (not found in the session or the cache), both sides. */
  chunksEmbedded: number;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function churnOf(report: Report): string {
  const share = report.neighbors.churnedShare;
  return share === null ? 'not measured' : `${Math.round(share * 100)}%`;
}

/**
 * The one-line summary of a run: what changed since `previous` (the session's last report; none on
 * the first run) and how the churned share moved. Only what happened is named.
 */
export function describeChange(change: RunChange, previous: Report | undefined, next: Report): string {
  const parts: string[] = [];
  if (!previous) {
    parts.push(`first run: ${count(next.chunks.a, 'chunk')} under A, ${count(next.chunks.b, 'chunk')} under B`);
  } else {
    const { changed, added, removed } = change.files;
    const files = [
      changed > 0 ? `${count(changed, 'file')} changed` : '',
      added > 0 ? `${changed > 0 ? added : count(added, 'file')} added` : '',
      removed > 0 ? `${changed + added > 0 ? removed : count(removed, 'file')} deleted` : '',
    ].filter(Boolean);
    if (files.length > 0) parts.push(files.join(', '));
    if (change.configChanged) parts.push('configuration changed');
    if (change.anchorsChanged) parts.push('anchors changed');
    if (parts.length === 0) parts.push('nothing changed');
  }
  if (previous || change.chunksEmbedded > 0) parts.push(`${count(change.chunksEmbedded, 'chunk')} ${previous ? 're-embedded' : 'embedded'}`);
  const before = previous ? churnOf(previous) : undefined;
  const after = churnOf(next);
  parts.push(before === undefined ? `churn ${after}` : before === after ? `churn ${after} (unchanged)` : `churn ${before} -> ${after}`);
  return parts.join(', ');
}
