// Property-based fuzzing of the webview <-> host message validators (src/shared/protocol.ts).
// The protocol is written down here once, as field kinds (SPEC below, from the message types'
// documentation), and the properties never call a copy of the validator's rules: every message
// generated from the spec is accepted as it is (and after a structured clone), and every message
// that differs from one in a single field, by a value of the wrong kind or a missing required
// field, is dropped with one log line. A validator too strict fails the first, one too lax the second.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { STAGES } from '../../../src/core/types';
import { validateFromWebview, validateToWebview } from '../../../src/shared/protocol';

const RUNS = 4_000;
const SEED = 0x5eed;
const MAX_TEXT = 100_000;
const MAX_PATH = 4096;

/** The kinds of field a message holds, each with the values that are right and wrong for it. */
type Kind = 'nat' | 'path' | 'text' | 'query' | 'side' | 'optSide' | 'k' | 'string' | 'error' | 'tokenized' | 'hits' | 'bytes' | 'line' | 'event' | 'stale';
type Spec = Record<string, Kind | { nested: Record<string, Spec> }>;

const long = (n: number): string => 'x'.repeat(n);
const tokenized = fc.array(fc.tuple(fc.string({ maxLength: 6 }), fc.nat(50), fc.nat(50), fc.boolean()), { maxLength: 6 })
  .map((ts) => ({ tokenizer: 'bert', pieces: ts.map((t) => t[0]), offsets: ts.map((t): [number, number] => [Math.min(t[1], t[2]), Math.max(t[1], t[2])]), unknown: ts.map((t) => t[3]) }));
const hit = fc.record({ chunk: fc.nat(), file: fc.string({ maxLength: 20 }), start: fc.nat(), end: fc.nat(), score: fc.double({ min: -1, max: 1, noNaN: true }) });

const RIGHT: Record<Kind, fc.Arbitrary<unknown>> = {
  nat: fc.oneof(fc.nat({ max: 2 ** 31 }), fc.constant(0)),
  path: fc.oneof(fc.string({ minLength: 1, maxLength: 200 }), fc.constant(long(MAX_PATH)), fc.constant('../etc/passwd')),
  text: fc.oneof(fc.string({ maxLength: 300 }), fc.constant(''), fc.constant(long(MAX_TEXT))),
  query: fc.oneof(fc.string({ minLength: 1, maxLength: 300 }), fc.constant(long(MAX_TEXT))),
  side: fc.constantFrom('a', 'b'),
  optSide: fc.constantFrom('a', 'b', undefined),
  k: fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.constantFrom(1, 1000)),
  string: fc.string({ maxLength: 300 }),
  error: fc.string({ maxLength: 300 }),
  tokenized,
  hits: fc.array(hit, { maxLength: 4 }),
  bytes: fc.uint8Array({ maxLength: 20 }),
  line: fc.oneof(fc.string({ maxLength: 300 }), fc.constant(long(2000))),
  event: fc.record({ stage: fc.constantFrom(...STAGES), done: fc.nat(), total: fc.nat(), side: fc.constantFrom('a', 'b'), message: fc.string({ maxLength: 40 }) }, { requiredKeys: ['stage', 'done'] }),
  stale: fc.option(fc.record({ ageMs: fc.nat(), configuration: fc.boolean(), anchors: fc.boolean(), corpusFiles: fc.nat() }), { nil: null }),
};
/** Values of the wrong kind: each must make the message it lands in unacceptable. */
const notNumber = [null, '3', [], {}, true];
const WRONG: Record<Kind, readonly unknown[]> = {
  nat: [-1, 1.5, NaN, Infinity, ...notNumber],
  path: ['', long(MAX_PATH + 1), 3, null, ['a'], {}],
  text: [long(MAX_TEXT + 1), 3, null, [], {}],
  query: ['', long(MAX_TEXT + 1), 3, null, []],
  side: ['c', 'A', '', null, 1, []],
  optSide: ['c', 'A', '', null, 1],
  k: [0, 1001, -1, 1.5, NaN, ...notNumber],
  string: [3, null, [], {}, true],
  error: [3, null, [], {}],
  tokenized: [null, 'x', [], { tokenizer: 'b', pieces: ['a'], offsets: [], unknown: [false] }, { tokenizer: 'b', pieces: ['a'], offsets: [[0, -1]], unknown: [false] }],
  hits: [null, 'x', {}, [{ chunk: 0, file: 'f' }], [{ chunk: -1, file: 'f', start: 0, end: 1, score: 0.5 }], [{ chunk: 0, file: 'f', start: 0, end: 1, score: NaN }]],
  bytes: [null, 'bytes', [1, 2], {}],
  line: [long(2001), 3, null],
  event: [null, 'embed', { stage: 'tokenize', done: 1 }, { stage: 'embed', done: NaN }, { stage: 'embed', done: 1, side: 'c' }, { stage: 'embed' }],
  stale: [undefined, 'x', {}, { ageMs: -1, configuration: true, anchors: false, corpusFiles: 0 }, { ageMs: 1, configuration: true, anchors: false, corpusFiles: 1.5 }],
};

const REQUESTS: Record<string, Spec> = {
  tokenize: { text: 'text' },
  search: { query: 'text', k: 'k' },
  fileText: { file: 'path', side: 'optSide' },
  labelExpected: { query: 'query', side: 'side', chunk: 'nat' },
};
const FROM_WEBVIEW: Record<string, Spec> = {
  ready: {}, cancel: {}, rerun: {},
  openLocation: { file: 'path', start: 'nat', end: 'nat', side: 'optSide' },
  request: { id: 'nat', request: { nested: REQUESTS } },
  webviewError: { message: 'string' },
};
const RESPONSES: Record<string, Spec> = {
  tokenize: { a: 'tokenized', b: 'tokenized' },
  search: { a: 'hits', b: 'hits' },
  fileText: { text: 'string' },
  labelExpected: { expect: 'string' },
};
const TO_WEBVIEW: Record<string, Spec> = {
  showReport: { report: 'bytes', change: 'line' },
  progress: { event: 'event', text: 'line' },
  stale: { stale: 'stale' },
  response: { id: 'nat', response: { nested: RESPONSES } },
  error: { message: 'string' },
};
/** Fields a message may leave out. */
const OPTIONAL = new Set(['side:optSide', 'change:line']);
const optionalField = (field: string, kind: Kind): boolean => OPTIONAL.has(`${field}:${kind}`);

type Message = Record<string, unknown>;

/** Every message of a spec table, with its fields drawn from RIGHT (an optional one sometimes absent). */
function messages(table: Record<string, Spec>, errorVariant = false): fc.Arbitrary<Message> {
  return fc.oneof(...Object.entries(table).map(([type, spec]) => {
    const fields = Object.entries(spec).map(([field, kind]) => {
      if (typeof kind !== 'string') return fc.tuple(fc.constant(field), messages(kind.nested, table === TO_WEBVIEW));
      return fc.tuple(fc.constant(field), optionalField(field, kind) ? fc.option(RIGHT[kind], { nil: undefined }) : RIGHT[kind]);
    });
    const record = fc.tuple(...(fields as fc.Arbitrary<[string, unknown]>[])).map((pairs) => {
      const m: Message = { type };
      for (const [field, value] of pairs) if (value !== undefined) m[field] = value;
      // A range ends where it starts or later.
      if (type === 'openLocation' && (m.end as number) < (m.start as number)) [m.start, m.end] = [m.end, m.start];
      return m;
    });
    // A response may be an error instead of its answer.
    if (!errorVariant) return fields.length === 0 ? fc.constant({ type }) : record;
    return fc.oneof(record, RIGHT.error.map((error) => ({ type, error })));
  }));
}

/** One path to a field of a message (top level or inside its nested request/response) and its kind. */
function fieldsOf(m: Message, table: Record<string, Spec>): Array<{ path: string[]; kind: Kind; optional: boolean }> {
  const spec = table[m.type as string]!;
  const out: Array<{ path: string[]; kind: Kind; optional: boolean }> = [];
  for (const [field, kind] of Object.entries(spec)) {
    if (typeof kind !== 'string') {
      const inner = m[field] as Message;
      if ('error' in inner) out.push({ path: [field, 'error'], kind: 'error', optional: false });
      else for (const f of fieldsOf(inner, kind.nested)) out.push({ ...f, path: [field, ...f.path] });
      continue;
    }
    out.push({ path: [field], kind, optional: optionalField(field, kind) });
  }
  return out;
}

function withField(m: Message, path: string[], value: unknown, remove = false): Message {
  const [head, ...rest] = path;
  const copy: Message = { ...m };
  if (rest.length > 0) copy[head!] = withField(m[head!] as Message, rest, value, remove);
  else if (remove) delete copy[head!];
  else copy[head!] = value;
  return copy;
}

function check(validate: typeof validateFromWebview | typeof validateToWebview, x: unknown): { result: unknown; logs: string[] } {
  const logs: string[] = [];
  const result = validate(x, (line) => logs.push(line));
  return { result, logs };
}

for (const [name, validate, table, from] of [
  ['webview -> host (validateFromWebview)', validateFromWebview, FROM_WEBVIEW, 'the report webview'],
  ['host -> webview (validateToWebview), reports, answers and errors', validateToWebview, TO_WEBVIEW, 'the extension host'],
] as const) {
  describe(`fuzz: ${name}`, () => {
    const valid = messages(table, false);

    it('accepts every message written by the spec, as it is and after a structured clone', () => {
      fc.assert(fc.property(valid, (m) => {
        const { result, logs } = check(validate, m);
        assert.deepEqual(logs, [], JSON.stringify(m).slice(0, 300));
        assert.equal(result, m, 'the validator returns the message itself');
        const clone = structuredClone(m);
        assert.equal(check(validate, clone).result, clone, 'a structured clone (what postMessage delivers) is accepted too');
      }), { numRuns: RUNS, seed: SEED });
    });

    it('drops a message once any one field holds a value of the wrong kind, with one log line', () => {
      fc.assert(fc.property(valid, fc.nat(), fc.nat(), (m, pickField, pickValue) => {
        const fields = fieldsOf(m, table);
        fc.pre(fields.length > 0);
        const { path, kind } = fields[pickField % fields.length]!;
        const bad = WRONG[kind][pickValue % WRONG[kind].length];
        const mutated = withField(m, path, bad);
        const { result, logs } = check(validate, mutated);
        assert.equal(result, undefined, `accepted ${path.join('.')}=${JSON.stringify(bad)?.slice(0, 40)} in ${JSON.stringify(m).slice(0, 200)}`);
        assert.equal(logs.length, 1);
        assert.match(logs[0]!, new RegExp(`^Dropped a message from ${from}: [^\\n]+\\.$`));
      }), { numRuns: RUNS, seed: SEED + 1 });
    });

    it('drops a message without one of its required fields', () => {
      fc.assert(fc.property(valid, fc.nat(), (m, pick) => {
        const required = fieldsOf(m, table).filter((f) => !f.optional);
        fc.pre(required.length > 0);
        const { path } = required[pick % required.length]!;
        assert.equal(check(validate, withField(m, path, undefined, true)).result, undefined, `accepted ${JSON.stringify(m).slice(0, 200)} without ${path.join('.')}`);
      }), { numRuns: RUNS, seed: SEED + 2 });
    });

    it('never throws on any value; drops what is not a message with one short log line', () => {
      const anyValue = fc.oneof(
        fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true }),
        fc.jsonValue(),
        fc.string().map((type) => ({ type })),
        fc.constantFrom(...Object.keys(table), '__proto__', 'constructor', 'toString').map((type) => ({ type, id: 1, request: { type: 'toString' }, response: { type: '__proto__' } })),
      );
      fc.assert(fc.property(anyValue, (x) => {
        const { result, logs } = check(validate, x);
        if (result === undefined) {
          assert.equal(logs.length, 1);
          assert.ok(logs[0]!.length < 200, 'a hostile type string cannot flood the log');
        } else {
          assert.equal(result, x);
        }
      }), { numRuns: RUNS, seed: SEED + 3 });
    });
  });
}

describe('fuzz: webview messages, by hand', () => {
  it('an openLocation range that ends before it starts is dropped; an empty one is kept', () => {
    assert.equal(validateFromWebview({ type: 'openLocation', file: 'a.md', start: 5, end: 4 }, () => undefined), undefined);
    assert.ok(validateFromWebview({ type: 'openLocation', file: 'a.md', start: 5, end: 5 }, () => undefined));
  });

  it('a response names the kind of request it answers: an unknown kind is dropped even as an error', () => {
    assert.equal(validateToWebview({ type: 'response', id: 1, response: { type: 'shell', error: 'x' } }, () => undefined), undefined);
    assert.equal(validateFromWebview({ type: 'request', id: 1, request: { type: 'shell', text: 'rm' } }, () => undefined), undefined);
  });
});
