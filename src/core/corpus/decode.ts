// Turns a file's bytes into text the way a user expects: binary files refused, the BOM dropped,
// CRLF kept (offsets must match the file), invalid UTF-8 replaced and reported, never silent.

/** How many leading bytes are checked for a NUL byte, git's own heuristic for "binary". */
export const BINARY_PROBE_BYTES = 8192;

export type DecodedFile =
  | { kind: 'text'; text: string; warning?: string }
  | { kind: 'binary'; reason: string };

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

export function decodeFile(bytes: Uint8Array): DecodedFile {
  // UTF-16 text holds NUL bytes, so its BOM must be recognized before the binary probe.
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const encoding = bytes[0] === 0xff ? 'utf-16le' : 'utf-16be';
    return { kind: 'text', text: new TextDecoder(encoding, { ignoreBOM: false }).decode(bytes) };
  }
  const probe = bytes.subarray(0, BINARY_PROBE_BYTES);
  const nul = probe.indexOf(0);
  if (nul >= 0) return { kind: 'binary', reason: `binary file (NUL byte at byte ${nul})` };
  const body = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return { kind: 'text', text: fatalUtf8.decode(body) };
  } catch {
    const at = firstInvalidUtf8(bytes);
    return {
      kind: 'text',
      text: lenientUtf8.decode(body),
      warning: `invalid UTF-8 at byte ${at}; read with replacement characters (U+FFFD)`,
    };
  }
}

/** Byte offset of the first byte that does not start or continue a valid UTF-8 sequence; -1 if none. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) { i++; continue; }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000; }
    else return i;
    let code = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
