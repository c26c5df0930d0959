// Anchors: queries with the span they must retrieve ({"query", "expect"}), text pairs whose
// similarity should hold ({"a", "b"}) and plain queries ({"query"}) read from a JSONL file, or
// built from the corpus itself (markdown headings, doc comments). Plus the retrieval scores.
import type { Corpus, ChunkSpan } from '../types';
import { lineStarts } from '../lines';

export interface AnchorQuery {
  query: string;
  /** The expectation as written, e.g. "docs/setup.md#L10-L40". */
  expect: string;
  span: ChunkSpan;
  auto: boolean;
}

export interface AnchorPair {
  a: string;
  b: string;
}

export interface AnchorSet {
  anchors: AnchorQuery[];
  pairs: AnchorPair[];
  /** Lines with a query and no expectation: a query set for retrieval churn. */
  queries: string[];
  malformed: Array<{ line: number; message: string }>;
}

/**
 * Parses an anchors JSONL text; malformed lines are reported with their number and the reason
 * (the message never repeats the file and line: whoever shows it adds them once) and skipped. A
 * query (or pair) already seen is flagged as a duplicate and counted once.
 */
export function parseAnchors(text: string, _fileName: string, corpus: Corpus): AnchorSet {
  const out: AnchorSet = { anchors: [], pairs: [], queries: [], malformed: [] };
  const files = new Map(corpus.files.map((f) => [f.path, f.text]));
  /** First line of each query text and each pair: a repeat would weigh twice in every mean. */
  const seen = new Map<string, number>();
  const firstSight = (key: string, line: number): number | undefined => {
    const earlier = seen.get(key);
    if (earlier === undefined) seen.set(key, line);
    return earlier;
  };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('//')) return;
    const bad = (message: string): void => { out.malformed.push({ line, message }); };
    let value: unknown;
    try { value = JSON.parse(trimmed); } catch { bad('not valid JSON'); return; }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) { bad('expected a JSON object'); return; }
    const obj = value as Record<string, unknown>;
    if ('a' in obj || 'b' in obj) {
      if (typeof obj.a !== 'string' || typeof obj.b !== 'string' || !obj.a.trim() || !obj.b.trim()) { bad('a pair needs non-empty strings "a" and "b"'); return; }
      const earlier = firstSight(`pair\u0000${obj.a.trim()}\u0000${obj.b.trim()}`, line);
      if (earlier !== undefined) { bad(`duplicate of the pair on line ${earlier}; counted once`); return; }
      out.pairs.push({ a: obj.a, b: obj.b });
      return;
    }
    if (typeof obj.query !== 'string' || !obj.query.trim()) { bad('missing a non-empty string "query"'); return; }
    if (obj.expect !== undefined && typeof obj.expect !== 'string') { bad('"expect" must be a string like "docs/setup.md#L10-L40"'); return; }
    const span = obj.expect === undefined ? undefined : resolveExpect(obj.expect, files);
    if (typeof span === 'string') { bad(span); return; }
    const earlier = firstSight(`query\u0000${obj.query.trim()}`, line);
    if (earlier !== undefined) { bad(`duplicate of the query on line ${earlier}; counted once`); return; }
    if (span === undefined) out.queries.push(obj.query);
    else out.anchors.push({ query: obj.query, expect: obj.expect as string, span, auto: false });
  });
  return out;
}

/** "file" or "file#Lx" or "file#Lx-Ly" (1-based, inclusive) to a character span, or an error text. */
export function resolveExpect(expect: string, files: Map<string, string>): ChunkSpan | string {
  const m = /^(.*?)(?:#L(\d+)(?:-L?(\d+))?)?$/.exec(expect.trim());
  const file = (m?.[1] ?? '').replace(/^\.\//, '');
  const text = files.get(file);
  if (text === undefined) return `expected file ${shownName(file)} is not in the corpus`;
  if (!m?.[2]) return { file, start: 0, end: text.length };
  const from = Number(m[2]);
  const to = m[3] ? Number(m[3]) : from;
  const starts = lineStarts(text);
  if (to < from) return `line range L${from}-L${to} is reversed (it ends before it starts); write L${to}-L${from}`;
  if (from < 1 || from > starts.length) return `line range L${from}-L${to} is outside ${shownName(file)} (${starts.length} ${starts.length === 1 ? 'line' : 'lines'})`;
  const last = Math.min(to, starts.length);
  const end = last < starts.length ? starts[last]! - 1 : text.length;
  return { file, start: starts[from - 1]!, end: Math.max(starts[from - 1]!, end) };
}

/** How many skipped lines a warning names before "and N more". */
const MALFORMED_SHOWN = 3;

/** The one warning about skipped anchors lines: how many, then the first few with their line and reason. */
export function malformedNote(file: string, malformed: ReadonlyArray<{ line: number; message: string }>): string {
  const first = malformed.slice(0, MALFORMED_SHOWN).map((m) => `${file}:${m.line}: ${m.message}`).join('; ');
  const more = malformed.length > MALFORMED_SHOWN ? `; and ${malformed.length - MALFORMED_SHOWN} more (see anchors.malformed)` : '';
  return `${malformed.length} ${malformed.length === 1 ? 'line' : 'lines'} of the anchors file skipped: ${first}${more}.`;
}

/** A file name as a message shows it: quoted, and cut when a hostile line makes it huge. */
function shownName(file: string): string {
  return JSON.stringify(file.length > 120 ? `${file.slice(0, 117)}...` : file);
}

/**
 * Anchors from the corpus itself: each markdown heading is a query for its own section (up to the
 * next heading of the same or a higher level), each doc comment a query for the code after it (up
 * to the next blank line). When there are more than `limit`, an evenly spread subset is kept.
 */
export function autoAnchors(corpus: Corpus, limit: number): AnchorQuery[] {
  const found: AnchorQuery[] = [];
  for (const file of corpus.files) {
    if (/\.(md|markdown|mdx)$/i.test(file.path)) found.push(...headingAnchors(file.path, file.text));
    else found.push(...docCommentAnchors(file.path, file.text));
  }
  if (found.length <= limit) return found;
  const step = found.length / limit;
  return Array.from({ length: limit }, (_, i) => found[Math.floor(i * step)]!);
}

function headingAnchors(path: string, text: string): AnchorQuery[] {
  const headings: Array<{ level: number; title: string; start: number; line: number }> = [];
  const re = /^(#{1,6})[ \t]+(.+?)[ \t#]*$/gm;
  // A "#" line inside a code fence is code (a shell comment), not a heading.
  const fences = [...text.matchAll(/^(```|~~~)/gm)].map((m) => m.index);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index;
    if (fences.filter((f) => f < at).length % 2 === 1) continue;
    const title = m[2]!.trim();
    headings.push({ level: m[1]!.length, title, start: m.index, line: text.slice(0, m.index).split('\n').length });
  }
  return headings.flatMap((h, i) => {
    let end = text.length;
    for (let j = i + 1; j < headings.length; j++) if (headings[j]!.level <= h.level) { end = headings[j]!.start; break; }
    while (end > h.start && /\s/.test(text[end - 1]!)) end--;
    if (h.title.replace(/[^\p{L}\p{N}]/gu, '').length < 3) return [];
    const lastLine = text.slice(0, end).split('\n').length;
    return [{ query: h.title, expect: `${path}#L${h.line}-L${lastLine}`, span: { file: path, start: h.start, end }, auto: true }];
  });
}

function docCommentAnchors(path: string, text: string): AnchorQuery[] {
  const out: AnchorQuery[] = [];
  const re = /\/\*\*([\s\S]*?)\*\/[ \t]*\r?\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const body = m[1]!.split('\n').map((l) => l.replace(/^\s*\*?\s?/, '')).filter((l) => !l.startsWith('@')).join(' ').trim();
    const sentence = (/^(.+?[.!?])(\s|$)/.exec(body)?.[1] ?? body).trim();
    if (sentence.split(/\s+/).length < 3) continue;
    const codeStart = m.index + m[0].length;
    const blank = /\n[ \t]*\r?\n/.exec(text.slice(codeStart));
    const end = blank ? codeStart + blank.index : text.length;
    if (end <= codeStart) continue;
    const line = text.slice(0, codeStart).split('\n').length;
    const lastLine = text.slice(0, end).split('\n').length;
    out.push({ query: sentence.slice(0, 300), expect: `${path}#L${line}-L${lastLine}`, span: { file: path, start: codeStart, end }, auto: true });
  }
  return out;
}
