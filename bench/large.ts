// The large-corpus benchmark: one markdown file of `bytes` (50 MB full size) built from the bench
// corpus text, compared by the built CLI in a child process with the built-in embedder
// (builtin:lexical, the default) and the end-to-end chunkers, under GNU time (wall time, peak RSS).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { seededRandom } from '../src/core/random';
import { selectCorpus, type CorpusSource } from './corpus';
import { CHUNKER_A, CHUNKER_B } from './endToEnd';
import { runChild, type ChildRun } from './measure';

export interface LargeCorpus {
  file: string;
  bytes: number;
  reused: boolean;
}

/** One source as a markdown section: its path as a heading, declaration files fenced as code. */
function section(s: CorpusSource, round: number): string {
  const title = round === 0 ? s.rel : `${s.rel} (variant ${round})`;
  return s.rel.endsWith('.d.ts') ? `# ${title}\n\n\`\`\`ts\n${s.text}\n\`\`\`\n\n` : `# ${title}\n\n${s.text}\n\n`;
}

/**
 * Every source once, then again as variants until `bytes` is reached: the bench corpus holds about
 * 19 MB, and a verbatim repeat would make every later chunk a copy (which the search folds into its
 * first occurrence). A variant replaces about one word in six, drawn by a seeded generator from the
 * corpus's own words, so its chunks are distinct texts on the same topics.
 */
export function buildLargeCorpus(sources: CorpusSource[], dir: string, bytes: number): LargeCorpus {
  const picked = selectCorpus(sources, Number.MAX_SAFE_INTEGER);
  const digest = createHash('sha256');
  for (const s of picked) digest.update(s.rel).update('\0').update(s.text).update('\0');
  const key = digest.update(String(bytes)).digest('hex').slice(0, 16);
  const file = path.join(dir, `large-${Math.round(bytes / 2 ** 20)}mb`, 'corpus.md');
  const marker = `${path.dirname(file)}.manifest.json`;
  try {
    const old = JSON.parse(fs.readFileSync(marker, 'utf8')) as { key?: string };
    if (old.key === key && fs.existsSync(file)) return { file, bytes: fs.statSync(file).size, reused: true };
  } catch { /* missing: build */ }
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const words = [...new Set(picked.flatMap((s) => s.text.match(/[A-Za-z]{3,}/g) ?? []))].sort();
  const random = seededRandom(20261129);
  const fd = fs.openSync(file, 'w');
  let written = 0;
  try {
    for (let round = 0; written < bytes; round++) {
      for (const s of picked) {
        const text = round === 0 ? s.text : s.text.replace(/[A-Za-z]{3,}/g, (w) => (random() < 1 / 6 ? words[Math.floor(random() * words.length)]! : w));
        const piece = section({ rel: s.rel, text }, round);
        const buf = Buffer.from(piece, 'utf8');
        const room = bytes - written;
        if (room <= 0) break;
        // The last section is cut at a line end so the file stays readable text.
        const out = buf.length <= room ? buf : buf.subarray(0, Math.max(0, buf.lastIndexOf(10, room)));
        fs.writeSync(fd, out);
        written += out.length;
        if (out.length < buf.length) { written = bytes; break; }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  fs.writeFileSync(marker, JSON.stringify({ key, bytes: fs.statSync(file).size }));
  return { file, bytes: fs.statSync(file).size, reused: false };
}

/** The parts of report.json the large benchmark prints. */
export interface LargeRunReport {
  chunks: { a: number; b: number };
  neighbors: { method: string; churnedShare: number | null; sampled?: { size: number; total: number; churnedShareCi: [number, number] } };
  timings: Record<string, number>;
  warnings: string[];
}

/** `node dist/cli.js compare` of the one-file corpus from a cold cache, offline, under GNU time. */
export async function largeRun(repo: string, work: string, corpus: LargeCorpus): Promise<{ run: ChildRun; report: LargeRunReport }> {
  const dir = path.join(work, 'large-run');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const config = {
    corpus: { root: path.dirname(corpus.file), include: ['corpus.md'], maxFileBytes: corpus.bytes + 1 },
    k: 10,
    a: { label: 'A', chunker: CHUNKER_A },
    b: { label: 'B', chunker: CHUNKER_B },
  };
  const file = path.join(dir, 'embedding-drift.json');
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  const run = await runChild(process.execPath, [
    path.join(repo, 'dist', 'cli.js'), 'compare', '--config', file, '--out', path.join(dir, 'out'), '--cache-dir', path.join(dir, 'cache'), '--offline', '--json',
  ], { cwd: dir });
  if (run.code !== 0) throw new Error(`large run failed (exit ${run.code}): ${run.stderr.trim().split('\n').slice(-3).join(' ')}`);
  const report = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'report.json'), 'utf8')) as LargeRunReport;
  return { run, report };
}
