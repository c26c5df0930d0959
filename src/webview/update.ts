// A report replacing the one on screen (live mode, Rerun) is an update in place: the scroll
// positions come back, the selected chunk stays selected by its place in the corpus (indices change
// between runs), and the headline numbers and verdicts that moved are marked for a moment.
import type { ChurnItem } from '../core/report/types';

export interface ScrollPositions {
  page: { x: number; y: number };
  /** Scrolled elements by a key that survives a re-render (tab panel, test id, class, order). */
  elements: Map<string, { top: number; left: number }>;
}

/** Elements that can hold a scroll position of their own, keyed so the same one is found after a re-render. */
function scrollables(root: HTMLElement): Map<string, HTMLElement> {
  const found = new Map<string, HTMLElement>();
  const seen = new Map<string, number>();
  for (const el of root.querySelectorAll<HTMLElement>('.vt-viewport, pre, .map-list, .tabs, [data-scroll]')) {
    const panel = el.closest('[role=tabpanel]')?.id ?? '';
    const base = `${panel}|${el.closest('[data-testid]')?.getAttribute('data-testid') ?? ''}|${el.className}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    found.set(`${base}|${n}`, el);
  }
  return found;
}

export function saveScroll(root: HTMLElement): ScrollPositions {
  const elements = new Map<string, { top: number; left: number }>();
  for (const [key, el] of scrollables(root)) if (el.scrollTop > 0 || el.scrollLeft > 0) elements.set(key, { top: el.scrollTop, left: el.scrollLeft });
  return { page: { x: window.scrollX, y: window.scrollY }, elements };
}

export function restoreScroll(root: HTMLElement, saved: ScrollPositions): void {
  for (const [key, el] of scrollables(root)) {
    const position = saved.elements.get(key);
    if (!position) continue;
    el.scrollTop = position.top;
    el.scrollLeft = position.left;
    // Virtualized tables draw the rows in view on scroll: make sure they do at once.
    el.dispatchEvent(new Event('scroll'));
  }
  window.scrollTo(saved.page.x, saved.page.y);
}

/** Values a person compares between two runs: headline numbers (by label) and verdicts (by kind). */
export type MarkedValues = Map<string, string>;

function markable(root: HTMLElement): Array<{ key: string; el: HTMLElement; value: string }> {
  const out: Array<{ key: string; el: HTMLElement; value: string }> = [];
  for (const el of root.querySelectorAll<HTMLElement>('.stat')) {
    const label = el.querySelector('.stat-label')?.textContent ?? '';
    const value = el.querySelector<HTMLElement>('.stat-value');
    if (label && value) out.push({ key: `stat:${label}`, el: value, value: value.textContent ?? '' });
  }
  for (const el of root.querySelectorAll<HTMLElement>('.verdict[data-verdict]')) {
    const text = el.querySelector<HTMLElement>('.verdict-text');
    if (text) out.push({ key: `verdict:${el.getAttribute('data-verdict')}`, el: text, value: text.textContent ?? '' });
  }
  return out;
}

export function readMarkedValues(root: HTMLElement): MarkedValues {
  return new Map(markable(root).map(({ key, value }) => [key, value]));
}

/** How long a changed value stays highlighted (its data-previous attribute stays until the next update). */
const HIGHLIGHT_MS = 4000;

/** Marks what differs from `before`: a highlight that fades, and the old value on hover. */
export function markChanged(root: HTMLElement, before: MarkedValues): number {
  let marked = 0;
  for (const { key, el, value } of markable(root)) {
    const old = before.get(key);
    if (old === undefined || old === value) continue;
    marked++;
    el.classList.add('changed');
    el.setAttribute('data-previous', old);
    el.title = `was ${old} before this run`;
    setTimeout(() => el.classList.remove('changed'), HIGHLIGHT_MS);
  }
  return marked;
}

/** A churn item's place in the corpus, which outlives its index in a report. */
export function churnItemKey(item: ChurnItem | undefined): string | undefined {
  return item ? `${item.file}\u0000${item.start}\u0000${item.end}` : undefined;
}
