// Charts drawn on canvas (histograms, overlaid distributions, scatter plots) in the theme's colors.
// Hand-drawn because they are small and must run under a strict CSP with no inline styles; each
// canvas carries an aria-label with the numbers it shows.
import type { Histogram } from '../core/report/types';

export interface Theme { fg: string; muted: string; grid: string; a: string; b: string; accent: string; bg: string; font: string }

export function theme(): Theme {
  const s = getComputedStyle(document.body);
  const v = (name: string, fallback: string): string => s.getPropertyValue(name).trim() || fallback;
  return {
    fg: v('--ed-fg', '#222'), muted: v('--ed-muted', '#777'), grid: v('--ed-grid', '#ddd'),
    a: v('--ed-a', '#3b82f6'), b: v('--ed-b', '#f59e0b'), accent: v('--ed-accent', '#e11d48'),
    bg: v('--ed-bg', '#fff'), font: v('--ed-font', 'sans-serif'),
  };
}

/** Sizes the canvas backing store to its CSS box times the pixel ratio; returns the context and CSS size. */
export function prepare(canvas: HTMLCanvasElement, height: number): { ctx: CanvasRenderingContext2D; w: number; h: number } {
  const w = Math.max(240, canvas.parentElement?.clientWidth ?? 0) || 480;
  const dpr = window.devicePixelRatio || 1;
  canvas.style.width = `${w}px`;
  canvas.style.height = `${height}px`;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(height * dpr);
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, height);
  return { ctx, w, h: height };
}

interface Frame { left: number; top: number; width: number; height: number }

function axes(ctx: CanvasRenderingContext2D, t: Theme, f: Frame, x: [number, number], y: [number, number], xLabel: string, yLabel: string): void {
  ctx.font = `11px ${t.font}`;
  ctx.strokeStyle = t.grid;
  ctx.fillStyle = t.muted;
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const py = (v: number): number => f.top + f.height - (v - y[0]) / (y[1] - y[0]) * f.height;
  const px = (v: number): number => f.left + (v - x[0]) / (x[1] - x[0]) * f.width;
  const yt = ticks(y[0], y[1], 4);
  for (const v of yt.values) {
    const yy = Math.round(py(v)) + 0.5;
    ctx.beginPath(); ctx.moveTo(f.left, yy); ctx.lineTo(f.left + f.width, yy); ctx.stroke();
    ctx.fillText(v.toFixed(yt.decimals), f.left - 6, yy);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const xt = ticks(x[0], x[1], 6);
  for (const v of xt.values) ctx.fillText(v.toFixed(xt.decimals), px(v), f.top + f.height + 5);
  ctx.fillText(xLabel, f.left + f.width / 2, f.top + f.height + 20);
  ctx.save();
  ctx.translate(12, f.top + f.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'middle';
  ctx.fillText(yLabel, 0, 0);
  ctx.restore();
}

/** Round tick values (steps of 1, 2 or 5 times a power of ten) inside [lo, hi]. */
function ticks(lo: number, hi: number, target: number): { values: number[]; decimals: number } {
  const raw = (hi - lo) / target || 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const values: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) values.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return { values, decimals };
}

function tickLabel(v: number, range: number): string {
  if (range >= 20) return String(Math.round(v));
  if (range >= 2) return v.toFixed(1).replace(/\.0$/, '');
  return v.toFixed(2).replace(/0$/, '');
}

export interface HistogramSeries { hist: Histogram; label: string; color: string }

/**
 * One series: bars. Two or more: translucent bars with outlines, so the distributions overlay.
 * `normalize` plots shares instead of counts (distributions of different sizes on one axis).
 */
export function drawHistogram(canvas: HTMLCanvasElement, series: HistogramSeries[], o: { xLabel: string; yLabel: string; height?: number; normalize?: boolean; marker?: { x: number; label: string } }): void {
  const t = theme();
  const { ctx, w, h } = prepare(canvas, o.height ?? 200);
  const f: Frame = { left: 48, top: 12, width: w - 60, height: h - 48 };
  const first = series[0];
  if (!first || first.hist.counts.length === 0) return;
  const x0 = first.hist.edges[0]!, x1 = first.hist.edges[first.hist.edges.length - 1]!;
  const values = series.map((s) => {
    const total = s.hist.counts.reduce((p, q) => p + q, 0) || 1;
    return s.hist.counts.map((c) => (o.normalize ? c / total : c));
  });
  // The top of the axis is the first round tick at or above the tallest bar.
  const tallest = Math.max(...values.flat(), o.normalize ? 0.01 : 1);
  const yTicks = ticks(0, tallest, 4);
  const step = (yTicks.values[1] ?? tallest) - (yTicks.values[0] ?? 0) || tallest;
  const yMax = Math.ceil(tallest / step - 1e-9) * step;
  axes(ctx, t, f, [x0, x1], [0, yMax], o.xLabel, o.yLabel);
  const px = (x: number): number => f.left + (x - x0) / (x1 - x0) * f.width;
  const py = (y: number): number => f.top + f.height - y / yMax * f.height;
  series.forEach((s, si) => {
    const vals = values[si]!;
    ctx.fillStyle = s.color;
    ctx.globalAlpha = series.length > 1 ? 0.35 : 0.85;
    vals.forEach((v, i) => {
      const a = px(s.hist.edges[i]!), b = px(s.hist.edges[i + 1]!);
      ctx.fillRect(a + 1, py(v), Math.max(1, b - a - 2), f.top + f.height - py(v));
    });
    ctx.globalAlpha = 1;
    if (series.length > 1) {
      ctx.strokeStyle = s.color;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      vals.forEach((v, i) => {
        const a = px(s.hist.edges[i]!), b = px(s.hist.edges[i + 1]!);
        if (i === 0) ctx.moveTo(a, py(0));
        ctx.lineTo(a, py(v)); ctx.lineTo(b, py(v));
      });
      ctx.lineTo(px(x1), py(0));
      ctx.stroke();
    }
  });
  if (o.marker) {
    ctx.strokeStyle = t.accent;
    ctx.setLineDash([4, 3]);
    ctx.beginPath(); ctx.moveTo(px(o.marker.x), f.top); ctx.lineTo(px(o.marker.x), f.top + f.height); ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = t.accent;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.fillText(o.marker.label, px(o.marker.x) + 4, f.top);
  }
  if (series.length > 1) legend(ctx, t, series.map((s) => ({ label: s.label, color: s.color })), f.left + f.width, f.top);
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', series.map((s) =>
    `${s.label}: ${s.hist.counts.map((c, i) => `${tickLabel(s.hist.edges[i]!, 1)}–${tickLabel(s.hist.edges[i + 1]!, 1)}: ${c}`).join(', ')}`).join('; '));
}

function legend(ctx: CanvasRenderingContext2D, t: Theme, items: Array<{ label: string; color: string }>, right: number, top: number): void {
  ctx.font = `11px ${t.font}`;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  items.forEach((it, i) => {
    const y = top + 6 + i * 16;
    ctx.fillStyle = t.fg;
    ctx.fillText(it.label, right - 16, y);
    ctx.fillStyle = it.color;
    ctx.fillRect(right - 10, y - 5, 10, 10);
  });
}


export interface ScatterOptions {
  xLabel: string; yLabel: string;
  domain: [number, number];
  height?: number;
  /** Points farther than this from the diagonal are drawn in the accent color. */
  offDiagonal?: number;
  selected?: number;
}

/** A against B on one scale with the diagonal drawn: points off the diagonal are what changed. */
export function drawScatter(canvas: HTMLCanvasElement, xs: number[], ys: number[], o: ScatterOptions): (clientX: number, clientY: number) => number {
  const t = theme();
  const height = o.height ?? 280;
  const { ctx, w } = prepare(canvas, height);
  const side = Math.min(w - 60, height - 48);
  const f: Frame = { left: 48, top: 12, width: side, height: side };
  const [d0, d1] = o.domain;
  axes(ctx, t, f, [d0, d1], [d0, d1], o.xLabel, o.yLabel);
  const px = (x: number): number => f.left + (x - d0) / (d1 - d0) * f.width;
  const py = (y: number): number => f.top + f.height - (y - d0) / (d1 - d0) * f.height;
  ctx.strokeStyle = t.muted;
  ctx.setLineDash([4, 4]);
  ctx.beginPath(); ctx.moveTo(px(d0), py(d0)); ctx.lineTo(px(d1), py(d1)); ctx.stroke();
  ctx.setLineDash([]);
  const far = o.offDiagonal ?? Infinity;
  xs.forEach((x, i) => {
    const y = ys[i]!;
    const off = Math.abs(y - x) > far;
    ctx.fillStyle = off ? t.accent : t.a;
    ctx.globalAlpha = off ? 0.95 : 0.55;
    ctx.beginPath(); ctx.arc(px(x), py(y), off ? 4 : 3, 0, Math.PI * 2); ctx.fill();
  });
  ctx.globalAlpha = 1;
  if (o.selected !== undefined && xs[o.selected] !== undefined) {
    ctx.strokeStyle = t.fg;
    ctx.lineWidth = 2;
    ctx.beginPath(); ctx.arc(px(xs[o.selected]!), py(ys[o.selected]!), 7, 0, Math.PI * 2); ctx.stroke();
  }
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${o.xLabel} against ${o.yLabel}: ${xs.length} points, ${xs.filter((x, i) => Math.abs(ys[i]! - x) > far).length} off the diagonal`);
  // Hit testing for clicks: the nearest point within 8 px, or -1.
  return (clientX, clientY) => {
    const r = canvas.getBoundingClientRect();
    const cx = clientX - r.left, cy = clientY - r.top;
    let best = -1, bestD = 64;
    xs.forEach((x, i) => {
      const d = (px(x) - cx) ** 2 + (py(ys[i]!) - cy) ** 2;
      if (d < bestD) { bestD = d; best = i; }
    });
    return best;
  };
}
