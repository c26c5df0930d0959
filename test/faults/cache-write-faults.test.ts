// The embedding cache under write faults: for every N, the N-th write of a run fails (EIO, a torn
// file, or a full disk from then on). The run either finishes with correct vectors or stops with a
// one-line DriftError; the cache that existed before stays readable; the next run reads nothing
// corrupt and rebuilds what was lost, and the run after that is a clean all-hits run.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheKey, EmbeddingCache } from '../../src/core/embedding/cache';
import { embedWithCache } from '../../src/core/embedding/embedWithCache';
import { LexicalEmbedder } from '../../src/core/embedding/lexical';
import { DriftError } from '../../src/core/types';
import { FAULT_MODES, FaultyFs, type FaultMode } from './support/faulty-fs';

const DIM = 32;
const embedder = new LexicalEmbedder(DIM);
/** Texts cached by an earlier run: the "existing cache" a failure must not harm. */
const OLD = Array.from({ length: 46 }, (_, i) => `earlier run text ${i} about cache segments`);
/** One run: three calls, new texts plus some already cached, documents and queries. */
const RUN: Array<{ texts: string[]; kind: 'document' | 'query' }> = [
  { texts: [...OLD.slice(0, 5), 'fresh alpha', 'fresh beta', 'fresh alpha'], kind: 'document' },
  { texts: ['fresh gamma', 'fresh delta', OLD[7]!], kind: 'document' },
  { texts: ['what is alpha?', 'fresh beta'], kind: 'query' },
];

async function truth(texts: string[], kind: 'document' | 'query'): Promise<Float32Array> {
  return (await embedder.embed(texts, { kind })).vectors;
}

/** A cache holding OLD as 46 separate segments, so the run's writes also cross the compaction threshold. */
async function seedCache(root: string): Promise<void> {
  const cache = await EmbeddingCache.open(root, embedder.fingerprint, DIM);
  for (const text of OLD) await cache.write([cacheKey('document', text)], await truth([text], 'document'), new Uint8Array(1));
}

function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

/** Runs RUN against `root` through `fsLayer`; returns the error when the run stopped. */
async function runOnce(root: string, fsLayer: FaultyFs): Promise<{ error?: unknown; warnings: string[] }> {
  const warnings: string[] = [];
  try {
    for (const step of RUN) {
      const r = await embedWithCache(embedder, step.texts, root, { kind: step.kind, cacheOptions: { fs: fsLayer } });
      // Whatever happened to the disk, the vectors handed back are the model's.
      assert.deepEqual(r.vectors, await truth(step.texts, step.kind));
      warnings.push(...r.warnings);
    }
    return { warnings };
  } catch (error) {
    return { error, warnings };
  }
}

describe('faults: every write of an embedding-cache run fails in turn', function () {
  this.timeout(300_000);
  let base: string;
  let seeded: string;
  let cleanWrites = 0;

  before(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-faults-cache-'));
    seeded = path.join(base, 'seeded');
    await seedCache(seeded);
    const counter = new FaultyFs();
    const clean = await runOnce(path.join(base, 'clean'), counter);
    assert.equal(clean.error, undefined);
    copyDir(seeded, path.join(base, 'count'));
    const counting = new FaultyFs();
    const r = await runOnce(path.join(base, 'count'), counting);
    assert.equal(r.error, undefined);
    assert.deepEqual(r.warnings, []);
    cleanWrites = counting.writes;
    // Segment writes, renames, locks, manifests and a compaction: a run makes many writes.
    assert.ok(cleanWrites >= 20, `a run made only ${cleanWrites} writes: ${counting.log.join(', ')}`);
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  for (const mode of FAULT_MODES) {
    it(`${mode}: the run survives or stops cleanly at every N, and the next run reads nothing corrupt`, async () => {
      const outcomes: Record<string, number> = { finished: 0, stopped: 0 };
      for (let n = 1; n <= cleanWrites + 1; n++) {
        const root = path.join(base, `${mode}-${n}`);
        copyDir(seeded, root);
        const faulty = new FaultyFs(n, mode);
        const { error } = await runOnce(root, faulty);
        const where = `${mode} at write ${n} (${faulty.log[n - 1] ?? 'after the last write'})`;
        if (error !== undefined) {
          assert.ok(error instanceof DriftError, `${where}: ${String(error)}`);
          assert.ok(!error.message.includes('\n') && !/\bat .*\.ts:\d+/.test(error.message), `${where}: ${error.message}`);
          outcomes.stopped!++;
        } else {
          outcomes.finished!++;
        }
        await checkRecovery(root, where);
        fs.rmSync(root, { recursive: true, force: true });
      }
      // Both kinds of outcome are exercised (a test that never stops a run proves little).
      assert.ok(outcomes.finished! > 0, JSON.stringify(outcomes));
    });
  }

  it('full disk: a clear one-line message naming the file, and the existing cache intact', async () => {
    const root = path.join(base, 'enospc');
    copyDir(seeded, root);
    const r = await embedWithCache(embedder, ['brand new text'], root, { kind: 'document', cacheOptions: { fs: new FaultyFs(1, 'full') } });
    assert.deepEqual(r.vectors, await truth(['brand new text'], 'document'));
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0]!, /^Could not \w+ \S+: no space left on device \(ENOSPC\)\.$/);
    const after = await embedWithCache(embedder, OLD, root, { kind: 'document' });
    assert.equal(after.hits, OLD.length);
  });
});

/** After a faulty run: a healthy run returns true vectors, keeps every old entry, and the run after is clean. */
async function checkRecovery(root: string, where: string): Promise<void> {
  const reader = new FaultyFs();
  const cache = await EmbeddingCache.open(root, embedder.fingerprint, DIM, { fs: reader });
  for (const text of OLD) assert.ok(cache.has(cacheKey('document', text)), `${where}: an entry of the earlier run was lost`);
  // Every row the cache would serve equals the model's vector: nothing torn is read as good.
  const all = [...OLD, ...RUN.flatMap((s) => s.texts)];
  const out = new Float32Array(DIM);
  for (const step of [{ texts: all, kind: 'document' as const }, { texts: RUN[2]!.texts, kind: 'query' as const }]) {
    const expected = await truth(step.texts, step.kind);
    step.texts.forEach((t, i) => {
      if (cache.read(cacheKey(step.kind, t), out) !== undefined) {
        assert.deepEqual(out, expected.subarray(i * DIM, (i + 1) * DIM), `${where}: cached row of "${t}" differs`);
      }
    });
  }
  const again = await runOnce(root, new FaultyFs());
  assert.equal(again.error, undefined, `${where}: the run after a fault failed: ${String(again.error)}`);
  const clean = await runOnce(root, new FaultyFs());
  assert.equal(clean.error, undefined);
  assert.deepEqual(clean.warnings, [], `${where}: two runs later the cache still needs repair`);
  for (const step of RUN) {
    const r = await embedWithCache(embedder, step.texts, root, { kind: step.kind });
    assert.equal(r.misses, 0, `${where}: the cache was not rebuilt`);
  }
  // A lock whose release failed must not block the next writer (it is stale: its holder let go).
  const extra = await embedWithCache(embedder, [`after ${where}`], root, { kind: 'document' });
  assert.deepEqual(extra.warnings, [], `${where}: the next write was blocked`);
  await assertNoTempFiles(root, where);
}

async function assertNoTempFiles(root: string, where: string): Promise<void> {
  const leftovers: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name));
      else if (e.name.startsWith('.tmp-') || e.name === '.lock') leftovers.push(e.name);
    }
  };
  walk(root);
  assert.deepEqual(leftovers, [], `${where}: left temp or lock files after recovery`);
}

export type { FaultMode };
