// Turns a model's token states into one vector per input: mean over real tokens, the first ([CLS])
// token or the last real token, then optional L2 normalization. Pure, so the worker and the tests
// share it.
import type { Pooling } from '../config/types';

/**
 * hidden: [batch, seqLen, dim] row-major; lengths[b] = real (unpadded, right-padded) tokens of row b.
 * A model that already pools (output [batch, dim]) is passed with seqLen 1 and lengths of 1.
 */
export function poolRows(
  hidden: Float32Array, batch: number, seqLen: number, dim: number, lengths: Int32Array, pooling: Pooling, normalize: boolean,
): Float32Array {
  const out = new Float32Array(batch * dim);
  for (let b = 0; b < batch; b++) {
    const len = Math.max(1, Math.min(seqLen, lengths[b] ?? seqLen));
    const row = out.subarray(b * dim, (b + 1) * dim);
    const base = b * seqLen * dim;
    if (pooling === 'mean') {
      for (let t = 0; t < len; t++) {
        const off = base + t * dim;
        for (let d = 0; d < dim; d++) row[d] = (row[d] ?? 0) + (hidden[off + d] ?? 0);
      }
      for (let d = 0; d < dim; d++) row[d] = (row[d] ?? 0) / len;
    } else {
      const t = pooling === 'cls' ? 0 : len - 1;
      row.set(hidden.subarray(base + t * dim, base + (t + 1) * dim));
    }
    if (normalize) {
      let norm = 0;
      for (let d = 0; d < dim; d++) norm += (row[d] ?? 0) ** 2;
      const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let d = 0; d < dim; d++) row[d] = (row[d] ?? 0) * inv;
    }
  }
  return out;
}

export function hasNaN(values: Float32Array): boolean {
  for (const v of values) if (Number.isNaN(v)) return true;
  return false;
}
