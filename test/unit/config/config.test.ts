// Configuration parsing: the normalized result of valid files, and the exact message of each
// kind of mistake (field path, expectation, what was found), never a stack trace.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CONFIG_FILE_NAME, ConfigError, defaultConfig, describeChunker, describeModel, findConfigFile, loadConfig, parseConfig,
} from '../../../src/core/config/index';
import { DriftError } from '../../../src/core/types';

const FILE = '/work/project/embedding-drift.json';

/** The error a text gives, or a failure when it parses. */
function errorOf(text: string, file = FILE): ConfigError {
  try {
    parseConfig(text, file);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    assert.ok(err instanceof DriftError);
    assert.equal(err.code, 'config');
    assert.ok(!/\n\s+at /.test(err.message), 'no stack trace in the message');
    return err;
  }
  assert.fail('the configuration was accepted');
}

describe('config: parseConfig', () => {
  it('normalizes the DESIGN.md example: absolute paths, defaults filled, per-field values kept', () => {
    const text = `{
      // the example from DESIGN.md
      "corpus": { "include": ["docs/**/*.md"], "exclude": ["**/node_modules/**"] },
      "k": 10,
      "anchors": "anchors.jsonl",
      "a": { "label": "today", "model": "Xenova/all-MiniLM-L6-v2",
             "chunker": { "type": "recursive", "size": 800, "overlap": 100, "unit": "chars" } },
      "b": { "label": "candidate", "model": { "id": "Xenova/bge-small-en-v1.5", "dtype": "q8",
             "pooling": "cls", "queryPrefix": "" },
             "chunker": { "type": "markdown", "size": 256, "overlap": 32, "unit": "tokens" } },
    }`;
    const config = parseConfig(text, FILE);
    assert.equal(config.configPath, FILE);
    assert.equal(config.baseDir, '/work/project');
    assert.deepEqual(config.corpus, {
      root: '/work/project', include: ['docs/**/*.md'], exclude: ['**/node_modules/**'], gitignore: true, maxFileBytes: 2 * 1024 * 1024,
    });
    assert.equal(config.anchors, '/work/project/anchors.jsonl');
    assert.equal(config.k, 10);
    assert.equal(config.churnThreshold, 0.5);
    assert.equal(config.seed, 42);
    assert.equal(config.autoAnchors, true);
    assert.deepEqual(config.search, { method: 'auto', hnswThreshold: 50000, m: 16, efConstruction: 200, efSearch: 64 });
    assert.deepEqual(config.a, {
      label: 'today',
      model: { kind: 'hub', id: 'Xenova/all-MiniLM-L6-v2', revision: 'main', dtype: 'q8', pooling: 'mean', normalize: true, queryPrefix: '', documentPrefix: '', backend: 'auto' },
      chunker: { type: 'recursive', size: 800, overlap: 100, unit: 'chars' },
      preprocess: { normalize: 'none', collapseWhitespace: false, stripMarkdown: false },
      tokenizer: { kind: 'model' },
    });
    assert.deepEqual(config.b.model, { kind: 'hub', id: 'Xenova/bge-small-en-v1.5', revision: 'main', dtype: 'q8', pooling: 'cls', normalize: true, queryPrefix: '', documentPrefix: '', backend: 'auto' });
    assert.deepEqual(config.b.chunker, { type: 'markdown', size: 256, overlap: 32, unit: 'tokens', tokenizer: { kind: 'model' } });
    assert.equal(describeChunker(config.b.chunker), 'markdown 256/32 tokens');
    assert.equal(describeModel(config.b.model), 'Xenova/bge-small-en-v1.5 (q8, cls)');
  });

  it('an empty object gives the default configuration of its folder', () => {
    const config = parseConfig('{}', FILE);
    const expected = { ...defaultConfig('/work/project'), configPath: FILE };
    assert.deepEqual(config, expected);
  });

  it('reads every model form: local path, hosted endpoint, builtin object, revision', () => {
    const config = parseConfig(JSON.stringify({
      a: { model: { path: 'models/mine', pooling: 'cls', maxTokens: 128, backend: 'wasm' } },
      b: { model: { endpoint: 'openai', name: 'text-embedding-3-small', apiKeyEnv: 'OPENAI_API_KEY', dimensions: 512 } },
    }), FILE);
    assert.deepEqual(config.a.model, {
      kind: 'local', path: '/work/project/models/mine', dtype: 'q8', pooling: 'cls', normalize: true, queryPrefix: '', documentPrefix: '', backend: 'wasm', maxTokens: 128,
    });
    assert.deepEqual(config.b.model, {
      kind: 'endpoint', endpoint: 'openai', url: 'https://api.openai.com/v1', name: 'text-embedding-3-small', batchSize: 64, concurrency: 2,
      queryPrefix: '', documentPrefix: '', apiKeyEnv: 'OPENAI_API_KEY', dimensions: 512,
    });
    assert.deepEqual(config.b.tokenizer, { kind: 'tiktoken', name: 'cl100k_base' }, 'openai endpoints count with cl100k_base');
    assert.deepEqual(config.a.tokenizer, { kind: 'model' });
    assert.equal(describeModel(config.b.model), 'openai:text-embedding-3-small (512d)');
    assert.equal(describeModel(config.a.model), 'local:mine (q8, cls)');

    const other = parseConfig(JSON.stringify({
      a: { model: { builtin: 'lexical', dimensions: 512 } },
      b: { model: { id: 'org/model', revision: 'v2' }, tokenizer: { path: '../tok' } },
    }), FILE);
    assert.deepEqual(other.a.model, { kind: 'builtin', name: 'lexical', dimension: 512 });
    assert.deepEqual(other.a.tokenizer, { kind: 'words' });
    assert.deepEqual(other.b.tokenizer, { kind: 'hf', path: '/work/tok' });
    assert.equal(describeModel(other.b.model), 'org/model@v2 (q8, mean)');
    assert.equal(describeModel(other.a.model), 'builtin:lexical (512d)');

    const glove = parseConfig(JSON.stringify({ a: { model: 'builtin:glove' }, b: { model: { builtin: 'glove', backend: 'wasm' } } }), FILE);
    assert.deepEqual(glove.a.model, { kind: 'builtin', name: 'glove', backend: 'auto' });
    assert.deepEqual(glove.b.model, { kind: 'builtin', name: 'glove', backend: 'wasm' });
    assert.deepEqual(glove.a.tokenizer, { kind: 'model' }, 'GloVe\'s own tokenizer shows which words it does not know');
    assert.equal(describeModel(glove.a.model), 'builtin:glove');
  });

  it('B takes from A what it does not set (a corpus snapshot comparison needs only "corpus")', () => {
    const config = parseConfig(JSON.stringify({
      a: { model: 'Xenova/all-MiniLM-L6-v2', chunker: { type: 'sentence', size: 500, overlap: 50 }, preprocess: { normalize: 'NFKC' } },
      b: { label: 'last month', corpus: '../snapshot' },
    }), FILE);
    assert.deepEqual(config.b.model, config.a.model);
    assert.deepEqual(config.b.chunker, { type: 'sentence', size: 500, overlap: 50, unit: 'chars' });
    assert.deepEqual(config.b.preprocess, { normalize: 'NFKC', collapseWhitespace: false, stripMarkdown: false });
    assert.equal(config.b.corpusRoot, '/work/snapshot');
    assert.equal(config.a.corpusRoot, undefined);
    assert.equal(config.b.label, 'last month');
    assert.equal(config.a.label, 'A');
  });

  it('an inherited token chunker counts with B\'s tokenizer, unless A\'s chunker named one', () => {
    const implicit = parseConfig(JSON.stringify({
      a: { tokenizer: 'cl100k_base', chunker: { type: 'recursive', size: 200, overlap: 20, unit: 'tokens' } },
      b: { tokenizer: 'o200k_base' },
    }), FILE);
    assert.deepEqual(implicit.a.chunker.tokenizer, { kind: 'tiktoken', name: 'cl100k_base' });
    assert.deepEqual(implicit.b.chunker.tokenizer, { kind: 'tiktoken', name: 'o200k_base' });
    const explicit = parseConfig(JSON.stringify({
      a: { tokenizer: 'cl100k_base', chunker: { unit: 'tokens', tokenizer: 'bert-base-uncased' } },
      b: { tokenizer: 'o200k_base' },
    }), FILE);
    assert.deepEqual(explicit.b.chunker.tokenizer, { kind: 'bert-base-uncased' });
    assert.deepEqual(explicit.b.tokenizer, { kind: 'tiktoken', name: 'o200k_base' });
  });

  it('fills the overlap as size / 8 and the token size default when only the unit is given', () => {
    const config = parseConfig(JSON.stringify({ a: { chunker: { unit: 'tokens' } }, b: { chunker: { size: 100 } } }), FILE);
    assert.deepEqual(config.a.chunker, { type: 'recursive', size: 256, overlap: 32, unit: 'tokens', tokenizer: { kind: 'words' } });
    assert.deepEqual(config.b.chunker, { type: 'recursive', size: 100, overlap: 12, unit: 'chars' });
  });
});

describe('config: vectors setting and noise floor', () => {
  it('reads a side\'s vectors setting; B inherits A\'s unless it sets its own ({} = float)', () => {
    const config = parseConfig('{ "noiseFloor": true, "a": { "vectors": { "quantize": "int8" } }, "b": { "label": "small" } }', FILE);
    assert.equal(config.noiseFloor, true);
    assert.deepEqual(config.a.vectors, { quantize: 'int8' });
    assert.deepEqual(config.b.vectors, { quantize: 'int8' });
    const own = parseConfig('{ "a": { "vectors": { "quantize": "int8" } }, "b": { "vectors": { "quantize": "binary", "dimensions": 256, "rescore": 4 } } }', FILE);
    assert.deepEqual(own.b.vectors, { quantize: 'binary', dimensions: 256, rescore: 4 });
    const float = parseConfig('{ "a": { "vectors": { "quantize": "int8" } }, "b": { "vectors": {} } }', FILE);
    assert.equal(float.b.vectors, undefined);
    assert.equal(parseConfig('{}', FILE).noiseFloor, undefined);
  });

  it('each vectors mistake has its message', () => {
    assert.equal(errorOf('{"a": {}, "b": {"vectors": {"rescore": 4}}}').message,
      'embedding-drift.json:1:29: b.vectors.rescore reorders the candidates of a quantized index by the float vectors: set "quantize" too, or remove "rescore"');
    assert.equal(errorOf('{"a": {}, "b": {"vectors": {"quantize": "int4"}}}').message,
      'embedding-drift.json:1:29: b.vectors.quantize must be one of "int8", "binary" (got "int4"); did you mean "int8"?');
    assert.equal(errorOf('{"a": {}, "b": {"vectors": {"dimensions": 0}}}').message,
      'embedding-drift.json:1:29: b.vectors.dimensions must be an integer from 1 to 65536 (got 0)');
    assert.equal(errorOf('{"noiseFloor": 1}').message, 'embedding-drift.json:1:2: noiseFloor must be true or false (got 1)');
  });
});

describe('config: each mistake has its precise message', () => {
  it('overlap not smaller than size names the field, both numbers and the line', () => {
    const err = errorOf('{\n  "a": {},\n  "b": { "chunker": { "size": 512, "overlap": 600 } }\n}');
    assert.equal(err.message, 'embedding-drift.json:3:36: b.chunker.overlap must be smaller than size (got 600 >= 512)');
    assert.deepEqual(err.issues.map((i) => i.path), ['b.chunker.overlap']);
  });

  it('an unknown key suggests the closest known one', () => {
    const err = errorOf('{ "a": { "modle": "builtin:lexical" }, "b": {} }');
    assert.equal(err.message, 'embedding-drift.json:1:10: a.modle is not a known setting; did you mean "model"?');
  });

  it('an unknown key with no close match lists what is allowed', () => {
    const err = errorOf('{ "search": { "zzzzzzzz": 1 } }');
    assert.equal(err.message, 'embedding-drift.json:1:15: search.zzzzzzzz is not a known setting (expected one of: method, hnswThreshold, m, efConstruction, efSearch)');
  });

  it('wrong types and ranges say what was expected and what was found', () => {
    assert.equal(errorOf('{"k": "10"}').message, 'embedding-drift.json:1:2: k must be an integer from 1 to 1000 (got "10")');
    assert.equal(errorOf('{"k": 2.5}').message, 'embedding-drift.json:1:2: k must be an integer from 1 to 1000 (got 2.5)');
    assert.equal(errorOf('{"churnThreshold": 1.5}').message, 'embedding-drift.json:1:2: churnThreshold must be a number from 0 to 1 (got 1.5)');
    assert.equal(errorOf('{"autoAnchors": "yes"}').message, 'embedding-drift.json:1:2: autoAnchors must be true or false (got "yes")');
    assert.equal(errorOf('{"corpus": {"include": []}}').message, 'embedding-drift.json:1:13: corpus.include must list at least one glob (an empty list would select no file)');
    assert.equal(errorOf('{"corpus": {"exclude": ["ok", 3]}}').message, 'embedding-drift.json:1:31: corpus.exclude[1] must be a non-empty glob string (got 3)');
    assert.equal(errorOf('[]').message, 'embedding-drift.json: must be an object (got an array)');
  });

  it('a near-miss choice is named', () => {
    const err = errorOf('{"a": {"model": {"id": "x/y", "dtype": "q9"}}, "b": {"preprocess": {"normalize": "nfkc"}}}');
    assert.deepEqual(err.message.split('\n'), [
      'embedding-drift.json:1:31: a.model.dtype must be one of "fp32", "fp16", "q8", "int8", "uint8", "q4" (got "q9"); did you mean "q8"?',
      'embedding-drift.json:1:69: b.preprocess.normalize must be one of "none", "NFC", "NFKC" (got "nfkc"); did you mean "NFKC"?',
    ]);
  });

  it('model strings: unknown builtin, a path written as a string, garbage', () => {
    assert.match(errorOf('{"a": {"model": "builtin:tfidf"}, "b": {}}').message, /a\.model must name a built-in embedder: "builtin:lexical" or "builtin:glove" \(got "builtin:tfidf"\)$/);
    assert.match(errorOf('{"a": {"model": {"builtin": "glove", "dimensions": 50}}, "b": {}}').message, /a\.model\.dimensions applies to the lexical built-in only; builtin:glove has 100 dimensions/);
    // One name for a vector's length ("dimensions", as endpoints and stores spell it); the old
    // "dimension" is still read, but not next to the new one (which would win is not obvious).
    assert.deepEqual(parseConfig('{"a": {"model": {"builtin": "lexical", "dimension": 50}}, "b": {}}', FILE).a.model, { kind: 'builtin', name: 'lexical', dimension: 50 });
    assert.match(errorOf('{"a": {"model": {"builtin": "lexical", "dimension": 50, "dimensions": 64}}, "b": {}}').message, /a\.model\.dimension is the old name of "dimensions"; write only "dimensions"/);
    assert.match(errorOf('{"a": {"model": {"builtin": "glove", "dimension": 50}}, "b": {}}').message, /a\.model\.dimension applies to the lexical built-in only/);
    assert.match(errorOf('{"a": {"model": "./models/mine"}, "b": {}}').message, /a\.model looks like a folder; write \{ "path": "\.\/models\/mine" \} for a local model/);
    assert.match(errorOf('{"a": {"model": "not a model!"}, "b": {}}').message, /a\.model must be a Hugging Face model id like "Xenova\/all-MiniLM-L6-v2", "builtin:lexical", or an object/);
    assert.match(errorOf('{"a": {"model": {"id": "x", "path": "y"}}, "b": {}}').message, /a\.model must have only one of "id", "path", "endpoint", "builtin" \(got "id" and "path"\)/);
    assert.match(errorOf('{"a": {"model": {"revision": "main"}}, "b": {}}').message, /a\.model needs one of "id" \(Hub model\), "path" \(local folder\), "endpoint" \(hosted\) or "builtin"/);
  });

  it('endpoints: a key in the file is refused without being echoed; name and URL are checked', () => {
    const secret = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789';
    const err = errorOf(JSON.stringify({ a: {}, b: { model: { endpoint: 'openai', name: 'm', apiKey: secret, apiKeyEnv: secret, url: 'ftp://x' } } }));
    assert.ok(!err.message.includes(secret), 'the secret never appears in the message');
    assert.deepEqual(err.issues.map((i) => i.path), ['b.model.apiKey', 'b.model.url', 'b.model.apiKeyEnv']);
    assert.match(err.message, /b\.model\.apiKey is not allowed: keep keys out of the file; name the environment variable that holds the key in "apiKeyEnv"/);
    assert.match(err.message, /b\.model\.apiKeyEnv must be the name of an environment variable like "OPENAI_API_KEY", not the key itself \(got a value of 44 characters\)/);
    assert.match(err.message, /b\.model\.url must be an http:\/\/ or https:\/\/ URL \(got "ftp:\/\/x"\)/);
    assert.match(errorOf('{"a": {}, "b": {"model": {"endpoint": "ollama"}}}').message, /b\.model\.name is required: the model name the endpoint serves/);
    assert.match(errorOf('{"a": {}, "b": {"model": {"endpoint": "tei", "name": "x"}, "tokenizer": "model"}}').message, /b\.tokenizer "model" needs a model with its own tokenizer\.json; a hosted endpoint has none/);
  });

  it('one side without the other, and a chunker tokenizer with character units', () => {
    assert.match(errorOf('{"a": {"label": "x"}}').message, /: b is missing: give both sides, "a" and "b", or neither/);
    assert.match(errorOf('{"a": {"chunker": {"tokenizer": "cl100k_base"}}, "b": {}}').message, /a\.chunker\.tokenizer only counts with "unit": "tokens"/);
  });

  it('invalid JSON gives line and column, and nothing else', () => {
    const err = errorOf('{\n  "k": 10\n  "seed": 1\n}');
    assert.equal(err.message, 'embedding-drift.json:3:3: invalid JSON: a comma was expected');
  });

  it('collects every issue, one per line, in file order', () => {
    const err = errorOf('{"k": 0, "seed": -1, "search": {"method": "fast"}, "a": {"chunker": {"type": "token"}}, "b": {}}');
    assert.deepEqual(err.issues.map((i) => i.path), ['k', 'search.method', 'seed', 'a.chunker.type']);
    assert.equal(err.message.split('\n').length, 4);
    assert.match(err.message.split('\n')[3]!, /a\.chunker\.type must be one of "fixed", "recursive", "markdown", "sentence" \(got "token"\)/);
  });
});

describe('config: files on disk', () => {
  let dir: string;
  beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'drift-config-')); });
  afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  it('findConfigFile prefers the root, then .vscode/, else undefined', async () => {
    assert.equal(CONFIG_FILE_NAME, 'embedding-drift.json');
    assert.equal(await findConfigFile(dir), undefined);
    await fs.mkdir(path.join(dir, '.vscode'));
    await fs.writeFile(path.join(dir, '.vscode', CONFIG_FILE_NAME), '{}');
    assert.equal(await findConfigFile(dir), path.join(dir, '.vscode', CONFIG_FILE_NAME));
    await fs.writeFile(path.join(dir, CONFIG_FILE_NAME), '{}');
    assert.equal(await findConfigFile(dir), path.join(dir, CONFIG_FILE_NAME));
  });

  it('loadConfig resolves against the file folder, strips a BOM and checks that named paths exist', async () => {
    const file = path.join(dir, CONFIG_FILE_NAME);
    await fs.writeFile(file, '\uFEFF{ "anchors": "anchors.jsonl", "a": {}, "b": { "corpus": "snap" } }');
    await assert.rejects(loadConfig(file), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.deepEqual(err.message.split('\n'), [
        `embedding-drift.json:1:3: anchors names a file that does not exist: ${path.join(dir, 'anchors.jsonl')}`,
        `embedding-drift.json:1:47: b.corpus names a folder that does not exist: ${path.join(dir, 'snap')}`,
      ]);
      return true;
    });
    await fs.writeFile(path.join(dir, 'anchors.jsonl'), '');
    await fs.mkdir(path.join(dir, 'snap'));
    const config = await loadConfig(file);
    assert.equal(config.anchors, path.join(dir, 'anchors.jsonl'));
    assert.equal(config.b.corpusRoot, path.join(dir, 'snap'));
  });

  it('loadConfig of a missing file is a config error naming the file', async () => {
    await assert.rejects(loadConfig(path.join(dir, 'nope', CONFIG_FILE_NAME)), (err: unknown) => {
      assert.ok(err instanceof DriftError);
      assert.equal(err.code, 'config');
      assert.equal(err.message, `embedding-drift.json: cannot read the configuration file ${path.join(dir, 'nope', CONFIG_FILE_NAME)} (ENOENT)`);
      return true;
    });
  });
});

describe('config: defaults', () => {
  it('defaultConfig compares builtin:lexical recursive 800/100 chars with markdown 400/50 chars', () => {
    const config = defaultConfig('/some/root');
    assert.equal(config.baseDir, '/some/root');
    assert.equal(config.corpus.root, '/some/root');
    assert.equal(config.configPath, undefined);
    assert.equal(describeModel(config.a.model), 'builtin:lexical');
    assert.equal(describeModel(config.b.model), 'builtin:lexical');
    assert.equal(describeChunker(config.a.chunker), 'recursive 800/100 chars');
    assert.equal(describeChunker(config.b.chunker), 'markdown 400/50 chars');
    assert.deepEqual(config.a.tokenizer, { kind: 'words' });
  });
});
