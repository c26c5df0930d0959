// The session worker (dist/session-worker.js) driven through SessionClient, as the extension does:
// the report it relays is the report compare() makes in-process, it is written to disk byte for
// byte, the playground searches the worker's session, cancel and a crashed worker end in clear
// errors and the next run still works, and the core's secret requests reach the host.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { defaultConfig } from '../../../src/core/config';
import type { DriftConfig } from '../../../src/core/config/types';
import { compare } from '../../../src/core/pipeline/compare';
import type { Report } from '../../../src/core/report/types';
import { DriftError, isAbortError, type ProgressEvent } from '../../../src/core/types';
import { ProgressTracker } from '../../../src/extension/progress-text';
import { SessionClient, type RunParameters } from '../../../src/session/client';
import { decodeReport } from '../../../src/shared/protocol';
import { writeTree } from '../../support/files';

const ROOT = path.resolve(__dirname, '../../..');
const SCRIPT = path.join(ROOT, 'dist', 'session-worker.js');

const DOCS: Record<string, string> = {
  'guide/install.md': '# Install\n\nRun npm install to fetch the dependencies. Node 20 or newer is required.\n\n## Offline\n\nThe built-in embedder needs no download, so a first run works without a network.\n',
  'guide/search.md': '# Search\n\nThe vector index answers nearest neighbor queries. HNSW trades a little recall for speed.\n\n## Exact search\n\nExact top-k is a blocked matrix product; it is the reference for recall.\n',
  'notes/faq.md': '# FAQ\n\n## Why do neighbors change?\n\nA different chunker cuts the text elsewhere, so each chunk carries other words.\n\n## What is churn?\n\nThe share of chunks that lose more than half of their nearest neighbors.\n',
};

/** The parts of a report that differ between two runs of the same inputs by design. */
function stable(r: Report): unknown {
  return { ...r, createdAt: '', timings: {}, reuse: undefined, tool: { ...r.tool, version: '' } };
}

describe('session worker (dist/session-worker.js through SessionClient)', function () {
  this.timeout(120_000);
  let dir: string;
  let config: DriftConfig;
  let client: SessionClient;
  const logs: string[] = [];
  const secretsAsked: string[] = [];

  const params = (over: Partial<RunParameters> = {}): RunParameters => ({
    against: 'configurations', config, allowNetwork: false,
    cacheDir: path.join(dir, 'cache'), baselineDir: path.join(dir, 'baseline'),
    reportFile: path.join(dir, 'state', 'last-report.json'),
    ...over,
  });

  before(function () {
    if (!fs.existsSync(SCRIPT)) throw new Error(`${SCRIPT} is missing: run \`npm run build\` before the unit tests.`);
  });
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-session-'));
    await writeTree(path.join(dir, 'corpus'), DOCS);
    config = defaultConfig(path.join(dir, 'corpus'));
    config.k = 3;
    config.a.chunker = { type: 'recursive', size: 120, overlap: 20, unit: 'chars' };
    config.b.chunker = { type: 'markdown', size: 80, overlap: 10, unit: 'chars' };
    logs.length = 0;
    secretsAsked.length = 0;
    client = new SessionClient(SCRIPT, {
      log: (level, m) => logs.push(`${level} ${m}`),
      getSecret: async (name) => { secretsAsked.push(name); return name === 'TEST_KEY' ? 'sk-test-123' : undefined; },
    });
  });
  afterEach(async () => {
    await client.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('relays the report compare() makes in-process, writes the same bytes to disk, and names its roots', async () => {
    const events: string[] = [];
    const { done } = client.run(params(), (e) => events.push(e.stage));
    const result = await done;
    const shown = decodeReport(result.report);
    assert.notEqual(typeof shown, 'string', String(shown));
    const inProcess = await compare(config, { cacheDir: path.join(dir, 'cache-in-process'), allowNetwork: false });
    await inProcess.dispose();
    assert.deepEqual(stable(shown as Report), stable(inProcess.report));
    assert.deepEqual(new Uint8Array(fs.readFileSync(path.join(dir, 'state', 'last-report.json'))), result.report);
    assert.deepEqual(result.summary.labels, { a: 'A', b: 'B' });
    assert.deepEqual(result.summary.corpusRoots, [path.join(dir, 'corpus')]);
    assert.deepEqual(result.summary.chunks, { a: inProcess.report.chunks.a, b: inProcess.report.chunks.b });
    assert.equal(result.summary.baseline, undefined, 'no baseline stored yet');
    // Progress crossed the thread: every stage the run went through, in order of first appearance.
    assert.ok(events.includes('walk') && events.includes('embed') && events.includes('metrics'), events.join(','));
  });

  it('a real run\'s progress, added up as the notification adds it, ends at 100 once report.json is written', async () => {
    const events: ProgressEvent[] = [];
    const { done } = client.run(params(), (e) => events.push(e));
    await done;
    const tracker = new ProgressTracker(() => 0);
    let bar = 0;
    for (const e of events) bar += tracker.update(e).increment;
    assert.equal(bar, 100, events.map((e) => `${e.stage}${e.side ?? ''} ${e.done}/${e.total}`).join(', '));
    assert.deepEqual(events.at(-1), { stage: 'report', done: 1, total: 1, message: 'last-report.json' });
  });

  it('runs stay warm: after a saved edit the report is a one-off run\'s on the edited corpus, and one line says what changed', async () => {
    const first = await client.run(params(), () => undefined).done;
    assert.match(first.summary.change ?? '', /^first run: \d+ chunks under A, \d+ chunks under B, \d+ chunks embedded, churn (\d+%|not measured)$/);
    fs.appendFileSync(path.join(dir, 'corpus', 'guide', 'search.md'), '\n## Filters\n\nA metadata filter narrows the candidates before the vector search ranks them.\n');
    const second = await client.run(params(), () => undefined).done;
    const warm = decodeReport(second.report) as Report;
    const oneOff = await compare(config, { cacheDir: path.join(dir, 'cache-one-off'), allowNetwork: false });
    await oneOff.dispose();
    assert.deepEqual(stable(warm), stable(oneOff.report));
    // Only the edited file's chunks were embedded again; the other files' came from the session.
    assert.ok(warm.reuse && Object.keys(warm.reuse.reused).length > 0, JSON.stringify(warm.reuse));
    assert.match(second.summary.change ?? '', /^1 file changed, [1-9]\d* chunks? re-embedded, churn (\d+% -> \d+%|\d+% \(unchanged\)|not measured.*)$/);
  });

  it('the playground searches the worker\'s session: a chunk\'s own text finds that chunk first under A', async () => {
    await assert.rejects(client.search('anything', 3), (err: Error) => err instanceof DriftError && /Run the comparison/.test(err.message));
    const result = await client.run(params(), () => undefined).done;
    const report = decodeReport(result.report) as Report;
    const target = report.chunkTable.a.find((c) => c.end - c.start > 60)!;
    const hits = await client.search(target.text, 2);
    assert.equal(hits.a[0]?.chunk, report.chunkTable.a.indexOf(target));
    assert.equal(hits.a.length, 2);
    assert.equal(hits.b.length, 2);
  });

  it('a cancelled run rejects as cancelled and the next run completes; saveBaseline then stores the report beside the baseline', async () => {
    const first = client.run(params(), () => undefined);
    client.cancel(first.id);
    await assert.rejects(first.done, (err: Error) => isAbortError(err));
    await assert.rejects(client.saveBaseline(path.join(dir, 'baseline')), /in this window first/);
    const second = await client.run(params(), () => undefined).done;
    await client.saveBaseline(path.join(dir, 'baseline'));
    // The baseline folder keeps the report of the run it was saved from (written once, with side A).
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'baseline', 'report.json'), 'utf8')), decodeReport(second.report));
    assert.ok(fs.existsSync(path.join(dir, 'baseline', 'baseline.json')));
    // With a stored baseline report the next run's summary carries the headline deltas (none moved: same inputs).
    const third = await client.run(params(), () => undefined).done;
    assert.deepEqual(third.summary.baseline, { createdAt: (decodeReport(second.report) as Report).createdAt, deltas: [] });
    // Only like with like: another chunker for B is not compared with that baseline, and says why.
    const otherChunker = { ...config, b: { ...config.b, chunker: { ...config.b.chunker, size: 60 } } };
    const fourth = await client.run(params({ config: otherChunker }), () => undefined).done;
    assert.ok(fourth.summary.baseline && 'notComparable' in fourth.summary.baseline, JSON.stringify(fourth.summary.baseline));
    assert.match(fourth.summary.baseline.notComparable, /^B's chunker changed \(markdown 80\/10 chars -> markdown 60\/10 chars\)$/);
    // A run against the baseline is the comparison with it: no "not compared with the baseline" beside it.
    const against = await client.run(params({ against: 'baseline' }), () => undefined).done;
    assert.ok((decodeReport(against.report) as Report).corpus.rootB !== undefined, 'a snapshot run');
    assert.equal(against.summary.baseline, undefined);
  });

  it('a worker that dies mid-run fails what waited with a clear error; the next request starts a new worker', async () => {
    const run = client.run(params(), () => undefined);
    // The fault itself (a thread that ends under a run) is caused for real, not mocked.
    await (client as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await assert.rejects(run.done, /The comparison worker stopped \(exit code \d+\); run the comparison again\./);
    assert.ok(logs.some((l) => /^error the session worker stopped/.test(l)), logs.join('\n'));
    const again = await client.run(params(), () => undefined).done;
    assert.equal(typeof decodeReport(again.report), 'object');
  });

  it('a configuration error comes back as a DriftError with its code, not a generic failure', async () => {
    const missing = { ...config, corpus: { ...config.corpus, root: path.join(dir, 'nowhere') } };
    await assert.rejects(client.run(params({ config: missing }), () => undefined).done,
      (err: Error) => err instanceof DriftError && err.code === 'corpus' && /does not exist/.test(err.message));
  });

  it('asks the host for an endpoint\'s API key by name and sends it to the endpoint', async () => {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers.authorization ?? '');
      let body = '';
      req.on('data', (d: Buffer) => { body += d.toString(); });
      req.on('end', () => {
        const inputs = (JSON.parse(body) as { input: string[] }).input;
        const data = inputs.map((text, index) => ({ index, embedding: Array.from({ length: 8 }, (_, d) => Math.cos(d + text.length / 7)) }));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
      const endpoint = {
        kind: 'endpoint' as const, endpoint: 'openai' as const, url, name: 'test-embed', apiKeyEnv: 'TEST_KEY',
        batchSize: 64, concurrency: 1, queryPrefix: '', documentPrefix: '',
      };
      const withEndpoint: DriftConfig = { ...config, b: { ...config.b, model: endpoint } };
      await client.run(params({ config: withEndpoint, allowNetwork: true }), () => undefined).done;
      assert.ok(secretsAsked.includes('TEST_KEY'), secretsAsked.join(','));
      assert.ok(seen.length > 0 && seen.every((h) => h === 'Bearer sk-test-123'), seen.join(','));
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
