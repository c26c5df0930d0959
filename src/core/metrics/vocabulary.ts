// Tokenization of the corpus's own vocabulary: which terms (words, camelCase/snake_case
// identifiers, hyphenated and dotted names) each tokenizer shatters into pieces or does not know.
import type { Tokenizer } from '../tokenizers/types';
import type { NewTermItem, TokenizerStats } from '../report/types';
import type { ChunkSpan, CorpusFile } from '../types';
import { round } from './stats';

/** A term: a letter or underscore, then word characters, optionally joined by "." or "-". */
const TERM = /[\p{L}_][\p{L}\p{N}_]*(?:[.-][\p{L}_][\p{L}\p{N}_]*)*/gu;

export interface TermCount {
  term: string;
  count: number;
  /** First occurrence. */
  example: ChunkSpan;
}

/** Distinct terms of the corpus with their counts, most frequent first (ties alphabetical); may pause between files. */
export async function countTerms(files: readonly Pick<CorpusFile, 'path' | 'text'>[], pause?: () => Promise<void>): Promise<TermCount[]> {
  const counts = new Map<string, TermCount>();
  for (const f of files) {
    if (pause) await pause();
    for (const m of f.text.matchAll(TERM)) {
      const term = m[0];
      if (term.length < 2) continue;
      const entry = counts.get(term);
      if (entry) entry.count++;
      else counts.set(term, { term, count: 1, example: { file: f.path, start: m.index, end: m.index + term.length } });
    }
  }
  return [...counts.values()].sort((x, y) => y.count - x.count || (x.term < y.term ? -1 : x.term > y.term ? 1 : 0));
}

export interface TermPieces {
  pieces: string[];
  unknown: boolean;
  unknownTokens: number;
}

export function termPieces(tokenizer: Tokenizer, term: string): TermPieces {
  const enc = tokenizer.encode(term);
  const unknownTokens = enc.unknown.filter((u) => u).length;
  return { pieces: enc.pieces, unknown: unknownTokens > 0, unknownTokens };
}

/**
 * Mean pieces per distinct term, unknown tokens / all tokens, share of terms shattered (3+ pieces
 * or unknown: the one meaning of "shattered" in the report, `shatteredTerms` and the verdict).
 */
export function tokenizerStats(name: string, pieces: readonly TermPieces[]): TokenizerStats {
  let tokens = 0;
  let unknown = 0;
  let shatteredCount = 0;
  for (const p of pieces) {
    tokens += p.pieces.length;
    unknown += p.unknownTokens;
    if (shattered(p)) shatteredCount++;
  }
  const n = pieces.length;
  return {
    tokenizer: name,
    piecesPerTerm: n === 0 ? 0 : round(tokens / n),
    unknownRate: tokens === 0 ? 0 : round(unknown / tokens),
    shatteredShare: n === 0 ? 0 : round(shatteredCount / n),
  };
}

/**
 * How badly a tokenizer treats a term: pieces beyond the first, and an unknown token counts as
 * losing the term entirely (as bad as 3 extra pieces).
 */
export function fragmentation(p: TermPieces): number {
  return Math.max(0, p.pieces.length - 1) + (p.unknown ? 3 : 0);
}

/**
 * Terms that one tokenizer shatters (3+ pieces) or does not know while the other does better,
 * ranked by frequency x fragmentation difference, worst first.
 */
/** A term a tokenizer shatters into 3+ pieces or does not know: "new vocabulary" for it. */
function shattered(p: TermPieces): boolean {
  return p.unknown || p.pieces.length >= 3;
}

/** How many terms are new vocabulary for A or B: the length of the list before it is cut to a limit. */
export function countNewVocabulary(a: readonly TermPieces[], b: readonly TermPieces[]): number {
  let count = 0;
  a.forEach((pa, i) => { if (shattered(pa) || shattered(b[i]!)) count++; });
  return count;
}

export function newVocabulary(terms: readonly TermCount[], a: readonly TermPieces[], b: readonly TermPieces[], limit: number): NewTermItem[] {
  const ranked: Array<{ score: number; item: NewTermItem }> = [];
  terms.forEach((t, i) => {
    const pa = a[i]!;
    const pb = b[i]!;
    if (!shattered(pa) && !shattered(pb)) return;
    const diff = Math.abs(fragmentation(pa) - fragmentation(pb));
    const worst = Math.max(fragmentation(pa), fragmentation(pb));
    // A term both tokenizers shatter equally still matters, but less than one that changed.
    const score = t.count * (diff > 0 ? diff : worst / 4);
    ranked.push({
      score,
      item: { term: t.term, count: t.count, piecesA: pa.pieces, piecesB: pb.pieces, unknownA: pa.unknown, unknownB: pb.unknown, example: t.example },
    });
  });
  ranked.sort((x, y) => y.score - x.score || y.item.count - x.item.count);
  return ranked.slice(0, limit).map((r) => r.item);
}

/** Terms one side shatters into 3+ pieces (or does not know) where the other does not. */
export function shatteredBy(a: readonly TermPieces[], b: readonly TermPieces[]): { a: number; b: number } {
  let onlyA = 0;
  let onlyB = 0;
  a.forEach((pa, i) => {
    const pb = b[i]!;
    if (shattered(pa) && !shattered(pb)) onlyA++;
    if (shattered(pb) && !shattered(pa)) onlyB++;
  });
  return { a: onlyA, b: onlyB };
}
