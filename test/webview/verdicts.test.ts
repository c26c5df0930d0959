// The overview gives each of the report's verdicts (reportVerdicts: sentence + kind, worded once in
// summary.ts) its tab and the tone the core judged (src/core/report/judgement.ts).
import * as assert from 'node:assert/strict';
import type { Report } from '../../src/core/report/types';
import { overviewVerdicts } from '../../src/webview/verdicts';
import { makeFixtureReport } from '../fixtures/make-report';

/** A fixture with every optional part present, so summarizeReport writes every kind of sentence. */
function everything(): Report {
  const r = makeFixtureReport({ chunks: 60 });
  r.neighbors.recallAtK = { a: 0.97, b: 0.95 };
  r.neighbors.method = 'hnsw';
  r.queries = { count: 3, meanOverlap: 0.6, meanRbo: 0.55, items: [{ query: 'how to install', overlap: 0.2, rbo: 0.1, retrievedA: [1], retrievedB: [2] }] };
  r.ood = { threshold: { a: 0.2, b: 0.3 }, background: 96, quantile: 0.95, flaggedShare: { a: 0.5, b: 0 }, items: [
    { query: 'how to bake bread', topA: 0.3, topB: 0.4, liftA: 0.1, liftB: 0.35, flaggedA: true, flaggedB: false },
    { query: 'how to install', topA: 0.6, topB: 0.7, liftA: 0.3, liftB: 0.4, flaggedA: false, flaggedB: false },
  ] };
  r.snapshot = { centroidDistance: 0.1, mmd: 0.02, mmdPValue: 0.001, classifierAuc: 0.8, driftedDimensionShare: 0.3 };
  r.anchors.items[0]!.rankA = 1;
  r.anchors.items[0]!.rankB = null;
  return r;
}

describe('overview verdicts (src/webview/verdicts.ts)', () => {
  it('recognizes every sentence summarizeReport writes and sends it to its tab', () => {
    const verdicts = overviewVerdicts(everything());
    const tabOf = Object.fromEntries(verdicts.map((v) => [v.id, v.tab]));
    assert.deepEqual(tabOf, {
      churn: 'churn', documents: 'churn', hnsw: 'churn', anchors: 'anchors', 'anchors-changed': 'anchors', pairs: 'anchors', judged: 'anchors',
      queries: 'space', ood: 'space', space: 'space', tokens: 'tokens', 'tokens-churn': 'tokens', truncation: 'space', snapshot: 'space',
    });
  });

  it('tones follow the numbers: churn 28% mixed, hit@k down 3 points mixed, CKA 0.61 bad, snapshot p 0.001 bad', () => {
    const r = everything();
    r.neighbors.churnedShare = 0.28;
    r.anchors.a.hitAtK = 0.93; r.anchors.b.hitAtK = 0.9;
    r.anchors.b.spanRecallAtK = r.anchors.a.spanRecallAtK;
    const tone = Object.fromEntries(overviewVerdicts(r).map((v) => [v.id, v.tone]));
    assert.equal(tone.churn, 'mixed');
    assert.equal(tone.anchors, 'mixed');
    assert.equal(tone.space, 'bad');
    assert.equal(tone.snapshot, 'bad');
    assert.equal(tone.documents, 'info');
    // Good churn needs both: few chunks past the line and a mean Jaccard@k of 0.8 or more.
    r.neighbors.churnedShare = 0.05;
    r.neighbors.meanJaccard = 0.85;
    r.anchors.b.hitAtK = 0.95;
    r.space.linearCka = 0.97;
    const better = Object.fromEntries(overviewVerdicts(r).map((v) => [v.id, v.tone]));
    assert.deepEqual([better.churn, better.anchors, better.space], ['good', 'good', 'good']);
  });

  it('a golden set below the minimum takes no color, whatever its numbers (the minimum lives in the core)', () => {
    const r = everything();
    r.anchors.a.hitAtK = 0.4; r.anchors.b.hitAtK = 0.8;
    r.anchors.count = 5; r.anchors.conclusive = false;
    const anchors = overviewVerdicts(r).find((v) => v.id === 'anchors')!;
    assert.equal(anchors.tone, 'info');
    assert.match(anchors.text, /Not conclusive: 5 anchors are fewer than the 20 a verdict needs/);
  });
});
