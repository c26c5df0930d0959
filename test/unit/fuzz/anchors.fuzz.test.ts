// Property-based fuzzing of the anchors file parser: any text is read line by line without throwing,
// every line lands in exactly one place (anchor, pair, query or a one-line "file:line: why"), and a
// line range resolves to exactly those lines of the file.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseAnchors, resolveExpect } from '../../../src/core/metrics/anchors';
import type { Corpus } from '../../../src/core/types';

const RUNS = 10_000;
const SEED = 0xa7c4;
const FILE = 'anchors.jsonl';

const corpus: Corpus = {
  root: '/corpus',
  skipped: [],
  files: [
    { path: 'docs/setup.md', text: '# Setup\n\nInstall it.\nRun it.\n\n## Next\nDone.\n', hash: 'x', bytes: 40 },
    { path: 'src/a.ts', text: 'const a = 1;\r\nexport { a };\r\n', hash: 'y', bytes: 28 },
    { path: 'empty.md', text: '', hash: 'z', bytes: 0 },
  ],
};

const expectText = fc.oneof(
  fc.constantFrom('docs/setup.md', './docs/setup.md', 'src/a.ts', 'empty.md', 'missing.md', '../etc/passwd', ''),
  fc.tuple(fc.constantFrom('docs/setup.md', 'src/a.ts', 'empty.md', 'nope.md'), fc.integer({ min: -2, max: 12 }), fc.option(fc.integer({ min: -2, max: 12 })), fc.boolean())
    .map(([f, a, b, withL]) => `${f}#L${a}${b === null ? '' : `-${withL ? 'L' : ''}${b}`}`),
  fc.string({ maxLength: 30 }),
);
const field = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('', '   ', 'how do I install?', 'a\nb', '<script>alert(1)</script>'), fc.integer(), fc.constant(null), fc.boolean(), fc.constant([]), fc.constant({}));
const lineObject = fc.oneof(
  fc.record({ query: field, expect: fc.oneof(expectText, field) }, { requiredKeys: [] }),
  fc.record({ a: field, b: field }, { requiredKeys: [] }),
  fc.record({ query: fc.string({ minLength: 1, maxLength: 20 }).filter((q) => q.trim() !== ''), expect: expectText }),
);
const line = fc.oneof(
  lineObject.map((o) => JSON.stringify(o)),
  fc.constantFrom('', '   ', '// a comment', '{', '[]', 'null', '"text"', '{"query": "x", "expect": "docs/setup.md#L2-L1"}'),
  fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !/[\r\n]/.test(s)),
);
const fileText = fc.tuple(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n')).map(([lines, eol]) => lines.join(eol));

describe('fuzz: anchors file parser (parseAnchors)', () => {
  it('reads any text without throwing, and puts each line in exactly one place', () => {
    fc.assert(fc.property(fileText, (text) => {
      const set = parseAnchors(text, FILE, corpus);
      const counted = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trim().startsWith('//')).length;
      assert.equal(set.anchors.length + set.pairs.length + set.queries.length + set.malformed.length, counted);
      for (const m of set.malformed) {
        // The reason alone: whoever shows it adds the file and line once (no "line 2: a.jsonl:2: ...").
        assert.ok(!m.message.includes(`${FILE}:`) && !/^line \d/.test(m.message), m.message);
        assert.ok(!/[\r\n\u2028\u2029]/.test(m.message), `one line: ${JSON.stringify(m.message)}`);
        assert.ok(m.message.length <= 300, `short: ${m.message.slice(0, 80)}...`);
      }
      for (const a of set.anchors) {
        const text = corpus.files.find((f) => f.path === a.span.file)?.text;
        assert.ok(text !== undefined, `anchor to a file outside the corpus: ${a.span.file}`);
        assert.ok(a.span.start >= 0 && a.span.start <= a.span.end && a.span.end <= text.length, JSON.stringify(a.span));
        assert.ok(a.query.trim() !== '');
      }
      for (const p of set.pairs) assert.ok(p.a.trim() !== '' && p.b.trim() !== '');
    }), { numRuns: RUNS, seed: SEED });
  });

  it('resolves "file#Lx-Ly" to exactly lines x..y of the file', () => {
    const lineOf = fc.string({ maxLength: 8 }).filter((l) => !/[\r\n]/.test(l));
    fc.assert(fc.property(fc.array(lineOf, { minLength: 1, maxLength: 15 }), fc.nat(), fc.nat(), (lines, p, q) => {
      const text = lines.join('\n');
      const from = 1 + (p % lines.length);
      const to = from + (q % (lines.length - from + 1));
      const span = resolveExpect(`f.md#L${from}-L${to}`, new Map([['f.md', text]]));
      assert.ok(typeof span !== 'string', String(span));
      assert.equal(text.slice(span.start, span.end), lines.slice(from - 1, to).join('\n'));
      const single = resolveExpect(`f.md#L${from}`, new Map([['f.md', text]]));
      assert.ok(typeof single !== 'string');
      assert.equal(text.slice(single.start, single.end), lines[from - 1]);
    }), { numRuns: RUNS, seed: SEED + 1 });
  });

  it('survives a very long line and a range far beyond the file', () => {
    const long = `{"query": "q", "expect": "${'a'.repeat(200_000)}#L1"}`;
    const set = parseAnchors(`${long}\n{"query": "q", "expect": "docs/setup.md#L99999999999999999999"}\n{"query": "q", "expect": "docs/setup.md#L${'9'.repeat(100_000)}"}`, FILE, corpus);
    assert.equal(set.malformed.length, 3);
    for (const m of set.malformed) assert.ok(m.message.length <= 300, m.message.slice(0, 100));
  });
});
