// What every view gets from the app: the report, the UI state, and the ways out to the host
// (open a location, ask for tokenization, search or file text).
import type { ChunkRecord, Report } from '../core/report/types';
import type {
  FileTextRequestMessage, LabelExpectedRequestMessage, SearchRequestMessage, Side, TabId, TokenizeRequestMessage, ToWebviewMessage, UiState,
} from '../shared/protocol';
import type { Lines } from './dom';
import type { Host } from './host';

export interface Location {
  file: string; start: number; end: number; side?: Side;
  /** Its lines, when known (the label shows them). */
  lines?: Lines;
  /** The text at `start` when the report holds it (an anchor's expected text): report.html's preview starts with it. */
  excerpt?: string;
}

/** Request messages without their id; the app numbers them and matches the answer. */
export type Request =
  | Omit<TokenizeRequestMessage, 'id'>
  | Omit<SearchRequestMessage, 'id'>
  | Omit<FileTextRequestMessage, 'id'>
  | Omit<LabelExpectedRequestMessage, 'id'>;

export type ResponseFor<R extends Request> =
  R extends { type: 'tokenizeRequest' } ? Extract<ToWebviewMessage, { type: 'tokenizeResponse' }>
    : R extends { type: 'searchRequest' } ? Extract<ToWebviewMessage, { type: 'searchResponse' }>
      : R extends { type: 'labelExpectedRequest' } ? Extract<ToWebviewMessage, { type: 'labelExpectedResponse' }>
        : Extract<ToWebviewMessage, { type: 'fileTextResponse' }>;

export interface AppContext {
  readonly report: Report;
  readonly host: Host;
  readonly state: UiState;
  /** Persists `state` (call after changing it). */
  saveState(): void;
  /** VS Code: posts openLocation. Standalone: shows the text inline. */
  open(location: Location): void;
  request<R extends Request>(request: R): Promise<ResponseFor<R>>;
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
