import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { cacheKey, cacheSize, clearCache, EmbeddingCache, storeFolderName } from '../../../src/core/embedding/cache';
import { nodeCacheFs, type CacheFs } from '../../../src/core/embedding/cacheStore';
import { embedWithCache } from '../../../src/core/embedding/embedWithCache';
import { LexicalEmbedder } from '../../../src/core/embedding/lexical';
import type { EmbedResult, TextKind } from '../../../src/core/embedding/types';
import type { RunOptions } from '../../../src/core/types';

/** The real lexical embedder, counting the texts it is asked to embed. */
class CountingEmbedder extends LexicalEmbedder {
  embedded: string[] = [];
  override async embed(texts: string[], options: RunOptions & { kind: TextKind }): Promise<EmbedResult> {
    this.embedded.push(...texts);
    return super.embed(texts, options);
  }
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'drift-cache-'));
}

function segmentFiles(root: string, e: { fingerprint: string }): string[] {
  const dir = path.join(root, storeFolderName(e.fingerprint), 'segments');
  return fs.readdirSync(dir).filter((f) => f.startsWith('seg-')).map((f) => path.join(dir, f));
}

const texts = ['alpha beta', 'gamma delta', 'alpha beta', 'epsilon'];

describe('embedding cache', () => {
  let root: string;
  beforeEach(() => { root = tempDir(); });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('embeds each distinct text once, then serves every text from disk', async () => {
    const e = new CountingEmbedder(64);
    const first = await embedWithCache(e, texts, root, { kind: 'document' });
    assert.deepEqual(e.embedded, ['alpha beta', 'gamma delta', 'epsilon']);
    assert.equal(first.misses, 3);
    // A fresh cache serves nothing: the repeated text was embedded once and is counted as deduplicated.
    assert.equal(first.hits, 0);
    assert.equal(first.deduplicated, 1);
    const direct = await new LexicalEmbedder(64).embed(texts, { kind: 'document' });
    assert.deepEqual(first.vectors, direct.vectors);

    const e2 = new CountingEmbedder(64);
    const second = await embedWithCache(e2, texts, root, { kind: 'document' });
    assert.deepEqual(e2.embedded, []);
    assert.equal(second.hits, 4);
    assert.equal(second.misses, 0);
    assert.equal(second.deduplicated, 0);
    assert.deepEqual(second.vectors, direct.vectors);
    assert.deepEqual(second.warnings, []);
  });

  it('keys queries apart from documents and stores apart per fingerprint', async () => {
    assert.notEqual(cacheKey('query', 'x'), cacheKey('document', 'x'));
    await embedWithCache(new LexicalEmbedder(64), ['x'], root, { kind: 'document' });
    const q = new CountingEmbedder(64);
    await embedWithCache(q, ['x'], root, { kind: 'query' });
    assert.deepEqual(q.embedded, ['x']);
    const other = new CountingEmbedder(32);
    await embedWithCache(other, ['x'], root, { kind: 'document' });
    assert.deepEqual(other.embedded, ['x']);
  });

  it('detects a corrupted segment, reports it, embeds again and repairs the store', async () => {
    const e = new LexicalEmbedder(64);
    const good = await embedWithCache(e, texts, root, { kind: 'document' });
    const [seg] = segmentFiles(root, e);
    const bytes = fs.readFileSync(seg!);
    bytes[bytes.length - 3] = (bytes[bytes.length - 3] ?? 0) ^ 0xff; // flip bits inside a vector
    fs.writeFileSync(seg!, bytes);

    const c = new CountingEmbedder(64);
    const again = await embedWithCache(c, texts, root, { kind: 'document' });
    assert.deepEqual([again.hits, again.misses, again.deduplicated], [0, 3, 1]);
    assert.match(again.warnings.join('\n'), /segment .*seg-.*corrupt \(checksum mismatch\)/);
    assert.deepEqual(again.vectors, good.vectors);
    assert.ok(!fs.existsSync(seg!), 'the corrupt file is removed');

    const third = await embedWithCache(new CountingEmbedder(64), texts, root, { kind: 'document' });
    assert.deepEqual(third.warnings, []);
    assert.equal(third.misses, 0);
  });

  it('detects a truncated segment and a garbage manifest', async () => {
    const e = new LexicalEmbedder(64);
    await embedWithCache(e, texts, root, { kind: 'document' });
    const [seg] = segmentFiles(root, e);
    fs.truncateSync(seg!, 100);
    const r = await embedWithCache(new LexicalEmbedder(64), texts, root, { kind: 'document' });
    assert.match(r.warnings.join('\n'), /truncated/);
    assert.equal(r.misses, 3);

    fs.writeFileSync(path.join(root, storeFolderName(e.fingerprint), 'manifest.json'), '{"format": 1, "segm');
    const r2 = await embedWithCache(new LexicalEmbedder(64), texts, root, { kind: 'document' });
    assert.match(r2.warnings.join('\n'), /manifest .* is not valid JSON/);
    assert.equal(r2.misses, 3);
    const r3 = await embedWithCache(new LexicalEmbedder(64), texts, root, { kind: 'document' });
    assert.deepEqual([r3.warnings, r3.misses], [[], 0]);
  });

  it('refuses a manifest that belongs to another model configuration', async () => {
    const e = new LexicalEmbedder(64);
    await embedWithCache(e, texts, root, { kind: 'document' });
    const store = path.join(root, storeFolderName(e.fingerprint));
    const manifest = JSON.parse(fs.readFileSync(path.join(store, 'manifest.json'), 'utf8'));
    manifest.fingerprint = 'something else';
    fs.writeFileSync(path.join(store, 'manifest.json'), JSON.stringify(manifest));
    const r = await embedWithCache(new LexicalEmbedder(64), texts, root, { kind: 'document' });
    assert.match(r.warnings.join('\n'), /another model configuration/);
    assert.equal(r.misses, 3);
  });

  it('keeps the vectors and the existing cache when a write fails with ENOSPC', async () => {
    const e = new LexicalEmbedder(64);
    await embedWithCache(e, ['kept one', 'kept two'], root, { kind: 'document' });
    const before = fs.readFileSync(path.join(root, storeFolderName(e.fingerprint), 'manifest.json'), 'utf8');
    let writes = 0;
    const failing: CacheFs = {
      ...nodeCacheFs,
      async writeFileSynced(file, data) {
        if (++writes === 1) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        return nodeCacheFs.writeFileSynced(file, data);
      },
    };
    const r = await embedWithCache(e, ['kept one', 'new text'], root, { kind: 'document', cacheOptions: { fs: failing } });
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0]!, /^Could not write .*seg-.*: no space left on device \(ENOSPC\)\.$/);
    assert.deepEqual(r.vectors, (await e.embed(['kept one', 'new text'], { kind: 'document' })).vectors);
    const store = path.join(root, storeFolderName(e.fingerprint));
    assert.equal(fs.readFileSync(path.join(store, 'manifest.json'), 'utf8'), before);
    assert.deepEqual(fs.readdirSync(path.join(store, 'segments')).filter((f) => f.startsWith('.tmp')), []);
    const after = await embedWithCache(new CountingEmbedder(64), ['kept one', 'kept two'], root, { kind: 'document' });
    assert.deepEqual([after.hits, after.warnings], [2, []]);
  });

  it('keeps the old manifest when the manifest write fails with EIO', async () => {
    const e = new LexicalEmbedder(64);
    await embedWithCache(e, ['one'], root, { kind: 'document' });
    const failing: CacheFs = {
      ...nodeCacheFs,
      async writeFileSynced(file, data) {
        if (file.endsWith('manifest.json')) throw Object.assign(new Error('EIO'), { code: 'EIO' });
        return nodeCacheFs.writeFileSynced(file, data);
      },
    };
    const r = await embedWithCache(e, ['two'], root, { kind: 'document', cacheOptions: { fs: failing } });
    assert.match(r.warnings.join('\n'), /manifest\.json: input\/output error \(EIO\)/);
    assert.equal(segmentFiles(root, e).length, 1, 'the orphan segment is removed');
    const after = await embedWithCache(new LexicalEmbedder(64), ['one', 'two'], root, { kind: 'document' });
    assert.deepEqual([after.hits, after.misses, after.warnings], [1, 1, []]);
  });

  it('lets two processes write one cache at once without losing or corrupting entries', async function () {
    this.timeout(60000);
    const run = promisify(execFile);
    const script = path.join(__dirname, 'fixtures', 'cache-writer.ts');
    await Promise.all(['p', 'q'].map((tag) => run(process.execPath, ['--import', 'tsx', script, root, tag, '8'])));
    const all = ['p', 'q'].flatMap((tag) => Array.from({ length: 8 }, (_, r) => Array.from({ length: 5 }, (_, i) => `${tag} round ${r} text ${i}`)).flat());
    const c = new CountingEmbedder(32);
    const r = await embedWithCache(c, all, root, { kind: 'document' });
    assert.deepEqual([r.hits, r.misses, r.warnings], [80, 0, []]);
  });

  it('breaks a stale lock left by a crashed writer', async () => {
    const e = new LexicalEmbedder(64);
    const store = path.join(root, storeFolderName(e.fingerprint));
    fs.mkdirSync(store, { recursive: true });
    // A pid far above pid_max cannot be alive.
    fs.writeFileSync(path.join(store, '.lock'), JSON.stringify({ pid: 2 ** 30, time: Date.now() }));
    const r = await embedWithCache(e, ['a'], root, { kind: 'document' });
    assert.deepEqual(r.warnings, []);
    assert.ok(!fs.existsSync(path.join(store, '.lock')));
  });

  it('compacts many small segments into one without losing rows', async () => {
    const e = new LexicalEmbedder(16);
    const cache = await EmbeddingCache.open(root, e.fingerprint, 16);
    for (let i = 0; i < 50; i++) {
      const { vectors } = await e.embed([`text ${i}`], { kind: 'document' });
      await cache.write([cacheKey('document', `text ${i}`)], vectors, new Uint8Array(1));
    }
    assert.ok(segmentFiles(root, e).length < 10);
    const all = Array.from({ length: 50 }, (_, i) => `text ${i}`);
    const r = await embedWithCache(new CountingEmbedder(16), all, root, { kind: 'document' });
    assert.deepEqual([r.hits, r.warnings], [50, []]);
    assert.deepEqual(r.vectors, (await e.embed(all, { kind: 'document' })).vectors);
  });

  it('forgets its rows in memory but keeps them on disk (a one-off run before its search)', async () => {
    const e = new LexicalEmbedder(16);
    const cache = await EmbeddingCache.open(root, e.fingerprint, 16);
    const texts = ['alpha beta', 'gamma delta', 'epsilon'];
    const first = await embedWithCache(e, texts, cache, { kind: 'document' });
    assert.equal(cache.size, 3);
    cache.forgetRows();
    assert.equal(cache.size, 0);
    const out = new Float32Array(16);
    assert.equal(cache.read(cacheKey('document', 'alpha beta'), out), undefined);
    // A miss after forgetting embeds again; the rows written before are all still on disk.
    const counting = new CountingEmbedder(16);
    const again = await embedWithCache(counting, texts, cache, { kind: 'document' });
    assert.deepEqual([again.hits, again.misses], [0, 3]);
    const reopened = await embedWithCache(new CountingEmbedder(16), texts, root, { kind: 'document' });
    assert.deepEqual([reopened.hits, reopened.misses], [3, 0]);
    assert.deepEqual(reopened.vectors, first.vectors);
  });

  it('remembers which cached rows were truncated', async () => {
    /** Reports texts longer than 10 characters as cut, the way the ONNX embedder reports truncation. */
    class CuttingEmbedder extends LexicalEmbedder {
      override async embed(texts: string[], options: RunOptions & { kind: TextKind }): Promise<EmbedResult> {
        const r = await super.embed(texts, options);
        const truncatedRows = Uint8Array.from(texts, (t) => (t.length > 10 ? 1 : 0));
        return { ...r, truncated: truncatedRows.reduce((a, b) => a + b, 0), truncatedRows };
      }
    }
    const input = ['short', 'a rather long text', 'tiny', 'a rather long text'];
    const first = await embedWithCache(new CuttingEmbedder(64), input, root, { kind: 'document' });
    const second = await embedWithCache(new CuttingEmbedder(64), input, root, { kind: 'document' });
    assert.deepEqual([first.truncated, second.truncated, second.misses], [2, 2, 0]);
  });

  it('reports its size and clears in one call', async () => {
    assert.equal(await cacheSize(path.join(root, 'nothing')), 0);
    await embedWithCache(new LexicalEmbedder(64), texts, root, { kind: 'document' });
    const size = await cacheSize(root);
    // Three rows of 64 floats plus keys and header, and a manifest.
    assert.ok(size > 3 * 64 * 4 + 3 * 32, `size ${size}`);
    await clearCache(root);
    assert.equal(await cacheSize(root), 0);
  });
});
