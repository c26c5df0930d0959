// An independent forward pass of the generated BERT graph in plain TypeScript (float64), from the
// same weights: the ONNX runtime's output must match it.
import type { BertShape, BertWeights } from '../../../scripts/make-models';
import { LAYER_NORM_EPS } from '../../../scripts/make-models';

type Mat = number[][];

function w(weights: BertWeights, name: string): Float32Array {
  const t = weights.get(name);
  if (!t) throw new Error(`no weight ${name}`);
  return t.data;
}

function linear(x: Mat, weight: Float32Array, bias: Float32Array, inDim: number, outDim: number): Mat {
  return x.map((v) => {
    const out = Array.from(bias);
    for (let i = 0; i < inDim; i++) for (let o = 0; o < outDim; o++) out[o]! += (v[i] ?? 0) * (weight[i * outDim + o] ?? 0);
    return out;
  });
}

function layerNorm(x: Mat, gamma: Float32Array, beta: Float32Array): Mat {
  return x.map((v) => {
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
    return v.map((e, i) => ((e - mean) / Math.sqrt(variance + LAYER_NORM_EPS)) * (gamma[i] ?? 0) + (beta[i] ?? 0));
  });
}

function erf(x: number): number {
  // Abramowitz-Stegun 7.1.26 is too coarse (1e-7 absolute is fine, but use a series for accuracy).
  const t = Math.abs(x);
  if (t < 3) {
    let sum = 0;
    let term = t;
    for (let n = 0; n < 60; n++) {
      sum += term / (2 * n + 1);
      term *= (-t * t) / (n + 1);
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // Continued fraction for the tail.
  let f = 0;
  for (let k = 60; k >= 1; k--) f = (k / 2) / (t + f);
  return Math.sign(x) * (1 - Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + f));
}

/** Token states [seqLen][hidden] of one unpadded sequence. */
export function referenceForward(shape: BertShape, weights: BertWeights, ids: number[]): Mat {
  const H = shape.hidden;
  const NH = shape.heads;
  const dh = H / NH;
  const word = w(weights, 'embeddings.word');
  const pos = w(weights, 'embeddings.position');
  const type = w(weights, 'embeddings.token_type');
  let x: Mat = ids.map((id, t) => Array.from({ length: H }, (_, d) => (word[id * H + d] ?? 0) + (pos[t * H + d] ?? 0) + (type[d] ?? 0)));
  x = layerNorm(x, w(weights, 'embeddings.ln.gamma'), w(weights, 'embeddings.ln.beta'));
  for (let l = 0; l < shape.layers; l++) {
    const p = `layer${l}.`;
    const lin = (input: Mat, m: string, i: number, o: number) => linear(input, w(weights, `${p}${m}.weight`), w(weights, `${p}${m}.bias`), i, o);
    const q = lin(x, 'q', H, H);
    const k = lin(x, 'k', H, H);
    const v = lin(x, 'v', H, H);
    const ctx: Mat = x.map(() => new Array<number>(H).fill(0));
    for (let h = 0; h < NH; h++) {
      for (let i = 0; i < x.length; i++) {
        const scores = x.map((_, j) => {
          let s = 0;
          for (let d = 0; d < dh; d++) s += (q[i]![h * dh + d] ?? 0) * (k[j]![h * dh + d] ?? 0);
          return s / Math.sqrt(dh);
        });
        const max = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - max));
        const z = e.reduce((a, b) => a + b, 0);
        for (let j = 0; j < x.length; j++) for (let d = 0; d < dh; d++) ctx[i]![h * dh + d]! += ((e[j] ?? 0) / z) * (v[j]![h * dh + d] ?? 0);
      }
    }
    const attn = lin(ctx, 'o', H, H);
    x = layerNorm(x.map((r, i) => r.map((e, d) => e + (attn[i]![d] ?? 0))), w(weights, `${p}attn_ln.gamma`), w(weights, `${p}attn_ln.beta`));
    const h1 = lin(x, 'ffn1', H, shape.ffn).map((r) => r.map((e) => 0.5 * e * (1 + erf(e / Math.SQRT2))));
    const h2 = lin(h1, 'ffn2', shape.ffn, H);
    x = layerNorm(x.map((r, i) => r.map((e, d) => e + (h2[i]![d] ?? 0))), w(weights, `${p}ffn_ln.gamma`), w(weights, `${p}ffn_ln.beta`));
  }
  return x;
}
