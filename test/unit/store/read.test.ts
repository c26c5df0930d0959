// Reading stores: real LanceDB tables, Parquet and JSON Lines files written by the test, read
// back exactly; every bad input a one-line message naming the store and the column.
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { openStore } from '../../../src/core/store';
import type { VectorStore } from '../../../src/core/store/types';
import { DriftError } from '../../../src/core/types';
import { appendRows, fileSpec, lanceSpec, tempDir, writeJsonl, writeParquet, writeTable, type TestRow } from './support';

/** Six rows of 3-d vectors whose cosines are easy to work out by hand. */
const ROWS: TestRow[] = [
  { id: 'a', text: 'alpha', path: 'docs/a.md', start: 0, end: 5, vectors: { vector: [1, 0, 0], vector_b: [0, 1, 0] } },
  { id: 'b', text: 'beta', path: 'docs/a.md', start: 5, end: 9, vectors: { vector: [3, 4, 0], vector_b: [0, 1, 1] } },
  { id: 'c', text: 'gamma', path: 'docs/b.md', start: 0, end: 5, vectors: { vector: [0, 1, 0], vector_b: [1, 0, 0] } },
  { id: 'd', text: 'delta', path: 'docs/b.md', start: 5, end: 10, vectors: { vector: [0, 0, 2], vector_b: [1, 1, 0] } },
  { id: 'e', text: 'epsilon', path: 'docs/c.md', start: 0, end: 7, vectors: { vector: [1, 1, 1], vector_b: [0, 0, 1] } },
  { id: 'f', text: 'zeta', path: 'docs/c.md', start: 7, end: 11, vectors: { vector: [-1, 0, 0], vector_b: [1, 0, 1] } },
];

async function expectMessage(open: Promise<unknown>, ...parts: RegExp[]): Promise<string> {
  try {
    await open;
  } catch (err) {
    assert.ok(err instanceof DriftError, `expected a DriftError, got ${String(err)}`);
    assert.ok(!err.message.includes('\n'), `one line: ${err.message}`);
    for (const part of parts) assert.match(err.message, part);
    return err.message;
  }
  throw new Error('expected the store to be refused');
}

describe('store: reading a side from a LanceDB table or a vectors file', function () {
  this.timeout(60_000);
  let dir: string;
  const opened: VectorStore[] = [];
  before(async () => {
    dir = await tempDir('read');
    await writeTable(path.join(dir, 'db'), 'docs', ROWS);
  });
  afterEach(() => { for (const s of opened.splice(0)) s.close(); });
  after(async () => { await fs.rm(dir, { recursive: true, force: true }); });
  const open = async (...args: Parameters<typeof openStore>): Promise<VectorStore> => {
    const store = await openStore(...args);
    opened.push(store);
    return store;
  };

  it('reads every row of a table exactly: ids, texts, files, ranges and float32 vectors in table order', async () => {
    const store = await open(lanceSpec(path.join(dir, 'db'), 'docs'));
    assert.equal(store.rows, 6);
    assert.equal(store.dimension, 3);
    assert.deepEqual(store.has, { file: true, range: true, model: false });
    assert.equal(store.index, null);
    const rows = await store.read();
    assert.deepEqual(rows.ids, ROWS.map((r) => r.id));
    assert.deepEqual(rows.texts, ROWS.map((r) => r.text));
    assert.deepEqual(rows.files, ROWS.map((r) => r.path));
    assert.deepEqual(Array.from(rows.starts!), ROWS.map((r) => r.start));
    assert.deepEqual(Array.from(rows.ends!), ROWS.map((r) => r.end));
    assert.deepEqual(Array.from(rows.vectors), ROWS.flatMap((r) => Array.from(r.vectors['vector']!)));
  });

  it('reads rows by offset in the order asked, and back by key and by id', async () => {
    const store = await open(lanceSpec(path.join(dir, 'db'), 'docs', { vector: 'vector_b' }));
    const rows = await store.read([4, 0, 2]);
    assert.deepEqual(rows.ids, ['e', 'a', 'c']);
    assert.deepEqual(Array.from(rows.vectors), [0, 0, 1, 0, 1, 0, 1, 0, 0]);
    const again = await store.take(rows.keys);
    assert.deepEqual(again.ids, ['e', 'a', 'c']);
    const byId = await store.lookup(['f', 'nope', "o'brien", 'b']);
    assert.deepEqual([...byId.ids].sort(), ['b', 'f']);
  });

  it('searches with the database: flat search ranks by cosine, scores are the cosines worked out by hand', async () => {
    const store = await open(lanceSpec(path.join(dir, 'db'), 'docs'));
    // Query [1, 0, 0]: cos with a = 1, b = 3/5, e = 1/sqrt(3), c = d = 0, f = -1.
    const result = await store.search(Float32Array.of(1, 0, 0), 3);
    assert.equal(result.method, 'flat');
    assert.deepEqual(result.hits[0]!.map((h) => h.id), ['a', 'b', 'e']);
    const scores = result.hits[0]!.map((h) => h.score);
    assert.ok(Math.abs(scores[0]! - 1) < 1e-6 && Math.abs(scores[1]! - 0.6) < 1e-6 && Math.abs(scores[2]! - 1 / Math.sqrt(3)) < 1e-6, String(scores));
    assert.deepEqual(result.hits[0]!.map((h) => [h.file, h.start, h.end]), [['docs/a.md', 0, 5], ['docs/a.md', 5, 9], ['docs/c.md', 0, 7]]);
  });

  for (const format of ['parquet', 'jsonl'] as const) {
    it(`reads a ${format} vectors file to the same rows as the table, and searches it exactly in memory`, async () => {
      const file = path.join(dir, `vectors.${format}`);
      await (format === 'parquet' ? writeParquet(file, ROWS) : writeJsonl(file, ROWS));
      const store = await open(fileSpec(file));
      const rows = await store.read();
      assert.deepEqual(rows.ids, ROWS.map((r) => r.id));
      assert.deepEqual(rows.files, ROWS.map((r) => r.path));
      assert.deepEqual(Array.from(rows.ends!), ROWS.map((r) => r.end));
      assert.deepEqual(Array.from(rows.vectors), ROWS.flatMap((r) => Array.from(r.vectors['vector']!)));
      const result = await store.search(Float32Array.of(1, 0, 0), 3);
      assert.equal(result.method, 'memory');
      assert.deepEqual(result.hits[0]!.map((h) => h.id), ['a', 'b', 'e']);
    });
  }

  it('without file and range columns rows are read by id and text alone', async () => {
    const uri = path.join(dir, 'plain');
    await writeTable(uri, 'docs', ROWS.map(({ id, text, vectors }) => ({ id, text, vectors })));
    const store = await open(lanceSpec(uri, 'docs'));
    assert.deepEqual(store.has, { file: false, range: false, model: false });
    const rows = await store.read();
    assert.equal(rows.files, undefined);
    assert.deepEqual(rows.ids, ROWS.map((r) => r.id));
  });

  it('an all-zero vector is read as stored (a text the model knew no token of) and scores 0, never NaN', async () => {
    // Query [1, 0, 0]: cos with a = 1, the zero row 0 (no direction), f = -1.
    const rows = [ROWS[0]!, { ...ROWS[1]!, vectors: { vector: [0, 0, 0], vector_b: [0, 1, 0] } }, ROWS[5]!];
    const file = path.join(dir, 'zero.jsonl');
    await writeJsonl(file, rows);
    const store = await open(fileSpec(file));
    assert.deepEqual(Array.from((await store.read()).vectors), [1, 0, 0, 0, 0, 0, -1, 0, 0]);
    const result = await store.search(Float32Array.of(1, 0, 0), 3);
    assert.deepEqual(result.hits[0]!.map((h) => [h.id, h.score]), [['a', 1], ['b', 0], ['f', -1]]);
    const uri = path.join(dir, 'zero');
    await writeTable(uri, 'docs', rows);
    const table = await open(lanceSpec(uri, 'docs'));
    assert.deepEqual(Array.from((await table.read()).vectors), [1, 0, 0, 0, 0, 0, -1, 0, 0]);
    // LanceDB's cosine search never returns a zero vector, and a zero query finds nothing.
    const hits = (await table.search(Float32Array.of(1, 0, 0, 0, 0, 0), 3)).hits;
    assert.deepEqual(hits[0]!.map((h) => [h.id, h.score]), [['a', 1], ['f', -1]]);
    assert.deepEqual(hits[1], []);
  });

  describe('bad input: one line naming the table and the column', () => {
    it('a missing table lists the tables that exist', async () => {
      await expectMessage(open(lanceSpec(path.join(dir, 'db'), 'dcos'), { field: 'a.store' }), /a\.store\.table/, /"dcos"/, /tables there: "docs"/);
    });
    it('a missing vector column names it and the columns there are', async () => {
      await expectMessage(open(lanceSpec(path.join(dir, 'db'), 'docs', { vector: 'embedding' }), { field: 'b.store' }), /b\.store\.vector/, /"docs"/, /no column "embedding"/, /"vector_b"/);
    });
    it('an optional column the configuration named must exist; a default one may be absent', async () => {
      await expectMessage(open(lanceSpec(path.join(dir, 'plain'), 'docs', { file: 'source' })), /store\.file/, /no column "source"/);
    });
    it('an empty table', async () => {
      const uri = path.join(dir, 'empty');
      await writeTable(uri, 'docs', [], { dim: 3 });
      await expectMessage(open(lanceSpec(uri, 'docs')), /"docs"/, /is empty/, /column "vector"/);
    });
    it('a NaN in a vector names the row id', async () => {
      const uri = path.join(dir, 'nan');
      await writeTable(uri, 'docs', [ROWS[0]!, { ...ROWS[1]!, vectors: { vector: [NaN, 1, 0], vector_b: [0, 1, 0] } }]);
      const store = await open(lanceSpec(uri, 'docs'));
      await expectMessage(store.read(), /"docs"/, /column "vector"/, /NaN/, /row id "b"/);
      const file = path.join(dir, 'nan.jsonl');
      await fs.writeFile(file, `${JSON.stringify({ id: 'x', text: 't', vector: [1, 0] })}\n${JSON.stringify({ id: 'y', text: 't', vector: [null, 1] })}\n`);
      await expectMessage(open(fileSpec(file)), /nan\.jsonl/, /column "vector"/, /NaN/, /row id "y"/);
    });
    it('vectors of two dimensions in one file name both and where each starts', async () => {
      const file = path.join(dir, 'mixed.jsonl');
      await writeJsonl(file, [ROWS[0]!, ROWS[1]!, { ...ROWS[2]!, vectors: { vector: [1, 0, 0, 0] } }]);
      await expectMessage(open(fileSpec(file)), /mixed\.jsonl/, /column "vector"/, /2 dimensions/, /3 in 2 row/, /4 in 1 row\(s\), first row id "c"/);
    });
    it('a file that is not Parquet', async () => {
      const file = path.join(dir, 'not.parquet');
      await fs.writeFile(file, 'id,text\n');
      await expectMessage(open(fileSpec(file)), /not\.parquet/, /not a readable Parquet file/);
    });
    it('a table written to during the run is named with both versions', async () => {
      const uri = path.join(dir, 'changing');
      await writeTable(uri, 'docs', ROWS);
      const store = await open(lanceSpec(uri, 'docs'));
      const before = await store.read();
      await appendRows(uri, 'docs', [{ ...ROWS[0]!, id: 'g' }]);
      // Reads stay on the version the run opened...
      assert.deepEqual((await store.read()).ids, before.ids);
      // ...and the run is told the table moved.
      await expectMessage(store.checkUnchanged(), /"docs"/, /changed during the run/, /version 1 when the run started, 2 now/, /column "vector"/, /nothing was written/);
    });
  });
});
