// Builds the hostile corpus on disk: every kind of file a workspace can throw at the walker, plus
// the list of files that should come through, so a run on them alone can be compared.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { seededRandom } from '../../../src/core/random';

export interface HostileCorpus {
  root: string;
  /** Files expected in the results (POSIX paths relative to root), with their bytes as written. */
  good: Map<string, Buffer>;
  /** Files expected in report.corpus.skipped, with a pattern its reason must match. */
  skipped: Map<string, RegExp>;
}

/** A name full of markup and quotes: must come through as data, never as markup. */
export const HTML_NAME = `<img src=x onerror="alert('name')"> & "quotes" 'too'.md`;
export const TINY_FILES = 10_000;

export function buildHostileCorpus(root: string, options: { tinyFiles?: number } = {}): HostileCorpus {
  const good = new Map<string, Buffer>();
  const skipped = new Map<string, RegExp>();
  const random = seededRandom(7);
  const word = () => ['retrieval', 'vector', 'chunk', 'embedding', 'index', 'drift', 'query', 'token', 'cache', 'model'][Math.floor(random() * 10)]!;
  const prose = (n: number) => Array.from({ length: n }, word).join(' ');
  const put = (rel: string, data: Buffer | string, expect: 'good' | RegExp) => {
    const file = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    fs.writeFileSync(file, bytes);
    if (expect === 'good') good.set(rel, bytes); else skipped.set(rel, expect);
  };

  put('docs/intro.md', `# Intro\n\n${prose(120)}\n\n## Setup\n\n${prose(80)}\n`, 'good');
  put('docs/crlf.md', `# Windows\r\n\r\n${prose(60)}\r\n${prose(40)}\r\n`, 'good');
  put('docs/bom.md', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`# Byte order mark\n\n${prose(50)}\n`)]), 'good');
  put('docs/cjk-emoji.md', `# 検索と埋め込み 🔍\n\n向量检索 ${prose(20)} 🚀🧪 emoji 👩‍👩‍👧‍👦 and 한국어 텍스트\n`, 'good');
  put(`docs/${HTML_NAME}`, `# <script>alert("body")</script>\n\n${prose(30)} <img src=x onerror=alert(1)>\n`, 'good');
  put('docs/empty.md', '', 'good');
  // Read with replacement characters: in the results, and listed with the loss.
  put('docs/latin1.md', Buffer.concat([Buffer.from(`# Caf`), Buffer.from([0xe9, 0x20, 0xff, 0xfe]), Buffer.from(` ${prose(30)}\n`)]), 'good');
  skipped.set('docs/latin1.md', /UTF-8/i);
  // The files that are rewritten and deleted while the run is in progress are good as first read.
  put('docs/rewritten.md', `# Before\n\n${prose(40)}\n`, 'good');
  put('docs/deleted.md', `# Doomed\n\n${prose(40)}\n`, 'good');
  // A 5 MB minified file on one line: included (the limit is raised), chunked without newlines.
  put('src/bundle.min.md', Array.from({ length: 5 * 1024 * 1024 / 64 }, () => `${word()}_${Math.floor(random() * 1e6)};`.padEnd(64, 'x')).join(''), 'good');

  put('assets/logo.md', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.alloc(4096, 0)]), /binary/i);
  const big = Buffer.alloc(30 * 1024 * 1024, 'a big file line\n');
  put('data/huge.md', big, /larger than/i);
  // Loops and things that cannot be read as files, for real even as root.
  fs.symlinkSync('..', path.join(root, 'docs', 'loop'));
  skipped.set('docs/loop', /symbolic link/i);
  fs.symlinkSync('does-not-exist.md', path.join(root, 'docs', 'dangling.md'));
  skipped.set('docs/dangling.md', /broken symbolic link|cannot be read/i);
  try {
    require('node:child_process').execFileSync('mkfifo', [path.join(root, 'docs', 'pipe.md')]);
    skipped.set('docs/pipe.md', /not a regular file/i);
  } catch {
    // No mkfifo: the other unreadable kinds still run.
  }
  const locked = path.join(root, 'docs', 'locked.md');
  fs.writeFileSync(locked, `# Locked\n\n${prose(20)}\n`);
  fs.chmodSync(locked, 0o000);
  // Root reads it anyway; then it is an ordinary good file.
  if (process.getuid?.() === 0) good.set('docs/locked.md', fs.readFileSync(locked)); else skipped.set('docs/locked.md', /cannot be read|EACCES/i);

  const tiny = options.tinyFiles ?? TINY_FILES;
  for (let i = 0; i < tiny; i++) put(`tiny/${String(Math.floor(i / 1000)).padStart(2, '0')}/t${i}.md`, `${word()} ${word()} ${i}\n`, 'good');
  return { root, good, skipped };
}

/** Writes only the good files (bytes as first written) under `root`. */
export function writeGoodFiles(corpus: HostileCorpus, root: string): void {
  for (const [rel, bytes] of corpus.good) {
    const file = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
  }
}
