// Ranked-list agreement against values worked out by hand and a reference implementation.
import * as assert from 'node:assert/strict';
import { jaccard, overlapAtK, rankBiasedOverlap } from '../../../src/core/metrics/rbo';

const close = (actual: number, expected: number, tol = 1e-9): void => assert.ok(Math.abs(actual - expected) < tol, `${actual} != ${expected}`);

describe('rank-biased overlap (extrapolated, p = 0.9)', () => {
  it('is 1 for identical lists and 0 for disjoint ones', () => {
    close(rankBiasedOverlap([4, 2, 7, 1], [4, 2, 7, 1]), 1);
    close(rankBiasedOverlap([1, 2, 3], [4, 5, 6]), 0);
  });

  it('matches the hand-worked value for [1,2,3] vs [1,3,2]', () => {
    // Agreements A_d: d=1: 1/1, d=2: {1,2}&{1,3} = 1/2, d=3: 3/3.
    // RBO_EXT = A_3 p^3 + (1-p)/p * (A_1 p + A_2 p^2 + A_3 p^3)
    //         = 0.729 + (0.1/0.9)(0.9 + 0.405 + 0.729) = 0.729 + 2.034/9 = 0.955.
    close(rankBiasedOverlap([1, 2, 3], [1, 3, 2]), 0.955);
  });

  it('matches the hand-worked value for a swapped pair [1,2] vs [2,1]', () => {
    // A_1 = 0, A_2 = 1: 0.81 + (1/9)(0.81) = 0.9.
    close(rankBiasedOverlap([1, 2], [2, 1]), 0.9);
  });

  it('lists of unequal length follow eq. 32 (not cut to the shorter list)', () => {
    // [2] vs [1, 2]: s = 1, l = 2, X_1 = 0, X_2 = 1, X_s = 0.
    // (1-p)/p * (X_1 p + X_2/2 p^2 + 0) + ((X_2 - X_s)/2 + X_s/1) p^2 = (1/9)(0.405) + 0.405 = 0.45.
    // Cutting both lists to the shorter one ([2] vs [1]) gave 0.
    close(rankBiasedOverlap([2], [1, 2]), 0.45);
    close(rankBiasedOverlap([1, 2], [2]), 0.45);
    // The short list's agreement is extrapolated past its end: [1] vs [1, 2, 3] agrees fully.
    close(rankBiasedOverlap([1], [1, 2, 3]), 1);
    // Reference values: changyaochen/rbo RankingSimilarity(S, T).rbo_ext(p=0.9), which follows
    // eq. 32 (commit f062b4c, run on these lists; the paper's Figure 5 lists are the last case).
    close(rankBiasedOverlap([1, 2, 3], [4, 5, 6, 1]), 0.18225, 1e-6);
    close(rankBiasedOverlap([5], [1, 2, 3, 4, 5]), 0.13122, 1e-6);
    close(rankBiasedOverlap([1, 2, 3, 4, 5], [3, 1]), 0.626445, 1e-6);
    close(rankBiasedOverlap([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [11, 12, 13, 14, 15, 16, 17, 18, 1]), 0.04783, 1e-6);
    const fig5 = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));
    close(rankBiasedOverlap(fig5('abcdefg'), fig5('zcavwxy')), 0.288217, 1e-6);
    // An empty list against a non-empty one shares nothing; two empty lists agree.
    assert.equal(rankBiasedOverlap([], [1, 2]), 0);
    assert.equal(rankBiasedOverlap([], []), 1);
  });

  it('weighs the top more: agreeing at rank 1 beats agreeing at rank 3', () => {
    assert.ok(rankBiasedOverlap([1, 2, 3], [1, 5, 6]) > rankBiasedOverlap([1, 2, 3], [5, 6, 3]));
  });

  it('overlap@k and Jaccard count shared items', () => {
    close(overlapAtK([1, 2, 3, 4], [3, 4, 5, 6], 4), 0.5);
    close(jaccard([1, 2, 3, 4], [3, 4, 5, 6]), 2 / 6);
    // Lists shorter than k (a corpus with fewer than k other chunks): 1 shared of the 2 the lists reach.
    close(overlapAtK([1, 2], [2], 4), 0.5);
  });

  it('identical lists overlap fully however short they are, even empty (a one-chunk corpus)', () => {
    close(overlapAtK([7, 3, 5], [7, 3, 5], 10), 1);
    close(overlapAtK([], [], 10), 1);
    close(overlapAtK([1, 2, 3], [4, 5, 6], 10), 0);
  });
});
