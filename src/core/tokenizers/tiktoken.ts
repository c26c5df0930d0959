// OpenAI's cl100k_base and o200k_base (gpt-tokenizer): exact byte-level BPE with no
// normalization, so a token's bytes locate it in the text. A character split over several tokens
// belongs to the token holding its first byte; a token made only of the rest of a character has an
// empty span at that character's end (piece ""), so pieces never overlap and still count every token.
import cl100k from 'gpt-tokenizer/encoding/cl100k_base';
import o200k from 'gpt-tokenizer/encoding/o200k_base';
import type { Encoding, Tokenizer } from './types';

type Codec = typeof cl100k;

const CODECS: Record<'cl100k_base' | 'o200k_base', Codec> = { cl100k_base: cl100k, o200k_base: o200k };

/** Special-token text in a document ("<|endoftext|>") is ordinary text here, never an error. */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

const utf8 = new TextEncoder();

/**
 * Byte length of each token. gpt-tokenizer keeps each rank's string or bytes in its core
 * processor (pinned version); its public decode() streams across calls and so cannot say where
 * a partial character belongs.
 */
function tokenByteLengths(codec: Codec, ids: readonly number[]): number[] | undefined {
  const table = (codec as unknown as { bytePairEncodingCoreProcessor?: { bytePairRankDecoder?: unknown } })
    .bytePairEncodingCoreProcessor?.bytePairRankDecoder;
  if (!Array.isArray(table)) return undefined;
  const lengths: number[] = [];
  for (const id of ids) {
    const entry: unknown = table[id];
    if (typeof entry === 'string') lengths.push(utf8.encode(entry).length);
    else if (Array.isArray(entry)) lengths.push(entry.length);
    else return undefined;
  }
  return lengths;
}

/** UTF-16 index of the character containing each UTF-8 byte of `text`, plus one entry for the end. */
function charIndexOfByte(text: string): Int32Array {
  const index = new Int32Array(utf8.encode(text).length + 1);
  let byte = 0;
  for (let i = 0; i < text.length;) {
    const code = text.codePointAt(i)!;
    const width = code > 0xffff ? 2 : 1;
    const bytes = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let k = 0; k < bytes; k++) index[byte + k] = i;
    byte += bytes;
    i += width;
  }
  index[byte] = text.length;
  return index;
}

export function tiktokenTokenizer(name: 'cl100k_base' | 'o200k_base'): Tokenizer {
  const codec = CODECS[name];
  return {
    name,
    encode(text: string): Encoding {
      const ids = codec.encode(text, PLAIN_TEXT);
      const lengths = tokenByteLengths(codec, ids);
      const offsets: Array<[number, number]> = new Array(ids.length);
      if (lengths) {
        const charAt = charIndexOfByte(text);
        const lastByte = charAt.length - 1;
        let byte = 0;
        /** Whether byte b begins a character (or is the end): the rest of a character is its first byte's token's. */
        const beginsCharacter = (b: number): boolean => b === 0 || b >= lastByte || charAt[b - 1] !== charAt[b];
        for (let i = 0; i < ids.length; i++) {
          let startByte = Math.min(byte, lastByte);
          const endByte = Math.min(byte + lengths[i]!, lastByte);
          while (!beginsCharacter(startByte)) startByte++;
          const start = charAt[startByte]!;
          // End on a character boundary: a token ending inside a character takes all of it.
          let end = charAt[endByte]!;
          if (endByte < lastByte && charAt[endByte - 1] === end) {
            let next = endByte;
            while (next < lastByte && charAt[next] === end) next++;
            end = charAt[next]!;
          }
          offsets[i] = [start, Math.max(start, end)];
          byte += lengths[i]!;
        }
      } else {
        // Fallback without byte lengths: whole tokens by their decoded length.
        let position = 0;
        ids.forEach((id, i) => {
          const length = codec.decode([id]).length;
          offsets[i] = [position, Math.min(text.length, position + length)];
          position = offsets[i]![1];
        });
      }
      return {
        ids,
        pieces: offsets.map(([start, end]) => text.slice(start, end)),
        offsets,
        unknown: ids.map(() => false),
      };
    },
    count(text: string): number {
      return codec.encode(text, PLAIN_TEXT).length;
    },
  };
}
