// Query scoring's two kernels (WebAssembly SIMD from src/core/index/dotKernel.wat, and JavaScript)
// against a plain per-score loop written here: every score the same bits (Object.is) at sizes that
// hit every padding and block edge, on values where any change of summation order, a fused
// multiply-add, a sum started at -0 or a different rounding shows. The generated module must be
// a fresh compile of the .wat, so the two cannot drift apart.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { dotKernelBase64 } from '../../../src/generated/dotKernel';
import { dotModuleFrom, preferredDotKernel, scoreQueries, scoreQueriesOn, scoreQueriesReusing, type DotKernelKind } from '../../../src/core/index/queryScores';
import { seededRandom } from '../../../src/core/random';
import { referenceScores } from '../metrics/support';

const kinds: DotKernelKind[] = ['wasm', 'js'];

/**
 * Rows of mixed values: mostly Gaussian-ish, with -0, +0, float32 subnormals, values near 1e-20
 * (products that round to float32 subnormals), huge ones (products beyond float32, exact in
 * float64: order-sensitive cancellation), and, when `nan`, one row holding a NaN.
 */
function awkwardRows(rows: number, dim: number, seed: number, nan: boolean): Float32Array {
  const random = seededRandom(seed);
  const out = new Float32Array(rows * dim);
  for (let i = 0; i < out.length; i++) {
    const u = random();
    const x = random() * 2 - 1;
    out[i] = u < 0.05 ? -0 : u < 0.08 ? 1e-41 * x : u < 0.11 ? 1e-20 * x : u < 0.14 ? 3e37 * x : u < 0.16 ? 1e8 * x : x;
  }
  if (nan && rows > 1) out[dim + Math.floor(random() * dim)] = NaN;
  return out;
}

function assertSameBits(got: Float32Array[], want: Float32Array[], what: string): void {
  assert.equal(got.length, want.length, what);
  got.forEach((row, q) => {
    assert.equal(row.length, want[q]!.length, what);
    for (let j = 0; j < row.length; j++) {
      if (!Object.is(row[j], want[q]![j])) assert.fail(`${what}: query ${q}, chunk ${j}: ${row[j]} != ${want[q]![j]}`);
    }
  });
}

/** Chunk rows per block at this dimension (1.5 MiB of float64 rows, a multiple of 4), as queryScores.ts blocks them. */
function blockRows(dim: number): number {
  return Math.max(4, Math.floor((3 << 19) / (8 * dim)) & ~3);
}

describe('query scoring kernels (WebAssembly SIMD and JavaScript)', () => {
  it('this Node scores on WebAssembly SIMD (so the wasm cases below really ran it)', () => {
    assert.equal(preferredDotKernel(), 'wasm');
  });

  it('bytes that do not validate (a truncated module, an unknown SIMD opcode) compile to null: JavaScript answers', () => {
    const bytes = Buffer.from(dotKernelBase64, 'base64');
    assert.ok(dotModuleFrom(bytes), 'the shipped bytes compile');
    assert.equal(dotModuleFrom(bytes.subarray(0, bytes.length - 5)), null);
    // 0xfd is the SIMD prefix: its first use becomes an opcode no runtime knows.
    const bad = Buffer.from(bytes);
    const at = bad.indexOf(0xfd, 8);
    assert.ok(at > 0);
    bad[at + 1] = 0xff;
    bad[at + 2] = 0x7f;
    assert.equal(dotModuleFrom(bad), null);
  });

  it('a Node without WebAssembly (--jitless) scores on JavaScript, the same bits', () => {
    const dim = 384;
    const queries = awkwardRows(5, dim, 41, true);
    const chunks = awkwardRows(9, dim, 42, true);
    const modulePath = path.resolve(__dirname, '../../../src/core/index/queryScores.ts');
    const script = `const q = require(${JSON.stringify(modulePath)});
      const [a, b] = process.argv.slice(-2).map((s) => new Float32Array(new Uint8Array(Buffer.from(s, 'base64')).buffer));
      q.scoreQueries(a, b, 9, ${dim}, 3).then((r) => process.stdout.write(JSON.stringify({ kind: q.preferredDotKernel(), rows: r.map((x) => Buffer.from(x.scores.buffer).toString('base64')) })));`;
    const child = spawnSync(process.execPath, ['--jitless', '--import', 'tsx', '-e', script, '--', Buffer.from(queries.buffer).toString('base64'), Buffer.from(chunks.buffer).toString('base64')], { encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);
    const out = JSON.parse(child.stdout) as { kind: string; rows: string[] };
    assert.equal(out.kind, 'js');
    const got = out.rows.map((s) => { const b = Buffer.from(s, 'base64'); return new Float32Array(b.buffer, b.byteOffset, b.length / 4); });
    assertSameBits(got, referenceScores(queries, chunks, 9, dim), 'jitless');
  });

  for (const dim of [1, 7, 384]) {
    it(`both kernels equal the plain loop bit for bit at dim ${dim}, m 1..9, n from 0 to past one block`, async () => {
      const ns = [0, 1, 2, 7, blockRows(dim) + 5];
      for (const m of [1, 3, 4, 5, 9]) {
        for (const n of ns) {
          // A big block at dim 1 or 7 costs little: few products per score.
          const queries = awkwardRows(m, dim, 1000 * m + dim, true);
          const chunks = awkwardRows(n, dim, 7 * n + dim + 1, true);
          const want = referenceScores(queries, chunks, n, dim);
          for (const kind of kinds) {
            const got = await scoreQueriesOn(kind, queries, chunks, n, dim, 3);
            assertSameBits(got.map((g) => g.scores), want, `${kind} m ${m} n ${n} dim ${dim}`);
          }
        }
      }
    });
  }

  it('both kernels read only the first n chunk rows and score more queries than one call holds', async () => {
    const dim = 384;
    const m = 70; // 64 per kernel call, then 6 (padded to 8)
    const queries = awkwardRows(m, dim, 11, false);
    const chunks = awkwardRows(13, dim, 12, false);
    chunks.fill(NaN, 9 * dim); // rows past n = 9 are not the side's: no score may come from them
    const want = referenceScores(queries, chunks.subarray(0, 9 * dim), 9, dim);
    for (const kind of kinds) assertSameBits((await scoreQueriesOn(kind, queries, chunks, 9, dim, 3)).map((g) => g.scores), want, kind);
  });

  it('a sum of negative zeros is +0 (the sum starts at +0), and a product beyond float32 stores as Infinity', async () => {
    const dim = 5;
    const queries = new Float32Array([-0, -0, -0, -0, -0, 3e38, 3e38, 0, 0, 0]);
    const chunks = new Float32Array([1, 2, 3, 4, 5, 1, 1, 1, 1, 1]);
    for (const kind of kinds) {
      const [zero, big] = (await scoreQueriesOn(kind, queries, chunks, 2, dim, 2)).map((g) => g.scores);
      assert.ok(Object.is(zero![0], 0) && Object.is(zero![1], 0), `${kind}: -0 products sum to +0`);
      assert.equal(big![1], Infinity, kind);
    }
  });

  it('top lists are the best scores, ties to the lower index, on both kernels', async () => {
    const dim = 384;
    const base = awkwardRows(40, dim, 21, false).map((x) => (Math.abs(x) > 10 ? x * 1e-37 : x));
    // Chunk rows repeat (rows 10..19 equal rows 0..9): equal scores, the lower index first.
    const chunks = new Float32Array(50 * dim);
    chunks.set(base.subarray(0, 40 * dim));
    chunks.set(base.subarray(0, 10 * dim), 40 * dim);
    const queries = awkwardRows(6, dim, 22, false).map((x) => (Math.abs(x) > 10 ? x * 1e-37 : x));
    const want = referenceScores(queries, chunks, 50, dim);
    for (const kind of kinds) {
      const got = await scoreQueriesOn(kind, queries, chunks, 50, dim, 12);
      got.forEach((g, q) => {
        const order = [...Array(50).keys()].sort((a, b) => want[q]![b]! - want[q]![a]! || a - b).slice(0, 12);
        assert.deepEqual(g.top, order, `${kind} query ${q}`);
      });
    }
  });

  it('an aborted signal stops either kernel before it scores', async () => {
    const controller = new AbortController();
    controller.abort();
    for (const kind of kinds) {
      await assert.rejects(scoreQueriesOn(kind, new Float32Array(8), new Float32Array(8), 2, 4, 1, controller.signal));
    }
  });

  it('scoreQueriesReusing keeps scores that equal scoring again (the kernel) at dim 384 with awkward values', async () => {
    const dim = 384;
    const queries = awkwardRows(5, dim, 31, true);
    const chunks = awkwardRows(30, dim, 32, true);
    const first = await scoreQueries(queries, chunks, 30, dim, 4);
    const edited = Float32Array.from(chunks);
    edited.set(awkwardRows(3, dim, 33, false), 4 * dim);
    const moreQueries = new Float32Array(6 * dim);
    moreQueries.set(queries);
    moreQueries.set(awkwardRows(1, dim, 34, false), 5 * dim);
    const reused = await scoreQueriesReusing(moreQueries, edited, 30, dim, 4, { queries, chunks, dim, scores: first });
    assertSameBits(reused.map((r) => r.scores), referenceScores(moreQueries, edited, 30, dim), 'reused');
  });

  it('src/generated/dotKernel.ts is a fresh compile of dotKernel.wat', async () => {
    const root = path.resolve(__dirname, '../../..');
    const gen = createRequire(__filename)(path.join(root, 'scripts/gen-wasm.cjs')) as { compileWat(text: string): Promise<Buffer>; source: string };
    const fresh = await gen.compileWat(readFileSync(path.join(root, gen.source), 'utf8'));
    assert.ok(fresh.length > 100);
    assert.equal(Buffer.from(dotKernelBase64, 'base64').toString('hex'), fresh.toString('hex'));
  });
});
