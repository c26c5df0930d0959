// Chunkers on small hand-written texts whose chunks are worked out by hand, then properties
// over random texts for every chunker and unit: exact slices, full coverage, size and overlap
// bounds, determinism.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { chunkCorpus, chunkFile, sentenceUnits, type ChunkingSide } from '../../../src/core/chunking/index';
import type { ChunkerSpec, ChunkerType, PreprocessSpec } from '../../../src/core/config/types';
import { wordsTokenizer } from '../../../src/core/tokenizers/index';
import type { Tokenizer } from '../../../src/core/tokenizers/types';
import { DriftError, type Chunk, type CorpusFile, type ProgressEvent } from '../../../src/core/types';

const NONE: PreprocessSpec = { normalize: 'none', collapseWhitespace: false, stripMarkdown: false };

function file(text: string, path = 'doc.md'): CorpusFile {
  return { path, text, hash: '', bytes: Buffer.byteLength(text) };
}

function side(type: ChunkerType, size: number, overlap: number, unit: 'chars' | 'tokens' = 'chars', preprocess = NONE): ChunkingSide {
  return { chunker: { type, size, overlap, unit }, preprocess };
}

/** [start, end, text] triples: the part of a chunk a hand calculation gives. */
function spans(chunks: Chunk[]): Array<[number, number, string]> {
  return chunks.map((c) => [c.start, c.end, c.text]);
}

describe('chunking: exact chunks of hand-written texts', () => {
  it('fixed, chars: windows of size stepping size - overlap', () => {
    assert.deepEqual(spans(chunkFile(file('abcdefghij'), side('fixed', 4, 1))), [[0, 4, 'abcd'], [3, 7, 'defg'], [6, 10, 'ghij']]);
    // Windows are trimmed: "ab " -> "ab".
    assert.deepEqual(spans(chunkFile(file('ab cd ef'), side('fixed', 3, 0))), [[0, 2, 'ab'], [3, 5, 'cd'], [6, 8, 'ef']]);
    // An emoji is never cut in half: the window ends before it.
    assert.deepEqual(spans(chunkFile(file('ab😀cd'), side('fixed', 3, 0))), [[0, 2, 'ab'], [2, 5, '😀c'], [5, 6, 'd']]);
  });

  it('fixed, tokens: windows of whole tokens', () => {
    const chunks = chunkFile(file('one two three four five'), side('fixed', 2, 1, 'tokens'), wordsTokenizer());
    assert.deepEqual(spans(chunks), [[0, 7, 'one two'], [4, 13, 'two three'], [8, 18, 'three four'], [14, 23, 'four five']]);
  });

  it('recursive: paragraphs, then lines, then words (LangChain\'s order), separators kept', () => {
    const chunks = chunkFile(file('aaa bbb\n\nccc ddd eee'), side('recursive', 10, 0));
    assert.deepEqual(spans(chunks), [[0, 7, 'aaa bbb'], [9, 16, 'ccc ddd'], [17, 20, 'eee']]);
    const overlapping = chunkFile(file('w1 w2 w3 w4 w5 w6'), side('recursive', 8, 3));
    // Pieces "w1" (2), " w2" (3), " w3" (3)...: "w1 w2 w3" is 8; the 3 of " w3" carry over, and
    // " w3 w4" + " w5" would be 9 > 8, so each later chunk holds two words.
    assert.deepEqual(spans(overlapping), [[0, 8, 'w1 w2 w3'], [6, 11, 'w3 w4'], [9, 14, 'w4 w5'], [12, 17, 'w5 w6']]);
  });

  const MARKDOWN = '# Title\n\nIntro para.\n\n## Setup\n\n```js\nconst a = 1;\n\nconst b = 2;\n```\n\nDone.\n';

  it('markdown: sections by heading, whole blocks, a code fence kept whole, heading paths', () => {
    const chunks = chunkFile(file(MARKDOWN), side('markdown', 40, 0));
    assert.deepEqual(chunks.map((c) => [c.start, c.end, c.headingPath]), [
      [0, 20, ['Title']], [22, 30, ['Title', 'Setup']], [32, 68, ['Title', 'Setup']], [70, 75, ['Title', 'Setup']],
    ]);
    assert.equal(chunks[2]!.text, '```js\nconst a = 1;\n\nconst b = 2;\n```', 'the blank line inside the fence does not split it');
    // Where the recursive splitter cuts a fence at its blank line, the markdown chunker does not.
    const fenced = 'Some intro text.\n\n```\naaaa\n\nbbbb\n```\n';
    assert.deepEqual(chunkFile(file(fenced), side('recursive', 30, 0)).map((c) => c.text), ['Some intro text.\n\n```\naaaa', 'bbbb\n```']);
    assert.deepEqual(chunkFile(file(fenced), side('markdown', 30, 0)).map((c) => c.text), ['Some intro text.', '```\naaaa\n\nbbbb\n```']);
  });

  it('markdown: a fence larger than the size is split, each piece within the size', () => {
    const chunks = chunkFile(file(MARKDOWN), side('markdown', 20, 0));
    const code = chunks.filter((c) => c.start >= 32 && c.end <= 68);
    assert.ok(code.length >= 2);
    for (const c of chunks) assert.ok(c.end - c.start <= 20);
    assert.deepEqual(code.map((c) => c.text), ['```js\nconst a = 1;', 'const b = 2;\n```']);
  });

  it('markdown: text before the first heading has an empty path; deeper headings pop back', () => {
    const text = 'lead\n# A\na\n## B\nb\n# C\nc\n';
    const chunks = chunkFile(file(text), side('markdown', 1000, 0));
    assert.deepEqual(chunks.map((c) => [c.text, c.headingPath]), [
      ['lead', []], ['# A\na', ['A']], ['## B\nb', ['A', 'B']], ['# C\nc', ['C']],
    ]);
  });

  it('markdown: setext headings and YAML front matter', () => {
    const text = '---\ntitle: Doc\n---\nGuide\n=====\n\nText.\n\nInstall\n-------\nRun it.\n';
    const chunks = chunkFile(file(text), side('markdown', 1000, 0));
    assert.deepEqual(chunks.map((c) => [c.text, c.headingPath]), [
      ['---\ntitle: Doc\n---', []], ['Guide\n=====\n\nText.', ['Guide']], ['Install\n-------\nRun it.', ['Guide', 'Install']],
    ]);
  });

  it('sentence: whole sentences packed to the size, overlapping by whole sentences', () => {
    const text = 'Hello there. How are you? I am fine.';
    assert.deepEqual(spans(chunkFile(file(text), side('sentence', 30, 13))), [
      [0, 25, 'Hello there. How are you?'], [13, 36, 'How are you? I am fine.'],
    ]);
    assert.deepEqual(spans(chunkFile(file(text), side('sentence', 30, 0))), [[0, 25, 'Hello there. How are you?'], [26, 36, 'I am fine.']]);
  });

  it('sentence units of a long text equal one pass of Intl.Segmenter (it is segmented in windows)', () => {
    const sentences = ['Dr. Smith arrived.', 'Was it late?', 'Yes!', '日本語の文です。', 'Version 1.2.3 shipped.', 'A 😀 here.', 'Line one\nline two.'];
    const text = Array.from({ length: 2500 }, (_, i) => `${sentences[(i * 7 + (i >> 3)) % sentences.length]}${i % 11 === 0 ? '\n\n' : ' '}`).join('');
    assert.ok(text.length > 30000);
    const direct: Array<[number, number]> = [];
    for (const segment of new Intl.Segmenter('en', { granularity: 'sentence' }).segment(text)) {
      let start = segment.index;
      let end = start + segment.segment.length;
      while (start < end && /\s/.test(text[start]!)) start++;
      while (end > start && /\s/.test(text[end - 1]!)) end--;
      if (end > start) direct.push([start, end]);
    }
    assert.deepEqual(sentenceUnits(text).map((u) => [u.start, u.end]), direct);
  });

  it('empty and whitespace-only files give no chunks', () => {
    for (const type of ['fixed', 'recursive', 'markdown', 'sentence'] as const) {
      assert.deepEqual(chunkFile(file(''), side(type, 10, 2)), []);
      assert.deepEqual(chunkFile(file(' \n\n\t '), side(type, 10, 2)), []);
    }
  });

  it('counting tokens tokenizes each file once, whatever the number of candidates', () => {
    let calls = 0;
    const words = wordsTokenizer();
    const counting: Tokenizer = { name: 'words', encode: (t) => { calls++; return words.encode(t); }, count: (t) => { calls++; return words.count(t); } };
    const text = Array.from({ length: 200 }, (_, i) => `Sentence number ${i} is here.`).join(' ');
    for (const type of ['fixed', 'recursive', 'markdown', 'sentence'] as const) {
      calls = 0;
      const chunks = chunkFile(file(text), side(type, 20, 5, 'tokens'), counting);
      assert.ok(chunks.length > 10);
      assert.equal(calls, 1, type);
    }
  });

  it('a token unit without a tokenizer, or overlap >= size, is a clear config error', () => {
    assert.throws(() => chunkFile(file('x'), side('fixed', 10, 2, 'tokens')), (e: unknown) => e instanceof DriftError && /counts tokens but no tokenizer was given/.test(e.message));
    assert.throws(() => chunkFile(file('x'), side('fixed', 10, 10)), (e: unknown) => e instanceof DriftError && e.code === 'config');
  });
});

describe('chunking: chunkCorpus', () => {
  const corpus = { root: '/r', files: Array.from({ length: 120 }, (_, i) => file(`File ${i}. Second sentence.`, `f${String(i).padStart(3, '0')}.md`)), skipped: [] };

  it('chunks every file in order and reports progress in stage "chunk"', async () => {
    const events: ProgressEvent[] = [];
    const chunks = await chunkCorpus(corpus, side('sentence', 20, 0), undefined, { onProgress: (e) => events.push(e) });
    assert.equal(chunks.length, 240);
    assert.equal(chunks[0]!.file, 'f000.md');
    assert.equal(chunks[239]!.file, 'f119.md');
    assert.deepEqual(events.map((e) => [e.stage, e.done, e.total]), [['chunk', 50, 120], ['chunk', 100, 120], ['chunk', 120, 120]]);
    assert.deepEqual(chunks.map((c) => c.text), corpus.files.flatMap((f) => f.text.split(/(?<=\.) /)));
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(chunkCorpus(corpus, side('fixed', 10, 0), undefined, { signal: controller.signal }), (e: unknown) => e instanceof DriftError && e.code === 'cancelled');
    const async = new AbortController();
    const running = chunkCorpus(corpus, side('fixed', 10, 0), undefined, {
      signal: async.signal,
      onProgress: (e) => { if (e.done === 50) async.abort(); },
    });
    await assert.rejects(running, (e: unknown) => e instanceof DriftError && e.code === 'cancelled');
  });
});

/** Markdown-ish random documents: headings, fences, sentences, CJK, emoji, CRLF, runs of spaces. */
const documentText = fc.array(fc.constantFrom(
  '# Heading\n', '## Sub heading\n', '\n', '\n\n', '\r\n', '```\ncode line\n\nmore code\n```\n', 'Plain words here. ', 'A question? ',
  'Exclamation! ', 'Dr. Smith went home. ', '日本語の文です。', '😀 ', '👍🏽', '  ', '\t', '- item\n', 'x', 'longwordwithoutspaces', 'e\u0301',
), { maxLength: 60 }).map((parts) => parts.join(''));

const CHUNKERS: ChunkerType[] = ['fixed', 'recursive', 'markdown', 'sentence'];

function checkChunks(text: string, spec: ChunkerSpec, chunks: Chunk[], measure: (start: number, end: number) => number): void {
  let previous: Chunk | undefined;
  const covered = new Uint8Array(text.length);
  for (const chunk of chunks) {
    assert.equal(chunk.text, text.slice(chunk.start, chunk.end), 'text is exactly the slice');
    assert.equal(chunk.embedText, chunk.text, 'no preprocessing: embedText is the text');
    assert.ok(chunk.end > chunk.start && chunk.text.trim() === chunk.text, 'non-empty, trimmed');
    assert.ok(measure(chunk.start, chunk.end) <= spec.size, `size ${measure(chunk.start, chunk.end)} <= ${spec.size}`);
    if (previous) {
      assert.ok(chunk.start >= previous.start, 'in text order');
      if (chunk.start < previous.end) {
        assert.ok(measure(chunk.start, previous.end) <= spec.overlap, `overlap ${measure(chunk.start, previous.end)} <= ${spec.overlap}`);
      }
    }
    covered.fill(1, chunk.start, chunk.end);
    previous = chunk;
  }
  for (let i = 0; i < text.length; i++) {
    if (!/\s/.test(text[i]!)) assert.equal(covered[i], 1, `character ${i} (${JSON.stringify(text[i])}) is in a chunk`);
  }
}

describe('chunking: properties over random texts', () => {
  for (const type of CHUNKERS) {
    it(`${type}, chars: exact slices, full coverage, size and overlap bounds, determinism`, () => {
      fc.assert(fc.property(documentText, fc.integer({ min: 4, max: 120 }), fc.integer({ min: 0, max: 100 }), (text, size, overlapSeed) => {
        const overlap = overlapSeed % size;
        const s = side(type, size, overlap);
        const chunks = chunkFile(file(text), s);
        checkChunks(text, s.chunker, chunks, (a, b) => b - a);
        assert.deepEqual(chunkFile(file(text), s), chunks);
      }), { numRuns: 150 });
    });

    it(`${type}, tokens: the same properties counted in tokens`, () => {
      const words = wordsTokenizer();
      fc.assert(fc.property(documentText, fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 30 }), (text, size, overlapSeed) => {
        const overlap = overlapSeed % size;
        const s = side(type, size, overlap, 'tokens');
        const chunks = chunkFile(file(text), s, words);
        const starts = words.encode(text).offsets.map(([start]) => start);
        checkChunks(text, s.chunker, chunks, (a, b) => starts.filter((p) => p >= a && p < b).length);
      }), { numRuns: 100 });
    });
  }
});
