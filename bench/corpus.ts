// Builds the benchmark corpus: a deterministic folder of real documentation (markdown, text and
// TypeScript declaration files shipped inside installed npm packages), so a fresh offline clone
// benchmarks the same kind of text a RAG workspace holds, at a chosen size.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CorpusSource {
  /** Path relative to node_modules, POSIX-style. */
  rel: string;
  text: string;
}

export interface BuiltCorpus {
  root: string;
  files: number;
  chars: number;
  /** sha256 over the written file names and contents: equal digests mean equal corpora. */
  digest: string;
}

/** Kinds of file taken from node_modules; declaration files bring long doc comments and code. */
const SOURCE_SUFFIXES = ['.md', '.markdown', '.txt', '.d.ts'] as const;
/** One huge file (lib.dom.d.ts is 1 MB) must not make a corpus of a single topic. */
const MAX_FILE_CHARS = 24_000;
const MIN_FILE_CHARS = 300;

/** Every candidate file under node_modules, deduplicated by content, in a stable order. */
export function collectSources(nodeModules: string): CorpusSource[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        // .bin holds links; test fixtures and changelogs of every version make a poor corpus.
        if (e.name === '.bin' || e.name === '.cache' || depth > 12) continue;
        walk(full, depth + 1);
      } else if (e.isFile() && SOURCE_SUFFIXES.some((s) => e.name.endsWith(s))) {
        if (/^(CHANGELOG|HISTORY|CHANGES)/i.test(e.name)) continue;
        found.push(full);
      }
    }
  };
  walk(nodeModules, 0);
  found.sort();
  const seen = new Set<string>();
  const sources: CorpusSource[] = [];
  for (const file of found) {
    let text: string;
    try { text = fs.readFileSync(file, 'utf8'); } catch { continue; }
    if (text.includes('\uFFFD') || text.length < MIN_FILE_CHARS) continue;
    const key = createHash('sha1').update(text).digest('hex');
    if (seen.has(key)) continue;
    seen.add(key);
    sources.push({ rel: path.relative(nodeModules, file).split(path.sep).join('/'), text });
  }
  return sources;
}

/** A stable pseudo-random order (by hash of the name) so the corpus mixes packages and kinds. */
function mixedOrder(sources: CorpusSource[]): CorpusSource[] {
  const rank = (s: CorpusSource): string => createHash('sha1').update(`bench:${s.rel}`).digest('hex');
  return [...sources].sort((x, y) => (rank(x) < rank(y) ? -1 : rank(x) > rank(y) ? 1 : 0));
}

/** Cuts a long file at a line end near the cap, so every file stays readable text. */
function capText(text: string, cap: number): string {
  if (text.length <= cap) return text;
  const cut = text.lastIndexOf('\n', cap);
  return text.slice(0, cut > cap / 2 ? cut + 1 : cap);
}

/** Share of the corpus (in characters) taken from prose (markdown, text) while prose lasts. */
const PROSE_SHARE = 0.6;

/**
 * Picks files until `targetChars` characters are reached, about 60% prose and 40% declaration
 * files (declarations alone are 85% of what node_modules holds); the result depends only on the
 * sources and the target.
 */
export function selectCorpus(sources: CorpusSource[], targetChars: number): CorpusSource[] {
  const ordered = mixedOrder(sources);
  const prose = ordered.filter((s) => !s.rel.endsWith('.d.ts'));
  const code = ordered.filter((s) => s.rel.endsWith('.d.ts'));
  const picked: CorpusSource[] = [];
  let chars = 0, proseChars = 0, pi = 0, ci = 0;
  while (chars < targetChars && (pi < prose.length || ci < code.length)) {
    const takeProse = pi < prose.length && (ci >= code.length || proseChars <= PROSE_SHARE * chars);
    const s = takeProse ? prose[pi++]! : code[ci++]!;
    const text = capText(s.text, Math.min(MAX_FILE_CHARS, targetChars - chars + MIN_FILE_CHARS));
    picked.push({ rel: s.rel, text });
    chars += text.length;
    if (takeProse) proseChars += text.length;
  }
  return picked;
}

/** Folder-safe file name that keeps the package path readable and the extension intact. */
function corpusFileName(rel: string): string {
  return rel.replace(/^@/, '').replace(/\//g, '__');
}

function digestOf(files: CorpusSource[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(corpusFileName(f.rel)).update('\0').update(f.text).update('\0');
  return h.digest('hex');
}

/**
 * Writes the corpus of about `targetChars` characters into `root` unless the same corpus is
 * already there (a manifest holds its digest), so reruns keep file times and caches valid.
 */
export function buildBenchCorpus(sources: CorpusSource[], root: string, targetChars: number): BuiltCorpus {
  const files = selectCorpus(sources, targetChars);
  const digest = digestOf(files);
  const chars = files.reduce((sum, f) => sum + f.text.length, 0);
  // Beside the folder, not inside it: the corpus walker would read it as a document.
  const manifest = `${root}.manifest.json`;
  try {
    const old = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { digest?: string };
    if (old.digest === digest) return { root, files: files.length, chars, digest };
  } catch { /* missing or unreadable: rebuild */ }
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  for (const f of files) fs.writeFileSync(path.join(root, corpusFileName(f.rel)), f.text);
  fs.writeFileSync(manifest, JSON.stringify({ digest, files: files.length, chars }));
  return { root, files: files.length, chars, digest };
}

/**
 * Distinct pieces of about `size` characters cut at whitespace, in corpus order: texts for the
 * search benchmark's vectors, which needs many items but not any particular chunker.
 */
export function corpusPieces(root: string, size: number, limit: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const name of fs.readdirSync(root).sort()) {
    const text = fs.readFileSync(path.join(root, name), 'utf8');
    for (let start = 0; start < text.length && out.length < limit;) {
      let end = Math.min(text.length, start + size);
      const space = text.lastIndexOf(' ', end);
      if (end < text.length && space > start + size / 2) end = space;
      const piece = text.slice(start, end).trim();
      start = end;
      if (piece.length < 20 || seen.has(piece)) continue;
      seen.add(piece);
      out.push(piece);
    }
    if (out.length >= limit) break;
  }
  return out;
}
