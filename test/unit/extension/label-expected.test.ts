// "Label as expected" (anchors tab -> host): the pure parts the controller runs before it appends a
// line to the anchors file: which chunk a request may name (checked against the report the host
// holds), the chunk's lines in its file, and that a second click adds nothing.
import assert from 'node:assert/strict';
import { hasAnchor, labelTarget, lineRange } from '../../../src/extension/anchors';
import { makeFixtureReport } from '../../fixtures/make-report';

describe('label as expected', () => {
  it('lineRange: 1-based first and last line of a character range', () => {
    const text = 'one\ntwo\nthree\nfour\n';
    assert.deepEqual(lineRange(text, 0, 3), [1, 1]);
    // "two\nthree" starts on line 2; its last character (the "e" at 12) is on line 3.
    assert.deepEqual(lineRange(text, 4, 13), [2, 3]);
    // A range that ends with the newline after "three" still ends on line 3.
    assert.deepEqual(lineRange(text, 8, 14), [3, 3]);
    assert.deepEqual(lineRange(text, 8, 8), [3, 3]);
  });

  it('labelTarget: only a golden query from an anchors file, a chunk of the report, one corpus', () => {
    const r = makeFixtureReport({ chunks: 40, anchors: 5 });
    r.anchors.source = 'file';
    const item = r.anchors.items.find((x) => !x.auto) ?? r.anchors.items[0]!;
    item.auto = false;
    const c = r.chunkTable.b[3]!;
    assert.deepEqual(labelTarget(r, item.query, 'b', 3), { file: c.file, start: c.start, end: c.end });
    assert.match(labelTarget(r, 'a query the report does not hold', 'b', 3) as string, /not one of this report's golden queries/);
    assert.match(labelTarget(r, item.query, 'b', 4000) as string, /not in this report/);
    r.corpus.rootB = '/elsewhere';
    assert.match(labelTarget(r, item.query, 'b', 3) as string, /two snapshots/);
    r.anchors.source = 'auto';
    assert.match(labelTarget(r, item.query, 'a', 3) as string, /anchors file/);
  });

  it('hasAnchor: finds the exact pair among JSONL lines, ignores broken lines', () => {
    const text = '{"query":"install","expect":"docs/a.md#L1-L3"}\nnot json\n{"query":"install","expect":"docs/a.md#L4-L9"}\r\n';
    assert.equal(hasAnchor(text, 'install', 'docs/a.md#L4-L9'), true);
    assert.equal(hasAnchor(text, 'install', 'docs/a.md#L2-L3'), false);
    assert.equal(hasAnchor('', 'install', 'docs/a.md#L1-L3'), false);
  });
});
