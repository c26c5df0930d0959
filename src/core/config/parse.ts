// Parses and validates the workspace configuration (JSON with comments) into a normalized
// DriftConfig: absolute paths, defaults filled, every problem reported at once.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { findNodeAtLocation, parse, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { DriftError } from '../types';
import { Checker, joinPath, showValue, type JsonObject } from './checker';
import {
  CONFIG_FILE_NAME, DEFAULT_CHURN_THRESHOLD, DEFAULT_ENDPOINT_BATCH_SIZE, DEFAULT_ENDPOINT_CONCURRENCY,
  DEFAULT_ENDPOINT_URL, DEFAULT_K, DEFAULT_LEXICAL_DIMENSION, DEFAULT_SEED, DEFAULT_STORE_COLUMNS, defaultConfig, defaultCorpus,
  defaultPreprocess, defaultSearch,
} from './defaults';
import type {
  ChunkerSpec, ChunkerType, ConfigIssue, CorpusSpec, DriftConfig, Dtype, ModelSpec, Pooling,
  PreprocessSpec, SearchSpec, Side, SideConfig, StoreColumns, StoreSpec, TokenizerSpec, VectorSpec,
} from './types';

/** Thrown for an invalid configuration; `issues` holds each problem, `message` one per line. */
export class ConfigError extends DriftError {
  constructor(readonly file: string, readonly issues: ConfigIssue[]) {
    super(issues.map((issue) => formatIssue(file, issue)).join('\n'), 'config');
  }
}

export function formatIssue(file: string, issue: ConfigIssue): string {
  const where = issue.line !== undefined ? `${file}:${issue.line}:${issue.column ?? 1}` : file;
  return issue.path ? `${where}: ${issue.path} ${issue.message}` : `${where}: ${issue.message}`;
}

const TOP_KEYS = ['$schema', 'corpus', 'k', 'churnThreshold', 'anchors', 'autoAnchors', 'search', 'sample', 'seed', 'noiseFloor', 'a', 'b'] as const;
const SIDE_KEYS = ['label', 'model', 'chunker', 'preprocess', 'tokenizer', 'corpus', 'vectors', 'store'] as const;
const VECTORS_KEYS = ['quantize', 'dimensions', 'rescore'] as const;
const STORE_COLUMN_KEYS = ['vector', 'text', 'id', 'start', 'end', 'model'] as const;
const LANCEDB_STORE_KEYS = ['lancedb', 'table', 'file', 'nprobes', 'refineFactor', ...STORE_COLUMN_KEYS] as const;
const FILE_STORE_KEYS = ['file', 'fileColumn', ...STORE_COLUMN_KEYS] as const;
const CORPUS_KEYS = ['root', 'include', 'exclude', 'gitignore', 'maxFileBytes'] as const;
const SEARCH_KEYS = ['method', 'hnswThreshold', 'm', 'efConstruction', 'efSearch'] as const;
const CHUNKER_KEYS = ['type', 'size', 'overlap', 'unit', 'tokenizer'] as const;
const PREPROCESS_KEYS = ['normalize', 'collapseWhitespace', 'stripMarkdown'] as const;
const ONNX_KEYS = ['dtype', 'pooling', 'normalize', 'queryPrefix', 'documentPrefix', 'maxTokens', 'backend'] as const;
const HUB_KEYS = ['id', 'revision', ...ONNX_KEYS] as const;
const LOCAL_KEYS = ['path', ...ONNX_KEYS] as const;
const ENDPOINT_KEYS = ['endpoint', 'url', 'name', 'apiKeyEnv', 'tokenizer', 'dimensions', 'batchSize', 'concurrency', 'queryPrefix', 'documentPrefix'] as const;
// "dimensions", as an endpoint's and a store's: one name for a vector's length in this file.
// "dimension" is its old spelling, still read so an existing file keeps working (schema: deprecated).
const BUILTIN_KEYS = ['builtin', 'dimensions', 'dimension', 'backend'] as const;
const BACKENDS = ['wasm', 'native', 'auto'] as const;

export const CHUNKER_TYPES: readonly ChunkerType[] = ['fixed', 'recursive', 'markdown', 'sentence'];
export const DTYPES: readonly Dtype[] = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4'];
export const POOLINGS: readonly Pooling[] = ['mean', 'cls', 'last'];
export const TOKENIZER_NAMES = ['model', 'cl100k_base', 'o200k_base', 'bert-base-uncased', 'words'] as const;
export const ENDPOINTS = ['openai', 'ollama', 'tei'] as const;

const HUB_ID = /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_HINT = 'is not allowed: keep keys out of the file; name the environment variable that holds the key in "apiKeyEnv"';

/** Parses configuration text; `filePath` names the file in messages and anchors relative paths. */
/** `oneSide`: the command uses side A only (baseline save), so "a" without "b" is complete. */
export interface ParseOptions { oneSide?: boolean }

export function parseConfig(text: string, filePath: string, options: ParseOptions = {}): DriftConfig {
  const absolute = path.resolve(filePath);
  const fileName = path.basename(absolute);
  const baseDir = path.dirname(absolute);
  const errors: ParseError[] = [];
  let raw: unknown;
  try {
    raw = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  } catch (err) {
    // jsonc-parser recurses per nesting level; hostile nesting overflows the stack before any real config would.
    if (!(err instanceof RangeError)) throw err;
    throw new ConfigError(fileName, [{ path: '', message: 'invalid JSON: nested too deeply' }]);
  }
  if (errors.length > 0) {
    throw new ConfigError(fileName, errors.map((error) => {
      const { line, column } = lineColumn(text, error.offset);
      return { path: '', message: `invalid JSON: ${syntaxText(printParseErrorCode(error.error))}`, line, column, offset: error.offset, length: error.length };
    }));
  }
  const checker = new Checker();
  const config = readConfig(raw, baseDir, checker, options);
  if (checker.issues.length > 0) throw new ConfigError(fileName, locate(text, checker.issues));
  config.configPath = absolute;
  return config;
}

/**
 * Reads, parses and validates a configuration file, then checks that the paths it names exist.
 * `corpusRoot` replaces corpus.root before that check (the CLI's --corpus), so a root that is
 * missing on this machine does not stop a run that names another.
 */
export async function loadConfig(filePath: string, overrides: { corpusRoot?: string } & ParseOptions = {}): Promise<DriftConfig> {
  const absolute = path.resolve(filePath);
  let text: string;
  try {
    text = await fs.readFile(absolute, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new DriftError(`${path.basename(absolute)}: cannot read the configuration file ${absolute} (${code})`, 'config', { cause: err });
  }
  text = text.replace(/^\uFEFF/, '');
  const config = parseConfig(text, absolute, overrides.oneSide ? { oneSide: true } : {});
  if (overrides.corpusRoot !== undefined) config.corpus.root = overrides.corpusRoot;
  const issues = await missingPaths(config);
  if (issues.length > 0) throw new ConfigError(path.basename(absolute), locate(text, issues));
  return config;
}

/** `embedding-drift.json` at the root, else `.vscode/embedding-drift.json`; undefined when neither exists. */
export async function findConfigFile(root: string): Promise<string | undefined> {
  for (const candidate of [path.join(root, CONFIG_FILE_NAME), path.join(root, '.vscode', CONFIG_FILE_NAME)]) {
    try {
      if ((await fs.stat(candidate)).isFile()) return path.resolve(candidate);
    } catch {
      // Not there: try the next place.
    }
  }
  return undefined;
}

function readConfig(raw: unknown, baseDir: string, c: Checker, options: ParseOptions): DriftConfig {
  const config = defaultConfig(baseDir);
  const top = c.object(raw, '', TOP_KEYS);
  if (!top) return config;
  config.corpus = readCorpus(top['corpus'], baseDir, c);
  config.k = c.number(top, 'k', '', DEFAULT_K, { integer: true, min: 1, max: 1000 });
  config.churnThreshold = c.number(top, 'churnThreshold', '', DEFAULT_CHURN_THRESHOLD, { min: 0, max: 1 });
  if (top['anchors'] !== undefined) {
    const anchors = c.string(top, 'anchors', '', '', { nonEmpty: true });
    if (anchors) config.anchors = path.resolve(baseDir, anchors);
  }
  config.autoAnchors = c.boolean(top, 'autoAnchors', '', true);
  config.search = readSearch(top['search'], c);
  if (top['sample'] !== undefined) {
    const sample = c.number(top, 'sample', '', 0, { integer: true, min: 2 });
    if (sample > 0) config.sample = sample;
  }
  config.seed = c.number(top, 'seed', '', DEFAULT_SEED, { integer: true, min: 0, max: 4294967295 });
  if (top['noiseFloor'] !== undefined) config.noiseFloor = c.boolean(top, 'noiseFloor', '', false);

  const hasA = top['a'] !== undefined;
  const hasB = top['b'] !== undefined;
  if (hasA !== hasB && !(options.oneSide && hasA)) {
    c.add(hasA ? 'b' : 'a', 'is missing: give both sides, "a" and "b", or neither (then both use the defaults)');
  }
  if (hasA) config.a = readSide(top['a'], 'a', baseDir, c, config.a);
  // B inherits what it does not set from A, so "b": { "corpus": "../snapshot" } compares snapshots.
  if (hasB) config.b = readSide(top['b'], 'b', baseDir, c, hasA ? config.a : config.b);
  // A side that is no store, next to one, embeds the store's texts unless it names its own corpus.
  for (const [side, other] of [['a', 'b'], ['b', 'a']] as const) {
    const s = config[side];
    if (!s.store && config[other].store && s.corpusRoot === undefined) s.textsOf = other;
    if (s.textsOf && isRecord(top[side]) && (top[side] as JsonObject)['chunker'] !== undefined) {
      c.add(`${side}.chunker`, `has no effect: ${side.toUpperCase()} embeds the texts of ${other.toUpperCase()}'s store as they are; give ${side} a "corpus" to chunk files instead`);
    }
  }
  return config;
}

function isRecord(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function readCorpus(value: unknown, baseDir: string, c: Checker): CorpusSpec {
  const corpus = defaultCorpus(baseDir);
  if (value === undefined) return corpus;
  if (typeof value === 'string') {
    corpus.root = path.resolve(baseDir, value);
    return corpus;
  }
  const record = c.object(value, 'corpus', CORPUS_KEYS);
  if (!record) return corpus;
  corpus.root = path.resolve(baseDir, c.string(record, 'root', 'corpus', '.', { nonEmpty: true }));
  corpus.include = c.stringList(record, 'include', 'corpus', corpus.include);
  if (Array.isArray(record['include']) && record['include'].length === 0) {
    c.add('corpus.include', 'must list at least one glob (an empty list would select no file)');
  }
  corpus.exclude = c.stringList(record, 'exclude', 'corpus', corpus.exclude);
  corpus.gitignore = c.boolean(record, 'gitignore', 'corpus', true);
  corpus.maxFileBytes = c.number(record, 'maxFileBytes', 'corpus', corpus.maxFileBytes, { integer: true, min: 1 });
  return corpus;
}

function readSearch(value: unknown, c: Checker): SearchSpec {
  const search = defaultSearch();
  if (value === undefined) return search;
  const record = c.object(value, 'search', SEARCH_KEYS);
  if (!record) return search;
  search.method = c.choice(record, 'method', 'search', ['auto', 'exact', 'hnsw'] as const, search.method);
  search.hnswThreshold = c.number(record, 'hnswThreshold', 'search', search.hnswThreshold, { integer: true, min: 0 });
  search.m = c.number(record, 'm', 'search', search.m, { integer: true, min: 2, max: 128 });
  search.efConstruction = c.number(record, 'efConstruction', 'search', search.efConstruction, { integer: true, min: 1, max: 10000 });
  search.efSearch = c.number(record, 'efSearch', 'search', search.efSearch, { integer: true, min: 1, max: 10000 });
  return search;
}

function readSide(value: unknown, side: Side, baseDir: string, c: Checker, inherited: SideConfig): SideConfig {
  const record = c.object(value, side, SIDE_KEYS);
  if (!record) return inherited;
  const label = c.string(record, 'label', side, side.toUpperCase(), { nonEmpty: true });
  let model = inherited.model;
  let endpointTokenizer: TokenizerSpec | undefined;
  if (record['model'] !== undefined) {
    const parsed = readModel(record['model'], joinPath(side, 'model'), baseDir, c);
    if (parsed) ({ model, endpointTokenizer } = parsed);
  }
  let tokenizer: TokenizerSpec;
  if (record['tokenizer'] !== undefined) {
    tokenizer = readTokenizer(record['tokenizer'], joinPath(side, 'tokenizer'), baseDir, c) ?? { kind: 'words' };
  } else if (record['model'] !== undefined) {
    tokenizer = endpointTokenizer ?? defaultTokenizerFor(model);
  } else {
    tokenizer = inherited.tokenizer;
  }
  if (tokenizer.kind === 'model' && model.kind === 'endpoint') {
    c.add(joinPath(side, 'tokenizer'), `"model" needs a model with its own tokenizer.json; a hosted endpoint has none: use "cl100k_base", "o200k_base", "bert-base-uncased", "words" or { "path": ... }`);
  }
  const chunker = record['chunker'] !== undefined
    ? readChunker(record['chunker'], joinPath(side, 'chunker'), baseDir, c, inherited.chunker)
    : { ...inherited.chunker };
  // An inherited chunker counts with this side's tokenizer, unless A's chunker named its own.
  if (record['chunker'] === undefined && JSON.stringify(inherited.chunker.tokenizer) === JSON.stringify(inherited.tokenizer)) {
    delete chunker.tokenizer;
  }
  if (chunker.unit === 'tokens' && !chunker.tokenizer) chunker.tokenizer = tokenizer;
  if (chunker.unit === 'chars') delete chunker.tokenizer;
  const preprocess = record['preprocess'] !== undefined
    ? readPreprocess(record['preprocess'], joinPath(side, 'preprocess'), c)
    : { ...inherited.preprocess };
  const result: SideConfig = { label, model, chunker, preprocess, tokenizer };
  // A side that sets "vectors" replaces A's setting whole ({} = float vectors as embedded); it
  // applies to a store side's stored vectors as well.
  const vectors = record['vectors'] !== undefined ? readVectors(record['vectors'], joinPath(side, 'vectors'), c) : inherited.vectors;
  if (vectors && Object.keys(vectors).length > 0) result.vectors = vectors;
  if (record['store'] !== undefined) {
    const store = readStore(record['store'], joinPath(side, 'store'), baseDir, c, inherited.store);
    if (store) result.store = store;
    result.storeModel = record['model'] !== undefined;
    for (const key of ['chunker', 'preprocess', 'corpus'] as const) {
      if (record[key] !== undefined) c.add(joinPath(side, key), `has no effect on a side read from a store (its chunks and vectors are the stored rows); remove it or the "store"`);
    }
    return result;
  }
  if (record['corpus'] !== undefined) {
    const root = c.string(record, 'corpus', side, '', { nonEmpty: true });
    if (root) result.corpusRoot = path.resolve(baseDir, root);
  } else if (inherited.corpusRoot !== undefined) {
    result.corpusRoot = inherited.corpusRoot;
  }
  return result;
}

function readVectors(value: unknown, at: string, c: Checker): VectorSpec | undefined {
  const record = c.object(value, at, VECTORS_KEYS);
  if (!record) return undefined;
  const spec: VectorSpec = {};
  if (record['quantize'] !== undefined) spec.quantize = c.choice(record, 'quantize', at, ['int8', 'binary'] as const, 'int8');
  if (record['dimensions'] !== undefined) spec.dimensions = c.number(record, 'dimensions', at, 1, { integer: true, min: 1, max: 65536 });
  if (record['rescore'] !== undefined) {
    spec.rescore = c.number(record, 'rescore', at, 1, { integer: true, min: 1, max: 1000 });
    if (record['quantize'] === undefined) c.add(joinPath(at, 'rescore'), 'reorders the candidates of a quantized index by the float vectors: set "quantize" too, or remove "rescore"');
  }
  return spec;
}

/** A URI with a scheme (s3://, gs://, az://, db://, file://): passed to LanceDB as it is; anything else is a folder. */
const URI = /^[a-z][a-z0-9+.-]*:\/\//i;
const VECTORS_FILE = /\.(parquet|jsonl|ndjson)$/i;

/**
 * A side's store: { "lancedb": dir or URI, "table": ... } or { "file": "vectors.parquet" | ".jsonl" },
 * plus column names. B's store starts from A's when it names neither "lancedb" nor "file" (another
 * column or table of the same database).
 */
function readStore(value: unknown, at: string, baseDir: string, c: Checker, inherited: StoreSpec | undefined): StoreSpec | undefined {
  if (!isRecord(value)) {
    c.add(at, `must be an object: { "lancedb": "folder", "table": "docs" } or { "file": "vectors.parquet" } (got ${showValue(value)})`);
    return undefined;
  }
  const raw = value as JsonObject;
  // "file" names the vectors file in a file store and the file column in a LanceDB store.
  const vectorsFile = typeof raw['file'] === 'string' && VECTORS_FILE.test(raw['file']);
  const newSource = raw['lancedb'] !== undefined || vectorsFile || !inherited;
  const lance = raw['lancedb'] !== undefined || (!newSource && inherited?.kind === 'lancedb');
  const record = c.object(value, at, lance ? LANCEDB_STORE_KEYS : FILE_STORE_KEYS);
  if (!record) return undefined;
  const base = newSource ? undefined : inherited;
  const columns: StoreColumns = { ...(base?.columns ?? DEFAULT_STORE_COLUMNS) };
  const explicit = new Set(base?.explicit ?? []);
  const column = (key: keyof StoreColumns, name: string): void => {
    if (record[name] === undefined) return;
    const v = c.string(record, name, at, '', { nonEmpty: true });
    if (v) { columns[key] = v; explicit.add(key); }
  };
  for (const key of STORE_COLUMN_KEYS) column(key, key);
  if (lance) {
    column('file', 'file');
    let uri = base?.kind === 'lancedb' ? base.uri : '';
    if (record['lancedb'] !== undefined) {
      const given = c.string(record, 'lancedb', at, '', { nonEmpty: true });
      if (given) uri = given.toLowerCase().startsWith('file://') ? path.resolve(baseDir, decodeURIComponent(given.slice(7))) : URI.test(given) ? given : path.resolve(baseDir, given);
    }
    let table = base?.kind === 'lancedb' ? base.table : '';
    if (record['table'] !== undefined) table = c.string(record, 'table', at, '', { nonEmpty: true });
    else if (!table) c.add(joinPath(at, 'table'), 'is required: the name of the LanceDB table that holds the vectors');
    const spec: StoreSpec = { kind: 'lancedb', uri, table, columns, explicit: [...explicit] };
    const inheritedLance = base?.kind === 'lancedb' ? base : undefined;
    for (const key of ['nprobes', 'refineFactor'] as const) {
      const value = record[key] !== undefined ? c.number(record, key, at, 0, { integer: true, min: 1, max: 100_000 }) : inheritedLance?.[key];
      if (value) spec[key] = value;
    }
    return spec;
  }
  column('file', 'fileColumn');
  let file = base?.kind === 'file' ? base.path : '';
  if (record['file'] !== undefined) {
    const given = c.string(record, 'file', at, '', { nonEmpty: true });
    if (given) file = path.resolve(baseDir, given);
  }
  if (!file) {
    c.add(at, 'needs "lancedb" (a LanceDB folder) with "table", or "file" (a .parquet or .jsonl vectors file)');
    return undefined;
  }
  if (!VECTORS_FILE.test(file)) {
    c.add(joinPath(at, 'file'), `must be a vectors file ending in .parquet, .jsonl or .ndjson (got ${showValue(path.basename(file))})`);
    return undefined;
  }
  return { kind: 'file', path: file, format: /\.parquet$/i.test(file) ? 'parquet' : 'jsonl', columns, explicit: [...explicit] };
}

function defaultTokenizerFor(model: ModelSpec): TokenizerSpec {
  // builtin:glove's own tokenizer.json is the interesting one: it shows the words GloVe does not know.
  if (model.kind === 'builtin') return model.name === 'glove' ? { kind: 'model' } : { kind: 'words' };
  if (model.kind === 'endpoint') return model.endpoint === 'openai' ? { kind: 'tiktoken', name: 'cl100k_base' } : { kind: 'words' };
  return { kind: 'model' };
}

function readModel(value: unknown, at: string, baseDir: string, c: Checker): { model: ModelSpec; endpointTokenizer?: TokenizerSpec } | undefined {
  if (typeof value === 'string') {
    if (value === 'builtin:lexical') return { model: { kind: 'builtin', name: 'lexical', dimension: DEFAULT_LEXICAL_DIMENSION } };
    if (value === 'builtin:glove') return { model: { kind: 'builtin', name: 'glove', backend: 'auto' } };
    if (value.startsWith('builtin:')) {
      c.add(at, `must name a built-in embedder: "builtin:lexical" or "builtin:glove" (got ${showValue(value)})`);
      return undefined;
    }
    if (HUB_ID.test(value)) return { model: { kind: 'hub', id: value, revision: 'main', ...defaultOnnx() } };
    const looksLikePath = /^(\.{1,2}[\\/]|[\\/]|[A-Za-z]:[\\/])/.test(value);
    c.add(at, looksLikePath
      ? `looks like a folder; write { "path": ${JSON.stringify(value)} } for a local model (got ${showValue(value)})`
      : `must be a Hugging Face model id like "Xenova/all-MiniLM-L6-v2", "builtin:lexical", or an object with "id", "path", "endpoint" or "builtin" (got ${showValue(value)})`);
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    c.add(at, `must be a model id string or an object with "id", "path", "endpoint" or "builtin" (got ${showValue(value)})`);
    return undefined;
  }
  const kinds = (['id', 'path', 'endpoint', 'builtin'] as const).filter((key) => key in value);
  if (kinds.length !== 1) {
    c.add(at, kinds.length === 0
      ? `needs one of "id" (Hub model), "path" (local folder), "endpoint" (hosted) or "builtin" (got keys: ${Object.keys(value).join(', ') || 'none'})`
      : `must have only one of "id", "path", "endpoint", "builtin" (got ${kinds.map((k) => `"${k}"`).join(' and ')})`);
    return undefined;
  }
  const hints = { apiKey: SECRET_HINT, key: SECRET_HINT, token: SECRET_HINT };
  switch (kinds[0]!) {
    case 'builtin': {
      const record = c.object(value, at, BUILTIN_KEYS);
      if (!record) return undefined;
      const name = c.choice(record, 'builtin', at, ['lexical', 'glove'] as const, 'lexical');
      if (name === 'glove') {
        // GloVe's dimension is the model's own (100).
        for (const key of ['dimensions', 'dimension']) {
          if (record[key] !== undefined) c.add(joinPath(at, key), 'applies to the lexical built-in only; builtin:glove has 100 dimensions');
        }
        return { model: { kind: 'builtin', name: 'glove', backend: c.choice(record, 'backend', at, BACKENDS, 'auto') } };
      }
      if (record['backend'] !== undefined) c.add(joinPath(at, 'backend'), 'applies to builtin:glove (an ONNX model) only; the lexical built-in runs in plain JavaScript');
      if (record['dimension'] !== undefined && record['dimensions'] !== undefined) {
        c.add(joinPath(at, 'dimension'), 'is the old name of "dimensions"; write only "dimensions"');
      }
      const key = record['dimensions'] === undefined && record['dimension'] !== undefined ? 'dimension' : 'dimensions';
      const dimension = c.number(record, key, at, DEFAULT_LEXICAL_DIMENSION, { integer: true, min: 8, max: 8192 });
      return { model: { kind: 'builtin', name: 'lexical', dimension } };
    }
    case 'id': {
      const record = c.object(value, at, HUB_KEYS, hints);
      if (!record) return undefined;
      const id = c.string(record, 'id', at, '', { nonEmpty: true });
      if (id && !HUB_ID.test(id)) c.add(joinPath(at, 'id'), `must be a Hugging Face model id like "Xenova/all-MiniLM-L6-v2" (got ${showValue(id)})`);
      const revision = c.string(record, 'revision', at, 'main', { nonEmpty: true });
      return { model: { kind: 'hub', id, revision, ...readOnnx(record, at, c) } };
    }
    case 'path': {
      const record = c.object(value, at, LOCAL_KEYS, hints);
      if (!record) return undefined;
      const folder = c.string(record, 'path', at, '', { nonEmpty: true });
      return { model: { kind: 'local', path: path.resolve(baseDir, folder), ...readOnnx(record, at, c) } };
    }
    case 'endpoint': {
      const record = c.object(value, at, ENDPOINT_KEYS, hints);
      if (!record) return undefined;
      const endpoint = c.choice(record, 'endpoint', at, ENDPOINTS, 'openai');
      const url = c.string(record, 'url', at, DEFAULT_ENDPOINT_URL[endpoint], { nonEmpty: true });
      if (!isHttpUrl(url)) c.add(joinPath(at, 'url'), `must be an http:// or https:// URL (got ${showValue(url)})`);
      if (record['name'] === undefined) c.add(joinPath(at, 'name'), `is required: the model name the endpoint serves, e.g. "text-embedding-3-small"`);
      const name = c.string(record, 'name', at, '', { nonEmpty: true });
      const model: ModelSpec = {
        kind: 'endpoint', endpoint, url, name,
        batchSize: c.number(record, 'batchSize', at, DEFAULT_ENDPOINT_BATCH_SIZE, { integer: true, min: 1, max: 2048 }),
        concurrency: c.number(record, 'concurrency', at, DEFAULT_ENDPOINT_CONCURRENCY, { integer: true, min: 1, max: 32 }),
        queryPrefix: c.string(record, 'queryPrefix', at, ''),
        documentPrefix: c.string(record, 'documentPrefix', at, ''),
      };
      if (record['apiKeyEnv'] !== undefined) {
        const env = c.string(record, 'apiKeyEnv', at, '', { nonEmpty: true });
        if (env && !ENV_NAME.test(env)) c.add(joinPath(at, 'apiKeyEnv'), `must be the name of an environment variable like "OPENAI_API_KEY", not the key itself (got a value of ${env.length} characters)`);
        else if (env) model.apiKeyEnv = env;
      }
      if (record['dimensions'] !== undefined) model.dimensions = c.number(record, 'dimensions', at, 0, { integer: true, min: 1, max: 65536 });
      const result: { model: ModelSpec; endpointTokenizer?: TokenizerSpec } = { model };
      if (record['tokenizer'] !== undefined) {
        const tokenizer = readTokenizer(record['tokenizer'], joinPath(at, 'tokenizer'), baseDir, c);
        if (tokenizer) result.endpointTokenizer = tokenizer;
      }
      return result;
    }
  }
}

function defaultOnnx(): { dtype: Dtype; pooling: Pooling; normalize: boolean; queryPrefix: string; documentPrefix: string; backend: 'auto' } {
  return { dtype: 'q8', pooling: 'mean', normalize: true, queryPrefix: '', documentPrefix: '', backend: 'auto' };
}

function readOnnx(record: JsonObject, at: string, c: Checker) {
  const defaults = defaultOnnx();
  const onnx = {
    dtype: c.choice(record, 'dtype', at, DTYPES, defaults.dtype),
    pooling: c.choice(record, 'pooling', at, POOLINGS, defaults.pooling),
    normalize: c.boolean(record, 'normalize', at, defaults.normalize),
    queryPrefix: c.string(record, 'queryPrefix', at, ''),
    documentPrefix: c.string(record, 'documentPrefix', at, ''),
    backend: c.choice(record, 'backend', at, BACKENDS, 'auto'),
  };
  if (record['maxTokens'] === undefined) return onnx;
  return { ...onnx, maxTokens: c.number(record, 'maxTokens', at, 512, { integer: true, min: 1, max: 1_000_000 }) };
}

function readTokenizer(value: unknown, at: string, baseDir: string, c: Checker): TokenizerSpec | undefined {
  if (typeof value === 'string') {
    const name = c.choiceValue(value, at, TOKENIZER_NAMES, 'words');
    if (name !== value) return undefined;
    if (name === 'cl100k_base' || name === 'o200k_base') return { kind: 'tiktoken', name };
    return { kind: name };
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = c.object(value, at, ['path']);
    if (!record) return undefined;
    if (record['path'] === undefined) {
      c.add(joinPath(at, 'path'), 'is required: the folder that holds tokenizer.json');
      return undefined;
    }
    const folder = c.string(record, 'path', at, '', { nonEmpty: true });
    return folder ? { kind: 'hf', path: path.resolve(baseDir, folder) } : undefined;
  }
  c.add(at, `must be one of ${TOKENIZER_NAMES.map((n) => `"${n}"`).join(', ')} or { "path": folder with tokenizer.json } (got ${showValue(value)})`);
  return undefined;
}

function readChunker(value: unknown, at: string, baseDir: string, c: Checker, inherited: ChunkerSpec): ChunkerSpec {
  const record = c.object(value, at, CHUNKER_KEYS);
  if (!record) return { ...inherited };
  const type = c.choice(record, 'type', at, CHUNKER_TYPES, inherited.type);
  const unit = c.choice(record, 'unit', at, ['chars', 'tokens'] as const, 'chars');
  const sizeDefault = unit === 'tokens' ? 256 : 800;
  const size = c.number(record, 'size', at, sizeDefault, { integer: true, min: 1, max: 10_000_000 });
  const overlapGiven = record['overlap'] !== undefined;
  const overlap = c.number(record, 'overlap', at, Math.floor(size / 8), { integer: true, min: 0 });
  if (overlapGiven && overlap >= size && typeof record['overlap'] === 'number') {
    c.add(joinPath(at, 'overlap'), `must be smaller than size (got ${overlap} >= ${size})`);
  }
  const chunker: ChunkerSpec = { type, size, overlap: overlap < size ? overlap : 0, unit };
  if (record['tokenizer'] !== undefined) {
    const tokenizer = readTokenizer(record['tokenizer'], joinPath(at, 'tokenizer'), baseDir, c);
    if (tokenizer) chunker.tokenizer = tokenizer;
    if (unit === 'chars') c.add(joinPath(at, 'tokenizer'), 'only counts with "unit": "tokens"; set the unit or remove the tokenizer');
  }
  return chunker;
}

function readPreprocess(value: unknown, at: string, c: Checker): PreprocessSpec {
  const preprocess = defaultPreprocess();
  const record = c.object(value, at, PREPROCESS_KEYS);
  if (!record) return preprocess;
  preprocess.normalize = c.choice(record, 'normalize', at, ['none', 'NFC', 'NFKC'] as const, 'none');
  preprocess.collapseWhitespace = c.boolean(record, 'collapseWhitespace', at, false);
  preprocess.stripMarkdown = c.boolean(record, 'stripMarkdown', at, false);
  return preprocess;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

async function missingPaths(config: DriftConfig): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  const check = async (at: string, target: string, want: 'file' | 'directory', what: string) => {
    try {
      const stat = await fs.stat(target);
      if (want === 'file' ? stat.isFile() : stat.isDirectory()) return;
      issues.push({ path: at, message: `must name a ${want === 'file' ? 'file' : 'folder'} (${target} is not one)` });
    } catch {
      issues.push({ path: at, message: `names ${what} that does not exist: ${target}` });
    }
  };
  // Two stores need no corpus folder.
  if (!(config.a.store && config.b.store)) await check('corpus.root', config.corpus.root, 'directory', 'a folder');
  if (config.anchors) await check('anchors', config.anchors, 'file', 'a file');
  for (const side of ['a', 'b'] as const) {
    const sideConfig = config[side];
    if (sideConfig.corpusRoot) await check(`${side}.corpus`, sideConfig.corpusRoot, 'directory', 'a folder');
    const store = sideConfig.store;
    if (store?.kind === 'file') await check(`${side}.store.file`, store.path, 'file', 'a file');
    if (store?.kind === 'lancedb' && !URI.test(store.uri)) await check(`${side}.store.lancedb`, store.uri, 'directory', 'a folder');
    if (sideConfig.model.kind === 'local') await check(`${side}.model.path`, sideConfig.model.path, 'directory', 'a folder');
    if (sideConfig.tokenizer.kind === 'hf') await check(`${side}.tokenizer.path`, path.join(sideConfig.tokenizer.path, 'tokenizer.json'), 'file', 'a tokenizer.json');
  }
  return issues;
}

/** Adds line/column to issues whose field can be found in the text (for editors and terminals). */
function locate(text: string, issues: ConfigIssue[]): ConfigIssue[] {
  const tree = parseTree(text);
  if (!tree) return issues;
  return issues.map((issue) => {
    if (!issue.path) return issue;
    const segments = issue.path.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== '')
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    let node = findNodeAtLocation(tree, segments);
    for (let cut = segments.length - 1; !node && cut > 0; cut--) node = findNodeAtLocation(tree, segments.slice(0, cut));
    if (!node) return issue;
    // For a property, point at its key, which is where the reader looks for the name.
    const target = node.parent?.type === 'property' ? node.parent : node;
    const { line, column } = lineColumn(text, target.offset);
    return { ...issue, line, column, offset: target.offset, length: target.length };
  });
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) { line++; lineStart = i + 1; }
  }
  return { line, column: offset - lineStart + 1 };
}

function syntaxText(code: string): string {
  const names: Record<string, string> = {
    InvalidSymbol: 'unexpected character', InvalidNumberFormat: 'invalid number', PropertyNameExpected: 'a property name in double quotes was expected',
    ValueExpected: 'a value was expected', ColonExpected: 'a colon was expected', CommaExpected: 'a comma was expected',
    CloseBraceExpected: 'a closing brace } was expected', CloseBracketExpected: 'a closing bracket ] was expected',
    EndOfFileExpected: 'nothing more was expected after the end', InvalidCommentToken: 'invalid comment',
    UnexpectedEndOfComment: 'a comment is not closed', UnexpectedEndOfString: 'a string is not closed',
    UnexpectedEndOfNumber: 'a number ends early', InvalidUnicode: 'invalid \\u escape', InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character',
  };
  return names[code] ?? code;
}
