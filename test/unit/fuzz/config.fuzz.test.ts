// Property-based fuzzing of the configuration parser: any text either becomes a configuration that
// keeps every documented bound, or a ConfigError with one readable line per problem.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import { ConfigError, parseConfig } from '../../../src/core/config';
import type { DriftConfig, ModelSpec, SideConfig } from '../../../src/core/config/types';
import { DriftError } from '../../../src/core/types';

const RUNS = 10_000;
const SEED = 0xc0f1;
const FILE = path.resolve('/workspace/project/embedding-drift.json');

/** Parses, and checks the rejection contract when it throws; returns the config or undefined. */
function parseOrReject(text: string): DriftConfig | undefined {
  try {
    return parseConfig(text, FILE);
  } catch (err) {
    assert.ok(err instanceof ConfigError && err instanceof DriftError, `threw ${String(err)} for ${JSON.stringify(text).slice(0, 200)}`);
    assert.equal(err.code, 'config');
    assert.ok(err.issues.length >= 1);
    for (const issue of err.issues) assert.ok(typeof issue.message === 'string' && typeof issue.path === 'string', `issue ${String(issue.path)} has a ${typeof issue.message} message`);
    const lines = err.message.split('\n');
    assert.equal(lines.length, err.issues.length, `one line per problem: ${JSON.stringify(err.message).slice(0, 300)}`);
    for (const line of lines) {
      assert.match(line, /^embedding-drift\.json(:\d+:\d+)?: \S/);
      assert.ok(!line.includes('\r') && !line.includes('\u2028'), JSON.stringify(line));
      assert.ok(line.length <= 600, `a problem line stays short whatever the input: ${line.slice(0, 120)}...`);
    }
    return undefined;
  }
}

const isAbsolute = (p: string) => path.isAbsolute(p);
const int = (x: number, min: number, max = Infinity) => Number.isInteger(x) && x >= min && x <= max;

function checkModel(m: ModelSpec): void {
  switch (m.kind) {
    case 'builtin': assert.ok(m.name === 'lexical' && int(m.dimension, 8, 8192)); break;
    case 'hub':
      assert.match(m.id, /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/);
      assert.ok(!m.id.split('/').includes('..'), 'a Hub id never names a parent folder');
      assert.ok(m.revision.trim() !== '');
      break;
    case 'local': assert.ok(isAbsolute(m.path)); break;
    case 'endpoint':
      assert.ok(['openai', 'ollama', 'tei'].includes(m.endpoint));
      assert.match(new URL(m.url).protocol, /^https?:$/);
      assert.ok(m.name.trim() !== '');
      if (m.apiKeyEnv !== undefined) assert.match(m.apiKeyEnv, /^[A-Za-z_][A-Za-z0-9_]*$/);
      assert.ok(int(m.batchSize, 1, 2048) && int(m.concurrency, 1, 32));
      break;
  }
}

function checkSide(s: SideConfig): void {
  assert.ok(s.label.trim() !== '');
  checkModel(s.model);
  assert.ok(['fixed', 'recursive', 'markdown', 'sentence'].includes(s.chunker.type));
  assert.ok(int(s.chunker.size, 1) && int(s.chunker.overlap, 0) && s.chunker.overlap < s.chunker.size, 'overlap < size');
  if (s.chunker.unit === 'chars') assert.equal(s.chunker.tokenizer, undefined);
  if (s.tokenizer.kind === 'hf') assert.ok(isAbsolute(s.tokenizer.path));
  if (s.tokenizer.kind === 'model') assert.ok(s.model.kind === 'hub' || s.model.kind === 'local', 'a "model" tokenizer needs a model with tokenizer.json');
  if (s.corpusRoot !== undefined) assert.ok(isAbsolute(s.corpusRoot));
}

/** The bounds the configuration promises every later stage. */
function checkConfig(c: DriftConfig): void {
  assert.equal(c.configPath, FILE);
  assert.ok(isAbsolute(c.baseDir) && isAbsolute(c.corpus.root));
  assert.ok(c.corpus.include.length > 0 && c.corpus.include.every((g) => typeof g === 'string' && g !== ''));
  assert.ok(c.corpus.exclude.every((g) => typeof g === 'string'));
  assert.ok(int(c.corpus.maxFileBytes, 1));
  assert.ok(int(c.k, 1, 1000));
  assert.ok(c.churnThreshold >= 0 && c.churnThreshold <= 1);
  assert.ok(int(c.seed, 0, 4294967295));
  if (c.anchors !== undefined) assert.ok(isAbsolute(c.anchors));
  if (c.sample !== undefined) assert.ok(int(c.sample, 2));
  assert.ok(['auto', 'exact', 'hnsw'].includes(c.search.method));
  assert.ok(int(c.search.m, 2, 128) && int(c.search.efConstruction, 1, 10000) && int(c.search.efSearch, 1, 10000));
  checkSide(c.a);
  checkSide(c.b);
}

// ---- generators: values that are right, nearly right, and wrong ----
const junk = fc.oneof(fc.constant(null), fc.boolean(), fc.integer({ min: -3, max: 3 }), fc.double(), fc.string({ maxLength: 12 }),
  fc.constant([]), fc.constant({}), fc.constant(''), fc.constant('  '));
const either = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 30, arbitrary: good }, { weight: 1, arbitrary: junk });
const relPath = fc.constantFrom('.', 'docs', '../other', '/abs/path', 'models/mine', 'a b/ü', 'C:\\x');
const tokenizer = either(fc.oneof(fc.constantFrom('model', 'cl100k_base', 'o200k_base', 'bert-base-uncased', 'words', 'cl100k'), fc.record({ path: relPath })));
const model = either(fc.oneof(
  fc.constantFrom('builtin:lexical', 'builtin:lexical', 'builtin:other', 'Xenova/all-MiniLM-L6-v2', 'org/name', '../etc', './models/x', 'a/../b', 'x'),
  fc.record({ builtin: either(fc.constant('lexical')), dimension: either(fc.integer({ min: 0, max: 10000 })) }, { requiredKeys: ['builtin'] }),
  fc.record({ id: either(fc.constantFrom('Xenova/bge-small-en-v1.5', 'a/b/c', '../../x', 'ok')), revision: either(fc.constantFrom('main', 'v1')),
    dtype: either(fc.constantFrom('fp32', 'q8', 'Q8')), pooling: either(fc.constantFrom('mean', 'cls', 'max')), maxTokens: either(fc.integer({ min: 0, max: 2e6 })),
    backend: either(fc.constantFrom('wasm', 'native', 'gpu')), queryPrefix: either(fc.string({ maxLength: 8 })) }, { requiredKeys: ['id'] }),
  fc.record({ path: either(relPath), normalize: either(fc.boolean()) }, { requiredKeys: ['path'] }),
  fc.record({ endpoint: either(fc.constantFrom('openai', 'ollama', 'tei', 'azure')), url: either(fc.constantFrom('http://127.0.0.1:1/v1', 'https://x.y', 'ftp://x', 'not a url', 'javascript:alert(1)')),
    name: either(fc.constantFrom('text-embedding-3-small', 'nomic')), apiKeyEnv: either(fc.constantFrom('OPENAI_API_KEY', 'sk-live-123', '1BAD')),
    tokenizer, batchSize: either(fc.integer({ min: 0, max: 3000 })), concurrency: either(fc.integer({ min: 0, max: 40 })), dimensions: either(fc.integer({ min: 0, max: 70000 })) },
  { requiredKeys: ['endpoint'] }),
));
const chunker = either(fc.record({ type: either(fc.constantFrom('fixed', 'recursive', 'markdown', 'sentence', 'semantic')), size: either(fc.integer({ min: 1, max: 2000 })),
  overlap: either(fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 2000 }))), unit: either(fc.constantFrom('chars', 'tokens', 'words')), tokenizer }, { requiredKeys: [] }));
const side = either(fc.record({ label: either(fc.string({ maxLength: 10 })), model, chunker, tokenizer, corpus: either(relPath),
  preprocess: either(fc.record({ normalize: either(fc.constantFrom('none', 'NFC', 'NFKC', 'nfc')), collapseWhitespace: either(fc.boolean()), stripMarkdown: either(fc.boolean()) }, { requiredKeys: [] })) },
{ requiredKeys: [] }));
const configObject = fc.record({
  corpus: either(fc.oneof(relPath, fc.record({ root: either(relPath), include: either(fc.oneof(fc.constant('**/*.md'), fc.array(fc.constantFrom('**/*.md', 'src/**', '**/*.md', ''), { maxLength: 3 }))),
    exclude: either(fc.array(fc.constantFrom('**/node_modules/**', '!x'), { maxLength: 2 })), gitignore: either(fc.boolean()), maxFileBytes: either(fc.integer({ min: -1, max: 1e9 })) }, { requiredKeys: [] }))),
  k: either(fc.oneof(fc.integer({ min: 1, max: 50 }), fc.constantFrom(0, 1000, 1001))), churnThreshold: either(fc.double({ min: -0.5, max: 1.5, noNaN: true })), anchors: either(fc.constantFrom('anchors.jsonl', '../a.jsonl')),
  autoAnchors: either(fc.boolean()), seed: either(fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constantFrom(4294967295, 4294967296, -1))), sample: either(fc.integer({ min: 0, max: 100 })),
  search: either(fc.record({ method: either(fc.constantFrom('auto', 'exact', 'hnsw', 'ivf')), m: either(fc.integer({ min: 0, max: 200 })), efSearch: either(fc.integer({ min: 0, max: 20000 })) }, { requiredKeys: [] })),
  a: side, b: side,
  // Keys nobody knows, including ones that are special in JavaScript.
  extra: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('$schema', 'corpsu', '__proto__', 'constructor', 'a\nb', 'x'.repeat(2000)) }),
}, { requiredKeys: ['extra'] }).map((o) => {
  const { extra, ...rest } = o as Record<string, unknown>;
  if (extra === undefined || extra === '$schema') return rest;
  // A key that is special in JavaScript must reach the parser as text, so splice it in after stringifying.
  return { __text: JSON.stringify(rest).replace(/^\{/, `{${JSON.stringify(extra)}: 1${Object.keys(rest).length ? ',' : ''}`) };
});
const configText = configObject.map((o) => ('__text' in o ? String(o.__text) : JSON.stringify(o, null, 1)));

/** Configurations that are right by the documentation: every one must be accepted. */
const goodTokenizer = fc.oneof(fc.constantFrom('cl100k_base', 'o200k_base', 'bert-base-uncased', 'words'), fc.record({ path: relPath }));
const goodModel = fc.oneof(
  fc.constantFrom('builtin:lexical', 'Xenova/all-MiniLM-L6-v2', 'org/name.v2'),
  fc.record({ builtin: fc.constant('lexical'), dimension: fc.integer({ min: 8, max: 8192 }) }),
  fc.record({ id: fc.constantFrom('Xenova/bge-small-en-v1.5', 'ok'), dtype: fc.constantFrom('fp32', 'q8', 'q4'), pooling: fc.constantFrom('mean', 'cls', 'last'), maxTokens: fc.integer({ min: 1, max: 1e6 }) }, { requiredKeys: ['id'] }),
  fc.record({ path: relPath, backend: fc.constantFrom('wasm', 'native', 'auto') }, { requiredKeys: ['path'] }),
  fc.record({ endpoint: fc.constantFrom('openai', 'ollama', 'tei'), url: fc.constantFrom('http://127.0.0.1:1/v1', 'https://x.y'), name: fc.constant('m'),
    apiKeyEnv: fc.constantFrom('OPENAI_API_KEY', '_K1'), batchSize: fc.integer({ min: 1, max: 2048 }), tokenizer: goodTokenizer }, { requiredKeys: ['endpoint', 'name'] }),
);
const goodChunker = fc.tuple(fc.constantFrom('fixed', 'recursive', 'markdown', 'sentence'), fc.integer({ min: 1, max: 5000 }), fc.nat(), fc.boolean(), goodTokenizer)
  .map(([type, size, o, tokens, tokenizer]) => ({ type, size, overlap: o % size, ...(tokens ? { unit: 'tokens', tokenizer } : { unit: 'chars' }) }));
const goodSide = fc.record({ label: fc.string({ minLength: 1, maxLength: 10 }).filter((l) => l.trim() !== ''), model: goodModel, chunker: goodChunker, corpus: relPath,
  preprocess: fc.record({ normalize: fc.constantFrom('none', 'NFC', 'NFKC'), collapseWhitespace: fc.boolean() }, { requiredKeys: [] }) }, { requiredKeys: ['model'] });
const goodConfig = fc.record({ corpus: fc.record({ root: relPath, include: fc.array(fc.constantFrom('**/*.md', 'src/**'), { minLength: 1, maxLength: 2 }), maxFileBytes: fc.integer({ min: 1, max: 1e9 }) }, { requiredKeys: [] }),
  k: fc.integer({ min: 1, max: 1000 }), churnThreshold: fc.double({ min: 0, max: 1, noNaN: true }), seed: fc.integer({ min: 0, max: 4294967295 }), sample: fc.integer({ min: 2, max: 1e6 }),
  search: fc.record({ method: fc.constantFrom('auto', 'exact', 'hnsw'), m: fc.integer({ min: 2, max: 128 }), efSearch: fc.integer({ min: 1, max: 10000 }) }, { requiredKeys: [] }),
  a: goodSide, b: goodSide }, { requiredKeys: ['a', 'b'] });
const goodText = goodConfig.map((o) => JSON.stringify(o, null, 2));

/** Text damaged by a few edits: truncation, a stray character, a deleted range. */
const damaged = fc.tuple(configText, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.constantFrom('', '{', '}', '"', ',', '/*', '//', '\n', '\u0000', '\uFEFF', ']')), { minLength: 1, maxLength: 3 }))
  .map(([text, edits]) => edits.reduce((t, [at, cut, insert]) => { const i = at % (t.length + 1); return t.slice(0, i) + insert + t.slice(i + cut); }, text));

describe('fuzz: configuration parser (parseConfig)', () => {
  it('accepts a configuration only when it keeps every bound, and rejects anything else with one line per problem', () => {
    let accepted = 0;
    fc.assert(fc.property(fc.oneof(configText, goodText, damaged, fc.string({ unit: 'binary', maxLength: 80 }), fc.json()), (text) => {
      const config = parseOrReject(text);
      if (config) { checkConfig(config); accepted++; }
    }), { numRuns: RUNS, seed: SEED });
    // The bounds are checked on real configurations, not only on rejections.
    assert.ok(accepted >= RUNS / 50, `only ${accepted} of ${RUNS} inputs were valid configurations`);
  });

  it('accepts every configuration that is right by the documentation', () => {
    fc.assert(fc.property(goodText, (text) => {
      checkConfig(parseConfig(text, FILE));
    }), { numRuns: RUNS, seed: SEED + 2 });
  });

  it('never puts a key value that looks like a secret into its message', () => {
    const secret = fc.stringMatching(/^sk-[A-Za-z0-9]{20,40}$/);
    fc.assert(fc.property(secret, fc.constantFrom('apiKey', 'key', 'token', 'apiKeyEnv'), fc.constantFrom('openai', 'tei'), (key, field, endpoint) => {
      const text = JSON.stringify({ a: { model: { endpoint, name: 'm', [field]: key } }, b: { model: 'builtin:lexical' } });
      let message = '';
      try { parseConfig(text, FILE); } catch (err) { message = (err as Error).message; }
      assert.notEqual(message, '', 'a key in the file is refused');
      assert.ok(!message.includes(key) && !message.includes(key.slice(3, 15)), message);
    }), { numRuns: RUNS, seed: SEED + 1 });
  });

  it('rejects deeply nested JSON with a message, not a stack overflow', () => {
    for (const text of [`${'['.repeat(100_000)}${']'.repeat(100_000)}`, `{"k": ${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`]) parseOrReject(text);
  });
});
