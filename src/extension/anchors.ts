// "Add Selection as Drift Anchor": turns an editor selection into one line of the anchors file (JSONL),
// `{"query": "...", "expect": "docs/setup.md#L10-L40"}`, and appends it without touching the rest.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileDurable } from '../core/io/durable';
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
