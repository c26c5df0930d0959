// The overview's verdicts: the sentences of reportVerdicts (worded once, in core, for the CLI and
// the webview alike), each given the tab that explains its kind; the tone (good, mixed, bad, info)
// comes judged from the core (src/core/report/judgement.ts), never re-decided here.
import type { Tone } from '../core/report/judgement';
import { reportVerdicts, type VerdictKind } from '../core/report/summary';
import type { Report } from '../core/report/types';
import type { TabId } from '../shared/protocol';

export type { Tone };

export interface Verdict {
  id: string;
  tone: Tone;
  text: string;
  tab: TabId;
}

/** Each tone's glyph (a different shape, so color is not the only cue) and its word for screen readers. */
export const TONE_MARKS: Record<Tone, { glyph: string; label: string }> = {
  good: { glyph: '✓', label: 'Good' },
  mixed: { glyph: '!', label: 'Watch' },
  bad: { glyph: '✕', label: 'Problem' },
  info: { glyph: 'i', label: 'Note' },
};

/** The tabs' names, as the tab bar shows them and as links to them read. */
export const TAB_LABELS: Record<TabId, string> = {
  overview: 'Overview', churn: 'Neighbor churn', tokens: 'Tokenization', anchors: 'Anchors',
  space: 'Space', decisions: 'Decisions', maps: 'Maps', chunking: 'Chunking', playground: 'Query playground',
};

/** The tab that explains each kind of verdict. */
const TAB_OF: Record<VerdictKind, TabId> = {
  churn: 'churn', documents: 'churn', hnsw: 'churn',
  anchors: 'anchors', 'anchors-changed': 'anchors', pairs: 'anchors', judged: 'anchors',
  queries: 'space', ood: 'space', space: 'space', truncation: 'space', snapshot: 'space',
  tokens: 'tokens', 'tokens-churn': 'tokens',
  retention: 'decisions', 'noise-floor': 'decisions', migration: 'decisions',
};

/** The core's verdicts with the tab that explains each; the tone comes judged from the core. */
export function overviewVerdicts(r: Report): Verdict[] {
  return reportVerdicts(r).map(({ kind, text, tone }) => ({ id: kind, text, tab: TAB_OF[kind], tone }));
}
