// A virtualized, sortable, filterable table: only the rows in view exist in the DOM, so 50,000
// rows scroll as fast as 50. Keyboard: arrows, Page Up/Down, Home/End move the selection; Enter opens.
// For assistive technology it is one ARIA grid: the scrolling element has the focus and names the
// selected row with aria-activedescendant; the header row sits inside it (sticky), so every row has
// the grid as its parent; rows carry aria-rowindex over the whole (filtered) table.
import { clear, h } from './dom';

/** Header height in pixels: the sticky header row sits above the rows inside the scroll container. */
const HEADER_HEIGHT = 28;
let tableCount = 0;

export interface Column<T> {
  id: string;
  label: string;
  /** CSS grid track, e.g. "minmax(0,3fr)" or "72px". */
  width: string;
  numeric?: boolean;
  /** Value to sort by; columns without one are not sortable. */
  sortValue?: (row: T) => number | string;
  render: (row: T) => Node | string;
  title?: string;
}

export interface TableOptions<T> {
  label: string;
  columns: Column<T>[];
  rows: T[];
  rowHeight?: number;
  /** Viewport height in rows. */
  visibleRows?: number;
  /** The text a filter is matched against (lowercased once). */
  filterText?: (row: T) => string;
  sort?: { column: string; descending: boolean };
  onSelect?: (row: T, index: number) => void;
  onOpen?: (row: T, index: number) => void;
  onSortChange?: (sort: { column: string; descending: boolean }) => void;
  testId?: string;
}

export class VirtualTable<T> {
  readonly el: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  /** Prefix of row element ids, unique per table (aria-activedescendant names one). */
  private readonly idPrefix = `vt${++tableCount}`;
  private readonly body: HTMLElement;
  private readonly header: HTMLElement;
  private readonly countEl: HTMLElement;
  private readonly rowHeight: number;
  private readonly template: string;
  /** Indices into rows, after filter and sort. */
  private view: number[] = [];
  private active = -1;
  private filter = '';
  private sort: { column: string; descending: boolean } | undefined;
  private lowered: string[] | undefined;

  constructor(private readonly o: TableOptions<T>) {
    this.rowHeight = o.rowHeight ?? 26;
    this.sort = o.sort;
    this.template = o.columns.map((c) => c.width).join(' ');
    this.header = h('div', { class: 'vt-header', role: 'row', 'aria-rowindex': 1 });
    this.header.style.gridTemplateColumns = this.template;
    this.header.style.height = `${HEADER_HEIGHT}px`;
    this.spacer = h('div', { class: 'vt-spacer', 'aria-hidden': 'true' });
    this.body = h('div', { class: 'vt-rows', role: 'rowgroup' });
    this.body.style.top = `${HEADER_HEIGHT}px`;
    this.viewport = h('div', {
      class: 'vt-viewport', tabindex: 0, role: 'grid', 'aria-label': o.label, 'aria-colcount': o.columns.length,
      onscroll: () => this.renderRows(),
      onkeydown: (e: Event) => this.onKey(e as KeyboardEvent),
    }, h('div', { class: 'vt-head-group', role: 'rowgroup' }, this.header), this.spacer, this.body);
    this.viewport.style.height = `${(o.visibleRows ?? 14) * this.rowHeight + HEADER_HEIGHT}px`;
    this.countEl = h('div', { class: 'vt-count', 'aria-live': 'polite' });
    this.el = h('div', { class: 'vtable', 'data-testid': o.testId }, this.viewport, this.countEl);
    this.renderHeader();
    this.recompute();
  }

  setFilter(text: string): void {
    this.filter = text.trim().toLowerCase();
    this.recompute();
  }

  setSort(column: string, descending: boolean): void {
    this.sort = { column, descending };
    this.renderHeader();
    this.recompute();
    this.o.onSortChange?.(this.sort);
  }

  /** Rows in view order (after filter and sort). */
  get visibleCount(): number {
    return this.view.length;
  }

  /** Selects the row whose index in `rows` is `rowIndex`, if it passes the filter. */
  selectRow(rowIndex: number, notify = false): void {
    const pos = this.view.indexOf(rowIndex);
    if (pos >= 0) this.moveTo(pos, notify);
  }

  /** Selects the first row in view order and reports it, as a click would. */
  selectFirst(): void {
    this.moveTo(0, true);
  }

  focus(): void {
    this.viewport.focus();
  }

  private renderHeader(): void {
    clear(this.header);
    for (const c of this.o.columns) {
      const sorted = this.sort?.column === c.id;
      const cell = h('div', {
        class: `vt-cell vt-head${c.numeric ? ' num' : ''}${c.sortValue ? ' sortable' : ''}`,
        role: 'columnheader', title: c.title ?? c.label,
        'aria-sort': sorted ? (this.sort?.descending ? 'descending' : 'ascending') : c.sortValue ? 'none' : undefined,
        'data-column': c.id,
      }, c.label, sorted ? (this.sort?.descending ? ' ▼' : ' ▲') : '');
      if (c.sortValue) {
        cell.tabIndex = 0;
        const toggle = (): void => this.setSort(c.id, sorted ? !this.sort?.descending : !!c.numeric);
        cell.addEventListener('click', toggle);
        cell.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(); } });
      }
      this.header.appendChild(cell);
    }
  }

  private recompute(): void {
    const rows = this.o.rows;
    let view: number[];
    if (this.filter && this.o.filterText) {
      this.lowered ??= rows.map((r) => this.o.filterText!(r).toLowerCase());
      const f = this.filter;
      view = [];
      for (let i = 0; i < rows.length; i++) if (this.lowered[i]!.includes(f)) view.push(i);
    } else {
      view = rows.map((_, i) => i);
    }
    const col = this.o.columns.find((c) => c.id === this.sort?.column);
    if (col?.sortValue) {
      const keys = rows.map(col.sortValue);
      const dir = this.sort?.descending ? -1 : 1;
      // Ties keep report order, so the same click gives the same table every time.
      view.sort((p, q) => {
        const a = keys[p]!, b = keys[q]!;
        return (a < b ? -dir : a > b ? dir : 0) || p - q;
      });
    }
    const selected = this.active >= 0 ? this.view[this.active] : undefined;
    this.view = view;
    this.active = selected === undefined ? -1 : view.indexOf(selected);
    this.spacer.style.height = `${view.length * this.rowHeight}px`;
    // The header is row 1; data rows are 2..n+1 of the rows the filter lets through.
    this.viewport.setAttribute('aria-rowcount', String(view.length + 1));
    this.countEl.textContent = view.length === rows.length
      ? `${rows.length.toLocaleString('en-US')} rows`
      : `${view.length.toLocaleString('en-US')} of ${rows.length.toLocaleString('en-US')} rows`;
    this.renderRows();
  }

  private renderRows(): void {
    const top = this.viewport.scrollTop;
    const height = (this.viewport.clientHeight || parseFloat(this.viewport.style.height)) - HEADER_HEIGHT;
    const first = Math.max(0, Math.floor(top / this.rowHeight) - 4);
    const last = Math.min(this.view.length, Math.ceil((top + height) / this.rowHeight) + 4);
    clear(this.body);
    this.body.style.transform = `translateY(${first * this.rowHeight}px)`;
    for (let pos = first; pos < last; pos++) {
      const index = this.view[pos]!;
      const row = this.o.rows[index]!;
      const tr = h('div', {
        class: `vt-row${pos === this.active ? ' selected' : ''}${pos % 2 ? ' odd' : ''}`,
        id: `${this.idPrefix}-r${index}`,
        role: 'row', 'aria-selected': pos === this.active ? 'true' : 'false', 'aria-rowindex': pos + 2,
        'data-row': index,
        onclick: () => { this.moveTo(pos, true); this.viewport.focus(); },
        ondblclick: () => this.o.onOpen?.(row, index),
      });
      tr.style.gridTemplateColumns = this.template;
      tr.style.height = `${this.rowHeight}px`;
      for (const c of this.o.columns) tr.appendChild(h('div', { class: `vt-cell${c.numeric ? ' num' : ''}`, role: 'gridcell' }, c.render(row)));
      this.body.appendChild(tr);
    }
    // Focus stays on the grid; the selected row is named to assistive technology when it is drawn.
    const activeIndex = this.active >= 0 ? this.view[this.active] : undefined;
    if (activeIndex !== undefined && this.active >= first && this.active < last) this.viewport.setAttribute('aria-activedescendant', `${this.idPrefix}-r${activeIndex}`);
    else this.viewport.removeAttribute('aria-activedescendant');
  }

  private moveTo(pos: number, notify: boolean): void {
    if (this.view.length === 0) return;
    this.active = Math.max(0, Math.min(this.view.length - 1, pos));
    // Row tops in scroll coordinates; the sticky header covers the first HEADER_HEIGHT pixels of the view.
    const y = this.active * this.rowHeight;
    const vh = this.viewport.clientHeight - HEADER_HEIGHT;
    if (y < this.viewport.scrollTop) this.viewport.scrollTop = y;
    else if (y + this.rowHeight > this.viewport.scrollTop + vh) this.viewport.scrollTop = y + this.rowHeight - vh;
    this.renderRows();
    const index = this.view[this.active]!;
    if (notify) this.o.onSelect?.(this.o.rows[index]!, index);
  }

  private onKey(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor((this.viewport.clientHeight - HEADER_HEIGHT) / this.rowHeight) - 1);
    const moves: Record<string, number> = {
      ArrowDown: this.active + 1, ArrowUp: Math.max(0, this.active - 1),
      PageDown: this.active + page, PageUp: this.active - page, Home: 0, End: this.view.length - 1,
    };
    const target = moves[e.key];
    if (target !== undefined) {
      e.preventDefault();
      this.moveTo(target, true);
    } else if (e.key === 'Enter' && this.active >= 0) {
      e.preventDefault();
      const index = this.view[this.active]!;
      this.o.onOpen?.(this.o.rows[index]!, index);
    }
  }
}
