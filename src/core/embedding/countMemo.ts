// Token counts of a model's tokenizer, remembered across runs in this process (the extension host
// reruns compare() with the same model): a rerun counts only the chunks it has not seen.
import { createHash } from 'node:crypto';
import type { Tokenizer } from '../tokenizers/types';

/** Counts kept per tokenizer; past this the memo starts afresh (a 40-character hash key and a number each). */
const MAX_ENTRIES = 200_000;
/** A few tokenizers at most: models the user compared recently. */
const MAX_TOKENIZERS = 4;

const memos = new Map<string, Map<string, number>>();

function memoFor(key: string): Map<string, number> {
  let memo = memos.get(key);
  if (memo) {
    // Most recently used last, so the oldest is dropped first.
    memos.delete(key);
  } else {
    memo = new Map();
    if (memos.size >= MAX_TOKENIZERS) memos.delete(memos.keys().next().value as string);
  }
  memos.set(key, memo);
  return memo;
}

/** A tokenizer whose counts are remembered, and can be told a count someone else already took. */
export interface CountingTokenizer extends Tokenizer {
  /** Records `count(text)` found by another tokenization of `text` with the same tokenizer (the embedder's). */
  remember(text: string, count: number): void;
}

const textKeyOf = (text: string): string => createHash('sha1').update(text).digest('base64');

/**
 * `tokenizer` with `count` remembered by text hash. `key` must change whenever the counts could
 * (e.g. the hash of tokenizer.json and tokenizer_config.json); counts are exact, never estimates.
 * The text is keyed by a hash, not kept, so the memo does not hold a past corpus in memory.
 */
export function withCountMemo(tokenizer: Tokenizer, key: string): CountingTokenizer {
  const store = (memo: Map<string, number>, textKey: string, count: number): void => {
    if (memo.size >= MAX_ENTRIES) memo.clear();
    memo.set(textKey, count);
  };
  return {
    name: tokenizer.name,
    encode: (text) => tokenizer.encode(text),
    count(text: string): number {
      const memo = memoFor(key);
      const textKey = textKeyOf(text);
      const known = memo.get(textKey);
      if (known !== undefined) return known;
      const count = tokenizer.count(text);
      store(memo, textKey, count);
      return count;
    },
    remember(text: string, count: number): void {
      store(memoFor(key), textKeyOf(text), count);
    },
  };
}
