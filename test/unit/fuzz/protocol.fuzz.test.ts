// Property-based fuzzing of the webview -> host message validator: whatever a (compromised) webview
// posts, the host neither throws nor accepts a message that breaks the protocol's promises.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { validateFromWebview, type FromWebviewMessage } from '../../../src/shared/protocol';

const RUNS = 10_000;
const SEED = 0x5eed;
const TYPES = ['ready', 'openLocation', 'tokenizeRequest', 'searchRequest', 'fileTextRequest', 'labelExpectedRequest', 'cancel', 'webviewError'];

/** What the protocol promises of an accepted message, written from protocol.ts's types and bounds. */
function keepsPromises(m: FromWebviewMessage): boolean {
  const nat = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 0;
  const path = (x: unknown) => typeof x === 'string' && x.length > 0 && x.length <= 4096;
  const side = (x: unknown) => x === undefined || x === 'a' || x === 'b';
  switch (m.type) {
    case 'ready': case 'cancel': return true;
    case 'openLocation': return path(m.file) && nat(m.start) && nat(m.end) && m.end >= m.start && side(m.side);
    case 'tokenizeRequest': return nat(m.id) && typeof m.text === 'string' && m.text.length <= 100_000;
    case 'searchRequest': return nat(m.id) && typeof m.query === 'string' && m.query.length <= 100_000 && nat(m.k) && m.k >= 1 && m.k <= 1000;
    case 'fileTextRequest': return nat(m.id) && path(m.file) && side(m.side);
    case 'labelExpectedRequest': return nat(m.id) && typeof m.query === 'string' && m.query.length > 0 && m.query.length <= 100_000 && (m.side === 'a' || m.side === 'b') && nat(m.chunk);
    case 'webviewError': return typeof m.message === 'string';
    default: return false;
  }
}

/** Values a hostile webview could post: any JSON-like or structured-clone value. */
const anyValue = fc.oneof(
  fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true }),
  fc.jsonValue(),
);
const fieldValue = fc.oneof(
  fc.string(), fc.constantFrom('a', 'b', 'c', '', '../etc/passwd', 'x'.repeat(4097)),
  fc.integer({ min: -5, max: 2000 }), fc.double(), fc.constantFrom(NaN, Infinity, -0, 2 ** 53, 1.5),
  fc.boolean(), fc.constant(null), fc.constant(undefined), fc.array(fc.integer(), { maxLength: 3 }), fc.object({ maxDepth: 1 }),
);
/** Objects whose type is a real message type and whose fields are random: reaches every branch. */
const nearMessage = fc.record({
  type: fc.constantFrom(...TYPES, 'openlocation', 'constructor', '__proto__', 'toString'),
  file: fieldValue, start: fieldValue, end: fieldValue, side: fieldValue, id: fieldValue,
  text: fieldValue, query: fieldValue, k: fieldValue, message: fieldValue, chunk: fieldValue,
}, { requiredKeys: ['type'] });

const nat = fc.nat({ max: 2 ** 31 });
const filePath = fc.string({ minLength: 1, maxLength: 200 });
const optSide = fc.option(fc.constantFrom('a' as const, 'b' as const), { nil: undefined });
const validMessage: fc.Arbitrary<FromWebviewMessage> = fc.oneof(
  fc.constant({ type: 'ready' as const }),
  fc.constant({ type: 'cancel' as const }),
  fc.tuple(filePath, nat, nat, optSide).map(([file, x, y, side]) => ({ type: 'openLocation' as const, file, start: Math.min(x, y), end: Math.max(x, y), ...(side ? { side } : {}) })),
  fc.record({ type: fc.constant('tokenizeRequest' as const), id: nat, text: fc.string({ maxLength: 300 }) }),
  fc.record({ type: fc.constant('searchRequest' as const), id: nat, query: fc.string({ maxLength: 300 }), k: fc.integer({ min: 1, max: 1000 }) }),
  fc.tuple(nat, filePath, optSide).map(([id, file, side]) => ({ type: 'fileTextRequest' as const, id, file, ...(side ? { side } : {}) })),
  fc.record({ type: fc.constant('labelExpectedRequest' as const), id: nat, query: fc.string({ minLength: 1, maxLength: 300 }), side: fc.constantFrom('a' as const, 'b' as const), chunk: nat }),
  fc.record({ type: fc.constant('webviewError' as const), message: fc.string() }),
);

function run(x: unknown): { result: FromWebviewMessage | undefined; logs: string[] } {
  const logs: string[] = [];
  const result = validateFromWebview(x, (m) => logs.push(m));
  return { result, logs };
}

describe('fuzz: webview message validator (validateFromWebview)', () => {
  it('never throws on any value, and either accepts a message that keeps the protocol or drops it with one log line', () => {
    fc.assert(fc.property(fc.oneof(anyValue, nearMessage), (x) => {
      const { result, logs } = run(x);
      if (result === undefined) {
        assert.equal(logs.length, 1);
        assert.match(logs[0]!, /^Dropped a message from the report webview: [^\n]+\.$/);
      } else {
        assert.equal(logs.length, 0);
        assert.equal(result, x, 'the validator returns the message itself, not a copy with other content');
        assert.ok(keepsPromises(result), `accepted a message that breaks the protocol: ${JSON.stringify(x)}`);
      }
    }), { numRuns: RUNS, seed: SEED });
  });

  it('accepts every well-formed message', () => {
    fc.assert(fc.property(validMessage, (m) => {
      const { result, logs } = run(m);
      assert.deepEqual(logs, []);
      assert.equal(result, m);
    }), { numRuns: RUNS, seed: SEED + 1 });
  });

  it('drops a well-formed message once any one of its fields is replaced by a value of the wrong kind', () => {
    const wrong = fc.constantFrom<unknown>(null, -1, 1.5, NaN, '', 'c', true, [], {}, 'x'.repeat(100_001));
    fc.assert(fc.property(validMessage, wrong, fc.nat(), (m, bad, pick) => {
      const fields = Object.keys(m).filter((f) => f !== 'type');
      fc.pre(fields.length > 0);
      const field = fields[pick % fields.length]!;
      const mutated: Record<string, unknown> = { ...m, [field]: bad };
      const { result } = run(mutated);
      // A few replacements are still valid values (a string field may be empty or 'c'; webviewError takes any string).
      if (result !== undefined) assert.ok(keepsPromises(result), `accepted ${JSON.stringify(mutated).slice(0, 200)}`);
      const stringOk = typeof bad === 'string' && ((field === 'text' || field === 'query' || field === 'message') && bad.length <= 100_000 || field === 'message' ||
        (field === 'file' && bad.length > 0 && bad.length <= 4096));
      if (!stringOk) assert.equal(result, undefined, `accepted ${field}=${JSON.stringify(bad)?.slice(0, 40)} in ${m.type}`);
    }), { numRuns: RUNS, seed: SEED + 2 });
  });

  it('drops a message with an unknown type and names the type in the log, cut short', () => {
    fc.assert(fc.property(fc.string().filter((t) => !TYPES.includes(t)), (type) => {
      const { result, logs } = run({ type });
      assert.equal(result, undefined);
      assert.equal(logs.length, 1);
      assert.ok(logs[0]!.length < 200, 'a hostile type string cannot flood the log');
    }), { numRuns: RUNS, seed: SEED + 3 });
  });
});
