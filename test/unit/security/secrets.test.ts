// A canary API key used through a whole run against a loopback OpenAI-compatible endpoint: it is
// sent in the Authorization header and appears in no progress message, log line, report, report
// page, cache file or error message (even when a hostile server echoes it back).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeReport } from '../../../src/cli/output';
import { parseConfig } from '../../../src/core/config';
import { createEmbedder } from '../../../src/core/embedding';
import { compare } from '../../../src/core/pipeline/compare';
import { DriftError } from '../../../src/core/types';

const CANARY = 'sk-canary-7f3a9c1e5b2d4f60a8e1c3b5d7f9a2c4';
/** Every 12-character piece of the key: a cut or partly redacted key still leaks. */
const PIECES = Array.from({ length: CANARY.length - 11 }, (_, i) => CANARY.slice(i, i + 12));

type Mode = 'ok' | 'echo-401' | 'echo-long-500';

function endpointServer() {
  let mode: Mode = 'ok';
  let authorized = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => { body += d.toString(); });
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${CANARY}`) { res.writeHead(401).end('{"error":"no key"}'); return; }
      authorized++;
      if (mode === 'echo-401') { res.writeHead(401).end(`{"error":"Incorrect API key provided: ${CANARY}"}`); return; }
      if (mode === 'echo-long-500') { res.writeHead(500).end(`${'x'.repeat(180)}${CANARY} was rejected`); return; }
      const inputs = (JSON.parse(body) as { input: string[] }).input;
      // A deterministic 16-d vector per text, from its characters.
      const data = inputs.map((text, index) => ({ index, embedding: Array.from({ length: 16 }, (_, d) => Math.sin(d + [...text].reduce((s, c) => s + c.charCodeAt(0), 0) / 97)) }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
    });
  });
  return {
    get authorized() { return authorized; },
    setMode(m: Mode) { mode = m; },
    start: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`))),
    stop: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function assertNoCanary(where: string, text: string): void {
  for (const piece of PIECES) assert.ok(!text.includes(piece), `${where} holds the API key (${piece.slice(0, 8)}...)`);
}

function filesBelow(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesBelow(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('security: an API key never leaks', function () {
  this.timeout(120_000);
  const server = endpointServer();
  let base: string;
  let url: string;
  before(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-secret-'));
    url = await server.start();
    fs.mkdirSync(path.join(base, 'corpus'));
    for (let i = 0; i < 12; i++) fs.writeFileSync(path.join(base, 'corpus', `doc${i}.md`), `# Doc ${i}\n\nVectors and anchors, part ${i}.\n`);
    fs.writeFileSync(path.join(base, 'embedding-drift.json'), JSON.stringify({
      corpus: { root: 'corpus', include: ['**/*.md'] },
      a: { model: { endpoint: 'openai', url, name: 'canary-model', apiKeyEnv: 'DRIFT_CANARY_KEY', tokenizer: 'words' }, chunker: { type: 'fixed', size: 40, overlap: 0 } },
      b: { model: 'builtin:lexical', chunker: { type: 'fixed', size: 40, overlap: 0 } },
    }));
  });
  after(async () => {
    await server.stop();
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('a whole run: the key is only in the Authorization header', async () => {
    server.setMode('ok');
    const config = parseConfig(fs.readFileSync(path.join(base, 'embedding-drift.json'), 'utf8'), path.join(base, 'embedding-drift.json'));
    const progress: string[] = [];
    const logged: string[] = [];
    const saved = { log: console.log, warn: console.warn, error: console.error, info: console.info };
    for (const k of ['log', 'warn', 'error', 'info'] as const) console[k] = (...args: unknown[]) => { logged.push(args.map(String).join(' ')); };
    let session;
    try {
      session = await compare(config, {
        cacheDir: path.join(base, 'cache'), allowNetwork: true, workers: 1,
        getSecret: async (name) => (name === 'DRIFT_CANARY_KEY' ? CANARY : undefined),
        onProgress: (e) => progress.push(JSON.stringify(e)),
      });
    } finally {
      Object.assign(console, saved);
    }
    try {
      assert.ok(server.authorized > 0, 'the endpoint was called with the key');
      assertNoCanary('progress', progress.join('\n'));
      assertNoCanary('console', logged.join('\n'));
      assertNoCanary('report', JSON.stringify(session.report));
      const written = await writeReport(session.report, path.join(base, 'out'));
      assertNoCanary('report.json', fs.readFileSync(written.json, 'utf8'));
      assertNoCanary('report.html', fs.readFileSync(written.html, 'utf8'));
      const cached = filesBelow(path.join(base, 'cache'));
      assert.ok(cached.length > 0);
      for (const file of cached) assertNoCanary(file, fs.readFileSync(file).toString('latin1'));
    } finally {
      await session.dispose();
    }
  });

  it('error messages redact a key the server echoes back, wherever it sits in the body', async () => {
    for (const mode of ['echo-401', 'echo-long-500'] as const) {
      server.setMode(mode);
      // The endpoint may be probed when the embedder is created, or first called on embed: either way.
      const err = await (async () => {
        const embedder = await createEmbedder({ kind: 'endpoint', endpoint: 'openai', url, name: 'canary-model', apiKeyEnv: 'DRIFT_CANARY_KEY', batchSize: 8, concurrency: 1, queryPrefix: '', documentPrefix: '' },
          { cacheDir: path.join(base, 'cache'), allowNetwork: true, getSecret: async () => CANARY });
        try {
          await embedder.embed(['hello'], { kind: 'document' });
        } finally {
          await embedder.dispose();
        }
      })().then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof DriftError, `${mode}: ${String(err)}`);
      assertNoCanary(`${mode} message`, err.message);
      assertNoCanary(`${mode} stack`, err.stack ?? '');
    }
  });

  it('the CLI prints no key on stdout or stderr, run or failure', async function () {
    const cli = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');
    if (!fs.existsSync(cli)) this.skip();
    for (const mode of ['ok', 'echo-401'] as const) {
      server.setMode(mode);
      const result = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [cli, 'compare', '--config', path.join(base, 'embedding-drift.json'), '--cache-dir', path.join(base, 'cli-cache'), '--out', path.join(base, 'cli-out'), '--json', '--debug'],
          { env: { ...process.env, DRIFT_CANARY_KEY: CANARY } });
        let out = '';
        child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
        child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
        child.on('close', (code) => resolve({ code, out }));
      });
      assert.equal(result.code, mode === 'ok' ? 0 : 2, result.out);
      assertNoCanary(`CLI output (${mode})`, result.out);
    }
  });
});
