// Query playground (VS Code only): a query searched under A and B by the live comparison session,
// results side by side with kept / lost / gained marked (same chunk = same file and overlapping range).
import type { SearchHit } from '../../shared/protocol';
import type { AppContext, View } from '../context';
import { clear, h, section } from '../dom';
import { neighborColumns, type NeighborEntry } from './neighbors';

export function createPlayground(ctx: AppContext): View {
  const out = h('div', { class: 'playground-out', 'data-testid': 'search-output' });
  // A one-line summary is announced when results arrive, not the whole result lists.
  const announce = h('p', { class: 'sr-only', role: 'status' });
  const input = h('input', { type: 'search', class: 'query-input', placeholder: 'Ask what your users would ask…', 'aria-label': 'Query', 'data-testid': 'search-input' });
  input.value = ctx.state.searchQuery;
  const k = ctx.report.neighbors.k;
  let latest = 0;
  const run = async (): Promise<void> => {
    const query = input.value.trim();
    ctx.state.searchQuery = input.value;
    ctx.saveState();
    if (!query) return;
    const mine = ++latest;
    clear(out);
    out.appendChild(h('p', { class: 'muted' }, 'Searching…'));
    const res = await ctx.request({ type: 'search', query, k });
    if (mine !== latest) return;
    clear(out);
    if ('error' in res) {
      out.appendChild(h('p', { class: 'error-text' }, res.error));
      announce.textContent = res.error;
      return;
    }
    const a = entries(ctx, 'a', res.a, res.b), b = entries(ctx, 'b', res.b, res.a);
    out.appendChild(neighborColumns(ctx, a, b, `under ${ctx.label('a')}`, `under ${ctx.label('b')}`));
    announce.textContent = `${a.length} results under A, ${b.length} under B; ${a.filter((x) => x.fate === 'lost').length} of A's are not in B's.`;
  };
  const form = h('form', { class: 'query-form', onsubmit: (e: Event) => { e.preventDefault(); void run(); } },
    input, h('button', { class: 'button', type: 'submit' }, 'Search'));
  return { el: h('div', { class: 'view playground' }, section(`Query playground (top ${k} under A and B)`, form, out, announce)) };
}

function entries(ctx: AppContext, side: 'a' | 'b', hits: SearchHit[], other: SearchHit[]): NeighborEntry[] {
  return hits.map((hit) => {
    const kept = other.some((o) => o.file === hit.file && o.start < hit.end && hit.start < o.end);
    const e: NeighborEntry = { side, chunk: hit.chunk, file: hit.file, start: hit.start, end: hit.end, score: hit.score, fate: kept ? 'kept' : side === 'a' ? 'lost' : 'gained' };
    const c = ctx.chunk(side, hit.chunk);
    if (c && c.file === hit.file && c.start === hit.start) {
      e.text = c.text;
      if (c.lines) e.lines = c.lines;
    }
    return e;
  });
}
