// Character offsets for tokenizers that do not report them (transformers.js): each token's raw
// string is turned into the text it stands for, then matched against a case- and accent-folded
// view of the input that remembers where every folded character came from.

/** How a tokenizer spells its tokens; read from tokenizer.json. */
export interface TokenSpelling {
  /** Byte-level BPE (GPT-2, RoBERTa): each byte is one printable character ("Ġ" = space). */
  byteLevel: boolean;
  /** "<0xNN>" tokens stand for single bytes (sentencepiece byte fallback). */
  byteFallback: boolean;
  /** Marks a word's continuation, e.g. "##" for WordPiece. */
  continuingPrefix: string;
  /** Marks a word's end, e.g. "</w>" for CLIP. */
  endOfWordSuffix: string;
  /** Sentencepiece's space mark "▁" stands for a space. */
  metaspace: string | undefined;
  /** WordPiece: an unknown token stands for a whole pre-tokenized word. */
  wholeWordUnknown: boolean;
  /** What the tokenizer's normalizer does to text; undefined = nothing (tokens spell the text exactly). */
  fold: FoldRules | undefined;
  /** The tokenizer puts a "▁" before the text (Prepend, Metaspace prepend_scheme): the first token's leading space is not in the text. */
  prependsSpace: boolean;
}

/** The normalizer's changes that matching must undo on both sides (read from tokenizer.json). */
export interface FoldRules {
  lowercase: boolean;
  stripAccents: boolean;
  /** NFKC/NFKD-like (ligatures, full-width forms); otherwise canonical only. */
  compatibility: boolean;
  /** BERT's clean_text: control characters removed. */
  dropControls: boolean;
}

export interface AlignedToken {
  /** The readable piece ("##ing", " the"). */
  piece: string;
  start: number;
  end: number;
}

/** GPT-2's byte-to-printable-character table, inverted: printable character -> byte. */
const BYTE_OF_CHAR: Map<string, number> = (() => {
  const bytes: number[] = [];
  for (let b = 33; b <= 126; b++) bytes.push(b);
  for (let b = 161; b <= 172; b++) bytes.push(b);
  for (let b = 174; b <= 255; b++) bytes.push(b);
  const chars = bytes.slice();
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    if (!bytes.includes(b)) { bytes.push(b); chars.push(256 + extra); extra++; }
  }
  return new Map(bytes.map((b, i) => [String.fromCharCode(chars[i]!), b]));
})();

const utf8 = new TextEncoder();
const WHITESPACE = /\s/;

function tokenBytes(token: string, spelling: TokenSpelling): Uint8Array {
  if (spelling.byteLevel) {
    const out: number[] = [];
    for (const ch of token) {
      const byte = BYTE_OF_CHAR.get(ch);
      if (byte !== undefined) out.push(byte);
      else out.push(...utf8.encode(ch));
    }
    return Uint8Array.from(out);
  }
  if (spelling.byteFallback && /^<0x[0-9A-Fa-f]{2}>$/.test(token)) return Uint8Array.of(parseInt(token.slice(3, 5), 16));
  return utf8.encode(tokenText(token, spelling) ?? token);
}

/**
 * The text a token stands for when it can be read without byte decoding (most tokens): whole
 * characters only. Undefined for byte tokens that may hold part of a UTF-8 character.
 */
function tokenText(token: string, spelling: TokenSpelling): string | undefined {
  if (spelling.byteLevel) {
    let text = '';
    for (let i = 0; i < token.length; i++) {
      const byte = BYTE_OF_CHAR.get(token[i]!);
      if (byte === undefined || byte >= 0x80) return undefined;
      text += String.fromCharCode(byte);
    }
    return text;
  }
  if (spelling.byteFallback && /^<0x[0-9A-Fa-f]{2}>$/.test(token)) return undefined;
  let text = token;
  if (spelling.continuingPrefix && text.length > spelling.continuingPrefix.length && text.startsWith(spelling.continuingPrefix)) {
    text = text.slice(spelling.continuingPrefix.length);
  }
  if (spelling.endOfWordSuffix && text.endsWith(spelling.endOfWordSuffix)) text = `${text.slice(0, -spelling.endOfWordSuffix.length)} `;
  return spelling.metaspace ? text.split(spelling.metaspace).join(' ') : text;
}

/**
 * Folds a character the way the normalizer does (decomposed, then accents and case as the rules
 * say), so a token and the text it came from compare equal.
 */
function fold(ch: string, rules: FoldRules): string {
  const code = ch.charCodeAt(0);
  if (code < 128) {
    if (rules.dropControls && ((code < 32 && !WHITESPACE.test(ch)) || code === 127)) return '';
    return rules.lowercase && code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : ch;
  }
  if (rules.dropControls && /[\p{Cc}\p{Cf}]/u.test(ch) && !WHITESPACE.test(ch)) return '';
  let out = ch.normalize(rules.compatibility ? 'NFKD' : 'NFD');
  if (rules.stripAccents) out = out.replace(/\p{M}/gu, '');
  return rules.lowercase ? out.toLowerCase() : out;
}

function foldString(text: string, rules: FoldRules | undefined): string {
  if (!rules) return text;
  let out = '';
  for (const ch of text) out += fold(ch, rules);
  return out;
}

/** The input folded, with the original [start, end) of the character each folded unit came from. */
interface FoldedText {
  text: string;
  from: Int32Array;
  to: Int32Array;
  original: string;
}

function foldText(original: string, rules: FoldRules | undefined): FoldedText {
  if (!rules) {
    const from = new Int32Array(original.length);
    const to = new Int32Array(original.length);
    for (let i = 0; i < original.length; i++) { from[i] = i; to[i] = i + 1; }
    return { text: original, from, to, original };
  }
  const parts: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  let i = 0;
  for (const ch of original) {
    const folded = fold(ch, rules);
    for (let j = 0; j < folded.length; j++) { from.push(i); to.push(i + ch.length); }
    parts.push(folded);
    i += ch.length;
  }
  return { text: parts.join(''), from: Int32Array.from(from), to: Int32Array.from(to), original };
}

/** How far ahead a token may be found when the text at the cursor does not match (normalizer drift). */
const SEARCH_WINDOW = 64;

/**
 * Offsets for `tokens` (raw vocabulary strings, special tokens excluded) in `text`. Byte tokens
 * that together spell a character (byte-level BPE, byte fallback): the first shows the character
 * and holds its span, the others an empty span at its end. `unknown[i]` marks tokens that stand for text the vocabulary lacks.
 */
export function alignTokens(text: string, tokens: readonly string[], unknown: readonly boolean[], spelling: TokenSpelling): AlignedToken[] {
  const folded = foldText(text, spelling.fold);
  const ft = folded.text;
  const out: AlignedToken[] = new Array(tokens.length);
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let cursor = 0; // position in ft
  let group: number[] = [];
  let pending: number[] = [];

  const originalStart = (p: number) => (p < ft.length ? folded.from[p]! : text.length);
  const originalEnd = (p: number) => {
    // End after the last matched unit, plus characters that fold to nothing (combining marks).
    let end = p > 0 ? folded.to[p - 1]! : 0;
    const next = p < ft.length ? folded.from[p]! : text.length;
    if (next > end && !WHITESPACE.test(text.slice(end, next))) end = next;
    return end;
  };
  /** Where `needle` starts within SEARCH_WINDOW of p; -1 if not there (never scans the rest of the text). */
  const findNear = (needle: string, p: number) => {
    const found = ft.slice(p, Math.min(ft.length, p + SEARCH_WINDOW + needle.length)).indexOf(needle);
    return found < 0 ? -1 : p + found;
  };
  const skipSpace = (p: number) => { while (p < ft.length && WHITESPACE.test(ft[p]!)) p++; return p; };

  // Several indices are byte tokens that together spell `piece`: the first holds the span, the
  // others (the rest of a character's bytes) get an empty span at its end, so pieces never overlap.
  const place = (indices: number[], start: number, end: number, piece: string | undefined) => {
    indices.forEach((i, k) => { out[i] = k === 0 ? { piece: piece ?? tokens[i]!, start, end } : { piece: '', start: end, end }; });
  };

  const isSingle = (ch: string) => /[\p{P}\p{S}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Extended_Pictographic}]/u.test(ch);
  /** End of the pre-tokenized word at p: one punctuation/CJK character, or a run of others. */
  const wordEnd = (p: number) => {
    let q = p;
    if (q < ft.length && isSingle(ft[q]!)) return q + (ft.codePointAt(q)! > 0xffff ? 2 : 1);
    while (q < ft.length && !WHITESPACE.test(ft[q]!) && !isSingle(ft[q]!)) q++;
    return q;
  };

  /** Unknown tokens first..last-1: they stand for the text up to where the next known token matches. */
  const matchUnknownRun = (first: number, last: number) => {
    if (spelling.wholeWordUnknown) {
      for (let i = first; i < last; i++) {
        const p = skipSpace(cursor);
        const q = wordEnd(p);
        out[i] = { piece: tokens[i]!, start: originalStart(p), end: q > p ? originalEnd(q) : originalStart(p) };
        cursor = q;
      }
      return;
    }
    let p = skipSpace(cursor);
    let q = -1;
    if (last < tokens.length) {
      const next = foldString(new TextDecoder().decode(tokenBytes(tokens[last]!, spelling)), spelling.fold).replace(/^\s+/, '').replace(/\uFFFD+$/, '');
      if (next) q = findNear(next, p);
    }
    if (q < 0) q = wordEnd(p);
    while (q > p && WHITESPACE.test(ft[q - 1]!)) q--;
    // Nothing before the next token but whitespace: the unknown stood for that (e.g. "\n").
    if (q === p && p > cursor) { p = cursor; }
    // Several unknowns in a row share the region a code point each, the last one takes the rest.
    let position = p;
    for (let i = first; i < last; i++) {
      const width = position < q ? (ft.codePointAt(position)! > 0xffff ? 2 : 1) : 0;
      const end = i === last - 1 ? q : Math.min(q, position + width);
      out[i] = { piece: tokens[i]!, start: originalStart(position), end: end > position ? originalEnd(end) : originalStart(position) };
      position = end;
    }
    cursor = q;
  };

  let syntheticSpace = spelling.prependsSpace;
  const matchSurface = (indices: number[], surface: string) => {
    let target = foldString(surface, spelling.fold);
    if (syntheticSpace) {
      syntheticSpace = false;
      if (target.startsWith(' ')) {
        target = target.slice(1);
        if (target === '') {
          place(indices, originalStart(cursor), originalStart(cursor), surface);
          return;
        }
      }
    }
    const core = target.replace(/^\s+/, '');
    if (core.trim() === '') {
      // A whitespace token (byte-level "Ċ", "ĠĠ"): match the same run of whitespace literally.
      let q = cursor;
      let taken = 0;
      // The same characters: a "▁" the normalizer prepended matches no tab or newline of the text.
      while (q < ft.length && taken < target.length && ft[q] === target[taken]) { q++; taken++; }
      const start = originalStart(cursor);
      const end = q > cursor ? originalEnd(q) : start;
      place(indices, start, end, surface);
      cursor = q;
      return;
    }
    const wantsSpace = core.length < target.length;
    const p = skipSpace(cursor);
    const at = ft.startsWith(core, p) ? p : findNear(core, p);
    if (at < 0) {
      // The normalizer changed the text beyond folding: give the token an empty span and go on.
      const start = originalStart(p);
      place(indices, start, start, surface);
      return;
    }
    let startUnit = at;
    // Include the space the token carries (" world"), as tiktoken offsets do.
    if (wantsSpace && startUnit > cursor && WHITESPACE.test(ft[startUnit - 1]!)) startUnit--;
    place(indices, originalStart(startUnit), originalEnd(at + core.length), surface);
    cursor = at + core.length;
  };

  for (let i = 0; i < tokens.length; i++) {
    if (unknown[i]) {
      let last = i;
      while (last < tokens.length && unknown[last]) last++;
      matchUnknownRun(i, last);
      i = last - 1;
      continue;
    }
    const direct = group.length === 0 ? tokenText(tokens[i]!, spelling) : undefined;
    if (direct !== undefined) {
      matchSurface([i], direct);
      if (!spelling.byteLevel) out[i] = { ...out[i]!, piece: readablePiece(tokens[i]!, spelling) };
      continue;
    }
    const bytes = tokenBytes(tokens[i]!, spelling);
    group.push(i);
    pending.push(...bytes);
    // Wait for the rest of a character, but never across an unknown token or past the end.
    if (incompleteUtf8Tail(pending) && group.length < 4 && i + 1 < tokens.length && !unknown[i + 1]) continue;
    const surface = decoder.decode(Uint8Array.from(pending));
    matchSurface(group, surface);
    // A whole token keeps its vocabulary spelling for display ("##ing"); byte pieces show their text.
    if (group.length === 1 && !spelling.byteLevel && !spelling.byteFallback) {
      out[i] = { ...out[i]!, piece: readablePiece(tokens[i]!, spelling) };
    }
    group = [];
    pending = [];
  }
  return out;
}

/** "▁the" -> " the"; "##ing" stays (the reader knows it as a continuation). */
function readablePiece(token: string, spelling: TokenSpelling): string {
  return spelling.metaspace ? token.split(spelling.metaspace).join(' ') : token;
}

/** True when the bytes end inside a UTF-8 sequence (the next token completes the character). */
function incompleteUtf8Tail(bytes: number[]): boolean {
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back;
  }
  return false;
}
