// Sample workspaces the end-to-end tests open: a few markdown and code files with a configuration
// that uses the built-in embedder, made fresh in a temp folder, plus the CLI run on the same folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Report } from '../../../src/core/report/types';
import { repoRoot, run, tempDir } from './workbench';

const TOPICS: Array<[string, string]> = [
  ['Installing', 'Install the package with npm, then run the setup wizard. The wizard asks for a cache folder and a model.'],
  ['Configuration', 'The configuration file names two sides, A and B, each with a model, a chunker and a tokenizer.'],
  ['Chunking', 'Recursive chunking splits on paragraphs, then sentences, then words, until each chunk fits the size.'],
  ['Embeddings', 'Vectors are cached by model fingerprint and chunk hash, so a rerun only embeds what changed.'],
  ['Neighbor churn', 'For each chunk we compare its nearest neighbors under A and under B; Jaccard and RBO measure the overlap.'],
  ['Anchors', 'An anchor is a query with the lines it must retrieve; hit@k and MRR summarize how well each side does.'],
  ['Tokenization', 'New vocabulary such as kubectl, pgvector and HNSWlib is often split into many pieces by older tokenizers.'],
  ['Troubleshooting', 'If the report is empty, check the include globs and the file size cap; skipped files are listed with reasons.'],
];

export interface SampleOptions {
  /** Extra copies of every document (a bigger corpus makes a run slow enough to cancel). */
  copies?: number;
  config?: Record<string, unknown>;
}

export const DEFAULT_CONFIG = {
  corpus: { include: ['**/*.md', '**/*.ts'] },
  k: 5,
  a: { label: 'paragraphs', model: 'builtin:lexical', chunker: { type: 'recursive', size: 300, overlap: 40, unit: 'chars' } },
  b: { label: 'sections', model: 'builtin:lexical', chunker: { type: 'markdown', size: 180, overlap: 0, unit: 'chars' } },
};

/** Writes the sample workspace and returns its folder. */
export function makeWorkspace(name: string, o: SampleOptions = {}): string {
  const root = tempDir(name);
  const docs = path.join(root, 'docs');
  fs.mkdirSync(docs, { recursive: true });
  const copies = o.copies ?? 1;
  const words = wordSource(copies);
  for (let copy = 0; copy < copies; copy++) {
    TOPICS.forEach(([title, body], i) => {
      const lines = [`# ${title}${copy ? ` (part ${copy})` : ''}`, ''];
      for (let p = 0; p < 4; p++) {
        // Extra parts get seeded random wording: near-duplicate chunks would tie in similarity, and
        // the order of exact ties is not something two runs need to agree on.
        const extra = copy ? ` ${words(24)}.` : '';
        lines.push(`## ${title} step ${p + 1}`, '', `${body} Step ${p + 1} of ${title.toLowerCase()}: ${TOPICS[(i + p) % TOPICS.length]![1]}${extra}`, '');
      }
      fs.writeFileSync(path.join(docs, `${copy ? `${copy}-` : ''}${title.toLowerCase().replace(/\s+/g, '-')}.md`), lines.join('\n'));
    });
  }
  fs.mkdirSync(path.join(root, 'src'));
  fs.writeFileSync(path.join(root, 'src', 'cache.ts'), [
    '// The embedding cache: vectors keyed by model fingerprint and chunk hash.',
    'export function cacheKey(fingerprint: string, chunkHash: string): string {',
    '  return `${fingerprint}:${chunkHash}`;',
    '}',
    '',
    '/** Neighbor churn of one chunk: 1 - Jaccard of its top-k lists under A and B. */',
    'export function churn(a: number[], b: number[]): number {',
    '  const setA = new Set(a);',
    '  const shared = b.filter((x) => setA.has(x)).length;',
    '  return 1 - shared / (a.length + b.length - shared);',
    '}',
    '',
  ].join('\n'));
  writeConfig(root, o.config ?? DEFAULT_CONFIG);
  return root;
}

/** Deterministic text: `n` words drawn from a fixed vocabulary with a seeded generator. */
function wordSource(seed: number): (n: number) => string {
  const vocabulary = TOPICS.flatMap(([, body]) => body.toLowerCase().match(/[a-z]{3,}/g) ?? []);
  let state = (seed * 2654435761) >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state / 2 ** 32;
  };
  return (n) => Array.from({ length: n }, () => vocabulary[Math.floor(next() * vocabulary.length)]).join(' ');
}

export function writeConfig(root: string, config: unknown): void {
  fs.writeFileSync(path.join(root, 'embedding-drift.json'), `// written by the e2e test\n${JSON.stringify(config, null, 2)}\n`);
}

/** The CLI's report for the same workspace and configuration (`node dist/cli.js compare`). */
export async function cliReport(root: string): Promise<Report> {
  const out = tempDir('cli-out');
  await run(process.execPath, [
    path.join(repoRoot, 'dist', 'cli.js'), 'compare', '--config', path.join(root, 'embedding-drift.json'),
    '--out', out, '--cache-dir', tempDir('cli-cache'),
  ], { cwd: root });
  return JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
}
