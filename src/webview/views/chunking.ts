// Chunking tab (when A and B chunk differently): for a chosen file, both sets of chunk boundaries
// drawn over its text. Text comes from the host (VS Code) or from the report's chunk previews.
import type { ChunkRecord } from '../../core/report/types';
import type { AppContext, View } from '../context';
import { clear, h, int, rangeTitle, section } from '../dom';

interface Span { start: number; end: number; index: number }

export function createChunking(ctx: AppContext): View {
  const r = ctx.report;
  const bySide = (side: 'a' | 'b'): Map<string, Span[]> => {
    const m = new Map<string, Span[]>();
    r.chunkTable[side].forEach((c, index) => {
      const list = m.get(c.file) ?? [];
      list.push({ start: c.start, end: c.end, index });
      m.set(c.file, list);
    });
    for (const l of m.values()) l.sort((p, q) => p.start - q.start);
    return m;
  };
  const spansA = bySide('a'), spansB = bySide('b');
  const files = [...new Set([...spansA.keys(), ...spansB.keys()])].sort();
  const select = h('select', { 'aria-label': 'File', 'data-testid': 'chunking-file' }, ...files.map((f) => h('option', { value: f }, f)));
  const current = ctx.state.chunkingFile && files.includes(ctx.state.chunkingFile) ? ctx.state.chunkingFile : files[0] ?? '';
  select.value = current;
  const lanes = h('div', { class: 'lanes', 'data-testid': 'chunking-lanes' });
  // Scrolls on its own: focusable, so a keyboard can scroll it too.
  const textEl = h('pre', { class: 'chunked-text', 'data-testid': 'chunking-text', tabindex: 0, 'aria-label': 'File text with the chunk boundaries of A and B' });
  const note = h('p', { class: 'muted small' });
  let token = 0;

  const show = async (file: string): Promise<void> => {
    const mine = ++token;
    ctx.state.chunkingFile = file;
    ctx.saveState();
    const a = spansA.get(file) ?? [], b = spansB.get(file) ?? [];
    drawLanes(lanes, a, b, r.chunkTable.a, r.chunkTable.b);
    let text: string | undefined;
    if (ctx.host.mode === 'vscode') {
      const res = await ctx.request({ type: 'fileText', file });
      if (mine !== token) return;
      text = 'text' in res ? res.text : undefined;
      note.textContent = 'text' in res ? 'Full file text from the workspace.' : `Could not read the file (${res.error}); showing the report’s chunk previews.`;
    } else {
      note.textContent = `Text from the report’s chunk previews (first ${r.previewChars} characters of each chunk); gaps are marked.`;
    }
    drawText(textEl, text, a, b, r.chunkTable.a, r.chunkTable.b);
  };
  select.addEventListener('change', () => void show(select.value));

  const el = h('div', { class: 'view chunking' },
    section('Chunk boundaries',
      h('div', { class: 'toolbar' }, select,
        h('span', { class: 'legend-item' }, h('span', { class: 'swatch side-a' }), ` A · ${r.configs.a.chunker}`),
        h('span', { class: 'legend-item' }, h('span', { class: 'swatch side-b' }), ` B · ${r.configs.b.chunker}`)),
      lanes, note, textEl));
  let shown = false;
  return { el, onShow: () => { if (!shown) { shown = true; void show(current); } } };
}

function drawLanes(el: HTMLElement, a: Span[], b: Span[], tableA: ChunkRecord[], tableB: ChunkRecord[]): void {
  clear(el);
  const end = Math.max(1, ...a.map((s) => s.end), ...b.map((s) => s.end));
  for (const [side, spans, table] of [['a', a, tableA], ['b', b, tableB]] as const) {
    const lane = h('div', { class: `lane lane-${side}`, 'data-count': spans.length },
      h('span', { class: 'lane-label' }, `${side.toUpperCase()} · ${int(spans.length)} chunks`));
    const track = h('div', { class: 'lane-track' });
    spans.forEach((s, i) => {
      const box = h('div', { class: `lane-chunk ${i % 2 ? 'odd' : 'even'}`, title: `${side.toUpperCase()} chunk ${i + 1}: ${rangeTitle(s.start, s.end, table[s.index]?.lines)}` });
      box.style.left = `${(s.start / end) * 100}%`;
      box.style.width = `${Math.max(0.2, ((s.end - s.start) / end) * 100)}%`;
      track.appendChild(box);
    });
    lane.appendChild(track);
    el.appendChild(lane);
  }
}

/** Splits the text at every A and B boundary; each piece is shaded by its A chunk and underlined by its B chunk. */
function drawText(el: HTMLElement, full: string | undefined, a: Span[], b: Span[], tableA: ChunkRecord[], tableB: ChunkRecord[]): void {
  clear(el);
  const end = Math.max(0, ...a.map((s) => s.end), ...b.map((s) => s.end), full?.length ?? 0);
  // Without the full text, rebuild what the previews cover; the rest stays unknown.
  let known: (pos: number, to: number) => Array<{ text: string | null; start: number; end: number }>;
  if (full !== undefined) {
    known = (s, e) => [{ text: full.slice(s, e), start: s, end: e }];
  } else {
    const chars: Array<string | undefined> = new Array(end);
    for (const [spans, table] of [[a, tableA], [b, tableB]] as const) {
      for (const s of spans) {
        const t = table[s.index]?.text ?? '';
        for (let i = 0; i < t.length && s.start + i < s.end; i++) chars[s.start + i] = t[i];
      }
    }
    known = (s, e) => {
      const out: Array<{ text: string | null; start: number; end: number }> = [];
      let i = s;
      while (i < e) {
        const have = chars[i] !== undefined;
        let j = i;
        while (j < e && (chars[j] !== undefined) === have) j++;
        out.push({ text: have ? chars.slice(i, j).join('') : null, start: i, end: j });
        i = j;
      }
      return out;
    };
  }
  const cuts = new Set<number>([0, end]);
  for (const s of [...a, ...b]) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].filter((p) => p <= end).sort((p, q) => p - q);
  const startsA = new Map(a.map((s, i) => [s.start, i]));
  const startsB = new Map(b.map((s, i) => [s.start, i]));
  const which = (spans: Span[], pos: number): number => spans.findIndex((s) => s.start <= pos && pos < s.end);
  for (let p = 0; p + 1 < points.length; p++) {
    const s = points[p]!, e = points[p + 1]!;
    const ia = startsA.get(s), ib = startsB.get(s);
    const startsAt = (side: Span | undefined, table: ChunkRecord[]): string => {
      const line = side ? table[side.index]?.lines?.[0] : undefined;
      return line === undefined ? `character ${s}` : `line ${line} (character ${s})`;
    };
    if (ia !== undefined) el.appendChild(h('span', { class: 'cut cut-a', 'data-cut': 'a', title: `A chunk ${ia + 1} starts at ${startsAt(a[ia], tableA)}` }, `A${ia + 1}`));
    if (ib !== undefined) el.appendChild(h('span', { class: 'cut cut-b', 'data-cut': 'b', title: `B chunk ${ib + 1} starts at ${startsAt(b[ib], tableB)}` }, `B${ib + 1}`));
    const ka = which(a, s), kb = which(b, s);
    const cls = `seg ${ka < 0 ? '' : ka % 2 ? 'a-odd' : 'a-even'} ${kb < 0 ? '' : kb % 2 ? 'b-odd' : 'b-even'}`;
    for (const piece of known(s, e)) {
      el.appendChild(piece.text === null
        ? h('span', { class: 'gap' }, ` ⋯ ${int(piece.end - piece.start)} characters not in the report ⋯ `)
        : h('span', { class: cls }, piece.text));
    }
  }
}
