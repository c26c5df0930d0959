// Sampling past memory on real LanceDB tables: neighbors of sampled rows through the database's
// own search, checked against an exact search of the whole table computed independently here.
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { exactTopK } from '../../../src/core/index/exact';
import { openStore } from '../../../src/core/store';
import { loadLanceDb } from '../../../src/core/store/lancedbModule';
import { unitRows } from '../../../src/core/index/vectors';
import { sampleStores, type SampledComparison } from '../../../src/core/store/sample';
import type { VectorStore } from '../../../src/core/store/types';
import { clusteredRows, fileSpec, lanceSpec, tempDir, writeJsonl, writeTable, type TestRow } from './support';

const N = 3000;
const DIM = 16;
const K = 10;

/** Exact neighbor ids of each row id of `ids` under one vector column, from all rows held in memory. */
async function exactNeighbors(rows: readonly TestRow[], column: string, ids: readonly string[]): Promise<Map<string, string[]>> {
  const all = new Float32Array(rows.length * DIM);
  rows.forEach((r, i) => all.set(Array.from(r.vectors[column]!), i * DIM));
  const unit = unitRows(all, DIM);
  const position = new Map(rows.map((r, i) => [r.id, i]));
  const wanted = ids.map((id) => position.get(id)!);
  const queries = new Float32Array(wanted.length * DIM);
  wanted.forEach((p, i) => queries.set(unit.subarray(p * DIM, (p + 1) * DIM), i * DIM));
  const lists = await exactTopK(unit, rows.length, DIM, K + 1, { queries, excludeSelf: false, workers: 0 });
  return new Map(ids.map((id, q) => [id, Array.from(lists.indices.subarray(q * (K + 1), (q + 1) * (K + 1))).map((i) => rows[i]!.id).filter((x) => x !== id).slice(0, K)]));
}

function listIds(result: SampledComparison, side: 'a' | 'b', r: number): string[] {
  const lists = side === 'a' ? result.listsA : result.listsB;
  return Array.from(lists.indices.subarray(r * K, (r + 1) * K)).filter((i) => i >= 0).map((i) => result.items[i]!.id);
}

describe('store: sampled comparison through the database search', function () {
  this.timeout(180_000);
  let dir: string;
  let rows: TestRow[];
  const opened: VectorStore[] = [];
  const open = async (...args: Parameters<typeof openStore>): Promise<VectorStore> => {
    const store = await openStore(...args);
    opened.push(store);
    return store;
  };
  before(async () => {
    dir = await tempDir('sample');
    rows = clusteredRows(N, DIM, 5);
    await writeTable(path.join(dir, 'db'), 'docs', rows);
  });
  afterEach(() => { for (const s of opened.splice(0)) s.close(); });
  after(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  it('without an index (flat search), each sampled row gets exactly its true top-k under both columns; recall is not estimated', async () => {
    const a = await open(lanceSpec(path.join(dir, 'db'), 'docs'));
    const b = await open(lanceSpec(path.join(dir, 'db'), 'docs', { vector: 'vector_b' }));
    const result = await sampleStores(a, b, { k: K, size: 200, seed: 3 });
    assert.equal(result.size, 200);
    assert.equal(result.total, N);
    assert.equal(result.searchA.method, 'flat');
    assert.equal(result.searchA.recall, null);
    const sampledIds = result.items.slice(0, 200).map((x) => x.id);
    assert.equal(new Set(sampledIds).size, 200);
    const truthA = await exactNeighbors(rows, 'vector', sampledIds);
    const truthB = await exactNeighbors(rows, 'vector_b', sampledIds);
    let differ = 0;
    for (let r = 0; r < 200; r++) {
      assert.deepEqual(listIds(result, 'a', r), truthA.get(sampledIds[r]!));
      assert.deepEqual(listIds(result, 'b', r), truthB.get(sampledIds[r]!));
      if (listIds(result, 'a', r).join() !== listIds(result, 'b', r).join()) differ++;
    }
    // The two columns are different "models": some lists change (else the test would not see B at all).
    assert.ok(differ > 50, `lists that differ: ${differ}`);
    // Every item's vector under each side is its stored vector, scaled to unit length.
    const byId = new Map(rows.map((r) => [r.id, r]));
    result.items.forEach((item, i) => {
      for (const [side, column] of [['A', 'vector'], ['B', 'vector_b']] as const) {
        const stored = unitRows(Float32Array.from(byId.get(item.id)!.vectors[column]!), DIM);
        const got = (side === 'A' ? result.vectorsA : result.vectorsB).subarray(i * DIM, (i + 1) * DIM);
        assert.deepEqual(Array.from(got), Array.from(stored), `${side} vector of ${item.id}`);
      }
    });
  });

  it('the same seed samples the same rows; another seed others', async () => {
    const a = await open(lanceSpec(path.join(dir, 'db'), 'docs'));
    const ids = async (seed: number): Promise<string[]> => (await sampleStores(a, a, { k: K, size: 50, seed })).items.slice(0, 50).map((x) => x.id);
    const first = await ids(11);
    assert.deepEqual(await ids(11), first);
    assert.notDeepEqual(await ids(12), first);
  });

  it('one column against itself gives identical lists', async () => {
    const a = await open(lanceSpec(path.join(dir, 'db'), 'docs'));
    const b = await open(lanceSpec(path.join(dir, 'db'), 'docs'));
    const result = await sampleStores(a, b, { k: K, size: 100, seed: 1 });
    assert.deepEqual(Array.from(result.listsA.indices), Array.from(result.listsB.indices));
  });

  it('a second store with the rows in another order is matched by id', async () => {
    const shuffled = [...rows].reverse().map((r) => ({ ...r, vectors: { vector: r.vectors['vector_b']! } }));
    const file = path.join(dir, 'b.jsonl');
    await writeJsonl(file, shuffled);
    const a = await open(lanceSpec(path.join(dir, 'db'), 'docs'));
    const bTable = await open(lanceSpec(path.join(dir, 'db'), 'docs', { vector: 'vector_b' }));
    const bFile = await open(fileSpec(file));
    const viaTable = await sampleStores(a, bTable, { k: K, size: 100, seed: 9 });
    const viaFile = await sampleStores(a, bFile, { k: K, size: 100, seed: 9 });
    for (let r = 0; r < 100; r++) assert.deepEqual(listIds(viaFile, 'b', r), listIds(viaTable, 'b', r));
  });

  it('a row id the other store lacks is named', async () => {
    const file = path.join(dir, 'partial.jsonl');
    await writeJsonl(file, rows.slice(0, N / 2).map((r) => ({ ...r, vectors: { vector: r.vectors['vector_b']! } })));
    const a = await open(lanceSpec(path.join(dir, 'db'), 'docs'));
    const b = await open(fileSpec(file));
    await assert.rejects(sampleStores(a, b, { k: K, size: 300, seed: 2 }), /partial\.jsonl has no row with id "r\d+"/);
  });

  it('with an IVF-PQ index the index answers, and its recall is what an exact search of the table says', async () => {
    const uri = path.join(dir, 'indexed');
    await writeTable(uri, 'docs', rows);
    const { lancedb } = loadLanceDb();
    const db = await lancedb.connect(uri);
    const table = await db.openTable('docs');
    await table.createIndex('vector', { config: lancedb.Index.ivfPq({ distanceType: 'cosine', numPartitions: 8, numSubVectors: 4 }) });
    table.close();
    db.close();
    const a = await open(lanceSpec(uri, 'docs'));
    assert.deepEqual(a.index, { type: 'IVF_PQ', metric: 'cosine' });
    const b = await open(lanceSpec(uri, 'docs', { vector: 'vector_b' }));
    // Every sampled row is a probe, so the recall can be recomputed here from the lists.
    const timings: Record<string, number> = {};
    const started = performance.now();
    const result = await sampleStores(a, b, { k: K, size: 150, seed: 4, probes: 150, timings });
    const wall = performance.now() - started;
    // Each part's time is recorded, and the parts do not overlap (their sum fits in the call).
    assert.deepEqual(Object.keys(timings).sort(), ['read', 'recall.a', 'recall.b', 'search.a', 'search.b', 'vectors'].map((p) => `store.sample.${p}`));
    assert.ok(Object.values(timings).every((ms) => Number.isInteger(ms) && ms >= 0));
    assert.ok(Object.values(timings).reduce((x, y) => x + y, 0) <= Math.ceil(wall) + 6, `${JSON.stringify(timings)} in ${wall} ms`);
    assert.equal(result.searchA.method, 'index');
    assert.equal(result.searchA.index, 'IVF_PQ');
    assert.equal(result.searchB.method, 'flat');
    const sampledIds = result.items.slice(0, 150).map((x) => x.id);
    const truth = await exactNeighbors(rows, 'vector', sampledIds);
    let found = 0;
    sampledIds.forEach((id, r) => { const got = new Set(listIds(result, 'a', r)); found += truth.get(id)!.filter((x) => got.has(x)).length; });
    assert.ok(Math.abs(result.searchA.recall! - found / (150 * K)) < 1e-9, `${result.searchA.recall} vs ${found / (150 * K)}`);
    // PQ with 4 sub-vectors is coarse: recall is below 1, so the measurement is not vacuous.
    assert.ok(result.searchA.recall! < 1, `recall ${result.searchA.recall}`);
    // Re-ranking candidates with the full vectors (production's refineFactor) recovers neighbors PQ lost.
    const refined = await open({ ...lanceSpec(uri, 'docs'), refineFactor: 20 } as ReturnType<typeof lanceSpec>);
    const better = await sampleStores(refined, b, { k: K, size: 150, seed: 4, probes: 150 });
    assert.ok(better.searchA.recall! > result.searchA.recall! && better.searchA.recall! > 0.9, `refined ${better.searchA.recall} vs ${result.searchA.recall}`);
  });
});
