// Export: one side's chunks (id, text, file, range) and vectors written as a LanceDB table, the
// dry run of a migration or a folder run turned into an index the team can keep. The side is
// produced exactly as a comparison would produce it; nothing is written before it all succeeded.
import { describeModel } from '../config/describe';
import type { DriftConfig, Side } from '../config/types';
import { writeLanceTable, type ExportTarget } from '../store/write';
import { produceSide } from './compare';
import type { SideModel } from './side';
import { storeLabels, type StoreSide } from './storeSides';
import type { Timings } from '../timing';
import type { CompareOptions } from './types';

export interface ExportResult {
  rows: number;
  uri: string;
  table: string;
  dimension: number;
  /** What the model column of every row says. */
  model: string;
}

export async function exportSide(config: DriftConfig, side: Side, target: ExportTarget, options: CompareOptions): Promise<ExportResult> {
  const timings: Timings = {};
  const models: SideModel[] = [];
  const stores: { a?: StoreSide; b?: StoreSide } = {};
  try {
    const produced = await produceSide(config, side, options, timings, models, stores);
    for (const stored of [stores.a, stores.b]) await stored?.store.checkUnchanged();
    const stored = stores[side];
    const model = stored ? storeLabels(config[side], stored).model : describeModel(config[side].model);
    const dimension = produced.model.embedder.dimension;
    const written = await writeLanceTable({ chunks: produced.run.chunks, vectors: produced.run.vectors, dimension, model }, {
      ...target, ...(options.lancedbPath && !target.lancedbPath ? { lancedbPath: options.lancedbPath } : {}),
    }, options);
    return { ...written, dimension, model };
  } finally {
    for (const stored of [stores.a, stores.b]) stored?.store.close();
    await Promise.allSettled([...new Set(models)].map((m) => m.embedder.dispose()));
  }
}
