// Small tokenizer.json files written by hand, so expected tokens are known exactly: a byte-level
// BPE (GPT-2 style) and a sentencepiece-style Unigram with "▁".

/** GPT-2's byte -> printable character table (the published algorithm). */
function byteLevelAlphabet(): string[] {
  const bytes: number[] = [];
  for (let b = 33; b <= 126; b++) bytes.push(b);
  for (let b = 161; b <= 172; b++) bytes.push(b);
  for (let b = 174; b <= 255; b++) bytes.push(b);
  const chars = bytes.slice();
  let extra = 0;
  for (let b = 0; b < 256; b++) if (!bytes.includes(b)) { bytes.push(b); chars.push(256 + extra++); }
  const table: string[] = new Array(256);
  bytes.forEach((b, i) => { table[b] = String.fromCharCode(chars[i]!); });
  return table;
}

export function byteLevelBpeJson(): object {
  const vocab: Record<string, number> = { '<|endoftext|>': 0 };
  for (const ch of byteLevelAlphabet()) vocab[ch] = Object.keys(vocab).length;
  const merges = ['h e', 'he l', 'hel l', 'hell o', '\u0120 w', '\u0120w o', '\u0120wo r', '\u0120wor l', '\u0120worl d'];
  for (const merge of merges) vocab[merge.replace(' ', '')] = Object.keys(vocab).length;
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    added_tokens: [{ id: 0, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: byteLevel,
    decoder: byteLevel,
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, vocab, merges },
  };
}

export function unigramMetaspaceJson(): object {
  const metaspace = { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true };
  const pieces: Array<[string, number]> = [
    ['<unk>', 0], ['\u2581hello', -1], ['\u2581world', -1], ['\u2581', -2],
    ...'helowrd'.split('').map((ch): [string, number] => [ch, -3]),
  ];
  return {
    version: '1.0',
    added_tokens: [{ id: 0, content: '<unk>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
    normalizer: null,
    pre_tokenizer: metaspace,
    post_processor: null,
    decoder: metaspace,
    model: { type: 'Unigram', unk_id: 0, vocab: pieces, byte_fallback: false },
  };
}

/** Llama-style: sentencepiece BPE with "▁" from the normalizer and byte fallback ("<0xC3>"). */
export function llamaStyleBpeJson(): object {
  const vocab: Record<string, number> = { '<unk>': 0 };
  for (let b = 0; b < 256; b++) vocab[`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`] = Object.keys(vocab).length;
  for (const piece of ['\u2581', 'h', 'e', 'l', 'o', 'w', 'r', 'd']) vocab[piece] = Object.keys(vocab).length;
  const merges = ['\u2581 h', '\u2581h e', '\u2581he l', '\u2581hel l', '\u2581hell o', '\u2581 w', 'o r', '\u2581w or', '\u2581wor l', '\u2581worl d'];
  for (const merge of merges) vocab[merge.replace(' ', '')] = Object.keys(vocab).length;
  return {
    version: '1.0',
    added_tokens: [{ id: 0, content: '<unk>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
    normalizer: { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '\u2581' }, { type: 'Replace', pattern: { String: ' ' }, content: '\u2581' }] },
    pre_tokenizer: null,
    post_processor: null,
    decoder: { type: 'Sequence', decoders: [{ type: 'Replace', pattern: { String: '\u2581' }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }, { type: 'Strip', content: ' ', start: 1, stop: 0 }] },
    model: { type: 'BPE', dropout: null, unk_token: '<unk>', continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: true, byte_fallback: true, vocab, merges },
  };
}
