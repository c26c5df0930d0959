// Line numbers of character ranges: by hand on a small text, and in a real report every chunk's
// lines are the lines its characters lie on (counted from the file's own newlines).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultConfig } from '../../../src/core/config';
import { lineAt, lineSpan, lineStarts } from '../../../src/core/lines';
import { compare } from '../../../src/core/pipeline/compare';
import { writeTree } from '../../support/files';

describe('line numbers of ranges', () => {
  //            0123 4567 8 9
  const text = 'abc\ndef\n\nxy';
  const starts = lineStarts(text);

  it('lineStarts and lineAt, by hand', () => {
    assert.deepEqual(starts, [0, 4, 8, 9]);
    assert.deepEqual([0, 2, 3, 4, 7, 8, 9, 10].map((o) => lineAt(starts, o)), [1, 1, 1, 2, 2, 3, 4, 4]);
  });

  it('a range covers the lines of its first and last character; a trailing newline stays on its line', () => {
    assert.deepEqual(lineSpan(starts, 0, 3), [1, 1]);
    assert.deepEqual(lineSpan(starts, 0, 4), [1, 1], '"abc\\n" ends on line 1');
    assert.deepEqual(lineSpan(starts, 0, 5), [1, 2]);
    assert.deepEqual(lineSpan(starts, 4, 11), [2, 4]);
    assert.deepEqual(lineSpan(starts, 8, 8), [3, 3], 'empty range: its own line');
  });

  it('a real report gives every chunk the lines of its characters, under both chunkings', async function () {
    this.timeout(60_000);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'drift-lines-'));
    try {
      const corpus = path.join(dir, 'corpus');
      const para = (n: number): string => Array.from({ length: n }, (_, i) => `Line ${i + 1} of a paragraph about chunk boundaries and neighbors.`).join('\n');
      await writeTree(corpus, { 'a.md': `# A\n\n${para(12)}\n\n## B\n\n${para(9)}\n`, 'b.md': `# Other\n\n${para(20)}\n` });
      const config = defaultConfig(corpus);
      config.k = 2;
      config.a.chunker = { type: 'recursive', size: 200, overlap: 30, unit: 'chars' };
      config.b.chunker = { type: 'markdown', size: 150, overlap: 0, unit: 'chars' };
      const session = await compare(config, { cacheDir: path.join(dir, 'cache'), allowNetwork: false, workers: 1 });
      try {
        for (const side of ['a', 'b'] as const) {
          const table = session.report.chunkTable[side];
          assert.ok(table.length > 4);
          for (const c of table) {
            const text = await readFile(path.join(corpus, c.file), 'utf8');
            const line = (offset: number): number => text.slice(0, offset).split('\n').length;
            assert.deepEqual(c.lines, [line(c.start), line(Math.max(c.start, c.end - 1))], `${side} ${c.file}:${c.start}-${c.end}`);
          }
        }
      } finally {
        await session.dispose();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
