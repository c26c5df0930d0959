// Words and punctuation: the built-in lexical embedder's view of text. A word is a run of
// letters, digits, marks and underscores (apostrophes inside words kept); each other visible
// character is its own token. Ids are stable 32-bit hashes of the lower-cased piece.
import type { Encoding, Tokenizer } from './types';

const WORD_OR_SYMBOL = /[\p{L}\p{N}\p{M}_]+(?:['’][\p{L}\p{N}\p{M}_]+)*|[^\s\p{L}\p{N}\p{M}_]/gu;

/** FNV-1a over UTF-16 code units: deterministic, dependency-free ids for words. */
export function wordId(word: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) {
    hash ^= word.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function wordsTokenizer(): Tokenizer {
  return {
    name: 'words',
    encode(text: string): Encoding {
      const ids: number[] = [];
      const pieces: string[] = [];
      const offsets: Array<[number, number]> = [];
      for (const match of text.matchAll(WORD_OR_SYMBOL)) {
        const start = match.index;
        pieces.push(match[0]);
        offsets.push([start, start + match[0].length]);
        ids.push(wordId(match[0].toLowerCase()));
      }
      return { ids, pieces, offsets, unknown: ids.map(() => false) };
    },
    count(text: string): number {
      let n = 0;
      for (const _ of text.matchAll(WORD_OR_SYMBOL)) n++;
      return n;
    },
  };
}
