// The extension's state and its one long operation: find and load the workspace configuration,
// apply trust rules and settings, run compare() under a cancellable progress notification, keep
// the live session for the query playground, and answer the report panel.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { defaultConfig, findConfigFile, loadConfig } from '../core/config';
import type { DriftConfig } from '../core/config/types';
import { saveBaseline } from '../core/pipeline/baseline';
import { compare, compareWithBaseline } from '../core/pipeline/compare';
import type { CompareOptions, ComparisonSession } from '../core/pipeline/types';
import type { Report } from '../core/report/types';
import { DriftError, isAbortError, type ProgressEvent } from '../core/types';
import type { ToWebviewMessage } from '../shared/protocol';
import { anchorLine, appendAnchor, hasAnchor, labelTarget, lineRange } from './anchors';
import { describeDeltas, headlineDeltas } from './baseline';
import { containedRealPath } from './containment';
import { Log, StageTimer } from './log';
import { ReportPanel, type PanelHost } from './panel';
import { formatBytes } from '../core/format';
import { ProgressTracker } from './progress-text';
import { applySettings, fieldsSetInFile, type ExtensionSettings } from './settings';
import { Storage } from './storage';
import { SelectionTokenizers } from './tokenize';
import { enforceTrust } from './trust';
import { cacheSize } from '../core/embedding';

/** How long a cancelled run may take to wind down before the notification is released anyway. */
const CANCEL_GRACE_MS = 1000;
export const SECRET_PREFIX = 'embeddingDrift.apiKey.';

export class Controller implements PanelHost, vscode.Disposable {
  readonly storage: Storage;
  private session: ComparisonSession | undefined;
  private report: Report | undefined;
  private running: AbortController | undefined;
  /** A cancelled run still winding down; the next run waits for it (one writer per cache). */
  private windingDown: Promise<unknown> = Promise.resolve();
  private readonly tokenizers = new SelectionTokenizers();

  constructor(readonly context: vscode.ExtensionContext, readonly log: Log) {
    this.storage = new Storage(context.globalStorageUri.fsPath, context.storageUri?.fsPath);
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  get currentReport(): Report | undefined {
    return this.report;
  }

  workspaceRoots(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  }

  firstRoot(): string {
    const root = this.workspaceRoots()[0];
    if (!root) throw new DriftError('Open a folder first: Embedding Drift compares the files of a workspace folder.', 'usage');
    return root;
  }

  settings(): ExtensionSettings {
    const c = vscode.workspace.getConfiguration('embeddingDrift');
    return {
      defaultK: c.get<number>('defaultK', 10),
      backend: c.get<'auto' | 'wasm' | 'native'>('backend', 'auto'),
      workers: c.get<number>('workers', 0),
      cacheLimitMB: c.get<number>('cacheLimitMB', 2048),
      maxFileSizeKB: c.get<number>('maxFileSizeKB', 2048),
    };
  }

  /** Where LanceDB is installed when it is not beside the extension (a machine setting: a workspace cannot point it elsewhere). */
  lancedbOption(): { lancedbPath?: string } {
    const folder = vscode.workspace.getConfiguration('embeddingDrift').get<string>('lancedbPath', '');
    return folder ? { lancedbPath: folder } : {};
  }

  /** The configuration a run uses: the workspace file (or the offline default), trust-checked, settings applied. */
  async resolveConfig(configPath: string | undefined): Promise<DriftConfig> {
    const trusted = vscode.workspace.isTrusted;
    let config: DriftConfig;
    let setInFile: ReturnType<typeof fieldsSetInFile> | undefined;
    if (configPath) {
      config = await loadConfig(configPath);
      setInFile = fieldsSetInFile(await fs.readFile(configPath, 'utf8'));
    } else {
      config = defaultConfig(this.firstRoot());
    }
    config = enforceTrust(config, trusted, this.workspaceRoots());
    return applySettings(config, this.settings(), setInFile, trusted);
  }

  async findConfig(): Promise<string | undefined> {
    return findConfigFile(this.firstRoot());
  }

  /**
   * Runs a comparison with a cancellable notification; resolves with the report, or undefined when
   * cancelled. `against: 'baseline'` compares the corpus as it is now with the saved baseline.
   */
  async runComparison(configPath: string | undefined, against: 'configurations' | 'baseline' = 'configurations'): Promise<Report | undefined> {
    if (this.running) {
      void vscode.window.showInformationMessage('A comparison is already running; cancel it from its notification first.');
      return undefined;
    }
    const config = await this.resolveConfig(configPath);
    const trusted = vscode.workspace.isTrusted;
    const panel = ReportPanel.createOrShow(this.context.extensionUri, this);
    const abort = new AbortController();
    this.running = abort;
    const timer = new StageTimer(this.log);
    this.log.info(`compare ${config.configPath ?? '(offline default configuration)'}: A ${config.a.label}, B ${config.b.label}, k ${config.k}${trusted ? '' : ', restricted mode'}`);
    try {
      await this.windingDown;
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Embedding Drift', cancellable: true },
        (progress, token) => {
          const tracker = new ProgressTracker();
          let lastPanelPost = 0;
          const onProgress = (event: ProgressEvent): void => {
            timer.enter(event.side ? `${event.stage} ${event.side.toUpperCase()}` : event.stage);
            progress.report(tracker.update(event));
            const now = Date.now();
            // The panel's bar needs a few updates a second, not every event.
            if (now - lastPanelPost > 200 || (event.total !== undefined && event.done === event.total)) {
              lastPanelPost = now;
              panel.progress(event);
            }
          };
          token.onCancellationRequested(() => abort.abort());
          const settings = this.settings();
          const start = against === 'baseline'
            ? (c: DriftConfig, o: CompareOptions) => compareWithBaseline(c, this.storage.baselineDir, o)
            : compare;
          const work = start(config, {
            cacheDir: this.storage.cacheDir,
            allowNetwork: trusted,
            getSecret: (name) => this.getSecret(name),
            signal: abort.signal,
            onProgress,
            ...(settings.workers > 0 && trusted ? { workers: settings.workers } : {}),
            ...this.lancedbOption(),
          });
          return raceAbort(work, abort.signal, (late) => {
            // Finished after the user let go: free what it holds.
            this.windingDown = late.then((s) => s?.dispose(), () => undefined);
          });
        },
      );
      timer.finish();
      if (result === undefined) throw new DriftError('Cancelled.', 'cancelled');
      await this.session?.dispose().catch(() => undefined);
      this.session = result;
      this.report = result.report;
      this.log.info(`compare done in ${timer.total()} ms: ${result.report.chunks.a} chunks A, ${result.report.chunks.b} chunks B`);
      panel.showReport(result.report);
      await this.storage.writeReport(this.storage.lastReportFile, result.report);
      void this.afterRun(result.report);
      return result.report;
    } catch (err) {
      timer.finish();
      if (isAbortError(err) || abort.signal.aborted) {
        this.log.info(`compare cancelled after ${timer.total()} ms; cached embeddings are kept, a rerun continues from them`);
        // A panel opened for this run that never got a report has nothing to show: close it.
        if (panel.hasReport) panel.error('Comparison cancelled.');
        else panel.dispose();
        void vscode.window.showInformationMessage('Embedding Drift: comparison cancelled. The cache is consistent; a rerun reuses what was already embedded.');
        return undefined;
      }
      if (panel.hasReport) panel.error(err instanceof DriftError ? oneLine(err) : 'The comparison failed; see the Embedding Drift output.');
      else panel.dispose();
      throw err;
    } finally {
      this.running = undefined;
    }
  }

  /** Baseline deltas and the cache-size check, after a run that finished. */
  private async afterRun(report: Report): Promise<void> {
    try {
      const baseline = await this.storage.readReport(this.storage.baselineFile);
      if (baseline) {
        const lines = describeDeltas(headlineDeltas(baseline, report));
        this.log.info(`against the baseline of ${baseline.createdAt}: ${lines.length ? lines.join('; ') : 'no headline number moved'}`);
        void vscode.window.showInformationMessage(
          `Since the baseline: ${lines.length ? lines.slice(0, 3).join('; ') : 'no headline number moved'}.`,
        );
      }
      const limit = this.settings().cacheLimitMB;
      if (limit > 0) {
        const size = await cacheSize(this.storage.cacheDir);
        if (size > limit * 1024 * 1024) {
          const choice = await vscode.window.showWarningMessage(
            `The Embedding Drift cache holds ${formatBytes(size)}, above the ${limit} MB limit (embeddingDrift.cacheLimitMB).`, 'Clear Cache');
          if (choice) await vscode.commands.executeCommand('embeddingDrift.clearCache');
        }
      }
    } catch (err) {
      this.log.error(`after the run: ${(err as Error).message}`, err);
    }
  }

  cancel(): void {
    this.running?.abort();
  }

  async getSecret(name: string): Promise<string | undefined> {
    return (await this.context.secrets.get(SECRET_PREFIX + name)) ?? process.env[name];
  }

  async lastReport(): Promise<Report | undefined> {
    return this.report ?? this.storage.readReport(this.storage.lastReportFile);
  }

  /** Roots a report's paths may resolve into: the side's corpus root first, then the workspace. */
  private allowedRoots(side: 'a' | 'b' | undefined): string[] {
    const corpus = this.report?.corpus;
    const sideRoot = side === 'b' && corpus?.rootB ? corpus.rootB : corpus?.root;
    const roots = [...(sideRoot ? [sideRoot] : []), ...(corpus?.rootB ? [corpus.rootB] : []), ...this.workspaceRoots()];
    return [...new Set(roots)];
  }

  async openLocation(file: string, start: number, end: number, side: 'a' | 'b' | undefined): Promise<void> {
    const resolved = await containedRealPath(this.allowedRoots(side), file);
    if (!resolved) {
      this.log.info(`refused to open ${JSON.stringify(file.slice(0, 200))}: not a file inside the workspace or the corpus`);
      void vscode.window.showWarningMessage(`Embedding Drift opens only files inside the workspace or the corpus: ${file.slice(0, 200)}`);
      return;
    }
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(resolved));
    const range = new vscode.Range(document.positionAt(start), document.positionAt(end));
    // Beside the report, so the report stays in view while the source is read.
    const panelColumn = ReportPanel.visible?.column;
    const viewColumn = panelColumn === undefined ? vscode.ViewColumn.Active : panelColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
    const editor = await vscode.window.showTextDocument(document, { viewColumn, preview: true });
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  async fileText(file: string, side: 'a' | 'b' | undefined): Promise<{ text?: string; error?: string }> {
    const resolved = await containedRealPath(this.allowedRoots(side), file);
    if (!resolved) return { error: 'Only files inside the workspace or the corpus can be shown.' };
    try {
      return { text: await fs.readFile(resolved, 'utf8') };
    } catch (err) {
      return { error: `Cannot read ${path.basename(resolved)}: ${(err as NodeJS.ErrnoException).code ?? 'error'}` };
    }
  }

  async labelExpected(query: string, side: 'a' | 'b', chunk: number): Promise<{ expect?: string; error?: string }> {
    const report = this.report;
    if (!report) return { error: 'Run the comparison in this window to label its hits.' };
    const target = labelTarget(report, query, side, chunk);
    if (typeof target === 'string') return { error: target };
    const resolved = await containedRealPath(this.allowedRoots(side), target.file);
    if (!resolved) return { error: 'Only files inside the workspace or the corpus can be labelled.' };
    try {
      const configPath = await this.findConfig();
      const config = await this.resolveConfig(configPath);
      if (!configPath || !config.anchors) return { error: 'The configuration names no anchors file to append to.' };
      const [first, last] = lineRange(await fs.readFile(resolved, 'utf8'), target.start, target.end);
      // The path as the report's corpus names it: that is how the anchors file resolves expectations.
      const expect = `${target.file}#L${first}-L${last}`;
      const existing = await fs.readFile(config.anchors, 'utf8').catch(() => '');
      if (!hasAnchor(existing, query, expect)) await appendAnchor(config.anchors, anchorLine(query, expect));
      this.log.info(`labelled as expected in ${config.anchors}: ${JSON.stringify(query.slice(0, 200))} -> ${expect}`);
      return { expect };
    } catch (err) {
      return { error: oneLine(err) };
    }
  }

  async search(query: string, k: number): Promise<Extract<ToWebviewMessage, { type: 'searchResponse' }>> {
    if (!this.session) return { type: 'searchResponse', id: 0, error: 'Run the comparison in this window to search it (the playground needs the live session).' };
    try {
      const hits = await this.session.search(query, k);
      return { type: 'searchResponse', id: 0, a: hits.a, b: hits.b };
    } catch (err) {
      return { type: 'searchResponse', id: 0, error: oneLine(err) };
    }
  }

  async tokenize(text: string): Promise<Extract<ToWebviewMessage, { type: 'tokenizeResponse' }>> {
    try {
      // The configuration as it is now (tokenizers are cached per spec, so re-reading is cheap).
      const config = await this.resolveConfig(await this.findConfig());
      const result = await this.tokenizers.tokenize(config, { cacheDir: this.storage.cacheDir, allowNetwork: vscode.workspace.isTrusted }, text);
      return { type: 'tokenizeResponse', id: 0, a: result.a, b: result.b };
    } catch (err) {
      return { type: 'tokenizeResponse', id: 0, error: oneLine(err) };
    }
  }

  /** Stores the live run's side A (vectors, chunks, corpus) for drift over time, and its report for headline deltas. */
  async saveBaseline(): Promise<void> {
    if (!this.session || !this.report) {
      throw new DriftError('Run "Embedding Drift: Compare Configurations" in this window first; its result becomes the baseline.', 'usage');
    }
    await saveBaseline(this.session, this.storage.baselineDir);
    await this.storage.writeReport(this.storage.baselineFile, this.report);
    this.log.info(`baseline saved: side A of the report of ${this.report.createdAt} in ${this.storage.baselineDir}`);
  }

  async dispose(): Promise<void> {
    this.running?.abort();
    await this.session?.dispose().catch(() => undefined);
    this.session = undefined;
  }
}

/** The run's result, or undefined CANCEL_GRACE_MS after an abort if the run has not stopped by then. */
async function raceAbort<T>(work: Promise<T>, signal: AbortSignal, onLate: (late: Promise<T | undefined>) => void): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const released = new Promise<undefined>((resolve) => {
    const start = (): void => { timer = setTimeout(() => resolve(undefined), CANCEL_GRACE_MS); };
    if (signal.aborted) start();
    else signal.addEventListener('abort', start, { once: true });
  });
  const winner = await Promise.race([work.then((v) => ({ v })), released.then(() => undefined)]);
  if (timer) clearTimeout(timer);
  if (winner === undefined) {
    onLate(work.then((v) => v, () => undefined));
    return undefined;
  }
  return winner.v;
}

/** A message fit for one line of UI: DriftError text as is, anything else named as unexpected. */
export function oneLine(err: unknown): string {
  if (err instanceof DriftError) return err.message.split('\n')[0] ?? err.message;
  return `Unexpected error: ${(err as Error)?.message ?? String(err)}`.split('\n')[0] ?? 'Unexpected error';
}
