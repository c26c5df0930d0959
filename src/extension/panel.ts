// The report panel: one webview showing the latest report, revived after a reload through a
// WebviewPanelSerializer. Every message from the webview is validated before use; file paths are
// opened only inside the workspace or the report's corpus roots.
import * as vscode from 'vscode';
import type { ProgressEvent } from '../core/types';
import { makeNonce, renderWebviewHtml } from '../shared/html';
import {
  validateFromWebview, type Answer, type FromWebviewMessage, type SearchAnswer, type TokenizeAnswer, type ToWebviewMessage, type UiState,
  type WebviewRequest, type WebviewResponse,
} from '../shared/protocol';
import type { StaleState } from '../shared/stale';
import type { Log } from './log';

/** What the panel asks of the rest of the extension (the Controller implements it). */
export interface PanelHost {
  readonly log: Log;
  openLocation(file: string, start: number, end: number, side: 'a' | 'b' | undefined): Promise<void>;
  tokenize(text: string): Promise<Answer<TokenizeAnswer>>;
  search(query: string, k: number): Promise<Answer<SearchAnswer>>;
  fileText(file: string, side: 'a' | 'b' | undefined): Promise<Answer<{ text: string }>>;
  /** Appends a side's chunk as an expected span of a golden query to the anchors file. */
  labelExpected(query: string, side: 'a' | 'b', chunk: number): Promise<Answer<{ expect: string }>>;
  cancel(): void;
  /** The stale banner's Rerun button. */
  rerun(): Promise<void>;
  /** The report (report.json's bytes) to show when a revived panel has none in memory. */
  storedReport(): Promise<ShownReport | undefined>;
  /** What the banner should say now about the shown report (null: it is current). */
  staleState(): StaleState | null;
}

/** A report as the panel relays it: bytes it never parses, and the labels for its title. */
export interface ShownReport {
  report: Uint8Array;
  labels?: { a: string; b: string };
}

export class ReportPanel implements vscode.Disposable {
  static readonly viewType = 'embeddingDrift.report';
  private static current: ReportPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private disposed = false;
  private report: ShownReport | undefined;
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
    const report = await host.storedReport().catch((err: unknown) => {
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

  /** Shows a report, in place when one is on screen (same tab, scroll, filters, selection). */
  showReport(shown: ShownReport, change?: string): void {
    this.report = shown;
    if (shown.labels) this.panel.title = `Embedding Drift: ${shown.labels.a} vs ${shown.labels.b}`;
    // A fresh report replaces whatever was queued for the previous one.
    this.pending = this.pending.filter((m) => m.type !== 'showReport' && m.type !== 'progress' && m.type !== 'error' && m.type !== 'stale');
    this.post({ type: 'showReport', report: shown.report, ...(change ? { change } : {}) });
    this.stale(this.host.staleState());
  }

  progress(event: ProgressEvent, text: string): void {
    // Before the webview is ready only the latest progress matters: it shows at once when it is.
    if (!this.ready) this.pending = this.pending.filter((m) => m.type !== 'progress');
    this.post({ type: 'progress', event, text });
  }

  stale(state: StaleState | null): void {
    if (!this.ready) this.pending = this.pending.filter((m) => m.type !== 'stale');
    this.post({ type: 'stale', stale: state });
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
          if (this.report && !queued.some((m) => m.type === 'showReport')) {
            queued.unshift({ type: 'showReport', report: this.report.report }, { type: 'stale', stale: this.host.staleState() });
          }
          for (const m of queued) void this.panel.webview.postMessage(m);
          return;
        }
        case 'openLocation':
          await host.openLocation(message.file, message.start, message.end, message.side);
          return;
        case 'request': {
          // The answer carries the request's id: the webview's pending map matches them. A failure
          // is answered too, so the webview says so instead of waiting out its timeout.
          const response = await this.answer(message.request).catch((err: unknown): WebviewResponse => {
            host.log.error(`Answering ${message.request.type} failed: ${(err as Error).message}`, err);
            return { type: message.request.type, error: (err as Error).message } as WebviewResponse;
          });
          this.post({ type: 'response', id: message.id, response });
          return;
        }
        case 'cancel':
          host.cancel();
          return;
        case 'rerun':
          await host.rerun();
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

  private async answer(request: WebviewRequest): Promise<WebviewResponse> {
    const host = this.host;
    switch (request.type) {
      case 'tokenize': return { type: 'tokenize', ...(await host.tokenize(request.text)) };
      case 'search': return { type: 'search', ...(await host.search(request.query, request.k)) };
      case 'fileText': return { type: 'fileText', ...(await host.fileText(request.file, request.side)) };
      case 'labelExpected': return { type: 'labelExpected', ...(await host.labelExpected(request.query, request.side, request.chunk)) };
      default: return unreachable(request);
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
