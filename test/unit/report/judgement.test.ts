// Judgements live in the core: the CKA words and every verdict's tone at the edges of their
// thresholds, worked out by hand, and the verdicts carrying the tone the front doors show.
import assert from 'node:assert/strict';
import { anchorMove, ckaReading, verdictTone } from '../../../src/core/report/judgement';
import { reportVerdicts } from '../../../src/core/report/summary';
import type { Report } from '../../../src/core/report/types';
import { makeFixtureReport } from '../../fixtures/make-report';

describe('judgement (src/core/report/judgement.ts)', () => {
  it('reads CKA at the edges of its two thresholds', () => {
    assert.equal(ckaReading(0.95), 'nearly the same geometry up to rotation and scale');
    assert.equal(ckaReading(0.9499), 'similar geometry, not just a rotation');
    assert.equal(ckaReading(0.7), 'similar geometry, not just a rotation');
    assert.equal(ckaReading(0.6999), 'the spaces are organized differently');
  });

  it('tones: churn 9.9% good, 10% mixed, 30% bad, unmeasured info; hit@k -4 printed points mixed, -5 bad, too few anchors info', () => {
    const r: Report = makeFixtureReport({ chunks: 30 });
    const tone = (kind: string, edit: (x: Report) => void): string => { edit(r); return verdictTone(kind, r); };
    assert.equal(tone('churn', (x) => { x.neighbors.churnedShare = 0.099; x.neighbors.meanJaccard = 0.9; }), 'good');
    assert.equal(tone('churn', (x) => { x.neighbors.churnedShare = 0.1; }), 'mixed');
    assert.equal(tone('churn', (x) => { x.neighbors.churnedShare = 0.3; }), 'bad');
    // Few chunks past the churn line while most lose a neighbor or two: mean Jaccard judges (0.8 good, 0.5 mixed).
    assert.equal(tone('churn', (x) => { x.neighbors.churnedShare = 0.03; x.neighbors.meanJaccard = 0.8; }), 'good');
    assert.equal(tone('churn', (x) => { x.neighbors.meanJaccard = 0.7; }), 'mixed');
    assert.equal(tone('churn', (x) => { x.neighbors.meanJaccard = 0.49; }), 'bad');
    // A bad share is not softened by a high Jaccard.
    assert.equal(tone('churn', (x) => { x.neighbors.churnedShare = 0.3; x.neighbors.meanJaccard = 0.95; }), 'bad');
    assert.equal(tone('churn', (x) => { x.neighbors.churnedShare = null; }), 'info');
    // Points as the verdict prints them (two decimals), so "-5 points" is never called mixed.
    assert.equal(tone('anchors', (x) => { x.anchors.a.hitAtK = 0.9; x.anchors.b.hitAtK = 0.861; x.anchors.b.spanRecallAtK = x.anchors.a.spanRecallAtK; }), 'mixed');
    assert.equal(tone('anchors', (x) => { x.anchors.b.hitAtK = 0.854; }), 'bad');
    // hit@k unchanged but 6 points less of the expected text held: bad.
    assert.equal(tone('anchors', (x) => { x.anchors.b.hitAtK = 0.9; x.anchors.b.spanRecallAtK = x.anchors.a.spanRecallAtK - 0.06; }), 'bad');
    assert.equal(tone('anchors', (x) => { x.anchors.conclusive = false; }), 'info');
    assert.equal(tone('space', (x) => { x.space.linearCka = null; }), 'info');
    assert.equal(tone('space', (x) => { x.space.linearCka = 0.96; }), 'good');
    assert.equal(tone('documents', () => undefined), 'info');
  });

  it('every verdict line carries the tone judged for its kind', () => {
    const r = makeFixtureReport({ chunks: 40 });
    const lines = reportVerdicts(r);
    assert.ok(lines.length > 0);
    for (const line of lines) assert.equal(line.tone, verdictTone(line.kind, r), line.kind);
  });

  it('an anchor moves by percentile across two models, by cosine under one (a cosine drop the percentile hides counts)', () => {
    // Every chunk lost similarity alike: cosine 0.80 -> 0.62, percentile 99 -> 99.
    const hidden = { cosA: 0.8, cosB: 0.62, percentileA: 99, percentileB: 99 };
    assert.equal(anchorMove(hidden, true), 'worse');
    assert.equal(anchorMove(hidden, false), 'unchanged');
    // Two models: 0.36 -> 0.82 in raw cosine is no evidence; the percentile decides, beyond 10 points.
    assert.equal(anchorMove({ cosA: 0.36, cosB: 0.82, percentileA: 90, percentileB: 80 }, false), 'unchanged');
    assert.equal(anchorMove({ cosA: 0.36, cosB: 0.82, percentileA: 90, percentileB: 79.9 }, false), 'worse');
    assert.equal(anchorMove({ cosA: 0.5, cosB: 0.5, percentileA: 60, percentileB: 70.1 }, false), 'better');
    assert.equal(anchorMove({ cosA: 0.5, cosB: 0.56, percentileA: 60, percentileB: 60 }, true), 'better');
    assert.equal(anchorMove({ cosA: 0.5, cosB: 0.54, percentileA: 60, percentileB: 90 }, true), 'unchanged');
  });
});
