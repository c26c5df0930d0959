// What every view gets from the app: the report, the UI state, and the ways out to the host
// (open a location, ask for tokenization, search or file text).
import type { ChunkRecord, Report } from '../core/report/types';
import type { ResponseFor, Side, TabId, UiState, WebviewRequest } from '../shared/protocol';
import type { Lines } from './dom';
import type { Host } from './host';

export interface Location {
  file: string; start: number; end: number; side?: Side;
  /** Its lines, when known (the label shows them). */
  lines?: Lines;
  /** The text at `start` when the report holds it (an anchor's expected text): report.html's preview starts with it. */
  excerpt?: string;
}

export interface AppContext {
  readonly report: Report;
  readonly host: Host;
  readonly state: UiState;
  /** Persists `state` (call after changing it). */
  saveState(): void;
  /** VS Code: posts openLocation. Standalone: shows the text inline. */
  open(location: Location): void;
  /** Asks the host; a request the host does not answer in time is answered with an error. */
  request<R extends WebviewRequest>(request: R): Promise<ResponseFor<R>>;
  chunk(side: Side, index: number): ChunkRecord | undefined;
  label(side: Side): string;
  /** Switches to a tab (verdict links, map selections). */
  show(tab: TabId): void;
}

export interface View {
  readonly el: HTMLElement;
  /** Called each time the tab becomes visible (charts redraw at the current size). */
  onShow?(): void;
}
