// The contributed JSON schema and the parser enforce the same rules: what one accepts the other
// accepts, what one refuses the other refuses, and both fill the same defaults.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parseConfig } from '../../../src/core/config/index';

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../schemas/config.schema.json'), 'utf8'));
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
const FILE = '/w/embedding-drift.json';

const VALID: unknown[] = [
  {},
  { $schema: './schemas/config.schema.json', k: 5, seed: 0, churnThreshold: 0, sample: 1000, autoAnchors: false, anchors: 'a.jsonl' },
  { corpus: 'docs' },
  { corpus: { root: 'docs', include: '**/*.md', exclude: ['**/drafts/**'], gitignore: false, maxFileBytes: 1000 } },
  { search: { method: 'hnsw', hnswThreshold: 0, m: 32, efConstruction: 400, efSearch: 128 } },
  {
    a: { label: 'today', model: 'Xenova/all-MiniLM-L6-v2', chunker: { type: 'recursive', size: 800, overlap: 100, unit: 'chars' } },
    b: { label: 'candidate', model: { id: 'Xenova/bge-small-en-v1.5', dtype: 'q8', pooling: 'cls', queryPrefix: '' }, chunker: { type: 'markdown', size: 256, overlap: 32, unit: 'tokens' } },
  },
  { a: { model: 'builtin:lexical' }, b: { model: { builtin: 'lexical', dimensions: 256 }, tokenizer: 'bert-base-uncased' } },
  // The old spelling stays valid (deprecated) so an existing file keeps working.
  { a: { model: { builtin: 'lexical', dimension: 256 } }, b: {} },
  { a: { model: 'builtin:glove' }, b: { model: { builtin: 'glove', backend: 'wasm' } } },
  { a: { model: { path: 'models/mine', dtype: 'fp32', normalize: false, maxTokens: 256, backend: 'native' } }, b: { corpus: '../old' } },
  { a: {}, b: { model: { endpoint: 'openai', url: 'https://example.com/v1', name: 'text-embedding-3-small', apiKeyEnv: 'OPENAI_API_KEY', tokenizer: 'o200k_base', batchSize: 16, concurrency: 4 } } },
  { a: { tokenizer: { path: 'tok' }, preprocess: { normalize: 'NFC', collapseWhitespace: true, stripMarkdown: true } }, b: { chunker: { type: 'sentence', unit: 'tokens', tokenizer: 'cl100k_base' } } },
  { noiseFloor: true, a: {}, b: { vectors: { quantize: 'binary', dimensions: 256, rescore: 4 } } },
  { a: { vectors: { quantize: 'int8' } }, b: { vectors: {} } },
  { a: { store: { lancedb: 'index', table: 'docs' }, vectors: { quantize: 'binary', rescore: 2 } }, b: {} },
  { a: { store: { lancedb: 'index', table: 'docs' } }, b: { model: 'Xenova/bge-small-en-v1.5' } },
  { a: { label: 'prod', model: 'Xenova/all-MiniLM-L6-v2', store: { lancedb: 's3://bucket/db', table: 'docs', vector: 'embedding', text: 'chunk', id: 'uid', file: 'source', start: 'from', end: 'to', model: 'embedder' } }, b: { store: { vector: 'embedding_v2' } } },
  { a: { store: { lancedb: 'index', table: 'docs' } }, b: { store: { table: 'docs_v2', file: 'source' } } },
  { a: { store: { file: 'exports/qdrant.parquet', fileColumn: 'source' } }, b: { store: { file: 'exports/candidate.JSONL' } } },
];

const INVALID: unknown[] = [
  [],
  { k: 0 },
  { k: 1.5 },
  { churnThreshold: 2 },
  { unknownKey: 1 },
  { corpus: { include: [] } },
  { corpus: { maxFileBytes: 0 } },
  { search: { method: 'fast' } },
  { a: {} },
  { a: { modle: 'x' }, b: {} },
  { a: { model: 'builtin:tfidf' }, b: {} },
  { a: { model: './models/mine' }, b: {} },
  { a: { model: { id: 'x', path: 'y' } }, b: {} },
  { a: { model: { id: 'x', dtype: 'q9' } }, b: {} },
  { a: { model: { builtin: 'lexical', dimensions: 4 } }, b: {} },
  { a: { model: { builtin: 'lexical', dimension: 256, dimensions: 256 } }, b: {} },
  { a: { model: { builtin: 'glove', dimensions: 256 } }, b: {} },
  { a: { model: { builtin: 'lexical', backend: 'wasm' } }, b: {} },
  { a: { model: 'builtin:Glove' }, b: {} },
  { a: { model: { endpoint: 'openai' } }, b: {} },
  { a: { model: { endpoint: 'openai', name: 'm', apiKey: 'sk-1' } }, b: {} },
  { a: { model: { endpoint: 'openai', name: 'm', url: 'ftp://x' } }, b: {} },
  { a: { model: { endpoint: 'openai', name: 'm', apiKeyEnv: 'sk-123 456' } }, b: {} },
  { a: { chunker: { type: 'token' } }, b: {} },
  { a: { chunker: { size: 0 } }, b: {} },
  { a: { chunker: { unit: 'words' } }, b: {} },
  { a: { preprocess: { normalize: 'nfkc' } }, b: {} },
  { a: { tokenizer: 'gpt2' }, b: {} },
  { a: { tokenizer: { folder: 'x' } }, b: {} },
  { noiseFloor: 'yes' },
  { a: {}, b: { vectors: { quantize: 'int4' } } },
  { a: {}, b: { vectors: { dimensions: 0 } } },
  { a: {}, b: { vectors: { rescore: 4 } } },
  { a: {}, b: { vectors: { quantize: 'binary', rescore: 1.5 } } },
  { a: {}, b: { vectors: { quantise: 'int8' } } },
  { a: { store: { lancedb: 'index', table: 'docs' }, vectors: { quantize: 'int8', rescore: 0 } }, b: {} },
  { a: { store: 'index' }, b: {} },
  { a: { store: { lancedb: 'index', table: 'docs', fileColumn: 'x' } }, b: {} },
  { a: { store: { file: 'vectors.csv' } }, b: {} },
  { a: { store: { file: 'vectors.parquet', table: 'docs' } }, b: {} },
  { a: { store: { lancedb: 'index', table: '' } }, b: {} },
  { a: { store: { lancedb: 'index', table: 'docs', vector: '' } }, b: {} },
  { a: { store: { lancedb: 'index', table: 'docs', colour: 'x' } }, b: {} },
];

function parses(config: unknown): boolean {
  try {
    parseConfig(JSON.stringify(config), FILE);
    return true;
  } catch {
    return false;
  }
}

describe('config: JSON schema agrees with the parser', () => {
  it('is a draft-07 schema that ajv compiles, and lets VS Code accept comments as the parser does', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.equal(schema.allowComments, true);
    assert.equal(schema.allowTrailingCommas, true);
    assert.ok(parseConfig('{ /* c */ "k": 3, // c\n }', FILE));
  });

  VALID.forEach((config, i) => {
    it(`accepts valid configuration #${i}`, () => {
      assert.ok(validate(config), JSON.stringify(validate.errors));
      assert.ok(parses(config));
    });
  });

  INVALID.forEach((config, i) => {
    it(`refuses invalid configuration #${i}: ${JSON.stringify(config)}`, () => {
      assert.equal(validate(config), false, 'schema accepted it');
      assert.equal(parses(config), false, 'parser accepted it');
    });
  });

  it('states the same defaults as the parser fills', () => {
    const config = parseConfig('{"a": {"model": {"id": "x/y"}}, "b": {}}', FILE);
    const p = schema.properties;
    const d = schema.definitions;
    assert.equal(p.k.default, config.k);
    assert.equal(p.churnThreshold.default, config.churnThreshold);
    assert.equal(p.seed.default, config.seed);
    assert.equal(p.autoAnchors.default, config.autoAnchors);
    const corpus = p.corpus.oneOf[1].properties;
    assert.equal(corpus.maxFileBytes.default, config.corpus.maxFileBytes);
    assert.equal(corpus.gitignore.default, config.corpus.gitignore);
    for (const key of ['method', 'hnswThreshold', 'm', 'efConstruction', 'efSearch'] as const) {
      assert.equal(p.search.properties[key].default, config.search[key], key);
    }
    assert.ok(config.a.model.kind === 'hub');
    assert.equal(d.dtype.default, config.a.model.dtype);
    assert.equal(d.pooling.default, config.a.model.pooling);
    assert.equal(d.normalizeVectors.default, config.a.model.normalize);
    assert.equal(d.backend.default, config.a.model.backend);
    const hub = d.model.oneOf.find((m: { required?: string[] }) => m.required?.includes('id'));
    assert.equal(hub.properties.revision.default, config.a.model.revision);
    assert.equal(d.chunker.properties.size.default, parseConfig('{"a": {"chunker": {}}, "b": {}}', FILE).a.chunker.size);
    const stored = parseConfig('{"a": {"store": {"lancedb": "db", "table": "t"}}, "b": {}}', FILE).a.store!;
    const lance = d.storeLancedb.properties;
    for (const key of ['vector', 'text', 'id', 'file', 'start', 'end', 'model'] as const) assert.equal(lance[key].default, stored.columns[key], key);
    for (const key of ['normalize', 'collapseWhitespace', 'stripMarkdown'] as const) {
      assert.equal(d.preprocess.properties[key].default, config.a.preprocess[key], key);
    }
  });
});
