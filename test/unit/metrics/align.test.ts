// Chunk alignment by character ranges and neighbor comparison through it, checked by hand.
import * as assert from 'node:assert/strict';
import { alignChunks, alignSnapshots, sameChunking, spanOverlap } from '../../../src/core/metrics/align';
import { compareLists } from '../../../src/core/metrics/churn';

describe('chunk alignment', () => {
  // One 100-character file cut two ways, plus a file only A has.
  const a = [
    { file: 'f.md', start: 0, end: 40 },
    { file: 'f.md', start: 40, end: 80 },
    { file: 'f.md', start: 80, end: 100 },
    { file: 'f.md', start: 25, end: 35 },
    { file: 'gone.md', start: 0, end: 10 },
  ];
  const b = [
    { file: 'f.md', start: 70, end: 100 },
    { file: 'f.md', start: 0, end: 30 },
    { file: 'f.md', start: 30, end: 70 },
  ];

  it('gives each A chunk the B chunk sharing most characters', () => {
    // [0,40): 30 with [0,30), 10 with [30,70) -> b1.   [40,80): 30 with [30,70), 10 with [70,100) -> b2.
    // [80,100): 20 with [70,100) -> b0.   [25,35): 5 and 5, a tie -> the earlier B chunk, b1.
    // gone.md has no B chunk -> -1.
    assert.deepEqual(Array.from(alignChunks(a, b)), [1, 2, 0, 1, -1]);
  });

  it('counts shared characters only within one file', () => {
    assert.equal(spanOverlap(a[0]!, b[2]!), 10);
    assert.equal(spanOverlap(a[4]!, { file: 'f.md', start: 0, end: 10 }), 0);
    assert.equal(spanOverlap({ file: 'f.md', start: 0, end: 10 }, { file: 'f.md', start: 10, end: 20 }), 0);
  });

  it('recognizes identical chunkings', () => {
    assert.equal(sameChunking(b, b.map((s) => ({ ...s }))), true);
    assert.equal(sameChunking(a, b), false);
  });

  it('compares neighbor lists through character overlap', () => {
    const chunksA = [{ file: 'f', start: 0, end: 10 }, { file: 'f', start: 10, end: 20 }, { file: 'f', start: 20, end: 30 }];
    const chunksB = [{ file: 'f', start: 0, end: 15 }, { file: 'f', start: 15, end: 30 }, { file: 'f', start: 40, end: 50 }];
    // A's neighbors a0 [0,10), a2 [20,30); B's neighbors b2 [40,50), b1 [15,30).
    // a0 meets neither b2 nor b1 -> lost; a2 meets b1 -> kept. b2 is new; b1 stands for a2.
    const cmp = compareLists([0, 2], [2, 1], chunksA, chunksB, false);
    assert.deepEqual(cmp.keptA, [false, true]);
    assert.deepEqual(cmp.keptB, [false, true]);
    assert.deepEqual(cmp.mappedB, [-3, 2]);
  });

  it('across snapshots, matches unchanged chunk text wherever it moved', () => {
    // Then: "alpha" [0,5), "beta" [5,9). Now a line was inserted before: "new " [0,4), "alpha" [4,9),
    // "beta" [9,13). By position "alpha" would meet "new "; by text it is the chunk at [4,9).
    const then = [{ file: 'f', start: 0, end: 5, text: 'alpha' }, { file: 'f', start: 5, end: 9, text: 'beta' }, { file: 'f', start: 9, end: 12, text: 'old' }];
    const now = [{ file: 'f', start: 0, end: 4, text: 'new ' }, { file: 'f', start: 4, end: 9, text: 'alpha' }, { file: 'f', start: 9, end: 13, text: 'beta' }];
    // "old" [9,12) has no twin: character overlap gives the chunk at [9,13).
    assert.deepEqual(Array.from(alignSnapshots(then, now)), [1, 2, 2]);
    assert.deepEqual(Array.from(alignChunks(then, now)), [0, 1, 2]);
  });
});
