// The output channel's rendering of a text tokenized under A and B (the tokenizing itself runs in
// the session worker: src/session/tokenizers.ts).
import type { TokenizedText } from '../shared/protocol';

/** Plain-text rendering for the output channel: "cl100k_base (5 tokens): Hello| world|...". */
export function describeTokenized(label: string, t: TokenizedText): string {
  const unknown = t.unknown.filter(Boolean).length;
  return `${label} ${t.tokenizer} (${t.pieces.length} tokens${unknown ? `, ${unknown} unknown` : ''}): ${t.pieces.join(' | ')}`;
}
