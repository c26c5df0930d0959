// Golden-set scores on the labelled span: rank metrics that count the span once, and character
// recall, precision and IoU as Chroma's chunking evaluation defines them, worked out by hand; and
// the property that matters: one retrieval outcome scores the same under a coarse and a fine
// chunking.
import * as assert from 'node:assert/strict';
import { rankScores, spanScores } from '../../../src/core/metrics/golden';
import { topIndices } from '../../../src/core/index/queryScores';
import { evaluateAnchors, retrievalQuality } from '../../../src/core/metrics/retrieval';

const close = (actual: number, expected: number, tol = 1e-9): void => assert.ok(Math.abs(actual - expected) < tol, `${actual} != ${expected}`);

describe('rank scores on a labelled span', () => {
  it('rank, hit@k, reciprocal rank and nDCG@10 come from the first chunk on the span', () => {
    // First chunk on the span at rank 2 (a second one at rank 4 adds nothing): nDCG = 1/log2(3).
    const s = rankScores([false, true, false, true], 10);
    assert.deepEqual([s.rank, s.hit], [2, 1]);
    close(s.reciprocal, 0.5);
    close(s.ndcg10, 1 / Math.log2(3));
  });

  it('a first chunk beyond k is a miss for hit@k and MRR@k but still counts toward nDCG@10', () => {
    const s = rankScores([false, false, false, true, false], 3);
    assert.deepEqual([s.rank, s.hit, s.reciprocal], [null, 0, 0]);
    close(s.ndcg10, 1 / Math.log2(5));
    assert.equal(rankScores([...Array(10).fill(false), true], 20).ndcg10, 0);
  });

  it('more chunks on the same span (a finer chunker) neither raise nor lower nDCG@10', () => {
    // Coarse chunking: one chunk covers the span, at rank 1. Fine chunking: three chunks cover it,
    // at ranks 1, 2 and 5. Counting each chunk as relevant made the ideal DCG grow with the chunk
    // count (0.96 -> 0.67 on a real corpus for the same answers); the span counts once.
    assert.equal(rankScores([true, false, false], 10).ndcg10, 1);
    assert.equal(rankScores([true, true, false, false, true], 10).ndcg10, 1);
  });
});

describe('character recall, precision and IoU against the labelled span', () => {
  const span = { file: 'a.md', start: 100, end: 200 };

  it('match the hand-worked values, counting a labelled character once and retrieved text in full', () => {
    // Retrieved: [50, 150) and [120, 220) in a.md (overlapping each other), [0, 80) in b.md.
    // Span characters held: [100, 200) = 100 of 100 -> recall 1.
    // Retrieved characters: 100 + 100 + 80 = 280 -> precision 100 / 280.
    // IoU: 100 / (280 + 0 missed).
    const s = spanScores(span, [{ file: 'a.md', start: 50, end: 150 }, { file: 'a.md', start: 120, end: 220 }, { file: 'b.md', start: 0, end: 80 }]);
    close(s.recall, 1);
    close(s.precision, 100 / 280);
    close(s.iou, 100 / 280);
  });

  it('a partial hit: recall and IoU count the missed span characters', () => {
    // [150, 300) holds 50 of the span's 100 characters: recall 0.5, precision 50/150,
    // IoU 50 / (150 + 50 missed) = 0.25.
    const s = spanScores(span, [{ file: 'a.md', start: 150, end: 300 }]);
    assert.deepEqual([s.recall, s.precision, s.iou], [0.5, 50 / 150, 0.25]);
  });

  it('nothing retrieved, or nothing in the span, scores 0 (not NaN)', () => {
    assert.deepEqual(spanScores(span, []), { recall: 0, precision: 0, iou: 0 });
    assert.deepEqual(spanScores(span, [{ file: 'a.md', start: 0, end: 100 }]), { recall: 0, precision: 0, iou: 0 });
  });
});

describe('anchor evaluation across chunkings', () => {
  const anchor = { query: 'q', expect: 'a.md#L2', span: { file: 'a.md', start: 100, end: 200 }, auto: false };

  it('the same retrieved text scores the same hit, MRR@k, nDCG@10 and span recall under a coarse and a fine chunking', () => {
    // Coarse: [0, 100) [100, 200) [200, 300); the query's best chunk is the span itself.
    const coarse = [{ file: 'a.md', start: 0, end: 100 }, { file: 'a.md', start: 100, end: 200 }, { file: 'a.md', start: 200, end: 300 }];
    const coarseScores = Float32Array.from([0.1, 0.9, 0.2]);
    // Fine: halves of each, the span's two halves ranked first and second.
    const fine = [0, 50, 100, 150, 200, 250].map((s) => ({ file: 'a.md', start: s, end: s + 50 }));
    const fineScores = Float32Array.from([0.1, 0.05, 0.9, 0.8, 0.2, 0.15]);
    const [c] = evaluateAnchors([anchor], [{ scores: coarseScores, top: topIndices(coarseScores, 10) }], coarse, 2);
    const [f] = evaluateAnchors([anchor], [{ scores: fineScores, top: topIndices(fineScores, 10) }], fine, 2);
    const qc = retrievalQuality([c!]);
    const qf = retrievalQuality([f!]);
    assert.deepEqual([qc.hitAtK, qc.mrrAtK, qc.ndcg10, qc.spanRecallAtK], [1, 1, 1, 1]);
    assert.deepEqual([qf.hitAtK, qf.mrrAtK, qf.ndcg10, qf.spanRecallAtK], [1, 1, 1, 1]);
    // Coarse top 2: the span [100, 200) and [200, 300): 100 of 200 retrieved characters are on it.
    assert.equal(qc.spanPrecisionAtK, 0.5);
    // Fine top 2: exactly the span's two halves.
    assert.equal(qf.spanPrecisionAtK, 1);
    assert.equal(qf.spanIouAtK, 1);
  });
});
