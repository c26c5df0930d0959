// The "store" setting of a side: parsed into a StoreSpec with absolute paths and default column
// names; B starts from A's store; a side next to a store embeds its texts; mistakes named.
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadConfig, parseConfig } from '../../../src/core/config';

const FILE = path.resolve('/w/embedding-drift.json');
const parse = (config: unknown) => parseConfig(JSON.stringify(config), FILE);
function problems(config: unknown): string[] {
  try {
    parse(config);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.issues.map((i) => `${i.path} ${i.message}`);
  }
  throw new Error('expected a ConfigError');
}

describe('config: a side read from a store', () => {
  it('a LanceDB store: the folder made absolute, columns defaulted, nothing explicit; B embeds its texts', () => {
    const config = parse({ a: { store: { lancedb: 'index', table: 'docs' } }, b: { model: 'Xenova/bge-small-en-v1.5' } });
    assert.deepEqual(config.a.store, {
      kind: 'lancedb', uri: path.resolve('/w/index'), table: 'docs',
      columns: { vector: 'vector', text: 'text', id: 'id', file: 'path', start: 'start', end: 'end', model: 'model' }, explicit: [],
    });
    assert.equal(config.a.storeModel, false);
    assert.equal(config.b.store, undefined);
    assert.equal(config.b.textsOf, 'a');
    assert.equal(config.a.textsOf, undefined);
  });

  it('B naming only another vector column reads the same table (a migration in progress)', () => {
    const config = parse({ a: { model: 'Xenova/all-MiniLM-L6-v2', store: { lancedb: 'index', table: 'docs', text: 'chunk' } }, b: { store: { vector: 'vector_v2' } } });
    assert.equal(config.a.storeModel, true);
    assert.equal(config.b.storeModel, false);
    const b = config.b.store!;
    assert.ok(b.kind === 'lancedb');
    assert.equal(b.uri, path.resolve('/w/index'));
    assert.equal(b.table, 'docs');
    assert.equal(b.columns.vector, 'vector_v2');
    assert.equal(b.columns.text, 'chunk');
    assert.deepEqual([...b.explicit].sort(), ['text', 'vector']);
    assert.equal(config.b.textsOf, undefined);
  });

  it('B naming another table keeps A\'s database; a vectors file is another source with fresh defaults', () => {
    const other = parse({ a: { store: { lancedb: 'index', table: 'docs', vector: 'emb' } }, b: { store: { table: 'docs_v2' } } });
    assert.ok(other.b.store?.kind === 'lancedb');
    assert.equal(other.b.store.table, 'docs_v2');
    assert.equal(other.b.store.columns.vector, 'emb');
    const file = parse({ a: { store: { lancedb: 'index', table: 'docs', vector: 'emb' } }, b: { store: { file: 'export/b.Parquet', fileColumn: 'source' } } });
    assert.deepEqual(file.b.store, {
      kind: 'file', path: path.resolve('/w/export/b.Parquet'), format: 'parquet',
      columns: { vector: 'vector', text: 'text', id: 'id', file: 'source', start: 'start', end: 'end', model: 'model' }, explicit: ['file'],
    });
    const ndjson = parse({ a: { store: { file: 'v.ndjson' } }, b: {} }).a.store;
    assert.ok(ndjson?.kind === 'file');
    assert.equal(ndjson.format, 'jsonl');
  });

  it('search settings as production sets them: B inherits A\'s and may set its own; out of range is named', () => {
    const config = parse({ a: { store: { lancedb: 'index', table: 'docs', nprobes: 40, refineFactor: 10 } }, b: { store: { vector: 'vector_v2', refineFactor: 5 } } });
    assert.ok(config.a.store?.kind === 'lancedb' && config.b.store?.kind === 'lancedb');
    assert.deepEqual([config.a.store.nprobes, config.a.store.refineFactor], [40, 10]);
    assert.deepEqual([config.b.store.nprobes, config.b.store.refineFactor], [40, 5]);
    const plain = parse({ a: { store: { lancedb: 'index', table: 'docs' } }, b: {} }).a.store;
    assert.ok(plain?.kind === 'lancedb');
    assert.ok(!('nprobes' in plain) && !('refineFactor' in plain), 'absent settings stay absent (LanceDB\'s defaults)');
    assert.equal(problems({ a: { store: { lancedb: 'i', table: 't', nprobes: 0 } }, b: {} }).length, 1);
    assert.match(problems({ a: { store: { lancedb: 'i', table: 't', refineFactor: 2.5 } }, b: {} })[0]!, /a\.store\.refineFactor/);
    assert.match(problems({ a: { store: { file: 'v.jsonl', nprobes: 4 } }, b: {} })[0]!, /a\.store\.nprobes is not a known setting/);
  });

  it('URIs go to LanceDB as written; file:// becomes a folder', () => {
    const s3 = parse({ a: { store: { lancedb: 's3://bucket/prod', table: 'docs' } }, b: {} }).a.store;
    assert.ok(s3?.kind === 'lancedb');
    assert.equal(s3.uri, 's3://bucket/prod');
    const local = parse({ a: { store: { lancedb: 'file:///data/my%20db', table: 'docs' } }, b: {} }).a.store;
    assert.ok(local?.kind === 'lancedb');
    assert.equal(local.uri, path.resolve('/data/my db'));
  });

  it('a side that names its own corpus chunks it, even next to a store', () => {
    const config = parse({ a: { store: { lancedb: 'index', table: 'docs' } }, b: { corpus: 'docs', chunker: { type: 'markdown' } } });
    assert.equal(config.b.textsOf, undefined);
    assert.equal(config.b.corpusRoot, path.resolve('/w/docs'));
  });

  it('names each mistake', () => {
    assert.deepEqual(problems({ a: { store: { lancedb: 'index' } }, b: {} }), ['a.store.table is required: the name of the LanceDB table that holds the vectors']);
    assert.deepEqual(problems({ a: { store: { file: 'vectors.csv' } }, b: {} }), ['a.store.file must be a vectors file ending in .parquet, .jsonl or .ndjson (got "vectors.csv")']);
    assert.deepEqual(problems({ a: { store: { vector: 'v' } }, b: {} }), ['a.store needs "lancedb" (a LanceDB folder) with "table", or "file" (a .parquet or .jsonl vectors file)']);
    assert.deepEqual(problems({ a: { store: { lancedb: 'i', table: 't' }, chunker: { size: 100 } }, b: {} }), ['a.chunker has no effect on a side read from a store (its chunks and vectors are the stored rows); remove it or the "store"']);
    assert.deepEqual(problems({ a: { store: { lancedb: 'i', table: 't' } }, b: { chunker: { size: 100 } } }), ['b.chunker has no effect: B embeds the texts of A\'s store as they are; give b a "corpus" to chunk files instead']);
    assert.match(problems({ a: { store: { lancedb: 'i', table: 't', vectr: 'v' } }, b: {} })[0]!, /a\.store\.vectr is not a known setting; did you mean "vector"\?/);
  });

  it('loadConfig checks the store paths exist, and needs no corpus folder when both sides are stores', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'drift-store-config-'));
    try {
      const file = path.join(dir, 'embedding-drift.json');
      await fs.writeFile(file, JSON.stringify({ corpus: 'missing-docs', a: { store: { file: 'a.jsonl' } }, b: { store: { lancedb: 'db', table: 't' } } }));
      await assert.rejects(loadConfig(file), (err: ConfigError) => {
        assert.deepEqual(err.issues.map((i) => i.path), ['a.store.file', 'b.store.lancedb']);
        return true;
      });
      await fs.writeFile(path.join(dir, 'a.jsonl'), '');
      await fs.mkdir(path.join(dir, 'db'));
      const config = await loadConfig(file);
      assert.equal(config.corpus.root, path.join(dir, 'missing-docs'));
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
