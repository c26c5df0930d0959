// Query scoring's two kernels side by side (src/core/index/queryScores.ts): the same scoring (m
// queries x n chunks x dim, top 10) on WebAssembly SIMD and on JavaScript, interleaved rounds, the
// median of each; every score must be the same bits on both, or the section fails.
import { performance } from 'node:perf_hooks';
import { scoreQueriesOn, type DotKernelKind } from '../src/core/index/queryScores';
import { randomUnitVectors } from '../src/core/random';

export interface QueryScoringFigures {
  m: number;
  n: number;
  dim: number;
  rounds: number;
  /** Median wall time of one scoring, ms. */
  ms: Record<DotKernelKind, number>;
  /** Multiply-adds per second, billions. */
  gmacPerS: Record<DotKernelKind, number>;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function benchQueryScoring(m: number, n: number, dim: number, rounds: number, log: (line: string) => void): Promise<QueryScoringFigures> {
  const queries = randomUnitVectors(m, dim, 1);
  const chunks = randomUnitVectors(n, dim, 2);
  const kinds: DotKernelKind[] = ['js', 'wasm'];
  const times: Record<DotKernelKind, number[]> = { js: [], wasm: [] };
  // Round 0 warms both kernels up (JIT tiers) and is not counted; it also checks the bits.
  for (let round = 0; round <= rounds; round++) {
    const out: Partial<Record<DotKernelKind, Float32Array[]>> = {};
    for (const kind of kinds) {
      const start = performance.now();
      const scored = await scoreQueriesOn(kind, queries, chunks, n, dim, 10);
      if (round > 0) times[kind].push(performance.now() - start);
      out[kind] = scored.map((s) => s.scores);
    }
    if (round === 0) {
      out.js!.forEach((row, q) => row.forEach((x, j) => {
        if (!Object.is(x, out.wasm![q]![j])) throw new Error(`query ${q}, chunk ${j}: JavaScript ${x}, WebAssembly ${out.wasm![q]![j]}`);
      }));
    }
  }
  const ms = { js: median(times.js), wasm: median(times.wasm) };
  const gmacPerS = { js: (m * n * dim) / ms.js / 1e6, wasm: (m * n * dim) / ms.wasm / 1e6 };
  log(`  ${m} queries x ${n} chunks x ${dim}, median of ${rounds}: JavaScript ${ms.js.toFixed(1)} ms (${gmacPerS.js.toFixed(2)} GMAC/s), `
    + `WebAssembly SIMD ${ms.wasm.toFixed(1)} ms (${gmacPerS.wasm.toFixed(2)} GMAC/s), every score the same bits`);
  return { m, n, dim, rounds, ms, gmacPerS };
}
