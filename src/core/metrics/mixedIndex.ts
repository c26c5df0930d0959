// The mixed-index check: do a store's vectors look like they come from more than one model? The
// silent failure users report after switching models part-way (some rows re-embedded, others not).
// Signs read here: vector lengths that fall into two groups with a gap between them (one model normalizes, the
// other does not, or their scales differ), and, where the store records a model per row, more than
// one model name, with how well a classifier tells their vectors apart. (Two dimensions in one
// store are refused when it is read: files.ts.)
import type { MixedIndexReport } from '../report/types';
import { domainClassifierAuc } from './snapshot';
import { seededRandom } from '../random';
import { round } from './stats';
import { rowNorms, unitRows } from '../index/vectors';

/** Ashman's D above which two groups of lengths are taken as separate (2 is the usual bimodality bound; 3 leaves room for skewed single-model norms). */
export const NORM_SEPARATION = 3;
/** A group smaller than this share of rows is not counted as a second model (stray outliers). */
const MIN_GROUP_SHARE = 0.005;
/** Largest share of rows allowed in the middle of the gap between two groups of lengths. */
const GAP_SHARE = 0.02;
/** Rows per model group fed to the classifier (its cost grows with rows x dimension). */
const CLASSIFIER_ROWS = 1000;

export function mixedIndexCheck(vectors: Float32Array, dim: number, models: ReadonlyArray<string | null> | undefined, seed: number): MixedIndexReport {
  const n = vectors.length / dim;
  const norms = rowNorms(vectors, dim);
  const sorted = Float64Array.from(norms).sort();
  // Zero vectors (a text the model knows no token of) are counted by the report on their own; they
  // are no second model, and a length of 0 has no place on the log scale the split is read on.
  const firstNonZero = sorted.findIndex((x) => x > 0);
  const split = normSplit(firstNonZero < 0 ? new Float64Array(0) : sorted.subarray(firstNonZero));
  const reasons: string[] = [];
  if (split) {
    reasons.push(`vector lengths form two separate groups (${round(split.lowShare * 100, 1)}% of rows below ${round(split.threshold, 3)}, Ashman's D ${round(split.separation, 1)}): rows written by two models or two settings`);
  }
  const out: MixedIndexReport = {
    mixed: false, rows: n,
    norms: { min: round(sorted[0] ?? 0, 4), median: round(sorted[Math.floor(n / 2)] ?? 0, 4), max: round(sorted[n - 1] ?? 0, 4), split },
    reasons,
  };
  if (models) {
    const counts = new Map<string, number[]>();
    models.forEach((m, r) => { if (m !== null) (counts.get(m) ?? counts.set(m, []).get(m)!).push(r); });
    const groups = [...counts].sort((x, y) => y[1].length - x[1].length);
    out.models = groups.slice(0, 10).map(([name, rows]) => ({ name, rows: rows.length }));
    if (groups.length > 1) {
      const [first, second] = [groups[0]!, groups[1]!];
      const random = seededRandom(seed);
      const pick = (rows: number[]): Float32Array => {
        const chosen = rows.length <= CLASSIFIER_ROWS ? rows : rows.filter((_, i) => i % Math.ceil(rows.length / CLASSIFIER_ROWS) === 0);
        const raw = new Float32Array(chosen.length * dim);
        chosen.forEach((r, i) => raw.set(vectors.subarray(r * dim, (r + 1) * dim), i * dim));
        return unitRows(raw, dim);
      };
      const x = pick(first[1]);
      const y = pick(second[1]);
      out.modelAuc = x.length / dim >= 5 && y.length / dim >= 5 ? round(domainClassifierAuc(x, x.length / dim, y, y.length / dim, dim, random), 3) : null;
      const named = groups.slice(0, 3).map(([name, rows]) => `"${name}" (${rows.length})`).join(', ');
      reasons.push(`the model column names ${groups.length} models: ${named}${groups.length > 3 ? ', ...' : ''}${out.modelAuc !== null && out.modelAuc !== undefined ? `; a classifier tells the first two apart with AUC ${out.modelAuc}` : ''}`);
    }
  }
  out.mixed = reasons.length > 0;
  return out;
}

/**
 * The best two-group cut of sorted lengths (Otsu: largest between-group variance), kept only when
 * the groups are far apart relative to their spread and the smaller one is not a handful of strays.
 */
function normSplit(sorted: Float64Array): MixedIndexReport['norms']['split'] {
  const n = sorted.length;
  if (n < 20 || sorted[n - 1]! / sorted[0]! < 1.05) return null;
  const logs = Float64Array.from(sorted, (x) => Math.log(x));
  const prefix = new Float64Array(n + 1);
  const prefix2 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) { prefix[i + 1] = prefix[i]! + logs[i]!; prefix2[i + 1] = prefix2[i]! + logs[i]! ** 2; }
  const minGroup = Math.max(2, Math.ceil(n * MIN_GROUP_SHARE));
  let best = -1;
  let bestScore = -Infinity;
  for (let cut = minGroup; cut <= n - minGroup; cut++) {
    const m1 = prefix[cut]! / cut;
    const m2 = (prefix[n]! - prefix[cut]!) / (n - cut);
    const score = cut * (n - cut) * (m1 - m2) ** 2;
    if (score > bestScore) { bestScore = score; best = cut; }
  }
  if (best < 0) return null;
  const stats = (from: number, to: number): { mean: number; variance: number } => {
    const count = to - from;
    const mean = (prefix[to]! - prefix[from]!) / count;
    return { mean, variance: Math.max(0, (prefix2[to]! - prefix2[from]!) / count - mean * mean) };
  };
  const low = stats(0, best);
  const high = stats(best, n);
  const separation = (Math.SQRT2 * Math.abs(high.mean - low.mean)) / Math.sqrt(low.variance + high.variance || 1e-12);
  if (separation < NORM_SEPARATION) return null;
  // Far-apart means are not enough (a flat spread of lengths splits with D near 3.5): the middle
  // half of the way between the groups must be nearly empty.
  const lo = low.mean + 0.25 * (high.mean - low.mean);
  const hi = low.mean + 0.75 * (high.mean - low.mean);
  let between = 0;
  for (const x of logs) if (x > lo && x < hi) between++;
  if (between > GAP_SHARE * n) return null;
  return { threshold: round(Math.sqrt(sorted[best - 1]! * sorted[best]!), 4), lowShare: round(best / n, 4), separation: round(Math.min(separation, 1e6), 2) };
}
