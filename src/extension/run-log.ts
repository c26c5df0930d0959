// What the output channel says about a run, without `vscode`: the configuration in one line per
// side (labels, never "A A"), cache hits and misses per side, each stage once with its time (summed
// when progress moves back and forth between stages), and where the report went.
import { describeChunker, describeModel, describeTokenizer } from '../core/config/describe';
import type { DriftConfig, SideConfig } from '../core/config/types';
import { describeStore } from '../core/store';

/** `A "today"` or just `A` when the label is the side's own name (the offline default's "A"). */
export function sideName(side: 'a' | 'b', label: string): string {
  const name = side.toUpperCase();
  return label.trim() === '' || label === name ? name : `${name} ${JSON.stringify(label)}`;
}

function sideLine(side: 'a' | 'b', c: SideConfig): string {
  const corpus = c.corpusRoot ? `, corpus ${c.corpusRoot}` : '';
  const source = c.store ? `store ${describeStore(c.store)}` : `${describeModel(c.model)}, ${describeChunker(c.chunker)}`;
  return `${sideName(side, c.label)}: ${source}, tokenizer ${describeTokenizer(c.tokenizer)}${corpus}`;
}

/** The configuration a run uses, as the output channel shows it before the run. */
export function configLines(config: DriftConfig, o: { trusted: boolean; against: 'configurations' | 'baseline' }): string[] {
  const file = config.configPath ?? 'the offline default (no embedding-drift.json in the workspace)';
  const anchors = config.anchors ? `anchors file ${config.anchors}` : config.autoAnchors ? 'no anchors file (auto-anchors from headings and doc comments)' : 'no anchors';
  return [
    `${o.against === 'baseline' ? 'compare with the baseline' : 'compare'}: ${file}${o.trusted ? '' : ' (Restricted Mode)'}`,
    `  ${sideLine('a', config.a)}`,
    `  ${sideLine('b', config.b)}`,
    `  corpus ${config.corpus.root}, k ${config.k}, ${anchors}`,
  ];
}

export interface CacheCounts { hits: number; misses: number }

/** "cache: A 120 hits, 30 misses; B 0 hits, 150 misses" (misses are the chunks embedded in this run). */
export function cacheLine(cache: { a: CacheCounts; b: CacheCounts }, labels: { a: string; b: string }): string {
  const one = (side: 'a' | 'b'): string => `${sideName(side, labels[side])} ${cache[side].hits} ${cache[side].hits === 1 ? 'hit' : 'hits'}, ${cache[side].misses} ${cache[side].misses === 1 ? 'miss' : 'misses'}`;
  return `embedding cache: ${one('a')}; ${one('b')}`;
}

/**
 * Time per stage over a run, each stage named once: progress moves between stages (and back, when
 * A and B interleave), and every interval counts toward the stage it was in.
 */
export class StageClock {
  private readonly spent = new Map<string, number>();
  private current: string | undefined;
  private since = 0;
  private readonly started: number;

  constructor(private readonly now: () => number = Date.now) {
    this.started = now();
  }

  /** The run is now in `stage` (a stage and side, e.g. "embed B"); returns true when that is a change. */
  enter(stage: string): boolean {
    if (stage === this.current) return false;
    this.stop();
    this.current = stage;
    this.since = this.now();
    if (!this.spent.has(stage)) this.spent.set(stage, 0);
    return true;
  }

  /** Ends the interval of the current stage (at the run's end, or when it fails). */
  stop(): void {
    if (this.current !== undefined) this.spent.set(this.current, (this.spent.get(this.current) ?? 0) + this.now() - this.since);
    this.current = undefined;
  }

  /** Milliseconds since the clock started. */
  total(): number {
    return this.now() - this.started;
  }

  /** "stages: walk 120 ms, chunk A 30 ms, embed A 2.1 s, ..." in the order the stages first came. */
  line(): string {
    return `stages: ${[...this.spent].map(([stage, ms]) => `${stage} ${formatMs(ms)}`).join(', ')}`;
  }
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
