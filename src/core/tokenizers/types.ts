// One interface over every tokenizer the product shows or counts with.

export interface Encoding {
  ids: number[];
  /** Human-readable piece of each token (e.g. "##ing", "Ġthe" rendered as " the"). */
  pieces: string[];
  /** [start, end) character offsets of each token in the input text. */
  offsets: Array<[number, number]>;
  /** True where the token is the tokenizer's unknown token. */
  unknown: boolean[];
}

export interface Tokenizer {
  /** Stable display name, e.g. "cl100k_base" or "Xenova/all-MiniLM-L6-v2". */
  readonly name: string;
  /** Tokens without special tokens ([CLS], <s>, ...). */
  encode(text: string): Encoding;
  /** Number of tokens encode() would give, possibly faster. */
  count(text: string): number;
}
