// compare() and export with store sides, end to end on real LanceDB tables and vectors files the
// test writes, and on READMEs of installed packages (text nobody here wrote).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { defaultConfig } from '../../../src/core/config';
import type { DriftConfig } from '../../../src/core/config/types';
import { DEFAULT_STORE_COLUMNS } from '../../../src/core/config/defaults';
import { compare } from '../../../src/core/pipeline/compare';
import { exportSide } from '../../../src/core/pipeline/export';
import type { Report } from '../../../src/core/report/types';
import { loadLanceDb } from '../../../src/core/store/lancedbModule';
import { DriftError } from '../../../src/core/types';
import { clusteredRows, fileSpec, lanceSpec, tempDir, writeJsonl, writeParquet, writeTable } from './support';

const READMES = ['apache-arrow', 'ajv', 'hyparquet', 'hyparquet-writer'];

async function run(config: DriftConfig, cacheDir: string, onProgress?: Parameters<typeof compare>[1]['onProgress']): Promise<Report> {
  const session = await compare(config, { cacheDir, allowNetwork: false, workers: 0, ...(onProgress ? { onProgress } : {}) });
  await session.dispose();
  return session.report;
}

/** What must be identical between two runs over the same vectors: chunks, every neighbor list and the churn numbers. */
function neighborView(report: Report): unknown {
  const n = report.neighbors;
  return {
    chunks: report.chunkTable.a.map((c) => [c.file, c.start, c.end, c.text]),
    chunksB: report.chunkTable.b.map((c) => [c.file, c.start, c.end, c.text]),
    items: n.items, meanJaccard: n.meanJaccard, churnedShare: n.churnedShare, meanRbo: n.meanRbo, histogram: n.histogram, comparison: n.comparison,
    space: report.space,
  };
}

describe('store sides in compare() and export', function () {
  this.timeout(240_000);
  let dir: string;
  let corpus: string;
  let cacheDir: string;
  before(async () => {
    dir = await tempDir('pipeline');
    corpus = path.join(dir, 'corpus');
    cacheDir = path.join(dir, 'cache');
    for (const name of READMES) {
      await fs.mkdir(path.join(corpus, name), { recursive: true });
      await fs.copyFile(path.join('node_modules', name, 'README.md'), path.join(corpus, name, 'README.md'));
    }
  });
  after(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  function folderConfig(): DriftConfig {
    const config = defaultConfig(corpus);
    config.k = 5;
    config.autoAnchors = false;
    config.a.chunker = { type: 'recursive', size: 400, overlap: 40, unit: 'chars' };
    config.b = { ...config.a, label: 'B', model: { kind: 'builtin', name: 'lexical', dimension: 128 } };
    return config;
  }

  it('export a side, read it back as a store: the neighbors and churn equal the direct run', async () => {
    const direct = await run(folderConfig(), cacheDir);
    assert.ok(direct.chunks.a > 60, `enough chunks: ${direct.chunks.a}`);
    const uri = path.join(dir, 'exported');
    const written = await exportSide(folderConfig(), 'a', { uri, table: 'docs' }, { cacheDir, allowNetwork: false });
    assert.equal(written.rows, direct.chunks.a);
    assert.equal(written.model, 'builtin:lexical');
    const fromStore = folderConfig();
    fromStore.a = { ...fromStore.a, store: lanceSpec(uri, 'docs'), storeModel: true };
    fromStore.b = { ...fromStore.b, textsOf: 'a' };
    const report = await run(fromStore, cacheDir);
    assert.deepEqual(neighborView(report), neighborView(direct));
    assert.equal(report.stores?.a?.source, 'lancedb:docs.vector');
    assert.equal(report.stores?.a?.rows, direct.chunks.a);
    assert.equal(report.stores?.a?.search, 'memory');
    assert.equal(report.stores?.a?.mixed.mixed, false);
    assert.deepEqual(report.stores?.a?.mixed.models, [{ name: 'builtin:lexical', rows: direct.chunks.a }]);
    assert.equal(report.configs.a.chunker, `stored rows (${direct.chunks.a})`);
    // Export writes the columns a store is read with by default.
    const db = await loadLanceDb().lancedb.connect(uri);
    const table = await db.openTable('docs');
    assert.deepEqual((await table.schema()).fields.map((f) => f.name), ['id', 'text', 'path', 'start', 'end', 'model', 'vector']);
    assert.deepEqual(Object.values(DEFAULT_STORE_COLUMNS).sort(), ['end', 'id', 'model', 'path', 'start', 'text', 'vector']);
    table.close();
    db.close();
    // The table refuses to be overwritten by accident.
    await assert.rejects(exportSide(folderConfig(), 'a', { uri, table: 'docs' }, { cacheDir, allowNetwork: false }), /already exists; choose another --table or pass --overwrite/);
  });

  it('a GloVe side with zero vectors (chunks of words GloVe never saw) exports and reads back to the same report', async () => {
    const words = path.join(dir, 'glove-corpus');
    await fs.mkdir(words, { recursive: true });
    for (const name of READMES.slice(0, 2)) await fs.copyFile(path.join('node_modules', name, 'README.md'), path.join(words, `${name}.md`));
    // Every word here postdates GloVe's 2014 vocabulary: the chunk embeds to the zero vector.
    await fs.writeFile(path.join(words, 'new-words.md'), 'llms agentic langchain pytorch onnx kubernetes\n');
    const config = (): DriftConfig => {
      const c = folderConfig();
      c.corpus = { ...c.corpus, root: words };
      c.a = { ...c.a, model: { kind: 'builtin', name: 'glove', backend: 'auto' } };
      return c;
    };
    const direct = await run(config(), cacheDir);
    assert.equal(direct.truncation.a.zeroVectors, 1, 'the new-words chunk gets the zero vector');
    const uri = path.join(dir, 'glove-exported');
    const written = await exportSide(config(), 'a', { uri, table: 'docs' }, { cacheDir, allowNetwork: false });
    assert.equal(written.rows, direct.chunks.a);
    const fromStore = config();
    fromStore.a = { ...fromStore.a, store: lanceSpec(uri, 'docs'), storeModel: true };
    fromStore.b = { ...fromStore.b, textsOf: 'a' };
    const report = await run(fromStore, cacheDir);
    assert.deepEqual(neighborView(report), neighborView(direct));
    assert.equal(report.truncation.a.zeroVectors, 1);
    // The zero vector is no second model: the mixed-index check stays quiet.
    assert.equal(report.stores?.a?.mixed.mixed, false, JSON.stringify(report.stores?.a?.mixed));
    assert.equal(report.stores?.a?.mixed.norms.min, 0);
  });

  it('two vector columns of one table: the churn equals what the same vectors give from two files', async () => {
    const rows = clusteredRows(400, 24, 8).map((r, i) => ({ ...r, path: `docs/${i % 20}.md`, start: Math.floor(i / 20) * 100, end: Math.floor(i / 20) * 100 + 90, text: `${r.text} `.padEnd(90, '.') }));
    const uri = path.join(dir, 'two-columns');
    await writeTable(uri, 'docs', rows);
    const aFile = path.join(dir, 'a.jsonl');
    const bFile = path.join(dir, 'b.parquet');
    await writeJsonl(aFile, rows.map((r) => ({ ...r, vectors: { vector: r.vectors['vector']! } })));
    await writeParquet(bFile, rows.map((r) => ({ ...r, vectors: { vector: r.vectors['vector_b']! } })));
    const base = defaultConfig(dir);
    base.k = 10;
    const tables: DriftConfig = { ...base, a: { ...base.a, store: lanceSpec(uri, 'docs') }, b: { ...base.b, store: lanceSpec(uri, 'docs', { vector: 'vector_b' }) } };
    const files: DriftConfig = { ...base, a: { ...base.a, store: fileSpec(aFile) }, b: { ...base.b, store: fileSpec(bFile) } };
    const fromTable = await run(tables, cacheDir);
    const fromFiles = await run(files, cacheDir);
    assert.deepEqual(neighborView(fromTable), neighborView(fromFiles));
    assert.equal(fromTable.neighbors.comparison, 'same-items');
    const churned = fromTable.neighbors.churnedShare ?? -1;
    assert.ok(churned > 0.05 && churned < 0.95, `churn ${churned}`);
    assert.equal(fromTable.corpus.rootB, undefined, 'two columns of one table are one corpus');
    assert.match(fromTable.warnings.join('\n'), /Anchors and queries were left out: A and B read stored vectors/);
  });

  describe('bad input: one line naming the table and column, nothing written', () => {
    let uri: string;
    before(async () => {
      uri = path.join(dir, 'bad');
      await writeTable(uri, 'docs', clusteredRows(60, 8, 2));
    });
    const storeConfig = (a: Partial<DriftConfig['a']>, b: Partial<DriftConfig['b']> = {}): DriftConfig => {
      const base = defaultConfig(dir);
      base.k = 3;
      return { ...base, a: { ...base.a, ...a }, b: { ...base.b, ...b } };
    };
    const refused = async (config: DriftConfig, ...parts: RegExp[]): Promise<void> => {
      await assert.rejects(run(config, cacheDir), (err: unknown) => {
        assert.ok(err instanceof DriftError, String(err));
        assert.ok(!err.message.includes('\n'), err.message);
        for (const part of parts) assert.match(err.message, part);
        return true;
      });
    };

    it('a missing table, a missing column', async () => {
      await refused(storeConfig({ store: lanceSpec(uri, 'dcos') }, { textsOf: 'a' }), /a\.store\.table/, /"dcos"/);
      await refused(storeConfig({ store: lanceSpec(uri, 'docs') }, { store: lanceSpec(uri, 'docs', { vector: 'vector_c' }) }), /b\.store\.vector/, /"docs"/, /"vector_c"/);
    });

    it('a model of another dimension than the stored vectors', async () => {
      await refused(storeConfig({ store: lanceSpec(uri, 'docs'), storeModel: true }, { textsOf: 'a' }), /a\.model builtin:lexical embeds 384 dimensions/, /"docs"/, /column "vector" holds 8/);
    });

    it('NaN vectors and an empty table', async () => {
      const nan = path.join(dir, 'nan');
      const rows = clusteredRows(30, 8, 3);
      rows[7]!.vectors['vector'] = [1, NaN, 0, 0, 0, 0, 0, 0];
      await writeTable(nan, 'docs', rows);
      await refused(storeConfig({ store: lanceSpec(nan, 'docs') }, { textsOf: 'a' }), /"docs"/, /column "vector"/, /NaN/, /row id "r7"/);
      const empty = path.join(dir, 'empty');
      await writeTable(empty, 'docs', [], { dim: 8 });
      await refused(storeConfig({ store: lanceSpec(empty, 'docs') }, { textsOf: 'a' }), /"docs"/, /is empty/, /column "vector"/);
    });

    it('a table written to while the run reads it', async () => {
      const moving = path.join(dir, 'moving');
      await writeTable(moving, 'docs', clusteredRows(60, 8, 4));
      let written = false;
      // The write happens inside B's embedding (synchronously, in another process), after A's rows were read.
      const append = (): void => {
        if (written) return;
        written = true;
        execFileSync(process.execPath, ['-e', `
          const lancedb = require(${JSON.stringify(require.resolve('@lancedb/lancedb'))});
          (async () => { const db = await lancedb.connect(${JSON.stringify(moving)}); const t = await db.openTable('docs');
            await t.add([{ id: 'new', text: 'new row', vector: [1, 0, 0, 0, 0, 0, 0, 0], vector_b: [0, 1, 0, 0, 0, 0, 0, 0] }]); })();`], { env: { ...process.env, LANCEDB_LOG: 'error' } });
      };
      await assert.rejects(
        run(storeConfig({ store: lanceSpec(moving, 'docs') }, { textsOf: 'a' }), cacheDir, (e) => { if (e.side === 'b' && e.stage === 'embed') append(); }),
        /LanceDB table "docs" in .*moving changed during the run \(version 1 when the run started, 2 now; column "vector"\); nothing was written/,
      );
      assert.ok(written);
    });
  });

});
