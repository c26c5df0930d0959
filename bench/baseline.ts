// The straightforward approach the benchmark measures us against: what a developer writes in an
// afternoon. transformers.js `feature-extraction` pipeline (onnxruntime-node in Node) over the
// chunks in file order, batches of 16, then a plain JavaScript scan for the k nearest neighbors,
// for A and then for B, and a per-chunk neighbor overlap through a character-range alignment.
import type { ChunkSpan } from '../src/core/types';

export const BASELINE_BATCH = 16;

type Extractor = (texts: string[], options: { pooling: 'mean'; normalize: boolean }) => Promise<{ data: ArrayLike<number>; dims: number[] }>;

export interface PipelineEmbedder {
  embed(texts: string[], onBatch?: (done: number) => void): Promise<Float32Array>;
  dimension: number;
  dispose(): Promise<void>;
}

/**
 * Loads the model folder `<modelsRoot>/<modelId>` (Hub layout) through transformers.js with remote
 * models off, exactly as the library's README shows for local models.
 */
export async function loadPipeline(modelsRoot: string, modelId: string, dtype: 'fp32' | 'q8' = 'fp32'): Promise<PipelineEmbedder> {
  const tf = await import('@huggingface/transformers');
  tf.env.localModelPath = modelsRoot.endsWith('/') ? modelsRoot : `${modelsRoot}/`;
  tf.env.allowRemoteModels = false;
  tf.env.allowLocalModels = true;
  const extractor = (await tf.pipeline('feature-extraction', modelId, { dtype })) as unknown as Extractor & { dispose(): Promise<void> };
  let dimension = 0;
  return {
    get dimension() { return dimension; },
    async embed(texts, onBatch) {
      const parts: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += BASELINE_BATCH) {
        const out = await extractor(texts.slice(i, i + BASELINE_BATCH), { pooling: 'mean', normalize: true });
        dimension = out.dims[out.dims.length - 1] ?? 0;
        parts.push(Float32Array.from(out.data));
        onBatch?.(Math.min(texts.length, i + BASELINE_BATCH));
      }
      const all = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
      let o = 0;
      for (const p of parts) { all.set(p, o); o += p.length; }
      return all;
    },
    dispose: () => extractor.dispose(),
  };
}

/**
 * All-pairs top-k by a plain scan: one dot product per pair, each row's best k kept in a small
 * sorted list (already kinder than scoring everything and sorting). Self is excluded.
 * `rows` limits the scan to some query rows (the benchmark extrapolates from a sample).
 */
export function naiveAllPairsTopK(vectors: Float32Array, n: number, dim: number, k: number, rows?: number[]): { indices: Int32Array; scores: Float32Array } {
  const queryRows = rows ?? Array.from({ length: n }, (_, i) => i);
  const indices = new Int32Array(queryRows.length * k).fill(-1);
  const scores = new Float32Array(queryRows.length * k).fill(-Infinity);
  queryRows.forEach((q, r) => {
    const base = r * k;
    for (let j = 0; j < n; j++) {
      if (j === q) continue;
      let s = 0;
      for (let d = 0; d < dim; d++) s += vectors[q * dim + d]! * vectors[j * dim + d]!;
      if (k === 0 || s <= scores[base + k - 1]!) continue;
      let p = k - 1;
      while (p > 0 && scores[base + p - 1]! < s) {
        scores[base + p] = scores[base + p - 1]!;
        indices[base + p] = indices[base + p - 1]!;
        p--;
      }
      scores[base + p] = s;
      indices[base + p] = j;
    }
  });
  return { indices, scores };
}

/** For each A chunk, the B chunk of the same file that shares the most characters (-1: none). */
export function alignByOverlap(a: ChunkSpan[], b: ChunkSpan[]): Int32Array {
  const byFile = new Map<string, number[]>();
  b.forEach((c, i) => { const list = byFile.get(c.file) ?? []; list.push(i); byFile.set(c.file, list); });
  const out = new Int32Array(a.length).fill(-1);
  a.forEach((c, i) => {
    let best = 0;
    for (const j of byFile.get(c.file) ?? []) {
      const o = Math.min(c.end, b[j]!.end) - Math.max(c.start, b[j]!.start);
      if (o > best) { best = o; out[i] = j; }
    }
  });
  return out;
}

/** Mean overlap@k of A's neighbor lists with B's, read through the alignment. */
export function meanAlignedOverlap(
  a: { indices: Int32Array }, b: { indices: Int32Array }, alignment: Int32Array, k: number,
): number {
  let sum = 0;
  for (let i = 0; i < alignment.length; i++) {
    const j = alignment[i]!;
    if (j < 0) continue;
    const mine = new Set<number>();
    for (let t = 0; t < k; t++) { const x = a.indices[i * k + t]!; if (x >= 0) mine.add(alignment[x]!); }
    let kept = 0;
    for (let t = 0; t < k; t++) if (mine.has(b.indices[j * k + t]!)) kept++;
    sum += kept / k;
  }
  return alignment.length === 0 ? 0 : sum / alignment.length;
}
