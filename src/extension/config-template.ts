// Writes the commented configuration file (JSONC) that "Create Configuration" produces from the
// user's quick-pick answers, and holds the curated list of models offered there. Pure, no `vscode`.

export type ComparisonKind = 'models' | 'chunkers' | 'snapshots';

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

/** What one side embeds with: a curated/any Hub model, a local folder, or the built-in embedder. */
export type ModelChoice =
  | { kind: 'hub'; id: string }
  | { kind: 'local'; path: string }
  | { kind: 'builtin' };

export interface ChunkerChoice {
  type: 'fixed' | 'recursive' | 'markdown' | 'sentence';
  size: number;
  overlap: number;
  unit: 'chars' | 'tokens';
}

export interface SideChoice {
  label: string;
  model: ModelChoice;
  chunker: ChunkerChoice;
  /** A different corpus folder for this side (relative to the configuration file). */
  corpus?: string;
}

export interface ConfigChoices {
  kind: ComparisonKind;
  k: number;
  include: string[];
  a: SideChoice;
  b: SideChoice;
}

/** Chunker presets the quick pick offers, in the order shown. */
export const CHUNKER_PRESETS: readonly ChunkerChoice[] = [
  { type: 'recursive', size: 800, overlap: 100, unit: 'chars' },
  { type: 'markdown', size: 400, overlap: 50, unit: 'chars' },
  { type: 'recursive', size: 256, overlap: 32, unit: 'tokens' },
  { type: 'markdown', size: 512, overlap: 64, unit: 'tokens' },
  { type: 'sentence', size: 600, overlap: 0, unit: 'chars' },
  { type: 'fixed', size: 1000, overlap: 200, unit: 'chars' },
];

export function describeChunkerChoice(c: ChunkerChoice): string {
  return `${c.type} ${c.size}/${c.overlap} ${c.unit}`;
}

/** The JSON value of a side's `model` field: the curated model's conventions written out in full. */
export function modelValue(choice: ModelChoice): unknown {
  switch (choice.kind) {
    case 'builtin':
      return 'builtin:lexical';
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

/**
 * The configuration file's text: JSON with comments that explain each field, valid for the
 * contributed schema (schemas/config.schema.json). Values are JSON-encoded, so any label, path
 * or glob the user typed is written safely.
 */
export function renderConfigFile(c: ConfigChoices): string {
  const j = (v: unknown): string => JSON.stringify(v);
  const side = (name: 'a' | 'b', s: SideChoice): string => {
    const lines = [
      `  // Configuration ${name.toUpperCase()}.`,
      `  ${j(name)}: {`,
      `    ${j('label')}: ${j(s.label)},`,
      `    // A Hub id, { "id": ..., "dtype", "pooling", "queryPrefix", "documentPrefix" }, { "path": "folder" } or "builtin:lexical".`,
      `    ${j('model')}: ${j(modelValue(s.model))},`,
    ];
    if (s.corpus !== undefined) {
      lines.push(`    // The corpus folder this side reads (a snapshot), relative to this file.`);
      lines.push(`    ${j('corpus')}: ${j(s.corpus)},`);
    }
    lines.push(
      `    // type: fixed | recursive | markdown | sentence; size and overlap in chars or tokens.`,
      `    ${j('chunker')}: ${j(s.chunker).replace(/,"/g, ', "').replace(/":/g, '": ')}`,
      `  }`,
    );
    return lines.join('\n');
  };
  return [
    `// Embedding Drift configuration (JSON with comments). ${KIND_COMMENT[c.kind]}`,
    `// Run "Embedding Drift: Compare Configurations" to see the report. Paths are relative to this file.`,
    `{`,
    `  // Which files make up the corpus (globs relative to this folder); .gitignore is honored.`,
    `  ${j('corpus')}: { ${j('include')}: ${j(c.include).replace(/","/g, '", "')} },`,
    `  // How many nearest neighbors each chunk is compared on.`,
    `  ${j('k')}: ${j(c.k)},`,
    `  // Golden queries (JSONL lines {"query": "...", "expect": "docs/setup.md#L10-L40"}); without them,`,
    `  // markdown headings serve as anchors. "Add Selection as Drift Anchor" in the editor creates the file`,
    `  // and this field: // ${j('anchors')}: ${j('anchors.jsonl')},`,
    side('a', c.a) + ',',
    side('b', c.b),
    `}`,
    ``,
  ].join('\n');
}

/** Sensible answers for a kind, so the flow needs as few questions as possible. */
export function defaultChoices(kind: ComparisonKind): ConfigChoices {
  const include = ['**/*.{md,mdx,txt,rst}', '**/*.{ts,js,py,go,rs,java}'];
  const first = CHUNKER_PRESETS[0] ?? { type: 'recursive', size: 800, overlap: 100, unit: 'chars' };
  const second = CHUNKER_PRESETS[1] ?? first;
  switch (kind) {
    case 'models':
      return {
        kind, k: 10, include,
        a: { label: 'current', model: { kind: 'builtin' }, chunker: first },
        b: { label: 'candidate', model: { kind: 'hub', id: 'Xenova/all-MiniLM-L6-v2' }, chunker: first },
      };
    case 'chunkers':
      return {
        kind, k: 10, include,
        a: { label: 'current', model: { kind: 'builtin' }, chunker: first },
        b: { label: 'candidate', model: { kind: 'builtin' }, chunker: second },
      };
    case 'snapshots':
      return {
        kind, k: 10, include,
        a: { label: 'before', model: { kind: 'builtin' }, chunker: first, corpus: 'snapshots/before' },
        b: { label: 'after', model: { kind: 'builtin' }, chunker: first, corpus: '.' },
      };
    default:
      return unreachable(kind);
  }
}

function unreachable(x: never): never {
  throw new Error(`unexpected value ${String(x)}`);
}
