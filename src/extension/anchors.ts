// "Add Selection as Drift Anchor": turns an editor selection into one line of the anchors file (JSONL),
// `{"query": "...", "expect": "docs/setup.md#L10-L40"}`, and appends it without touching the rest.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileDurable } from '../core/io/durable';
import type { Report } from '../core/report/types';
import { DriftError } from '../core/types';

/** The `expect` form of a line range: POSIX path relative to the configuration folder, 1-based lines. */
export function anchorTarget(baseDir: string, filePath: string, startLine: number, endLine: number): string {
  const rel = path.relative(baseDir, filePath).split(path.sep).join('/');
  const first = Math.min(startLine, endLine);
  const last = Math.max(startLine, endLine);
  return `${rel}#L${first}-L${last}`;
}

/** One JSONL line (with its newline); JSON.stringify keeps any query text on that one line. */
export function anchorLine(query: string, expect: string): string {
  return `${JSON.stringify({ query, expect })}\n`;
}

/**
 * Adds the line at the end, with a newline first when the file does not end with one, so an existing
 * last line is never glued to the new one. Creates the file (and its folder) when missing. The whole
 * file is rewritten through the durable writer: a reader (a run starting now) sees the old lines or
 * all of them, never a half-written last line.
 */
export async function appendAnchor(anchorsFile: string, line: string): Promise<void> {
  let text = '';
  try {
    text = await fs.readFile(anchorsFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new DriftError(`Cannot read the anchors file ${anchorsFile}: ${(err as Error).message}`, 'io');
    }
    await fs.mkdir(path.dirname(anchorsFile), { recursive: true });
  }
  const prefix = text.length > 0 && !text.endsWith('\n') ? '\n' : '';
  await writeFileDurable(anchorsFile, text + prefix + line);
}

/** 1-based first and last line of the characters [start, end) of `text` (an empty range: its line). */
export function lineRange(text: string, start: number, end: number): [number, number] {
  const lineOf = (offset: number): number => {
    let line = 1;
    for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
    return line;
  };
  const first = lineOf(start);
  return [first, Math.max(first, lineOf(Math.max(start, end - 1)))];
}

/**
 * The chunk a "label as expected" request names, checked against the report the host holds: the
 * query must be one of the report's golden queries from an anchors file, the chunk one of the side's
 * chunks, and the run on one corpus (anchors resolve against it). A reason (a sentence) otherwise.
 */
export function labelTarget(report: Report, query: string, side: 'a' | 'b', chunk: number): { file: string; start: number; end: number } | string {
  if (report.anchors.source !== 'file') return 'Only golden queries from an anchors file can be labelled (this report has none).';
  if (!report.anchors.items.some((x) => x.query === query && !x.auto)) return 'That query is not one of this report\'s golden queries.';
  if (side === 'b' && report.corpus.rootB) return 'Anchors resolve against A\'s corpus; this run compares two snapshots, so label from a run on one corpus.';
  const c = report.chunkTable[side][chunk];
  if (!c) return 'That chunk is not in this report.';
  return { file: c.file, start: c.start, end: c.end };
}

/** Whether the anchors file text already holds this exact query/expect pair (a second click adds nothing). */
export function hasAnchor(text: string, query: string, expect: string): boolean {
  return text.split(/\r?\n/).some((line) => {
    try {
      const v = JSON.parse(line) as { query?: unknown; expect?: unknown };
      return v.query === query && v.expect === expect;
    } catch {
      return false;
    }
  });
}
