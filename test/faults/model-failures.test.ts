// Broken models, built with the project's own generator (scripts/make-models.ts) in a temp folder and
// run through the real CLI: missing files, a corrupt ONNX file, a tokenizer that does not match the
// model, a wrong output dimension and NaN outputs each end in one line that names the model and the
// problem, exit code 2, no stack trace.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { bertWeights, buildBertGraph, generateTinyBert, TINY_BERT } from '../../scripts/make-models';
import { spawnCli } from './support/cli';

interface Case {
  name: string;
  /** Breaks a fresh copy of the tiny model in `dir`; returns the configuration's model entry. */
  model: (dir: string, endpointUrl: string) => unknown;
  message: RegExp;
}

const CASES: Case[] = [
  {
    name: 'missing tokenizer.json',
    model: (dir) => { fs.rmSync(path.join(dir, 'tokenizer.json')); return { path: dir, dtype: 'fp32' }; },
    message: /no tokenizer\.json in /,
  },
  {
    name: 'missing ONNX file',
    model: (dir) => { fs.rmSync(path.join(dir, 'onnx', 'model.onnx')); return { path: dir, dtype: 'fp32' }; },
    message: /no onnx\/model\.onnx for dtype fp32/,
  },
  {
    name: 'corrupt ONNX file',
    model: (dir) => {
      const file = path.join(dir, 'onnx', 'model.onnx');
      fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 4000));
      return { path: dir, dtype: 'fp32' };
    },
    message: /not a loadable ONNX graph/,
  },
  {
    name: 'tokenizer that does not match the model (ids beyond its embedding table)',
    model: (dir) => {
      const shape = { ...TINY_BERT, layers: 1, vocabSize: 1000 };
      fs.writeFileSync(path.join(dir, 'onnx', 'model.onnx'), buildBertGraph(shape, bertWeights(shape, 5), false));
      return { path: dir, dtype: 'fp32' };
    },
    message: /token id \d+, but the ONNX graph's vocabulary has 1000 entries; tokenizer\.json does not match the model/,
  },
  {
    name: 'NaN outputs',
    model: (dir) => {
      const shape = { ...TINY_BERT, layers: 1 };
      const weights = bertWeights(shape, 5);
      weights.get('layer0.ffn_ln.gamma')!.data[3] = NaN;
      fs.writeFileSync(path.join(dir, 'onnx', 'model.onnx'), buildBertGraph(shape, weights, false));
      return { path: dir, dtype: 'fp32' };
    },
    message: /produced NaN values/,
  },
  {
    name: 'wrong output dimension (endpoint asked for 32, answers 16)',
    model: (_dir, url) => ({ endpoint: 'openai', url, name: 'dim-model', dimensions: 32, tokenizer: 'words' }),
    message: /dimension 16, expected 32/,
  },
];

describe('faults: broken models end in one clear line', function () {
  this.timeout(300_000);
  let base: string;
  let server: http.Server;
  let url: string;
  before(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-badmodels-'));
    generateTinyBert(path.join(base, 'good'), { seed: 5, quantized: false });
    fs.mkdirSync(path.join(base, 'corpus'));
    for (let i = 0; i < 6; i++) fs.writeFileSync(path.join(base, 'corpus', `doc${i}.md`), `# Doc ${i}\n\nSome words about retrieval ${i}.\n`);
    // An OpenAI-compatible endpoint whose vectors have 16 dimensions whatever was asked.
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => { body += d.toString(); });
      req.on('end', () => {
        const inputs = (JSON.parse(body) as { input: string[] }).input;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: inputs.map((_, index) => ({ index, embedding: Array.from({ length: 16 }, (_, d) => d / 16) })) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(base, { recursive: true, force: true });
  });

  for (const [index, c] of CASES.entries()) {
    it(c.name, async () => {
      // A neutral folder name, so the message is matched on what it says, not on the path.
      const dir = path.join(base, `model-${index}`);
      fs.cpSync(path.join(base, 'good'), dir, { recursive: true });
      const config = path.join(dir, 'embedding-drift.json');
      fs.writeFileSync(config, JSON.stringify({
        corpus: { root: path.join(base, 'corpus'), include: ['**/*.md'] },
        a: { model: c.model(dir, url), chunker: { type: 'fixed', size: 60, overlap: 0 } },
        b: { model: 'builtin:lexical', chunker: { type: 'fixed', size: 60, overlap: 0 } },
      }));
      const r = await spawnCli(['compare', '--config', config, '--cache-dir', path.join(dir, 'cache'), '--out', path.join(dir, 'out')]).done;
      const lines = r.stderr.split('\n').filter((l) => l.startsWith('embedding-drift:'));
      assert.equal(r.code, 2, `exit code ${r.code}; stderr: ${r.stderr}`);
      assert.equal(lines.length, 1, r.stderr);
      const line = lines[0]!;
      assert.match(line, c.message);
      assert.ok(line.includes(dir) || line.includes('dim-model'), `the message names the model: ${line}`);
      assert.ok(!/unexpected error|\n\s+at /.test(r.stderr), `a bug, not a clear message: ${r.stderr}`);
      assert.ok(!fs.existsSync(path.join(dir, 'out', 'report.json')), 'no report from a broken model');
    });
  }
});
