// The verdicts in words: each sentence follows the numbers it states.
import * as assert from 'node:assert/strict';
import { summarizeReport } from '../../../src/core/report/summary';
import { makeFixtureReport } from '../../fixtures/make-report';

describe('summarizeReport', () => {
  it('states churn with the threshold in words, and the sample interval when sampled', () => {
    const r = makeFixtureReport({ chunks: 40, k: 10 });
    r.neighbors.churnedShare = 0.31;
    r.neighbors.churnThreshold = 0.5;
    assert.match(summarizeReport(r)[0]!, /^31% of chunks lose more than half of their 10 nearest neighbors/);
    r.neighbors.churnThreshold = 0.3;
    r.neighbors.sampled = { size: 500, total: 20000, confidence: 0.95, meanJaccardCi: [0.4, 0.5], churnedShareCi: [0.28, 0.34] };
    assert.match(summarizeReport(r)[0]!, /^31% of chunks keep less than 30% of their 10 nearest neighbors \(95% CI 28%-34%, sample of 500 of 20000\)/);
  });

  it('counts hit@k points from the printed figures, with a sign', () => {
    const r = makeFixtureReport({ chunks: 40, k: 10 });
    r.anchors.a.hitAtK = 0.82;
    r.anchors.b.hitAtK = 0.74;
    const line = summarizeReport(r).find((l) => l.includes('hit@10'))!;
    assert.match(line, /hit@10 0\.82 -> 0\.74 \(-8 points\)/);
    r.anchors.b.hitAtK = 0.9;
    assert.match(summarizeReport(r).find((l) => l.includes('hit@10'))!, /0\.82 -> 0\.90 \(\+8 points\)/);
  });

  it('words CKA by band and names the adapter recovery; HNSW recall only when HNSW was used', () => {
    const r = makeFixtureReport({ chunks: 40 });
    r.space.linearCka = 0.61;
    r.space.procrustesOverlap = 0.78;
    r.neighbors.recallAtK = null;
    const lines = summarizeReport(r);
    assert.ok(lines.includes('CKA 0.61: the spaces are organized differently; an orthogonal adapter recovers 78% of neighbors.'), lines.join('\n'));
    assert.ok(!lines.some((l) => l.includes('HNSW')));
    r.neighbors.recallAtK = { a: 0.97, b: 0.96 };
    assert.ok(summarizeReport(r).some((l) => l.includes('recall@') && l.includes('0.97 (A), 0.96 (B)')));
  });

  it('names the largest pair similarity drop only when there is one at the printed precision', () => {
    const r = makeFixtureReport({ chunks: 40 });
    r.anchors.pairs = [
      { a: 'vector index', b: 'nearest neighbor search', cosA: 0.6, cosB: 0.41, shift: -0.19 },
      { a: 'install', b: 'setup', cosA: 0.5, cosB: 0.55, shift: 0.05 },
    ];
    assert.ok(summarizeReport(r).includes('2 anchor pair(s): largest similarity drop 0.60 -> 0.41 ("vector index" / "nearest neighbor search").'));
    r.anchors.pairs = [{ a: 'x', b: 'y', cosA: 0.114, cosB: 0.111, shift: -0.003 }];
    assert.ok(summarizeReport(r).includes(`1 anchor pair(s): none loses similarity under ${r.configs.b.label}.`), summarizeReport(r).join('\n'));
  });

  it('says which tokenizer shatters how many terms', () => {
    const r = makeFixtureReport({ chunks: 40 });
    r.configs.a.label = 'today';
    r.configs.b.label = 'candidate';
    r.tokenization.shatteredTerms = { a: 0, b: 143 };
    assert.ok(summarizeReport(r).includes("candidate's tokenizer shatters 143 terms of this corpus into 3+ pieces (or does not know them) that today's keeps whole."));
    r.tokenization.shatteredTerms = { a: 1, b: 0 };
    assert.ok(summarizeReport(r).some((l) => l.startsWith("today's tokenizer shatters 1 term of")));
  });

  it('counts off-topic queries per side, says nothing when none is flagged, and words one query in the singular', () => {
    const r = makeFixtureReport({ chunks: 40 });
    r.configs.a.label = 'A'; r.configs.b.label = 'B';
    const item = (query: string, flaggedA: boolean, flaggedB: boolean) => ({ query, topA: 0.5, topB: 0.5, liftA: 0.2, liftB: 0.2, flaggedA, flaggedB });
    r.ood = { threshold: { a: 0.1, b: 0.1 }, background: 96, quantile: 0.95, flaggedShare: { a: 0.5, b: 0.25 }, items: [item('bread', true, true), item('eggs', true, false), item('install', false, false), item('proxy', false, false)] };
    assert.ok(summarizeReport(r).includes('Off-topic for this corpus: 2 of 4 queries under A, 1 under B (their best chunk stands out from the corpus no more than it does for the top 5% of unrelated everyday questions).'), summarizeReport(r).join('\n'));
    r.ood.items = [item('bread', true, false)];
    r.ood.flaggedShare = { a: 1, b: 0 };
    assert.ok(summarizeReport(r).some((l) => l.startsWith('Off-topic for this corpus: 1 of 1 query under A, 0 under B')));
    r.ood.items = [item('install', false, false)];
    r.ood.flaggedShare = { a: 0, b: 0 };
    assert.ok(!summarizeReport(r).some((l) => l.startsWith('Off-topic')));
  });
});
