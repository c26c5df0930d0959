// The built CLI with stores: export a side to LanceDB and compare against it; a bad store is one
// line on stderr, exit 2, and no report or table written. Needs `node esbuild.js`.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeTree } from '../../support/files';
import { tempDir } from './support';

import { CLI, cli } from '../../support/cli';

const CORPUS: Record<string, string> = {
  'docs/install.md': '# Install\n\nRun npm install to fetch the dependencies. Node 20 or newer is required.\n\n## Offline\n\nThe built-in embedder needs no download, so a first run works without a network.\n',
  'docs/search.md': '# Search\n\nThe vector index answers nearest neighbor queries. HNSW trades a little recall for speed.\n\n## Exact search\n\nExact top-k is a blocked matrix product; it is the reference for recall.\n',
  'docs/tokens.md': '# Tokenizers\n\nWordPiece splits rare words into pieces such as token and ##ization. Byte-level BPE never has unknown tokens.\n',
  'docs/faq.md': '# FAQ\n\n## Why do neighbors change?\n\nA different chunker cuts the text elsewhere, so each chunk carries other words.\n\n## What is churn?\n\nThe share of chunks that lose more than half of their nearest neighbors.\n',
};

describe('embedding-drift export and compare with a store (dist/cli.js)', function () {
  this.timeout(300_000);
  let dir: string;
  let env: Record<string, string>;
  before(async function () {
    if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `node esbuild.js` (npm test builds first).');
    dir = await tempDir('cli');
    await writeTree(path.join(dir, 'work'), CORPUS);
    env = { XDG_CACHE_HOME: path.join(dir, 'xdg-cache') };
    const config = { corpus: '.', k: 3, a: { chunker: { type: 'recursive', size: 120, overlap: 10 } }, b: { model: { builtin: 'lexical', dimension: 128 } } };
    await fs.writeFile(path.join(dir, 'work', 'embedding-drift.json'), JSON.stringify(config));
  });
  after(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  it('exports side A, then compares the table against a candidate embedding the same texts', async () => {
    const work = path.join(dir, 'work');
    const exported = cli(['export', '--config', 'embedding-drift.json', '--to', 'lancedb:index', '--table', 'docs', '--offline'], work, env);
    assert.equal(exported.status, 0, exported.stderr);
    assert.match(exported.stdout, /^exported A \(builtin:lexical\): \d+ rows of 384 dimensions to LanceDB table "docs" in .*index\n$/);
    const config = { k: 3, a: { label: 'production', model: 'builtin:lexical', store: { lancedb: 'index', table: 'docs' } }, b: { label: 'candidate', model: { builtin: 'lexical', dimension: 128 } } };
    await fs.writeFile(path.join(work, 'store.json'), JSON.stringify(config));
    const compared = cli(['compare', '--config', 'store.json', '--out', 'out', '--offline'], work, env);
    assert.equal(compared.status, 0, compared.stderr);
    const report = JSON.parse(readFileSync(path.join(work, 'out', 'report.json'), 'utf8'));
    assert.equal(report.stores.a.source, 'lancedb:docs.vector');
    assert.equal(report.stores.b, undefined);
    assert.equal(report.neighbors.comparison, 'same-items');
    assert.match(compared.stdout, /production \(builtin:lexical \(stored: lancedb:docs\.vector\), stored rows \(\d+\)\) vs candidate \(builtin:lexical[^,]*, texts of A's stored rows\)/);
    assert.match(compared.stdout, /; A \d+ rows read from its store; B \d+ embedded, 0 from cache/);
  });

  it('a missing column: exit 2, one line naming table and column, no report written', async () => {
    const work = path.join(dir, 'work');
    await fs.writeFile(path.join(work, 'bad.json'), JSON.stringify({ a: { store: { lancedb: 'index', table: 'docs', vector: 'embedding' } }, b: {} }));
    const r = cli(['compare', '--config', 'bad.json', '--out', 'bad-out', '--offline'], work, env);
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^embedding-drift: a\.store\.vector: LanceDB table "docs" in .*index has no column "embedding" \(columns: "id", "text", "path", "start", "end", "model", "vector"\)\.\n$/);
    // The CLI prepares (and marks) the output folder before the run; no report is written into it.
    assert.equal(existsSync(path.join(work, 'bad-out', 'report.json')), false);
    assert.equal(existsSync(path.join(work, 'bad-out', 'report.html')), false);
  });

  it('export refuses a bad --to and an existing table, and writes nothing', () => {
    const work = path.join(dir, 'work');
    const noScheme = cli(['export', '--to', 'index', '--table', 'docs2'], work, env);
    assert.equal(noScheme.status, 2);
    assert.match(noScheme.stderr, /--to must be lancedb:DIR/);
    const exists = cli(['export', '--to', 'lancedb:index', '--table', 'docs', '--offline'], work, env);
    assert.equal(exists.status, 2);
    assert.match(exists.stderr, /LanceDB table "docs" in .*index already exists; choose another --table or pass --overwrite/);
    assert.equal(existsSync(path.join(work, 'index', 'docs2.lance')), false);
  });
});
