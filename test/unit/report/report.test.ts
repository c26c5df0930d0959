// buildReport from real inputs (hand-made chunks of a small corpus, random unit vectors, the real
// BERT and cl100k tokenizers, neighbors and query set prepared by the pipeline's reportInputs):
// identity oracles, validation against schemas/report.schema.json, and the verdicts summarizeReport words.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { defaultConfig } from '../../../src/core/config/defaults';
import type { DriftConfig } from '../../../src/core/config/types';
import { reportInputs, sampleSize, type ReportParts } from '../../../src/core/pipeline/reportInputs';
import { buildReport, type ReportInputs, type SideInputs } from '../../../src/core/report/build';
import { summarizeReport } from '../../../src/core/report/summary';
import type { Report } from '../../../src/core/report/types';
import { loadTokenizer } from '../../../src/core/tokenizers/index';
import type { Chunk, Corpus } from '../../../src/core/types';
import { DriftError } from '../../../src/core/types';
import { unitVectors } from '../metrics/support';

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../schemas/report.schema.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

function assertValid(report: Report): void {
  const ok = validate(JSON.parse(JSON.stringify(report)));
  assert.ok(ok, ajv.errorsText(validate.errors, { separator: '\n' }));
}

// A small workspace: two markdown guides with headings (auto-anchors) and one source file.
const guide = Array.from({ length: 12 }, (_, i) => `## Topic ${i} of the guide\nThe hnswlib-wasm index stores getUserName for topic ${i}.\nMore words about section ${i} here.\n`).join('\n');
const notes = Array.from({ length: 8 }, (_, i) => `# Note ${i} about caching\nCache entries expire after ${i} days; see snake_case_setting.\n`).join('\n');
const source = '/** Reads the configuration file from disk. */\nexport function readConfig() {\n  return load();\n}\n';
const corpus: Corpus = {
  root: '/workspace',
  files: [
    { path: 'docs/guide.md', text: guide, hash: 'g', bytes: guide.length },
    { path: 'docs/notes.md', text: notes, hash: 'n', bytes: notes.length },
    { path: 'src/config.ts', text: source, hash: 's', bytes: source.length },
  ],
  skipped: [{ path: 'logo.png', reason: 'binary' }],
};

function chunkFixed(size: number): Chunk[] {
  const out: Chunk[] = [];
  for (const f of corpus.files) {
    for (let s = 0; s < f.text.length; s += size) {
      const e = Math.min(f.text.length, s + size);
      out.push({ file: f.path, start: s, end: e, text: f.text.slice(s, e), embedText: f.text.slice(s, e) });
    }
  }
  return out;
}

async function side(chunks: Chunk[], dim: number, seed: number, tokenizer: 'bert' | 'cl100k', maxTokens?: number): Promise<SideInputs> {
  const tok = tokenizer === 'bert' ? await loadTokenizer({ kind: 'bert-base-uncased' }) : await loadTokenizer({ kind: 'tiktoken', name: 'cl100k_base' });
  return { chunks, vectors: unitVectors(chunks.length, dim, seed), dimension: dim, fingerprint: `fp-${seed}-${dim}`, tokenizer: tok, maxTokens };
}

/** Query vectors that depend only on the text (hash-seeded), so both sides embed a query alike. */
function embedQueries(dims: { a: number; b: number }): ReportParts['embedQueries'] {
  return async (s, texts) => {
    const dim = dims[s];
    const out = new Float32Array(texts.length * dim);
    texts.forEach((t, i) => {
      let h = 7;
      for (const c of t) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
      out.set(unitVectors(1, dim, h), i * dim);
    });
    return out;
  };
}

/** The pipeline's preparation (alignment, exact neighbors on this thread, query set and vectors), then the builder. */
async function inputsOf(parts: Omit<ReportParts, 'embedQueries'> & Partial<Pick<ReportParts, 'embedQueries'>>): Promise<ReportInputs> {
  const noEmbedder: ReportParts['embedQueries'] = async () => { throw new Error('this test embeds no queries'); };
  return reportInputs({ workers: 0, embedQueries: noEmbedder, ...parts }, {});
}

async function build(parts: Parameters<typeof inputsOf>[0]): Promise<Report> {
  return buildReport(await inputsOf(parts), {});
}

function config(overrides: Partial<DriftConfig> = {}): DriftConfig {
  return { ...defaultConfig('/workspace'), k: 5, ...overrides };
}

describe('buildReport', () => {
  it('A compared with itself: churn 0, every Jaccard and RBO 1, CKA 1, anchors identical; valid', async () => {
    // 40-char chunks (about 50) and dimension 16: the Procrustes half has more items than dimensions.
    const a = await side(chunkFixed(40), 16, 1, 'bert', 64);
    const report = await build({ config: config(), corpus, a, b: a, embedQueries: embedQueries({ a: 16, b: 16 }) });
    assertValid(report);
    const nb = report.neighbors;
    assert.equal(nb.comparison, 'same-items');
    assert.equal(nb.churnedShare, 0);
    assert.equal(nb.meanJaccard, 1);
    assert.equal(nb.meanRbo, 1);
    assert.equal(nb.items.length, a.chunks.length);
    assert.ok(nb.items.every((x) => x.jaccard === 1 && x.rbo === 1 && x.keptA.every(Boolean) && x.counterpart === x.chunk));
    assert.ok(Math.abs(report.space.linearCka! - 1) < 1e-6);
    assert.equal(report.space.procrustesOverlap, 1);
    assert.equal(report.anchors.source, 'auto');
    // 12 guide headings, 8 note headings, 1 doc comment: three files under a limit of 200 may give
    // ceil(200 / 3) = 67 each, so the cap of 10 per file does not apply.
    assert.equal(report.anchors.count, 21);
    assert.deepEqual([report.anchors.auto?.made, report.anchors.auto?.dropped.perFileCap, report.anchors.auto?.perFile], [{ headings: 20, docstrings: 0, docComments: 1 }, 0, 67]);
    assert.deepEqual(report.anchors.a, report.anchors.b);
    assert.ok(report.anchors.items.every((x) => x.rankA === x.rankB && x.cosA === x.cosB && x.shift === 0));
    assert.deepEqual(report.tokenization.a, report.tokenization.b);
    assert.deepEqual(report.tokenization.newVocabulary.length > 0, true);
    const mapA = report.maps!.a, mapB = report.maps!.b;
    mapA.x.forEach((x, i) => assert.ok(Math.abs(x - mapB.x[i]!) < 1e-3 && Math.abs(mapA.y[i]! - mapB.y[i]!) < 1e-3));
    // Every item points at a file and a character range.
    for (const item of nb.items) assert.equal(report.chunkTable.a[item.chunk]!.start, item.start);
    const summary = summarizeReport(report);
    assert.match(summary[0]!, /^0% of chunks lose more than half of their 5 nearest neighbors/);
    assert.ok(summary.some((l) => /hit@5 (\d\.\d\d) -> \1 \(0 points\)/.test(l)), summary.join('\n'));
    assert.ok(summary.some((l) => l.startsWith('CKA 1.00: nearly the same geometry') && l.includes('recovers 100% of neighbors')));
  });

  it('different chunkings, models and tokenizers: aligned comparison, anchors file, queries, truncation; valid', async () => {
    const a = await side(chunkFixed(90), 24, 1, 'bert', 20);
    const b = await side(chunkFixed(140), 32, 2, 'cl100k', 512);
    const anchorsText = [
      '{"query": "topic 3 of the guide", "expect": "docs/guide.md#L9-L11"}',
      '{"query": "cache expiry", "expect": "docs/notes.md"}',
      '{"query": "what is cached"}',
      '{"query": "how to read config"}',
      '{"a": "cache", "b": "caching"}',
      '{oops',
    ].join('\n');
    const report = await build({
      config: config({ anchors: '/workspace/anchors.jsonl', baseDir: '/workspace' }), corpus, a, b, anchorsText,
      embedQueries: embedQueries({ a: 24, b: 32 }), toolVersion: '0.1.0', timings: { embed: 12 },
    });
    assertValid(report);
    assert.equal(report.neighbors.comparison, 'aligned');
    assert.equal(report.chunks.sameChunking, false);
    assert.ok(report.neighbors.documents !== undefined);
    assert.equal(report.anchors.source, 'file');
    assert.equal(report.anchors.file, 'anchors.jsonl');
    assert.equal(report.anchors.count, 2);
    assert.deepEqual(report.anchors.malformed.map((m) => m.line), [6]);
    assert.equal(report.anchors.pairs.length, 1);
    assert.equal(report.queries?.count, 2);
    assert.equal(report.ood?.items.length, 4);
    // maxTokens 20 under A: many 90-char chunks exceed it; their tails are never embedded.
    assert.ok(report.truncation.a.truncated > 0 && report.truncation.a.textShare > 0);
    assert.equal(report.truncation.b.truncated, 0);
    assert.equal(report.truncation.b.textShare, 0);
    assert.equal(report.timings.embed, 12);
    assert.ok(report.warnings.some((w) => /skipped/.test(w)));
    // The new vocabulary shows each term piece by piece under both tokenizers.
    const term = report.tokenization.newVocabulary.find((t) => t.term === 'hnswlib-wasm');
    assert.ok(term && term.piecesA.join('').replace(/##/g, '') === 'hnswlib-wasm' && term.piecesB.join('') === 'hnswlib-wasm');
    assert.ok(report.maps && report.maps.a.x.length === a.chunks.length && report.maps.b.x.length === b.chunks.length);
    const summary = summarizeReport(report);
    assert.ok(summary.some((l) => /matching chunks by character overlap/.test(l)));
    assert.ok(summary.some((l) => /^Golden set \(\d+ anchors?\): hit@5/.test(l)), summary.join('\n'));
  });

  it('chunks with a zero vector (the model knows none of their tokens) are counted, marked and said; valid', async () => {
    const a = await side(chunkFixed(90), 24, 1, 'bert');
    const b = await side(chunkFixed(90), 24, 2, 'bert');
    // B's model knows no token of chunks 2 and 5 (as GloVe gives an all-[UNK] chunk the zero vector).
    for (const i of [2, 5]) b.vectors.fill(0, i * 24, (i + 1) * 24);
    const report = await build({ config: config(), corpus, a, b, embedQueries: embedQueries({ a: 24, b: 24 }) });
    assertValid(report);
    assert.equal(report.truncation.a.zeroVectors, 0);
    assert.equal(report.truncation.b.zeroVectors, 2);
    assert.deepEqual(report.chunkTable.b.flatMap((c, i) => (c.zeroVector ? [i] : [])), [2, 5]);
    assert.ok(report.chunkTable.a.every((c) => c.zeroVector === undefined));
    const c2 = b.chunks[2]!;
    assert.ok(report.warnings.includes(`2 chunk(s) under B got a zero vector: the model knows none of their tokens, so they sit at cosine 0 with every chunk and their neighbors are arbitrary (first: ${c2.file} characters ${c2.start}-${c2.end}).`), report.warnings.join('\n'));
    assert.ok(summarizeReport(report).includes('B: 2 chunks got a zero vector (the model knows none of their tokens): they match nothing, and their neighbors are arbitrary.'));
    assert.ok(!summarizeReport(report).some((l) => l.startsWith('A: ') && l.includes('zero vector')));
  });

  it('samples query items on large corpora and says so, with bootstrap intervals', async () => {
    const a = await side(chunkFixed(30), 16, 3, 'bert');
    const b = await side(chunkFixed(30), 16, 4, 'bert');
    const report = await build({ config: config({ sample: 40, autoAnchors: false }), corpus, a, b });
    assertValid(report);
    const s = report.neighbors.sampled!;
    assert.equal(s.size, 40);
    assert.equal(s.total, a.chunks.length);
    assert.equal(report.neighbors.items.length, 40);
    assert.ok(s.churnedShareCi[0] <= report.neighbors.churnedShare! && report.neighbors.churnedShare! <= s.churnedShareCi[1]);
    assert.ok(report.warnings.some((w) => w.includes('uniform sample of 40')));
    assert.equal(report.anchors.source, 'none');
  });

  it('an automatic sample (search "auto" on a side too large to search whole) is said in the warnings and the churn verdict', async () => {
    // The pipeline's rule, on the 50 MB case's sizes (only the chunk counts and dimensions are read).
    const large = (n: number, dimension: number): SideInputs => ({ chunks: { length: n }, dimension } as unknown as SideInputs);
    // 191,000 chunks of 384 under B is the costlier side: 191,000^2 x 384 / 3.2e10 = 437.7 s; 13,089 rows fit 30 s.
    assert.deepEqual(sampleSize(config(), large(86000, 384), large(191000, 384)), { size: 13089, auto: { size: 13089, seconds: 438 } });
    assert.deepEqual(sampleSize(config({ sample: 500 }), large(86000, 384), large(191000, 384)), { size: 500 });
    assert.deepEqual(sampleSize(config({ search: { ...config().search, method: 'exact' } }), large(86000, 384), large(191000, 384)), {});
    assert.deepEqual(sampleSize(config(), large(40000, 384), large(45000, 384)), {});
    // The report of such a run: the sample and its reason in the warnings, the churn verdict an estimate with its interval.
    const a = await side(chunkFixed(30), 16, 3, 'bert');
    const b = await side(chunkFixed(30), 16, 4, 'bert');
    const inputs = await inputsOf({ config: config({ sample: 40, autoAnchors: false }), corpus, a, b });
    const report = await buildReport({ ...inputs, autoSample: { size: 40, seconds: 438 } }, {});
    assertValid(report);
    assert.equal(report.neighbors.sampled!.size, 40);
    assert.ok(report.warnings.includes(`Neighbor churn was computed on a uniform sample of 40 of ${a.chunks.length} chunks (95% bootstrap intervals given): an exact search of every chunk was estimated at about 7 min, so search "auto" searched a seeded sample of chunks exactly against every chunk; "search": {"method": "exact"} searches them all.`), report.warnings.join('\n'));
    const s = report.neighbors.sampled!;
    const pct = (x: number): string => `${Math.round(x * 100)}%`;
    assert.ok(summarizeReport(report)[0]!.includes(`(an estimate from a seeded sample of 40 of ${a.chunks.length}: 95% CI ${pct(s.churnedShareCi[0])}-${pct(s.churnedShareCi[1])})`), summarizeReport(report)[0]);
  });

  it('one model on two corpus snapshots reports snapshot drift', async () => {
    const a = await side(chunkFixed(60), 16, 5, 'bert');
    const b = { ...(await side(chunkFixed(60), 16, 6, 'bert')), fingerprint: a.fingerprint };
    const report = await build({ config: config({ autoAnchors: false }), corpus, corpusB: { ...corpus, root: '/snapshot' }, a, b });
    assertValid(report);
    assert.ok(report.snapshot);
    assert.equal(report.corpus.rootB, '/snapshot');
  });

  it('without query vectors, anchors and pairs are left out with a warning', async () => {
    const a = await side(chunkFixed(90), 8, 1, 'bert');
    const { queryVectors: _dropped, ...inputs } = await inputsOf({
      config: config({ anchors: '/workspace/anchors.jsonl' }), corpus, a, b: a, anchorsText: '{"a": "x", "b": "y"}\n', embedQueries: embedQueries({ a: 8, b: 8 }),
    });
    assert.equal(inputs.querySet.pairs.length, 1);
    const report = await buildReport(inputs, {});
    assertValid(report);
    assert.deepEqual([report.anchors.count, report.anchors.pairs.length], [0, 0]);
    assert.ok(report.warnings.some((w) => /not embedded/.test(w)));
  });

  it('rejects vectors that do not match the chunks with a clear message', async () => {
    const a = await side(chunkFixed(90), 8, 1, 'bert');
    const inputs = await inputsOf({ config: config({ autoAnchors: false }), corpus, a, b: a });
    await assert.rejects(buildReport({ ...inputs, a: { ...a, vectors: new Float32Array(5) } }, {}),
      (err: unknown) => err instanceof DriftError && /configuration A has \d+ chunks of dimension 8 but 5 vector values/.test(err.message));
  });

  it('stops with a cancelled DriftError when aborted', async () => {
    const a = await side(chunkFixed(90), 8, 1, 'bert');
    const controller = new AbortController();
    const inputs = await inputsOf({ config: config({ autoAnchors: false }), corpus, a, b: a });
    controller.abort();
    await assert.rejects(buildReport(inputs, { signal: controller.signal }),
      (err: unknown) => err instanceof DriftError && err.code === 'cancelled');
  });
});
