// Hands a run's sides to the report builder: chunks, vectors and tokenizers per side, the anchors
// text (read here, so a configured file that is missing is a configuration error, not a silent
// fallback) and query embedding through each side's cache.
import { promises as fs } from 'node:fs';
import type { DriftConfig } from '../config/types';
import { buildReport, type ReportInputs, type SideInputs } from '../report/build';
import type { Report } from '../report/types';
import { DriftError, type Corpus, type RunOptions } from '../types';
import { fileChanges } from './corpusChecks';
import { embedTexts, type SideModel, type SideRun } from './side';
import type { Timings } from './stages';

export interface PipelineRun {
  config: DriftConfig;
  corpora: { a: Corpus; b: Corpus };
  sideA: SideRun;
  sideB: SideRun;
  modelA: SideModel;
  modelB: SideModel;
  timings: Timings;
  /** Things the user should know that the pipeline found (added to report.warnings). */
  warnings: string[];
  toolVersion?: string;
  workers?: number;
  /** Neighbor lists the pipeline already found (sampled stores: ReportInputs.neighbors). */
  neighbors?: ReportInputs['neighbors'];
}

export async function readAnchorsText(config: DriftConfig): Promise<string | undefined> {
  if (config.anchors === undefined) return undefined;
  try {
    return await fs.readFile(config.anchors, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DriftError(`Anchors file ${config.anchors} cannot be read (${code === 'ENOENT' ? 'not found' : code ?? String(err)}); fix "anchors" in the configuration.`, 'config', { cause: err });
  }
}

function sideInputs(run: SideRun, model: SideModel): SideInputs {
  return {
    chunks: run.chunks,
    vectors: run.vectors,
    dimension: model.embedder.dimension,
    fingerprint: model.embedder.fingerprint,
    tokenizer: model.tokenizer,
    modelTokenizer: model.embedder.tokenizer,
    maxTokens: model.embedder.maxTokens,
    modelLabel: model.embedder.label,
  };
}

export async function buildPipelineReport(run: PipelineRun, options: RunOptions): Promise<Report> {
  const { config, corpora, modelA, modelB } = run;
  const anchorsText = await readAnchorsText(config);
  const report = await buildReport({
    config,
    corpus: corpora.a,
    ...(corpora.b !== corpora.a ? { corpusB: corpora.b } : {}),
    a: sideInputs(run.sideA, modelA),
    b: sideInputs(run.sideB, modelB),
    embedQueries: async (side, texts, opts) => (await embedTexts(side === 'a' ? modelA : modelB, texts, 'query', opts, side)).vectors,
    ...(anchorsText !== undefined ? { anchorsText } : {}),
    timings: run.timings,
    ...(run.toolVersion ? { toolVersion: run.toolVersion } : {}),
    ...(run.workers !== undefined ? { workers: run.workers } : {}),
    ...(run.neighbors ? { neighbors: run.neighbors } : {}),
  }, options);
  const cacheWarnings = new Set([...run.sideA.warnings, ...run.sideB.warnings]);
  report.warnings.push(...run.warnings, ...cacheWarnings);
  // Two snapshots: which files came, went and changed, so churn can be read against them.
  if (corpora.b !== corpora.a) report.corpus.changes = fileChanges(corpora.a, corpora.b);
  return report;
}
