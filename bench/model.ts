// The benchmark's model: a graph with all-MiniLM-L6-v2's exact shape and compute cost (seeded
// random weights, see scripts/make-models.ts), generated once into the git-ignored bench/.work/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateMinilmShaped } from '../scripts/make-models';

export interface BenchModel {
  /** Folder that holds model folders, for transformers.js `env.localModelPath`. */
  modelsRoot: string;
  /** Model id under modelsRoot (the folder name). */
  modelId: string;
  /** Absolute Hub-layout folder (config.json, tokenizer.json, onnx/model*.onnx). */
  folder: string;
}

export function ensureBenchModel(workDir: string, log: (line: string) => void): BenchModel {
  const modelsRoot = path.join(workDir, 'models');
  const modelId = 'minilm-shaped';
  const folder = path.join(modelsRoot, modelId);
  const needed = ['config.json', 'tokenizer.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx'];
  if (!needed.every((f) => fs.existsSync(path.join(folder, f)))) {
    log(`generating the MiniLM-shaped model into ${path.relative(process.cwd(), folder)} ...`);
    fs.rmSync(folder, { recursive: true, force: true });
    generateMinilmShaped(folder, { seed: 42 });
  }
  return { modelsRoot, modelId, folder };
}
