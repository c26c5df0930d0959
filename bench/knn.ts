// `npx tsx bench/knn.ts [--quick]`: exact all-pairs top-10 of random unit vectors (20,000 x 384;
// 5,000 x 384 with --quick) by our exactTopK, against the plain JS scan (measured on 200 evenly
// spread query rows and extrapolated to all n: every row costs the same n dot products) and
// against hnswlib-wasm at M 16, efConstruction 200, build plus all queries at the smallest ef that
// reaches recall@10 >= 0.98 (query time extrapolated from a probe sample). The measuring itself
// is bench/search.ts (shared with `npm run bench`); this entry only picks the data and prints.
import { randomUnitVectors } from '../src/core/random';
import { benchSearch } from './search';

const quick = process.argv.includes('--quick');
const n = quick ? 5000 : 20000;
const dim = 384;
const k = 10;

async function main(): Promise<void> {
  console.log(`exact all-pairs top-${k} of ${n} x ${dim} random unit vectors${quick ? ' (quick)' : ''}`);
  const figures = await benchSearch(randomUnitVectors(n, dim, 1), n, dim, k, { naiveRows: 200, hnswQueryRows: quick ? 300 : 1000 }, (line) => console.log(line));
  const hnswMs = figures.hnswBuildMs + figures.hnswQueryMs;
  console.log(`  ours ${(figures.oursMs / 1000).toFixed(2)} s (${((2 * n * n * dim) / figures.oursMs / 1e6).toFixed(1)} GFLOP/s), ` +
    `mismatching rows vs the naive scan: ${figures.oursMismatchRows}/${figures.naiveRows}`);
  console.log(`  hnswlib-wasm ${(hnswMs / 1000).toFixed(1)} s at ef ${figures.hnswEf}, recall@${k} ${figures.hnswRecall.toFixed(4)}`);
  console.log(`RATIO knn_vs_naive ${(figures.naiveMs / figures.oursMs).toFixed(2)}`);
  console.log(`RATIO knn_vs_hnswlib_defaults ${(hnswMs / figures.oursMs).toFixed(2)}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
