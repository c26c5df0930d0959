// Maps tab: 2D projections of A and B side by side, linked: brushing chunks in one map highlights
// the same chunks in the other (same item, or the B counterpart of an A chunk when chunkings differ).
// Deliberately plain canvas, not uPlot like the other charts: linked brushing over thousands of
// points (rectangle selection in either map, counterpart lookup, redraw of both) is what this code
// does well, and a chart library's cursor/series model would only stand in the way.
import type { Side } from '../../shared/protocol';
import { prepare, theme } from '../charts';
import { churnColor } from '../colors';
import type { AppContext, View } from '../context';
import { clear, clipped, h, int, locLabel, section } from '../dom';

interface Panel { side: Side; canvas: HTMLCanvasElement; brush: HTMLElement; toScreen?: (i: number) => [number, number] }

export function createMaps(ctx: AppContext): View {
  const r = ctx.report;
  const maps = r.maps;
  if (!maps) {
    return { el: h('div', { class: 'view' }, section('Maps', h('p', { class: 'muted' }, 'This report has no 2D projections: a side has fewer than 3 chunks, or more than a map projects (a warning then gives the limit).'))) };
  }
  // Linking: A chunk i <-> B chunk counterpart(i); identity when both sides chunk alike.
  const sameItems = r.neighbors.comparison === 'same-items';
  const aToB = new Map<number, number>();
  const bToA = new Map<number, number[]>();
  const jaccardA = new Map<number, number>();
  for (const it of r.neighbors.items) {
    jaccardA.set(it.chunk, it.jaccard);
    const cp = sameItems ? it.chunk : it.counterpart;
    aToB.set(it.chunk, cp);
    const list = bToA.get(cp) ?? [];
    list.push(it.chunk);
    bToA.set(cp, list);
  }
  const counterpartOf = (side: Side, i: number): number[] => {
    if (sameItems) return [i];
    if (side === 'a') { const b = aToB.get(i); return b === undefined ? [] : [b]; }
    return bToA.get(i) ?? [];
  };

  let selected: Record<Side, Set<number>> = { a: new Set(), b: new Set() };
  const panels: Panel[] = (['a', 'b'] as const).map((side) => ({
    side,
    canvas: h('canvas', {
      'data-testid': `map-${side}`, role: 'img',
      'aria-label': `2D ${maps.method.toUpperCase()} map of the ${maps[side].x.length} chunks under ${side.toUpperCase()}, colored by the control above; drag to select chunks, listed below`,
    }),
    brush: h('div', { class: 'brush' }),
  }));

  const colorSelect = h('select', { 'aria-label': 'Color points by', 'data-testid': 'map-color' },
    ...(['churn', 'file', 'folder'] as const).map((c) => {
      const o = h('option', { value: c }, `color by ${c}`);
      o.selected = ctx.state.mapColor === c;
      return o;
    }));
  colorSelect.addEventListener('change', () => { ctx.state.mapColor = colorSelect.value as 'churn' | 'file' | 'folder'; ctx.saveState(); draw(); });
  const info = h('div', { class: 'map-selection', 'data-testid': 'map-selection', 'data-selected-a': 0, 'data-selected-b': 0 });

  const colorOf = (side: Side, i: number): string => {
    const c = ctx.chunk(side, i);
    switch (ctx.state.mapColor) {
      case 'file': return hueColor(c?.file ?? '');
      case 'folder': return hueColor((c?.file ?? '').replace(/\/[^/]*$/, ''));
      case 'churn': {
        const j = side === 'a' ? jaccardA.get(i) : firstDefined(counterpartOf('b', i).map((x) => jaccardA.get(x)));
        return j === undefined ? theme().muted : churnColor(j);
      }
    }
  };

  const draw = (): void => {
    const any = selected.a.size + selected.b.size > 0;
    for (const p of panels) {
      const xy = maps[p.side];
      const { ctx: g, w, h: ht } = prepare(p.canvas, 340);
      const n = Math.min(xy.x.length, xy.y.length);
      let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
      for (let i = 0; i < n; i++) { x0 = Math.min(x0, xy.x[i]!); x1 = Math.max(x1, xy.x[i]!); y0 = Math.min(y0, xy.y[i]!); y1 = Math.max(y1, xy.y[i]!); }
      const pad = 10, sx = (w - 2 * pad) / ((x1 - x0) || 1), sy = (ht - 2 * pad) / ((y1 - y0) || 1);
      p.toScreen = (i) => [pad + (xy.x[i]! - x0) * sx, ht - pad - (xy.y[i]! - y0) * sy];
      const size = n > 5000 ? 2 : 4;
      g.globalAlpha = any ? 0.18 : 0.8;
      for (let i = 0; i < n; i++) {
        if (any && selected[p.side].has(i)) continue;
        const [px, py] = p.toScreen(i);
        g.fillStyle = colorOf(p.side, i);
        g.fillRect(px - size / 2, py - size / 2, size, size);
      }
      g.globalAlpha = 1;
      const t = theme();
      for (const i of selected[p.side]) {
        if (i >= n) continue;
        const [px, py] = p.toScreen(i);
        g.fillStyle = colorOf(p.side, i);
        g.beginPath(); g.arc(px, py, size + 1.5, 0, Math.PI * 2); g.fill();
        g.strokeStyle = t.fg; g.lineWidth = 1; g.stroke();
      }
    }
    renderInfo();
  };

  const renderInfo = (): void => {
    clear(info);
    info.setAttribute('data-selected-a', String(selected.a.size));
    info.setAttribute('data-selected-b', String(selected.b.size));
    if (selected.a.size + selected.b.size === 0) {
      info.appendChild(h('p', { class: 'muted' }, 'Drag a rectangle in either map to select chunks; the same chunks light up in the other map. Click a point to pick one.'));
      return;
    }
    const list = h('ul', { class: 'map-list', tabindex: 0, 'aria-label': 'Selected chunks under A' });
    for (const i of [...selected.a].slice(0, 40)) {
      const c = ctx.chunk('a', i);
      if (!c) continue;
      list.appendChild(h('li', null,
        h('button', { class: 'link open', type: 'button', onclick: () => ctx.open({ file: c.file, start: c.start, end: c.end, side: 'a' }) }, 'open'),
        ' ', locLabel('span', c.file, c.start, c.end, c.lines), ' ', clipped(c.text.slice(0, 100), 'muted')));
    }
    info.append(
      h('div', { class: 'toolbar' },
        h('strong', null, `${int(selected.a.size)} chunks under A, ${int(selected.b.size)} under B`),
        h('button', { class: 'button secondary', type: 'button', onclick: () => { selected = { a: new Set(), b: new Set() }; draw(); } }, 'Clear')),
      list);
  };

  const select = (side: Side, picked: number[]): void => {
    const other: Side = side === 'a' ? 'b' : 'a';
    selected = { a: new Set(), b: new Set() } as Record<Side, Set<number>>;
    for (const i of picked) {
      selected[side].add(i);
      for (const j of counterpartOf(side, i)) selected[other].add(j);
    }
    draw();
  };

  for (const p of panels) attachBrush(p, () => maps[p.side].x.length, select);

  const el = h('div', { class: 'view maps' },
    h('div', { class: 'toolbar' }, h('h2', null, `Maps (${maps.method.toUpperCase()})`), colorSelect,
      h('span', { class: 'muted small' }, sameItems ? 'Same chunks under A and B.' : 'Linked through each A chunk’s best-overlapping B chunk.')),
    h('div', { class: 'two-col' }, ...panels.map((p) =>
      h('div', { class: 'card map-card' }, h('h3', null, h('span', { class: `side-badge side-${p.side}` }, p.side.toUpperCase()), ` ${ctx.label(p.side)}`),
        h('div', { class: 'map-wrap' }, p.canvas, p.brush)))),
    h('p', { class: 'muted small map-legend' }, 'Color by churn: orange where a chunk lost its neighbors (low Jaccard@k), blue where it kept them, gray in between (a scale that reads with any color vision); muted gray: no churn value (a B chunk no A chunk is matched to, or an unsampled chunk). File and folder colors are the same in both maps.'),
    h('div', { class: 'card' }, info));
  return { el, onShow: draw };
}

function attachBrush(p: Panel, count: () => number, select: (side: Side, picked: number[]) => void): void {
  let start: [number, number] | undefined;
  const local = (e: PointerEvent): [number, number] => {
    const r = p.canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  p.canvas.addEventListener('pointerdown', (e) => {
    start = local(e);
    p.canvas.setPointerCapture(e.pointerId);
  });
  p.canvas.addEventListener('pointermove', (e) => {
    if (!start) return;
    const [x, y] = local(e);
    const s = p.brush.style;
    s.display = 'block';
    s.left = `${Math.min(x, start[0])}px`; s.top = `${Math.min(y, start[1])}px`;
    s.width = `${Math.abs(x - start[0])}px`; s.height = `${Math.abs(y - start[1])}px`;
  });
  p.canvas.addEventListener('pointerup', (e) => {
    if (!start || !p.toScreen) return;
    const [x, y] = local(e);
    const [sx, sy] = start;
    start = undefined;
    p.brush.style.display = 'none';
    const n = count();
    const picked: number[] = [];
    if (Math.abs(x - sx) < 4 && Math.abs(y - sy) < 4) {
      let best = -1, bestD = 49;
      for (let i = 0; i < n; i++) {
        const [px, py] = p.toScreen(i);
        const d = (px - x) ** 2 + (py - y) ** 2;
        if (d < bestD) { bestD = d; best = i; }
      }
      if (best >= 0) picked.push(best);
    } else {
      const [lx, hx, ly, hy] = [Math.min(x, sx), Math.max(x, sx), Math.min(y, sy), Math.max(y, sy)];
      for (let i = 0; i < n; i++) {
        const [px, py] = p.toScreen(i);
        if (px >= lx && px <= hx && py >= ly && py <= hy) picked.push(i);
      }
    }
    select(p.side, picked);
  });
}

function firstDefined(xs: Array<number | undefined>): number | undefined {
  return xs.find((x) => x !== undefined);
}

/** A stable color per string (file or folder), so the same file has the same color in both maps. */
function hueColor(s: string): string {
  let hash = 2166136261;
  for (let i = 0; i < s.length; i++) hash = Math.imul(hash ^ s.charCodeAt(i), 16777619);
  return `hsl(${(hash >>> 0) % 360}, 60%, 52%)`;
}
