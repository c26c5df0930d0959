// A report that no longer matches the workspace says so: what changed since its run, in words the
// panel's banner shows ("stale: configuration changed 12 s ago"). Pure: the webview renders it,
// unit tests check the wording.

/** What changed since the shown report's run began (sent by the host, ticked by the webview). */
export interface StaleState {
  /** Milliseconds since the first change the report does not include, when the host sent this. */
  ageMs: number;
  configuration: boolean;
  anchors: boolean;
  /** Corpus files saved, created or deleted. */
  corpusFiles: number;
}

/** "12 s ago", "3 min ago", "2 h ago". */
export function describeAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

/** e.g. "stale: configuration changed 12 s ago", "stale: configuration and 3 corpus files changed 1 min ago". */
export function describeStale(state: StaleState): string {
  const parts: string[] = [];
  if (state.configuration) parts.push('configuration');
  if (state.anchors) parts.push('anchors file');
  if (state.corpusFiles > 0) parts.push(`${state.corpusFiles} corpus ${state.corpusFiles === 1 ? 'file' : 'files'}`);
  if (parts.length === 0) return 'stale';
  const what = parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}`;
  return `stale: ${what} changed ${describeAge(state.ageMs)}`;
}
