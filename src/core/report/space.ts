// The report's space section: linear CKA and the Procrustes adapter check over paired A/B rows,
// and each side's histogram of pairwise cosines. Built so a warm session redoes only what changed
// rows touch. Both metrics read the rows only through sums over rows (column sums, X^T X, Y^T Y,
// X^T Y: `CrossSums`), so the pairs are cut into blocks and each block's sums are a memo stage keyed
// by its rows' content; an edit recomputes the blocks holding changed rows and the d x d work after.
//
// Bit for bit: a warm report must equal a cold one, and float sums taken in another order are not
// equal. So the sums are never updated by subtracting old rows and adding new ones: a block's sums
// are always computed from zero in row order, and the totals always add the blocks in the same
// order. A cold run computes the very same blocks, so it gets the very same bits; recomputing the
// few changed blocks costs about as little as an update would.
//
// For the blocks to stay put under edits, nothing here depends on a pair's position: which pairs
// are sampled (above SPACE_SAMPLE), which half a pair falls in (Procrustes fit or held out) and where
// a block ends are all read from a hash of the pair's own two rows (and the seed). Pairs keep the
// alignment's order (A's chunk order), so an edited page moves only its own rows.
import type { StageMemo } from '../memo';
import { product } from '../metrics/gemm';
import { matrix, selectRows, type Matrix } from '../metrics/linalg';
import {
  addSums, ckaFromSums, crossSums, emptySums, heldOutOverlap, linearCka, PROCRUSTES_MAX_DIM, procrustesMap, similarityHistogram, type CrossSums,
} from '../metrics/space';
import { round } from '../metrics/stats';
import { seededRandom } from '../random';
import { fmix, mixRow, wordsOf } from '../rows';
import { throwIfAborted } from '../types';
import { yielder } from '../yielding';
import type { SpaceReport } from './types';

/** Above this many paired items, space metrics use a sample (cost grows with n x d^2). */
export const SPACE_SAMPLE = 2000;
/**
 * Rows per block on average at 384 dimensions (scaled with d^2 above it, so a block's sums stay
 * about 3.5 MB and 2,000 pairs hold about 60 MB): an edit recomputes a block or two.
 */
export const BLOCK_ROWS = 128;

/** One side's rows as the space metrics read them. */
export interface SpaceSide {
  vectors: Float32Array;
  /** Rows in `vectors`. */
  n: number;
  dimension: number;
}

export interface SpaceOptions {
  memo: StageMemo;
  signal?: AbortSignal | undefined;
  /** Average rows per block (tests use small blocks to exercise many); default BLOCK_ROWS scaled by d^2. */
  blockRows?: number;
}

type Pair = readonly [number, number];

/** A 32-bit hash of each pair's two rows (their float bits) and the seed. */
function pairKeys(a: SpaceSide, b: SpaceSide, pairs: readonly Pair[], seed: number): Uint32Array {
  const wordsA = wordsOf(a.vectors), wordsB = wordsOf(b.vectors);
  const keys = new Uint32Array(pairs.length);
  pairs.forEach(([i, j], p) => { keys[p] = fmix(mixRow(mixRow(seed | 0, wordsA, i, a.dimension), wordsB, j, b.dimension) ^ (a.dimension + b.dimension)); });
  return keys;
}

/** Pairs in the alignment's order (A's chunk order): A row i and its counterpart. */
export function pairsOf(counterpart: Int32Array): Pair[] {
  const out: Pair[] = [];
  counterpart.forEach((j, i) => { if (j >= 0) out.push([i, j]); });
  return out;
}

/** Pairs cut into blocks where a pair's hash says so (or at 4x the average): an edit moves no other boundary. */
function blocksOf(pairs: readonly Pair[], keys: readonly number[], average: number): Pair[][] {
  const blocks: Pair[][] = [];
  let current: Pair[] = [];
  for (let p = 0; p < pairs.length; p++) {
    current.push(pairs[p]!);
    if (fmix(keys[p]! ^ 0x7f4a7c15) % average === 0 || current.length >= 4 * average) { blocks.push(current); current = []; }
  }
  if (current.length > 0) blocks.push(current);
  return blocks;
}

/** The block's rows, A's then B's, as one array: what its memo key digests. */
function blockRows(a: SpaceSide, b: SpaceSide, block: readonly Pair[]): { x: Float32Array; y: Float32Array; both: Float32Array } {
  const x = new Float32Array(block.length * a.dimension);
  const y = new Float32Array(block.length * b.dimension);
  block.forEach(([i, j], r) => {
    x.set(a.vectors.subarray(i * a.dimension, (i + 1) * a.dimension), r * a.dimension);
    y.set(b.vectors.subarray(j * b.dimension, (j + 1) * b.dimension), r * b.dimension);
  });
  const both = new Float32Array(x.length + y.length);
  both.set(x, 0);
  both.set(y, x.length);
  return { x, y, both };
}

const asMatrix = (rows: Float32Array, dim: number): Matrix => matrix(rows.length / dim, dim, rows);

/**
 * The space section for A's and B's rows paired by `counterpart`. Its numbers depend only on the
 * inputs, never on what the memo held: every memo stage's key digests all the stage reads.
 */
export async function spaceReport(
  a: SpaceSide, b: SpaceSide, counterpart: Int32Array, k: number, seed: number, options: SpaceOptions,
): Promise<{ space: SpaceReport; warnings: string[] }> {
  const { memo, signal } = options;
  const warnings: string[] = [];
  const pause = yielder(signal);
  const similarity = {
    a: similarityHistogram(a.vectors, a.n, a.dimension, seededRandom(seed + 5)),
    b: similarityHistogram(b.vectors, b.n, b.dimension, seededRandom(seed + 6)),
  };
  const all = pairsOf(counterpart);
  const allKeys = pairKeys(a, b, all, seed + 4);
  // Enough pairs that the Procrustes half outnumbers the dimensions, when the corpus has them.
  const largest = Math.max(a.dimension, b.dimension);
  const size = Math.max(SPACE_SAMPLE, 2 * Math.min(PROCRUSTES_MAX_DIM, largest) + 2 * k + 2);
  // Above `size`, the pairs with the smallest hashes: a uniform sample that an edit changes only by its own pairs.
  let chosen = all.map((_, p) => p);
  if (all.length > size) {
    chosen = chosen.sort((x, y) => allKeys[x]! - allKeys[y]! || x - y).slice(0, size).sort((x, y) => x - y);
  }
  const pairs = chosen.map((p) => all[p]!);
  const keys = chosen.map((p) => allKeys[p]!);
  if (pairs.length < 3) return { space: { linearCka: null, procrustesOverlap: null, similarity }, warnings };

  // Half the pairs (by a hash bit) fit the Procrustes map, the other half are held out.
  const fit: Pair[] = [], fitKeys: number[] = [], test: Pair[] = [], testKeys: number[] = [];
  pairs.forEach((pair, p) => {
    const held = (fmix(keys[p]! ^ 0x9e3779b9) & 1) === 1;
    (held ? test : fit).push(pair);
    (held ? testKeys : fitKeys).push(keys[p]!);
  });
  const recoverable = fit.length >= Math.max(2, a.dimension, b.dimension) && test.length > k && largest <= PROCRUSTES_MAX_DIM;

  let cka: number;
  let overlap: number | null = null;
  if (largest > PROCRUSTES_MAX_DIM) {
    // No adapter check at this size, and d x d sums per block would take too much memory: CKA as
    // one product (its n x n Gram form when there are fewer pairs than dimensions), nothing kept.
    cka = await linearCka(selectRows(a.vectors, a.dimension, pairs.map((p) => p[0])), selectRows(b.vectors, b.dimension, pairs.map((p) => p[1])), { signal });
  } else {
    const average = options.blockRows ?? BLOCK_ROWS * Math.max(1, Math.round((largest / 384) ** 2));
    const sumsOf = async (block: readonly Pair[]): Promise<{ sums: CrossSums; rows: ReturnType<typeof blockRows>; digest: string }> => {
      const rows = blockRows(a, b, block);
      const digest = memo.digest(rows.both);
      const sums = await memo.stage('spaceBlock', [digest, a.dimension, b.dimension], () => crossSums(asMatrix(rows.x, a.dimension), asMatrix(rows.y, b.dimension), pause));
      return { sums, rows, digest };
    };
    const fitBlocks = [];
    for (const block of blocksOf(fit, fitKeys, average)) fitBlocks.push(await sumsOf(block));
    const testBlocks = [];
    for (const block of blocksOf(test, testKeys, average)) testBlocks.push(await sumsOf(block));
    // Totals in one fixed order: the fit blocks, then the held-out ones, each in pair order.
    const fitSums = emptySums(a.dimension, b.dimension);
    for (const block of fitBlocks) addSums(fitSums, block.sums);
    const allSums = emptySums(a.dimension, b.dimension);
    addSums(allSums, fitSums);
    for (const block of testBlocks) addSums(allSums, block.sums);
    cka = ckaFromSums(allSums);

    if (recoverable) {
      const cross: Matrix = { rows: a.dimension, cols: b.dimension, data: fitSums.xy };
      const w = await memo.stage('procrustesMap', [memo.digest(fitSums.xy), a.dimension, b.dimension],
        () => procrustesMap(cross, pause, () => throwIfAborted(signal)));
      // Held-out A rows mapped by W, per block: an edit among them maps only its block again.
      const mapped: Float32Array[] = [];
      for (const block of testBlocks) {
        mapped.push(await memo.stage('spaceMapped', [memo.identity(w), block.digest, a.dimension],
          async () => Float32Array.from((await product(asMatrix(block.rows.x, a.dimension), w, pause)).data)));
      }
      const concat = (parts: Float32Array[]): Float32Array => {
        const out = new Float32Array(parts.reduce((s, x) => s + x.length, 0));
        let at = 0;
        for (const part of parts) { out.set(part, at); at += part.length; }
        return out;
      };
      const yTest = concat(testBlocks.map((block) => block.rows.y));
      const queries = concat(mapped);
      overlap = await memo.stage('spaceHeldOut', [memo.digest(yTest), memo.digest(queries), b.dimension, k],
        () => heldOutOverlap(yTest, queries, b.dimension, k, signal));
    }
  }
  if (overlap === null && largest > PROCRUSTES_MAX_DIM) warnings.push(`The orthogonal adapter (Procrustes) check was skipped: dimension ${largest} is above ${PROCRUSTES_MAX_DIM}, where its SVD takes minutes.`);
  else if (overlap === null) warnings.push(`The orthogonal adapter (Procrustes) needs at least ${2 * largest} paired chunks (about half of them fit the map, and they must outnumber the dimensions); this corpus has ${pairs.length}, so it was skipped.`);
  return {
    space: { linearCka: round(cka, 6), procrustesOverlap: overlap === null ? null : round(overlap), similarity, pairs: pairs.length },
    warnings,
  };
}
