// Property-based fuzzing of the host <-> session worker validators (src/session/protocol.ts):
// whatever arrives on either side of the thread boundary, the validator neither throws nor accepts
// a message that breaks what the receiving side relies on.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defaultConfig } from '../../../src/core/config';
import {
  validateFromSession, validateToSession, type FromSessionMessage, type ToSessionMessage,
} from '../../../src/session/protocol';

const RUNS = 5_000;
const SEED = 0x5e55;
const TO_TYPES = ['run', 'cancel', 'search', 'tokenize', 'saveBaseline', 'secretResponse', 'shutdown'];
const FROM_TYPES = ['progress', 'runDone', 'failed', 'searchDone', 'tokenizeDone', 'baselineSaved', 'secretRequest', 'log'];

const nat = (x: unknown): boolean => typeof x === 'number' && Number.isInteger(x) && x >= 0;
const str = (x: unknown): x is string => typeof x === 'string';
const folder = (x: unknown): boolean => str(x) && x.length > 0 && x.length <= 4096;
const obj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** What the worker relies on in an accepted request, written from the message types. */
function toSessionKeeps(m: ToSessionMessage): boolean {
  switch (m.type) {
    case 'run':
      return nat(m.id) && (m.against === 'configurations' || m.against === 'baseline') && obj(m.config) && obj(m.config.a) && obj(m.config.b) &&
        [m.cacheDir, m.baselineDir, m.reportFile].every(folder) && typeof m.allowNetwork === 'boolean' &&
        (m.workers === undefined || (nat(m.workers) && m.workers >= 1 && m.workers <= 64));
    case 'cancel': return nat(m.id);
    case 'search': return nat(m.id) && str(m.query) && m.query.length <= 100_000 && nat(m.k) && m.k >= 1 && m.k <= 1000;
    case 'tokenize': return nat(m.id) && obj(m.config) && folder(m.cacheDir) && str(m.text) && m.text.length <= 100_000;
    case 'saveBaseline': return nat(m.id) && folder(m.baselineDir);
    case 'secretResponse': return nat(m.id) && (m.value === undefined || str(m.value));
    case 'shutdown': return true;
    default: return false;
  }
}

/** What the host relies on in an accepted message from the worker. */
function fromSessionKeeps(m: FromSessionMessage): boolean {
  switch (m.type) {
    case 'progress': return nat(m.id) && obj(m.event) && typeof m.event.done === 'number' && Number.isFinite(m.event.done);
    case 'runDone': return nat(m.id) && m.report instanceof Uint8Array && obj(m.summary) && Array.isArray(m.summary.corpusRoots) && m.summary.corpusRoots.every(folder);
    case 'failed': return nat(m.id) && str(m.error.message);
    case 'searchDone': return nat(m.id) && Array.isArray(m.a) && Array.isArray(m.b);
    case 'tokenizeDone': return nat(m.id) && m.a.pieces.length === m.a.offsets.length && m.b.pieces.length === m.b.offsets.length;
    case 'baselineSaved': return nat(m.id);
    case 'secretRequest': return nat(m.id) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(m.name) && m.name.length <= 128;
    case 'log': return (m.level === 'info' || m.level === 'error') && str(m.message);
    default: return false;
  }
}

const anyValue = fc.oneof(
  fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true }),
  fc.jsonValue(),
);
const fieldValue = fc.oneof(
  fc.string(), fc.constantFrom('', '/tmp/x', 'x'.repeat(4097), 'configurations', 'baseline', 'info', 'error', 'HF_TOKEN', 'bad name', '1X'),
  fc.integer({ min: -5, max: 2000 }), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined),
  fc.constant(new Uint8Array([123, 125])), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 2 }),
  fc.constant(defaultConfig('/tmp/corpus')),
  fc.constant({ labels: { a: 'A', b: 'B' }, corpusRoots: ['/tmp/c'], chunks: { a: 1, b: 2 }, createdAt: 'now' }),
  fc.constant({ stage: 'embed', done: 1, total: 2 }), fc.constant({ message: 'boom', code: 'config' }), fc.constant({ message: 'x', code: 'nope' }),
);
const nearTo = fc.record({
  type: fc.constantFrom(...TO_TYPES, 'Run', '__proto__'), id: fieldValue, against: fieldValue, config: fieldValue, cacheDir: fieldValue,
  baselineDir: fieldValue, reportFile: fieldValue, allowNetwork: fieldValue, workers: fieldValue,
  toolVersion: fieldValue, query: fieldValue, k: fieldValue, text: fieldValue, value: fieldValue,
}, { requiredKeys: ['type'] });
const nearFrom = fc.record({
  type: fc.constantFrom(...FROM_TYPES, 'Log', 'constructor'), id: fieldValue, event: fieldValue, report: fieldValue, summary: fieldValue,
  error: fieldValue, a: fieldValue, b: fieldValue, name: fieldValue, level: fieldValue, message: fieldValue,
}, { requiredKeys: ['type'] });

describe('fuzz: host <-> session worker validators', () => {
  it('validateToSession never throws and accepts only requests the worker can rely on', () => {
    fc.assert(fc.property(fc.oneof(anyValue, nearTo), (x) => {
      const logs: string[] = [];
      const m = validateToSession(x, (l) => logs.push(l));
      if (m === undefined) {
        assert.equal(logs.length, 1);
        assert.match(logs[0]!, /^Dropped a message from the extension host: [^\n]+\.$/);
        assert.ok(logs[0]!.length < 200);
      } else {
        assert.deepEqual(logs, []);
        assert.equal(m, x);
        assert.ok(toSessionKeeps(m), `accepted ${JSON.stringify(x)?.slice(0, 300)}`);
      }
    }), { numRuns: RUNS, seed: SEED });
  });

  it('validateFromSession never throws and accepts only messages the host can rely on', () => {
    fc.assert(fc.property(fc.oneof(anyValue, nearFrom), (x) => {
      const logs: string[] = [];
      const m = validateFromSession(x, (l) => logs.push(l));
      if (m === undefined) {
        assert.equal(logs.length, 1);
        assert.match(logs[0]!, /^Dropped a message from the session worker: [^\n]+\.$/);
        assert.ok(logs[0]!.length < 200);
      } else {
        assert.deepEqual(logs, []);
        assert.equal(m, x);
        assert.ok(fromSessionKeeps(m), `accepted ${JSON.stringify(x)?.slice(0, 300)}`);
      }
    }), { numRuns: RUNS, seed: SEED + 1 });
  });

  it('accepts the messages each side really sends', () => {
    const config = defaultConfig('/tmp/corpus');
    const to: unknown[] = [
      { type: 'run', id: 1, against: 'configurations', config, cacheDir: '/c', baselineDir: '/b', reportFile: '/s/r.json', allowNetwork: false },
      { type: 'run', id: 2, against: 'baseline', config, cacheDir: '/c', baselineDir: '/b', reportFile: '/s/r.json', allowNetwork: true, workers: 2, toolVersion: '0.1.0' },
      { type: 'cancel', id: 1 }, { type: 'search', id: 3, query: 'q', k: 10 },
      { type: 'tokenize', id: 4, config, cacheDir: '/c', allowNetwork: false, text: 'hello' },
      { type: 'saveBaseline', id: 5, baselineDir: '/b' },
      { type: 'secretResponse', id: 6 }, { type: 'secretResponse', id: 7, value: 'sk-1' }, { type: 'shutdown' },
    ];
    for (const m of to) assert.equal(validateToSession(m, assert.fail), m);
    const enc = { tokenizer: 't', pieces: ['a'], offsets: [[0, 1]], unknown: [false] };
    const from: unknown[] = [
      { type: 'progress', id: 1, event: { stage: 'embed', side: 'b', done: 3, total: 9 } },
      { type: 'runDone', id: 1, report: new Uint8Array([123, 125]), summary: { labels: { a: 'A', b: 'B' }, corpusRoots: ['/w'], chunks: { a: 1, b: 2 }, createdAt: 't', baseline: { createdAt: 't0', deltas: ['x 1 -> 2 (+1)'] }, change: '1 file changed' } },
      { type: 'failed', id: 2, error: { message: 'Cancelled.', code: 'cancelled' } }, { type: 'failed', id: 2, error: { message: 'x', stack: 'Error: x\n at y' } },
      { type: 'searchDone', id: 3, a: [{ chunk: 0, file: 'f', start: 0, end: 3, score: 0.5 }], b: [] },
      { type: 'tokenizeDone', id: 4, a: enc, b: enc }, { type: 'baselineSaved', id: 5 },
      { type: 'secretRequest', id: 1, name: 'OPENAI_API_KEY' }, { type: 'log', level: 'info', message: 'hi' },
    ];
    for (const m of from) assert.equal(validateFromSession(m, assert.fail), m);
  });
});
