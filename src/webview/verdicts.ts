// The overview's verdicts: the sentences of reportVerdicts (worded once, in core, for the CLI and
// the webview alike), each given the tab that explains its kind and a tone (good, mixed, bad,
// info) judged from the report's own numbers.
import { reportVerdicts, type VerdictKind, type VerdictTone } from '../core/report/summary';
import type { Report } from '../core/report/types';
import type { TabId } from '../shared/protocol';

export type Tone = VerdictTone;

export interface Verdict {
  id: string;
  tone: Tone;
  text: string;
  tab: TabId;
}

/** The tab that explains each kind of verdict. */
const TAB_OF: Record<VerdictKind, TabId> = {
  churn: 'churn', documents: 'churn', hnsw: 'churn',
  anchors: 'anchors', 'anchors-changed': 'anchors', pairs: 'anchors',
  queries: 'space', ood: 'space', space: 'space', truncation: 'space', snapshot: 'space',
  tokens: 'tokens', 'tokens-churn': 'tokens',
  retention: 'decisions', 'noise-floor': 'decisions', migration: 'decisions',
};

export function overviewVerdicts(r: Report): Verdict[] {
  // The core judges some verdicts itself (its thresholds live there); the rest are judged here.
  return reportVerdicts(r).map(({ kind, text, tone }) => ({ id: kind, text, tab: TAB_OF[kind], tone: tone ?? toneOf(kind, r) }));
}

function toneOf(id: VerdictKind, r: Report): Tone {
  switch (id) {
    case 'churn': {
      const s = r.neighbors.churnedShare;
      if (s === null) return 'info';
      return s < 0.1 ? 'good' : s < 0.3 ? 'mixed' : 'bad';
    }
    case 'anchors': {
      const delta = r.anchors.b.hitAtK - r.anchors.a.hitAtK;
      return delta >= 0 ? 'good' : delta > -0.05 ? 'mixed' : 'bad';
    }
    case 'space': {
      const cka = r.space.linearCka ?? 0;
      return cka >= 0.9 ? 'good' : cka >= 0.7 ? 'mixed' : 'bad';
    }
    case 'tokens': {
      const t = r.tokenization;
      const worse = (t.shatteredTerms?.b ?? 0) - (t.shatteredTerms?.a ?? 0);
      return worse <= 0 ? 'good' : worse < 0.01 * Math.max(1, t.terms) ? 'mixed' : 'bad';
    }
    case 'truncation':
      return Math.max(r.truncation.a.textShare, r.truncation.b.textShare) > 0.05 ? 'bad' : 'mixed';
    case 'snapshot':
      return (r.snapshot?.mmdPValue ?? 1) < 0.05 ? 'bad' : 'good';
    default:
      return 'info';
  }
}
