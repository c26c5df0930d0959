// HNSW building stops promptly when cancelled, and lets the event loop run meanwhile.
import * as assert from 'node:assert/strict';
import { HnswIndex } from '../../../src/core/index/hnsw';
import { DriftError } from '../../../src/core/types';
import { unitVectors } from '../metrics/support';

describe('HNSW cancellation', () => {
  it('an abort during the build rejects with a cancelled DriftError', async () => {
    const n = 20000, dim = 64;
    const vectors = unitVectors(n, dim, 8);
    const controller = new AbortController();
    let progressed = 0;
    const building = HnswIndex.build(vectors, n, dim, undefined, {
      signal: controller.signal,
      onProgress: (e) => { progressed = e.done; if (e.done > 0) controller.abort(); },
    });
    await assert.rejects(building, (err: unknown) => err instanceof DriftError && err.code === 'cancelled');
    assert.ok(progressed > 0 && progressed < n, `stopped after ${progressed} of ${n}`);
  });
});
