// Tokenizers: known tokenizations (real vocabularies: cl100k_base, o200k_base, BERT-uncased),
// hand-made tokenizer.json files whose tokens are known exactly, and offset properties over
// random text (every offset slices back to what its piece stands for).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import {
  bertUncasedTokenizerConfig, bertUncasedTokenizerJson, bertUncasedVocabulary, loadHfTokenizer, loadTokenizer, tokenizerFromJson,
  type Encoding, type Tokenizer,
} from '../../../src/core/tokenizers/index';
import { DriftError } from '../../../src/core/types';
import { byteLevelBpeJson, llamaStyleBpeJson, unigramMetaspaceJson } from './fixtures';

/** What BERT's normalizer does to compare a slice with its piece: decompose, drop accents, lower-case. */
function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

function assertWellFormed(text: string, encoding: Encoding): void {
  const n = encoding.ids.length;
  assert.equal(encoding.pieces.length, n);
  assert.equal(encoding.offsets.length, n);
  assert.equal(encoding.unknown.length, n);
  let previousStart = 0;
  for (const [start, end] of encoding.offsets) {
    assert.ok(start >= 0 && start <= end && end <= text.length, `offset [${start}, ${end}) in a text of ${text.length}`);
    assert.ok(start >= previousStart, 'offsets move forward');
    previousStart = start;
  }
}

/** Random text mixing ASCII words, punctuation, accents, CJK, emoji and whitespace. */
const mixedText = fc.array(fc.constantFrom(
  'hello', 'World', 'tokenization', 'naïve', 'Café', 'über', 'x', 'IDs', '42', '3.14', ',', '.', '!', '-', '(', ')', '"', "'",
  ' ', ' ', '  ', '\n', '\t', '\r\n', '日本語', '中', '😀', '👍🏽', 'ﬁ', 'é', 'e\u0301', 'İ', 'ß', '_', 'snake_case', 'camelCase', '<|endoftext|>',
), { maxLength: 40 }).map((parts) => parts.join(''));

describe('tokenizers: tiktoken (gpt-tokenizer)', () => {
  let cl100k: Tokenizer;
  let o200k: Tokenizer;
  before(async () => {
    cl100k = await loadTokenizer({ kind: 'tiktoken', name: 'cl100k_base' });
    o200k = await loadTokenizer({ kind: 'tiktoken', name: 'o200k_base' });
  });

  it('cl100k_base of "hello world" is [15339, 1917] with pieces "hello", " world"', () => {
    const encoding = cl100k.encode('hello world');
    assert.deepEqual(encoding, { ids: [15339, 1917], pieces: ['hello', ' world'], offsets: [[0, 5], [5, 11]], unknown: [false, false] });
    assert.equal(cl100k.count('hello world'), 2);
    assert.equal(cl100k.name, 'cl100k_base');
  });

  it('o200k_base of "hello world" is [24912, 2375]: same pieces, another vocabulary', () => {
    assert.deepEqual(o200k.encode('hello world'), { ids: [24912, 2375], pieces: ['hello', ' world'], offsets: [[0, 5], [5, 11]], unknown: [false, false] });
  });

  it('special-token text in a document is plain text, not an error', () => {
    const encoding = cl100k.encode('a <|endoftext|> b');
    assert.ok(!encoding.ids.includes(100257), 'not the special token id');
    assert.equal(encoding.pieces.join(''), 'a <|endoftext|> b');
  });

  it('a character split over tokens belongs to the token with its first byte; the rest are empty at its end', () => {
    // "語" is two cl100k tokens (bytes e8 aa | 9e): the first shows it, the second covers nothing.
    assert.deepEqual(cl100k.encode('本語'), { ids: cl100k.encode('本語').ids, pieces: ['本', '語', ''], offsets: [[0, 1], [1, 2], [2, 2]], unknown: [false, false, false] });
    // The case: one emoji was shown as two overlapping pieces under o200k.
    const party = o200k.encode('🎉 party');
    assert.deepEqual(party.pieces, ['🎉', '', ' party']);
    assert.deepEqual(party.offsets, [[0, 2], [2, 2], [2, 8]]);
    assert.equal(party.ids.length, 3, 'every token still counts');
  });

  it('property: pieces slice back from their offsets and cover the text exactly', () => {
    fc.assert(fc.property(mixedText, (text) => {
      for (const tokenizer of [cl100k, o200k]) {
        const encoding = tokenizer.encode(text);
        assertWellFormed(text, encoding);
        // Spans partition the text: each starts where the previous ended, none overlaps, none is
        // empty but the rest of a character an earlier token began.
        let covered = 0;
        encoding.offsets.forEach(([start, end], i) => {
          assert.equal(text.slice(start, end), encoding.pieces[i]);
          assert.ok(start === covered && end >= start, `token ${i} starts where token ${i - 1} ended`);
          covered = end;
        });
        assert.equal(covered, text.length);
        assert.equal(tokenizer.count(text), encoding.ids.length);
      }
    }), { numRuns: 200 });
  });
});

describe('tokenizers: BERT-uncased WordPiece (real 30522-token vocabulary)', () => {
  let bert: Tokenizer;
  before(async () => { bert = await loadTokenizer({ kind: 'bert-base-uncased' }); });

  it('has BERT\'s vocabulary layout: specials at 0, 100-103, [unused0] at 1', () => {
    const vocabulary = bertUncasedVocabulary();
    assert.equal(vocabulary.length, 30522);
    assert.deepEqual([vocabulary[0], vocabulary[1], vocabulary[100], vocabulary[101], vocabulary[102], vocabulary[103]], ['[PAD]', '[unused0]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
    assert.equal(vocabulary[19204], 'token');
    assert.equal(vocabulary[3989], '##ization');
    assert.equal(new Set(vocabulary).size, 30522);
  });

  it('"Tokenization" is ["token", "##ization"] = [19204, 3989], offsets [0,5) [5,12)', () => {
    assert.deepEqual(bert.encode('Tokenization'), { ids: [19204, 3989], pieces: ['token', '##ization'], offsets: [[0, 5], [5, 12]], unknown: [false, false] });
  });

  it('"Hello, world!" is [7592, 1010, 2088, 999]; accents are stripped but offsets keep them', () => {
    assert.deepEqual(bert.encode('Hello, world!').ids, [7592, 1010, 2088, 999]);
    const encoding = bert.encode('Héllo wörld');
    assert.deepEqual(encoding.pieces, ['hello', 'world']);
    assert.deepEqual(encoding.offsets, [[0, 5], [6, 11]]);
    // A decomposed accent (e + U+0301) belongs to its letter.
    assert.deepEqual(bert.encode('cafe\u0301 ok').offsets, [[0, 5], [6, 8]]);
  });

  it('marks unknown tokens and gives them the word they stand for', () => {
    const encoding = bert.encode('I like 😀 a lot');
    const index = encoding.pieces.indexOf('[UNK]');
    assert.ok(index > 0);
    assert.equal(encoding.ids[index], 100);
    assert.deepEqual(encoding.unknown.map((u, i) => (u ? i : -1)).filter((i) => i >= 0), [index]);
    assert.equal('I like 😀 a lot'.slice(...encoding.offsets[index]!), '😀');
  });

  it('the tokenizer.json loads from a folder through transformers.js with the same result', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'drift-bert-'));
    try {
      await fs.writeFile(path.join(dir, 'tokenizer.json'), JSON.stringify(bertUncasedTokenizerJson()));
      await fs.writeFile(path.join(dir, 'tokenizer_config.json'), JSON.stringify(bertUncasedTokenizerConfig()));
      const fromFolder = await loadHfTokenizer(dir, 'my-bert');
      assert.equal(fromFolder.name, 'my-bert');
      const text = 'Embedding drift: neighbor churn of un-normalized vectors.';
      assert.deepEqual(fromFolder.encode(text), bert.encode(text));
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('property: each known piece is its slice, lower-cased and without accents', () => {
    fc.assert(fc.property(mixedText, (text) => {
      const encoding = bert.encode(text);
      assertWellFormed(text, encoding);
      encoding.offsets.forEach(([start, end], i) => {
        const slice = text.slice(start, end);
        if (encoding.unknown[i]) {
          assert.ok(slice.trim().length > 0, 'an unknown token covers visible text');
        } else {
          assert.equal(fold(slice), fold(encoding.pieces[i]!.replace(/^##/, '')), `token ${i} of ${JSON.stringify(text)}`);
        }
      });
      assert.equal(bert.count(text), encoding.ids.length);
    }), { numRuns: 200 });
  });
});

describe('tokenizers: hand-made tokenizer.json files', () => {
  it('byte-level BPE: "Ġworld" reads " world"; a two-byte character is the first byte token\'s, the second is empty', async () => {
    const bpe = await tokenizerFromJson(byteLevelBpeJson(), {}, 'tiny-bpe');
    assert.deepEqual(bpe.encode('hello world').pieces, ['hello', ' world']);
    assert.deepEqual(bpe.encode('hello world').offsets, [[0, 5], [5, 11]]);
    const encoding = bpe.encode('héllo');
    // h, then "é" = bytes c3 a9 = two byte tokens, then l, l, o (no merge starts with "hé").
    assert.deepEqual(encoding.pieces, ['h', 'é', '', 'l', 'l', 'o']);
    assert.deepEqual(encoding.offsets, [[0, 1], [1, 2], [2, 2], [2, 3], [3, 4], [4, 5]]);
    fc.assert(fc.property(mixedText, (text) => {
      const e = bpe.encode(text);
      assertWellFormed(text, e);
      e.offsets.forEach(([s, end], i) => assert.equal(text.slice(s, end), e.pieces[i]));
    }), { numRuns: 200 });
  });

  it('Llama-style BPE: "▁" from the normalizer, byte fallback for characters not in the vocabulary', async () => {
    const llama = await tokenizerFromJson(llamaStyleBpeJson(), { unk_token: '<unk>' }, 'tiny-llama');
    assert.deepEqual(llama.encode('hello world').pieces, [' hello', ' world']);
    assert.deepEqual(llama.encode('hello world').offsets, [[0, 5], [5, 11]]);
    const text = 'héllo 😀';
    const encoding = llama.encode(text);
    // "é" is bytes c3 a9 (<0xC3><0xA9>), "😀" four bytes: the first byte token shows the character.
    assert.deepEqual(encoding.pieces, [' h', 'é', '', 'l', 'l', 'o', ' ', '😀', '', '', '']);
    assert.deepEqual(encoding.offsets.map(([s, e]) => text.slice(s, e)), ['h', 'é', '', 'l', 'l', 'o', ' ', '😀', '', '', '']);
    assert.deepEqual(encoding.ids.slice(1, 3), [1 + 0xc3, 1 + 0xa9]);
    fc.assert(fc.property(mixedText, (random) => {
      const e = llama.encode(random);
      assertWellFormed(random, e);
      e.offsets.forEach(([start, end], i) => {
        const slice = random.slice(start, end);
        const piece = e.pieces[i]!;
        // A piece is its slice, or carries the "▁" the normalizer put before the text (which covers
        // nothing, or nothing but the first word).
        const prepended = piece === ` ${slice}` && (start === 0 || slice === '');
        assert.ok(slice === piece || prepended, `${JSON.stringify(piece)} vs ${JSON.stringify(slice)} in ${JSON.stringify(random)}`);
      });
    }), { numRuns: 150 });
  });

  it('sentencepiece Unigram: "▁hello" reads " hello"; unknown characters get their own span', async () => {
    const unigram = await tokenizerFromJson(unigramMetaspaceJson(), { unk_token: '<unk>' }, 'tiny-unigram');
    const text = 'hello xyz world';
    const encoding = unigram.encode(text);
    assert.deepEqual(encoding.pieces, [' hello', ' ', '<unk>', ' world']);
    assert.deepEqual(encoding.offsets, [[0, 5], [5, 6], [6, 9], [9, 15]]);
    assert.deepEqual(encoding.unknown, [false, false, true, false]);
    const accented = unigram.encode('héllo');
    assert.equal(accented.pieces[2], '<unk>');
    assert.equal('héllo'.slice(...accented.offsets[2]!), 'é');
  });
});

describe('tokenizers: words and the factory', () => {
  it('words: words (with inner apostrophes) and single punctuation marks', async () => {
    const words = await loadTokenizer({ kind: 'words' });
    const encoding = words.encode("Don't stop-me now!");
    assert.deepEqual(encoding.pieces, ["Don't", 'stop', '-', 'me', 'now', '!']);
    assert.deepEqual(encoding.offsets, [[0, 5], [6, 10], [10, 11], [11, 13], [14, 17], [17, 18]]);
    assert.equal(words.encode('Now').ids[0], words.encode('now').ids[0], 'ids ignore case');
    assert.equal(words.count("Don't stop-me now!"), 6);
  });

  it('caches: the same spec gives the same instance', async () => {
    assert.equal(await loadTokenizer({ kind: 'bert-base-uncased' }), await loadTokenizer({ kind: 'bert-base-uncased' }));
  });

  it('"model" returns the model tokenizer it is given, and a clear error without one', async () => {
    const words = await loadTokenizer({ kind: 'words' });
    assert.equal(await loadTokenizer({ kind: 'model' }, { modelTokenizer: words }), words);
    await assert.rejects(loadTokenizer({ kind: 'model' }), (err: unknown) => err instanceof DriftError && /tokenizer "model" needs the model's own tokenizer/.test(err.message));
  });

  it('a folder without tokenizer.json is a one-line model error', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'drift-notok-'));
    try {
      await assert.rejects(loadTokenizer({ kind: 'hf', path: dir }), (err: unknown) =>
        err instanceof DriftError && err.code === 'model' && err.message === `${path.basename(dir)}: no tokenizer.json in ${dir}`);
      await fs.writeFile(path.join(dir, 'tokenizer.json'), '{ not json');
      await assert.rejects(loadTokenizer({ kind: 'hf', path: dir }), (err: unknown) =>
        err instanceof DriftError && err.message.startsWith(`${path.basename(dir)}: tokenizer.json in ${dir} is not valid JSON (`) && !err.message.includes('\n'));
      await fs.writeFile(path.join(dir, 'tokenizer.json'), '{ "model": { "type": "NoSuchModel" } }');
      await assert.rejects(loadTokenizer({ kind: 'hf', path: dir }), (err: unknown) =>
        err instanceof DriftError && err.message.startsWith(`${path.basename(dir)}: cannot load the tokenizer in ${dir} (`) && !err.message.includes('\n'));
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
