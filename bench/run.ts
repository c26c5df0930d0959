// `npm run bench [-- --quick]`: ours against the straightforward approach, side by side in one run.
// Prints `RATIO <name> <value>` per comparison (higher is better for us) and `FIGURE <name> <value>`
// per plain measurement, and writes bench/results.json. Self-contained offline: model and corpus are
// generated into bench/.work. `npm run bench -- --only glove` runs the GloVe section alone (with the
// .vsix size) and writes bench/results-glove.json; `--only store` the LanceDB store section
// (bench/store.ts) and bench/results-store.json; `--only host` the extension host's event loop
// during a cold run (bench/results-host.json); `--only live` the cold run and the warm session
// (bench/live.ts: warm_vs_cold, overhead, live_update_ms) and bench/results-live.json; `--only large`
// the 50 MB single-file corpus through the built CLI (bench/large.ts: large_run_s, large_run_rss_mb;
// `--quick`: 5 MB) and bench/results-large.json; `--only scoring` query scoring's WebAssembly and
// JavaScript kernels (bench/queryScoring.ts: query_scores_wasm_vs_js) and bench/results-scoring.json.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DriftConfig } from '../src/core/config/types';
import { LexicalEmbedder } from '../src/core/embedding/lexical';
import { buildBenchCorpus, collectSources, corpusPieces, type CorpusSource } from './corpus';
import { BENCH_K, CHUNKER_A, CHUNKER_B, chunksOf, runOurs, runStraightforward, tweakChunker, writeBenchConfig } from './endToEnd';
import { memoryOfRun, vsixSize } from './footprint';
import { hostStallDuringColdRun, stallDuringInProcessRun } from './hostStall';
import { round } from './measure';
import { benchGlove } from './glove';
import { ensureBenchModel, type BenchModel } from './model';
import { benchSearch } from './search';
import { generateTable, sampledRun, storeVersusReembed } from './store';
import { compareThroughput, localModelSpec } from './throughput';
import { webviewFirstView } from './webview';
import { benchLive } from './live';
import { buildLargeCorpus, largeRun } from './large';
import { benchQueryScoring } from './queryScoring';

const repo = path.resolve(__dirname, '..');
const work = path.join(repo, 'bench', '.work');
const quick = process.argv.includes('--quick');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;

/** Sizes of a run; quick mode is a smaller copy of the full one that finishes in a few minutes. */
const SIZES = quick
  ? { chunks: 300, embedTexts: 48, embedRounds: 2, knn: 5000, naiveRows: 200, hnswProbe: 500, memoryChunks: 5000 }
  : { chunks: 2000, embedTexts: 128, embedRounds: 3, knn: 20000, naiveRows: 200, hnswProbe: 1000, memoryChunks: 20000 };
/** Corpus characters per chunk of CHUNKER_A, measured on this corpus (400-char chunks, 50 overlap: short file ends pull it below 350). */
const CHARS_PER_CHUNK = 295;

const TARGETS: Record<string, number> = {
  embed_native_vs_pipeline: 1.5,
  embed_default_vs_pipeline: 1.0,
  knn_vs_naive: 20,
  knn_vs_hnswlib_defaults: 5,
  cold_vs_straightforward: 1.5,
  warm_vs_cold: 10,
  overhead: 0.85,
};

const ratios: Record<string, number> = {};
const figures: Record<string, unknown> = {};
const errors: string[] = [];
const log = (line: string): void => console.log(line);

function ratio(name: string, value: number): void {
  ratios[name] = round(value, 3);
  console.log(`RATIO ${name} ${round(value, 3)}`);
}

/** A plain measurement (no baseline to divide by), printed and kept in results.json's figures. */
function figure(name: string, value: number): void {
  figures[name] = round(value, 3);
  console.log(`FIGURE ${name} ${round(value, 3)}`);
}

async function section(name: string, ratioNames: string[], work: () => Promise<void>): Promise<void> {
  log(`\n== ${name}`);
  try {
    await work();
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    errors.push(`${name}: ${message}`);
    log(`ERROR ${name}: ${message}`);
    for (const r of ratioNames) if (!(r in ratios)) ratio(r, Number.NaN);
  }
}

function machine(): Record<string, unknown> {
  const cpu = os.cpus()[0];
  return { cpus: os.cpus().length, cpu: cpu?.model ?? 'unknown', memoryGb: round(os.totalmem() / 2 ** 30, 1), node: process.version, platform: `${os.platform()} ${os.arch()}` };
}

function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'bench'], { cwd: repo, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}

/** GloVe: build and load times, texts/s of builtin:glove and of the full folder, and the .vsix that ships the builtin. */
async function gloveSection(sources: CorpusSource[]): Promise<void> {
  await section('GloVe 6B 100d: builtin:glove and the glove-6b-100d folder', [], async () => {
    const corpus = buildBenchCorpus(sources, path.join(work, `corpus-${SIZES.chunks}`), SIZES.chunks * CHARS_PER_CHUNK);
    const texts = corpusPieces(corpus.root, 400, SIZES.chunks);
    const g = await benchGlove(repo, work, texts, log);
    figure('glove_builtin_build_s', g.builtinBuildMs / 1000);
    figure('glove_builtin_mb', g.builtinBytes / 2 ** 20);
    figure('glove_package_load_s', g.packageLoadMs / 1000);
    figure('glove_folder_write_s', g.folderWriteMs / 1000);
    figure('glove_folder_mb', g.folderBytes / 2 ** 20);
    figure('glove_builtin_load_ms', g.loadMs.builtin);
    figure('glove_folder_load_ms', g.loadMs.folder);
    figure('glove_builtin_texts_per_s', g.textsPerSecond.builtin);
    figure('glove_folder_texts_per_s', g.textsPerSecond.folder);
  });
}

async function vsixSection(): Promise<void> {
  await section('packaged extension', [], async () => {
    const bytes = await vsixSize(repo);
    log(`  embedding-drift.vsix: ${(bytes / 2 ** 20).toFixed(2)} MB`);
    figures['vsixBytes'] = bytes;
    figure('vsix_mb', bytes / 2 ** 20);
  });
}

/**
 * A side read from a LanceDB table: a generated table (full: 1,000,000 x 100, two vector columns
 * with IVF-PQ indexes) compared through a sample by the built CLI, and a run reading A from a store
 * against the same run embedding A again at the end-to-end size.
 */
async function storeSection(sources: CorpusSource[]): Promise<void> {
  const size = quick ? { rows: 100_000, sample: 5_000 } : { rows: 1_000_000, sample: 20_000 };
  await section(`store: ${size.rows} x 100 LanceDB table, sample ${size.sample}`, [], async () => {
    const table = await generateTable(work, size.rows, 100, log);
    log(`  table: ${table.rows} rows x ${table.dim}, ${table.reused ? 'reused from an earlier run' : `written in ${table.writeS.toFixed(1)} s, two IVF-PQ indexes in ${table.indexS.toFixed(1)} s`} (setup, not timed below)`);
    const { run, report } = await sampledRun(repo, work, table, size.sample);
    const s = report.neighbors.sampled;
    log('  search: the IVF-PQ indexes with LanceDB\'s default query settings');
    log(`  sampled ${s?.size} of ${s?.total} rows; churned ${report.neighbors.churnedShare} (95% CI ${JSON.stringify(s?.churnedShareCi)}); recall@10 of the database search: A ${report.stores?.a?.recallAtK} (${report.stores?.a?.index}, ${report.stores?.a?.probes} probes), B ${report.stores?.b?.recallAtK}`);
    log(`  stage times (ms): ${JSON.stringify(roundAll(report.timings))}`);
    figures['store'] = { rows: table.rows, sample: size.sample, writeS: table.writeS, indexS: table.indexS, churnedShare: report.neighbors.churnedShare, sampled: s, stores: report.stores, timings: report.timings };
    figure('store_sample_run_s', run.ms / 1000);
    figure('store_sample_rss_mb', (run.maxRssBytes ?? Number.NaN) / 2 ** 20);
  });
  await section('store: A read from the table vs A embedded again (builtin:lexical)', ['store_vs_reembed'], async () => {
    const corpus = buildBenchCorpus(sources, path.join(work, `corpus-${SIZES.chunks}`), SIZES.chunks * CHARS_PER_CHUNK);
    const measured = await storeVersusReembed(work, corpus.root, CHUNKER_A, log);
    figures['storeVsReembed'] = measured;
    ratio('store_vs_reembed', measured.reembedMs / measured.storeMs);
  });
}

/**
 * The extension host's event loop while the session worker runs a cold A/B run (the extension's
 * way), with the host thread's CPU time to tell a stall from a wait for a core, and compare() on
 * this thread for reference.
 */
async function hostStallSection(config: DriftConfig): Promise<void> {
  await section('event loop of the extension host during a cold run (session worker, as the extension runs it)', [], async () => {
    const stall = await hostStallDuringColdRun(repo, config, work);
    const cpu = (x: number | null): string => (x === null ? 'unknown (no /proc)' : `${x} ms`);
    log(`  ${(stall.runMs / 1000).toFixed(1)} s (${stall.chunks.a} + ${stall.chunks.b} chunks, ${stall.progressEvents} progress messages relayed); ` +
      `host thread CPU ${cpu(stall.threadCpuMs)} over the run, ${cpu(stall.stallCpuMs)} within its longest stall; idle reference on this machine ${stall.idleStallMs.toFixed(1)} ms`);
    figure('event_loop_stall_ms', stall.stallMs);
    figure('event_loop_stall_idle_ms', stall.idleStallMs);
    if (stall.threadCpuMs !== null) figure('host_thread_cpu_ms', stall.threadCpuMs);
    const inProcess = await stallDuringInProcessRun(config, work);
    log(`  for reference, compare() on this thread (the CLI; the extension before the session worker): longest stall ${inProcess.stallMs.toFixed(1)} ms, ` +
      `of which this thread ran ${cpu(inProcess.stallCpuMs)}, in ${(inProcess.runMs / 1000).toFixed(1)} s`);
  });
}

/** The MiniLM-shaped model, the small corpus and the A/B configuration of the end-to-end runs. */
function coldSetup(): { model: BenchModel; sources: CorpusSource[]; small: ReturnType<typeof buildBenchCorpus>; config: DriftConfig } {
  const model: BenchModel = ensureBenchModel(work, log);
  const sources: CorpusSource[] = collectSources(path.join(repo, 'node_modules'));
  const small = buildBenchCorpus(sources, path.join(work, `corpus-${SIZES.chunks}`), SIZES.chunks * CHARS_PER_CHUNK);
  const config = writeBenchConfig(path.join(work, 'cold', 'embedding-drift.json'), small.root, { path: model.folder }, CHUNKER_A, CHUNKER_B);
  return { model, sources, small, config };
}

/**
 * The warm session: B's chunker grown until about 10% of B's chunks change, rerun in the session
 * that ran the configuration before (warm_vs_cold, against the cold one-off run), then one page
 * edited and saved (live_update_ms).
 */
async function liveSection(config: DriftConfig, model: BenchModel, root: string, cacheDir: string, coldMs: number): Promise<void> {
  await section('warm session: rerun after a chunker change, live update after a save', ['warm_vs_cold'], async () => {
    if (!Number.isFinite(coldMs)) throw new Error('needs the cold run');
    const tweak = await tweakChunker(config, 0.1);
    log(`  B chunker ${config.b.chunker.size} -> ${tweak.chunker.size} chars: ${(tweak.changedShare * 100).toFixed(1)}% of B's chunks change`);
    const warmConfig = writeBenchConfig(path.join(work, 'warm', 'embedding-drift.json'), root, { path: model.folder }, CHUNKER_A, tweak.chunker);
    const live = await benchLive(config, warmConfig, cacheDir, path.join(work, 'live-report'), log);
    figures['warm'] = { ms: live.warmMs, firstMs: live.firstMs, changedShare: tweak.changedShare, ...live.warm };
    figures['live'] = live.live;
    ratio('warm_vs_cold', coldMs / live.warmMs);
    figure('live_update_ms', live.liveUpdateMs);
  });
}

/**
 * One markdown file of 50 MB (5 MB with --quick) made from the bench corpus text, compared end to end
 * by the built CLI from a cold cache with the built-in embedder: wall time and peak RSS of the child.
 */
async function largeSection(sources: CorpusSource[]): Promise<void> {
  const mb = quick ? 5 : 50;
  await section(`large corpus: one ${mb} MB markdown file, built CLI, builtin:lexical`, [], async () => {
    const corpus = buildLargeCorpus(sources, work, mb * 2 ** 20);
    log(`  ${corpus.file}: ${(corpus.bytes / 2 ** 20).toFixed(1)} MB${corpus.reused ? ' (reused)' : ''}`);
    const { run, report } = await largeRun(repo, work, corpus);
    const nb = report.neighbors;
    const s = nb.sampled;
    log(`  ${report.chunks.a} + ${report.chunks.b} chunks; search ${nb.method}${s ? `, sampled ${s.size} of ${s.total} (churned ${nb.churnedShare}, 95% CI ${JSON.stringify(s.churnedShareCi)})` : `, every chunk (churned ${nb.churnedShare})`}`);
    log(`  stage times (ms): ${JSON.stringify(roundAll(report.timings))}`);
    figures['large'] = { mb, bytes: corpus.bytes, chunks: report.chunks, method: nb.method, sampled: s ?? null, churnedShare: nb.churnedShare, timings: report.timings };
    figure('large_run_s', run.ms / 1000);
    figure('large_run_rss_mb', (run.maxRssBytes ?? Number.NaN) / 2 ** 20);
  });
}

/** Golden-query scoring's size: 200 queries a side against 2,000 chunks of 384 dimensions. */
async function scoringSection(): Promise<void> {
  await section('query scoring, 200 x 2,000 x 384: WebAssembly SIMD vs JavaScript kernel (same bits)', ['query_scores_wasm_vs_js'], async () => {
    const s = await benchQueryScoring(200, 2000, 384, quick ? 5 : 15, log);
    figures['queryScoring'] = s;
    figure('query_scores_js_gmac_s', s.gmacPerS.js);
    figure('query_scores_wasm_gmac_s', s.gmacPerS.wasm);
    ratio('query_scores_wasm_vs_js', s.ms.js / s.ms.wasm);
  });
}

/** `--only live`: the cold run (ours alone: overhead) and the warm session's figures, nothing else. */
async function liveOnly(): Promise<void> {
  const model: BenchModel = ensureBenchModel(work, log);
  const small = buildBenchCorpus(collectSources(path.join(repo, 'node_modules')), path.join(work, `corpus-${SIZES.chunks}`), SIZES.chunks * CHARS_PER_CHUNK);
  const config = writeBenchConfig(path.join(work, 'cold', 'embedding-drift.json'), small.root, { path: model.folder }, CHUNKER_A, CHUNKER_B);
  const cacheDir = path.join(work, 'cache-e2e');
  let coldMs = Number.NaN;
  await section('cold A/B run from nothing (ours alone)', ['overhead'], async () => {
    fs.rmSync(cacheDir, { recursive: true, force: true });
    const ours = await runOurs(config, cacheDir);
    coldMs = ours.ms;
    log(`  ours: ${(ours.ms / 1000).toFixed(1)} s (${ours.report.chunks.a} + ${ours.report.chunks.b} chunks); stage times (ms): ${JSON.stringify(roundAll(ours.report.timings))}`);
    figures['cold'] = { oursMs: ours.ms, oursEmbedMs: ours.embedMs, timings: ours.report.timings, chunks: ours.report.chunks };
    ratio('overhead', ours.embedMs / ours.ms);
  });
  await liveSection(config, model, small.root, cacheDir, coldMs);
}

async function main(): Promise<void> {
  const started = Date.now();
  if (only !== undefined) {
    if (only !== 'glove' && only !== 'store' && only !== 'host' && only !== 'live' && only !== 'large' && only !== 'scoring') throw new Error(`--only knows "glove", "store", "host", "live", "large" and "scoring" (got ${JSON.stringify(only)})`);
    fs.mkdirSync(work, { recursive: true });
    if (only === 'live') await liveOnly();
    if (only === 'glove') await gloveSection(collectSources(path.join(repo, 'node_modules')));
    if (only === 'store') await storeSection(collectSources(path.join(repo, 'node_modules')));
    if (only === 'host') await hostStallSection(coldSetup().config);
    if (only === 'large') await largeSection(collectSources(path.join(repo, 'node_modules')));
    if (only === 'scoring') await scoringSection();
    if (only === 'glove') await vsixSection();
    const results = { date: new Date().toISOString(), commit: commit(), mode: `only ${only}${quick ? ', quick' : ''}`, machine: machine(), seconds: round((Date.now() - started) / 1000, 1), ratios, figures, errors };
    fs.writeFileSync(path.join(repo, 'bench', `results-${only}.json`), `${JSON.stringify(results, null, 2)}\n`);
    log(`wrote bench/results-${only}.json`);
    if (errors.length > 0) process.exitCode = 1;
    return;
  }
  log(`Embedding Drift benchmark (${quick ? 'QUICK mode: smaller sizes, see below' : 'full'})`);
  log(`sizes: ~${SIZES.chunks} chunks per side end to end, ${SIZES.embedTexts} texts x ${SIZES.embedRounds} interleaved rounds for throughput, ${SIZES.knn} vectors for search, ~${SIZES.memoryChunks} chunks per side for memory`);
  fs.mkdirSync(work, { recursive: true });
  const { model, sources, small, config } = coldSetup();
  const large = buildBenchCorpus(sources, path.join(work, `corpus-${SIZES.knn}`), SIZES.knn * CHARS_PER_CHUNK);
  log(`corpora: ${small.files} files / ${small.chars} chars; ${large.files} files / ${large.chars} chars (from documentation in node_modules)`);

  await section('embedding throughput (mixed-length chunks in file order)', ['embed_native_vs_pipeline', 'embed_default_vs_pipeline'], async () => {
    const { a } = await chunksOf(config);
    const texts = a.slice(0, SIZES.embedTexts).map((c) => c.embedText);
    const measured = await compareThroughput(model, {
      native: localModelSpec(model.folder, 'native', 'fp32'),
      default: localModelSpec(model.folder, 'wasm', 'q8'),
    }, path.join(work, 'cache-throughput'), texts, SIZES.embedRounds);
    const pipeline = measured['pipeline']!, native = measured['native']!, defaults = measured['default']!;
    log(`  transformers.js pipeline (onnxruntime-node, fp32, batches of 16): ${pipeline.textsPerSecond.toFixed(2)} texts/s (load ${(pipeline.loadMs / 1000).toFixed(1)} s)`);
    log(`  ours, onnxruntime-node fp32: ${native.textsPerSecond.toFixed(2)} texts/s (load ${(native.loadMs / 1000).toFixed(1)} s)`);
    log(`  ours, default (WASM, q8): ${defaults.textsPerSecond.toFixed(2)} texts/s (load ${(defaults.loadMs / 1000).toFixed(1)} s)`);
    figures['embed'] = measured;
    ratio('embed_native_vs_pipeline', native.textsPerSecond / pipeline.textsPerSecond);
    ratio('embed_default_vs_pipeline', defaults.textsPerSecond / pipeline.textsPerSecond);
  });

  await section(`exact all-pairs top-${BENCH_K}, ${SIZES.knn} x 384`, ['knn_vs_naive', 'knn_vs_hnswlib_defaults'], async () => {
    // builtin:lexical vectors of real text: clustered like embeddings, cheap to make at this size.
    const pieces = corpusPieces(large.root, 400, SIZES.knn);
    const { vectors } = await new LexicalEmbedder(384).embed(pieces, { kind: 'document' });
    const search = await benchSearch(vectors, pieces.length, 384, BENCH_K, { naiveRows: SIZES.naiveRows, hnswQueryRows: SIZES.hnswProbe }, log);
    figures['knn'] = search;
    if (search.oursMismatchRows > 0) log(`  WARNING: ours differs from the plain scan on ${search.oursMismatchRows} of ${search.naiveRows} rows`);
    ratio('knn_vs_naive', search.naiveMs / search.oursMs);
    ratio('knn_vs_hnswlib_defaults', (search.hnswBuildMs + search.hnswQueryMs) / search.oursMs);
  });

  await scoringSection();

  const cacheDir = path.join(work, 'cache-e2e');
  let coldMs = Number.NaN;
  await section('cold A/B run from nothing', ['cold_vs_straightforward', 'overhead'], async () => {
    fs.rmSync(cacheDir, { recursive: true, force: true });
    const ours = await runOurs(config, cacheDir);
    coldMs = ours.ms;
    log(`  ours: ${(ours.ms / 1000).toFixed(1)} s (${ours.report.chunks.a} + ${ours.report.chunks.b} chunks), longest event-loop stall in-process (the CLI's case) ${ours.stallMs.toFixed(1)} ms`);
    log(`  ours stage times (ms): ${JSON.stringify(roundAll(ours.report.timings))}`);
    const base = await runStraightforward(config, model, log);
    log(`  straightforward: ${(base.ms / 1000).toFixed(1)} s (${base.chunksA} + ${base.chunksB} chunks)`);
    figures['cold'] = { oursMs: ours.ms, oursEmbedMs: ours.embedMs, stallMs: ours.stallMs, timings: ours.report.timings, chunks: ours.report.chunks, straightforward: base };
    figures['eventLoopStallMs'] = round(ours.stallMs, 1);
    ratio('cold_vs_straightforward', base.ms / ours.ms);
    ratio('overhead', ours.embedMs / ours.ms);
  });

  await liveSection(config, model, small.root, cacheDir, coldMs);

  await hostStallSection(config);

  await section(`peak memory of a ~${SIZES.memoryChunks}-chunk A/B run (child process, builtin:lexical)`, [], async () => {
    const file = path.join(work, 'memory', 'embedding-drift.json');
    writeBenchConfig(file, large.root, 'builtin:lexical', CHUNKER_A, CHUNKER_B);
    const cache = path.join(work, 'memory', 'cache');
    fs.rmSync(cache, { recursive: true, force: true });
    const mem = await memoryOfRun(repo, file, path.join(work, 'memory', 'out'), cache);
    if (mem.cliError) log(`  the built CLI failed (${mem.cliError}); measured through bench/memoryChild.ts instead`);
    log(`  ${mem.chunksA} + ${mem.chunksB} chunks in ${(mem.ms / 1000).toFixed(1)} s, peak RSS ${mem.maxRssBytes === null ? 'unknown' : `${(mem.maxRssBytes / 2 ** 20).toFixed(0)} MB`}`);
    figures['memory'] = mem;
  });

  await largeSection(sources);

  await gloveSection(sources);
  await vsixSection();

  await section('report webview, first view of a 50,000-chunk report (headless Chromium)', [], async () => {
    const view = await webviewFirstView(50_000);
    log(`  first view ${view.firstViewMs.toFixed(0)} ms (writing report.html, loading it, first verdict on screen)`);
    figures['webviewFirstViewMs'] = Math.round(view.firstViewMs);
  });

  const totalS = (Date.now() - started) / 1000;
  log(`\n== summary (${quick ? 'quick' : 'full'} mode, ${totalS.toFixed(0)} s)`);
  for (const [name, target] of Object.entries(TARGETS)) {
    const value = ratios[name] ?? Number.NaN;
    log(`  ${name.padEnd(28)} ${String(value).padStart(8)}  target >= ${target}  ${value >= target ? 'met' : 'MISSED'}`);
  }
  const results = {
    date: new Date().toISOString(), commit: commit(), mode: quick ? 'quick' : 'full', sizes: SIZES, machine: machine(),
    seconds: round(totalS, 1), ratios, targets: TARGETS, figures, errors,
  };
  fs.writeFileSync(path.join(repo, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  log('wrote bench/results.json');
  log(`row for BENCHMARKS.md:\n${benchmarksRow(results.date, results.commit)}`);
  if (errors.length > 0) process.exitCode = 1;
}

/** One row of BENCHMARKS.md's results table: ratios in TARGETS order, then the figures. */
function benchmarksRow(date: string, sha: string): string {
  const cells = Object.keys(TARGETS).map((name) => String(ratios[name] ?? 'n/a'));
  const mem = figures['memory'] as { maxRssBytes?: number | null } | undefined;
  const vsix = figures['vsixBytes'] as number | undefined;
  return `| ${date.slice(0, 10)} | ${sha} | ${quick ? 'quick' : 'full'} | ${cells.join(' | ')} | ` +
    `${mem?.maxRssBytes ? `${Math.round(mem.maxRssBytes / 2 ** 20)} MB` : 'n/a'} | ${vsix ? `${(vsix / 2 ** 20).toFixed(1)} MB` : 'n/a'} | ` +
    `${figures['event_loop_stall_ms'] ?? 'n/a'} ms | ${figures['webviewFirstViewMs'] ?? 'n/a'} ms |`;
}

function roundAll(timings: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)]));
}

main().catch((err: unknown) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
