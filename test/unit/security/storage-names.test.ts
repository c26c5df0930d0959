// Cache and model folder names come from hashes, never from a raw model id, revision, fingerprint or
// workspace path, so `../` in an id cannot lead a write outside the cache.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import { storeFolderName } from '../../../src/core/embedding/cache';
import { ensureHubModel, hubFolderName } from '../../../src/core/embedding/hub';
import { DriftError } from '../../../src/core/types';

const HOSTILE = ['../../etc', '..', '.', '/abs/path', 'a/../../b', 'C:\\Windows', 'x\0y', '%2e%2e%2f', 'owner/../../name', '~/.ssh'];

describe('security: folder names derived from hashes', () => {
  it('the embedding store folder is 32 hex characters whatever the fingerprint', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.constantFrom(...HOSTILE)), (fingerprint) => {
      const name = storeFolderName(fingerprint);
      assert.match(name, /^[0-9a-f]{32}$/);
      assert.equal(path.dirname(path.join('/cache/embeddings', name)), '/cache/embeddings');
    }), { numRuns: 2000, seed: 1 });
  });

  it('the model folder is 32 hex characters whatever the id and revision, and differs per revision', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.constantFrom(...HOSTILE)), fc.oneof(fc.string(), fc.constantFrom(...HOSTILE)), (id, revision) => {
      assert.match(hubFolderName(id, revision), /^[0-9a-f]{32}$/);
      assert.notEqual(hubFolderName(id, revision), hubFolderName(id, `${revision}x`));
    }), { numRuns: 2000, seed: 2 });
  });

  it('refuses a model id or revision with dot segments before touching the disk or the network', async () => {
    for (const [id, revision] of [['owner/../../name', 'main'], ['..', 'main'], ['owner/name', '../../x'], ['owner/name', '.']] as const) {
      await assert.rejects(ensureHubModel(id, revision, 'q8', { storeRoot: '/nonexistent-drift-test', allowNetwork: false }),
        (err: unknown) => err instanceof DriftError && /not a valid/.test(err.message), `${id}@${revision}`);
    }
  });
});
