// Writes the project's test models: BERT-shaped ONNX graphs with seeded random weights, built from
// standard ONNX ops only (onnxruntime-web and -node both run them), in the Hugging Face Hub layout,
// with a WordPiece tokenizer.json over the real BERT-uncased vocabulary.
// Usage: npm run make-models -- [--out DIR] [--minilm] [--no-glove] [--seed N]
//   DIR/tiny-bert/      2 layers, hidden 32: a few MB, for tests
//   DIR/minilm-shaped/  all-MiniLM-L6-v2's exact shape (6 x 384, 12 heads, FFN 1536): benchmarks
//   DIR/glove-6b-100d/  a real trained model: GloVe 6B 100d averaged (scripts/glove-model.ts)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { bertUncasedTokenizerConfig, bertUncasedTokenizerJson, bertUncasedVocabulary } from '../src/core/tokenizers/bert';

export interface BertShape {
  layers: number;
  hidden: number;
  heads: number;
  ffn: number;
  maxPositions: number;
  vocabSize: number;
}

export const TINY_BERT: BertShape = { layers: 2, hidden: 32, heads: 4, ffn: 64, maxPositions: 128, vocabSize: 30522 };
export const MINILM_SHAPE: BertShape = { layers: 6, hidden: 384, heads: 12, ffn: 1536, maxPositions: 512, vocabSize: 30522 };
export const LAYER_NORM_EPS = 1e-12;

const { DataType } = onnx.TensorProto;

/** Deterministic normal samples: mulberry32 uniform + Box-Muller. */
export function seededNormal(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const th = 2 * Math.PI * uniform();
    spare = r * Math.sin(th);
    return r * Math.cos(th);
  };
}

/** The named weights of one model, row-major float32. */
export type BertWeights = Map<string, { dims: number[]; data: Float32Array }>;

/** Draws every weight of a BERT encoder of `shape` (same names as the graph's initializers). */
export function bertWeights(shape: BertShape, seed: number): BertWeights {
  const normal = seededNormal(seed);
  const w: BertWeights = new Map();
  const put = (name: string, dims: number[], std: number, mean = 0) => {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = mean + std * normal();
    w.set(name, { dims, data });
  };
  const { hidden: H, ffn: F } = shape;
  // Larger than BERT's 0.02 init so attention and the FFN actually mix tokens in a random model.
  const linear = 1 / Math.sqrt(H);
  put('embeddings.word', [shape.vocabSize, H], 1);
  put('embeddings.position', [shape.maxPositions, H], 0.5);
  put('embeddings.token_type', [2, H], 0.5);
  put('embeddings.ln.gamma', [H], 0.1, 1);
  put('embeddings.ln.beta', [H], 0.1);
  for (let l = 0; l < shape.layers; l++) {
    const p = `layer${l}.`;
    for (const m of ['q', 'k', 'v', 'o']) {
      put(`${p}${m}.weight`, [H, H], linear * 2);
      put(`${p}${m}.bias`, [H], 0.1);
    }
    put(`${p}attn_ln.gamma`, [H], 0.1, 1);
    put(`${p}attn_ln.beta`, [H], 0.1);
    put(`${p}ffn1.weight`, [H, F], linear);
    put(`${p}ffn1.bias`, [F], 0.1);
    put(`${p}ffn2.weight`, [F, H], 1 / Math.sqrt(F));
    put(`${p}ffn2.bias`, [H], 0.1);
    put(`${p}ffn_ln.gamma`, [H], 0.1, 1);
    put(`${p}ffn_ln.beta`, [H], 0.1);
  }
  return w;
}

/** Collects the nodes and initializers of one ONNX graph (shared by every model this script writes). */
export class GraphBuilder {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  private n = 0;

  tensor(name: string, dims: number[], dataType: number, raw: Uint8Array): string {
    this.initializers.push({ name, dims, dataType, rawData: raw });
    return name;
  }

  floats(name: string, dims: number[], data: Float32Array): string {
    return this.tensor(name, dims, DataType.FLOAT, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  ints(name: string, values: number[]): string {
    const data = new BigInt64Array(values.map((v) => BigInt(v)));
    return this.tensor(name, [values.length], DataType.INT64, new Uint8Array(data.buffer));
  }

  scalar(name: string, value: number): string {
    return this.tensor(name, [], DataType.FLOAT, new Uint8Array(new Float32Array([value]).buffer));
  }

  op(opType: string, inputs: string[], attrs: Record<string, number | number[]> = {}, outputs?: string[]): string {
    const out = outputs ?? [`t${this.n++}`];
    const attribute: onnx.IAttributeProto[] = Object.entries(attrs).map(([name, v]) => Array.isArray(v)
      ? { name, type: onnx.AttributeProto.AttributeType.INTS, ints: v }
      : Number.isInteger(v)
        ? { name, type: onnx.AttributeProto.AttributeType.INT, i: v }
        : { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: v });
    this.nodes.push({ opType, input: inputs, output: out, name: `${opType}_${this.n++}`, attribute });
    return out[0] as string;
  }

  /** The finished model (opset 17): int64 [batch_size, sequence_length] inputs, one output. */
  encode(name: string, producer: string, inputs: string[], output: onnx.IValueInfoProto): Uint8Array {
    const model: onnx.IModelProto = {
      irVersion: 8,
      producerName: producer,
      opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name,
        node: this.nodes,
        initializer: this.initializers,
        input: inputs.map((n) => valueInfo(n, DataType.INT64, ['batch_size', 'sequence_length'])),
        output: [output],
      },
    };
    return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
  }
}

export function valueInfo(name: string, elemType: number, dims: Array<string | number>): onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  };
}

export function buildBertGraph(shape: BertShape, weights: BertWeights, quantize: boolean): Uint8Array {
  const g = new GraphBuilder();
  const { hidden: H, heads: NH } = shape;
  const dh = H / NH;
  const W = (name: string) => {
    const w = weights.get(name);
    if (!w) throw new Error(`missing weight ${name}`);
    return w;
  };
  const init = (name: string) => g.floats(name, W(name).dims, W(name).data);

  const linear = (x: string, name: string): string => {
    const w = W(`${name}.weight`);
    let y: string;
    if (!quantize) {
      y = g.op('MatMul', [x, init(`${name}.weight`)]);
    } else {
      // Symmetric per-tensor int8 weights; activations quantized at run time (like
      // onnxruntime's quantize_dynamic, which produces the Hub's model_quantized.onnx).
      let max = 0;
      for (const v of w.data) max = Math.max(max, Math.abs(v));
      const scale = max / 127 || 1;
      const q = new Int8Array(w.data.length);
      for (let i = 0; i < q.length; i++) q[i] = Math.max(-127, Math.min(127, Math.round((w.data[i] ?? 0) / scale)));
      const wq = g.tensor(`${name}.weight_q`, w.dims, DataType.INT8, new Uint8Array(q.buffer));
      const wzp = g.tensor(`${name}.weight_zp`, [], DataType.INT8, new Uint8Array([0]));
      const [xq, xs, xzp] = [`${name}.x_q`, `${name}.x_scale`, `${name}.x_zp`];
      g.op('DynamicQuantizeLinear', [x], {}, [xq, xs, xzp]);
      const acc = g.op('MatMulInteger', [xq, wq, xzp, wzp]);
      const accF = g.op('Cast', [acc], { to: DataType.FLOAT });
      const s = g.op('Mul', [xs, g.scalar(`${name}.weight_scale`, scale)]);
      y = g.op('Mul', [accF, s]);
    }
    return g.op('Add', [y, init(`${name}.bias`)]);
  };
  const layerNorm = (x: string, name: string) =>
    g.op('LayerNormalization', [x, init(`${name}.gamma`), init(`${name}.beta`)], { axis: -1, epsilon: LAYER_NORM_EPS });

  // Embeddings: word + position (sliced to the sequence length) + token type, then LayerNorm.
  const seqLen = g.op('Slice', [g.op('Shape', ['input_ids']), g.ints('c.one', [1]), g.ints('c.two', [2])]);
  const pos = g.op('Slice', [init('embeddings.position'), g.ints('c.zero', [0]), seqLen, g.ints('c.axis0', [0])]);
  const word = g.op('Gather', [init('embeddings.word'), 'input_ids']);
  const type = g.op('Gather', [init('embeddings.token_type'), 'token_type_ids']);
  let x = layerNorm(g.op('Add', [g.op('Add', [word, type]), pos]), 'embeddings.ln');

  // Additive mask [B,1,1,S]: 0 where attended, -10000 at padding.
  const maskF = g.op('Cast', ['attention_mask'], { to: DataType.FLOAT });
  const bias = g.op('Mul', [g.op('Sub', [g.scalar('c.onef', 1), maskF]), g.scalar('c.neg', -10000)]);
  const extMask = g.op('Unsqueeze', [bias, g.ints('c.axes12', [1, 2])]);
  const headsShape = g.ints('c.heads_shape', [0, 0, NH, dh]);
  const mergeShape = g.ints('c.merge_shape', [0, 0, H]);
  const invSqrt = g.scalar('c.inv_sqrt_dh', 1 / Math.sqrt(dh));

  for (let l = 0; l < shape.layers; l++) {
    const p = `layer${l}.`;
    const split = (t: string, perm: number[]) => g.op('Transpose', [g.op('Reshape', [t, headsShape])], { perm });
    const q = split(linear(x, `${p}q`), [0, 2, 1, 3]);
    const k = split(linear(x, `${p}k`), [0, 2, 3, 1]);
    const v = split(linear(x, `${p}v`), [0, 2, 1, 3]);
    const scores = g.op('Add', [g.op('Mul', [g.op('MatMul', [q, k]), invSqrt]), extMask]);
    const probs = g.op('Softmax', [scores], { axis: -1 });
    const ctx = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: [0, 2, 1, 3] }), mergeShape]);
    x = layerNorm(g.op('Add', [x, linear(ctx, `${p}o`)]), `${p}attn_ln`);
    // GELU written with Erf: 0.5 * h * (1 + erf(h / sqrt 2)).
    const h = linear(x, `${p}ffn1`);
    const erf = g.op('Erf', [g.op('Mul', [h, g.scalar(`${p}c.inv_sqrt2`, Math.SQRT1_2)])]);
    const gelu = g.op('Mul', [g.op('Mul', [h, g.scalar(`${p}c.half`, 0.5)]), g.op('Add', [erf, g.scalar(`${p}c.one`, 1)])]);
    x = layerNorm(g.op('Add', [x, linear(gelu, `${p}ffn2`)]), `${p}ffn_ln`);
  }
  g.op('Identity', [x], {}, ['last_hidden_state']);
  return g.encode('bert', 'embedding-drift make-models', ['input_ids', 'attention_mask', 'token_type_ids'],
    valueInfo('last_hidden_state', DataType.FLOAT, ['batch_size', 'sequence_length', H]));
}

export interface GenerateOptions {
  seed?: number;
  /** Override parts of the shape (e.g. `{ layers: 1 }` for the reference-forward-pass test). */
  shape?: Partial<BertShape>;
  /** Write onnx/model_quantized.onnx too (default true). */
  quantized?: boolean;
}

/** Writes a Hub-layout model folder; returns the weights so tests can check a forward pass. */
export function generateBertModel(dir: string, shape: BertShape, options: GenerateOptions = {}): BertWeights {
  const full = { ...shape, ...options.shape };
  if (full.hidden % full.heads !== 0) throw new Error('hidden must be a multiple of heads');
  const vocabSize = bertUncasedVocabulary().length;
  if (vocabSize !== full.vocabSize) throw new Error(`vocabulary has ${vocabSize} tokens, shape says ${full.vocabSize}`);
  const weights = bertWeights(full, options.seed ?? 42);
  fs.mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  const write = (file: string, data: Uint8Array | string) => fs.writeFileSync(path.join(dir, file), data);
  write('config.json', JSON.stringify({
    architectures: ['BertModel'], model_type: 'bert', hidden_size: full.hidden, num_hidden_layers: full.layers,
    num_attention_heads: full.heads, intermediate_size: full.ffn, max_position_embeddings: full.maxPositions,
    vocab_size: full.vocabSize, type_vocab_size: 2, layer_norm_eps: LAYER_NORM_EPS, hidden_act: 'gelu',
    pad_token_id: 0, seed: options.seed ?? 42,
  }, null, 2));
  write('tokenizer_config.json', JSON.stringify({ ...bertUncasedTokenizerConfig(), model_max_length: full.maxPositions }, null, 2));
  write('tokenizer.json', JSON.stringify(bertUncasedTokenizerJson()));
  write('onnx/model.onnx', buildBertGraph(full, weights, false));
  if (options.quantized !== false) write('onnx/model_quantized.onnx', buildBertGraph(full, weights, true));
  return weights;
}

/** The tiny test model (2 layers, hidden 32, 128 positions), a few MB. */
export function generateTinyBert(dir: string, options: GenerateOptions = {}): BertWeights {
  return generateBertModel(dir, TINY_BERT, options);
}

/** A graph with all-MiniLM-L6-v2's exact shape and compute cost (random weights), for benchmarks. */
export function generateMinilmShaped(dir: string, options: GenerateOptions = {}): BertWeights {
  return generateBertModel(dir, MINILM_SHAPE, options);
}

function main(argv: string[]): void {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const out = path.resolve(arg('--out') ?? '.models');
  const seed = Number(arg('--seed') ?? 42);
  const started = Date.now();
  generateTinyBert(path.join(out, 'tiny-bert'), { seed });
  console.log(`wrote ${path.join(out, 'tiny-bert')}`);
  if (argv.includes('--minilm')) {
    generateMinilmShaped(path.join(out, 'minilm-shaped'), { seed });
    console.log(`wrote ${path.join(out, 'minilm-shaped')}`);
  }
  if (!argv.includes('--no-glove')) {
    // Required lazily: glove-model.ts imports this file's GraphBuilder.
    const { readGlovePackage, writeGloveModel } = require('./glove-model') as typeof import('./glove-model');
    writeGloveModel(path.join(out, 'glove-6b-100d'), readGlovePackage());
    console.log(`wrote ${path.join(out, 'glove-6b-100d')}`);
  }
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    console.error(`make-models: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
