// DOM building without innerHTML: every string becomes a text node, so workspace data (file names,
// chunk texts, terms, queries) can never turn into markup. Plus the number formats the views share.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;

/** Creates an element; attributes named on* take listeners (added with addEventListener, never as markup). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === false) continue;
      if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
      else if (name === 'class') el.className = String(value);
      else el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, ...children);
  return el;
}

export function append(el: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** 0.3142 -> "31%" (digits = decimals of the percentage). */
export function pct(x: number | null | undefined, digits = 0): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(digits)}%`;
}

export function fixed(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits);
}

export function signed(x: number, digits = 2): string {
  const s = x.toFixed(digits);
  return x > 0 ? `+${s}` : s === (-0).toFixed(digits) ? (0).toFixed(digits) : s;
}

export function int(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}


/** A chunk's lines as the report gives them (1-based, inclusive); absent in reports made before they were. */
export type Lines = readonly [number, number] | undefined;

/** A range as a person reads it: "L35–L49" (lines; "L35" for one), or "4805–5554" characters when no lines are known. */
export function rangeText(start: number, end: number, lines?: Lines): string {
  if (!lines) return `${start}–${end}`;
  return lines[0] === lines[1] ? `L${lines[0]}` : `L${lines[0]}–L${lines[1]}`;
}

/** The hover text of a range: "lines 35–49, characters 4805–5554". */
export function rangeTitle(start: number, end: number, lines?: Lines): string {
  const chars = `characters ${start}–${end}`;
  return lines ? `${lines[0] === lines[1] ? `line ${lines[0]}` : `lines ${lines[0]}–${lines[1]}`}, ${chars}` : chars;
}

/** "docs/a.md#L35-L49", the anchors file's notation; "docs/a.md:4805-5554" (characters) without lines. */
export function spanLabel(file: string, start: number, end: number, lines?: Lines): string {
  return lines ? `${file}#L${lines[0]}-L${lines[1]}` : `${file}:${start}-${end}`;
}

/**
 * A location as an element: the label, the full label and the characters on hover (so clipping never
 * hides it), and the character range as data attributes for tools and tests.
 */
export function locLabel<K extends 'span' | 'h2' | 'strong'>(tag: K, file: string, start: number, end: number, lines?: Lines, attrs: Attrs = {}): HTMLElementTagNameMap[K] {
  return h(tag, {
    class: 'loc', title: `${file}: ${rangeTitle(start, end, lines)}`, 'data-file': file, 'data-start': start, 'data-end': end, ...attrs,
  }, spanLabel(file, start, end, lines));
}

/** Text cut with an ellipsis by CSS, whole on hover: nothing is clipped without a tooltip. */
export function clipped(text: string, className = ''): HTMLElement {
  return h('span', { class: `ellipsis${className ? ` ${className}` : ''}`, title: text }, text);
}

/** A section with a heading, the building block of every tab. */
export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card' }, h('h2', null, title), ...children);
}

/** A big number with a label underneath. */
export function stat(label: string, value: string, detail?: string, testId?: string): HTMLElement {
  return h('div', { class: 'stat', 'data-testid': testId },
    h('div', { class: 'stat-value' }, value),
    h('div', { class: 'stat-label' }, label),
    detail ? h('div', { class: 'stat-detail' }, detail) : null);
}
