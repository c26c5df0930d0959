// Aligns two chunkings of the same files by character ranges, so neighbor lists of different
// items can be compared: each A chunk gets the B chunk that overlaps it most (its counterpart).
import type { ChunkSpan } from '../types';
import { partitionPoint } from '../bisect';

/** Characters two spans share (0 when in different files or disjoint). */
export function spanOverlap(x: ChunkSpan, y: ChunkSpan): number {
  if (x.file !== y.file) return 0;
  return Math.max(0, Math.min(x.end, y.end) - Math.max(x.start, y.start));
}

/** Whether A and B cut the corpus into exactly the same spans, in the same order. */
export function sameChunking(a: readonly ChunkSpan[], b: readonly ChunkSpan[]): boolean {
  return a.length === b.length && a.every((x, i) => {
    const y = b[i]!;
    return x.file === y.file && x.start === y.start && x.end === y.end;
  });
}

/** Chunks grouped by file, sorted by start, for overlap look-ups. */
export class SpanIndex {
  private readonly byFile = new Map<string, number[]>();
  /** Longest span per file: a span starting before `start - longest` cannot reach `start`. */
  private readonly longest = new Map<string, number>();

  constructor(private readonly spans: readonly ChunkSpan[]) {
    spans.forEach((s, i) => {
      const list = this.byFile.get(s.file);
      if (list) list.push(i); else this.byFile.set(s.file, [i]);
      this.longest.set(s.file, Math.max(this.longest.get(s.file) ?? 0, s.end - s.start));
    });
    for (const list of this.byFile.values()) list.sort((x, y) => spans[x]!.start - spans[y]!.start || x - y);
  }

  /** Indices of the spans that share at least one character with `span`, in start order. */
  overlapping(span: ChunkSpan): number[] {
    const list = this.byFile.get(span.file);
    if (!list) return [];
    const from = span.start - (this.longest.get(span.file) ?? 0);
    const first = partitionPoint(list.length, (p) => this.spans[list[p]!]!.start < from);
    const out: number[] = [];
    for (let p = first; p < list.length; p++) {
      const i = list[p]!;
      const s = this.spans[i]!;
      if (s.start >= span.end) break;
      if (s.end > span.start) out.push(i);
    }
    return out;
  }
}

/**
 * For each A chunk, the B chunk with the most shared characters (ties: the earlier B chunk);
 * -1 when no B chunk overlaps it (e.g. the file is missing under B).
 */
export function alignChunks(a: readonly ChunkSpan[], b: readonly ChunkSpan[]): Int32Array {
  const index = new SpanIndex(b);
  const counterpart = new Int32Array(a.length).fill(-1);
  a.forEach((span, i) => {
    let best = 0;
    for (const j of index.overlapping(span)) {
      const o = spanOverlap(span, b[j]!);
      if (o > best) { best = o; counterpart[i] = j; }
    }
  });
  return counterpart;
}

/**
 * Alignment across two snapshots of a corpus: a chunk whose file still holds the same text is its
 * own counterpart wherever it moved; the rest fall back to character overlap in the same file.
 */
export function alignSnapshots(a: readonly (ChunkSpan & { text: string })[], b: readonly (ChunkSpan & { text: string })[]): Int32Array {
  const byText = new Map<string, number>();
  b.forEach((chunk, j) => {
    const key = `${chunk.file}\u0000${chunk.text}`;
    if (!byText.has(key)) byText.set(key, j);
  });
  const counterpart = alignChunks(a, b);
  a.forEach((chunk, i) => {
    const j = byText.get(`${chunk.file}\u0000${chunk.text}`);
    if (j !== undefined) counterpart[i] = j;
  });
  return counterpart;
}
