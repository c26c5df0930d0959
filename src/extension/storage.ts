// Where the extension keeps what it writes: models and embeddings under globalStorageUri (shared by
// every workspace), the last report and the baseline under the workspace's storageUri (the session
// worker writes them). Never inside the user's repository unless they export a report there.
import * as path from 'node:path';
import type { Report } from '../core/report/types';
import { readSavedReport } from '../core/report/validate';

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

  /** The stored report, undefined when there is none; a damaged one is a clear error. */
  readReport(file: string): Promise<Report | undefined> {
    return readSavedReport(file, path.basename(file), 'run the comparison again');
  }
}
