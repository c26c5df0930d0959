// Property-based fuzzing of the `--fail-on` expression parser: every input either parses into the
// expression it spells or fails with a one-line usage DriftError, and evaluation follows the grammar.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { evaluateFailOn, parseFailOn, REPORT_FIELDS, type Expr } from '../../../src/cli/failOn';
import type { Report } from '../../../src/core/report/types';
import { DriftError } from '../../../src/core/types';

const RUNS = 10_000;
const SEED = 0xfa11;

function expectUsageError(source: string, fn: () => unknown): DriftError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof DriftError, `"${source.slice(0, 80)}" threw ${String(err)} instead of a DriftError`);
    assert.equal(err.code, 'usage');
    assert.ok(err.message.startsWith('--fail-on '), err.message);
    assert.ok(!err.message.includes('\n') && !err.message.includes('\r'), `message is not one line: ${JSON.stringify(err.message)}`);
    assert.ok(err.message.length < 400, 'the message stays short whatever the input');
    return err;
  }
  assert.fail(`"${source.slice(0, 80)}" was accepted`);
}

/** Characters the grammar uses, so random strings get past the tokenizer often. */
const grammarChar = fc.constantFrom(...'()<>=!&|+-*/.% 0123456789e', ...REPORT_FIELDS.slice(0, 12).map((f) => `${f} `));
const nearGrammar = fc.array(grammarChar, { maxLength: 30 }).map((parts) => parts.join(''));
const anyString = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), nearGrammar, fc.string({ maxLength: 60 }));

// ---- a generator of well-formed expressions and their printed form ----
const number = fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0));
const field = fc.constantFrom(...REPORT_FIELDS);
const { arith } = fc.letrec<{ arith: Expr }>((tie) => ({
  arith: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    number.map((value): Expr => ({ kind: 'number', value })),
    field.map((path): Expr => ({ kind: 'field', path })),
    tie('arith').map((operand): Expr => ({ kind: 'neg', operand })),
    fc.tuple(fc.constantFrom('+', '-', '*', '/') as fc.Arbitrary<'+'>, tie('arith'), tie('arith'))
      .map(([op, left, right]): Expr => ({ kind: 'arith', op, left, right })),
  ),
}));
const comparison = fc.tuple(fc.constantFrom('<', '<=', '>', '>=', '==', '!=') as fc.Arbitrary<'<'>, arith, arith)
  .map(([op, left, right]): Expr => ({ kind: 'compare', op, left, right }));
const { condition } = fc.letrec<{ condition: Expr }>((tie) => ({
  condition: fc.oneof({ depthSize: 'small' },
    comparison,
    fc.tuple(fc.constantFrom('&&', '||') as fc.Arbitrary<'&&'>, tie('condition'), tie('condition'))
      .map(([op, left, right]): Expr => ({ kind: 'logic', op, left, right })),
  ),
}));

/** Fully parenthesized, with random spacing, so the printed form has one parse. */
function print(e: Expr, space: string): string {
  switch (e.kind) {
    case 'number': return String(e.value);
    case 'field': return e.path;
    case 'neg': return `-(${print(e.operand, space)})`;
    case 'arith': case 'compare': case 'logic':
      return `(${print(e.left, space)})${space}${e.op}${space}(${print(e.right, space)})`;
  }
}

/** Thrown by `meaning` where evaluation must refuse: a division by zero or a non-finite value. */
class NoMeaning extends Error {}

/** The meaning of an expression, straight from the grammar: a missing field has no value; x/0 has no meaning at all. */
function meaning(e: Expr, values: Map<string, number>): number | boolean | undefined {
  const num = (x: Expr) => meaning(x, values) as number | undefined;
  switch (e.kind) {
    case 'number': return e.value;
    case 'field': return values.get(e.path);
    case 'neg': { const v = num(e.operand); return v === undefined ? undefined : -v; }
    case 'arith': {
      const l = num(e.left); const r = num(e.right);
      if (l === undefined || r === undefined) return undefined;
      if (e.op === '/' && r === 0) throw new NoMeaning();
      const value = e.op === '+' ? l + r : e.op === '-' ? l - r : e.op === '*' ? l * r : l / r;
      if (!Number.isFinite(value)) throw new NoMeaning();
      return value;
    }
    case 'compare': {
      const l = num(e.left); const r = num(e.right);
      if (l === undefined || r === undefined) return false;
      return { '<': l < r, '<=': l <= r, '>': l > r, '>=': l >= r, '==': l === r, '!=': l !== r }[e.op];
    }
    case 'logic': {
      const l = meaning(e.left, values) as boolean; const r = meaning(e.right, values) as boolean;
      return e.op === '&&' ? l && r : l || r;
    }
  }
}

/** A report-shaped object holding `values` at their dotted paths (all else absent). */
function reportWith(values: Map<string, number>): Report {
  const root: Record<string, unknown> = {};
  for (const [path, value] of values) {
    const parts = path.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]!] = value;
  }
  return root as unknown as Report;
}

const fieldValues = fc.dictionary(field, fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }), fc.integer({ min: 0, max: 5 })), { maxKeys: 20 })
  .map((d) => new Map(Object.entries(d)));

describe('fuzz: --fail-on expression parser (parseFailOn)', () => {
  it('either parses any string or throws a one-line usage DriftError', () => {
    fc.assert(fc.property(anyString, (source) => {
      let parsed;
      try { parsed = parseFailOn(source); } catch { expectUsageError(source, () => parseFailOn(source)); return; }
      assert.equal(parsed.source, source);
      // Whatever parses evaluates without throwing, even on an empty report.
      const result = evaluateFailOn(parsed, {} as Report);
      assert.equal(typeof result.holds, 'boolean');
    }), { numRuns: RUNS, seed: SEED });
  });

  it('parses the printed form of every well-formed condition back to the same expression', () => {
    fc.assert(fc.property(condition, fc.constantFrom('', ' ', '  \t'), (expr, space) => {
      let parsed;
      // A division by a constant zero (or an overflow among constants) is refused before the run.
      try { parsed = parseFailOn(print(expr, space)); } catch (err) { assert.match((err as Error).message, /division by zero|not a finite number|too large/); return; }
      assert.deepEqual(parsed.expr, expr);
    }), { numRuns: RUNS, seed: SEED + 1 });
  });

  it('evaluates a condition as the grammar means it, listing every missing field', () => {
    fc.assert(fc.property(condition, fieldValues, (expr, values) => {
      let parsed;
      try { parsed = parseFailOn(print(expr, ' ')); } catch (err) {
        // Refused before the run: a division by a constant zero, or an overflow among constants.
        assert.match((err as Error).message, /division by zero|not a finite number|too large/);
        return;
      }
      let expected: ReturnType<typeof meaning>;
      try { expected = meaning(expr, values); } catch (err) {
        if (!(err instanceof NoMeaning)) throw err;
        assert.throws(() => evaluateFailOn(parsed, reportWith(values)), /division by zero|not a finite number/);
        return;
      }
      const result = evaluateFailOn(parsed, reportWith(values));
      assert.equal(result.holds, expected);
      const used = new Set<string>();
      const walk = (e: Expr): void => {
        if (e.kind === 'field') used.add(e.path);
        else if (e.kind === 'neg') walk(e.operand);
        else if (e.kind !== 'number') { walk(e.left); walk(e.right); }
      };
      walk(expr);
      assert.deepEqual(new Set(result.missing), new Set([...used].filter((f) => !values.has(f))));
      for (const [f, v] of result.values) assert.equal(v, values.get(f));
    }), { numRuns: RUNS, seed: SEED + 2 });
  });

  it('rejects a bare number or field, an unknown field, and code in place of a field', () => {
    const samples = ['0.3', 'neighbors.churnedShare', 'neighbors.churnedshare > 0.3', 'process.exit(1)',
      'require("child_process")', 'constructor.constructor("return 1")() > 0', '__proto__.x > 1', 'a = 1',
      'neighbors.churnedShare > 0.3 > 0.1', '1 > 0 + (2 > 1)', '', '   ', '(', ')', 'x;rm -rf /', '`id`'];
    for (const s of samples) expectUsageError(s, () => parseFailOn(s));
  });

  it('rejects pathological nesting and length with a usage error, not a stack overflow', () => {
    const deep = `${'('.repeat(50_000)}neighbors.churnedShare > 0.3${')'.repeat(50_000)}`;
    const negations = `${'-'.repeat(200_000)}1 > 0`;
    const chain = `${Array.from({ length: 100_000 }, () => '1').join('+')} > 0`;
    for (const s of [deep, negations, chain]) expectUsageError(s, () => parseFailOn(s));
  });

  it('keeps a multi-line expression\'s message on one line', () => {
    expectUsageError('neighbors.churnedShare >\n0.3 =', () => parseFailOn('neighbors.churnedShare >\n0.3 ='));
  });

  it('reads percentages as fractions: "30%" is 0.3', () => {
    const parsed = parseFailOn('neighbors.churnedShare > 30%');
    assert.deepEqual(parsed.expr, { kind: 'compare', op: '>', left: { kind: 'field', path: 'neighbors.churnedShare' }, right: { kind: 'number', value: 0.3 } });
  });
});
