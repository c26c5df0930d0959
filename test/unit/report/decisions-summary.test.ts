// The verdicts of issue 16 in words, each case of its grammar: the noise floor (above, near, within,
// nothing measured, only search measured), what a vectors setting keeps (with and without golden
// queries, since published figures are retrieval-quality ratios; a golden set too small to be
// conclusive does not judge it), and the migration depth (reached,
// at K = k already, never reached).
import * as assert from 'node:assert/strict';
import { reportVerdicts } from '../../../src/core/report/summary';
import type { Report } from '../../../src/core/report/types';
import { makeFixtureReport } from '../../fixtures/make-report';

function verdict(r: Report, kind: string): { text: string; tone?: string } | undefined {
  return reportVerdicts(r).find((v) => v.kind === kind);
}

function withFloor(churn: number, floor: number | null, skipped: Report['noiseFloor'] extends infer F ? F extends { skipped: infer S } ? S : never : never = []): Report {
  const r = makeFixtureReport({ chunks: 40, k: 10 });
  r.configs.a.label = 'today';
  r.neighbors.churnedShare = churn;
  r.neighbors.meanJaccard = 0.9;
  r.noiseFloor = floor === null
    ? { churnedShare: null, meanJaccard: null, meanOverlap: null, largest: null, sources: [], skipped }
    : {
      churnedShare: floor, meanJaccard: 0.9, meanOverlap: 0.95, largest: 'dtype', skipped,
      sources: [{ source: 'dtype', variant: 'fp32 weights instead of q8', churnedShare: floor, meanJaccard: 0.9, meanOverlap: 0.95 }],
    };
  return r;
}

/** A fixture whose B stores its vectors by `vectors`, with what that keeps (`retention`). */
function withSetting(vectors: NonNullable<Report['configs']['b']['vectors']>, retention: NonNullable<Report['retention']>, chunks = 40, labels = ['today', 'candidate']): Report {
  const r = makeFixtureReport({ chunks, k: 10 });
  r.configs.a.label = labels[0]!;
  r.configs.b.label = labels[1]!;
  r.configs.b.vectors = vectors;
  r.retention = retention;
  return r;
}

describe('verdicts: noise floor, vectors setting, migration depth', () => {
  it('A-to-B churn above, near and within the noise floor, judged on the printed percentages', () => {
    const above = verdict(withFloor(0.31, 0.04), 'noise-floor')!;
    assert.equal(above.text, 'A-to-B churn (31%, mean Jaccard@10 0.90) is above the noise floor: on today alone, 4% of chunks churn and mean Jaccard@10 is 0.90 with fp32 weights instead of q8. The change moves neighbors more than that.');
    assert.equal(above.tone, 'info');
    // 6% against 4%: two points, not more than the margin.
    const near = verdict(withFloor(0.06, 0.04), 'noise-floor')!;
    assert.match(near.text, /^A-to-B churn \(6%, mean Jaccard@10 0\.90\) is near the noise floor \(within 2 points\)/);
    assert.equal(near.tone, 'mixed');
    // 4.4% prints as 4%, the same as the floor: within, not near.
    const within = verdict(withFloor(0.044, 0.04), 'noise-floor')!;
    assert.equal(within.text, 'A-to-B churn (4%, mean Jaccard@10 0.90) is within the noise floor: on today alone, 4% of chunks churn and mean Jaccard@10 is 0.90 with fp32 weights instead of q8; the change moves neighbors no more than that.');
    assert.equal(within.tone, 'good');
    // The same churned share with a clearly lower mean Jaccard is above the floor: lists changed below the threshold.
    const lower = withFloor(0.04, 0.04);
    lower.neighbors.meanJaccard = 0.7;
    // ...and says which measure puts it there, so "4% ... above 4%" does not read as a contradiction.
    assert.equal(verdict(lower, 'noise-floor')!.text, 'A-to-B churn (4%, mean Jaccard@10 0.70) is above the noise floor by mean Jaccard@10, not by churned share: on today alone, 4% of chunks churn and mean Jaccard@10 is 0.90 with fp32 weights instead of q8. The change moves neighbors more than that.');
  });

  it('says when no floor was measured, and when only one source was', () => {
    const none = verdict(withFloor(0.2, null, [{ source: 'search', reason: 'binary vectors are always searched exhaustively' }]), 'noise-floor')!;
    assert.equal(none.text, 'No noise floor could be measured on today: binary vectors are always searched exhaustively.');
    const only = withFloor(0.2, 0.01, [{ source: 'backend', reason: 'builtin:lexical has one implementation' }]);
    only.noiseFloor!.largest = 'search';
    only.noiseFloor!.sources[0]!.source = 'search';
    only.noiseFloor!.sources[0]!.variant = 'HNSW search instead of exact';
    assert.match(verdict(only, 'noise-floor')!.text, /1% of chunks churn and mean Jaccard@10 is 0\.90 with HNSW search instead of exact \(only search was measured: builtin:lexical has one implementation\)/);
    assert.equal(verdict(makeFixtureReport({ chunks: 40 }), 'noise-floor'), undefined);
  });

  it('a vectors setting: golden-set retention against the published figures, or neighbors only with the caveat', () => {
    const r = withSetting({ description: 'binary, rescore 4x', quantize: 'binary', rescore: 4, fromDimension: 384 },
      { side: 'b', neighbors: 0.81, ndcg10: 0.96, hitAtK: 1, published: 'binary keeps about 92-96%' });
    const v = verdict(r, 'retention')!;
    assert.equal(v.text, "candidate stores vectors as binary, rescore 4x: it keeps 81.0% of the top-10 neighbors that today's float vectors give, and 96.0% of today's golden-set nDCG@10 (published: binary keeps about 92-96%).");
    assert.equal(v.tone, 'good');
    r.retention = { side: 'b', neighbors: 0.93, ndcg10: null, hitAtK: null, published: 'binary keeps about 92-96%' };
    const bare = verdict(r, 'retention')!;
    assert.equal(bare.text, "candidate stores vectors as binary, rescore 4x: it keeps 93.0% of the top-10 neighbors that today's float vectors give (published figures, binary keeps about 92-96%, are retrieval-quality ratios, not neighbor overlap: add golden queries to compare).");
    assert.equal(bare.tone, 'mixed');
    r.retention = { side: 'b', neighbors: 0.5, ndcg10: 0.8, hitAtK: 0.9, published: null };
    assert.equal(verdict(r, 'retention')!.tone, 'bad');
    assert.ok(!verdict(r, 'retention')!.text.includes('published'));
  });

  it('a vectors setting offers no adapter in the space line: the same model, nothing re-embedded', () => {
    const r = withSetting({ description: 'binary', quantize: 'binary', fromDimension: 384 }, { side: 'b', neighbors: 0.7, ndcg10: null, hitAtK: null, published: null });
    r.space.linearCka = 0.61;
    r.space.procrustesOverlap = 0.78;
    assert.equal(verdict(r, 'space')!.text, 'CKA 0.61: the spaces are organized differently; the same model stored another way, so no adapter applies (the retention line says what the setting costs).');
    // Without the setting (two models), the adapter is the question the line answers.
    delete r.retention;
    assert.match(verdict(r, 'space')!.text, /an orthogonal adapter recovers 78% of neighbors\.$/);
  });

  it('a golden set too small to be conclusive does not vouch for a vectors setting: the neighbors kept judge it', () => {
    // Every one of 16 anchors still found (nDCG kept in full) while 60% of the neighbors are lost.
    const r = withSetting({ description: 'binary', quantize: 'binary', fromDimension: 384 }, { side: 'b', neighbors: 0.4, ndcg10: 1, hitAtK: 1, published: null });
    r.anchors.count = 16;
    r.anchors.conclusive = false;
    const v = verdict(r, 'retention')!;
    assert.equal(v.text, "candidate stores vectors as binary: it keeps 40.0% of the top-10 neighbors that today's float vectors give, and 100.0% of today's golden-set nDCG@10; the golden-set figure is not conclusive (16 anchors, fewer than the 20 a verdict needs).");
    assert.equal(v.tone, 'bad');
    // The same figures on a conclusive golden set: nDCG@10 judges.
    r.anchors.count = 40;
    r.anchors.conclusive = true;
    assert.equal(verdict(r, 'retention')!.tone, 'good');
    assert.ok(!verdict(r, 'retention')!.text.includes('not conclusive'));
  });

  it('migration depth: the K for 95% and 99%, already at K = k, or never', () => {
    const r = makeFixtureReport({ chunks: 400, k: 10 });
    r.configs.a.label = 'A';
    r.configs.b.label = 'B';
    r.migrationDepth = { k: 10, comparison: 'same-items', items: 399, total: 400, curve: [{ K: 10, recall: 0.62 }, { K: 399, recall: 1 }], recallAtK: 0.62, kFor95Percent: 40, kFor99Percent: 120, kForAll: 300, unreachable: 0 };
    assert.equal(verdict(r, 'migration')!.text,
      "To serve B over A's index, A must return 40 of 399 candidates per query (4x k) for B to recover 95% of its own top-10, 120 for 99%; A's own top-10 holds 62% of B's (chunks as queries, 399 of 400 sampled).");
    r.migrationDepth = { ...r.migrationDepth, items: 400, kFor95Percent: 10, kFor99Percent: 10, recallAtK: 0.97 };
    assert.equal(verdict(r, 'migration')!.text, "A's own top-10 holds 97% of B's top-10: B can rerank A's results as they are during a migration (chunks as queries).");
    r.migrationDepth = { ...r.migrationDepth, comparison: 'aligned', kFor95Percent: null, kFor99Percent: null, kForAll: null, unreachable: 0.12, recallAtK: 0.4 };
    assert.equal(verdict(r, 'migration')!.text,
      "Reranking A's candidates with B never recovers 95% of B's top-10: 12% of B's neighbors are text no A chunk covers; A's own top-10 holds 40% of B's (chunks matched by character overlap, chunks as queries).");
  });

  it('migration depth is no guide when the sides differ only in a vectors setting (it is not the rescoring depth)', () => {
    const r = withSetting({ description: 'binary', quantize: 'binary', fromDimension: 384 },
      { side: 'b', neighbors: 0.4, ndcg10: 0.78, hitAtK: 1, published: null }, 400, ['float', 'binary']);
    r.migrationDepth = { k: 10, comparison: 'same-items', items: 400, total: 400, curve: [{ K: 10, recall: 0.4 }, { K: 94, recall: 0.95 }, { K: 399, recall: 1 }], recallAtK: 0.4, kFor95Percent: 94, kFor99Percent: 154, kForAll: 203, unreachable: 0 };
    assert.equal(verdict(r, 'migration')!.text,
      'Migration depth is no guide here: binary differs from float only in how its vectors are stored, so nothing is re-embedded and no progressive migration is needed; how many quantized candidates to rescore with the float vectors is what "rescore" sets: compare runs with different values.');
    // Truncation alone has nothing to rescore.
    r.configs.b.vectors = { description: 'first 256 of 384 dims', dimensions: 256, fromDimension: 384 };
    assert.match(verdict(r, 'migration')!.text, /no progressive migration is needed\.$/);
  });
});

describe('decisions: why a null field is null (report.notMeasured)', () => {
  it('names the reason for each null field, and nothing for measured ones', async () => {
    const { decisionsNotMeasured } = await import('../../../src/core/report/decisions');
    const retention = { side: 'b' as const, neighbors: 0.9, ndcg10: null, hitAtK: null, published: null };
    const depth = { k: 10, comparison: 'aligned' as const, items: 5, total: 5, curve: [], recallAtK: 0.5, kFor95Percent: null, kFor99Percent: null, kForAll: null, unreachable: 0.125 };
    const floor = { churnedShare: null, meanJaccard: null, meanOverlap: null, largest: null, sources: [], skipped: [{ source: 'search' as const, reason: 'binary vectors are always searched exhaustively' }] };
    const why = decisionsNotMeasured(retention, 0, depth, floor);
    assert.equal(why['retention.ndcg10'], 'no golden queries (anchors) in this run');
    assert.equal(why['migrationDepth.kFor95Percent'], "no K up to every other chunk recovers 95% of B's top-10: 12.5% of B's neighbors are in text no A chunk covers");
    assert.equal(why['noiseFloor.churnedShare'], 'no source could be measured on A (search: binary vectors are always searched exhaustively)');
    assert.deepEqual(Object.keys(decisionsNotMeasured({ ...retention, ndcg10: 1, hitAtK: 1 }, 3, { ...depth, kFor95Percent: 20, kFor99Percent: 40, kForAll: 80 }, undefined)), []);
  });
});
