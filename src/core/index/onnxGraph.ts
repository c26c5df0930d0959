// Writes the one small ONNX graph exact search needs (Gemm of a query block by the corpus, then
// TopK) as protobuf bytes, so the runtime needs no protobuf library to build it.

/** Appends protobuf fields; only the wire types an ONNX ModelProto needs. */
class ProtoWriter {
  private readonly parts: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): this {
    this.parts.push(bytes);
    this.length += bytes.length;
    return this;
  }

  private varint(value: number): this {
    const out: number[] = [];
    let v = value;
    while (v > 0x7f) { out.push((v % 128) | 0x80); v = Math.floor(v / 128); }
    out.push(v);
    return this.push(Uint8Array.from(out));
  }

  private key(field: number, wire: number): this { return this.varint(field * 8 + wire); }

  int(field: number, value: number): this { return this.key(field, 0).varint(value); }

  bytes(field: number, value: Uint8Array): this { return this.key(field, 2).varint(value.length).push(value); }

  string(field: number, value: string): this { return this.bytes(field, new TextEncoder().encode(value)); }

  /**
   * A nested message: its parts are appended as they are, never copied, so the graph's corpus
   * (260 MB on a side of 170,000 x 384) is copied once, by the outermost finish().
   */
  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.nested(field, inner);
  }

  /** `inner` as a nested message of field `field`, its parts shared (see message()). */
  nested(field: number, inner: ProtoWriter): this {
    this.key(field, 2).varint(inner.length);
    for (const p of inner.parts) this.push(p);
    return this;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const p of this.parts) { out.set(p, o); o += p.length; }
    return out;
  }
}

const FLOAT = 1;
const INT64 = 7;
const DOUBLE = 11;
const ATTRIBUTE_INT = 2;

function valueInfo(w: ProtoWriter, field: number, name: string, elemType: number, dims: Array<string | number>): void {
  w.message(field, (v) => {
    v.string(1, name);
    v.message(2, (t) => t.message(1, (tensor) => {
      tensor.int(1, elemType);
      tensor.message(2, (shape) => {
        for (const d of dims) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }));
  });
}

function node(w: ProtoWriter, op: string, inputs: string[], outputs: string[], attributes: Record<string, number>): void {
  w.message(1, (n) => {
    for (const i of inputs) n.string(1, i);
    for (const o of outputs) n.string(2, o);
    n.string(3, op);
    n.string(4, op);
    for (const [name, value] of Object.entries(attributes)) {
      n.message(5, (a) => { a.string(1, name); a.int(3, value); a.int(20, ATTRIBUTE_INT); });
    }
  });
}

/**
 * scores = queries (m x dim) . corpusᵀ, then the `k` best per row, best first. With `corpus` given
 * it is a constant of the graph (n rows), so the runtime lays it out for the multiply once, not per
 * block (the WASM knn worker, which builds one session per search); with null it is a second input
 * (`corpus` float32 [n, dim]; n 'n' for any row count, so one session serves every search of its
 * dimension and k: onnxExact.ts), fed with every block from the caller's own array, so neither the
 * graph bytes nor the runtime hold a copy of a large side.
 * Inputs: `queries` float32 [m, dim]; outputs: `scores` float32 [m, k], `indices` int64 [m, k].
 */
export function topKGraph(corpus: Float32Array | null, n: number | 'n', dim: number, k: number): Uint8Array {
  const graph = new ProtoWriter();
  node(graph, 'Gemm', ['queries', 'corpus'], ['all'], { transB: 1 });
  node(graph, 'TopK', ['all', 'k'], ['scores', 'indices'], { axis: 1, largest: 1, sorted: 1 });
  graph.string(2, 'exact_top_k');
  if (corpus) {
    const rows = n === 'n' ? corpus.length / dim : n;
    const raw = new Uint8Array(corpus.buffer, corpus.byteOffset, rows * dim * 4);
    graph.message(5, (t) => { t.int(1, rows).int(1, dim).int(2, FLOAT).string(8, 'corpus').bytes(9, raw); });
  }
  graph.message(5, (t) => {
    t.int(1, 1).int(2, INT64).string(8, 'k');
    const kBytes = new Uint8Array(8);
    new DataView(kBytes.buffer).setBigInt64(0, BigInt(k), true);
    t.bytes(9, kBytes);
  });
  if (!corpus) valueInfo(graph, 11, 'corpus', FLOAT, [n, dim]);
  valueInfo(graph, 11, 'queries', FLOAT, ['m', dim]);
  valueInfo(graph, 12, 'scores', FLOAT, ['m', k]);
  valueInfo(graph, 12, 'indices', INT64, ['m', k]);
  return modelOf(graph);
}

/**
 * The model around one graph: IR version 8 (understood by every onnxruntime since 1.14), opset 13,
 * and onnxruntime's own operators (com.microsoft, version 1) when the graph uses them.
 */
function modelOf(graph: ProtoWriter, microsoftOps = false): Uint8Array {
  const model = new ProtoWriter();
  model.int(1, 8);
  model.string(2, 'embedding-drift');
  model.nested(7, graph);
  model.message(8, (opset) => opset.int(2, 13));
  if (microsoftOps) model.message(8, (opset) => opset.string(1, 'com.microsoft').int(2, 1));
  return model.finish();
}

/**
 * c = op(a) . op(b) in float64 (Gemm, op = transpose where asked), every dimension given at run
 * time: the space metrics' d x d products (src/core/metrics/gemm.ts). Inputs `a`, `b`; output `c`.
 */
export function gemmGraph(transA: boolean, transB: boolean): Uint8Array {
  const graph = new ProtoWriter();
  node(graph, 'Gemm', ['a', 'b'], ['c'], { transA: transA ? 1 : 0, transB: transB ? 1 : 0 });
  graph.string(2, 'gemm_f64');
  valueInfo(graph, 11, 'a', DOUBLE, transA ? ['k', 'm'] : ['m', 'k']);
  valueInfo(graph, 11, 'b', DOUBLE, transB ? ['n', 'k'] : ['k', 'n']);
  valueInfo(graph, 12, 'c', DOUBLE, ['m', 'n']);
  return modelOf(graph);
}

/** c = a^-1 for a square float64 `a` (onnxruntime's com.microsoft Inverse, LU with pivoting). */
export function inverseGraph(): Uint8Array {
  const graph = new ProtoWriter();
  graph.message(1, (n) => { n.string(1, 'a'); n.string(2, 'c'); n.string(3, 'Inverse'); n.string(4, 'Inverse'); n.string(7, 'com.microsoft'); });
  graph.string(2, 'inverse_f64');
  valueInfo(graph, 11, 'a', DOUBLE, ['n', 'n']);
  valueInfo(graph, 12, 'c', DOUBLE, ['n', 'n']);
  return modelOf(graph, true);
}
