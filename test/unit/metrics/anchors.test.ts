// Anchors files: parsing, line ranges to characters, malformed lines; evaluation against
// hand-placed chunks. Auto-anchors: autoAnchors.test.ts.
import * as assert from 'node:assert/strict';
import { malformedNote, parseAnchors } from '../../../src/core/metrics/anchors';
import { topIndices } from '../../../src/core/index/queryScores';
import { evaluateAnchors, retrievalQuality } from '../../../src/core/metrics/retrieval';
import type { Corpus } from '../../../src/core/types';

const setup = 'line one\nline two\nline three\nline four\n';
const guide = '# Install\nRun npm.\n\n## Configure the cache\nSet the folder.\n```sh\n# not a heading\n```\n# Use\nOpen it.';
const code = '/** Returns the user name from the session store. */\nexport function userName() {\n  return store.name;\n}\n\nconst other = 1;\n';
const corpus: Corpus = {
  root: '/w',
  files: [
    { path: 'docs/setup.md', text: setup, hash: '', bytes: setup.length },
    { path: 'docs/guide.md', text: guide, hash: '', bytes: guide.length },
    { path: 'src/user.ts', text: code, hash: '', bytes: code.length },
  ],
  skipped: [],
};

describe('parseAnchors', () => {
  const text = [
    '{"query": "second and third", "expect": "docs/setup.md#L2-L3"}',
    '{"query": "whole file", "expect": "docs/setup.md"}',
    'not json',
    '',
    '{"query": "where", "expect": "docs/missing.md#L1"}',
    '{"a": "cache folder", "b": "where files are kept"}',
    '{"query": "just a query"}',
    '{"query": "bad range", "expect": "docs/setup.md#L9-L12"}',
    '{"expect": "docs/setup.md"}',
    '{"query": "one line", "expect": "docs/setup.md#L4"}',
  ].join('\n');
  const set = parseAnchors(text, 'anchors.jsonl', corpus);

  it('resolves line ranges to character ranges of the file', () => {
    // L2 starts after "line one\n" (9 chars); L3 ends before the newline after "line three" (28).
    assert.deepEqual(set.anchors.map((x) => [x.query, x.span.start, x.span.end]), [
      ['second and third', 9, 28], ['whole file', 0, setup.length], ['one line', 29, 38],
    ]);
    assert.equal(setup.slice(9, 28), 'line two\nline three');
    assert.equal(setup.slice(29, 38), 'line four');
  });

  it('keeps pairs and plain queries apart', () => {
    assert.deepEqual(set.pairs, [{ a: 'cache folder', b: 'where files are kept' }]);
    assert.deepEqual(set.queries, ['just a query']);
  });

  it('reports each malformed line with its number and the reason alone, and skips it', () => {
    assert.deepEqual(set.malformed, [
      { line: 3, message: 'not valid JSON' },
      { line: 5, message: 'expected file "docs/missing.md" is not in the corpus' },
      { line: 8, message: 'line range L9-L12 is outside "docs/setup.md" (5 lines)' },
      { line: 9, message: 'missing a non-empty string "query"' },
    ]);
  });

  it('calls a reversed range reversed, not outside the file', () => {
    const reversed = parseAnchors('{"query": "q", "expect": "docs/setup.md#L3-L2"}', 'a.jsonl', corpus);
    assert.deepEqual(reversed.malformed, [{ line: 1, message: 'line range L3-L2 is reversed (it ends before it starts); write L2-L3' }]);
  });

  it('flags a repeated query or pair as a duplicate and counts it once', () => {
    const twice = parseAnchors([
      '{"query": "second and third", "expect": "docs/setup.md#L2-L3"}',
      '{"query": "just a query"}',
      '{"query": "second and third ", "expect": "docs/setup.md#L2-L3"}',
      '{"a": "x", "b": "y"}',
      '{"query": "just a query", "expect": "docs/setup.md"}',
      '{"a": "x", "b": "y"}',
    ].join('\n'), 'a.jsonl', corpus);
    assert.equal(twice.anchors.length, 1);
    assert.deepEqual(twice.queries, ['just a query']);
    assert.equal(twice.pairs.length, 1);
    assert.deepEqual(twice.malformed, [
      { line: 3, message: 'duplicate of the query on line 1; counted once' },
      { line: 5, message: 'duplicate of the query on line 2; counted once' },
      { line: 6, message: 'duplicate of the pair on line 4; counted once' },
    ]);
  });

  it('words the warning with the first few lines, file and line once each', () => {
    assert.equal(malformedNote('anchors.jsonl', set.malformed),
      '4 lines of the anchors file skipped: anchors.jsonl:3: not valid JSON; anchors.jsonl:5: expected file "docs/missing.md" is not in the corpus; '
      + 'anchors.jsonl:8: line range L9-L12 is outside "docs/setup.md" (5 lines); and 1 more (see anchors.malformed).');
    assert.equal(malformedNote('a.jsonl', [{ line: 2, message: 'not valid JSON' }]), '1 line of the anchors file skipped: a.jsonl:2: not valid JSON.');
  });
});

describe('anchor evaluation', () => {
  it('ranks the first chunk overlapping the expected span, and takes the cosine percentile', () => {
    const chunks = [
      { file: 'docs/setup.md', start: 0, end: 9 },
      { file: 'docs/setup.md', start: 9, end: 19 },
      { file: 'docs/setup.md', start: 19, end: 39 },
      { file: 'docs/guide.md', start: 0, end: 10 },
    ];
    const anchor = { query: 'q', expect: 'docs/setup.md#L2', span: { file: 'docs/setup.md', start: 9, end: 17 }, auto: false };
    const scores = Float32Array.from([0.9, 0.5, 0.7, 0.1]);
    const [side] = evaluateAnchors([anchor], [{ scores, top: topIndices(scores, 10) }], chunks, 2);
    // Order 0 (0.9), 2 (0.7), 1 (0.5), 3: the only relevant chunk (1) is third, beyond k = 2.
    assert.deepEqual(topIndices(scores, 10), [0, 2, 1, 3]);
    assert.equal(side!.rank, null);
    // Its cosine 0.5: one of four scores below it, itself a tie counted half: (1 + 0.5) / 4.
    assert.equal(side!.cos, 0.5);
    assert.equal(side!.percentile, 37.5);
    assert.ok(Math.abs(side!.ndcg10 - 1 / Math.log2(4)) < 1e-12);
    const quality = retrievalQuality([side!]);
    assert.deepEqual([quality.hitAtK, quality.mrrAtK], [0, 0]);
  });
});
