// Corpus vocabulary and truncation with real tokenizers (BERT-uncased WordPiece, cl100k_base,
// words), against counts and pieces worked out by hand.
import * as assert from 'node:assert/strict';
import { truncationStats, zeroVectorRows } from '../../../src/core/metrics/truncation';
import { countNewVocabulary, countTerms, newVocabulary, shatteredBy, termPieces, tokenizerStats } from '../../../src/core/metrics/vocabulary';
import { loadTokenizer } from '../../../src/core/tokenizers/index';

describe('corpus vocabulary', () => {
  const files = [
    { path: 'a.md', text: 'Call getUserName() then getUserName again; set snake_case_name.\nSee hnswlib-wasm and os.path.join, the the.' },
    { path: 'b.md', text: 'the 𐌰𐌲𐌻 word' },
  ];

  it('counts words, camelCase and snake_case identifiers, hyphenated and dotted names', async () => {
    const terms = await countTerms(files);
    const count = (t: string): number | undefined => terms.find((x) => x.term === t)?.count;
    assert.equal(count('getUserName'), 2);
    assert.equal(count('snake_case_name'), 1);
    assert.equal(count('hnswlib-wasm'), 1);
    assert.equal(count('os.path.join'), 1);
    assert.equal(count('the'), 3);
    // Most frequent first; the first occurrence is the example location.
    assert.equal(terms[0]!.term, 'the');
    const example = terms.find((x) => x.term === 'getUserName')!.example;
    assert.deepEqual(example, { file: 'a.md', start: 5, end: 16 });
    assert.equal(files[0]!.text.slice(example.start, example.end), 'getUserName');
  });

  it('ranks terms one tokenizer shatters, piece by piece under A and B', async () => {
    const bert = await loadTokenizer({ kind: 'bert-base-uncased' });
    const cl100k = await loadTokenizer({ kind: 'tiktoken', name: 'cl100k_base' });
    const terms = await countTerms(files);
    const a = terms.map((t) => termPieces(bert, t.term));
    const b = terms.map((t) => termPieces(cl100k, t.term));
    const at = (t: string): number => terms.findIndex((x) => x.term === t);
    assert.deepEqual(a[at('getUserName')]!.pieces, ['get', '##user', '##name']);
    assert.deepEqual(b[at('getUserName')]!.pieces, ['get', 'UserName']);
    assert.deepEqual(a[at('snake_case_name')]!.pieces, ['snake', '_', 'case', '_', 'name']);
    assert.deepEqual(b[at('snake_case_name')]!.pieces, ['snake', '_case', '_name']);
    // BERT's vocabulary has no Gothic letters: one unknown token; byte-level BPE knows every byte.
    assert.equal(a[at('𐌰𐌲𐌻')]!.unknown, true);
    assert.equal(b[at('𐌰𐌲𐌻')]!.unknown, false);

    // getUserName (count 2): BERT 3 pieces, cl100k 2: |2 - 1| = 1, score 2.
    // snake_case_name (1): 5 vs 3 pieces: |4 - 2| = 2, score 2. The Gothic word: unknown under
    // BERT (fragmentation 0 + 3) vs cl100k's pieces. "the" is whole under both: not listed.
    const ranked = newVocabulary(terms, a, b, 10);
    assert.ok(!ranked.some((x) => x.term === 'the'));
    const getUser = ranked.find((x) => x.term === 'getUserName')!;
    assert.deepEqual([getUser.piecesA, getUser.piecesB, getUser.count], [['get', '##user', '##name'], ['get', 'UserName'], 2]);
    assert.deepEqual(getUser.example, { file: 'a.md', start: 5, end: 16 });

    // Shattered = 3+ pieces or unknown, by hand: under BERT getUserName, snake_case_name, hnswlib-wasm,
    // os.path.join (3+ pieces) and the Gothic word (one unknown token): 5. Under cl100k the same
    // minus getUserName (2 pieces), the Gothic word in 3+ byte pieces: 4.
    const statsA = tokenizerStats('bert', a);
    assert.equal(statsA.shatteredShare, Number((5 / terms.length).toPrecision(4)));
    assert.equal(tokenizerStats('cl100k', b).shatteredShare, Number((4 / terms.length).toPrecision(4)));
    assert.ok(statsA.unknownRate > 0);
    assert.equal(tokenizerStats('cl100k', b).unknownRate, 0);
    // Only getUserName is bad (3+ pieces or unknown) under BERT and fine under cl100k: snake_case_name,
    // hnswlib-wasm and os.path.join are 3+ pieces under both, the Gothic word unknown vs 3+ bytes.
    assert.deepEqual(shatteredBy(a, b), { a: 1, b: 0 });
    // The list's length before the cut: a cut list says "top 2 of N" with the N counted here.
    const total = countNewVocabulary(a, b);
    assert.equal(total, newVocabulary(terms, a, b, Infinity).length);
    assert.ok(total > 2);
    assert.equal(newVocabulary(terms, a, b, 2).length, 2);
  });
});

describe('truncation', () => {
  it('counts chunks over maxTokens and the characters never embedded, by hand', async () => {
    const words = await loadTokenizer({ kind: 'words' });
    const text = 'one two three four five six';
    // Chunks [0,13) "one two three" (3 tokens) and [14,27) "four five six" (3 tokens); the space
    // at 13 is in no chunk. maxTokens 2: the first chunk is embedded up to "two" (7), the second
    // up to "five" (23). Never embedded: 7..14 and 23..27 = 7 + 4 = 11 of 27 characters.
    const chunks = [
      { file: 'f', start: 0, end: 13, text: text.slice(0, 13), embedText: text.slice(0, 13) },
      { file: 'f', start: 14, end: 27, text: text.slice(14), embedText: text.slice(14) },
    ];
    const lengths = new Map([['f', text.length]]);
    const cut = await truncationStats(chunks, lengths, words, 2);
    assert.deepEqual(cut.tokens, [3, 3]);
    assert.deepEqual(cut.stats, { maxTokens: 2, share: 1, textShare: Number((11 / 27).toPrecision(4)), truncated: 2, zeroVectors: 0 });
    const whole = await truncationStats(chunks, lengths, words, 3);
    // Nothing cut: only the one space between the chunks is never embedded.
    assert.deepEqual(whole.stats, { maxTokens: 3, share: 0, textShare: Number((1 / 27).toPrecision(4)), truncated: 0, zeroVectors: 0 });
    assert.equal((await truncationStats(chunks, lengths, words, undefined)).stats.maxTokens, null);
  });

  it('zeroVectorRows finds the rows that are all zeros, and only those', () => {
    // Rows of dimension 3: zero, tiny but not zero, zero, -0 everywhere (still the zero vector), unit.
    const v = new Float32Array([0, 0, 0, 0, 1e-30, 0, 0, 0, 0, -0, -0, -0, 1, 0, 0]);
    assert.deepEqual(zeroVectorRows(v, 3), [0, 2, 3]);
    assert.deepEqual(zeroVectorRows(new Float32Array(0), 3), []);
  });
});
