// Neighbors over distinct texts: a duplicated file must not manufacture churn. Checked on vectors
// (the search over distinct texts is the plain search on the deduplicated corpus, mapped back) and
// end to end (a symlinked copy of a real page leaves churn exactly as it was; A == B gives none).
import assert from 'node:assert/strict';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultConfig, defaultSearch } from '../../../src/core/config/defaults';
import { distinctTexts, findDistinctNeighbors } from '../../../src/core/index/distinct';
import { exactTopK } from '../../../src/core/index/exact';
import { gatherRows } from '../../../src/core/rows';
import { findNeighbors } from '../../../src/core/index/search';
import { compare } from '../../../src/core/pipeline/compare';
import { seededRandom } from '../../../src/core/random';
import { writeTree } from '../../support/files';

function unitRows(n: number, dim: number, random: () => number): Float32Array {
  const v = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let d = 0; d < dim; d++) { const x = random() - 0.5; v[i * dim + d] = x; norm += x * x; }
    for (let d = 0; d < dim; d++) v[i * dim + d]! /= Math.sqrt(norm);
  }
  return v;
}

describe('index: neighbors over distinct texts', function () {
  this.timeout(120_000);

  it('groups identical texts under their first occurrence', () => {
    const { first, unique } = distinctTexts(['a', 'b', 'a', 'c', 'b', 'a']);
    assert.deepEqual(Array.from(first), [0, 1, 0, 3, 1, 0]);
    assert.deepEqual(unique, [0, 1, 3]);
  });

  it('is the plain search on the deduplicated rows, every copy answered with its first occurrence\'s list', async () => {
    const dim = 6;
    const base = unitRows(30, dim, seededRandom(7));
    // 30 distinct texts; rows 30..44 copy rows 0, 2, 4, ... 28 (a duplicated file after the original).
    const copies = Array.from({ length: 15 }, (_, i) => 2 * i);
    const texts = [...Array.from({ length: 30 }, (_, i) => `t${i}`), ...copies.map((i) => `t${i}`)];
    const vectors = new Float32Array(45 * dim);
    vectors.set(base);
    copies.forEach((from, i) => vectors.set(base.subarray(from * dim, (from + 1) * dim), (30 + i) * dim));
    const k = 5;
    const search = await findDistinctNeighbors(texts, vectors, dim, k, defaultSearch(), { workers: 0 });
    const plain = await findNeighbors(base, 30, dim, k, defaultSearch(), { workers: 0 });
    assert.equal(search.distinct, 30);
    assert.equal(search.lists.n, 45);
    for (let r = 0; r < 45; r++) {
      const original = r < 30 ? r : copies[r - 30]!;
      const got = Array.from(search.lists.indices.subarray(r * k, (r + 1) * k));
      assert.deepEqual(got, Array.from(plain.lists.indices.subarray(original * k, (original + 1) * k)), `row ${r}`);
      // Neither a copy nor the twin of the item itself is ever a neighbor.
      assert.ok(got.every((j) => j < 30 && j !== original));
    }
    // The same on a sample of rows, copies included.
    const rows = [3, 31, 44, 10, 0];
    const sampled = await findDistinctNeighbors(texts, vectors, dim, k, defaultSearch(), { workers: 0, rows });
    assert.deepEqual(Array.from(sampled.rows), rows);
    rows.forEach((row, r) => {
      const original = row < 30 ? row : copies[row - 30]!;
      assert.deepEqual(Array.from(sampled.lists.indices.subarray(r * k, (r + 1) * k)), Array.from(plain.lists.indices.subarray(original * k, (original + 1) * k)));
    });
  });

  it('ties in score keep the lower chunk index first on every exact backend', async () => {
    const dim = 8;
    const groups = unitRows(50, dim, seededRandom(3));
    const n = 400;
    const vectors = gatherRows(groups, dim, Array.from({ length: n }, (_, i) => i % 50));
    const lists = await Promise.all((['js', 'onnx', 'wasm'] as const).map((backend) => exactTopK(vectors, n, dim, 5, { backend, workers: backend === 'js' ? 0 : 2 })));
    // Row 0's exact twins are 50, 100, 150, 200 (score 1), then 250: ascending index among equal scores.
    for (const l of lists) assert.deepEqual(Array.from(l.indices.subarray(0, 5)), [50, 100, 150, 200, 250]);
    assert.deepEqual(lists[1]!.indices, lists[0]!.indices);
    assert.deepEqual(lists[2]!.indices, lists[0]!.indices);
  });
});

describe('pipeline: a duplicated file does not manufacture churn', function () {
  this.timeout(180_000);
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'drift-dup-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  const PAGE = Array.from({ length: 14 }, (_, i) => `## Section ${i}\n\n${`Clients send requests ${i % 3 === 0 ? 'with timeouts' : i % 3 === 1 ? 'through proxies' : 'over HTTP/2'} and read responses, headers and cookies; part ${i}. `.repeat(3 + (i % 4))}\n`).join('\n');

  async function run(withCopy: boolean, sameSides: boolean) {
    const root = path.join(dir, withCopy ? 'dup' : 'single');
    await writeTree(root, { 'guide.md': `# Guide\n\n${PAGE}` });
    // The copy sorts before the original, as in the report that found the problem (copy.md < quickstart.md).
    if (withCopy) await symlink('guide.md', path.join(root, 'copy.md'));
    const config = defaultConfig(root);
    config.k = 5;
    if (sameSides) config.b = { ...config.a, label: 'A again', tokenizer: { kind: 'words' } };
    const session = await compare(config, { cacheDir: path.join(dir, 'cache'), allowNetwork: false });
    await session.dispose();
    return session.report;
  }

  it('churn with a symlinked copy of the page equals churn without it', async () => {
    const single = await run(false, false);
    const dup = await run(true, false);
    assert.equal(dup.corpus.files, 2);
    assert.equal(dup.chunks.a, 2 * single.chunks.a);
    assert.ok(single.neighbors.churnedShare !== null);
    assert.equal(dup.neighbors.churnedShare, single.neighbors.churnedShare);
    assert.equal(dup.neighbors.meanJaccard, single.neighbors.meanJaccard);
    assert.equal(dup.neighbors.meanRbo, single.neighbors.meanRbo);
  });

  it('A == B on a corpus with a duplicated file gives no churn', async () => {
    const report = await run(true, true);
    assert.equal(report.neighbors.churnedShare, 0);
    assert.equal(report.neighbors.meanJaccard, 1);
    assert.equal(report.neighbors.meanRbo, 1);
  });
});
