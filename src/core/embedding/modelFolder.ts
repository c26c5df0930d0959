// Reads a model folder in the Hugging Face Hub layout (config.json, tokenizer.json,
// tokenizer_config.json, onnx/model*.onnx): which ONNX file a dtype means, the maximum sequence
// length, and content hashes for the fingerprint. Every problem is a DriftError naming the model.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dtype } from '../config/types';
import { DriftError } from '../types';

/** File name suffixes transformers.js uses for each dtype (onnx/model{suffix}.onnx). */
export const DTYPE_SUFFIX: Record<Dtype, string> = {
  fp32: '', fp16: '_fp16', q8: '_quantized', int8: '_int8', uint8: '_uint8', q4: '_q4',
};

export function onnxFileFor(dtype: Dtype): string {
  return `onnx/model${DTYPE_SUFFIX[dtype]}.onnx`;
}

export interface ModelFolder {
  folder: string;
  /** Absolute path of the ONNX graph the dtype selects. */
  onnxPath: string;
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  config: Record<string, unknown>;
  /** Longest input the model takes, in its tokens (special tokens included), when known. */
  maxTokens: number | undefined;
  /** sha256 over the ONNX graph and the tokenizer files: changes whenever the vectors could. */
  contentHash: string;
}

function readJson(file: string, label: string, required: boolean): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    if (!required) return {};
    throw new DriftError(`Model ${label}: ${path.basename(file)} is missing in ${path.dirname(file)}.`, 'model');
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    throw new DriftError(`Model ${label}: ${file} is not valid JSON (truncated or corrupt?).`, 'model');
  }
}

const hashMemo = new Map<string, string>();

/** sha256 of a file, remembered per (path, size, mtime) so reopening a 90 MB model is free. */
export function fileSha256(file: string): string {
  const s = fs.statSync(file);
  const memoKey = `${file}\0${s.size}\0${s.mtimeMs}`;
  const known = hashMemo.get(memoKey);
  if (known) return known;
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0;) hash.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  const digest = hash.digest('hex');
  hashMemo.set(memoKey, digest);
  return digest;
}

function positiveInt(v: unknown): number | undefined {
  // tokenizer_config.json uses 1e30 for "no limit".
  return typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 1e9 ? v : undefined;
}

export function inspectModelFolder(folder: string, dtype: Dtype, label: string, maxTokensOverride?: number): ModelFolder {
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
    throw new DriftError(`Model ${label}: folder ${folder} does not exist.`, 'model');
  }
  const tokenizerFile = path.join(folder, 'tokenizer.json');
  if (!fs.existsSync(tokenizerFile)) {
    throw new DriftError(`Model ${label}: no tokenizer.json in ${folder} (a model folder needs config.json, tokenizer.json and onnx/model*.onnx).`, 'model');
  }
  const onnxPath = path.join(folder, onnxFileFor(dtype));
  if (!fs.existsSync(onnxPath)) {
    let found: string[] = [];
    try {
      found = fs.readdirSync(path.join(folder, 'onnx')).filter((f) => f.endsWith('.onnx')).map((f) => `onnx/${f}`);
    } catch {
      // No onnx folder at all: said below.
    }
    const hint = found.length > 0 ? `found ${found.join(', ')}; choose the dtype that matches` : 'no ONNX file at all';
    throw new DriftError(`Model ${label}: no ${onnxFileFor(dtype)} for dtype ${dtype} in ${folder} (${hint}).`, 'model');
  }
  const tokenizerJson = readJson(tokenizerFile, label, true);
  const tokenizerConfig = readJson(path.join(folder, 'tokenizer_config.json'), label, false);
  const config = readJson(path.join(folder, 'config.json'), label, false);
  const limits = [
    positiveInt(config['max_position_embeddings']),
    positiveInt(tokenizerConfig['model_max_length']),
    maxTokensOverride,
  ].filter((v): v is number => v !== undefined);
  const contentHash = createHash('sha256')
    .update(fileSha256(onnxPath)).update(fileSha256(tokenizerFile))
    .update(JSON.stringify(tokenizerConfig))
    .digest('hex');
  return {
    folder, onnxPath, tokenizerJson, tokenizerConfig, config,
    maxTokens: limits.length > 0 ? Math.min(...limits) : undefined,
    contentHash,
  };
}
