// Where the extension keeps what it writes: models and embeddings under globalStorageUri (shared by
// every workspace), the last report and the baseline under the workspace's storageUri. Never inside
// the user's repository unless they export a report there.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileDurable } from '../core/io/durable';
import type { Report } from '../core/report/types';
import { checkedReport } from '../core/report/validate';
import { DriftError } from '../core/types';

export class Storage {
  constructor(
    /** globalStorageUri.fsPath */
    private readonly globalDir: string,
    /** storageUri.fsPath (undefined with no folder open: then a global fallback is used). */
    private readonly workspaceDir: string | undefined,
  ) {}

  /** The CompareOptions.cacheDir: models/ and embeddings/ below it. */
  get cacheDir(): string {
    return path.join(this.globalDir, 'cache');
  }

  private get runDir(): string {
    return this.workspaceDir ?? path.join(this.globalDir, 'no-workspace');
  }

  get lastReportFile(): string {
    return path.join(this.runDir, 'last-report.json');
  }

  /** The pipeline's baseline folder (side A's vectors, chunks and corpus: saveBaseline/compareWithBaseline). */
  get baselineDir(): string {
    return path.join(this.runDir, 'baseline');
  }

  get baselineFile(): string {
    return path.join(this.runDir, 'baseline-report.json');
  }

  async writeReport(file: string, report: Report): Promise<void> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    // A crash never leaves a half-written report that reads as good.
    await writeFileDurable(file, JSON.stringify(report));
  }

  /** The stored report, undefined when there is none; a damaged one is a clear error. */
  async readReport(file: string): Promise<Report | undefined> {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      return undefined;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new DriftError(`The saved report ${path.basename(file)} is damaged (${(err as Error).message}); run the comparison again.`, 'cache');
    }
    return checkedReport(value, path.basename(file));
  }
}
