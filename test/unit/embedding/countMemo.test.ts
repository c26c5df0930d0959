// The token-count memo: exact counts of the wrapped tokenizer, each distinct text counted once per
// tokenizer key, and tokenizers under different keys never share counts.
import * as assert from 'node:assert/strict';
import { withCountMemo } from '../../../src/core/embedding/countMemo';
import { loadTokenizer } from '../../../src/core/tokenizers';
import type { Tokenizer } from '../../../src/core/tokenizers/types';

/** A real tokenizer that records which texts it was asked to count. */
async function counting(): Promise<{ tokenizer: Tokenizer; asked: string[] }> {
  const inner = await loadTokenizer({ kind: 'words' });
  const asked: string[] = [];
  return { asked, tokenizer: { name: inner.name, encode: (t) => inner.encode(t), count: (t) => { asked.push(t); return inner.count(t); } } };
}

describe('token-count memo', () => {
  it('gives the wrapped counts, counting each text once across wrappers of one key', async () => {
    const { tokenizer, asked } = await counting();
    const key = `test-${Date.now()}-a`;
    const first = withCountMemo(tokenizer, key);
    assert.equal(first.count('one two three'), 3);
    assert.equal(first.count('one two three'), 3);
    assert.equal(first.count('four, five'), tokenizer.count('four, five'));
    asked.length = 0;
    // A second embedder of the same model (the next run) reuses the counts.
    const second = withCountMemo(tokenizer, key);
    assert.equal(second.count('one two three'), 3);
    assert.deepEqual(asked, []);
    assert.equal(second.count('six'), 1);
    assert.deepEqual(asked, ['six']);
    assert.deepEqual(second.encode('one two').ids, tokenizer.encode('one two').ids);
  });

  it('keeps the counts of another key apart', async () => {
    const { tokenizer, asked } = await counting();
    const base = `test-${Date.now()}-b`;
    withCountMemo(tokenizer, base + '1').count('alpha beta');
    asked.length = 0;
    // Under another key the same text is counted again, by that tokenizer.
    const other = withCountMemo({ name: 'halves', encode: (t) => tokenizer.encode(t), count: (t) => { asked.push(t); return 40; } }, base + '2');
    assert.equal(other.count('alpha beta'), 40);
    assert.deepEqual(asked, ['alpha beta']);
  });
});
