// "Compare Tokenization of Selection" and the webview's live tokenize box: a text under the real
// tokenizers of configurations A and B, in the session worker. Tokenizers load once per
// configuration and are reused.
import type { DriftConfig, SideConfig } from '../core/config/types';
import { createEmbedder } from '../core/embedding';
import { loadTokenizer } from '../core/tokenizers';
import type { Tokenizer } from '../core/tokenizers/types';
import type { TokenizedText } from '../shared/protocol';

export interface TokenizerContext {
  cacheDir: string;
  allowNetwork: boolean;
}

/** The tokenizer a side's tokenization views use: its own setting, else its model's tokenizer. */
async function sideTokenizer(side: SideConfig, context: TokenizerContext): Promise<Tokenizer> {
  if (side.tokenizer.kind !== 'model') return loadTokenizer(side.tokenizer);
  // The model's own tokenizer comes with the model; the embedder is closed once it is taken.
  const embedder = await createEmbedder(side.model, { cacheDir: context.cacheDir, allowNetwork: context.allowNetwork, workers: 1 });
  try {
    return await loadTokenizer(side.tokenizer, { modelTokenizer: embedder.tokenizer });
  } finally {
    await embedder.dispose();
  }
}

export class SelectionTokenizers {
  private key = '';
  private loaded: Promise<{ a: Tokenizer; b: Tokenizer }> | undefined;

  async tokenize(config: DriftConfig, context: TokenizerContext, text: string): Promise<{ a: TokenizedText; b: TokenizedText }> {
    const key = JSON.stringify([config.a.model, config.a.tokenizer, config.b.model, config.b.tokenizer, context.allowNetwork]);
    if (key !== this.key || !this.loaded) {
      this.key = key;
      this.loaded = Promise.all([sideTokenizer(config.a, context), sideTokenizer(config.b, context)]).then(([a, b]) => ({ a, b }));
      // A failed load is not kept: the next request tries again (e.g. after a model download).
      this.loaded.catch(() => { if (this.key === key) this.loaded = undefined; });
    }
    const { a, b } = await this.loaded;
    return { a: toTokenized(a, text), b: toTokenized(b, text) };
  }
}

export function toTokenized(tokenizer: Tokenizer, text: string): TokenizedText {
  const e = tokenizer.encode(text);
  return { tokenizer: tokenizer.name, pieces: e.pieces, offsets: e.offsets, unknown: e.unknown };
}
