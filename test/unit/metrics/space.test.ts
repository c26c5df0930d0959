// Space metrics and churn against mathematical properties: a space compared with itself or with a
// rotation of itself is the same geometry; growing noise means growing churn.
import * as assert from 'node:assert/strict';
import { exactTopK } from '../../../src/core/index/exact';
import { identity } from '../../../src/core/index/hnsw';
import { neighborChurn, type ChurnResult } from '../../../src/core/metrics/churn';
import { matrix, selectRows, svd, transposeTimes } from '../../../src/core/metrics/linalg';
import { linearCka, procrustesRecovery } from '../../../src/core/metrics/space';
import { gaussian, seededRandom } from '../../../src/core/random';
import { multiply, normalizeRows, randomRotation, unitVectors } from './support';

const n = 400;
const dim = 16;
const k = 10;
const rows = Array.from({ length: n }, (_, i) => i);
const pairs = rows.map((i) => [i, i] as const);

async function churnOf(a: Float32Array, b: Float32Array, dimB = dim): Promise<ChurnResult> {
  const spans = rows.map((i) => ({ file: 'f', start: i * 10, end: i * 10 + 10 }));
  const la = await exactTopK(a, n, dim, k, { workers: 0 });
  const lb = await exactTopK(b, n, dimB, k, { workers: 0 });
  return neighborChurn({
    chunksA: spans, chunksB: spans, neighborsA: { lists: la, rows: identity(n) }, neighborsB: { lists: lb, rows: identity(n) },
    counterpart: identity(n), sameItems: true, k, churnThreshold: 0.5,
  });
}

describe('space metrics', () => {
  const a = unitVectors(n, dim, 42);

  it('A against itself: CKA 1, no churn, every Jaccard and RBO 1, Procrustes recovers everything', async () => {
    assert.ok(Math.abs(await linearCka(selectRows(a, dim, rows), selectRows(a, dim, rows)) - 1) < 1e-9);
    const churn = await churnOf(a, a);
    assert.equal(churn.churnedShare, 0);
    assert.ok(churn.items.every((x) => x.jaccard === 1 && x.rbo === 1 && x.overlap === 1 && x.keptA.every(Boolean) && x.keptB.every(Boolean)));
    const rec = await procrustesRecovery(a, dim, a, dim, pairs, k);
    assert.equal(rec?.overlap, 1);
  });

  it('B = A rotated: CKA 1 within 1e-6, neighbors unchanged, Procrustes recovers all neighbors', async () => {
    const b = multiply(a, dim, randomRotation(dim, 7), dim);
    const cka = await linearCka(selectRows(a, dim, rows), selectRows(b, dim, rows));
    assert.ok(Math.abs(cka - 1) < 1e-6, `CKA ${cka}`);
    const rec = await procrustesRecovery(a, dim, b, dim, pairs, k);
    assert.equal(rec?.overlap, 1);
    assert.equal(rec?.heldOut, n / 2);
    assert.equal((await churnOf(a, b)).churnedShare, 0);
  });

  it('B = A rotated into a larger space (dimensions differ): CKA 1, Procrustes still recovers all', async () => {
    const wide = 24;
    // First `dim` columns of a random 24 x 24 rotation: an isometric embedding of R^16 into R^24.
    const q24 = randomRotation(wide, 9);
    const q = new Float64Array(dim * wide);
    for (let r = 0; r < dim; r++) for (let c = 0; c < wide; c++) q[r * wide + c] = q24[r * wide + c]!;
    const b = multiply(a, dim, q, wide);
    assert.ok(Math.abs(await linearCka(selectRows(a, dim, rows), selectRows(b, wide, rows)) - 1) < 1e-6);
    assert.equal((await procrustesRecovery(a, dim, b, wide, pairs, k))?.overlap, 1);
    assert.equal((await procrustesRecovery(b, wide, a, dim, pairs, k))?.overlap, 1);
  });

  it('unrelated spaces have low CKA and Procrustes recovers little', async () => {
    const b = unitVectors(n, dim, 99);
    assert.ok(await linearCka(selectRows(a, dim, rows), selectRows(b, dim, rows)) < 0.2);
    assert.ok((await procrustesRecovery(a, dim, b, dim, pairs, k))!.overlap < 0.3);
  });

  it('B = A plus growing noise: churn grows monotonically', async () => {
    const random = seededRandom(5);
    const noise = Float32Array.from({ length: n * dim }, () => gaussian(random));
    const levels = [0, 0.05, 0.15, 0.4, 1, 3];
    const results = [];
    for (const sigma of levels) {
      const b = normalizeRows(a.map((x, i) => x + (sigma / Math.sqrt(dim)) * noise[i]!), dim);
      results.push(await churnOf(a, b));
    }
    assert.equal(results[0]!.meanOverlap, 1);
    for (let i = 1; i < results.length; i++) {
      assert.ok(results[i]!.meanOverlap < results[i - 1]!.meanOverlap, `overlap at sigma ${levels[i]} not below sigma ${levels[i - 1]}`);
      assert.ok(results[i]!.meanRbo < results[i - 1]!.meanRbo);
      assert.ok(results[i]!.churnedShare >= results[i - 1]!.churnedShare);
    }
    assert.ok(results.at(-1)!.churnedShare > 0.5);
  });
});

describe('Jacobi SVD', () => {
  it('reconstructs a rectangular matrix with orthonormal factors', () => {
    const random = seededRandom(3);
    for (const [p, q] of [[7, 4], [4, 7]] as const) {
      const m = matrix(p, q, Array.from({ length: p * q }, () => gaussian(random)));
      const { u, s, v } = svd(m);
      const r = Math.min(p, q);
      for (let i = 0; i < p; i++) for (let j = 0; j < q; j++) {
        let x = 0;
        for (let c = 0; c < r; c++) x += u.data[i * r + c]! * s[c]! * v.data[j * r + c]!;
        assert.ok(Math.abs(x - m.data[i * q + j]!) < 1e-10);
      }
      const utu = transposeTimes(u, u);
      for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) assert.ok(Math.abs(utu.data[i * r + j]! - (i === j ? 1 : 0)) < 1e-10);
      for (let c = 1; c < r; c++) assert.ok(s[c - 1]! >= s[c]!);
    }
  });
});

describe('linear CKA forms', () => {
  it('the Gram form (fewer items than dimensions) equals the feature form', async () => {
    // 12 items in 40 dimensions takes the Gram path; padding the items to 80 rows by repeating them
    // leaves CKA unchanged (duplicated rows scale every term equally) and takes the feature path.
    const x = unitVectors(12, 40, 1);
    const y = unitVectors(12, 30, 2);
    const few = await linearCka(selectRows(x, 40, [...Array(12).keys()]), selectRows(y, 30, [...Array(12).keys()]));
    const rows = Array.from({ length: 96 }, (_, i) => i % 12);
    const many = await linearCka(selectRows(x, 40, rows), selectRows(y, 30, rows));
    assert.ok(Math.abs(few - many) < 1e-9, `${few} vs ${many}`);
    assert.ok(few > 0 && few < 1);
  });
});
