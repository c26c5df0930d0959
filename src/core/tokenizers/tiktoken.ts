// OpenAI's cl100k_base and o200k_base (gpt-tokenizer): exact, no normalization, so decoded
// pieces concatenate back to the input and offsets are cumulative decoded lengths.
import * as cl100k from 'gpt-tokenizer/encoding/cl100k_base';
import * as o200k from 'gpt-tokenizer/encoding/o200k_base';
import type { Encoding, Tokenizer } from './types';

type Codec = { encode(text: string, options?: { disallowedSpecial?: Set<string> }): number[]; decode(ids: Iterable<number>): string };

const CODECS: Record<'cl100k_base' | 'o200k_base', Codec> = { cl100k_base: cl100k, o200k_base: o200k };

/** Special-token text in a document ("<|endoftext|>") is ordinary text here, never an error. */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

export function tiktokenTokenizer(name: 'cl100k_base' | 'o200k_base'): Tokenizer {
  const codec = CODECS[name];
  return {
    name,
    encode(text: string): Encoding {
      const ids = codec.encode(text, PLAIN_TEXT);
      const pieces: string[] = new Array(ids.length);
      const offsets: Array<[number, number]> = new Array(ids.length);
      let position = 0;
      let group: number[] = [];
      for (let i = 0; i < ids.length; i++) {
        group.push(i);
        const decoded = codec.decode(group.map((g) => ids[g]!));
        // A token that ends inside a UTF-8 character decodes to nothing (or U+FFFD): wait for the rest of it.
        const incomplete = decoded === '' || (decoded.endsWith('\uFFFD') && text[position + decoded.length - 1] !== '\uFFFD');
        if (incomplete && group.length < 4 && i + 1 < ids.length) continue;
        const end = Math.min(text.length, position + decoded.length);
        for (const g of group) { pieces[g] = decoded; offsets[g] = [position, end]; }
        position = end;
        group = [];
      }
      return { ids, pieces, offsets, unknown: ids.map(() => false) };
    },
    count(text: string): number {
      return codec.encode(text, PLAIN_TEXT).length;
    },
  };
}
