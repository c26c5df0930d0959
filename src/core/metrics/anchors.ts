// Anchors: queries with the span they must retrieve ({"query", "expect"}), text pairs whose
// similarity should hold ({"a", "b"}) and plain queries ({"query"}) read from a JSONL file.
// Anchors built from the corpus itself: autoAnchors.ts; their scores: golden.ts.
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
