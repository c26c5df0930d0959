import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createEmbedder, modelStoreRoot } from '../../../src/core/embedding';
import { ensureHubModel, hubFolderName } from '../../../src/core/embedding/hub';
import type { ModelSpec } from '../../../src/core/config/types';
import { DriftError, type ProgressEvent } from '../../../src/core/types';
import { testModels } from './support';

type HubSpec = Extract<ModelSpec, { kind: 'hub' }>;

/** A loopback server with the Hub's URL layout; the model id picks a behavior. */
function hubServer() {
  const requests: string[] = [];
  let truncatedOnce = new Set<string>();
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(req.url ?? '');
    requests.push(url);
    const m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url);
    if (!m) { res.writeHead(400).end(); return; }
    const [, model, revision, file] = m as unknown as [string, string, string, string];
    const local = path.join(testModels().tiny, file);
    if (model === 'test-org/missing' || revision !== 'main' || !fs.existsSync(local)) { res.writeHead(404).end('Entry not found'); return; }
    const body = fs.readFileSync(local);
    const truncate = file.endsWith('.onnx') && (model === 'test-org/truncated-always' ||
      (model === 'test-org/truncated-once' && !truncatedOnce.has(file)));
    if (truncate) {
      truncatedOnce.add(file);
      res.writeHead(200, { 'content-length': body.length });
      res.write(body.subarray(0, body.length >> 1), () => res.destroy());
      return;
    }
    if (model === 'test-org/slow' && file.endsWith('.onnx')) {
      res.writeHead(200, { 'content-length': body.length });
      res.write(body.subarray(0, 1000)); // ...and never more
      return;
    }
    if (model === 'test-org/garbage-once' && file.endsWith('.onnx') && !truncatedOnce.has(`garbage:${file}`)) {
      // Complete and without a checksum header, but not an ONNX graph: only loading it can tell.
      truncatedOnce.add(`garbage:${file}`);
      res.writeHead(200, { 'content-length': body.length }).end(Buffer.alloc(body.length, 7));
      return;
    }
    if (model === 'test-org/corrupt' && file.endsWith('.onnx')) {
      // The Hub's ETag of an LFS file is its sha256; the bytes sent are damaged in transit.
      const sha = createHash('sha256').update(body).digest('hex');
      const damaged = Buffer.from(body);
      damaged[100] = (damaged[100] ?? 0) ^ 0xff;
      res.writeHead(200, { 'content-length': body.length, 'x-linked-etag': `"${sha}"` }).end(damaged);
      return;
    }
    res.writeHead(200, { 'content-length': body.length, etag: `"${createHash('sha256').update(body).digest('hex')}"` }).end(body);
  });
  return {
    requests,
    reset: () => { requests.length = 0; truncatedOnce = new Set(); },
    start: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`))),
    stop: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function hubSpec(id: string, over: Partial<HubSpec> = {}): HubSpec {
  return {
    kind: 'hub', id, revision: 'main', dtype: 'q8', pooling: 'mean', normalize: true,
    queryPrefix: '', documentPrefix: '', backend: 'wasm', ...over,
  };
}

describe('Hub model download (loopback server in the Hub layout)', function () {
  this.timeout(60000);
  const server = hubServer();
  let cacheDir: string;
  let savedHost: string;
  // The same module instance the runtime reads env from (a dynamic import gets the ESM build).
  let env: { remoteHost: string };
  before(async () => {
    env = (await import('@huggingface/transformers')).env;
    savedHost = env.remoteHost;
    env.remoteHost = await server.start();
  });
  after(async () => {
    env.remoteHost = savedHost;
    await server.stop();
  });
  beforeEach(() => {
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-hub-'));
    server.reset();
  });
  afterEach(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

  it('downloads once with progress into a hashed folder, then works with the network off', async () => {
    const events: ProgressEvent[] = [];
    const e = await createEmbedder(hubSpec('test-org/tiny-bert'), {
      cacheDir, allowNetwork: true, workers: 1, onProgress: (p) => events.push(p),
    });
    const first = await e.embed(['hello hub'], { kind: 'document' });
    await e.dispose();
    assert.deepEqual(server.requests.map((r) => r.split('/resolve/main/')[1]).sort(),
      ['config.json', 'onnx/model_quantized.onnx', 'tokenizer.json', 'tokenizer_config.json']);
    const downloads = events.filter((p) => p.stage === 'download');
    const onnxEvents = downloads.filter((p) => p.message?.includes('onnx/model_quantized.onnx'));
    const size = fs.statSync(path.join(testModels().tiny, 'onnx/model_quantized.onnx')).size;
    assert.deepEqual([onnxEvents.at(-1)?.done, onnxEvents.at(-1)?.total], [size, size]);
    assert.ok(downloads.some((p) => /\(4\/4\)/.test(p.message ?? '')));
    const folder = path.join(modelStoreRoot(cacheDir), hubFolderName('test-org/tiny-bert', 'main'));
    assert.deepEqual(fs.readdirSync(modelStoreRoot(cacheDir)), [path.basename(folder)]);
    assert.ok(!fs.readdirSync(modelStoreRoot(cacheDir), { recursive: true }).some((f) => String(f).includes('test-org')));

    server.reset();
    const offline = await createEmbedder(hubSpec('test-org/tiny-bert'), { cacheDir, allowNetwork: false, workers: 1 });
    const second = await offline.embed(['hello hub'], { kind: 'document' });
    await offline.dispose();
    assert.deepEqual(server.requests, []);
    assert.deepEqual(second.vectors, first.vectors);
    assert.equal(offline.fingerprint, e.fingerprint);
  });

  it('fetches onnx/model.onnx for fp32, and only that file once the rest is cached', async () => {
    const folder = await ensureHubModel('test-org/tiny-bert', 'main', 'fp32', { storeRoot: cacheDir, allowNetwork: true });
    assert.ok(server.requests.some((r) => r.endsWith('/onnx/model.onnx')));
    assert.ok(!server.requests.some((r) => r.endsWith('model_quantized.onnx')));
    assert.equal(fs.statSync(path.join(folder, 'onnx/model.onnx')).size, fs.statSync(path.join(testModels().tiny, 'onnx/model.onnx')).size);
    server.reset();
    await ensureHubModel('test-org/tiny-bert', 'main', 'q8', { storeRoot: cacheDir, allowNetwork: true });
    assert.deepEqual(server.requests, ['/test-org/tiny-bert/resolve/main/onnx/model_quantized.onnx']);

    // A stored file damaged on disk (same size) is not trusted: fetched again, or refused offline.
    const stored = path.join(folder, 'onnx/model.onnx');
    const bytes = fs.readFileSync(stored);
    bytes[200] = (bytes[200] ?? 0) ^ 0xff;
    fs.writeFileSync(stored, bytes);
    await assert.rejects(ensureHubModel('test-org/tiny-bert', 'main', 'fp32', { storeRoot: cacheDir, allowNetwork: false }),
      /is not fully downloaded \(missing or damaged: onnx\/model\.onnx\)/);
    server.reset();
    await ensureHubModel('test-org/tiny-bert', 'main', 'fp32', { storeRoot: cacheDir, allowNetwork: true });
    assert.deepEqual(server.requests, ['/test-org/tiny-bert/resolve/main/onnx/model.onnx']);
    assert.ok(fs.readFileSync(stored).equals(fs.readFileSync(path.join(testModels().tiny, 'onnx/model.onnx'))));
  });

  it('says the model is unknown on a 404, and a bad revision likewise', async () => {
    await assert.rejects(ensureHubModel('test-org/missing', 'main', 'q8', { storeRoot: cacheDir, allowNetwork: true }),
      (err: unknown) => err instanceof DriftError && err.code === 'model' && /^Model test-org\/missing was not found \(404\) at 127\.0\.0\.1:\d+; check the model id and revision\.$/.test(err.message));
    await assert.rejects(ensureHubModel('test-org/tiny-bert', 'v9', 'q8', { storeRoot: cacheDir, allowNetwork: true }),
      /check the model id and revision/);
    // Neither failed download left a model folder behind (an empty one would look like a model).
    assert.equal(fs.existsSync(path.join(cacheDir, hubFolderName('test-org/missing', 'main'))), false);
    assert.equal(fs.existsSync(path.join(cacheDir, hubFolderName('test-org/tiny-bert', 'v9'))), false);
  });

  it('retries a truncated download once, and names the file when it stays truncated', async () => {
    const folder = await ensureHubModel('test-org/truncated-once', 'main', 'q8', { storeRoot: cacheDir, allowNetwork: true });
    assert.equal(server.requests.filter((r) => r.endsWith('model_quantized.onnx')).length, 2);
    assert.deepEqual(fs.readFileSync(path.join(folder, 'onnx/model_quantized.onnx')),
      fs.readFileSync(path.join(testModels().tiny, 'onnx/model_quantized.onnx')));
    await assert.rejects(ensureHubModel('test-org/truncated-always', 'main', 'q8', { storeRoot: cacheDir, allowNetwork: true }),
      (err: unknown) => err instanceof DriftError && err.code === 'model' &&
        /test-org\/truncated-always: the download of onnx\/model_quantized\.onnx was incomplete or corrupt twice/.test(err.message));
    const stored = path.join(cacheDir, hubFolderName('test-org/truncated-always', 'main'), 'onnx');
    assert.deepEqual(fs.readdirSync(stored), [], 'no partial file is left');
  });

  it('detects a corrupt transfer by the sha256 ETag, retries once, then names the file', async () => {
    await assert.rejects(ensureHubModel('test-org/corrupt', 'main', 'q8', { storeRoot: cacheDir, allowNetwork: true }),
      (err: unknown) => err instanceof DriftError && err.code === 'model' &&
        /test-org\/corrupt: the download of onnx\/model_quantized\.onnx was incomplete or corrupt twice \(its sha256 does not match/.test(err.message));
    assert.equal(server.requests.filter((r) => r.endsWith('model_quantized.onnx')).length, 2);
  });

  it('drops a downloaded ONNX file that does not load, so the next run fetches it again', async () => {
    await assert.rejects(createEmbedder(hubSpec('test-org/garbage-once'), { cacheDir, allowNetwork: true, workers: 1 }),
      (err: unknown) => err instanceof DriftError && err.code === 'model' &&
        /model_quantized\.onnx is not a loadable ONNX graph .*The file is downloaded again on the next run\.$/.test(err.message));
    const before = server.requests.length;
    const e = await createEmbedder(hubSpec('test-org/garbage-once'), { cacheDir, allowNetwork: true, workers: 1 });
    await e.dispose();
    assert.deepEqual(server.requests.slice(before), ['/test-org/garbage-once/resolve/main/onnx/model_quantized.onnx']);
  });

  it('cancels a slow download promptly and leaves no partial file', async () => {
    const ac = new AbortController();
    let abortedAt = 0;
    const pending = ensureHubModel('test-org/slow', 'main', 'q8', {
      storeRoot: cacheDir, allowNetwork: true, signal: ac.signal,
      onProgress: (p) => { if (p.message?.includes('.onnx') && p.done > 0 && !abortedAt) { abortedAt = Date.now(); ac.abort(); } },
    });
    // The server never sends the rest: only the abort can end this call.
    await assert.rejects(pending, (err: unknown) => err instanceof DriftError && err.code === 'cancelled');
    assert.ok(abortedAt > 0);
    const stored = path.join(cacheDir, hubFolderName('test-org/slow', 'main'), 'onnx');
    assert.deepEqual(fs.readdirSync(stored), []);
  });

  it('refuses to download with the network off, and refuses ids that could escape the store', async () => {
    await assert.rejects(createEmbedder(hubSpec('test-org/tiny-bert'), { cacheDir, allowNetwork: false }),
      /Model test-org\/tiny-bert \(main\) is not fully downloaded .*network access is off/);
    for (const id of ['../../etc', 'a/../../b', '/abs/path', 'a/b/c']) {
      await assert.rejects(ensureHubModel(id, 'main', 'q8', { storeRoot: cacheDir, allowNetwork: true }), /is not a valid Hugging Face model id/);
    }
    await assert.rejects(ensureHubModel('a/b', '../x', 'q8', { storeRoot: cacheDir, allowNetwork: true }), /revision "\.\.\/x" is not a valid branch/);
    assert.deepEqual(server.requests, []);
  });
});
