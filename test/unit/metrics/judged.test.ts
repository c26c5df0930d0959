// Judged@k by hand on a small corpus: the share of a side's top-k that overlaps a span labelled for
// the query, the unjudged hits listed best first, and a query on several lines counted once with all
// of its spans.
import * as assert from 'node:assert/strict';
import type { AnchorQuery } from '../../../src/core/metrics/anchors';
import { judgedAtK } from '../../../src/core/metrics/judged';
import type { ChunkSpan } from '../../../src/core/types';

describe('judged@k', () => {
  // Two files of 40 characters, chunks of 10: setup.md chunks 0-3, api.md chunks 4-7.
  const chunks: ChunkSpan[] = [
    ...[0, 1, 2, 3].map((i) => ({ file: 'setup.md', start: i * 10, end: i * 10 + 10 })),
    ...[0, 1, 2, 3].map((i) => ({ file: 'api.md', start: i * 10, end: i * 10 + 10 })),
  ];
  const anchor = (query: string, file: string, start: number, end: number): AnchorQuery =>
    ({ query, expect: `${file}#...`, span: { file, start, end }, auto: false });

  it('counts the top-k hits overlapping a span labelled for that query', () => {
    const anchors = [
      anchor('install', 'setup.md', 5, 15), // chunks 0 and 1
      anchor('auth', 'api.md', 30, 40), // chunk 7
      anchor('install', 'api.md', 0, 1), // the same query, a second span: chunk 4
    ];
    // Top 3 per anchor line (best first); lines of one query share their list.
    const retrieved = [[1, 6, 4, 0], [7, 3, 5, 2], [1, 6, 4, 0]];
    const result = judgedAtK(anchors, retrieved, chunks, 3);
    assert.deepEqual(result.queries, [
      // install: 1 (setup span) and 4 (api span) judged, 6 not.
      { query: 'install', judged: 2 / 3, unjudged: [6] },
      // auth: 7 judged; 3 and 5 not (3 overlaps install's span, which is not auth's).
      { query: 'auth', judged: 1 / 3, unjudged: [3, 5] },
    ]);
    assert.equal(result.judgedAtK, (2 / 3 + 1 / 3) / 2);
  });

  it('no queries give null, and a short list counts what it holds', () => {
    assert.deepEqual(judgedAtK([], [], chunks, 10), { judgedAtK: null, queries: [] });
    const short = judgedAtK([anchor('q', 'setup.md', 0, 10)], [[0, 5]], chunks, 10);
    assert.equal(short.judgedAtK, 0.5);
  });
});
