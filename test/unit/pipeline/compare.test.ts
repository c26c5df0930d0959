// compare() end to end on real files in a temp folder, with the real walker, chunkers, built-in
// embedder, cache and report builder: the properties that must hold whatever the corpus.
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultConfig } from '../../../src/core/config';
import type { DriftConfig } from '../../../src/core/config/types';
import { loadBaseline, saveBaseline } from '../../../src/core/pipeline/baseline';
import { compare, compareWithBaseline } from '../../../src/core/pipeline/compare';
import { sessionRecord } from '../../../src/core/pipeline/session';
import { DriftError, isAbortError } from '../../../src/core/types';
import { generateTinyBert } from '../../../scripts/make-models';
import { writeTree } from '../../support/files';

const DOCS: Record<string, string> = {
  'guide/install.md': '# Install\n\nRun npm install to fetch the dependencies. Node 20 or newer is required.\n\n## Offline\n\nThe built-in embedder needs no download, so a first run works without a network.\n',
  'guide/search.md': '# Search\n\nThe vector index answers nearest neighbor queries. HNSW trades a little recall for speed.\n\n## Exact search\n\nExact top-k is a blocked matrix product; it is the reference for recall.\n',
  'guide/tokens.md': '# Tokenizers\n\nWordPiece splits rare words into pieces such as token and ##ization. Byte-level BPE never has unknown tokens.\n',
  'src/chunker.ts': '/** Splits text into overlapping chunks of a fixed size. */\nexport function chunk(text: string, size: number): string[] {\n  const out: string[] = [];\n  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));\n  return out;\n}\n',
  'notes/faq.md': '# FAQ\n\n## Why do neighbors change?\n\nA different chunker cuts the text elsewhere, so each chunk carries other words and lands near other chunks.\n\n## What is churn?\n\nThe share of chunks that lose more than half of their nearest neighbors.\n',
};


/** Small chunks so a handful of files gives enough items for neighbor lists. */
function smallConfig(root: string): DriftConfig {
  const config = defaultConfig(root);
  config.k = 3;
  config.a.chunker = { type: 'recursive', size: 120, overlap: 20, unit: 'chars' };
  config.b.chunker = { type: 'markdown', size: 80, overlap: 10, unit: 'chars' };
  return config;
}

describe('compare() pipeline', () => {
  let dir: string;
  let corpus: string;
  let cacheDir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'drift-pipeline-'));
    corpus = path.join(dir, 'corpus');
    cacheDir = path.join(dir, 'cache');
    await writeTree(corpus, DOCS);
  });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  /** Runs A alone (B = A) and saves it as a baseline, as `embedding-drift baseline save` does. */
  async function saveBaselineOf(config: DriftConfig): Promise<{ baselineDir: string; chunks: number }> {
    const session = await compare({ ...config, b: config.a }, { cacheDir, allowNetwork: false });
    const baselineDir = path.join(dir, 'baseline');
    await saveBaseline(session, baselineDir);
    await session.dispose();
    return { baselineDir, chunks: session.report.chunks.a };
  }

  it('A against an identical A gives zero churn, end to end', async () => {
    const config = smallConfig(corpus);
    config.b = { ...config.a, label: 'A again' };
    const session = await compare(config, { cacheDir, allowNetwork: false });
    try {
      const { report } = session;
      assert.ok(report.chunks.a > 5, `expected several chunks, got ${report.chunks.a}`);
      assert.equal(report.chunks.a, report.chunks.b);
      assert.equal(report.chunks.sameChunking, true);
      assert.equal(report.neighbors.churnedShare, 0);
      assert.equal(report.neighbors.meanJaccard, 1);
      assert.equal(report.neighbors.meanRbo, 1);
      assert.equal(report.anchors.a.hitAtK, report.anchors.b.hitAtK);
    } finally {
      await session.dispose();
    }
  });

  it('identical chunking under a separately opened model still gives zero churn, from the cache', async () => {
    const config = smallConfig(corpus);
    // Another tokenizer makes B open its own model; chunks (chars) and vectors must still agree.
    config.b = { ...config.a, label: 'B', tokenizer: { kind: 'bert-base-uncased' } };
    const session = await compare(config, { cacheDir, allowNetwork: false });
    try {
      const record = sessionRecord(session)!;
      assert.notEqual(record.sideB, record.sideA);
      assert.equal(record.sideB.cacheMisses, 0, 'B re-embedded texts A had just embedded with the same model');
      assert.equal(session.report.neighbors.churnedShare, 0);
      assert.equal(session.report.neighbors.meanJaccard, 1);
    } finally {
      await session.dispose();
    }
  });

  it('a rerun is served from the cache (no misses), and a chunker change only embeds new texts', async () => {
    const config = smallConfig(corpus);
    const first = await compare(config, { cacheDir, allowNetwork: false });
    const firstRecord = sessionRecord(first)!;
    assert.ok(firstRecord.sideA.cacheMisses > 0);
    const firstChurn = first.report.neighbors.churnedShare;
    await first.dispose();

    const second = await compare(config, { cacheDir, allowNetwork: false });
    const record = sessionRecord(second)!;
    assert.equal(record.sideA.cacheMisses, 0);
    assert.equal(record.sideB.cacheMisses, 0);
    assert.equal(record.sideA.cacheHits, record.sideA.chunks.length);
    assert.equal(second.report.neighbors.churnedShare, firstChurn, 'same inputs, same report numbers');
    await second.dispose();

    config.b.chunker = { ...config.b.chunker, size: 90 };
    const third = await compare(config, { cacheDir, allowNetwork: false });
    const thirdRecord = sessionRecord(third)!;
    assert.equal(thirdRecord.sideA.cacheMisses, 0);
    // A and B share one model, so one store: exactly the distinct texts neither earlier side embedded are new.
    const seen = new Set([...firstRecord.sideA.chunks, ...firstRecord.sideB.chunks].map((c) => c.embedText));
    const fresh = new Set(thirdRecord.sideB.chunks.map((c) => c.embedText).filter((t) => !seen.has(t)));
    assert.ok(fresh.size > 0 && fresh.size < thirdRecord.sideB.chunks.length, 'the chunker change keeps some texts and makes some new');
    assert.equal(thirdRecord.sideB.cacheMisses, fresh.size);
    await third.dispose();
  });

  it('search answers from memory under A and B with spans of real files', async () => {
    const session = await compare(smallConfig(corpus), { cacheDir, allowNetwork: false });
    try {
      const hits = await session.search('WordPiece splits rare words into pieces', 2);
      assert.equal(hits.a.length, 2);
      assert.equal(hits.b.length, 2);
      assert.equal(hits.a[0]?.file, 'guide/tokens.md');
      assert.equal(hits.b[0]?.file, 'guide/tokens.md');
      for (const hit of [...hits.a, ...hits.b]) {
        assert.ok(hit.end > hit.start);
        assert.ok(hit.score <= 1 + 1e-6);
      }
      assert.ok((hits.a[0]?.score ?? 0) >= (hits.a[1]?.score ?? 0), 'best first');
    } finally {
      await session.dispose();
    }
    await assert.rejects(session.search('x', 1), /closed/);
  });

  it('records a timing for every stage', async () => {
    const session = await compare(smallConfig(corpus), { cacheDir, allowNetwork: false });
    try {
      for (const stage of ['walk', 'model', 'chunk.a', 'chunk.b', 'embed.a', 'embed.b', 'neighborsA', 'neighborsB', 'anchors', 'queriesA', 'queriesB']) {
        assert.equal(typeof session.report.timings[stage], 'number', `no timing for ${stage}`);
      }
    } finally {
      await session.dispose();
    }
  });

  it('stops with a cancellation error when aborted, and the cache still serves a full rerun', async () => {
    const controller = new AbortController();
    let events = 0;
    const run = compare(smallConfig(corpus), {
      cacheDir, allowNetwork: false, signal: controller.signal,
      onProgress: (e) => { events++; if (e.stage === 'embed') controller.abort(); },
    });
    await assert.rejects(run, (err: unknown) => isAbortError(err));
    assert.ok(events > 0);
    const session = await compare(smallConfig(corpus), { cacheDir, allowNetwork: false });
    assert.ok(session.report.chunks.a > 0);
    await session.dispose();
  });

  it('a missing anchors file is a config error naming the file', async () => {
    const config = smallConfig(corpus);
    config.anchors = path.join(corpus, 'nope.jsonl');
    await assert.rejects(compare(config, { cacheDir, allowNetwork: false }), (err: unknown) =>
      err instanceof DriftError && err.code === 'config' && err.message.includes('nope.jsonl') && err.message.includes('not found'));
  });

  it('a baseline compared with an unchanged corpus shows no drift, and a changed one shows the change', async () => {
    const config = smallConfig(corpus);
    const { baselineDir, chunks } = await saveBaselineOf(config);
    const stored = await loadBaseline(baselineDir);
    assert.equal(stored.chunks.length, chunks);
    for (const c of stored.chunks.slice(0, 5)) assert.equal(c.text.length, c.end - c.start);

    const unchanged = await compareWithBaseline(config, baselineDir, { cacheDir, allowNetwork: false });
    assert.equal(unchanged.report.neighbors.churnedShare, 0);
    assert.equal(unchanged.report.chunks.a, unchanged.report.chunks.b);
    await unchanged.dispose();

    await appendFile(path.join(corpus, 'guide/search.md'), '\n## Filters\n\nMetadata filters narrow the candidates before ranking by cosine similarity.\n');
    await writeFile(path.join(corpus, 'guide/new.md'), '# Rerankers\n\nA cross-encoder reranks the top hits of the first stage.\n');
    const changed = await compareWithBaseline(config, baselineDir, { cacheDir, allowNetwork: false });
    assert.ok(changed.report.chunks.b > changed.report.chunks.a);
    assert.equal(changed.report.corpus.files, Object.keys(DOCS).length, 'corpus.files counts the baseline (A)');
    assert.ok(changed.report.snapshot, 'same model on two snapshots gives snapshot metrics');
    assert.ok(changed.report.neighbors.meanJaccard < 1, 'new text enters some neighbor lists');
    await changed.dispose();
  });

  it('runs a real ONNX model (generated tiny-bert, WASM) as B next to the built-in A, cached on rerun', async function () {
    this.timeout(180_000);
    const modelDir = path.join(dir, 'tiny-bert');
    generateTinyBert(modelDir, { seed: 7 });
    const config = smallConfig(corpus);
    config.b = {
      ...config.b,
      model: { kind: 'local', path: modelDir, dtype: 'fp32', pooling: 'mean', normalize: true, queryPrefix: '', documentPrefix: '', backend: 'wasm' },
      tokenizer: { kind: 'model' },
    };
    const first = await compare(config, { cacheDir, allowNetwork: false, workers: 1 });
    const { report } = first;
    assert.equal(report.configs.a.dimension, 384);
    assert.equal(report.configs.b.dimension, 32, 'tiny-bert hidden size');
    assert.equal(report.configs.b.maxTokens, 128);
    assert.notEqual(report.configs.a.fingerprint, report.configs.b.fingerprint);
    const record = sessionRecord(first)!;
    assert.ok(record.sideB.cacheMisses > 0);
    // Unit rows: the builder's cosines rely on it.
    for (let i = 0; i < 3; i++) {
      const row = record.sideB.vectors.subarray(i * 32, (i + 1) * 32);
      assert.ok(Math.abs(Math.hypot(...row) - 1) < 1e-4);
    }
    const hits = await first.search('nearest neighbor queries', 3);
    assert.equal(hits.b.length, 3);
    await first.dispose();

    const second = await compare(config, { cacheDir, allowNetwork: false, workers: 1 });
    assert.equal(sessionRecord(second)!.sideB.cacheMisses, 0);
    assert.equal(second.report.neighbors.meanJaccard, report.neighbors.meanJaccard);
    await second.dispose();
  });

  it('two snapshots named in the configuration give snapshot drift, unchanged files served from the cache', async () => {
    const later = path.join(dir, 'later');
    await writeTree(later, { ...DOCS, 'guide/rerank.md': '# Rerankers\n\nA cross-encoder reranks the first-stage hits by reading query and passage together.\n' });
    const config = smallConfig(corpus);
    config.b = { ...config.a, label: 'later', corpusRoot: later };
    const session = await compare(config, { cacheDir, allowNetwork: false });
    try {
      const { report } = session;
      assert.equal(report.corpus.rootB, later);
      assert.equal(report.corpus.files, Object.keys(DOCS).length);
      assert.ok(report.chunks.b > report.chunks.a);
      assert.ok(report.snapshot, 'same model on two corpus roots gives snapshot metrics');
      assert.ok(report.snapshot.mmdPValue >= 0 && report.snapshot.mmdPValue <= 1);
      // Unchanged files embed to the same vectors, so B's chunks of them were all cache hits.
      assert.ok(sessionRecord(session)!.sideB.cacheMisses < report.chunks.b);
    } finally {
      await session.dispose();
    }
  });

  it('refuses a damaged baseline', async () => {
    const { baselineDir } = await saveBaselineOf(smallConfig(corpus));
    await appendFile(path.join(baselineDir, 'vectors.f32'), Buffer.from([1, 2, 3, 4]));
    await assert.rejects(loadBaseline(baselineDir), (err: unknown) => err instanceof DriftError && /damaged/.test(err.message));
  });
});
