// A comparison too large to hold: a 100,000-row LanceDB table with two vector columns, each with
// its IVF-PQ index, compared through a sample of 5,000 rows. It finishes, and the report states its
// sample, the churn intervals and the recall of the database search.
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { defaultConfig } from '../../../src/core/config';
import type { DriftConfig } from '../../../src/core/config/types';
import { compare } from '../../../src/core/pipeline/compare';
import { loadLanceDb } from '../../../src/core/store/lancedbModule';
import { clusteredRows, lanceSpec, tempDir, writeTable } from './support';

describe('store: a 100,000-row table sampled at 5,000', function () {
  this.timeout(900_000);
  let dir: string;
  let uri: string;
  before(async () => {
    dir = await tempDir('sampled');
    uri = path.join(dir, 'db');
    await writeTable(uri, 'docs', clusteredRows(100_000, 32, 17, { clusters: 500 }));
    const { lancedb } = loadLanceDb();
    const db = await lancedb.connect(uri);
    const table = await db.openTable('docs');
    for (const column of ['vector', 'vector_b']) await table.createIndex(column, { config: lancedb.Index.ivfPq({ distanceType: 'cosine' }) });
    table.close();
    db.close();
  });
  after(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  function config(sample: number, b: Partial<DriftConfig['b']> = { store: lanceSpec(uri, 'docs', { vector: 'vector_b' }) }): DriftConfig {
    const base = defaultConfig(dir);
    return { ...base, k: 10, sample, a: { ...base.a, store: lanceSpec(uri, 'docs') }, b: { ...base.b, ...b } };
  }

  it('finishes, and states its sample, the churn intervals and the recall of the database search', async () => {
    const session = await compare({ ...config(5000), noiseFloor: true }, { cacheDir: path.join(dir, 'cache'), allowNetwork: false });
    await session.dispose();
    const { report } = session;
    const n = report.neighbors;
    assert.equal(n.method, 'database');
    assert.equal(n.comparison, 'same-items');
    assert.equal(n.sampled?.size, 5000);
    assert.equal(n.sampled?.total, 100_000);
    const [low, high] = n.sampled!.churnedShareCi;
    assert.ok(n.churnedShare !== null && low <= n.churnedShare && n.churnedShare <= high && high - low < 0.05, `churn ${n.churnedShare} in [${low}, ${high}]`);
    assert.ok(n.sampled!.meanJaccardCi[0] <= n.meanJaccard && n.meanJaccard <= n.sampled!.meanJaccardCi[1]);
    assert.equal(n.items.length, 5000);
    // Sampled rows come first in the chunk table; their neighbors (from the whole table) follow.
    assert.ok(n.items.every((item) => item.chunk < 5000));
    assert.ok(report.chunkTable.a.length > 5000 && report.chunkTable.a.length <= 5000 * 21, String(report.chunkTable.a.length));
    for (const side of ['a', 'b'] as const) {
      const store = report.stores![side]!;
      assert.equal(store.rows, 100_000);
      assert.equal(store.index, 'IVF_PQ');
      assert.equal(store.search, 'index');
      assert.equal(store.probes, 100);
      assert.ok(store.recallAtK !== null && store.recallAtK > 0 && store.recallAtK <= 1, String(store.recallAtK));
      assert.equal(n.recallAtK?.[side], Math.round(store.recallAtK * 1e4) / 1e4);
      assert.equal(store.mixed.rows, 5000);
      assert.equal(store.mixed.mixed, false);
    }
    assert.match(report.warnings.join('\n'), /uniform sample of 5000 of 100000 stored rows/);
    // A side whose database search recalls less than 0.9 of the exact neighbors is named, and only such a side.
    const warned = report.warnings.filter((w) => /^[AB]'s database search found \d+% of the exact 10 nearest neighbors/.test(w)).map((w) => w[0]);
    assert.deepEqual(warned, (['a', 'b'] as const).filter((s) => report.stores![s]!.recallAtK! < 0.9).map((s) => s.toUpperCase()));
    // The noise floor asked for cannot be measured on the database's search: said, not silently dropped.
    assert.equal(report.noiseFloor, undefined);
    assert.match(report.warnings.join('\n'), /The noise floor was not measured: on a sampled store/);
  });

  it('a sample next to a side that embeds the texts says what to do instead', async () => {
    await assert.rejects(compare(config(50, { textsOf: 'a' }), { cacheDir: path.join(dir, 'cache'), allowNetwork: false }),
      /LanceDB table "docs" in .* holds 100000 rows and is compared through a sample of 50, which needs both sides stored, but B embeds its texts: write B to a table first \(embedding-drift export --side b/);
    // An encoding of the vectors (int8, fewer dimensions) cannot apply to what the database searches.
    const quantized = config(50);
    quantized.b = { ...quantized.b, vectors: { quantize: 'int8' } };
    await assert.rejects(compare(quantized, { cacheDir: path.join(dir, 'cache'), allowNetwork: false }),
      /b\.vectors cannot apply to LanceDB table "docs" in .*: it holds 100000 rows and is compared through a sample of 50, whose neighbors come from the database's own search/);
  });
});
