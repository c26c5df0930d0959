// Display strings for the report and messages: one short line per model, chunker and tokenizer.
import * as path from 'node:path';
import type { ChunkerSpec, ModelSpec, TokenizerSpec, VectorSpec } from './types';

/** e.g. "builtin:lexical", "Xenova/bge-small-en-v1.5 (q8, cls)", "openai:text-embedding-3-small". */
export function describeModel(spec: ModelSpec): string {
  switch (spec.kind) {
    case 'builtin':
      if (spec.name === 'glove') return 'builtin:glove';
      return spec.dimension === 384 ? 'builtin:lexical' : `builtin:lexical (${spec.dimension}d)`;
    case 'hub':
    case 'local': {
      const name = spec.kind === 'hub'
        ? (spec.revision === 'main' ? spec.id : `${spec.id}@${spec.revision}`)
        : `local:${path.basename(spec.path)}`;
      const details: string[] = [spec.dtype, spec.pooling];
      if (!spec.normalize) details.push('unnormalized');
      return `${name} (${details.join(', ')})`;
    }
    case 'endpoint':
      return `${spec.endpoint}:${spec.name}${spec.dimensions ? ` (${spec.dimensions}d)` : ''}`;
  }
}

/** e.g. "recursive 800/100 chars" (type size/overlap unit). */
export function describeChunker(spec: ChunkerSpec): string {
  return `${spec.type} ${spec.size}/${spec.overlap} ${spec.unit}`;
}

/** e.g. "cl100k_base", "bert-base-uncased", "tokenizer.json in models/mine". */
export function describeTokenizer(spec: TokenizerSpec): string {
  switch (spec.kind) {
    case 'model': return 'model';
    case 'tiktoken': return spec.name;
    case 'hf': return `tokenizer.json in ${spec.path}`;
    case 'bert-base-uncased': return 'bert-base-uncased';
    case 'words': return 'words';
  }
}

/** e.g. "int8", "binary, rescore 4x", "first 256 of 768 dims, binary" (in the order they apply). */
export function describeVectors(spec: VectorSpec, fromDimension: number): string {
  const parts: string[] = [];
  if (spec.dimensions !== undefined) parts.push(`first ${spec.dimensions} of ${fromDimension} dims`);
  if (spec.quantize) parts.push(spec.quantize);
  if (spec.quantize && spec.rescore) parts.push(`rescore ${spec.rescore}x`);
  return parts.join(', ') || 'float';
}
