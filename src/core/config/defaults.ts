// Default values of the workspace configuration, in one place: the parser, defaultConfig() and
// the JSON schema's "default" entries all agree with these (a unit test checks the schema).
import * as path from 'node:path';
import type { ChunkerSpec, CorpusSpec, DriftConfig, PreprocessSpec, SearchSpec, SideConfig, StoreColumns } from './types';

/** The documented configuration file name (at the workspace root or in .vscode/). */
export const CONFIG_FILE_NAME = 'embedding-drift.json';

/** Text and source files a RAG corpus is usually made of; binary and generated files stay out. */
export const DEFAULT_INCLUDE: readonly string[] = [
  '**/*.{md,markdown,mdx,txt,text,rst,adoc,asciidoc,org,tex,html,htm,xml,csv,tsv}',
  '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,py,ipynb,go,rs,java,kt,kts,scala,c,h,cc,cpp,hpp,cxx,cs,fs,rb,php,swift,m,mm,lua,r,jl,dart,ex,exs,erl,hs,ml,clj,sql,sh,bash,zsh,ps1,vue,svelte,css,scss,less}',
  '**/*.{json,jsonc,yaml,yml,toml,ini,cfg,conf,properties,proto,graphql,gql,tf}',
  '**/{README,LICENSE,CHANGELOG,CONTRIBUTING,NOTICE,AUTHORS,Dockerfile,Makefile}',
];

export const DEFAULT_EXCLUDE: readonly string[] = [
  '**/node_modules/**', '**/.git/**', '**/.hg/**', '**/.svn/**', '**/dist/**', '**/out/**',
  '**/build/**', '**/target/**', '**/coverage/**', '**/.vscode-test/**', '**/.venv/**',
  '**/venv/**', '**/__pycache__/**', '**/.next/**', '**/.cache/**', '**/.drift/**',
  '**/*.min.js', '**/*.map', '**/package-lock.json', '**/yarn.lock', '**/pnpm-lock.yaml',
];

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;
export const DEFAULT_K = 10;
export const DEFAULT_CHURN_THRESHOLD = 0.5;
export const DEFAULT_SEED = 42;
export const DEFAULT_LEXICAL_DIMENSION = 384;
export const DEFAULT_ENDPOINT_BATCH_SIZE = 64;
export const DEFAULT_ENDPOINT_CONCURRENCY = 2;

export const DEFAULT_ENDPOINT_URL = {
  openai: 'https://api.openai.com/v1',
  ollama: 'http://localhost:11434',
  tei: 'http://localhost:8080',
} as const;

/** Column names a store is read with unless the configuration names others. */
export const DEFAULT_STORE_COLUMNS: Readonly<StoreColumns> = {
  vector: 'vector', text: 'text', id: 'id', file: 'path', start: 'start', end: 'end', model: 'model',
};

/** A store holding more than this many values (rows x dimension, 200 MB of float32) is sampled unless the configuration sets "sample". */
export const STORE_SAMPLE_ABOVE = 50_000_000;
/** Rows sampled from such a store. */
export const STORE_DEFAULT_SAMPLE = 20_000;

export function defaultSearch(): SearchSpec {
  return { method: 'auto', hnswThreshold: 50000, m: 16, efConstruction: 200, efSearch: 64 };
}

export function defaultPreprocess(): PreprocessSpec {
  return { normalize: 'none', collapseWhitespace: false, stripMarkdown: false };
}

/** Chunkers of the two sides when nothing is configured: a visible, typical difference. */
export function defaultChunker(side: 'a' | 'b'): ChunkerSpec {
  return side === 'a'
    ? { type: 'recursive', size: 800, overlap: 100, unit: 'chars' }
    : { type: 'markdown', size: 400, overlap: 50, unit: 'chars' };
}

export function defaultCorpus(root: string): CorpusSpec {
  return {
    root: path.resolve(root),
    include: [...DEFAULT_INCLUDE],
    exclude: [...DEFAULT_EXCLUDE],
    gitignore: true,
    maxFileBytes: DEFAULT_MAX_FILE_BYTES,
  };
}

function defaultSide(side: 'a' | 'b'): SideConfig {
  return {
    label: side.toUpperCase(),
    model: { kind: 'builtin', name: 'lexical', dimension: DEFAULT_LEXICAL_DIMENSION },
    chunker: defaultChunker(side),
    preprocess: defaultPreprocess(),
    tokenizer: { kind: 'words' },
  };
}

/** builtin:lexical on both sides, recursive 800/100 vs markdown 400/50 chars: a folder without a configuration still compares. */
export function defaultConfig(root: string): DriftConfig {
  const baseDir = path.resolve(root);
  return {
    baseDir,
    corpus: defaultCorpus(baseDir),
    k: DEFAULT_K,
    churnThreshold: DEFAULT_CHURN_THRESHOLD,
    autoAnchors: true,
    search: defaultSearch(),
    seed: DEFAULT_SEED,
    a: defaultSide('a'),
    b: defaultSide('b'),
  };
}
