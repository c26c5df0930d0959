// The report panel: one webview showing the latest report, revived after a reload through a
// WebviewPanelSerializer. Every message from the webview is validated before use; file paths are
// opened only inside the workspace or the report's corpus roots.
import * as vscode from 'vscode';
import type { Report } from '../core/report/types';
import type { ProgressEvent } from '../core/types';
import { makeNonce, renderWebviewHtml } from '../shared/html';
import { validateFromWebview, type FromWebviewMessage, type ToWebviewMessage, type UiState } from '../shared/protocol';
import type { Log } from './log';

/** What the panel asks of the rest of the extension (the Controller implements it). */
export interface PanelHost {
  readonly log: Log;
  openLocation(file: string, start: number, end: number, side: 'a' | 'b' | undefined): Promise<void>;
  tokenize(text: string): Promise<Extract<ToWebviewMessage, { type: 'tokenizeResponse' }>>;
  search(query: string, k: number): Promise<Extract<ToWebviewMessage, { type: 'searchResponse' }>>;
  fileText(file: string, side: 'a' | 'b' | undefined): Promise<{ text?: string; error?: string }>;
  /** Appends a side's chunk as an expected span of a golden query to the anchors file. */
  labelExpected(query: string, side: 'a' | 'b', chunk: number): Promise<{ expect?: string; error?: string }>;
  cancel(): void;
  /** The report to show when a revived panel has none in memory. */
  lastReport(): Promise<Report | undefined>;
}

export class ReportPanel implements vscode.Disposable {
  static readonly viewType = 'embeddingDrift.report';
  private static current: ReportPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private disposed = false;
  private report: Report | undefined;
  /** Messages sent before the webview said `ready`, delivered in order afterwards. */
  private pending: ToWebviewMessage[] = [];

  static get visible(): ReportPanel | undefined {
    return ReportPanel.current;
  }

  static createOrShow(extensionUri: vscode.Uri, host: PanelHost): ReportPanel {
    if (ReportPanel.current) {
      ReportPanel.current.panel.reveal(undefined, true);
      return ReportPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      ReportPanel.viewType, 'Embedding Drift', { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      { ...ReportPanel.webviewOptions(extensionUri), retainContextWhenHidden: false },
    );
    ReportPanel.current = new ReportPanel(panel, extensionUri, host);
    return ReportPanel.current;
  }

  /** Called by the serializer after a window reload: the webview's UI state comes back by itself. */
  static async revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, host: PanelHost): Promise<void> {
    panel.webview.options = ReportPanel.webviewOptions(extensionUri);
    ReportPanel.current?.dispose();
    const revived = new ReportPanel(panel, extensionUri, host);
    ReportPanel.current = revived;
    const report = await host.lastReport().catch((err: unknown) => {
      host.log.error(`Could not restore the last report: ${(err as Error).message}`);
      return undefined;
    });
    if (report) revived.showReport(report);
  }

  /** Scripts on, resources only from the extension's dist/ and media/ folders. */
  static webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly host: PanelHost,
  ) {
    this.render();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      // A hidden webview loses its document (no retainContextWhenHidden) and says `ready` again
      // when shown: until then messages wait in `pending` instead of being dropped.
      panel.onDidChangeViewState(({ webviewPanel }) => { if (!webviewPanel.visible) this.ready = false; }),
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const message = validateFromWebview(raw, (m) => host.log.info(m));
        if (message) void this.handle(message);
      }),
    );
  }

  /** The editor column the panel is in (undefined while hidden). */
  get column(): vscode.ViewColumn | undefined {
    return this.panel.viewColumn;
  }

  get hasReport(): boolean {
    return this.report !== undefined;
  }

  showReport(report: Report): void {
    this.report = report;
    this.panel.title = `Embedding Drift: ${report.configs.a.label} vs ${report.configs.b.label}`;
    // A fresh report replaces whatever was queued for the previous one.
    this.pending = this.pending.filter((m) => m.type !== 'showReport' && m.type !== 'progress' && m.type !== 'error');
    this.post({ type: 'showReport', report });
  }

  progress(event: ProgressEvent): void {
    if (!this.ready) return;
    this.post({ type: 'progress', event });
  }

  error(message: string): void {
    this.post({ type: 'error', message });
  }

  setState(state: Partial<UiState>): void {
    this.post({ type: 'setState', state });
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  private render(): void {
    const webview = this.panel.webview;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    this.ready = false;
    webview.html = renderWebviewHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
    });
  }

  private post(message: ToWebviewMessage): void {
    if (!this.ready) {
      this.pending.push(message);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  private async handle(message: FromWebviewMessage): Promise<void> {
    const host = this.host;
    try {
      switch (message.type) {
        case 'ready': {
          this.ready = true;
          const queued = this.pending;
          this.pending = [];
          // A webview that reloads (hidden and shown again) asks again: it gets the report again.
          if (this.report && !queued.some((m) => m.type === 'showReport')) queued.unshift({ type: 'showReport', report: this.report });
          for (const m of queued) void this.panel.webview.postMessage(m);
          return;
        }
        case 'openLocation':
          await host.openLocation(message.file, message.start, message.end, message.side);
          return;
        case 'tokenizeRequest':
          this.post({ ...(await host.tokenize(message.text)), id: message.id });
          return;
        case 'searchRequest':
          this.post({ ...(await host.search(message.query, message.k)), id: message.id });
          return;
        case 'fileTextRequest': {
          const answer = await host.fileText(message.file, message.side);
          this.post({ type: 'fileTextResponse', id: message.id, file: message.file, ...answer });
          return;
        }
        case 'labelExpectedRequest':
          this.post({ type: 'labelExpectedResponse', id: message.id, ...(await host.labelExpected(message.query, message.side, message.chunk)) });
          return;
        case 'cancel':
          host.cancel();
          return;
        case 'webviewError':
          host.log.error(`webview: ${message.message.slice(0, 500)}`);
          return;
        default:
          unreachable(message);
      }
    } catch (err) {
      host.log.error(`Handling ${message.type} failed: ${(err as Error).message}`, err);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (ReportPanel.current === this) ReportPanel.current = undefined;
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

function unreachable(x: never): never {
  throw new Error(`unexpected message ${JSON.stringify(x)}`);
}

export class ReportPanelSerializer implements vscode.WebviewPanelSerializer {
  constructor(private readonly extensionUri: vscode.Uri, private readonly host: PanelHost) {}

  async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
    await ReportPanel.revive(panel, this.extensionUri, this.host);
  }
}
