// Cancellation at every stage of compare() (walking, chunking, downloading, embedding, searching,
// metrics/report): the run ends with a cancelled error, starts no later stage after the abort, and leaves no worker thread,
// timer or file handle behind. The model is a real ONNX model (worker threads) downloaded from a
// loopback server in the Hub's layout, so every kind of resource is in play.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateTinyBert } from '../../scripts/make-models';
import { parseConfig } from '../../src/core/config';
import { compare } from '../../src/core/pipeline/compare';
import { isAbortError, type Stage } from '../../src/core/types';

const STAGES: Stage[] = ['walk', 'chunk', 'download', 'embed', 'index', 'metrics'];
/**
 * A hang fails this bound; speed does not (two loaded cores can stall any process for seconds). What
 * must hold is order: once aborted, no later stage starts. Measured on a quiet machine: under 200 ms.
 */
const BOUND_MS = 10_000;
/** How long what a cancelled run started may take to wind down by itself (worker exit, keep-alive timeout). */
const LEFTOVER_GRACE_MS = 15_000;

/** What the process holds: timers and other libuv handles, open file descriptors, OS threads. */
function resources(): { handles: Record<string, number>; fds: number; threads: number } {
  const handles: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) handles[r] = (handles[r] ?? 0) + 1;
  return { handles, fds: fs.readdirSync('/proc/self/fd').length, threads: fs.readdirSync('/proc/self/task').length };
}

/** Serves `modelDir` in the Hub's URL layout; `slow` trickles the ONNX file so a download is in progress long enough to cancel. */
function hubServer(modelDir: string) {
  let slow = false;
  const server = http.createServer((req, res) => {
    const m = /^\/[^/]+\/[^/]+\/resolve\/[^/]+\/(.+)$/.exec(decodeURIComponent(req.url ?? ''));
    const file = m ? path.join(modelDir, m[1]!) : '';
    if (!m || !fs.existsSync(file)) { res.writeHead(404).end(); return; }
    const body = fs.readFileSync(file);
    res.writeHead(200, { 'content-length': body.length });
    if (!slow || !file.endsWith('.onnx')) { res.end(body); return; }
    let sent = 0;
    const timer = setInterval(() => {
      if (res.destroyed) { clearInterval(timer); return; }
      res.write(body.subarray(sent, sent + 16_384));
      sent += 16_384;
      if (sent >= body.length) { clearInterval(timer); res.end(); }
    }, 50);
    res.on('close', () => clearInterval(timer));
  });
  return {
    setSlow(value: boolean) { slow = value; },
    start: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`))),
    stop: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('faults: cancellation at every stage', function () {
  this.timeout(300_000);
  let base: string;
  let server: ReturnType<typeof hubServer>;
  let env: { remoteHost: string };
  let savedHost: string;
  let config: ReturnType<typeof parseConfig>;

  before(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-cancel-'));
    generateTinyBert(path.join(base, 'model'), { seed: 3 });
    const corpus = path.join(base, 'corpus');
    fs.mkdirSync(corpus);
    for (let i = 0; i < 120; i++) fs.writeFileSync(path.join(corpus, `doc${i}.md`), `# Doc ${i}\n\n${'retrieval vectors drift anchors '.repeat(20 + (i % 7))}\n`);
    config = parseConfig(JSON.stringify({
      corpus: { root: 'corpus', include: ['**/*.md'] },
      search: { method: 'exact' },
      a: { model: { id: 'test-org/tiny-bert', dtype: 'q8', backend: 'wasm' }, chunker: { type: 'recursive', size: 200, overlap: 20 } },
      b: { model: 'builtin:lexical', chunker: { type: 'fixed', size: 150, overlap: 0 } },
    }), path.join(base, 'embedding-drift.json'));
    server = hubServer(path.join(base, 'model'));
    env = (await import('@huggingface/transformers')).env as unknown as { remoteHost: string };
    savedHost = env.remoteHost;
    env.remoteHost = await server.start();
    // A whole run first: it downloads the model into the shared cache and starts every lazy pool
    // (libuv threads, WASM), so what a cancelled run leaves behind shows against this baseline.
    const session = await compare(config, { cacheDir: path.join(base, 'cache'), allowNetwork: true, workers: 2 });
    await session.dispose();
  });
  after(async () => {
    env.remoteHost = savedHost;
    await server.stop();
    fs.rmSync(base, { recursive: true, force: true });
  });

  for (const stage of STAGES) {
    it(`${stage}: stops within ${BOUND_MS} ms and leaves nothing running`, async () => {
      // Downloading needs an empty model store and a slow server; the other stages reuse the model.
      const cacheDir = stage === 'download' ? fs.mkdtempSync(path.join(base, 'fresh-')) : path.join(base, 'cache');
      const fresh = stage === 'embed' ? fs.mkdtempSync(path.join(base, 'embed-')) : undefined;
      if (fresh) fs.cpSync(path.join(base, 'cache', 'models'), path.join(fresh, 'models'), { recursive: true });
      server.setSlow(stage === 'download');
      await settle();
      const before = resources();
      const controller = new AbortController();
      let abortedAt = 0;
      const laterStages = new Set<string>();
      const started = compare(config, {
        cacheDir: fresh ?? cacheDir, allowNetwork: true, workers: 2, signal: controller.signal,
        onProgress: (e) => {
          if (abortedAt > 0 && STAGES.indexOf(e.stage) > STAGES.indexOf(stage)) laterStages.add(e.stage);
          if (e.stage === stage && abortedAt === 0 && (e.done > 0 || stage === 'walk' || stage === 'download')) {
            abortedAt = Date.now();
            controller.abort();
          }
        },
      });
      let error: unknown;
      try {
        const session = await started;
        await session.dispose();
      } catch (err) {
        error = err;
      }
      const elapsed = Date.now() - abortedAt;
      assert.ok(abortedAt > 0, `the run reported progress in stage ${stage}`);
      assert.ok(isAbortError(error), `expected a cancellation, got ${String(error)}`);
      assert.deepEqual([...laterStages], [], 'stages that started after the abort');
      assert.ok(elapsed < BOUND_MS, `stopped ${elapsed} ms after the abort`);
      // What the run started goes away on its own: a worker still compiling ORT's WASM takes a few
      // seconds to exit, an idle keep-alive socket closes after its timeout. A leak never does.
      const leftovers = () => {
        const after = resources();
        const extra = Object.entries(after.handles).filter(([kind, count]) => count > (before.handles[kind] ?? 0)).map(([kind, count]) => `${kind} ${before.handles[kind] ?? 0}->${count}`);
        if (after.fds > before.fds) extra.push(`file descriptors ${before.fds}->${after.fds}`);
        if (after.threads > before.threads) extra.push(`threads ${before.threads}->${after.threads}`);
        return extra;
      };
      for (let waited = 0; leftovers().length > 0 && waited < LEFTOVER_GRACE_MS; waited += 250) await new Promise((r) => setTimeout(r, 250));
      assert.deepEqual(leftovers(), [], 'resources the cancelled run left behind');
    });
  }
});
