// Charts in the theme's colors: histograms and the A-against-B scatter are uPlot charts (canvas,
// styled through CSSOM only, so they run under the strict CSP; uPlot's CSS is bundled into
// webview.css by esbuild.js). The 2D maps keep their own canvas code (views/maps.ts) and use
// `prepare` and `theme` from here. Each chart's host element carries an aria-label with its numbers
// and, as `uplot`, the uPlot instance (its data are what tests read).
import uPlot from 'uplot';
import type { Histogram } from '../core/report/types';

export interface Theme { fg: string; muted: string; grid: string; a: string; b: string; accent: string; bg: string; font: string; better: string; worse: string }

/** Colors and font from the page's --ed-* variables (in VS Code those resolve to --vscode-* ones). */
export function theme(): Theme {
  const s = getComputedStyle(document.body);
  const v = (name: string, fallback: string): string => s.getPropertyValue(name).trim() || fallback;
  return {
    fg: v('--ed-fg', '#222'), muted: v('--ed-muted', '#777'), grid: v('--ed-grid', '#ddd'),
    a: v('--ed-a', '#3b82f6'), b: v('--ed-b', '#f59e0b'), accent: v('--ed-accent', '#e11d48'),
    bg: v('--ed-bg', '#fff'), font: v('--ed-font', 'sans-serif'),
    better: v('--ed-better', '#0072b2'), worse: v('--ed-worse', '#d55e00'),
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

/** An element that holds one uPlot chart; the instance stays reachable for redraws and tests. */
export type ChartHost = HTMLElement & { uplot?: uPlot };

/** Replaces the chart in `host` (theme or size may have changed since the last draw). */
function mount(host: ChartHost, opts: uPlot.Options, data: uPlot.AlignedData): uPlot {
  host.uplot?.destroy();
  const u = new uPlot(opts, data, host);
  host.uplot = u;
  return u;
}

/** The width the host's container offers, as the old canvas charts measured it. */
function widthOf(host: HTMLElement): number {
  return Math.max(240, host.parentElement?.clientWidth ?? 0) || 480;
}

/** `color` with alpha `a`, whatever CSS color syntax the theme used (the canvas normalizes it). */
let probe: CanvasRenderingContext2D | null | undefined;
export function withAlpha(color: string, a: number): string {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return color;
  probe.fillStyle = '#000';
  probe.fillStyle = color;
  const c = String(probe.fillStyle);
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(c);
  if (hex) return `rgba(${parseInt(hex[1]!, 16)}, ${parseInt(hex[2]!, 16)}, ${parseInt(hex[3]!, 16)}, ${a})`;
  const rgba = /^rgba?\(([^,]+),([^,]+),([^,)]+)/.exec(c);
  return rgba ? `rgba(${rgba[1]!.trim()}, ${rgba[2]!.trim()}, ${rgba[3]!.trim()}, ${a})` : color;
}

function axis(t: Theme, label: string, o: { grid: boolean; integer?: boolean; size?: number }): uPlot.Axis {
  const font = `11px ${t.font}`;
  const a: uPlot.Axis = {
    label, stroke: t.muted, font, labelFont: font, labelSize: 16, labelGap: 2, gap: 4,
    grid: { show: o.grid, stroke: t.grid, width: 1 },
    ticks: { show: true, stroke: t.grid, width: 1, size: 4 },
  };
  if (o.size !== undefined) a.size = o.size;
  // Counts are whole numbers: no ticks between them.
  if (o.integer) a.incrs = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6];
  return a;
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
 * One series: bars. Two or more: translucent filled steps with outlines, so the distributions
 * overlay. `normalize` plots shares instead of counts (distributions of different sizes on one
 * axis). Hovering shows the bin and each series' value in the legend.
 */
export function drawHistogram(host: ChartHost, series: HistogramSeries[], o: { xLabel: string; yLabel: string; height?: number; normalize?: boolean }): void {
  const first = series[0];
  if (!first || first.hist.counts.length === 0) return;
  const t = theme();
  const edges = first.hist.edges;
  const x0 = edges[0]!, x1 = edges[edges.length - 1]!;
  const values = series.map((s) => {
    const total = s.hist.counts.reduce((p, q) => p + q, 0) || 1;
    return s.hist.counts.map((c) => (o.normalize ? c / total : c));
  });
  // The top of the axis is the first round tick at or above the tallest bar.
  const tallest = Math.max(...values.flat(), o.normalize ? 0.01 : 1);
  const yTicks = ticks(0, tallest, 4);
  const step = (yTicks.values[1] ?? tallest) - (yTicks.values[0] ?? 0) || tallest;
  const yMax = Math.ceil(tallest / step - 1e-9) * step;
  const overlay = series.length > 1;
  const bins = first.hist.counts.length;
  // Bars sit on bin centers; overlaid steps start at each left edge and need the right edge too.
  const xs = overlay ? edges.slice(0, bins + 1) : edges.slice(0, bins).map((e, i) => (e + edges[i + 1]!) / 2);
  const ys = values.map((v) => (overlay ? [...v, v[v.length - 1]!] : v));
  const bin = (idx: number | null): string => {
    if (idx === null || idx === undefined) return '–';
    const i = Math.min(idx, bins - 1);
    return `${tickLabel(edges[i]!, 1)}–${tickLabel(edges[i + 1]!, 1)}`;
  };
  const fmt = (v: number | null): string => (v === null || v === undefined ? '–' : o.normalize ? `${(v * 100).toFixed(1)}%` : String(v));
  const bars = uPlot.paths.bars!({ size: [0.9, Infinity], gap: 1 });
  const steps = uPlot.paths.stepped!({ align: 1 });
  mount(host, {
    width: widthOf(host), height: o.height ?? 200,
    legend: { show: true, live: true },
    cursor: { drag: { x: false, y: false, setScale: false }, points: { show: false }, y: false },
    scales: { x: { time: false, range: () => [x0, x1] }, y: { range: () => [0, yMax] } },
    padding: [10, 14, 0, 0],
    axes: [axis(t, o.xLabel, { grid: false, size: 26 }), axis(t, o.yLabel, { grid: true, integer: !o.normalize })],
    series: [
      { label: 'bin', value: (_u, _v, _si, idx) => bin(idx) },
      ...series.map((s): uPlot.Series => ({
        label: s.label, stroke: s.color, width: overlay ? 1.5 : 0,
        fill: withAlpha(s.color, overlay ? 0.3 : 0.85),
        paths: overlay ? steps : bars, points: { show: false },
        value: (_u, v) => fmt(v),
      })),
    ],
  }, [xs, ...ys]);
  host.setAttribute('role', 'img');
  host.setAttribute('aria-label', series.map((s) =>
    `${s.label}: ${s.hist.counts.map((c, i) => `${tickLabel(s.hist.edges[i]!, 1)}–${tickLabel(s.hist.edges[i + 1]!, 1)}: ${c}`).join(', ')}`).join('; '));
}

export interface ScatterCategory {
  label: string;
  color: string;
  /** Marker diameter in CSS pixels (default 7). */
  size?: number;
}

export interface ScatterOptions {
  xLabel: string; yLabel: string;
  domain: [number, number];
  height?: number;
  /** One series per category, each with its own color and legend entry (with its count). */
  categories: ScatterCategory[];
  /** The category (index into `categories`) of point i. */
  categoryOf: (i: number) => number;
  selected?: number;
}

/** A drawAxes hook: dashed reference lines in the muted color under the data, each [x0, y0, x1, y1] in canvas pixels. */
function dashedLines(t: Theme, segments: (u: uPlot) => Array<[number, number, number, number]>): (u: uPlot) => void {
  return (u) => {
    const c = u.ctx;
    const dpr = uPlot.pxRatio;
    c.save();
    c.strokeStyle = t.muted;
    c.lineWidth = dpr;
    c.setLineDash([4 * dpr, 4 * dpr]);
    for (const [x0, y0, x1, y1] of segments(u)) {
      c.beginPath();
      c.moveTo(x0, y0);
      c.lineTo(x1, y1);
      c.stroke();
    }
    c.restore();
  };
}

/**
 * A against B on one scale with the diagonal drawn: points off the diagonal are what changed, each
 * point in its category's color (e.g. better, worse, unchanged) with a legend that counts them.
 * Returns hit testing for pointer events: the index (into xs) of the nearest point within 8 px, or -1.
 */
export function drawScatter(host: ChartHost, xs: number[], ys: number[], o: ScatterOptions): (clientX: number, clientY: number) => number {
  const t = theme();
  const [d0, d1] = o.domain;
  const height = o.height ?? 320;
  // uPlot wants ascending x; `order` maps its data index back to the caller's index.
  const order = xs.map((_, i) => i).sort((p, q) => xs[p]! - xs[q]! || p - q);
  const counts = o.categories.map((_, c) => xs.filter((__, i) => o.categoryOf(i) === c).length);
  const dots = (color: string, size: number): uPlot.Series.Points => ({ show: true, size, width: 0, fill: withAlpha(color, 0.85), stroke: withAlpha(color, 0.85) });
  const none: uPlot.Series.PathBuilder = () => null;
  const dpr = uPlot.pxRatio;
  // A roughly square plot, so the diagonal runs at 45 degrees.
  const width = Math.min(widthOf(host), height + 44);
  const u = mount(host, {
    width, height,
    legend: { show: true, live: false },
    cursor: { drag: { x: false, y: false, setScale: false }, points: { show: false } },
    scales: { x: { time: false, range: () => [d0, d1] }, y: { range: () => [d0, d1] } },
    padding: [10, 14, 0, 0],
    axes: [axis(t, o.xLabel, { grid: true, size: 26 }), axis(t, o.yLabel, { grid: true, size: 44 })],
    series: [
      {},
      ...o.categories.map((c, i): uPlot.Series => ({ label: `${c.label} (${counts[i]})`, stroke: c.color, fill: withAlpha(c.color, 0.85), paths: none, points: dots(c.color, c.size ?? 7) })),
    ],
    hooks: {
      drawAxes: [dashedLines(t, (p) => [[p.valToPos(d0, 'x', true), p.valToPos(d0, 'y', true), p.valToPos(d1, 'x', true), p.valToPos(d1, 'y', true)]])],
      draw: [(p) => {
        const s = o.selected;
        if (s === undefined || xs[s] === undefined) return;
        const c = p.ctx;
        c.save();
        c.strokeStyle = t.fg;
        c.lineWidth = 2 * dpr;
        c.beginPath();
        c.arc(p.valToPos(xs[s]!, 'x', true), p.valToPos(ys[s]!, 'y', true), 7 * dpr, 0, Math.PI * 2);
        c.stroke();
        c.restore();
      }],
    },
  }, [order.map((i) => xs[i]!), ...o.categories.map((_, c) => order.map((i) => (o.categoryOf(i) === c ? ys[i]! : null)))]);
  host.setAttribute('role', 'img');
  host.setAttribute('aria-label', `${o.xLabel} against ${o.yLabel}: ${xs.length} points; ${o.categories.map((c, i) => `${counts[i]} ${c.label}`).join(', ')}`);
  return (clientX, clientY) => {
    const r = u.over.getBoundingClientRect();
    const cx = clientX - r.left, cy = clientY - r.top;
    let best = -1, bestD = 64;
    xs.forEach((x, i) => {
      const d = (u.valToPos(x, 'x') - cx) ** 2 + (u.valToPos(ys[i]!, 'y') - cy) ** 2;
      if (d < bestD) { bestD = d; best = i; }
    });
    return best;
  };
}

export interface CurveOptions {
  xLabel: string; yLabel: string;
  height?: number;
  /** Horizontal reference lines (e.g. recall 0.95 and 0.99), drawn dashed and named in the legend text. */
  levels?: number[];
}

/**
 * A rising curve on a log-scaled x axis (the migration depth: recall against candidates K), with
 * its points marked and dashed reference levels. Hover shows K and the value in the legend.
 */
export function drawCurve(host: ChartHost, points: Array<{ x: number; y: number }>, o: CurveOptions): void {
  if (points.length === 0) return;
  const t = theme();
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const x0 = Math.max(1, xs[0]!), x1 = Math.max(x0 * 1.5, xs[xs.length - 1]!);
  mount(host, {
    width: widthOf(host), height: o.height ?? 220,
    legend: { show: true, live: true },
    cursor: { drag: { x: false, y: false, setScale: false }, y: false },
    scales: { x: { time: false, distr: 3, range: () => [x0 / 1.2, x1 * 1.2] }, y: { range: () => [0, 1] } },
    padding: [10, 14, 0, 0],
    axes: [axis(t, o.xLabel, { grid: true, size: 26 }), axis(t, o.yLabel, { grid: true, size: 40 })],
    series: [
      { label: 'K', value: (_u, v) => (v === null || v === undefined ? '–' : String(Math.round(v))) },
      { label: o.yLabel, stroke: t.b, width: 2, points: { show: true, size: 6, fill: t.b, stroke: t.b }, value: (_u, v) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)}%`) },
    ],
    hooks: {
      drawAxes: [dashedLines(t, (p) => (o.levels ?? []).map((level) => {
        const y = p.valToPos(level, 'y', true);
        return [p.bbox.left, y, p.bbox.left + p.bbox.width, y];
      }))],
    },
  }, [xs, ys]);
  host.setAttribute('role', 'img');
  host.setAttribute('aria-label', `${o.yLabel} against ${o.xLabel}: ${points.map((p) => `${p.x}: ${(p.y * 100).toFixed(1)}%`).join(', ')}`);
}
