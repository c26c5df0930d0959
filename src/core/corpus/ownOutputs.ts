// What Embedding Drift writes must never come back as corpus, wherever it was written: every output
// folder gets a marker file, and the files themselves are recognized by name (the configuration)
// or by their first bytes (reports and baselines written before markers existed, or moved).
import path from 'node:path';
import { CONFIG_FILE_NAME } from '../config/defaults';
import { writeFileDurable } from '../io/durable';

/** The file that marks a folder as written by Embedding Drift; the walker never enters such a folder. */
export const OUTPUT_MARKER = '.embedding-drift-output';

export const OUTPUT_MARKER_TEXT = 'Written by Embedding Drift. The files in this folder are its own outputs and are never read as corpus.\n';

/** Writes the marker into `dir` (which must exist); idempotent. */
export async function markOutputFolder(dir: string): Promise<void> {
  await writeFileDurable(path.join(dir, OUTPUT_MARKER), OUTPUT_MARKER_TEXT);
}

/** Known by name alone: the configuration file, at the root, in .vscode/ or anywhere else. */
export function isOwnFileByName(relPath: string): boolean {
  return relPath.split('/').pop() === CONFIG_FILE_NAME;
}

/** How far into a file its signature is looked for (reports start with it; the HTML's head is short). */
const SIGNATURE_CHARS = 2048;

/**
 * Whether decoded `text` is a file Embedding Drift wrote: report.json (and the extension's stored
 * reports), report.html, or a baseline manifest. Matched on the leading structure each writer
 * produces, so a user's document that merely mentions the tool is still corpus.
 */
export function isOwnFileByContent(text: string): boolean {
  const head = text.slice(0, SIGNATURE_CHARS);
  if (/^\s*\{\s*"schemaVersion"\s*:\s*\d+\s*,\s*"tool"\s*:\s*\{\s*"name"\s*:\s*"embedding-drift"/.test(head)) return true;
  if (/^\s*\{\s*"format"\s*:\s*\d+\s*,\s*"createdAt"\s*:\s*"[^"]*"\s*,\s*"side"\s*:\s*\{/.test(head) && text.includes('"vectorsSha256"')) return true;
  if (/^<!DOCTYPE html>/i.test(head)) {
    if (/<meta name="generator" content="embedding-drift[ "]/.test(head)) return true;
    // Reports written before the generator tag: the title, then the inlined report data.
    if (/<title>Embedding Drift: [^<]*<\/title>/.test(head) && text.includes('<script type="application/json" id="report-data">')) return true;
  }
  return false;
}

/** The sentence every front door shows once per run when own outputs were left out. */
export function ownOutputsNote(count: number): string {
  return `${count} ${count === 1 ? 'file' : 'files'} written by Embedding Drift (reports, baselines, its configuration) ${count === 1 ? 'was' : 'were'} left out of the corpus.`;
}
