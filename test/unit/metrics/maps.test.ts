// 2D maps: B's map is aligned onto A's, so a rotated copy of A lands on A's map; UMAP for small
// corpora, deterministic under a seed.
import * as assert from 'node:assert/strict';
import { alignMap, pcaMaps, projectMaps } from '../../../src/core/metrics/maps';
import { multiply, randomRotation, unitVectors } from './support';

describe('maps', () => {
  const n = 120, dim = 8;
  const a = unitVectors(n, dim, 31);
  const pairs = Array.from({ length: n }, (_, i) => [i, i] as const);

  it('PCA of B = A rotated, aligned onto A, gives A\'s map', async () => {
    const b = multiply(a, dim, randomRotation(dim, 4), dim);
    const map = await pcaMaps(a, n, dim, b, n, dim, pairs, 1);
    assert.equal(map.method, 'pca');
    map.a.x.forEach((x, i) => {
      assert.ok(Math.abs(x - map.b.x[i]!) < 1e-3, `x ${i}: ${x} vs ${map.b.x[i]}`);
      assert.ok(Math.abs(map.a.y[i]! - map.b.y[i]!) < 1e-3);
    });
  });

  it('alignMap undoes a reflection, rotation, scale and shift in 2D', () => {
    const pa = { x: Float64Array.from([0, 1, 2, 0.5]), y: Float64Array.from([0, 0, 1, 3]) };
    // B = 2 * reflect(y) then rotate 90 degrees, then shift by (5, -1).
    const pb = { x: Float64Array.from(pa.y, (y) => 2 * y + 5), y: Float64Array.from(pa.x, (x) => 2 * x - 1) };
    const back = alignMap(pa, pb, [[0, 0], [1, 1], [2, 2], [3, 3]]);
    pa.x.forEach((x, i) => { assert.ok(Math.abs(back.x[i]! - x) < 1e-9); assert.ok(Math.abs(back.y[i]! - pa.y[i]!) < 1e-9); });
  });

  it('uses UMAP for small corpora and PCA above the limit, deterministically', async () => {
    const m1 = await projectMaps(a, n, dim, a, n, dim, pairs, 3);
    const m2 = await projectMaps(a, n, dim, a, n, dim, pairs, 3);
    assert.equal(m1.method, 'umap');
    assert.deepEqual(m1, m2);
    assert.equal(m1.a.x.length, n);
    assert.equal((await projectMaps(a, 10, dim, a, 10, dim, pairs.slice(0, 10), 3)).method, 'pca');
  });
});
