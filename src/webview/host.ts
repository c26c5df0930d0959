// The webview's view of whoever hosts it: VS Code (acquireVsCodeApi: postMessage, getState/setState)
// or a browser showing report.html from disk (no host; UI state in sessionStorage).
import type { FromWebviewMessage, UiState } from '../shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export interface Host {
  readonly mode: 'vscode' | 'standalone';
  post(message: FromWebviewMessage): void;
  loadState(): Partial<UiState> | undefined;
  saveState(state: UiState): void;
}

export function connectHost(): Host {
  if (typeof acquireVsCodeApi === 'function') {
    const api = acquireVsCodeApi();
    return {
      mode: 'vscode',
      post: (m) => api.postMessage(m),
      loadState: () => asState(api.getState()),
      saveState: (s) => api.setState(s),
    };
  }
  const key = 'embedding-drift:ui-state';
  return {
    mode: 'standalone',
    post: () => undefined,
    loadState: () => {
      try { return asState(JSON.parse(sessionStorage.getItem(key) ?? 'null')); } catch { return undefined; }
    },
    saveState: (s) => {
      // Storage can be unavailable (privacy modes, some file:// setups); state then lasts one view.
      try { sessionStorage.setItem(key, JSON.stringify(s)); } catch { /* ignore */ }
    },
  };
}

function asState(x: unknown): Partial<UiState> | undefined {
  return typeof x === 'object' && x !== null ? (x as Partial<UiState>) : undefined;
}
