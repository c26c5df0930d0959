// Restricted Mode: what a configuration may not do in an untrusted workspace.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { defaultConfig } from '../../../src/core/config';
import type { DriftConfig, ModelSpec } from '../../../src/core/config/types';
import { DriftError } from '../../../src/core/types';
import { enforceTrust, untrustedIssues } from '../../../src/extension/trust';

const ws = path.resolve('/work/space');
const onnx = { dtype: 'q8', pooling: 'mean', normalize: true, queryPrefix: '', documentPrefix: '', backend: 'auto' } as const;

function config(change: (c: DriftConfig) => void): DriftConfig {
  const c = defaultConfig(ws);
  c.configPath = path.join(ws, 'embedding-drift.json');
  change(c);
  return c;
}

describe('extension trust rules', () => {
  it('the offline default configuration is fine untrusted', () => {
    assert.deepEqual(untrustedIssues(config(() => undefined), [ws]), []);
  });

  it('names each field that points outside the workspace', () => {
    const c = config((c) => {
      c.anchors = '/home/me/anchors.jsonl';
      c.b.corpusRoot = path.resolve(ws, '../other');
      c.a.model = { kind: 'local', path: '/opt/models/mine', ...onnx };
      c.b.tokenizer = { kind: 'hf', path: '/opt/tok' };
    });
    assert.deepEqual(untrustedIssues(c, [ws]).map((i) => i.field).sort(), ['a.model.path', 'anchors', 'b.corpus', 'b.tokenizer.path']);
  });

  it('paths inside any workspace folder are allowed', () => {
    const c = config((c) => {
      c.a.model = { kind: 'local', path: path.join(ws, 'models', 'tiny'), ...onnx };
      c.anchors = path.join(ws, 'anchors.jsonl');
    });
    assert.deepEqual(untrustedIssues(c, [ws]), []);
  });

  it('a store outside the workspace or behind a URI is refused; one inside is read', () => {
    const columns = { vector: 'vector', text: 'text', id: 'id', file: 'path', start: 'start', end: 'end', model: 'model' };
    const c = config((c) => {
      c.a.store = { kind: 'lancedb', uri: 's3://bucket/prod', table: 'docs', columns, explicit: [] };
      c.b.store = { kind: 'file', path: '/data/export.parquet', format: 'parquet', columns, explicit: [] };
    });
    const issues = untrustedIssues(c, [ws]);
    assert.deepEqual(issues.map((i) => i.field), ['a.store.lancedb', 'b.store.file']);
    assert.match(issues[0]!.message, /a\.store\.lancedb is a URI \(s3:\/\/bucket\.\.\.\); an untrusted workspace opens no remote store/);
    const local = config((c) => {
      c.a.store = { kind: 'lancedb', uri: path.join(ws, '.lancedb'), table: 'docs', columns, explicit: [] };
      c.b.store = { kind: 'lancedb', uri: path.resolve(ws, '../shared/.lancedb'), table: 'docs', columns, explicit: [] };
    });
    assert.deepEqual(untrustedIssues(local, [ws]).map((i) => i.field), ['b.store.lancedb']);
  });

  it('a hosted endpoint is refused: nothing leaves the machine', () => {
    const endpoint: ModelSpec = { kind: 'endpoint', endpoint: 'openai', url: 'https://api.openai.com/v1', name: 'text-embedding-3-small', batchSize: 64, concurrency: 2, queryPrefix: '', documentPrefix: '' };
    const issues = untrustedIssues(config((c) => { c.b.model = endpoint; }), [ws]);
    assert.deepEqual(issues.map((i) => i.field), ['b.model']);
  });

  it('enforceTrust passes anything when trusted, and throws one config DriftError line when not', () => {
    const c = config((c) => { c.anchors = '/etc/anchors.jsonl'; c.a.corpusRoot = '/srv'; });
    assert.equal(enforceTrust(c, true, [ws]), c);
    assert.throws(() => enforceTrust(c, false, [ws]), (err: unknown) => {
      assert.ok(err instanceof DriftError);
      assert.equal(err.code, 'config');
      assert.ok(!err.message.includes('\n'), 'one line');
      assert.match(err.message, /embedding-drift\.json/);
      assert.match(err.message, /anchors points outside/);
      // The field as the configuration file spells it: "corpus", not the parsed corpusRoot.
      assert.match(err.message, /a\.corpus points outside/);
      return true;
    });
  });
});
