// Preprocessing changes what is embedded, never where a chunk is: the offset map brings every
// processed span back to the original file.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { chunkFile, originalSpan, preprocess } from '../../../src/core/chunking/index';
import type { ChunkerType, PreprocessSpec } from '../../../src/core/config/types';
import type { CorpusFile } from '../../../src/core/types';

const spec = (over: Partial<PreprocessSpec>): PreprocessSpec => ({ normalize: 'none', collapseWhitespace: false, stripMarkdown: false, ...over });
const file = (text: string): CorpusFile => ({ path: 'doc.md', text, hash: '', bytes: 0 });

describe('chunking: preprocessing with offset maps', () => {
  it('NFKC folds compatibility characters; each maps back to its source character', () => {
    const text = 'ﬁle ①, café';
    const processed = preprocess(text, spec({ normalize: 'NFKC' }));
    assert.equal(processed.text, 'file 1, café');
    assert.deepEqual(originalSpan(processed, 0, 2), [0, 1], '"fi" comes from the ligature');
    assert.deepEqual(originalSpan(processed, 5, 6), [4, 5], '"1" comes from "①"');
  });

  it('NFC composes a letter and its combining accent', () => {
    const text = 'cafe\u0301 ok';
    const processed = preprocess(text, spec({ normalize: 'NFC' }));
    assert.equal(processed.text, 'café ok');
    assert.deepEqual(originalSpan(processed, 0, 4), [0, 5]);
    assert.deepEqual(originalSpan(processed, 5, 7), [6, 8]);
  });

  it('property: the processed text is exactly String.prototype.normalize of the file', () => {
    const unicode = fc.array(fc.constantFrom('a', 'e', ' ', '\n', 'e\u0301', '\u0301', 'ﬁ', '①', 'Å', 'Å', '😀', '\u1100', '\u1161', '\u11A8', '가', 'ｶ', 'ﾞ', 'x\u0323\u0307', '™'), { maxLength: 30 })
      .map((p) => p.join(''));
    fc.assert(fc.property(unicode, fc.constantFrom('NFC', 'NFKC'), (text, form) => {
      const processed = preprocess(text, spec({ normalize: form as 'NFC' | 'NFKC' }));
      assert.equal(processed.text, text.normalize(form));
      if (processed.from && processed.to) {
        for (let i = 0; i < processed.text.length; i++) assert.ok(processed.from[i]! < processed.to[i]! && processed.to[i]! <= text.length);
      }
    }), { numRuns: 500 });
  });

  it('collapses spaces to one and blank-line runs to one blank line', () => {
    const processed = preprocess('a   b\t\tc\n\n\n\nd \n e', spec({ collapseWhitespace: true }));
    assert.equal(processed.text, 'a b c\n\nd\ne');
    assert.deepEqual(originalSpan(processed, 4, 5), [7, 8], '"c"');
    assert.deepEqual(originalSpan(processed, 7, 8), [12, 13], '"d"');
  });

  it('strips markdown syntax and keeps the words', () => {
    const text = '# Title\n\nSome **bold** and [a link](http://x.y) `code`, ![alt](i.png) <b>html</b>.\n\n> quoted\n- item\n\n```js\nlet **x** = 1;\n```\n';
    const processed = preprocess(text, spec({ stripMarkdown: true }));
    assert.equal(processed.text, 'Title\n\nSome bold and a link code, alt html.\n\nquoted\nitem\n\nlet **x** = 1;\n');
  });

  it('chunks of processed text open at the right place in the original and keep the original slice', () => {
    const text = '**bold** text';
    const chunks = chunkFile(file(text), { chunker: { type: 'fixed', size: 5, overlap: 0, unit: 'chars' }, preprocess: spec({ stripMarkdown: true }) });
    assert.deepEqual(chunks.map((c) => [c.start, c.end, c.text, c.embedText]), [[2, 6, 'bold', 'bold'], [9, 13, 'text', 'text']]);
  });

  it('the markdown chunker still sees headings when markdown is stripped', () => {
    const text = '# Intro\n\nHello **there**.\n\n## Usage\n\nRun `it`.\n';
    const chunks = chunkFile(file(text), { chunker: { type: 'markdown', size: 1000, overlap: 0, unit: 'chars' }, preprocess: spec({ stripMarkdown: true }) });
    assert.deepEqual(chunks.map((c) => [c.headingPath, c.embedText, c.text]), [
      [['Intro'], 'Intro\n\nHello there.', 'Intro\n\nHello **there**.'],
      [['Intro', 'Usage'], 'Usage\n\nRun it.', 'Usage\n\nRun `it`.'],
    ]);
  });

  const pieces = fc.array(fc.constantFrom(
    '# H\n', '**b**', '_i_', '`c`', '[t](u)', 'word ', '  ', '\n\n\n', '\t', 'ﬁ', '①', 'e\u0301', 'Å', '😀', '> q\n', '- l\n', '```\nx\n```\n', 'text. ',
  ), { maxLength: 40 }).map((p) => p.join(''));

  it('property: every chunk under every preprocessing maps back inside the file, in order, with text = slice', () => {
    const types: ChunkerType[] = ['fixed', 'recursive', 'markdown', 'sentence'];
    fc.assert(fc.property(pieces, fc.constantFrom(...types), fc.constantFrom('none', 'NFC', 'NFKC'), fc.boolean(), fc.boolean(), (text, type, normalize, collapseWhitespace, stripMarkdown) => {
      const pre = spec({ normalize: normalize as PreprocessSpec['normalize'], collapseWhitespace, stripMarkdown });
      const processed = preprocess(text, pre);
      const chunks = chunkFile(file(text), { chunker: { type, size: 12, overlap: 3, unit: 'chars' }, preprocess: pre });
      let previousStart = 0;
      for (const chunk of chunks) {
        assert.ok(chunk.start >= 0 && chunk.start < chunk.end && chunk.end <= text.length);
        assert.equal(chunk.text, text.slice(chunk.start, chunk.end));
        assert.ok(chunk.start >= previousStart);
        previousStart = chunk.start;
        assert.ok(processed.text.includes(chunk.embedText));
      }
      // Whatever the preprocessing, everything visible that survives it is embedded somewhere.
      const embedded = chunks.map((c) => c.embedText).join('');
      for (const ch of processed.text.replace(/\s/g, '')) assert.ok(embedded.includes(ch));
    }), { numRuns: 300 });
  });
});
