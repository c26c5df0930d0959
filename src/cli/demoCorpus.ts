// Builds the demo's corpus at run time from documentation and source that installed packages ship
// (a fixed list in demo/sources.json, so the corpus is the same on every machine with the same
// lockfile), plus the project's own anchors about that text and a configuration to run.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileDurable } from '../core/io/durable';
import { DriftError, throwIfAborted, type RunOptions } from '../core/types';

/** Marks a folder as made by the demo, so rebuilding it never deletes anything else. */
const MARKER = '.embedding-drift-demo';
/** Larger files are left out so the demo stays about a minute on two cores. */
const MAX_FILE_BYTES = 160_000;

export interface DemoCorpus {
  /** The demo folder: embedding-drift.json, anchors.jsonl and corpus/. */
  dir: string;
  configPath: string;
  corpusRoot: string;
  files: number;
  bytes: number;
  anchors: number;
  /** Listed sources that this installation lacks. */
  missing: string[];
}

interface Sources { docs: string[]; code: string[] }

/**
 * 'glove': the built-in lexical embedder (keywords) against builtin:glove (a real trained model)
 * on the same chunks, each with its own tokenizer, so churn comes from the model alone and the
 * tokenization view shows the corpus terms GloVe (2014) does not know.
 * 'chunkers': the lexical embedder on both sides, two chunkers and two tokenizers (no model at all).
 */
export type DemoStory = 'glove' | 'chunkers';

/** The configuration the demo runs. */
export function demoConfigText(story: DemoStory): string {
  const recursive = { type: 'recursive', size: 800, overlap: 100, unit: 'chars' };
  const sides = story === 'glove'
    ? {
      a: { label: 'lexical', model: 'builtin:lexical', chunker: recursive },
      b: { label: 'glove', model: 'builtin:glove', chunker: recursive },
    }
    : {
      a: { label: 'recursive-800', model: 'builtin:lexical', chunker: recursive, tokenizer: 'bert-base-uncased' },
      b: {
        label: 'markdown-120tok',
        model: 'builtin:lexical',
        // Sized in BERT tokens; o200k_base is the tokenizer the tokenization view compares with A's.
        chunker: { type: 'markdown', size: 120, overlap: 16, unit: 'tokens', tokenizer: 'bert-base-uncased' },
        tokenizer: 'o200k_base',
      },
    };
  const config = {
    corpus: { root: 'corpus', include: ['**/*.md', '**/*.js'], exclude: [] as string[] },
    k: 10,
    anchors: 'anchors.jsonl',
    ...sides,
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

async function readJson<T>(file: string): Promise<T> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch (err) {
    throw new DriftError(`Cannot read the demo's ${path.basename(file)} (${file}): ${(err as Error).message}`, 'io', { cause: err });
  }
}

/** Empties `dir` when the demo made it; refuses a non-empty folder it did not make. */
async function prepareFolder(dir: string): Promise<void> {
  if (existsSync(dir)) {
    const entries = await fs.readdir(dir);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new DriftError(`demo: ${dir} is not empty and was not made by the demo; choose another --dir.`, 'usage');
    }
    await fs.rm(path.join(dir, 'corpus'), { recursive: true, force: true });
  }
  await fs.mkdir(path.join(dir, 'corpus'), { recursive: true });
  await writeFileDurable(path.join(dir, MARKER), 'Made by `embedding-drift demo`; rebuilt on every run.\n');
}

/**
 * Copies the listed files from `nodeModules` into `dir/corpus/<package>/<path>`, writes the anchors
 * whose expected file was copied, and the configuration. Deterministic: same packages, same corpus.
 */
export async function buildDemoCorpus(
  dir: string, demoData: string, nodeModules: string, story: DemoStory, options: RunOptions = {},
): Promise<DemoCorpus> {
  const sources = await readJson<Sources>(path.join(demoData, 'sources.json'));
  await prepareFolder(dir);
  const corpusRoot = path.join(dir, 'corpus');
  const copied = new Set<string>();
  const missing: string[] = [];
  let bytes = 0;
  const listed = [...sources.docs, ...sources.code];
  for (const [i, relative] of listed.entries()) {
    throwIfAborted(options.signal);
    options.onProgress?.({ stage: 'walk', done: i, total: listed.length, message: 'building the demo corpus' });
    const from = path.join(nodeModules, ...relative.split('/'));
    let data: Buffer;
    try {
      data = await fs.readFile(from);
    } catch {
      missing.push(relative);
      continue;
    }
    if (data.length > MAX_FILE_BYTES) { missing.push(relative); continue; }
    const to = path.join(corpusRoot, ...relative.split('/'));
    await fs.mkdir(path.dirname(to), { recursive: true });
    await writeFileDurable(to, data);
    copied.add(relative);
    bytes += data.length;
  }
  if (copied.size === 0) {
    throw new DriftError(`demo: none of the demo's source files exist under ${nodeModules}; run \`npm ci\` first.`, 'corpus');
  }

  const anchorLines = (await fs.readFile(path.join(demoData, 'anchors.jsonl'), 'utf8')).split('\n').filter((line) => {
    if (line.trim() === '') return false;
    const anchor = JSON.parse(line) as { expect?: string };
    return anchor.expect === undefined || copied.has(anchor.expect.split('#')[0] ?? '');
  });
  await writeFileDurable(path.join(dir, 'anchors.jsonl'), `${anchorLines.join('\n')}\n`);
  const configPath = path.join(dir, 'embedding-drift.json');
  await writeFileDurable(configPath, demoConfigText(story));
  return { dir, configPath, corpusRoot, files: copied.size, bytes, anchors: anchorLines.length, missing };
}
