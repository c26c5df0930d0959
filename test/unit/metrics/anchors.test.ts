// Anchors files and auto-anchors: parsing, line ranges to characters, malformed lines, headings
// and doc comments as queries for their own text; evaluation against hand-placed chunks.
import * as assert from 'node:assert/strict';
import { autoAnchors, parseAnchors } from '../../../src/core/metrics/anchors';
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

  it('reports each malformed line with its number and skips it', () => {
    assert.deepEqual(set.malformed.map((m) => m.line), [3, 5, 8, 9]);
    assert.match(set.malformed[0]!.message, /^anchors\.jsonl:3: not valid JSON$/);
    assert.match(set.malformed[1]!.message, /docs\/missing\.md.*not in the corpus/);
    assert.match(set.malformed[2]!.message, /outside/);
  });
});

describe('autoAnchors', () => {
  const anchors = autoAnchors(corpus, 100);

  it('makes each markdown heading a query for its own section, ignoring # inside code fences', () => {
    const headings = anchors.filter((x) => x.span.file === 'docs/guide.md');
    assert.deepEqual(headings.map((h) => h.query), ['Install', 'Configure the cache', 'Use']);
    const install = headings[0]!;
    // "# Install" runs to the next heading of the same level ("# Use"), the "##" section inside it.
    assert.equal(guide.slice(install.span.start, install.span.end), guide.slice(0, guide.indexOf('# Use')).trimEnd());
    const cache = headings[1]!;
    assert.equal(guide.slice(cache.span.start, cache.span.end), '## Configure the cache\nSet the folder.\n```sh\n# not a heading\n```');
    assert.ok(headings.every((h) => h.auto));
  });

  it('makes a doc comment a query for the code after it', () => {
    const doc = anchors.find((x) => x.span.file === 'src/user.ts');
    assert.equal(doc?.query, 'Returns the user name from the session store.');
    assert.equal(code.slice(doc!.span.start, doc!.span.end), 'export function userName() {\n  return store.name;\n}');
    assert.equal(doc?.expect, 'src/user.ts#L2-L4');
  });

  it('keeps an evenly spread subset above the limit', () => {
    assert.equal(autoAnchors(corpus, 2).length, 2);
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
    assert.deepEqual([quality.hitAtK, quality.mrr], [0, 0]);
  });
});
