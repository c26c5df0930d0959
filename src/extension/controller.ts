// The extension's state and its one long operation: find and load the workspace configuration,
// apply trust rules and settings, and have the session worker run the comparison (the host only
// relays: progress to the notification, the panel and the status bar; the report's bytes to the
// panel). Live mode reruns on saves; with it off, the panel says when its report is stale.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CONFIG_FILE_NAME, defaultConfig, findConfigFile, loadConfig } from '../core/config';
import type { DriftConfig } from '../core/config/types';
import { cacheSize } from '../core/embedding/cache';
import { hasBaseline } from '../core/pipeline/baseline';
import type { Report } from '../core/report/types';
import { DriftError, isAbortError, type ProgressEvent } from '../core/types';
import { SessionClient, type RunResult } from '../session/client';
import { decodeReport, type Answer, type SearchAnswer, type TokenizeAnswer } from '../shared/protocol';
import type { RunSummary } from '../session/protocol';
import type { StaleState } from '../shared/stale';
import { anchorLine, appendAnchor, hasAnchor, labelTarget, lineRange } from './anchors';
import { containedRealPath } from './containment';
import { ChangeTracker, RerunScheduler, classifyChange, isOwnOutput, watchedFiles, type WatchedFiles } from './live';
import { Log, StageTimer } from './log';
import { ReportPanel, type PanelHost, type ShownReport } from './panel';
import { formatBytes } from '../core/format';
import { ProgressTracker } from './progress-text';
import { applySettings, DEFAULT_SETTINGS, fieldsSetInFile, type ExtensionSettings } from './settings';
import { StatusItem } from './status';
import { Storage } from './storage';
import { enforceTrust } from './trust';

/** How long a cancelled run may take to wind down before the notification is released anyway. */
const CANCEL_GRACE_MS = 1000;
/** Saves closer together than this make one live rerun. */
const LIVE_DEBOUNCE_MS = 600;
export const SECRET_PREFIX = 'embeddingDrift.apiKey.';

/** Who started a run: the palette (a notification shows progress), the panel's Rerun, or live mode (status bar only). */
export type RunTrigger = 'command' | 'rerun' | 'live';

interface RunningRun {
  id: number;
  trigger: RunTrigger;
  /** Settles once the worker no longer runs it. */
  settled: Promise<void>;
  /** Cancelled by live mode to start again: nothing to tell the user. */
  superseded: boolean;
}

interface FinishedRun extends ShownReport {
  summary: RunSummary;
  finishedAt: number;
  ms: number;
}

export class Controller implements PanelHost, vscode.Disposable {
  readonly storage: Storage;
  private readonly session: SessionClient;
  private readonly status: StatusItem;
  private last: FinishedRun | undefined;
  private running: RunningRun | undefined;
  private readonly changes = new ChangeTracker();
  private watched: WatchedFiles | undefined;
  private readonly scheduler: RerunScheduler;
  /** Live mode as last seen (VS Code reads the setting's workspace value only once the workspace is trusted). */
  private liveWas: boolean;
  private lastFailure: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly context: vscode.ExtensionContext, readonly log: Log) {
    this.storage = new Storage(context.globalStorageUri.fsPath, context.storageUri?.fsPath);
    this.session = new SessionClient(path.join(context.extensionUri.fsPath, 'dist', 'session-worker.js'), {
      log: (level, message) => (level === 'error' ? log.error(`session worker: ${message}`) : log.info(message)),
      getSecret: (name) => this.getSecret(name),
    });
    this.status = new StatusItem();
    this.scheduler = new RerunScheduler({
      cancelRunning: () => this.cancelRunning(),
      start: async () => {
        try {
          await this.runComparison(await this.findConfig(), 'configurations', 'live');
        } catch (err) {
          this.log.error(`live rerun: ${(err as Error).message}`, err);
        }
      },
    }, LIVE_DEBOUNCE_MS);
    this.disposables.push(
      this.status,
      vscode.workspace.onDidSaveTextDocument((d) => void this.onFileChanged(d.uri, d.getText())),
      vscode.workspace.onDidCreateFiles((e) => e.files.forEach((f) => void this.onFileChanged(f))),
      vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((f) => void this.onFileChanged(f))),
      vscode.workspace.onDidRenameFiles((e) => e.files.forEach((f) => { void this.onFileChanged(f.oldUri); void this.onFileChanged(f.newUri); })),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('embeddingDrift.live')) this.onLiveSettingChanged(); }),
      // `live` is a restricted setting: granting trust lets the workspace's own value count.
      vscode.workspace.onDidGrantWorkspaceTrust(() => { if (this.liveMode !== this.liveWas) this.onLiveSettingChanged(); else this.updateStatus(); }),
    );
    this.liveWas = this.liveMode;
    this.updateStatus();
    void this.refreshWatchList();
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Whether a finished run of this window is in memory (its session answers the playground). */
  get hasReport(): boolean {
    return this.last !== undefined;
  }

  get liveMode(): boolean {
    const c = vscode.workspace.getConfiguration('embeddingDrift');
    if (vscode.workspace.isTrusted) return c.get<boolean>('live', false);
    // Restricted Mode: only the user's own choice counts, never the folder's (package.json lists `live`
    // among the restricted settings too; this holds whatever the editor does with that list).
    return c.inspect<boolean>('live')?.globalValue ?? false;
  }

  workspaceRoots(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  }

  firstRoot(): string {
    const root = this.workspaceRoots()[0];
    if (!root) throw new DriftError(vscode.l10n.t('Open a folder first: Embedding Drift compares the files of a workspace folder.'), 'usage');
    return root;
  }

  settings(): ExtensionSettings {
    const c = vscode.workspace.getConfiguration('embeddingDrift');
    return {
      defaultK: c.get<number>('defaultK', DEFAULT_SETTINGS.defaultK),
      backend: c.get<ExtensionSettings['backend']>('backend', DEFAULT_SETTINGS.backend),
      workers: c.get<number>('workers', DEFAULT_SETTINGS.workers),
      cacheLimitMB: c.get<number>('cacheLimitMB', DEFAULT_SETTINGS.cacheLimitMB),
      maxFileSizeKB: c.get<number>('maxFileSizeKB', DEFAULT_SETTINGS.maxFileSizeKB),
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
   * Runs a comparison in the session worker and shows its report; resolves with whether a report
   * came. `against: 'baseline'` compares the corpus as it is now with the saved baseline. A live
   * run updates an open panel in place and reports through the status bar, never a notification.
   */
  async runComparison(configPath: string | undefined, against: 'configurations' | 'baseline' = 'configurations', trigger: RunTrigger = 'command'): Promise<boolean> {
    if (this.running) {
      // A save in live mode restarts whatever runs (its files changed under it) and a live run gives way
      // to a command; two runs someone started do not cancel each other.
      if (trigger !== 'live' && this.running.trigger !== 'live') {
        void vscode.window.showInformationMessage(vscode.l10n.t('A comparison is already running; cancel it from its notification first.'));
        return false;
      }
      await this.cancelRunning();
    }
    const startedAt = Date.now();
    let config: DriftConfig;
    try {
      config = await this.resolveConfig(configPath);
    } catch (err) {
      if (trigger !== 'live') throw err;
      // A configuration saved half-written is normal while editing: say so where the user looks, wait for the next save.
      this.showFailure(`Live rerun: ${oneLine(err)}`);
      return false;
    }
    this.watched = this.watchList(config);
    const trusted = vscode.workspace.isTrusted;
    const panel = trigger === 'live' ? ReportPanel.visible : ReportPanel.createOrShow(this.context.extensionUri, this);
    const timer = new StageTimer(this.log);
    const tracker = new ProgressTracker();
    this.log.info(`compare (${trigger}) ${config.configPath ?? '(offline default configuration)'}: A ${config.a.label}, B ${config.b.label}, k ${config.k}${trusted ? '' : ', restricted mode'}`);
    let notify: ((text: string, increment: number) => void) | undefined;
    let lastPanelPost = 0;
    const onProgress = (event: ProgressEvent): void => {
      timer.enter(event.side ? `${event.stage} ${event.side.toUpperCase()}` : event.stage);
      const { message, increment } = tracker.update(event);
      notify?.(message, increment);
      this.status.update({ ...this.statusBase(), running: message });
      const now = Date.now();
      // The panel's bar needs a few updates a second, not every event.
      if (now - lastPanelPost > 200 || (event.total !== undefined && event.done === event.total)) {
        lastPanelPost = now;
        panel?.progress(event, message);
      }
    };
    const settings = this.settings();
    const handle = this.session.run({
      against,
      config,
      cacheDir: this.storage.cacheDir,
      baselineDir: this.storage.baselineDir,
      reportFile: this.storage.lastReportFile,
      allowNetwork: trusted,
      toolVersion: String((this.context.extension.packageJSON as { version?: unknown }).version ?? ''),
      ...(settings.workers > 0 && trusted ? { workers: settings.workers } : {}),
      ...this.lancedbOption(),
    }, onProgress);
    const run: RunningRun = { id: handle.id, trigger, settled: handle.done.then(() => undefined, () => undefined), superseded: false };
    this.running = run;
    this.status.update({ ...this.statusBase(), running: 'starting' });
    try {
      const result = trigger === 'live'
        ? await handle.done
        : await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Embedding Drift'), cancellable: true },
          (progress, token) => {
            notify = (message, increment) => progress.report({ message, increment });
            token.onCancellationRequested(() => this.session.cancel(handle.id));
            return untilCancelled(handle.done, token);
          });
      timer.finish();
      if (result === undefined) throw new DriftError(vscode.l10n.t('Cancelled.'), 'cancelled');
      this.finished(result, startedAt, timer.total(), panel, trigger);
      return true;
    } catch (err) {
      timer.finish();
      if (isAbortError(err)) {
        if (run.superseded) {
          this.log.info(`compare cancelled after ${timer.total()} ms to start again with the files just saved`);
          return false;
        }
        this.log.info(`compare cancelled after ${timer.total()} ms; cached embeddings are kept, a rerun continues from them`);
        // A panel opened for this run that never got a report has nothing to show: close it.
        if (panel?.hasReport) panel.error('Comparison cancelled.');
        else panel?.dispose();
        if (trigger !== 'live') void vscode.window.showInformationMessage(vscode.l10n.t('Embedding Drift: comparison cancelled. The cache is consistent; a rerun reuses what was already embedded.'));
        return false;
      }
      const message = err instanceof DriftError ? oneLine(err) : 'The comparison failed; see the Embedding Drift output.';
      if (trigger === 'live') {
        this.log.error(`live rerun: ${(err as Error).message}`, err);
        this.showFailure(`Live rerun: ${message}`);
        return false;
      }
      if (panel?.hasReport) panel.error(message);
      else panel?.dispose();
      throw err;
    } finally {
      if (this.running === run) this.running = undefined;
      this.updateStatus();
    }
  }

  private finished(result: RunResult, startedAt: number, ms: number, panel: ReportPanel | undefined, trigger: RunTrigger): void {
    const { summary } = result;
    this.last = { report: result.report, labels: summary.labels, summary, finishedAt: Date.now(), ms };
    this.lastFailure = undefined;
    this.changes.runFinished(startedAt);
    this.log.info(`compare done in ${ms} ms: ${summary.chunks.a} chunks A, ${summary.chunks.b} chunks B; report ${this.storage.lastReportFile}${summary.change ? `; ${summary.change}` : ''}`);
    panel?.showReport(this.last, summary.change);
    void this.afterRun(summary, trigger);
  }

  /** Baseline deltas and the cache-size check, after a run that finished. */
  private async afterRun(summary: RunSummary, trigger: RunTrigger): Promise<void> {
    try {
      const baseline = summary.baseline;
      if (baseline) {
        const said = 'deltas' in baseline
          ? (baseline.deltas.length ? vscode.l10n.t('Since the baseline: {0}.', baseline.deltas.slice(0, 3).join('; ')) : vscode.l10n.t('Since the baseline: no headline number moved.'))
          : vscode.l10n.t('Not compared with the baseline of {0}: {1}.', baseline.createdAt.slice(0, 10), baseline.notComparable);
        this.log.info(`baseline of ${baseline.createdAt}: ${'deltas' in baseline ? baseline.deltas.join('; ') || 'no headline number moved' : baseline.notComparable}`);
        // Live mode reruns on every save: a toast each time would bury the editor.
        if (trigger !== 'live') void vscode.window.showInformationMessage(said);
      }
      const limit = this.settings().cacheLimitMB;
      if (limit > 0 && trigger !== 'live') {
        const size = await cacheSize(this.storage.cacheDir);
        if (size > limit * 1024 * 1024) {
          const choice = await vscode.window.showWarningMessage(
            vscode.l10n.t('The Embedding Drift cache holds {0}, above the {1} MB limit (embeddingDrift.cacheLimitMB).', formatBytes(size), limit), vscode.l10n.t('Clear Cache'));
          if (choice) await vscode.commands.executeCommand('embeddingDrift.clearCache');
        }
      }
    } catch (err) {
      this.log.error(`after the run: ${(err as Error).message}`, err);
    }
  }

  cancel(): void {
    if (this.running) this.session.cancel(this.running.id);
  }

  /** Cancels the run in flight (live mode starts again) and waits until the worker has let go of it. */
  private async cancelRunning(): Promise<void> {
    const run = this.running;
    if (!run) return;
    run.superseded = true;
    this.session.cancel(run.id);
    await run.settled;
  }

  async rerun(): Promise<void> {
    try {
      await this.runComparison(await this.findConfig(), 'configurations', 'rerun');
    } catch (err) {
      this.log.error(`rerun: ${(err as Error).message}`, err);
      void vscode.window.showErrorMessage(vscode.l10n.t('Embedding Drift: {0}', oneLine(err)));
    }
  }

  // ---- live mode and stale reports ---------------------------------------------------------------

  /** The files a run of `config` reads; the extension's own storage never counts. */
  private watchList(config: DriftConfig): WatchedFiles {
    const root = this.workspaceRoots()[0];
    const configFiles = config.configPath ? [config.configPath]
      : root ? [path.join(root, CONFIG_FILE_NAME), path.join(root, '.vscode', CONFIG_FILE_NAME)] : [];
    const own = [this.context.globalStorageUri.fsPath, ...(this.context.storageUri ? [this.context.storageUri.fsPath] : [])];
    return watchedFiles(config, configFiles, own);
  }

  /** Reads the configuration to learn which files to watch; an unreadable one keeps the previous list. */
  private async refreshWatchList(): Promise<void> {
    try {
      if (this.workspaceRoots().length === 0) return;
      this.watched = this.watchList(await this.resolveConfig(await this.findConfig()));
    } catch {
      // Invalid while being edited: the run that follows the next save says why.
    }
  }

  /**
   * A command wrote an input of the comparison (the anchors file, the configuration) without an
   * editor save: live mode reruns, or the report says it is stale, as after a save.
   */
  inputWritten(file: string): void {
    void this.onFileChanged(vscode.Uri.file(file));
  }

  /** A saved (then `text` is the document's), created, deleted or renamed file. */
  private async onFileChanged(uri: vscode.Uri, text?: string): Promise<void> {
    if (uri.scheme !== 'file' || !this.watched) return;
    const kind = classifyChange(uri.fsPath, this.watched);
    if (!kind || (kind === 'corpus' && await isOwnOutput(uri.fsPath, this.watched, text))) return;
    this.changes.note(kind, uri.fsPath, Date.now());
    // The configuration names the anchors file and the corpus globs: what to watch may have changed.
    if (kind === 'configuration') void this.refreshWatchList();
    if (this.liveMode) {
      this.scheduler.trigger();
      this.status.update({ ...this.statusBase(), running: 'waiting for more saves' });
    } else {
      ReportPanel.visible?.stale(this.staleState());
      this.updateStatus();
    }
  }

  staleState(): StaleState | null {
    // Live mode reruns by itself: its report is never "stale" for long, and the banner would flicker.
    if (this.liveMode) return null;
    return this.changes.state(Date.now());
  }

  private onLiveSettingChanged(): void {
    const live = this.liveMode;
    this.liveWas = live;
    this.log.info(`live mode ${live ? 'on' : 'off'}${live && !vscode.workspace.isTrusted ? ' (Restricted Mode: no downloads, no hosted endpoints, models on WASM)' : ''}`);
    if (!live) this.scheduler.clear();
    else if (!this.running && (this.changes.state(Date.now()) !== null || (!this.last && ReportPanel.visible))) this.scheduler.trigger();
    ReportPanel.visible?.stale(this.staleState());
    this.updateStatus();
  }

  /** The live-mode command: flips the setting where it is set (workspace or user), the user setting otherwise. */
  async toggleLive(): Promise<void> {
    const c = vscode.workspace.getConfiguration('embeddingDrift');
    const inspected = c.inspect<boolean>('live');
    // In Restricted Mode the workspace's value does not count (a restricted setting): only the user's would change anything.
    const trusted = vscode.workspace.isTrusted;
    const target = trusted && inspected?.workspaceFolderValue !== undefined ? vscode.ConfigurationTarget.WorkspaceFolder
      : trusted && inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    const next = !this.liveMode;
    // The watch list comes from the configuration: read it now so the first save already counts.
    if (next && !this.watched) await this.refreshWatchList();
    await c.update('live', next, target);
    const restricted = vscode.workspace.isTrusted ? '' : ' In Restricted Mode live runs download nothing, call no hosted endpoint and run models on WASM.';
    void vscode.window.showInformationMessage(next
      ? `Embedding Drift live mode on: the report reruns when the configuration, the anchors file or a corpus file is saved.${restricted}`
      : 'Embedding Drift live mode off: the report says when it is stale and offers Rerun.');
  }

  private showFailure(message: string): void {
    this.lastFailure = message;
    ReportPanel.visible?.error(message);
    this.updateStatus();
  }

  private statusBase(): Parameters<StatusItem['update']>[0] {
    return {
      live: this.liveMode,
      trusted: vscode.workspace.isTrusted,
      ...(this.last ? { last: { finishedAt: this.last.finishedAt, ms: this.last.ms, labels: this.last.summary.labels, ...(this.last.summary.change ? { change: this.last.summary.change } : {}) } } : {}),
      ...(this.lastFailure ? { failure: this.lastFailure } : {}),
      stale: this.staleState(),
    };
  }

  private updateStatus(): void {
    this.status.update(this.running ? { ...this.statusBase(), running: 'starting' } : this.statusBase());
  }

  // ---- the panel's requests ------------------------------------------------------------------------

  async getSecret(name: string): Promise<string | undefined> {
    return (await this.context.secrets.get(SECRET_PREFIX + name)) ?? process.env[name];
  }

  /** The report to show: this window's last run, else the stored one (bytes, not parsed here). */
  async storedReport(): Promise<ShownReport | undefined> {
    if (this.last) return this.last;
    try {
      return { report: new Uint8Array(await fs.readFile(this.storage.lastReportFile)) };
    } catch {
      return undefined;
    }
  }

  /** Opens the report panel on the last report (the status bar item's click). */
  async openReport(): Promise<void> {
    const shown = await this.storedReport();
    if (!shown) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No report yet: run "Embedding Drift: Compare Configurations" first.'));
      return;
    }
    const panel = ReportPanel.createOrShow(this.context.extensionUri, this);
    if (!panel.hasReport) panel.showReport(shown);
  }

  /** The stored report, parsed (the in-editor test API; the panel gets bytes). */
  async lastReport(): Promise<Report | undefined> {
    return this.storage.readReport(this.storage.lastReportFile);
  }

  /** Roots a report's paths may resolve into: the side's corpus root first, then the workspace. */
  private allowedRoots(side: 'a' | 'b' | undefined): string[] {
    const roots = this.last?.summary.corpusRoots ?? [];
    const sideRoot = side === 'b' && roots[1] ? roots[1] : roots[0];
    return [...new Set([...(sideRoot ? [sideRoot] : []), ...roots, ...this.workspaceRoots()])];
  }

  async openLocation(file: string, start: number, end: number, side: 'a' | 'b' | undefined): Promise<void> {
    const resolved = await containedRealPath(this.allowedRoots(side), file);
    if (!resolved) {
      this.log.info(`refused to open ${JSON.stringify(file.slice(0, 200))}: not a file inside the workspace or the corpus`);
      void vscode.window.showWarningMessage(vscode.l10n.t('Embedding Drift opens only files inside the workspace or the corpus: {0}', file.slice(0, 200)));
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

  async fileText(file: string, side: 'a' | 'b' | undefined): Promise<Answer<{ text: string }>> {
    const resolved = await containedRealPath(this.allowedRoots(side), file);
    if (!resolved) return { error: 'Only files inside the workspace or the corpus can be shown.' };
    try {
      return { text: await fs.readFile(resolved, 'utf8') };
    } catch (err) {
      return { error: `Cannot read ${path.basename(resolved)}: ${(err as NodeJS.ErrnoException).code ?? 'error'}` };
    }
  }

  async labelExpected(query: string, side: 'a' | 'b', chunk: number): Promise<Answer<{ expect: string }>> {
    if (!this.last) return { error: 'Run the comparison in this window to label its hits.' };
    // The host keeps the report as bytes; a click on "label as expected" is rare enough to parse them here.
    const report = decodeReport(this.last.report);
    if (typeof report === 'string') return { error: `The report in memory cannot be read: ${report}` };
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
      if (!hasAnchor(existing, query, expect)) {
        await appendAnchor(config.anchors, anchorLine(query, expect));
        this.inputWritten(config.anchors);
      }
      this.log.info(`labelled as expected in ${config.anchors}: ${JSON.stringify(query.slice(0, 200))} -> ${expect}`);
      return { expect };
    } catch (err) {
      return { error: oneLine(err) };
    }
  }

  async search(query: string, k: number): Promise<Answer<SearchAnswer>> {
    if (!this.last) return { error: 'Run the comparison in this window to search it (the playground needs the live session).' };
    try {
      return await this.session.search(query, k);
    } catch (err) {
      return { error: oneLine(err) };
    }
  }

  async tokenize(text: string): Promise<Answer<TokenizeAnswer>> {
    try {
      // The configuration as it is now (the worker keeps tokenizers per spec, so re-reading is cheap).
      const config = await this.resolveConfig(await this.findConfig());
      return await this.session.tokenize(config, { cacheDir: this.storage.cacheDir, allowNetwork: vscode.workspace.isTrusted }, text);
    } catch (err) {
      return { error: oneLine(err) };
    }
  }

  /** Export Side to LanceDB, in the session worker (it embeds like a run). */
  exportSide(config: DriftConfig, side: 'a' | 'b', target: { uri: string; table: string }, signal: AbortSignal, onProgress: (event: ProgressEvent) => void) {
    return this.session.exportSide({
      config, side, target, cacheDir: this.storage.cacheDir, allowNetwork: vscode.workspace.isTrusted, ...this.lancedbOption(),
    }, signal, onProgress);
  }

  /** Whether a comparison finished in this window (Save as Baseline stores its side A). */
  get hasRun(): boolean {
    return this.last !== undefined;
  }

  /** Whether this workspace has a saved baseline. */
  hasBaseline(): Promise<boolean> {
    return hasBaseline(this.storage.baselineDir);
  }

  /** Stores the live run's side A (vectors, chunks, corpus) for drift over time, and its report for headline deltas. */
  async saveBaseline(): Promise<void> {
    if (!this.last) {
      throw new DriftError(vscode.l10n.t('Run "Embedding Drift: Compare Configurations" in this window first; its result becomes the baseline.'), 'usage');
    }
    await this.session.saveBaseline(this.storage.baselineDir);
    this.log.info(`baseline saved: side A of the report of ${this.last.summary.createdAt} in ${this.storage.baselineDir}`);
  }

  async dispose(): Promise<void> {
    this.scheduler.dispose();
    if (this.running) this.session.cancel(this.running.id);
    while (this.disposables.length) this.disposables.pop()?.dispose();
    await this.session.dispose().catch(() => undefined);
  }
}

/** The run's result, or undefined CANCEL_GRACE_MS after the user cancelled if the worker has not stopped by then. */
async function untilCancelled<T>(work: Promise<T>, token: vscode.CancellationToken): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const released = new Promise<undefined>((resolve) => {
    const start = (): void => { timer = setTimeout(() => resolve(undefined), CANCEL_GRACE_MS); };
    if (token.isCancellationRequested) start();
    else token.onCancellationRequested(start);
  });
  try {
    const winner = await Promise.race([work.then((v) => ({ v })), released]);
    // The worker keeps running a late run until it notices the abort; the next run waits for it there.
    if (winner === undefined) work.catch(() => undefined);
    return winner?.v;
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** A message fit for one line of UI: DriftError text as is, anything else named as unexpected. */
export function oneLine(err: unknown): string {
  if (err instanceof DriftError) return err.message.split('\n')[0] ?? err.message;
  return `Unexpected error: ${(err as Error)?.message ?? String(err)}`.split('\n')[0] ?? 'Unexpected error';
}
