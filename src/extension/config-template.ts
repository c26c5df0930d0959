// What "Create Configuration" offers and writes, without `vscode`: the models, chunker presets and
// tokenizer pairs of each step (with the words that explain them), the checks on a custom chunk
// size, the warnings where a chunk outgrows a model, and the commented embedding-drift.json (JSONC)
// the answers turn into. The quick-input flow itself is create-config.ts.
import { DEFAULT_K } from '../core/config/defaults';
import type { TOKENIZER_NAMES } from '../core/config/parse';

export type ComparisonKind = 'models' | 'chunkers' | 'snapshots';

/** A named tokenizer of the configuration file (`"tokenizer"`). */
export type TokenizerName = typeof TOKENIZER_NAMES[number];

/** A model the quick pick offers: a Hub id that transformers.js runs, with its conventions. */
export interface CuratedModel {
  id: string;
  description: string;
  pooling: 'mean' | 'cls';
  queryPrefix: string;
  documentPrefix: string;
  maxTokens: number;
}

/** Sentence-embedding models transformers.js runs (ONNX weights in the Xenova/onnx layout). */
export const CURATED_MODELS: readonly CuratedModel[] = [
  { id: 'Xenova/all-MiniLM-L6-v2', description: '384-d, 23 MB q8, fast general-purpose baseline', pooling: 'mean', queryPrefix: '', documentPrefix: '', maxTokens: 256 },
  { id: 'Xenova/bge-small-en-v1.5', description: '384-d, BAAI, strong small retriever (CLS pooling)', pooling: 'cls', queryPrefix: 'Represent this sentence for searching relevant passages: ', documentPrefix: '', maxTokens: 512 },
  { id: 'Xenova/e5-small-v2', description: '384-d, needs "query: " / "passage: " prefixes', pooling: 'mean', queryPrefix: 'query: ', documentPrefix: 'passage: ', maxTokens: 512 },
  { id: 'nomic-ai/nomic-embed-text-v1.5', description: '768-d, 8192 tokens, "search_query: " / "search_document: " prefixes', pooling: 'mean', queryPrefix: 'search_query: ', documentPrefix: 'search_document: ', maxTokens: 8192 },
  { id: 'Xenova/all-mpnet-base-v2', description: '768-d, sentence-transformers, higher quality, slower', pooling: 'mean', queryPrefix: '', documentPrefix: '', maxTokens: 384 },
  { id: 'Xenova/gte-small', description: '384-d, Alibaba GTE, mean pooling', pooling: 'mean', queryPrefix: '', documentPrefix: '', maxTokens: 512 },
  { id: 'Xenova/paraphrase-multilingual-MiniLM-L12-v2', description: '384-d, 50+ languages', pooling: 'mean', queryPrefix: '', documentPrefix: '', maxTokens: 128 },
];

/** A built-in embedder: runs offline, ships with the extension, needs no download. */
export interface BuiltinModel {
  /** The configuration's model string, e.g. "builtin:lexical". */
  id: string;
  description: string;
  /** Whether it captures meaning (a trained model) or only shared words. */
  semantic: boolean;
  /** The tokenizer that counts a "tokens"-sized chunk for it (it has no subword tokenizer of its own). */
  countingTokenizer: TokenizerName;
  /** Whether `"tokenizer": "model"` means something for it (GloVe's vocabulary shows the words it does not know). */
  ownTokenizer: boolean;
}

/**
 * The built-in embedders, in the order offered; the first semantic one is the offline default.
 * Adding one (e.g. `builtin:glove` once the core has it) is one entry here.
 */
export const BUILTIN_MODELS: readonly BuiltinModel[] = [
  { id: 'builtin:glove', description: 'built-in, offline, no download: GloVe 6B word vectors (Stanford, 2014), real semantics from a trained model; a word-vector baseline, not a transformer', semantic: true, countingTokenizer: 'bert-base-uncased', ownTokenizer: true },
  { id: 'builtin:lexical', description: 'built-in, offline, no download: hashed words and character n-grams (a lexical baseline, not a semantic model)', semantic: false, countingTokenizer: 'bert-base-uncased', ownTokenizer: false },
];

/** What one side embeds with: a curated/any Hub model, a local folder, or a built-in embedder. */
export type ModelChoice =
  | { kind: 'hub'; id: string }
  | { kind: 'local'; path: string; maxTokens?: number }
  | { kind: 'builtin'; id: string };

export interface ChunkerChoice {
  type: 'fixed' | 'recursive' | 'markdown' | 'sentence';
  size: number;
  overlap: number;
  unit: 'chars' | 'tokens';
  /** With unit "tokens": the tokenizer that counts them, always written out (never an implicit "words"). */
  tokenizer?: TokenizerName;
}

export interface SideChoice {
  label: string;
  model: ModelChoice;
  chunker: ChunkerChoice;
  /** The tokenizer the tokenization view uses for this side. */
  tokenizer: TokenizerName;
  /** A different corpus folder for this side (relative to the configuration file). */
  corpus?: string;
}

export interface ConfigChoices {
  kind: ComparisonKind;
  k: number;
  include: string[];
  /** An anchors file to name (kept from a configuration being replaced); commented out when absent. */
  anchors?: string;
  a: SideChoice;
  b: SideChoice;
}

export const CHUNKER_TYPES: readonly ChunkerChoice['type'][] = ['recursive', 'markdown', 'sentence', 'fixed'];

/** A chunker preset with the sentence that says what it is for. */
export interface ChunkerPreset { chunker: Omit<ChunkerChoice, 'tokenizer'>; explain: string }

/** Chunker presets the quick pick offers, in the order shown. */
export const CHUNKER_PRESETS: readonly ChunkerPreset[] = [
  { chunker: { type: 'recursive', size: 800, overlap: 100, unit: 'chars' }, explain: 'Splits at paragraphs, then sentences, then words, until a chunk fits 800 characters; 100 repeat between neighbors. A common default (LangChain-style).' },
  { chunker: { type: 'markdown', size: 400, overlap: 50, unit: 'chars' }, explain: 'Whole Markdown blocks under their heading path, code fences kept whole; smaller chunks give more precise hits with less context.' },
  { chunker: { type: 'recursive', size: 256, overlap: 32, unit: 'tokens' }, explain: 'Sized in tokens to fill a 256-token model (all-MiniLM-L6-v2) without truncation.' },
  { chunker: { type: 'markdown', size: 512, overlap: 64, unit: 'tokens' }, explain: 'Sized in tokens for 512-token models (bge, e5, gte): Markdown blocks up to a full window.' },
  { chunker: { type: 'sentence', size: 600, overlap: 0, unit: 'chars' }, explain: 'Whole sentences packed up to 600 characters, no overlap: never cuts a sentence.' },
  { chunker: { type: 'fixed', size: 1000, overlap: 200, unit: 'chars' }, explain: 'Cuts every 1000 characters whatever the text: the naive baseline to compare a smarter chunker with.' },
];

/** Characters per token used to estimate a character-sized chunk's length in tokens (English prose). */
export const CHARS_PER_TOKEN = 4;

/** e.g. "recursive 800/100 chars" or "recursive 256/32 tokens (bert-base-uncased)". */
export function describeChunkerChoice(c: ChunkerChoice): string {
  const base = `${c.type} ${c.size}/${c.overlap} ${c.unit}`;
  return c.unit === 'tokens' && c.tokenizer ? `${base} (${describeTokenizerName(c.tokenizer)})` : base;
}

export function describeTokenizerName(t: TokenizerName): string {
  return t === 'model' ? "the model's own tokenizer" : t;
}

/** The configuration's model string or object, as written; for a built-in, its id. */
export function describeModelChoice(m: ModelChoice): string {
  return m.kind === 'hub' ? m.id : m.kind === 'local' ? `${m.path} (local folder)` : m.id;
}

/** The model's maximum sequence length in tokens, when known (built-ins have none: they read every word). */
export function maxTokensOf(m: ModelChoice): number | undefined {
  if (m.kind === 'hub') return CURATED_MODELS.find((c) => c.id === m.id)?.maxTokens;
  if (m.kind === 'local') return m.maxTokens;
  return undefined;
}

/** Whether the model brings its own tokenizer.json (Hub and local ONNX models do, and built-ins that say so). */
export function hasOwnTokenizer(m: ModelChoice): boolean {
  return m.kind !== 'builtin' || BUILTIN_MODELS.some((b) => b.id === m.id && b.ownTokenizer);
}

/**
 * The tokenizer that counts a "tokens"-sized chunk. Two models compared on one chunking count with
 * one named tokenizer (BERT uncased WordPiece, the vocabulary of most curated models), so both sides
 * get identical chunks; one model counts with its own tokenizer, which is what it truncates by.
 */
export function countingTokenizer(kind: ComparisonKind, model: ModelChoice): TokenizerName {
  if (kind === 'models') return 'bert-base-uncased';
  if (model.kind === 'builtin') return BUILTIN_MODELS.find((b) => b.id === model.id)?.countingTokenizer ?? 'bert-base-uncased';
  return 'model';
}

/** The chunker with its counting tokenizer named when it counts tokens (and none when it counts characters). */
export function withCounting(chunker: ChunkerChoice, kind: ComparisonKind, model: ModelChoice): ChunkerChoice {
  const { tokenizer: _drop, ...rest } = chunker;
  return chunker.unit === 'tokens' ? { ...rest, tokenizer: countingTokenizer(kind, model) } : rest;
}

/**
 * Warnings for a chunker under the models it will feed: a chunk longer than a model's maximum length
 * loses its tail (never embedded). Character sizes are estimated at CHARS_PER_TOKEN.
 */
export function chunkWarnings(chunker: ChunkerChoice, models: ReadonlyArray<ModelChoice>): string[] {
  const out: string[] = [];
  for (const m of models) {
    const max = maxTokensOf(m);
    if (max === undefined) continue;
    const tokens = chunker.unit === 'tokens' ? chunker.size : Math.round(chunker.size / CHARS_PER_TOKEN);
    if (tokens <= max) continue;
    const size = chunker.unit === 'tokens' ? `${chunker.size} tokens` : `${chunker.size} characters (about ${tokens} tokens)`;
    const text = `${size} exceed ${describeModelChoice(m)}'s maximum of ${max} tokens: the rest of each chunk is never embedded`;
    if (!out.includes(text)) out.push(text);
  }
  return out;
}

/**
 * A custom chunker typed as "<type> <size>/<overlap> <chars|tokens>", e.g. "recursive 300/30 tokens".
 * Returns the chunker, or the one-line reason it is not one.
 */
export function parseChunkerText(text: string): ChunkerChoice | { error: string } {
  const m = /^\s*([a-z]+)\s+(\d+)\s*\/\s*(\d+)\s+([a-z]+)\s*$/i.exec(text);
  if (!m) return { error: 'Type it as "<type> <size>/<overlap> <chars|tokens>", e.g. "recursive 300/30 tokens"' };
  const type = m[1]!.toLowerCase() as ChunkerChoice['type'];
  const unit = m[4]!.toLowerCase().replace(/^characters?$/, 'chars').replace(/^token$/, 'tokens');
  const size = Number(m[2]);
  const overlap = Number(m[3]);
  if (!CHUNKER_TYPES.includes(type)) return { error: `"${m[1]}" is not a chunker: use ${CHUNKER_TYPES.join(', ')}` };
  if (unit !== 'chars' && unit !== 'tokens') return { error: `"${m[4]}" is not a unit: use chars or tokens` };
  const min = unit === 'tokens' ? 8 : 32;
  if (size < min) return { error: `A chunk of fewer than ${min} ${unit} holds almost nothing to embed (got ${size})` };
  if (size > 1_000_000) return { error: `A chunk of more than 1,000,000 ${unit} is a whole corpus (got ${size})` };
  if (overlap >= size) return { error: `The overlap must be smaller than the size (got ${overlap} >= ${size})` };
  return { type, size, overlap, unit };
}

/** A pair of tokenizers for the tokenization view, with why it is worth looking at. */
export interface TokenizerPair { a: TokenizerName; b: TokenizerName; label: string; explain: string }

/**
 * The pairs offered for the tokenization view, the default first. Never words against words unless
 * asked for: the view then has nothing to show. Each model's own tokenizer comes first when both
 * sides have one and they can differ.
 */
export function tokenizerPairs(kind: ComparisonKind, a: ModelChoice, b: ModelChoice): TokenizerPair[] {
  const pairs: TokenizerPair[] = [];
  const sameModel = kind !== 'models' || JSON.stringify(a) === JSON.stringify(b);
  if (hasOwnTokenizer(a) && hasOwnTokenizer(b) && !sameModel) {
    pairs.push({ a: 'model', b: 'model', label: "Each model's own tokenizer", explain: `${describeModelChoice(a)} against ${describeModelChoice(b)}: the pieces each model really sees` });
  }
  if (hasOwnTokenizer(b) && !sameModel) {
    pairs.push({ a: 'bert-base-uncased', b: 'model', label: "bert-base-uncased against B's own tokenizer", explain: `BERT's WordPiece against ${describeModelChoice(b)}'s tokenizer` });
  }
  if (hasOwnTokenizer(a) && sameModel) {
    pairs.push({ a: 'model', b: 'o200k_base', label: "The model's own tokenizer against o200k_base", explain: `${describeModelChoice(a)}'s tokenizer against GPT-4o's byte-level BPE: which of your terms a model from before them shatters` });
  }
  pairs.push(
    { a: 'bert-base-uncased', b: 'o200k_base', label: 'bert-base-uncased against o200k_base', explain: "BERT's 2018 WordPiece (MiniLM, bge, e5, gte) against GPT-4o's byte-level BPE: your new vocabulary, piece by piece" },
    { a: 'bert-base-uncased', b: 'cl100k_base', label: 'bert-base-uncased against cl100k_base', explain: "BERT's WordPiece against OpenAI's text-embedding-3 tokenizer" },
    { a: 'cl100k_base', b: 'o200k_base', label: 'cl100k_base against o200k_base', explain: "OpenAI's text-embedding-3 tokenizer against GPT-4o's" },
    { a: 'words', b: 'words', label: 'Words on both sides', explain: 'No subword view: the tokenization tab then has nothing to compare' },
  );
  return pairs;
}

/** The JSON value of a side's `model` field: the curated model's conventions written out in full. */
export function modelValue(choice: ModelChoice): unknown {
  switch (choice.kind) {
    case 'builtin':
      return choice.id;
    case 'local':
      return { path: choice.path };
    case 'hub': {
      const curated = CURATED_MODELS.find((m) => m.id === choice.id);
      if (!curated) return choice.id;
      const value: Record<string, unknown> = { id: curated.id, dtype: 'q8', pooling: curated.pooling };
      if (curated.queryPrefix) value.queryPrefix = curated.queryPrefix;
      if (curated.documentPrefix) value.documentPrefix = curated.documentPrefix;
      return value;
    }
    default:
      return unreachable(choice);
  }
}

const KIND_COMMENT: Record<ComparisonKind, string> = {
  models: 'Two embedding models on the same corpus and chunking: how much does retrieval change?',
  chunkers: 'Two chunkers with the same model: which chunks lose their neighbors?',
  snapshots: 'One setup on two snapshots of the corpus: has the corpus drifted?',
};

/** The configuration file's anchors value for a path: POSIX separators, as the other paths. */
export const DEFAULT_ANCHORS_FILE = 'anchors.jsonl';

/**
 * The configuration file's text: JSON with comments that explain each field, valid for the
 * contributed schema (schemas/config.schema.json). Values are JSON-encoded, so any label, path
 * or glob the user typed is written safely.
 */
export function renderConfigFile(c: ConfigChoices): string {
  const j = (v: unknown): string => JSON.stringify(v);
  const inline = (v: unknown): string => j(v).replace(/,"/g, ', "').replace(/":/g, '": ');
  const side = (name: 'a' | 'b', s: SideChoice): string => {
    const lines = [
      `  // Configuration ${name.toUpperCase()}.`,
      `  ${j(name)}: {`,
      `    ${j('label')}: ${j(s.label)},`,
      `    // A Hub id, { "id": ..., "dtype", "pooling", "queryPrefix", "documentPrefix" }, { "path": "folder" } or a built-in (${BUILTIN_MODELS.map((m) => j(m.id)).join(', ')}).`,
      `    ${j('model')}: ${inline(modelValue(s.model))},`,
    ];
    if (s.corpus !== undefined) {
      lines.push(`    // The corpus folder this side reads (a snapshot), relative to this file.`);
      lines.push(`    ${j('corpus')}: ${j(s.corpus)},`);
    }
    const counted = s.chunker.unit === 'tokens' && s.chunker.tokenizer
      ? ` Its "tokenizer" counts the tokens (${describeTokenizerName(s.chunker.tokenizer)}).` : '';
    lines.push(
      `    // type: fixed | recursive | markdown | sentence; size and overlap in chars or tokens.${counted}`,
      `    ${j('chunker')}: ${inline(s.chunker)},`,
      `    // The tokenizer the tokenization view shows for this side: "model" (the model's own), "bert-base-uncased", "cl100k_base", "o200k_base" or "words".`,
      `    ${j('tokenizer')}: ${j(s.tokenizer)}`,
      `  }`,
    );
    return lines.join('\n');
  };
  const anchors = c.anchors === undefined
    ? [
      `  // Golden queries (JSONL lines {"query": "...", "expect": "docs/setup.md#L10-L40"}); without them,`,
      `  // markdown headings serve as anchors. "Add Selection as Drift Anchor" in the editor creates the file`,
      `  // and this field: // ${j('anchors')}: ${j(DEFAULT_ANCHORS_FILE)},`,
    ]
    : [
      `  // Golden queries (JSONL lines {"query": "...", "expect": "docs/setup.md#L10-L40"}).`,
      `  ${j('anchors')}: ${j(c.anchors)},`,
    ];
  return [
    `// Embedding Drift configuration (JSON with comments). ${KIND_COMMENT[c.kind]}`,
    `// Run "Embedding Drift: Compare Configurations" to see the report. Paths are relative to this file.`,
    `{`,
    `  // Which files make up the corpus (globs relative to this folder); .gitignore is honored.`,
    `  ${j('corpus')}: { ${j('include')}: ${j(c.include).replace(/","/g, '", "')} },`,
    `  // How many nearest neighbors each chunk is compared on.`,
    `  ${j('k')}: ${j(c.k)},`,
    ...anchors,
    side('a', c.a) + ',',
    side('b', c.b),
    `}`,
    ``,
  ].join('\n');
}

/** The steps of the flow for each kind: always WIZARD_STEPS of them, so the counter never jumps. */
export type WizardStep = 'kind' | 'modelA' | 'modelB' | 'model' | 'chunker' | 'chunkerA' | 'chunkerB' | 'snapshot' | 'tokenizers' | 'review';
export const WIZARD_STEPS: Record<ComparisonKind, readonly WizardStep[]> = {
  models: ['kind', 'modelA', 'modelB', 'chunker', 'tokenizers', 'review'],
  chunkers: ['kind', 'model', 'chunkerA', 'chunkerB', 'tokenizers', 'review'],
  snapshots: ['kind', 'model', 'snapshot', 'chunker', 'tokenizers', 'review'],
};

/** The answers the flow collects (a step may not be answered yet). */
export interface WizardAnswers {
  kind?: ComparisonKind;
  /** Side A's model; with one model for both sides (chunkers, snapshots), that model. */
  modelA?: ModelChoice;
  modelB?: ModelChoice;
  /** Side A's chunker; with one chunker for both sides (models, snapshots), that chunker. */
  chunkerA?: ChunkerChoice;
  chunkerB?: ChunkerChoice;
  /** The earlier snapshot's folder, relative to the workspace root when inside it. */
  snapshot?: string;
  tokenizers?: { a: TokenizerName; b: TokenizerName };
  /** An anchors file to keep (from a configuration being replaced). */
  anchors?: string;
}

/** Side B's model and chunker as the kind shares them. */
export function modelsOf(x: WizardAnswers): { a: ModelChoice | undefined; b: ModelChoice | undefined } {
  return { a: x.modelA, b: x.kind === 'models' ? x.modelB : x.modelA };
}

export function chunkersOf(x: WizardAnswers): { a: ChunkerChoice | undefined; b: ChunkerChoice | undefined } {
  return { a: x.chunkerA, b: x.kind === 'chunkers' ? x.chunkerB : x.chunkerA };
}

/** The configuration the answers describe, defaults filling what was not asked. */
export function choicesFromAnswers(x: WizardAnswers & { kind: ComparisonKind }): ConfigChoices {
  const c = defaultChoices(x.kind);
  const models = modelsOf(x);
  const chunkers = chunkersOf(x);
  const modelA = models.a ?? c.a.model, modelB = models.b ?? c.b.model;
  const pair = x.tokenizers ?? tokenizerPairs(x.kind, modelA, modelB)[0]!;
  c.a = { ...c.a, model: modelA, chunker: withCounting(chunkers.a ?? c.a.chunker, x.kind, modelA), tokenizer: pair.a };
  c.b = { ...c.b, model: modelB, chunker: withCounting(chunkers.b ?? c.b.chunker, x.kind, modelB), tokenizer: pair.b };
  if (x.kind === 'snapshots' && x.snapshot !== undefined) c.a.corpus = x.snapshot;
  if (x.anchors !== undefined) c.anchors = x.anchors;
  return c;
}

/** Every warning of the answers (chunks longer than a model's window), for the review step. */
export function answerWarnings(x: WizardAnswers & { kind: ComparisonKind }): string[] {
  const c = choicesFromAnswers(x);
  const warnings = [...chunkWarnings(c.a.chunker, [c.a.model]), ...chunkWarnings(c.b.chunker, [c.b.model])];
  if (c.a.tokenizer === 'words' && c.b.tokenizer === 'words') warnings.push('Words on both sides: the tokenization view will have nothing to compare');
  return [...new Set(warnings)];
}

/** The offline default model: the first semantic built-in, else the first built-in. */
export function offlineModel(): ModelChoice {
  const builtin = BUILTIN_MODELS.find((m) => m.semantic) ?? BUILTIN_MODELS[0]!;
  return { kind: 'builtin', id: builtin.id };
}

/** Sensible answers for a kind, so the flow needs as few questions as possible. */
export function defaultChoices(kind: ComparisonKind): ConfigChoices {
  const include = ['**/*.{md,mdx,txt,rst}', '**/*.{ts,js,py,go,rs,java}'];
  const first = CHUNKER_PRESETS[0]!.chunker;
  const second = CHUNKER_PRESETS[1]!.chunker;
  const offline = offlineModel();
  const choices = (a: Omit<SideChoice, 'tokenizer'>, b: Omit<SideChoice, 'tokenizer'>): ConfigChoices => {
    const pair = tokenizerPairs(kind, a.model, b.model)[0]!;
    return {
      kind, k: DEFAULT_K, include,
      a: { ...a, chunker: withCounting(a.chunker, kind, a.model), tokenizer: pair.a },
      b: { ...b, chunker: withCounting(b.chunker, kind, b.model), tokenizer: pair.b },
    };
  };
  switch (kind) {
    case 'models':
      return choices(
        { label: 'current', model: offline, chunker: first },
        { label: 'candidate', model: { kind: 'hub', id: 'Xenova/all-MiniLM-L6-v2' }, chunker: first });
    case 'chunkers':
      return choices({ label: 'current', model: offline, chunker: first }, { label: 'candidate', model: offline, chunker: second });
    case 'snapshots':
      return choices(
        { label: 'before', model: offline, chunker: first, corpus: 'snapshots/before' },
        { label: 'after', model: offline, chunker: first, corpus: '.' });
    default:
      return unreachable(kind);
  }
}

function unreachable(x: never): never {
  throw new Error(`unexpected value ${String(x)}`);
}
