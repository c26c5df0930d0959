// Side-by-side neighbor lists of one chunk under A and B, kept / lost / gained marked apart.
// Shared by the churn drill-down and the query playground.
import type { Side } from '../../shared/protocol';
import type { AppContext } from '../context';
import { clipped, fixed, h, locLabel, type Lines } from '../dom';

export type Fate = 'kept' | 'lost' | 'gained';

export interface NeighborEntry { side: Side; chunk: number; file: string; start: number; end: number; lines?: Lines; score: number; fate: Fate; text?: string }

export function neighborColumns(ctx: AppContext, a: NeighborEntry[], b: NeighborEntry[], titleA: string, titleB: string): HTMLElement {
  return h('div', { class: 'neighbor-cols' }, neighborList(ctx, a, titleA, 'a'), neighborList(ctx, b, titleB, 'b'));
}

function neighborList(ctx: AppContext, entries: NeighborEntry[], title: string, side: Side): HTMLElement {
  const counts = { kept: 0, lost: 0, gained: 0 };
  for (const e of entries) counts[e.fate]++;
  const summary = side === 'a' ? `${counts.kept} kept, ${counts.lost} lost` : `${counts.kept} kept, ${counts.gained} gained`;
  const list = h('ol', { class: 'neighbors', 'data-testid': `neighbors-${side}` });
  for (const e of entries) {
    list.appendChild(h('li', { class: `neighbor fate-${e.fate}`, 'data-fate': e.fate, 'data-chunk': e.chunk },
      h('div', { class: 'neighbor-head' },
        h('span', { class: `fate fate-${e.fate}` }, e.fate),
        h('span', { class: 'score num' }, fixed(e.score, 3)),
        h('button', { class: 'link open', type: 'button', 'aria-label': `open ${e.file}`, onclick: () => ctx.open({ file: e.file, start: e.start, end: e.end, side: e.side }) }, 'open')),
      locLabel('span', e.file, e.start, e.end, e.lines),
      e.text !== undefined ? clipped(e.text, 'snippet') : null));
  }
  return h('div', { class: `neighbor-col side-${side}` },
    h('h3', null, h('span', { class: `side-badge side-${side}` }, side.toUpperCase()), ` ${title}`, h('span', { class: 'muted small' }, ` · ${summary}`)),
    list);
}
