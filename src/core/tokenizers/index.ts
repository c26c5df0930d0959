// The tokenizer factory: one Tokenizer per TokenizerSpec, loaded once and cached.
import { describeTokenizer } from '../config/describe';
import type { TokenizerSpec } from '../config/types';
import { DriftError } from '../types';
import { bertUncasedTokenizerConfig, bertUncasedTokenizerJson } from './bert';
import { loadHfTokenizer, tokenizerFromJson } from './hf';
import { tiktokenTokenizer } from './tiktoken';
import type { Tokenizer } from './types';
import { wordsTokenizer } from './words';

export { bertUncasedTokenizerConfig, bertUncasedTokenizerJson, bertUncasedVocabulary } from './bert';
export { fromTransformersTokenizer, loadHfTokenizer, tokenizerFromJson, type TransformersTokenizerLike } from './hf';
export { tiktokenTokenizer } from './tiktoken';
export { wordsTokenizer } from './words';
export type { Encoding, Tokenizer } from './types';

const cache = new Map<string, Promise<Tokenizer>>();

/** The tokenizer a spec names; {kind:'model'} is the model's own, passed in by the caller. */
export function loadTokenizer(spec: TokenizerSpec, context: { modelTokenizer?: Tokenizer } = {}): Promise<Tokenizer> {
  if (spec.kind === 'model') {
    if (context.modelTokenizer) return Promise.resolve(context.modelTokenizer);
    return Promise.reject(new DriftError('tokenizer "model" needs the model\'s own tokenizer, and this model has none loaded: name one ("cl100k_base", "o200k_base", "bert-base-uncased", "words" or { "path": ... })', 'config'));
  }
  const key = spec.kind === 'hf' ? `hf:${spec.path}` : describeTokenizer(spec);
  let loading = cache.get(key);
  if (!loading) {
    loading = create(spec);
    cache.set(key, loading);
    // A failed load is not remembered: the user may fix the folder and try again.
    loading.catch(() => cache.delete(key));
  }
  return loading;
}

async function create(spec: Exclude<TokenizerSpec, { kind: 'model' }>): Promise<Tokenizer> {
  switch (spec.kind) {
    case 'tiktoken': return tiktokenTokenizer(spec.name);
    case 'words': return wordsTokenizer();
    case 'bert-base-uncased': return tokenizerFromJson(bertUncasedTokenizerJson(), bertUncasedTokenizerConfig(), 'bert-base-uncased');
    case 'hf': return loadHfTokenizer(spec.path);
  }
}
