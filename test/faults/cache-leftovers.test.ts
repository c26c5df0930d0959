// What killed writers leave in the embedding cache (temp files, segments written but never recorded
// in the manifest) is removed when a later run opens the store, once old enough that no live writer
// can own it; recorded segments and fresh files are kept.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { storeFolderName } from '../../src/core/embedding/cache';
import { embedWithCache } from '../../src/core/embedding/embedWithCache';
import { LexicalEmbedder } from '../../src/core/embedding/lexical';

describe('faults: leftovers of killed writers in the embedding cache', () => {
  let root: string;
  before(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-leftovers-')); });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('removes old temp files and unrecorded segments, keeps recorded and fresh ones', async () => {
    const embedder = new LexicalEmbedder(16);
    const texts = ['kept alpha', 'kept beta'];
    await embedWithCache(embedder, texts, root, { kind: 'document' });
    const store = path.join(root, storeFolderName(embedder.fingerprint));
    const segments = path.join(store, 'segments');
    const recorded = fs.readdirSync(segments);
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    const plant = (file: string, old: boolean) => {
      fs.writeFileSync(file, 'left by a killed writer');
      if (old) fs.utimesSync(file, twoHoursAgo, twoHoursAgo);
    };
    plant(path.join(segments, 'seg-orphan-old.bin'), true);
    plant(path.join(segments, '.tmp-old-seg-x.bin'), true);
    plant(path.join(store, '.tmp-old-manifest.json'), true);
    plant(path.join(segments, 'seg-orphan-fresh.bin'), false);
    plant(path.join(store, '.tmp-fresh-manifest.json'), false);
    // Recorded segments are kept however old they are.
    for (const f of recorded) fs.utimesSync(path.join(segments, f), twoHoursAgo, twoHoursAgo);

    const again = await embedWithCache(embedder, texts, root, { kind: 'document' });
    assert.deepEqual([again.hits, again.warnings], [2, []]);
    assert.deepEqual(fs.readdirSync(segments).sort(), [...recorded, 'seg-orphan-fresh.bin'].sort());
    assert.deepEqual(fs.readdirSync(store).filter((f) => f.startsWith('.tmp-')), ['.tmp-fresh-manifest.json']);
  });
});
