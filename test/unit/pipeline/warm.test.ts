// The warm session (live mode, compare --watch) against one-off runs: after each kind of change
// (a file edited, deleted, added; the configuration; the anchors file; nothing) the warm report is
// byte for byte the one-off report of the same inputs, apart from timings and reuse, while the
// stages whose inputs did not change are taken from the session. Real files, real walker,
// chunkers, built-in lexical A and a generated tiny-bert B on ONNX Runtime WASM.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultConfig } from '../../../src/core/config';
import type { DriftConfig } from '../../../src/core/config/types';
import { OnnxEmbedder } from '../../../src/core/embedding/onnxEmbedder';
import { compare } from '../../../src/core/pipeline/compare';
import { createWarmSession, type WarmSession } from '../../../src/core/pipeline/warm';
import type { Report } from '../../../src/core/report/types';
import { isAbortError } from '../../../src/core/types';
import { generateTinyBert } from '../../../scripts/make-models';
import { demoText } from '../../support/demo-text';
import { writeTree } from '../../support/files';

/** The report as written, without the fields that describe the run rather than the inputs. */
function comparable(report: Report): string {
  const { createdAt: _c, timings: _t, reuse: _r, ...rest } = report;
  return JSON.stringify(rest, null, 2);
}

/** Fourteen files of outside documentation and code (the demo's), each cut to about 4,000 characters. */
function outsideCorpus(): Record<string, string> {
  const { corpus } = demoText();
  const files: Record<string, string> = {};
  for (const f of corpus.files.filter((f) => f.text.length > 2000).slice(0, 14)) {
    const cut = f.text.lastIndexOf('\n', 4000);
    files[f.path] = f.text.slice(0, cut > 1000 ? cut + 1 : 4000);
  }
  return files;
}

describe('warm session', function () {
  this.timeout(600_000);
  let dir: string;
  let corpus: string;
  let config: DriftConfig;
  let anchorsFile: string;
  let files: string[];
  let session: WarmSession | undefined;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'drift-warm-'));
    corpus = path.join(dir, 'corpus');
    const tree = outsideCorpus();
    files = Object.keys(tree).sort();
    await writeTree(corpus, tree);
    const modelDir = path.join(dir, 'tiny-bert');
    generateTinyBert(modelDir, { seed: 11 });
    anchorsFile = path.join(dir, 'anchors.jsonl');
    await writeFile(anchorsFile, [
      JSON.stringify({ query: 'how do I install it' }),
      JSON.stringify({ query: 'configuration options' }),
      JSON.stringify({ query: `first lines of ${files[0]}`, expect: `${files[0]}#L1-L5` }),
      JSON.stringify({ a: 'install', b: 'setup' }),
    ].join('\n'));
    config = defaultConfig(corpus);
    config.k = 5;
    config.anchors = anchorsFile;
    config.a.chunker = { type: 'recursive', size: 400, overlap: 50, unit: 'chars' };
    config.b = {
      ...config.b,
      chunker: { type: 'markdown', size: 300, overlap: 30, unit: 'chars' },
      model: { kind: 'local', path: modelDir, dtype: 'fp32', pooling: 'mean', normalize: true, queryPrefix: '', documentPrefix: '', backend: 'wasm' },
      tokenizer: { kind: 'model' },
    };
  });
  afterEach(async () => { await session?.dispose(); session = undefined; });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  /**
   * A one-off run of the same inputs, reading the embedding cache the session wrote: vectors are a
   * function of the text only up to the last bits (ONNX Runtime's sums depend on how texts were
   * batched and padded), and the cache, keyed by text, is how every product run gets the same vectors
   * for the same text. A vector the session kept for a text that changed would differ from the cache's.
   */
  async function oneOff(cfg: DriftConfig, cacheName: string): Promise<Report> {
    const cold = await compare(cfg, { cacheDir: path.join(dir, cacheName), allowNetwork: false, workers: 1 });
    try { return cold.report; } finally { await cold.dispose(); }
  }

  it('equals a one-off run after edits, deletions, additions, configuration and anchors changes, and reuses what did not change', async () => {
    session = createWarmSession({ cacheDir: path.join(dir, 'warm-cache'), allowNetwork: false, workers: 1 });
    const step = async (name: string, cfg: DriftConfig) => {
      const warm = await session!.run(cfg);
      assert.equal(comparable(warm.report), comparable(await oneOff(cfg, 'warm-cache')), `${name}: the warm report differs from the one-off report`);
      return warm;
    };

    const first = await step('first', config);
    assert.match(first.summary, /^first run: \d+ chunks under A, \d+ chunks under B, [\d,]+ chunks embedded, churn \d+%$/);
    assert.deepEqual(first.report.reuse?.reused, {});
    assert.equal(first.change.files.added, files.length);

    // One file edited: its chunks are cut again, every other file's are kept.
    const edited = path.join(corpus, files[1]!);
    await writeFile(edited, `${await readFile(edited, 'utf8')}\n## Added section\n\nA paragraph about rate limits and retries that no other file holds.\n`);
    const edit = await step('edit', config);
    assert.deepEqual(edit.change.files, { changed: 1, added: 0, removed: 0 });
    assert.equal(edit.report.reuse!.computed['chunk'], 2, 'the edited file, once per chunker');
    assert.equal(edit.report.reuse!.reused['chunk'], 2 * (files.length - 1));
    assert.ok(edit.change.chunksEmbedded > 0 && edit.change.chunksEmbedded < 30, `only the edited file's new chunks are embedded (${edit.change.chunksEmbedded})`);
    assert.ok(edit.report.reuse!.reused['vocabulary'] === undefined, 'the corpus changed, so its vocabulary is counted again');
    assert.match(edit.summary, /^1 file changed, \d+ chunks? re-embedded, churn /);

    // One file deleted, one added.
    await unlink(path.join(corpus, files[2]!));
    await writeFile(path.join(corpus, 'added.md'), '# Added page\n\nHow to rotate the API key without downtime: create the new key, deploy, then revoke the old one.\n');
    const moved = await step('add-delete', config);
    assert.deepEqual(moved.change.files, { changed: 0, added: 1, removed: 1 });
    assert.match(moved.summary, /^1 file added, 1 deleted, /);

    // B's chunker changes: A keeps its chunks, vectors and neighbors; B's are computed again.
    const rechunked: DriftConfig = { ...config, b: { ...config.b, chunker: { ...config.b.chunker, size: 360 } } };
    const chunker = await step('chunker', rechunked);
    assert.equal(chunker.change.configChanged, true);
    assert.equal(chunker.report.reuse!.reused['chunk'], files.length, 'A\'s files');
    assert.equal(chunker.report.reuse!.computed['chunk'], files.length, 'B\'s files');
    assert.equal(chunker.report.reuse!.reused['neighbors'], 1, 'A\'s neighbor lists');
    assert.equal(chunker.report.reuse!.computed['neighbors'], 1, 'B\'s neighbor lists');
    assert.equal(chunker.report.reuse!.reused['mapSide'], 1, 'A\'s 2D map');
    assert.equal(chunker.report.reuse!.computed['mapSide'], 1, 'B\'s 2D map');
    assert.match(chunker.summary, /^configuration changed, \d+ chunks re-embedded, churn /);

    // The anchors file changes: only the query set and what reads it are redone.
    await writeFile(anchorsFile, `${await readFile(anchorsFile, 'utf8')}\n${JSON.stringify({ query: 'rotate the API key' })}\n`);
    const anchors = await step('anchors', rechunked);
    assert.equal(anchors.change.anchorsChanged, true);
    assert.deepEqual(Object.keys(anchors.report.reuse!.computed).sort(), ['queries', 'querySet', 'queryVectors']);

    // Nothing changed: every stage is taken from the session and nothing is embedded.
    const again = await step('again', rechunked);
    assert.deepEqual(again.report.reuse!.computed, {});
    assert.equal(again.change.chunksEmbedded, 0);
    assert.match(again.summary, /^nothing changed, 0 chunks re-embedded, churn \d+% \(unchanged\)$/);

    // The query playground answers over the last run's vectors.
    const hits = await again.search('rotate the API key', 3);
    assert.equal(hits.a.length, 3);
    assert.equal(hits.b.length, 3);
  });

  it('a new run cancels the one in flight, and a cancelled run leaves the session usable', async () => {
    session = createWarmSession({ cacheDir: path.join(dir, 'cancel-cache'), allowNetwork: false, workers: 1 });
    const firstRun = session.run(config);
    const secondRun = session.run(config);
    await assert.rejects(firstRun, (err: unknown) => isAbortError(err));
    const second = await secondRun;
    assert.equal(comparable(second.report), comparable(await oneOff(config, 'cancel-cache')));
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(session.run(config, { signal: controller.signal }), (err: unknown) => isAbortError(err));
    const third = await session.run(config);
    assert.equal(comparable(third.report), comparable(second.report));
  });

  it('a run whose chunks all came from the cache loads its model afterwards, so the next edit embeds at once', async () => {
    const cacheDir = path.join(dir, 'loaded-cache');
    const filling = createWarmSession({ cacheDir, allowNetwork: false, workers: 1 });
    await filling.run(config);
    await filling.dispose();
    const original = OnnxEmbedder.prototype.warm;
    const warmed: string[] = [];
    OnnxEmbedder.prototype.warm = function (this: OnnxEmbedder) { warmed.push(this.label); return original.call(this); };
    try {
      session = createWarmSession({ cacheDir, allowNetwork: false, workers: 1 });
      const run = await session.run(config);
      assert.equal(run.change.chunksEmbedded, 0, 'every chunk came from the cache');
      await session.modelsLoaded();
      assert.equal(warmed.length, 1, `B's ONNX model was loaded after the run (${warmed.join(', ')})`);
    } finally {
      OnnxEmbedder.prototype.warm = original;
    }
  });

  it('the idle timeout closes the models; the next run and the query playground reopen them', async () => {
    session = createWarmSession({ cacheDir: path.join(dir, 'idle-cache'), allowNetwork: false, workers: 1, idleMs: 20 });
    const run = await session.run(config);
    assert.ok(session.status().modelsOpen > 0);
    while (session.status().modelsOpen > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const hits = await run.search('configuration options', 2);
    assert.equal(hits.b.length, 2);
    assert.ok(session.status().modelsOpen > 0);
    await session.dispose();
    assert.equal(session.status().modelsOpen, 0);
    await assert.rejects(session.run(config), /closed/);
  });
});
