// onnxruntime-node as the core uses it directly (exact search's Gemm+TopK graph, the space metrics'
// float64 products): loaded once, null where it is not installed (the extension's .vsix does not
// ship it), so callers fall back to their JavaScript kernels.
export interface OrtTensor { data: unknown; dims: readonly number[] }
export interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release?(): Promise<void>;
}
export interface OrtNode {
  Tensor: new (type: 'float32' | 'float64', data: Float32Array | Float64Array, dims: number[]) => OrtTensor;
  InferenceSession: { create(model: Uint8Array, options: Record<string, unknown>): Promise<OrtSession> };
}

let runtime: Promise<OrtNode | null> | undefined;

export function loadOrtNode(): Promise<OrtNode | null> {
  runtime ??= import('onnxruntime-node').then((m) => ((m as { default?: OrtNode }).default ?? m) as unknown as OrtNode, () => null);
  return runtime;
}
