// The overview's verdicts: the sentences of summarizeReport (worded once, in core, for the CLI and
// the webview alike), each given the tab that explains it and a tone (good, mixed, bad, info)
// judged from the report's own numbers.
import { summarizeReport } from '../core/report/summary';
import type { Report } from '../core/report/types';
import type { TabId } from '../shared/protocol';

export type Tone = 'good' | 'mixed' | 'bad' | 'info';

export interface Verdict {
  id: string;
  tone: Tone;
  text: string;
  tab: TabId;
}

/** Which sentence is which, recognized by its wording in summary.ts; an unknown one still shows, as info. */
const KINDS: Array<{ id: string; tab: TabId; test: RegExp }> = [
  { id: 'churn', tab: 'churn', test: /of chunks (lose|keep)/ },
  { id: 'documents', tab: 'churn', test: /^At file level/ },
  { id: 'hnsw', tab: 'churn', test: /HNSW index/ },
  { id: 'anchors', tab: 'anchors', test: /hit@\d+/ },
  { id: 'anchors-changed', tab: 'anchors', test: /anchor\(s\) found under/ },
  { id: 'pairs', tab: 'anchors', test: /anchor pair\(s\)/ },
  { id: 'queries', tab: 'space', test: /^\d+ queries/ },
  { id: 'ood', tab: 'space', test: /^Out-of-distribution/ },
  { id: 'space', tab: 'space', test: /^CKA / },
  { id: 'tokens', tab: 'tokens', test: /tokenizer shatters/ },
  { id: 'tokens-churn', tab: 'tokens', test: /^Chunks holding those terms/ },
  { id: 'truncation', tab: 'space', test: /exceed the model/ },
  { id: 'snapshot', tab: 'space', test: /^Snapshots/ },
];

export function overviewVerdicts(r: Report): Verdict[] {
  return summarizeReport(r).map((text, i) => {
    const kind = KINDS.find((k) => k.test.test(text));
    const id = kind?.id ?? `line-${i}`;
    return { id, text, tab: kind?.tab ?? 'overview', tone: toneOf(id, r) };
  });
}

function toneOf(id: string, r: Report): Tone {
  switch (id) {
    case 'churn': {
      const s = r.neighbors.churnedShare;
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
