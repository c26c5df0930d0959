// The overview's few verdicts, in words and numbers, each with a tone (good, mixed, bad) and the
// tab that explains it. Pure: report in, sentences out.
import type { Report } from '../core/report/types';
import type { TabId } from '../shared/protocol';
import { fixed, int, pct } from './dom';

export interface Verdict {
  id: string;
  tone: 'good' | 'mixed' | 'bad';
  text: string;
  tab: TabId;
}

export function overviewVerdicts(r: Report): Verdict[] {
  const out: Verdict[] = [];
  const n = r.neighbors;
  const share = n.churnedShare;
  const kept = n.churnThreshold === 0.5 ? 'lose more than half' : `keep less than ${pct(n.churnThreshold)}`;
  out.push({
    id: 'churn', tab: 'churn', tone: share < 0.1 ? 'good' : share < 0.3 ? 'mixed' : 'bad',
    text: `${pct(share)} of chunks ${kept} of their ${n.k} nearest neighbors (mean Jaccard@${n.k} ${fixed(n.meanJaccard)}, RBO ${fixed(n.meanRbo)})` +
      (n.sampled ? `, measured on a sample of ${int(n.sampled.size)} of ${int(n.sampled.total)} (95% CI ${pct(n.sampled.churnedShareCi[0])}–${pct(n.sampled.churnedShareCi[1])})` : '') + '.',
  });
  const an = r.anchors;
  if (an.count > 0) {
    const delta = Math.round((an.b.hitAtK - an.a.hitAtK) * 100);
    out.push({
      id: 'anchors', tab: 'anchors', tone: delta >= 0 ? 'good' : delta > -5 ? 'mixed' : 'bad',
      text: `${an.source === 'auto' ? 'Auto-anchor' : 'Golden-set'} hit@${n.k} ${fixed(an.a.hitAtK)} → ${fixed(an.b.hitAtK)} (${delta >= 0 ? '+' : ''}${delta} points); MRR ${fixed(an.a.mrr)} → ${fixed(an.b.mrr)} over ${int(an.count)} queries.`,
    });
  }
  const cka = r.space.linearCka;
  if (cka !== null) {
    const shape = cka >= 0.9 ? 'the two spaces have nearly the same shape' : cka >= 0.7 ? 'the two spaces are similar in shape' : 'the two spaces are shaped differently';
    const adapter = r.space.procrustesOverlap === null ? '' : `; an orthogonal adapter recovers ${pct(r.space.procrustesOverlap)} of neighbors`;
    out.push({ id: 'space', tab: 'space', tone: cka >= 0.9 ? 'good' : cka >= 0.7 ? 'mixed' : 'bad', text: `CKA ${fixed(cka)}: ${shape}${adapter}.` });
  }
  const tok = r.tokenization;
  const shatteredA = Math.round(tok.a.shatteredShare * tok.terms);
  const shatteredB = Math.round(tok.b.shatteredShare * tok.terms);
  if (tok.terms > 0) {
    const worse = shatteredB > shatteredA;
    out.push({
      id: 'tokens', tab: 'tokens', tone: shatteredB <= shatteredA ? 'good' : tok.b.shatteredShare - tok.a.shatteredShare < 0.05 ? 'mixed' : 'bad',
      text: `${worse ? 'B' : 'A'}'s tokenizer shatters ${int(worse ? shatteredB : shatteredA)} terms of this corpus into 3+ pieces (${worse ? 'A' : 'B'}: ${int(worse ? shatteredA : shatteredB)}; ${int(tok.terms)} distinct terms)` +
        (tok.churnByNewVocabulary ? `; chunks holding new vocabulary churn ${pct(tok.churnByNewVocabulary.withTerms)} vs ${pct(tok.churnByNewVocabulary.withoutTerms)}` : '') + '.',
    });
  }
  for (const side of ['a', 'b'] as const) {
    const t = r.truncation[side];
    if (t.share > 0) {
      out.push({
        id: `truncation-${side}`, tab: 'space', tone: t.textShare > 0.05 ? 'bad' : 'mixed',
        text: `${r.configs[side].label}: ${pct(t.share, 1)} of chunks exceed ${t.maxTokens ?? '?'} tokens; ${pct(t.textShare, 1)} of the corpus text is never embedded.`,
      });
    }
  }
  if (r.snapshot) {
    const s = r.snapshot;
    out.push({
      id: 'snapshot', tab: 'space', tone: s.mmdPValue < 0.05 ? 'bad' : 'good',
      text: `Corpus snapshots ${s.mmdPValue < 0.05 ? 'differ' : 'do not differ detectably'}: MMD ${fixed(s.mmd, 3)} (p = ${fixed(s.mmdPValue, 3)}), domain-classifier AUC ${fixed(s.classifierAuc)}.`,
    });
  }
  return out;
}
