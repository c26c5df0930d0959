// Writes a finished report: OUT/report.json and a self-contained OUT/report.html (the webview
// bundle with the report inlined), each through the one durable writer (temp, fsync, rename).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { markOutputFolder } from '../core/corpus/ownOutputs';
import type { Report } from '../core/report/types';
import type { RunOptions } from '../core/types';
import { writeFileDurable } from '../core/io/durable';
import { DriftError } from '../core/types';
import { jsonPieces } from '../shared/jsonPieces';
import { standaloneHtmlPieces } from '../shared/html';
import { distFile } from './paths';

export interface WrittenReport {
  json: string;
  html: string;
}

/**
 * Creates the output folder and writes its marker: run before the comparison, so a folder that
 * cannot be written fails in a second instead of after the whole run.
 */
export async function prepareOutputFolder(outDir: string): Promise<void> {
  try {
    await fs.mkdir(outDir, { recursive: true });
    // The marker keeps this folder out of any later run's corpus, wherever it lies.
    await markOutputFolder(outDir);
  } catch (err) {
    // The durable writer's error names the file and the cause; mkdir's carries only a code.
    const cause = err instanceof DriftError && err.cause ? err.cause : err;
    throw new DriftError(`Cannot write to the output folder ${outDir}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}.`, 'io', { cause: err });
  }
}

/** Writes both files, saying so as the run's `report` stage (seconds at 350,000 chunks a side). */
export async function writeReport(report: Report, outDir: string, onProgress?: RunOptions['onProgress']): Promise<WrittenReport> {
  const [script, css] = await Promise.all([
    fs.readFile(distFile('webview.js'), 'utf8'),
    fs.readFile(distFile('webview.css'), 'utf8').catch(() => ''),
  ]);
  await prepareOutputFolder(outDir);
  const json = path.join(outDir, 'report.json');
  const html = path.join(outDir, 'report.html');
  // The report's text is made in pieces as each file is written (twice, once a file): at 350,000
  // chunks it is 100 MB, and held whole it cost about 450 MB at the run's peak memory (the string,
  // what made it, its UTF-8 bytes).
  onProgress?.({ stage: 'report', done: 0, total: 2, message: 'report.json' });
  await writeFileDurable(json, (function* () { yield* jsonPieces(report); yield '\n'; })());
  onProgress?.({ stage: 'report', done: 1, total: 2, message: 'report.html' });
  await writeFileDurable(html, standaloneHtmlPieces(report, { script, css }));
  onProgress?.({ stage: 'report', done: 2, total: 2 });
  return { json, html };
}
