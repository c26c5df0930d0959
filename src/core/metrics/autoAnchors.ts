// Anchors from the corpus itself, when the user wrote none: each heading (markdown, RST, AsciiDoc)
// is a query for the text of its own section, each Python docstring or doc comment a query for the
// code it documents. A heading is a fair golden query only when it names one topic and labels one
// piece of text, so what does not is left out and counted: headings that label several sections
// ("Fixes", "Examples"), changelog files, versions and dates ("0.45.0 (2019-12-11)"), one-word
// headings, empty sections; then a cap per file and an overall limit, both evenly spread.
import { partitionPoint } from '../bisect';
import type { AutoAnchorSummary } from '../report/types';
import type { Corpus } from '../types';
import type { AnchorQuery } from './anchors';

/**
 * At most this many anchors come from one file, so one long page cannot stand for the corpus;
 * unless fewer files than limit / this have anchors: then each file may give an equal share of
 * the limit (a single-file corpus, a 50 MB manual, is not held to 10 queries).
 */
export const AUTO_ANCHORS_PER_FILE = 10;

type Kind = 'headings' | 'docstrings' | 'docComments';
type DropReason = keyof AutoAnchorSummary['dropped'];

interface Candidate {
  kind: Kind;
  query: string;
  file: string;
  /** The section's or the code's text (the heading line and the docstring themselves left out). */
  start: number;
  end: number;
}

/** Files whose headings are release labels, not topics. */
const CHANGELOG_FILE = /(^|\/)(change[-_ ]?log|changes|history|news|release[-_ ]?notes|releases|whats[-_ ]?new)(\.[a-z]+)?$/i;
const VERSION = /\bv?\d+(?:\.\d+)+(?:[-+.][0-9A-Za-z.]+)?\b/g;
const DATE = /\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}\b/gi;
const WORD = /\p{L}[\p{L}\p{N}'’_-]*/gu;

export interface AutoAnchors {
  anchors: AnchorQuery[];
  summary: AutoAnchorSummary;
}

export function autoAnchors(corpus: Corpus, limit: number, perFile = AUTO_ANCHORS_PER_FILE): AutoAnchors {
  const kinds = (): Record<Kind, number> => ({ headings: 0, docstrings: 0, docComments: 0 });
  const summary: AutoAnchorSummary = {
    found: kinds(), made: kinds(),
    dropped: { changelog: 0, versionOrDate: 0, oneWord: 0, emptySection: 0, repeated: 0, perFileCap: 0, limit: 0 },
    perFile, limit,
  };
  const texts = new Map(corpus.files.map((f) => [f.path, f.text]));
  const kept: Candidate[] = [];
  for (const file of corpus.files) {
    const found = candidatesOf(file.path, file.text);
    for (const c of found) {
      summary.found[c.kind]++;
      const reason = dropReason(c, file.text);
      if (reason) summary.dropped[reason]++;
      else kept.push(c);
    }
  }
  // A query that labels two places has no one expected answer.
  const count = new Map<string, number>();
  for (const c of kept) count.set(normalized(c.query), (count.get(normalized(c.query)) ?? 0) + 1);
  const unique = kept.filter((c) => {
    if (count.get(normalized(c.query))! === 1) return true;
    summary.dropped.repeated++;
    return false;
  });
  const byFile = new Map<string, Candidate[]>();
  for (const c of unique) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);
  summary.perFile = Math.max(perFile, Math.ceil(limit / Math.max(1, byFile.size)));
  const capped = [...byFile.values()].flatMap((list) => {
    summary.dropped.perFileCap += Math.max(0, list.length - summary.perFile);
    return spread(list, summary.perFile);
  });
  const chosen = spread(capped, limit);
  summary.dropped.limit = capped.length - chosen.length;
  for (const c of chosen) summary.made[c.kind]++;
  const lineStarts = new Map<string, number[]>();
  const lineOf = (file: string, offset: number): number => {
    let starts = lineStarts.get(file);
    if (!starts) {
      const text = texts.get(file)!;
      starts = [0];
      for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
      lineStarts.set(file, starts);
    }
    return partitionPoint(starts.length, (i) => starts[i]! <= offset);
  };
  const anchors = chosen.map((c) => ({
    query: c.query, expect: `${c.file}#L${lineOf(c.file, c.start)}-L${lineOf(c.file, c.end - 1)}`, span: { file: c.file, start: c.start, end: c.end }, auto: true,
  }));
  return { anchors, summary };
}

/** The reason a candidate is no fair golden query, or null. */
function dropReason(c: Candidate, text: string): DropReason | null {
  if (c.kind === 'headings' && CHANGELOG_FILE.test(c.file)) return 'changelog';
  if (!/\S/.test(text.slice(c.start, c.end))) return 'emptySection';
  const words = (s: string): number => (s.match(WORD) ?? []).filter((w) => w.length >= 2).length;
  if (c.kind === 'headings') {
    const withoutVersions = c.query.replace(VERSION, ' ').replace(DATE, ' ');
    if (withoutVersions !== c.query && words(withoutVersions) < 2) return 'versionOrDate';
    if (words(c.query) < 2) return 'oneWord';
  }
  return null;
}

function normalized(query: string): string {
  return query.toLowerCase().replace(/[\s.:;!?]+$/, '').replace(/\s+/g, ' ').trim();
}

/** `count` items evenly spread over `items` (all of them when there are no more). */
function spread<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)]!);
}

function candidatesOf(path: string, text: string): Candidate[] {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  if (['md', 'markdown', 'mdx'].includes(ext)) return sections(path, text, markdownHeadings(text));
  if (['rst', 'rest'].includes(ext)) return sections(path, text, rstTitles(text));
  if (['adoc', 'asciidoc'].includes(ext)) return sections(path, text, asciidocTitles(text));
  if (ext === 'py') return docstrings(path, text);
  return docComments(path, text);
}

interface Heading { level: number; title: string; start: number; bodyStart: number }

/**
 * Each heading labels the text it heads directly: from the line after it to the next heading of any
 * level (a subsection has its own heading, and a span as long as a whole chapter would make every
 * character measure meaningless). A heading followed at once by a subheading labels nothing.
 */
function sections(path: string, text: string, headings: Heading[]): Candidate[] {
  return headings.map((h, i) => {
    let end = headings[i + 1]?.start ?? text.length;
    let start = Math.min(h.bodyStart, end);
    while (start < end && /\s/.test(text[start]!)) start++;
    while (end > start && /\s/.test(text[end - 1]!)) end--;
    return { kind: 'headings' as const, query: cleanTitle(h.title), file: path, start, end };
  });
}

/** Offsets just past the end of the line that holds `at`. */
function nextLine(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return nl < 0 ? text.length : nl + 1;
}

/** ATX ("## Title") and setext (Title / ====) headings outside code fences and front matter. */
function markdownHeadings(text: string): Heading[] {
  const out: Heading[] = [];
  const lines = text.split('\n');
  let offset = 0;
  let fence: string | null = null;
  let i = 0;
  // YAML front matter is data, not a heading underlined by its closing "---".
  if (lines[0]?.trim() === '---') {
    const close = lines.findIndex((l, j) => j > 0 && /^(---|\.\.\.)\s*$/.test(l));
    if (close > 0) { for (; i <= close; i++) offset += lines[i]!.length + 1; }
  }
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const start = offset;
    offset += line.length + 1;
    const fenceMark = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fenceMark) {
      if (fence === null) fence = fenceMark[0]!;
      else if (fenceMark[0] === fence) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const atx = /^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$/.exec(line);
    if (atx) { out.push({ level: atx[1]!.length, title: atx[2]!, start, bodyStart: offset }); continue; }
    const next = lines[i + 1];
    if (next !== undefined && /^ {0,3}(=+|-+)\s*$/.test(next) && /\S/.test(line) && !/^\s*([-*+>|]|\d+\.)\s/.test(line) && !/^\s{4}/.test(line)) {
      out.push({ level: next.trim()[0] === '=' ? 1 : 2, title: line.trim(), start, bodyStart: offset + next.length + 1 });
      offset += next.length + 1;
      i++;
    }
  }
  return out;
}

/** RST section titles: a line underlined (and optionally overlined) by one repeated punctuation character at least as long. */
function rstTitles(text: string): Heading[] {
  const out: Heading[] = [];
  const styles: string[] = [];
  const lines = text.split('\n');
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) { starts.push(offset); offset += line.length + 1; }
  const adornment = (line: string | undefined): string | null => {
    const m = /^([=\-`:'"~^_*+#<>.])\1{2,}\s*$/.exec(line ?? '');
    return m ? m[1]! : null;
  };
  for (let i = 0; i + 1 < lines.length; i++) {
    const title = lines[i]!;
    const under = adornment(lines[i + 1]);
    if (!under || !/^\S/.test(title) || adornment(title) || title.startsWith('..') || lines[i + 1]!.trimEnd().length < title.trimEnd().length) continue;
    const over = i > 0 && adornment(lines[i - 1]) === under;
    const style = `${over ? 'o' : ''}${under}`;
    if (!styles.includes(style)) styles.push(style);
    out.push({ level: styles.indexOf(style) + 1, title: title.trim(), start: starts[over ? i - 1 : i]!, bodyStart: starts[i + 2] ?? text.length });
    i++;
  }
  return out;
}

/** AsciiDoc titles ("== Section") outside listing and literal blocks. */
function asciidocTitles(text: string): Heading[] {
  const out: Heading[] = [];
  let offset = 0;
  let block: string | null = null;
  for (const line of text.split('\n')) {
    const start = offset;
    offset += line.length + 1;
    const delimiter = /^(-{4,}|\.{4,}|={4,}|\+{4,}|\/{4,})\s*$/.exec(line)?.[1];
    if (delimiter) { block = block === null ? delimiter : block === delimiter ? null : block; continue; }
    if (block !== null) continue;
    const m = /^(={1,6})\s+(\S.*?)\s*$/.exec(line);
    if (m) out.push({ level: m[1]!.length, title: m[2]!, start, bodyStart: offset });
  }
  return out;
}

/** Python functions and classes with a docstring: its first sentence is a query for the code after it (to the end of the block). */
function docstrings(path: string, text: string): Candidate[] {
  const out: Candidate[] = [];
  const def = /^([ \t]*)(?:async[ \t]+)?(?:def|class)[ \t]+\w+/gm;
  for (let m = def.exec(text); m; m = def.exec(text)) {
    const indent = m[1]!.length;
    // The signature ends at the first ":" that closes the line outside brackets.
    let depth = 0;
    let p = m.index + m[0].length;
    for (; p < text.length; p++) {
      const ch = text[p]!;
      if ('([{'.includes(ch)) depth++;
      else if (')]}'.includes(ch)) depth--;
      else if (ch === ':' && depth === 0 && /^[ \t]*(#.*)?(\r?\n|$)/.test(text.slice(p + 1, p + 200))) break;
    }
    const doc = /^[ \t]*\r?\n[ \t]*[rRuUbB]{0,2}("""|''')([\s\S]*?)\1/.exec(text.slice(nextLine(text, p) - 1));
    if (!doc) continue;
    let bodyStart = nextLine(text, nextLine(text, p) - 1 + doc.index + doc[0].length - 1);
    // Blank lines after the docstring are not code.
    for (let blank = /^[ \t]*\r?\n/.exec(text.slice(bodyStart)); blank; blank = /^[ \t]*\r?\n/.exec(text.slice(bodyStart))) bodyStart += blank[0].length;
    // The block ends before the next non-blank line indented no deeper than the definition.
    // A class's own text ends where its first method begins (each method has its own docstring).
    const isClass = /\bclass\b/.test(m[0]);
    const after = /^(?!\s*$)(?![ \t]*#)([ \t]*)(\S.*)$/gm;
    after.lastIndex = bodyStart;
    let end = text.length;
    for (let n = after.exec(text); n; n = after.exec(text)) {
      if (n[1]!.length <= indent || (isClass && /^(async\s+)?def\s|^@/.test(n[2]!))) { end = n.index; break; }
    }
    while (end > bodyStart && /\s/.test(text[end - 1]!)) end--;
    const query = firstSentence(doc[2]!.replace(/^\s*:(param|type|return|returns|rtype|raises)\b.*$/gm, ''));
    if (query) out.push({ kind: 'docstrings', query, file: path, start: bodyStart, end: Math.max(bodyStart, end) });
  }
  return out;
}

/** /** doc comments *\/: the first sentence is a query for the code after it, up to the next blank line. */
function docComments(path: string, text: string): Candidate[] {
  const out: Candidate[] = [];
  const re = /\/\*\*([\s\S]*?)\*\/[ \t]*\r?\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const body = m[1]!.split('\n').map((l) => l.replace(/^\s*\*?\s?/, '')).filter((l) => !l.startsWith('@')).join(' ');
    const query = firstSentence(body);
    const codeStart = m.index + m[0].length;
    const blank = /\n[ \t]*\r?\n/.exec(text.slice(codeStart));
    const end = blank ? codeStart + blank.index : text.length;
    if (query && end > codeStart) out.push({ kind: 'docComments', query, file: path, start: codeStart, end });
  }
  return out;
}

/** The first sentence of a doc text, cleaned; null when it has fewer than three words. */
function firstSentence(doc: string): string | null {
  const flat = cleanTitle(doc.replace(/\s+/g, ' ').trim());
  const sentence = (/^(.+?[.!?])(\s|$)/.exec(flat)?.[1] ?? flat).trim();
  return sentence.split(/\s+/).length < 3 ? null : sentence.slice(0, 300);
}

/**
 * A heading or doc sentence as a user would type it: heading ids ("{ #install }"), links, roles
 * (":class:`Response <requests.Response>`"), inline code, emphasis and HTML tags removed.
 */
export function cleanTitle(title: string): string {
  return title
    .replace(/\s*\{[^{}]*#[\w-]+[^{}]*\}\s*$/, '')
    .replace(/:[\w:.-]+:`([^`<]*?)\s*(<[^>]*>)?`/g, '$1')
    .replace(/`([^`<]+?)\s*<[^>]*>`_{1,2}/g, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\{@\w+\s+([^}|\s]+)[^}]*\}/g, '$1')
    .replace(/`+([^`]*)`+_?/g, '$1')
    .replace(/(^|[^\w*])(\*\*|\*|__|_)(\S(?:.*?\S)?)\2(?=[^\w*]|$)/g, '$1$3')
    .replace(/\s+/g, ' ')
    .trim();
}
