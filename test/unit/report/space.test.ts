// The report's space section as a warm session computes it (blocks of pairs kept by content, the
// Procrustes map kept by its cross-product): after rows are edited, deleted and added, the kept
// blocks plus the recomputed ones give exactly the numbers a cold computation gives, and only the
// blocks holding changed rows were computed again. Plus what the numbers must be: CKA equals the
// plain computation over the same pairs, and a rotated space is recovered whole.
import * as assert from 'node:assert/strict';
import { SessionMemo, NO_MEMO } from '../../../src/core/memo';
import { selectRows } from '../../../src/core/metrics/linalg';
import { linearCka } from '../../../src/core/metrics/space';
import { spaceReport, SPACE_SAMPLE, type SpaceSide } from '../../../src/core/report/space';
import { gaussian, seededRandom } from '../../../src/core/random';
import { multiply, normalizeRows, randomRotation, unitVectors } from '../metrics/support';

const k = 10;
const seed = 7;
const blockRows = 8;

function side(vectors: Float32Array, dimension: number): SpaceSide {
  return { vectors, n: vectors.length / dimension, dimension };
}

/** B = A rotated into dimB columns plus noise, row for row. */
function noisyRotation(a: Float32Array, dim: number, dimB: number, sigma: number, noiseSeed: number): Float32Array {
  const q = randomRotation(dimB, 3);
  const qTop = new Float64Array(dim * dimB);
  for (let r = 0; r < dim; r++) for (let c = 0; c < dimB; c++) qTop[r * dimB + c] = q[r * dimB + c]!;
  const random = seededRandom(noiseSeed);
  return normalizeRows(multiply(a, dim, qTop, dimB).map((x) => x + sigma * gaussian(random)), dimB);
}

/** `rows` with `count` rows removed at `at` (n x dim). */
function without(rows: Float32Array, dim: number, at: number, count: number): Float32Array {
  const out = new Float32Array(rows.length - count * dim);
  out.set(rows.subarray(0, at * dim), 0);
  out.set(rows.subarray((at + count) * dim), at * dim);
  return out;
}

/** `rows` with `extra` inserted before row `at`. */
function withInserted(rows: Float32Array, dim: number, at: number, extra: Float32Array): Float32Array {
  const out = new Float32Array(rows.length + extra.length);
  out.set(rows.subarray(0, at * dim), 0);
  out.set(extra, at * dim);
  out.set(rows.subarray(at * dim), at * dim + extra.length);
  return out;
}

describe('report space section, warm against cold', function () {
  this.timeout(120_000);

  for (const [dimA, dimB] of [[16, 16], [16, 24]] as const) {
    it(`${dimA} x ${dimB} dims: edits, deletions and additions give the cold numbers, recomputing only touched blocks`, async () => {
      const memo = new SessionMemo();
      const warm = async (a: Float32Array, b: Float32Array, counterpart: Int32Array) => {
        memo.begin();
        const out = await spaceReport(side(a, dimA), side(b, dimB), counterpart, k, seed, { memo, blockRows });
        memo.finish();
        return out;
      };
      const cold = (a: Float32Array, b: Float32Array, counterpart: Int32Array) =>
        spaceReport(side(a, dimA), side(b, dimB), counterpart, k, seed, { memo: NO_MEMO, blockRows });
      const computed = (): number => memo.computed.get('spaceBlock') ?? 0;
      const reused = (): number => memo.reused.get('spaceBlock') ?? 0;

      const n = 400;
      let a = unitVectors(n, dimA, 1);
      let b = noisyRotation(a, dimA, dimB, 0.05, 2);
      let counterpart = Int32Array.from({ length: n }, (_, i) => i);

      const first = await warm(a, b, counterpart);
      assert.deepEqual(first, await cold(a, b, counterpart));
      assert.equal(first.space.pairs, n);
      assert.ok(first.space.procrustesOverlap !== null && first.space.procrustesOverlap > 0.5, JSON.stringify(first.space));
      const blocks = computed();
      assert.ok(blocks >= 20, `${blocks} blocks of about ${blockRows} rows`);
      assert.equal(reused(), 0);

      // The same rows in new arrays: nothing is computed again.
      const same = await warm(Float32Array.from(a), Float32Array.from(b), counterpart);
      assert.deepEqual(same, first);
      assert.deepEqual(Object.fromEntries(memo.computed), {});

      // Edit: three of B's rows change (spread out), each touching its own block.
      b = Float32Array.from(b);
      const edited = unitVectors(3, dimB, 99);
      for (const [e, row] of [50, 200, 350].entries()) b.set(edited.subarray(e * dimB, (e + 1) * dimB), row * dimB);
      const afterEdit = await warm(a, b, counterpart);
      assert.deepEqual(afterEdit, await cold(a, b, counterpart));
      assert.notEqual(afterEdit.space.linearCka, first.space.linearCka, 'three rows replaced by random ones move CKA');
      assert.ok(computed() >= 1 && computed() <= 6, `edit recomputed ${computed()} blocks`);
      assert.ok(reused() >= blocks - 6, `edit reused ${reused()} of ${blocks}`);

      // Deletion: ten of B's rows go (their A chunks lose their counterpart; later ones shift).
      b = without(b, dimB, 100, 10);
      counterpart = Int32Array.from({ length: n }, (_, i) => (i < 100 ? i : i < 110 ? -1 : i - 10));
      const afterDelete = await warm(a, b, counterpart);
      assert.deepEqual(afterDelete, await cold(a, b, counterpart));
      assert.equal(afterDelete.space.pairs, n - 10);
      assert.ok(computed() <= 4, `deletion recomputed ${computed()} blocks`);
      assert.ok(reused() >= blocks - 6);

      // Addition: five new chunks on both sides at row 300 (B's row 290 after the deletion).
      const extraA = unitVectors(5, dimA, 123);
      a = withInserted(a, dimA, 300, extraA);
      b = withInserted(b, dimB, 290, noisyRotation(extraA, dimA, dimB, 0.05, 124));
      counterpart = Int32Array.from({ length: n + 5 }, (_, i) => (i < 100 ? i : i < 110 ? -1 : i - 10));
      const afterAdd = await warm(a, b, counterpart);
      assert.deepEqual(afterAdd, await cold(a, b, counterpart));
      assert.equal(afterAdd.space.pairs, n - 5);
      assert.ok(computed() >= 1 && computed() <= 4, `addition recomputed ${computed()} blocks`);
      assert.ok(reused() >= blocks - 8);

      // CKA from the kept sums is CKA over the same pairs computed directly (order does not matter to it).
      const pairs = [...counterpart].flatMap((j, i) => (j >= 0 ? [[i, j] as const] : []));
      const direct = await linearCka(selectRows(a, dimA, pairs.map((p) => p[0])), selectRows(b, dimB, pairs.map((p) => p[1])));
      assert.ok(Math.abs(afterAdd.space.linearCka! - direct) < 1e-6, `${afterAdd.space.linearCka} vs ${direct}`);
    });
  }

  it('a rotation of A: CKA 1 and the held-out neighbors all recovered', async () => {
    const dim = 16;
    const a = unitVectors(300, dim, 5);
    const b = multiply(a, dim, randomRotation(dim, 6), dim);
    const out = await spaceReport(side(a, dim), side(b, dim), Int32Array.from({ length: 300 }, (_, i) => i), k, seed, { memo: NO_MEMO, blockRows });
    assert.ok(Math.abs(out.space.linearCka! - 1) < 1e-6);
    assert.equal(out.space.procrustesOverlap, 1);
  });

  it('above the sample size, an edit keeps the sample but for the edited pair', async () => {
    const dim = 8;
    const n = SPACE_SAMPLE + 300;
    const a = unitVectors(n, dim, 11);
    const b = noisyRotation(a, dim, dim, 0.1, 12);
    const counterpart = Int32Array.from({ length: n }, (_, i) => i);
    const memo = new SessionMemo();
    const run = async (m: SessionMemo | typeof NO_MEMO, bb: Float32Array) => {
      if (m instanceof SessionMemo) m.begin();
      const out = await spaceReport(side(a, dim), side(bb, dim), counterpart, k, seed, { memo: m, blockRows: 64 });
      if (m instanceof SessionMemo) m.finish();
      return out;
    };
    const first = await run(memo, b);
    assert.equal(first.space.pairs, SPACE_SAMPLE);
    const blocks = memo.computed.get('spaceBlock')!;
    const edited = Float32Array.from(b);
    edited.set(unitVectors(1, dim, 13), 1000 * dim);
    const warm = await run(memo, edited);
    assert.deepEqual(warm, await run(NO_MEMO, edited));
    assert.equal(warm.space.pairs, SPACE_SAMPLE);
    // The edited pair can leave the sample (one pair enters instead) or stay: at most 4 blocks change.
    assert.ok((memo.computed.get('spaceBlock') ?? 0) <= 4, JSON.stringify(Object.fromEntries(memo.computed)));
    assert.ok((memo.reused.get('spaceBlock') ?? 0) >= blocks - 4);
  });
});
