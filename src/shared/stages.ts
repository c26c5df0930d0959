// A run's stages in the words the user reads, the same in the progress notification and in the
// report panel's progress line (the core's stage ids are names for code, not for people).
import type { Stage } from '../core/types';

export const STAGE_WORDS: Record<Stage, string> = {
  walk: 'Reading files',
  chunk: 'Chunking',
  download: 'Downloading model',
  embed: 'Embedding',
  index: 'Building neighbor index',
  metrics: 'Computing drift metrics',
  report: 'Writing report',
};

/** "Embedding B", "Reading files". */
export function stageLabel(stage: Stage, side?: 'a' | 'b'): string {
  return side ? `${STAGE_WORDS[stage]} ${side.toUpperCase()}` : STAGE_WORDS[stage];
}
