// Tokenizers from a tokenizer.json (WordPiece, BPE, Unigram) through transformers.js, with
// character offsets recovered by alignment because transformers.js does not report them.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { DriftError } from '../types';
import { alignTokens, type FoldRules, type TokenSpelling } from './align';
import type { Encoding, Tokenizer } from './types';

/** The parts of a transformers.js tokenizer this module uses (kept narrow so any version fits). */
export interface TransformersTokenizerLike {
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
  unk_token_id?: number | null | undefined;
  _tokenizerJSON?: unknown;
  _tokenizer?: { id_to_token?: (id: number) => string | undefined };
  model?: { vocab?: unknown };
}

function hasType(node: unknown, type: string): boolean {
  if (!node || typeof node !== 'object') return false;
  const record = node as Record<string, unknown>;
  if (record['type'] === type) return true;
  return ['pretokenizers', 'decoders', 'normalizers', 'processors'].some((key) =>
    Array.isArray(record[key]) && (record[key] as unknown[]).some((child) => hasType(child, type)));
}

function prependsMetaspace(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false;
  const record = node as Record<string, unknown>;
  if (record['type'] === 'Metaspace') {
    return record['prepend_scheme'] === 'always' || record['prepend_scheme'] === 'first' || record['add_prefix_space'] === true;
  }
  return Array.isArray(record['pretokenizers']) && (record['pretokenizers'] as unknown[]).some(prependsMetaspace);
}

/** What a tokenizer.json normalizer does that offset matching must undo; undefined when nothing. */
export function foldRules(normalizer: unknown): FoldRules | undefined {
  if (normalizer === null || normalizer === undefined) return undefined;
  const rules: FoldRules = { lowercase: false, stripAccents: false, compatibility: false, dropControls: false };
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    switch (n['type']) {
      case 'Sequence': (Array.isArray(n['normalizers']) ? n['normalizers'] : []).forEach(visit); break;
      case 'BertNormalizer': {
        const lowercase = n['lowercase'] !== false;
        rules.lowercase ||= lowercase;
        // BERT strips accents when asked, and by default whenever it lower-cases.
        rules.stripAccents ||= n['strip_accents'] === true || ((n['strip_accents'] === null || n['strip_accents'] === undefined) && lowercase);
        rules.dropControls ||= n['clean_text'] !== false;
        break;
      }
      case 'Lowercase': rules.lowercase = true; break;
      case 'StripAccents': rules.stripAccents = true; break;
      case 'NFKC': case 'NFKD': rules.compatibility = true; break;
      case 'NFC': case 'NFD': case 'Replace': case 'Prepend': case 'Strip': break;
      // Unknown or opaque (sentencepiece's Precompiled charsmap is NFKC-like): fold generously.
      default: rules.compatibility = true; rules.dropControls = true; break;
    }
  };
  visit(normalizer);
  return rules;
}

/** Reads from tokenizer.json how tokens are spelled (byte-level, "##", "▁", byte fallback). */
export function tokenSpelling(tokenizerJson: unknown): TokenSpelling {
  const json = (tokenizerJson ?? {}) as Record<string, unknown>;
  const model = (json['model'] ?? {}) as Record<string, unknown>;
  const byteLevel = hasType(json['pre_tokenizer'], 'ByteLevel') || hasType(json['decoder'], 'ByteLevel');
  const mentionsMetaspace = ['normalizer', 'pre_tokenizer', 'decoder'].some((key) => JSON.stringify(json[key] ?? null).includes('\u2581'));
  return {
    byteLevel,
    byteFallback: model['byte_fallback'] === true,
    continuingPrefix: typeof model['continuing_subword_prefix'] === 'string'
      ? model['continuing_subword_prefix']
      : model['type'] === 'WordPiece' ? '##' : '',
    endOfWordSuffix: typeof model['end_of_word_suffix'] === 'string' ? model['end_of_word_suffix'] : '',
    wholeWordUnknown: model['type'] === 'WordPiece',
    fold: foldRules(json['normalizer']),
    prependsSpace: hasType(json['normalizer'], 'Prepend') || prependsMetaspace(json['pre_tokenizer']),
    metaspace: !byteLevel && (mentionsMetaspace || model['type'] === 'Unigram') ? '\u2581' : undefined,
  };
}

/** Wraps an already-loaded transformers.js tokenizer (e.g. the embedding model's own) as a Tokenizer. */
export function fromTransformersTokenizer(tok: TransformersTokenizerLike | PreTrainedTokenizer, name: string): Tokenizer {
  const inner = tok as unknown as TransformersTokenizerLike;
  const spelling = tokenSpelling(inner._tokenizerJSON);
  const idToToken = inner._tokenizer?.id_to_token?.bind(inner._tokenizer);
  if (!idToToken) throw new DriftError(`${name}: this transformers.js tokenizer does not expose its vocabulary (id_to_token)`, 'model');
  const unknownId = typeof inner.unk_token_id === 'number' ? inner.unk_token_id : undefined;
  return {
    name,
    encode(text: string): Encoding {
      const ids = inner.encode(text, { add_special_tokens: false });
      const tokens = ids.map((id) => idToToken(id) ?? '');
      const unknown = ids.map((id) => id === unknownId);
      const aligned = alignTokens(text, tokens, unknown, spelling);
      return {
        ids,
        pieces: aligned.map((t) => t.piece),
        offsets: aligned.map((t) => [t.start, t.end] as [number, number]),
        unknown,
      };
    },
    count(text: string): number {
      return inner.encode(text, { add_special_tokens: false }).length;
    },
  };
}

/**
 * Builds a tokenizer from tokenizer.json + tokenizer_config.json objects, without touching disk
 * or transformers.js' global settings. The class is chosen by `tokenizer_class` the way
 * AutoTokenizer does (BertTokenizer, LlamaTokenizer...), else the generic one.
 */
export async function tokenizerFromJson(tokenizerJson: object, tokenizerConfig: object, name: string): Promise<Tokenizer> {
  const transformers = await import('@huggingface/transformers');
  const className = String((tokenizerConfig as { tokenizer_class?: unknown }).tokenizer_class ?? '').replace(/Fast$/, '');
  const exported = className.endsWith('Tokenizer') ? (transformers as unknown as Record<string, unknown>)[className] : undefined;
  const TokenizerClass = (typeof exported === 'function' ? exported : transformers.PreTrainedTokenizer) as typeof transformers.PreTrainedTokenizer;
  return fromTransformersTokenizer(new TokenizerClass(tokenizerJson, tokenizerConfig), name);
}

async function readJson(file: string, display: string, required: boolean): Promise<object | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new DriftError(`${display}: cannot read ${file} (${code})`, 'model', { cause: err });
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
    return value;
  } catch (err) {
    throw new DriftError(`${display}: ${path.basename(file)} in ${path.dirname(file)} is not valid JSON (${err instanceof Error ? err.message : String(err)})`, 'model', { cause: err });
  }
}

/** Loads tokenizer.json (+ tokenizer_config.json) from a local folder; never goes to the network. */
export async function loadHfTokenizer(folder: string, name?: string): Promise<Tokenizer> {
  const absolute = path.resolve(folder);
  const display = name ?? path.basename(absolute);
  const file = path.join(absolute, 'tokenizer.json');
  try {
    await fs.access(file);
  } catch {
    throw new DriftError(`${display}: no tokenizer.json in ${absolute}`, 'model');
  }
  const tokenizerJson = (await readJson(file, display, true))!;
  const tokenizerConfig = (await readJson(path.join(absolute, 'tokenizer_config.json'), display, false)) ?? {};
  try {
    return await tokenizerFromJson(tokenizerJson, tokenizerConfig, display);
  } catch (err) {
    if (err instanceof DriftError) throw err;
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new DriftError(`${display}: cannot load the tokenizer in ${absolute} (${reason})`, 'model', { cause: err });
  }
}
