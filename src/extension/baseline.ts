// Drift over time without the pipeline's help: compares the headline numbers of a stored baseline
// report with the current one, so "Save as Baseline" and a later run show what moved. Only like
// with like: the same kind of run (two configurations on one corpus, or two snapshots of a corpus)
// under the same configurations; anything else says why it is not compared.
import type { Report } from '../core/report/types';

export interface HeadlineDelta {
  /** Same words as the report's fields, e.g. "mean Jaccard@10". */
  name: string;
  baseline: number | null;
  current: number | null;
  /** current - baseline; null when either is missing. */
  delta: number | null;
}

/** The numbers a person watches from run to run, read from one report. */
export function headlineNumbers(r: Report): Array<{ name: string; value: number | null }> {
  const k = r.neighbors.k;
  return [
    { name: 'chunks A', value: r.chunks.a },
    { name: 'chunks B', value: r.chunks.b },
    { name: `mean Jaccard@${k}`, value: r.neighbors.meanJaccard },
    { name: `mean overlap@${k}`, value: r.neighbors.meanOverlap },
    { name: 'mean RBO', value: r.neighbors.meanRbo },
    { name: 'churned share', value: r.neighbors.churnedShare },
    { name: `anchors hit@${k} A`, value: r.anchors.count > 0 ? r.anchors.a.hitAtK : null },
    { name: `anchors hit@${k} B`, value: r.anchors.count > 0 ? r.anchors.b.hitAtK : null },
    { name: 'linear CKA', value: r.space.linearCka },
  ];
}

export function headlineDeltas(baseline: Report, current: Report): HeadlineDelta[] {
  const before = new Map(headlineNumbers(baseline).map((h) => [h.name, h.value]));
  return headlineNumbers(current).map(({ name, value }) => {
    const old = before.has(name) ? (before.get(name) ?? null) : null;
    return { name, baseline: old, current: value, delta: old !== null && value !== null ? value - old : null };
  });
}

/** One line per number that moved, e.g. "churned share 0.12 -> 0.31 (+0.19)"; unchanged ones left out. */
export function describeDeltas(deltas: readonly HeadlineDelta[]): string[] {
  const f = (x: number | null): string => (x === null ? 'n/a' : Number.isInteger(x) ? String(x) : x.toFixed(3));
  return deltas
    .filter((d) => d.delta === null ? d.baseline !== d.current : Math.abs(d.delta) > 5e-4)
    .map((d) => {
      const sign = d.delta === null ? '' : ` (${d.delta >= 0 ? '+' : ''}${f(d.delta)})`;
      return `${d.name} ${f(d.baseline)} -> ${f(d.current)}${sign}`;
    });
}

/** What a run compares: two configurations on one corpus, or two snapshots of a corpus. */
function runKind(r: Report): string {
  return r.corpus.rootB !== undefined ? 'a comparison of two snapshots of the corpus' : 'a comparison of two configurations on one corpus';
}

/** Why the headline numbers of `current` do not compare with `baseline`'s, or undefined when they do. */
export function whyNotComparable(baseline: Report, current: Report): string | undefined {
  if (runKind(baseline) !== runKind(current)) return `the baseline is ${runKind(baseline)} and this run is ${runKind(current)}`;
  if (baseline.neighbors.k !== current.neighbors.k) return `k changed (${baseline.neighbors.k} -> ${current.neighbors.k})`;
  for (const side of ['a', 'b'] as const) {
    const then = baseline.configs[side], now = current.configs[side];
    for (const field of ['model', 'chunker', 'tokenizer'] as const) {
      if (then[field] !== now[field]) return `${side.toUpperCase()}'s ${field} changed (${then[field]} -> ${now[field]})`;
    }
    if (then.fingerprint !== now.fingerprint) return `${side.toUpperCase()}'s model files changed since the baseline`;
  }
  return undefined;
}

/** The headline lines that moved since the baseline, or why this run is not compared with it. */
export function sinceBaseline(baseline: Report, current: Report): { comparable: true; lines: string[] } | { comparable: false; reason: string } {
  const reason = whyNotComparable(baseline, current);
  return reason === undefined ? { comparable: true, lines: describeDeltas(headlineDeltas(baseline, current)) } : { comparable: false, reason };
}
