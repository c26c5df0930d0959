// The churn color scale of the maps, pure so a unit test can check it under simulated color vision.

/** Okabe-Ito vermillion (neighbors lost), a neutral gray, Okabe-Ito blue (neighbors kept). */
export const CHURN_SCALE = { lost: [213, 94, 0], middle: [153, 153, 153], kept: [0, 114, 178] } as const;

/**
 * Jaccard 0 (neighbors lost) to 1 (kept) on a diverging orange-gray-blue scale: the two ends differ
 * in hue and in lightness, so they read under every common color vision deficiency, unlike red to
 * green (whose ends look alike to about one man in twelve).
 */
export function churnRgb(j: number): [number, number, number] {
  const { lost, middle, kept } = CHURN_SCALE;
  const t = Math.max(0, Math.min(1, Number.isFinite(j) ? j : 0));
  const [from, to, f]: [readonly number[], readonly number[], number] = t < 0.5 ? [lost, middle, t / 0.5] : [middle, kept, (t - 0.5) / 0.5];
  return [0, 1, 2].map((i) => Math.round(from[i]! + (to[i]! - from[i]!) * f)) as [number, number, number];
}

export function churnColor(j: number): string {
  const [r, g, b] = churnRgb(j);
  return `rgb(${r}, ${g}, ${b})`;
}
