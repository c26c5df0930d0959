import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { inspect } from 'node:util';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import { createEmbedder, embedWithCache } from '../../../src/core/embedding';
import { EndpointEmbedder, endpointUrl, retryAfterMs, type EndpointSpec } from '../../../src/core/embedding/endpoint';
import { DriftError } from '../../../src/core/types';
import * as fs from 'node:fs';
import * as path from 'node:path';

const KEY = 'sk-test-SECRET-123';

/** A deterministic "model": a 4-d vector from the text's length and character sums (not unit length). */
function fakeVector(text: string): number[] {
  let s = 0;
  for (const ch of text) s += ch.codePointAt(0) ?? 0;
  return [text.length, s % 97, (s % 13) + 1, 3];
}

interface Scenario {
  /** Status codes to answer before behaving normally, e.g. [429, 500]. */
  failFirst?: number[];
  retryAfter?: string;
  malformed?: boolean;
  wrongDimension?: boolean;
  echoKeyWith401?: boolean;
}

function server(api: 'openai' | 'ollama' | 'tei') {
  const seen: Array<{ url: string; auth: string | undefined; body: any }> = [];
  let scenario: Scenario = {};
  let inFlight = 0;
  let maxInFlight = 0;
  const srv = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', () => {
      const body = JSON.parse(raw);
      seen.push({ url: req.url ?? '', auth: req.headers.authorization, body });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        const fail = scenario.failFirst?.shift();
        if (fail) {
          res.writeHead(fail, fail === 429 && scenario.retryAfter ? { 'retry-after': scenario.retryAfter } : {}).end('{"error":"busy"}');
          return;
        }
        if (scenario.echoKeyWith401) { res.writeHead(401).end(`{"error":"Incorrect API key provided: ${req.headers.authorization}"}`); return; }
        if (scenario.malformed) { res.writeHead(200).end('{"data": [ {"embedding": [1,2'); return; }
        const inputs: string[] = api === 'tei' ? body.inputs : body.input;
        const rows = inputs.map((t, i) => (scenario.wrongDimension && i === 1 ? [1, 2, 3] : fakeVector(t)));
        const payload = api === 'openai'
          // Out of order on purpose: clients must sort by index.
          ? { object: 'list', data: rows.map((embedding, index) => ({ object: 'embedding', index, embedding })).reverse() }
          : api === 'ollama' ? { model: body.model, embeddings: rows } : rows;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      }, 5);
    });
  });
  return {
    seen,
    get maxInFlight() { return maxInFlight; },
    set: (s: Scenario) => { scenario = s; seen.length = 0; maxInFlight = 0; },
    start: () => new Promise<string>((resolve) => srv.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(srv.address() as AddressInfo).port}`))),
    stop: () => new Promise<void>((resolve) => { srv.closeAllConnections(); srv.close(() => resolve()); }),
  };
}

function unit(v: number[]): number[] {
  const n = Math.sqrt(v.reduce((a, b) => a + b * b, 0));
  return v.map((x) => Math.fround(x / n));
}

const secrets = async (name: string) => (name === 'TEST_KEY' ? KEY : undefined);

for (const api of ['openai', 'ollama', 'tei'] as const) {
  describe(`hosted endpoint: ${api}`, function () {
    this.timeout(30000);
    const srv = server(api);
    let url: string;
    before(async () => { url = await srv.start(); });
    after(() => srv.stop());
    const spec = (over: Partial<EndpointSpec> = {}): EndpointSpec => ({
      kind: 'endpoint', endpoint: api, url, name: 'embed-small', apiKeyEnv: 'TEST_KEY', batchSize: 2, concurrency: 2,
      queryPrefix: 'q: ', documentPrefix: '', ...over,
    });
    const make = (over: Partial<EndpointSpec> = {}) =>
      EndpointEmbedder.create(spec(over), { allowNetwork: true, getSecret: secrets }, { retryBaseMs: 5 });

    it('embeds in batches under the concurrency limit, in input order, unit length, with the key in the header only', async () => {
      srv.set({});
      const e = await make();
      assert.equal(e.dimension, 4);
      srv.set({});
      const texts = ['alpha', 'beta gamma', 'delta', 'epsilon zeta eta', 'theta'];
      const r = await e.embed(texts, { kind: 'document' });
      assert.equal(srv.seen.length, 3);
      assert.ok(srv.maxInFlight <= 2);
      assert.deepEqual([...r.vectors], texts.flatMap((t) => unit(fakeVector(t))));
      assert.ok(srv.seen.every((s) => s.auth === `Bearer ${KEY}`));
      assert.equal(srv.seen[0]!.url, { openai: '/v1/embeddings', ollama: '/api/embed', tei: '/embed' }[api]);
      if (api !== 'tei') assert.equal(srv.seen[0]!.body.model, 'embed-small');
      assert.ok(!e.fingerprint.includes(KEY) && !JSON.stringify(e).includes(KEY) && !inspect(e).includes(KEY));
      // The query prefix is sent for queries.
      srv.set({});
      const q = await e.embed(['beta gamma'], { kind: 'query' });
      assert.deepEqual([...q.vectors], unit(fakeVector('q: beta gamma')));
    });

    it('retries 429 (honoring Retry-After) and 500, then succeeds', async () => {
      srv.set({});
      const e = await make();
      srv.set({ failFirst: [429, 500, 503], retryAfter: '0' });
      const r = await e.embed(['one'], { kind: 'document' });
      assert.equal(srv.seen.length, 4);
      assert.deepEqual([...r.vectors], unit(fakeVector('one')));
    });

    it('gives up after repeated 5xx with a one-line message', async () => {
      srv.set({});
      const e = await make();
      srv.set({ failFirst: [500, 500, 500, 500, 500, 500] });
      await assert.rejects(e.embed(['one'], { kind: 'document' }),
        (err: unknown) => err instanceof DriftError && /answered HTTP 500 5 times/.test(err.message) && !err.message.includes('\n'));
    });

    it('reports malformed JSON and a wrong vector dimension, naming the model', async () => {
      srv.set({});
      const e = await make();
      srv.set({ malformed: true });
      await assert.rejects(e.embed(['a'], { kind: 'document' }),
        (err: unknown) => err instanceof DriftError && err.code === 'model' && err.message.startsWith(`Model ${api}:embed-small returned malformed JSON`));
      srv.set({ wrongDimension: true });
      await assert.rejects(e.embed(['a', 'b'], { kind: 'document' }), /returned a vector of dimension 3, expected 4/);
    });

    it('never shows the key, even when the server echoes it', async () => {
      srv.set({ echoKeyWith401: true });
      await assert.rejects(make(), (err: unknown) => err instanceof DriftError && /HTTP 401 .*check the API key/.test(err.message) &&
        !err.message.includes(KEY) && err.message.includes('***'));
    });

    it('needs its key, and refuses to run with the network off', async () => {
      await assert.rejects(EndpointEmbedder.create(spec(), { allowNetwork: true, getSecret: async () => undefined }),
        (err: unknown) => err instanceof DriftError && err.message === `Model ${api}:embed-small: the API key TEST_KEY is not set.`);
      await assert.rejects(createEmbedder(spec(), { cacheDir: os.tmpdir(), allowNetwork: false, getSecret: secrets }), /needs network access, which is off/);
    });

    it('shares the embedding cache: a second run sends no request', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-endpoint-'));
      srv.set({});
      const e = await make();
      const texts = ['cached one', 'cached two', 'cached three'];
      const first = await embedWithCache(e, texts, dir, { kind: 'document' });
      srv.set({});
      const second = await embedWithCache(e, texts, dir, { kind: 'document' });
      assert.equal(srv.seen.length, 0);
      assert.deepEqual(second.vectors, first.vectors);
      assert.ok(!fs.readdirSync(dir, { recursive: true }).some((f) => fs.statSync(path.join(dir, String(f))).isFile() &&
        fs.readFileSync(path.join(dir, String(f))).includes(KEY)));
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });
}

describe('hosted endpoint helpers', () => {
  it('parses Retry-After as seconds or an HTTP date, capped at a minute', () => {
    assert.equal(retryAfterMs('2'), 2000);
    assert.equal(retryAfterMs('0.5'), 500);
    assert.equal(retryAfterMs('3600'), 60000);
    assert.equal(retryAfterMs('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')), 10000);
    assert.equal(retryAfterMs(null), undefined);
    assert.equal(retryAfterMs('soon'), undefined);
  });

  it('appends the API path to the configured base url', () => {
    assert.equal(endpointUrl({ endpoint: 'openai', url: 'https://api.openai.com/v1' }), 'https://api.openai.com/v1/embeddings');
    assert.equal(endpointUrl({ endpoint: 'openai', url: 'http://h:1' }), 'http://h:1/v1/embeddings');
    assert.equal(endpointUrl({ endpoint: 'openai', url: 'http://h:1/v1/embeddings' }), 'http://h:1/v1/embeddings');
    assert.equal(endpointUrl({ endpoint: 'ollama', url: 'http://localhost:11434/' }), 'http://localhost:11434/api/embed');
    assert.equal(endpointUrl({ endpoint: 'tei', url: 'http://localhost:8080' }), 'http://localhost:8080/embed');
  });
});
