// Baselines: side A of a finished run (corpus texts, chunks, vectors, the side's configuration)
// stored in a folder, so a later run of the same setup on the corpus as it is then can be compared
// with it ("same model, two snapshots"). Written through the durable folder replace (all or nothing);
// the vectors carry a checksum, so a damaged baseline is refused, never read as good.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { SideConfig } from '../config/types';
import { OUTPUT_MARKER, OUTPUT_MARKER_TEXT } from '../corpus/ownOutputs';
import { replaceFolderDurable } from '../io/durable';
import { checkBaselineManifest, readSavedReport } from '../report/validate';
import { DriftError, type Chunk, type Corpus } from '../types';
import { sessionRecord } from './session';
import type { Report } from '../report/types';
import type { SideRun } from './side';
import type { ComparisonSession } from './types';

export const BASELINE_FORMAT = 1;
const MANIFEST = 'baseline.json';
const VECTORS = 'vectors.f32';
/** The report of the run that made the baseline: what later runs' headline numbers are compared with. */
const REPORT = 'report.json';

interface StoredChunk { file: string; start: number; end: number; embedText?: string; headingPath?: string[] }

interface BaselineManifest {
  format: number;
  createdAt: string;
  side: SideConfig;
  fingerprint: string;
  dimension: number;
  corpus: Corpus;
  chunks: StoredChunk[];
  vectorsSha256: string;
}

export interface Baseline {
  dir: string;
  createdAt: string;
  side: SideConfig;
  fingerprint: string;
  dimension: number;
  corpus: Corpus;
  chunks: Chunk[];
  vectors: Float32Array;
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Stores side A of `session` in `dir`, replacing a baseline already there only once the new one is complete. */
export async function saveBaseline(session: ComparisonSession, dir: string): Promise<void> {
  const record = sessionRecord(session);
  if (!record) throw new DriftError('This session cannot be saved as a baseline (it was not made by compare()).', 'usage');
  await writeBaseline({ side: record.config.a, fingerprint: record.fingerprintA, run: record.sideA }, dir, session.report);
}

/** What a baseline stores: one side's configuration, its embedder's fingerprint, its chunks and vectors. */
export interface BaselineSide {
  side: SideConfig;
  fingerprint: string;
  run: Pick<SideRun, 'corpus' | 'chunks' | 'vectors'>;
}

/** Writes `side` as the baseline in `dir` (all or nothing); the report of the run that made it, when there was one. */
export async function writeBaseline(baselineSide: BaselineSide, dir: string, report?: Report): Promise<void> {
  const record = { config: { a: baselineSide.side }, fingerprintA: baselineSide.fingerprint };
  const sideA = baselineSide.run;
  const bytes = new Uint8Array(sideA.vectors.buffer, sideA.vectors.byteOffset, sideA.vectors.byteLength);
  const manifest: BaselineManifest = {
    format: BASELINE_FORMAT,
    createdAt: new Date().toISOString(),
    side: record.config.a,
    fingerprint: record.fingerprintA,
    dimension: sideA.chunks.length ? sideA.vectors.length / sideA.chunks.length : 0,
    corpus: sideA.corpus,
    // Chunk text is the corpus text's slice; only what cannot be re-derived is stored.
    chunks: sideA.chunks.map((c) => ({
      file: c.file, start: c.start, end: c.end,
      ...(c.embedText !== c.text ? { embedText: c.embedText } : {}),
      ...(c.headingPath ? { headingPath: c.headingPath } : {}),
    })),
    vectorsSha256: sha256(bytes),
  };
  const target = path.resolve(dir);
  // Replacing moves the old folder aside and deletes it: only ever do that to a baseline.
  const existing = await fs.readdir(target).catch(() => [] as string[]);
  if (existing.length > 0 && !existing.includes(MANIFEST)) {
    throw new DriftError(`${target} is not empty and holds no baseline; choose an empty or new folder for the baseline.`, 'usage');
  }
  // All or nothing: a failed save leaves the baseline the user had. The marker keeps the walker out.
  await replaceFolderDurable(target, [
    [OUTPUT_MARKER, OUTPUT_MARKER_TEXT], [VECTORS, bytes], [MANIFEST, JSON.stringify(manifest)],
    ...(report ? [[REPORT, JSON.stringify(report)] as const] : []),
  ]);
}

/** Whether `dir` holds a baseline (its manifest; whether it reads whole is loadBaseline's question). */
export async function hasBaseline(dir: string): Promise<boolean> {
  return fs.access(path.join(dir, MANIFEST)).then(() => true, () => false);
}

/**
 * The report of the run a baseline was saved from, validated; undefined when there is no baseline or
 * it was written without one (a CLI `baseline save` has no report). A damaged one is a DriftError.
 */
export function loadBaselineReport(dir: string): Promise<Report | undefined> {
  return readSavedReport(path.join(dir, REPORT), path.join(path.resolve(dir), REPORT), 'save the baseline again');
}

export async function loadBaseline(dir: string): Promise<Baseline> {
  const folder = path.resolve(dir);
  let manifest: BaselineManifest;
  let raw: Buffer;
  try {
    manifest = JSON.parse(await fs.readFile(path.join(folder, MANIFEST), 'utf8')) as BaselineManifest;
    raw = await fs.readFile(path.join(folder, VECTORS));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new DriftError(`No baseline in ${folder}: save one first with \`embedding-drift baseline save --dir ${dir}\`.`, 'usage', { cause: err });
    }
    throw new DriftError(`The baseline in ${folder} cannot be read (${err instanceof Error ? err.message : String(err)}); save it again.`, 'cache', { cause: err });
  }
  if (typeof manifest === 'object' && manifest !== null && manifest.format !== BASELINE_FORMAT && Number.isInteger(manifest.format)) {
    throw new DriftError(`The baseline in ${folder} has format ${manifest.format}; this version reads ${BASELINE_FORMAT}. Save it again.`, 'cache');
  }
  checkBaselineManifest(manifest, folder);
  if (sha256(raw) !== manifest.vectorsSha256 || raw.byteLength !== manifest.chunks.length * manifest.dimension * 4) {
    throw new DriftError(`The baseline in ${folder} is damaged (${VECTORS} does not match its checksum); save it again.`, 'cache');
  }
  const vectors = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const texts = new Map(manifest.corpus.files.map((f) => [f.path, f.text]));
  const chunks: Chunk[] = manifest.chunks.map((c) => {
    const text = texts.get(c.file)?.slice(c.start, c.end);
    if (text === undefined) throw new DriftError(`The baseline in ${folder} is damaged (chunk of unknown file ${c.file}); save it again.`, 'cache');
    return { file: c.file, start: c.start, end: c.end, text, embedText: c.embedText ?? text, ...(c.headingPath ? { headingPath: c.headingPath } : {}) };
  });
  return {
    dir: folder, createdAt: manifest.createdAt, side: manifest.side, fingerprint: manifest.fingerprint,
    dimension: manifest.dimension, corpus: manifest.corpus, chunks, vectors,
  };
}
