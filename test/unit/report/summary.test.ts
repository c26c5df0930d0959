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
});
