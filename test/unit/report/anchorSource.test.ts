// Which anchors a run used and why: every case of the sentence, written out by hand.
import assert from 'node:assert/strict';
import { describeAnchorSource } from '../../../src/core/report/anchorSource';
import type { AnchorReport } from '../../../src/core/report/types';

function anchors(o: Partial<AnchorReport>): AnchorReport {
  return { count: 0, source: 'none', malformed: [], minimumAnchors: 5, conclusive: false, items: [], pairs: [], ...o } as AnchorReport;
}
const made = (headings: number, docstrings: number, docComments: number, found = headings + docstrings + docComments): NonNullable<AnchorReport['auto']> =>
  ({ made: { headings, docstrings, docComments }, found: { headings: found, docstrings: 0, docComments: 0 } } as NonNullable<AnchorReport['auto']>);

describe('which anchors a run used, and why', () => {
  it('a golden set from the anchors file, conclusive or not', () => {
    assert.equal(describeAnchorSource(anchors({ source: 'file', file: 'anchors.jsonl', count: 12, conclusive: true })),
      '12 golden queries from the anchors file anchors.jsonl.');
    assert.equal(describeAnchorSource(anchors({ source: 'file', file: 'golden/q.jsonl', count: 1, malformed: [{ line: 2, message: 'x' }] })),
      '1 golden query from the anchors file golden/q.jsonl (1 line skipped); fewer than the 5 a quality verdict needs, so it is not conclusive.');
    assert.equal(describeAnchorSource(anchors({ source: 'file', file: 'a.jsonl', count: 0, malformed: [{ line: 1, message: 'x' }, { line: 2, message: 'y' }] })),
      'No golden queries: the anchors file a.jsonl holds no usable line (2 lines skipped).');
  });

  it('auto-anchors name what they were made from, and why there are auto-anchors at all', () => {
    assert.equal(describeAnchorSource(anchors({ source: 'auto', count: 40, conclusive: true, auto: made(35, 0, 5) })),
      "40 auto-anchors made from the corpus's 35 headings and 5 doc comments, since no anchors file was read.");
    assert.equal(describeAnchorSource(anchors({ source: 'auto', count: 3, auto: made(1, 1, 1) })),
      "3 auto-anchors made from the corpus's 1 heading, 1 docstring and 1 doc comment, since no anchors file was read; fewer than the 5 a quality verdict needs, so it is not conclusive.");
  });

  it('none: auto-anchors off, or nothing to make them from', () => {
    assert.equal(describeAnchorSource(anchors({ source: 'none' })), 'No anchors: no anchors file was read, and auto-anchors are turned off ("autoAnchors": false).');
    assert.equal(describeAnchorSource(anchors({ source: 'none', auto: made(0, 0, 0) })), 'No anchors: no anchors file was read, and the corpus has no headings or doc comments to make them from.');
    assert.equal(describeAnchorSource(anchors({ source: 'none', auto: made(0, 0, 0, 7) })),
      "No anchors: no anchors file was read, and none of the corpus's 7 headings and doc comments made a usable query (changelog, version, one-word or repeated ones are left out).");
  });
});
