// What one run of compare() keeps or borrows beyond its inputs: the stage memo (results a warm
// session kept from earlier runs) and where its models come from. A one-off run opens its own
// models and hands them to the ComparisonSession it returns; a warm session lends models it keeps
// open between runs (with their worker threads) and disposes them itself.
import type { SideConfig } from '../config/types';
import { canonicalJson, NO_MEMO, type StageMemo } from '../memo';
import { openSideModel, type SideModel } from './side';
import type { CompareOptions } from './types';

export interface RunContext {
  memo: StageMemo;
  /** Models kept open by a warm session; absent in a one-off run. */
  models?: ModelPool;
}

export const ONE_OFF: RunContext = { memo: NO_MEMO };

/** Opens a side's model, from the pool when the run borrows one. */
export function openModel(context: RunContext, side: SideConfig, name: 'a' | 'b', options: CompareOptions): Promise<SideModel> {
  return context.models ? context.models.open(side, name, options) : openSideModel(side, name, options);
}

/** The parts of a side and of the run's options that decide which model (and tokenizers and store) it opens. */
function modelKey(side: SideConfig, options: CompareOptions): string {
  return canonicalJson({
    model: side.model, tokenizer: side.tokenizer, chunkTokenizer: side.chunker.tokenizer,
    cacheDir: options.cacheDir, allowNetwork: options.allowNetwork, workers: options.workers, lancedbPath: options.lancedbPath,
  });
}

/**
 * Open models by what decides them. A model unused by a whole successful run is disposed at its end
 * (`finish`); `release` disposes them all (idle timeout, session closed); the next run reopens.
 */
export class ModelPool {
  private readonly open_ = new Map<string, { model: Promise<SideModel>; generation: number }>();
  private generation = 0;

  begin(): void {
    this.generation++;
  }

  open(side: SideConfig, name: 'a' | 'b', options: CompareOptions): Promise<SideModel> {
    const key = modelKey(side, options);
    const held = this.open_.get(key);
    if (held) {
      held.generation = this.generation;
      return held.model;
    }
    const model = openSideModel(side, name, options);
    this.open_.set(key, { model, generation: this.generation });
    // A model that failed to open is not kept: the next run tries again (the file may be fixed by then).
    model.catch(() => { if (this.open_.get(key)?.model === model) this.open_.delete(key); });
    return model;
  }

  /** Disposes the models no stage of the run that just succeeded asked for. */
  async finish(): Promise<void> {
    const stale = [...this.open_].filter(([, held]) => held.generation !== this.generation);
    for (const [key] of stale) this.open_.delete(key);
    await disposeAll(stale.map(([, held]) => held.model));
  }

  /**
   * Loads every kept model that is not loaded yet (callers need not wait): a run whose chunks all
   * came from the embedding cache never started its model, and the next edit should not wait for it.
   * Resolves when every one is loaded or failed to (a failure shows at the next embed).
   */
  warm(): Promise<void> {
    const loading = [...this.open_.values()].map((held) => held.model.then((m) => m.embedder.warm?.()));
    return Promise.allSettled(loading).then(() => undefined);
  }

  /** Disposes every model (and its worker threads). */
  async release(): Promise<void> {
    const all = [...this.open_.values()].map((held) => held.model);
    this.open_.clear();
    await disposeAll(all);
  }

  get size(): number {
    return this.open_.size;
  }
}

async function disposeAll(models: Array<Promise<SideModel>>): Promise<void> {
  const opened = await Promise.allSettled(models);
  const embedders = new Set(opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value.embedder] : [])));
  await Promise.allSettled([...embedders].map((e) => e.dispose()));
}
