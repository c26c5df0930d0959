// --fail-on: parsing (good and bad expressions, with the exact messages) and evaluation on a
// hand-made report whose values make every expected result easy to check by hand.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluateFailOn, parseFailOn, REPORT_FIELDS, suggestField } from '../../../src/cli/failOn';
import { DriftError } from '../../../src/core/types';
import type { Report } from '../../../src/core/report/types';

// Only the fields the conditions read; the cast is safe because evaluation reads by path.
const report = {
  neighbors: { churnedShare: 0.4, meanJaccard: 0.5, k: 10, recallAtK: null },
  anchors: { a: { hitAtK: 0.8, mrrAtK: 0.6, ndcg10: 0.7 }, b: { hitAtK: 0.7, mrrAtK: 0.65, ndcg10: 0.7 } },
  space: { linearCka: null, procrustesOverlap: 0.25 },
  chunks: { a: 120, b: 80 },
  noiseFloor: { churnedShare: 0.3, meanJaccard: 0.7, meanOverlap: 0.8 },
  migrationDepth: { kFor95Percent: 40, kFor99Percent: null, recallAtK: 0.6 },
  notMeasured: { 'migrationDepth.kFor99Percent': "no K up to every other chunk recovers 99% of B's top-10: 2% of B's neighbors are in text no A chunk covers" },
  warnings: ['one', 'two'],
} as unknown as Report;

function holds(source: string): boolean {
  return evaluateFailOn(parseFailOn(source), report).holds;
}

function usageMessage(source: string): string {
  try {
    parseFailOn(source);
  } catch (err) {
    assert.ok(err instanceof DriftError);
    assert.equal(err.code, 'usage');
    return err.message;
  }
  assert.fail(`"${source}" parsed but should not have`);
}

describe('--fail-on expressions', () => {
  it('evaluates comparisons on report fields', () => {
    assert.equal(holds('neighbors.churnedShare>0.3'), true);
    assert.equal(holds('neighbors.churnedShare > 0.4'), false);
    assert.equal(holds('neighbors.churnedShare >= 0.4'), true);
    assert.equal(holds('neighbors.k == 10'), true);
    assert.equal(holds('neighbors.k != 10'), false);
    assert.equal(holds('neighbors.churnedShare <= 40%'), true);
  });

  it('does arithmetic with precedence and parentheses', () => {
    // 0.7 < 0.8 - 0.05 = 0.75 holds; 0.7 < 0.8 - 0.15 = 0.65 does not.
    assert.equal(holds('anchors.b.hitAtK<anchors.a.hitAtK-0.05'), true);
    assert.equal(holds('anchors.b.hitAtK<anchors.a.hitAtK-0.15'), false);
    // chunks.a - chunks.b = 40 = 4 + 3 * 12 (left to right would give 84)
    assert.equal(holds('chunks.a - chunks.b == 4 + 3 * 12'), true);
    assert.equal(holds('(chunks.a - chunks.b) / 8 == 5'), true);
    assert.equal(holds('chunks.a - chunks.b / 8 == 110'), true);
    assert.equal(holds('chunks.a - chunks.b - 10 == 30'), true); // left-associative: (120-80)-10
  });

  it('joins conditions with && and ||, && binding tighter', () => {
    assert.equal(holds('neighbors.churnedShare > 0.3 && anchors.b.mrrAtK > 0.6'), true);
    assert.equal(holds('neighbors.churnedShare > 0.5 && anchors.b.mrrAtK > 0.6'), false);
    assert.equal(holds('neighbors.churnedShare > 0.5 || anchors.b.mrrAtK > 0.6'), true);
    // true || (false && false) = true; (true || false) && false = false
    assert.equal(holds('chunks.a > 1 || chunks.a < 1 && chunks.b < 1'), true);
    assert.equal(holds('(chunks.a > 1 || chunks.a < 1) && chunks.b < 1'), false);
  });

  it('reads array lengths and unary minus', () => {
    assert.equal(holds('warnings.length == 2'), true);
    assert.equal(holds('-chunks.b < -79'), true);
    assert.equal(holds('--chunks.b == 80'), true);
  });

  it('treats a field of an absent section as not holding and names it', () => {
    const result = evaluateFailOn(parseFailOn('snapshot.mmd > 0 || neighbors.k > 5'), report);
    assert.equal(result.holds, true);
    assert.deepEqual(result.missing, ['snapshot.mmd']);
    assert.deepEqual(result.values, [['neighbors.k', 10]]);
    assert.equal(holds('snapshot.mmd > 0'), false);
    assert.equal(holds('neighbors.recallAtK.a < 0.9'), false);
  });

  it('refuses to gate on a null (unmeasured) field, saying why, instead of a silent false or true', () => {
    const evaluated = (source: string, on: Report = report): string => {
      try { evaluateFailOn(parseFailOn(source), on); } catch (err) { assert.ok(err instanceof DriftError); assert.equal(err.code, 'usage'); return err.message; }
      assert.fail(`"${source}" evaluated without an error`);
    };
    assert.equal(evaluated('space.linearCka < 0.9 || neighbors.k > 5'),
      '--fail-on "space.linearCka < 0.9 || neighbors.k > 5": space.linearCka is not measured in this report (null): the report\'s warnings say why');
    const tiny = { ...report, neighbors: { ...report.neighbors, churnedShare: null }, notMeasured: { 'neighbors.churnedShare': 'A has 3 distinct chunks, not more than k = 10' } } as unknown as Report;
    assert.equal(evaluated('neighbors.churnedShare > 0.3', tiny),
      '--fail-on "neighbors.churnedShare > 0.3": neighbors.churnedShare is not measured in this report (null): A has 3 distinct chunks, not more than k = 10');
    // Also where a false would have let the gate pass: "!=" and "<" alike.
    assert.match(evaluated('neighbors.churnedShare != 0', tiny), /not measured/);
  });

  it('refuses a division by zero: before the run when it is in the numbers, on the report when a field makes it', () => {
    assert.equal(usageMessage('1/0 > 1'), '--fail-on "1/0 > 1": division by zero');
    assert.equal(usageMessage('neighbors.k / (2 - 2) > 1'), '--fail-on "neighbors.k / (2 - 2) > 1": division by zero');
    assert.equal(usageMessage('chunks.a / 0 > 1'), '--fail-on "chunks.a / 0 > 1": division by zero');
    assert.equal(usageMessage('1e999 > 1'), '--fail-on "1e999 > 1": a number is too large to be finite');
    assert.equal(usageMessage('1e300 * 1e300 > 1'), '--fail-on "1e300 * 1e300 > 1": a part of the condition is not a finite number');
    const zero = { ...report, chunks: { a: 120, b: 0 } } as unknown as Report;
    assert.throws(() => evaluateFailOn(parseFailOn('chunks.a / chunks.b > 1.2'), zero),
      (err: unknown) => err instanceof DriftError && err.message === '--fail-on "chunks.a / chunks.b > 1.2": division by zero on this report\'s values (chunks.a = 120, chunks.b = 0)');
    assert.equal(holds('chunks.a / chunks.b > 1.2'), true);
  });

  it('rejects bad expressions with the column and the reason', () => {
    assert.equal(usageMessage('neighbors.churnedShare >> 0.3'), '--fail-on "neighbors.churnedShare >> 0.3": unexpected ">" at column 25');
    assert.equal(usageMessage('neighbors.churnedShare = 0.3'), '--fail-on "neighbors.churnedShare = 0.3": use "==" to compare, not "=" at column 24');
    assert.equal(usageMessage('(neighbors.k > 1'), '--fail-on "(neighbors.k > 1": missing ")" at column 17');
    assert.equal(usageMessage('neighbors.k >'), '--fail-on "neighbors.k >": expression ends too early at column 14');
    assert.equal(usageMessage('neighbors.k'), '--fail-on "neighbors.k": is a number, not a condition (add a comparison such as "> 0.3")');
    assert.equal(usageMessage('0 < neighbors.k < 5'), '--fail-on "0 < neighbors.k < 5": chained comparison "<": join conditions with && instead at column 17');
    assert.equal(usageMessage('neighbors.k > 1 && 3'), '--fail-on "neighbors.k > 1 && 3": both sides of "&&" must be conditions (e.g. a > 0.3)');
    assert.equal(usageMessage('neighbors.k # 1'), '--fail-on "neighbors.k # 1": unexpected character "#" at column 13');
    assert.equal(usageMessage('  '), '--fail-on "  ": empty condition');
  });

  it('names unknown fields with a suggestion', () => {
    assert.equal(usageMessage('neighbors.churnShare>0.3'),
      '--fail-on "neighbors.churnShare>0.3": unknown field "neighbors.churnShare" (did you mean "neighbors.churnedShare"?) at column 1');
    assert.equal(usageMessage('churnedShare>0.3'),
      '--fail-on "churnedShare>0.3": unknown field "churnedShare" (did you mean "neighbors.churnedShare"?) at column 1');
    assert.match(usageMessage('zzz > 1'), /unknown field "zzz" \(see embedding-drift compare --help/);
  });

  it('compares churn with the noise floor and reads migration depth', () => {
    // 0.4 > 0.3 + 0.05 holds; 0.4 > 0.3 + 0.15 does not.
    assert.equal(holds('neighbors.churnedShare > noiseFloor.churnedShare + 0.05'), true);
    assert.equal(holds('neighbors.churnedShare > noiseFloor.churnedShare + 0.15'), false);
    assert.equal(holds('migrationDepth.kFor95Percent > 3 * neighbors.k'), true);
    // No K reaches 99%: the field is null, and a gate on it is refused with the reason.
    assert.throws(() => evaluateFailOn(parseFailOn('migrationDepth.kFor99Percent > 100'), report),
      /migrationDepth\.kFor99Percent is not measured in this report \(null\): no K up to every other chunk recovers 99% of B's top-10: 2% of B's neighbors are in text no A chunk covers/);
  });

  it('every field is a number (or null) in the report schema', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../schemas/report.schema.json'), 'utf8'));
    type Node = { $ref?: string; oneOf?: Node[]; anyOf?: Node[]; allOf?: Node[]; type?: string | string[]; properties?: Record<string, Node> };
    const resolve = (node: Node): Node[] => {
      if (node.$ref) return resolve(schema.definitions[node.$ref.replace('#/definitions/', '')]);
      const parts = [...(node.oneOf ?? []), ...(node.anyOf ?? []), ...(node.allOf ?? [])].flatMap(resolve);
      return [node, ...parts];
    };
    for (const field of REPORT_FIELDS) {
      let nodes: Node[] = [schema];
      const keys = field.split('.');
      for (const [i, key] of keys.entries()) {
        if (key === 'length' && i === keys.length - 1 && nodes.some((n) => n.type === 'array')) { nodes = [{ type: 'integer' }]; break; }
        nodes = nodes.flatMap(resolve).flatMap((n) => (n.properties?.[key] ? resolve(n.properties[key]!) : []));
        assert.ok(nodes.length > 0, `${field}: no "${key}" in the report schema`);
      }
      const types = nodes.flatMap(resolve).flatMap((n) => (Array.isArray(n.type) ? n.type : [n.type])).filter(Boolean);
      assert.ok(types.some((t) => t === 'number' || t === 'integer'), `${field} is ${types.join('/')} in the schema, not a number`);
      assert.ok(types.every((t) => t === 'number' || t === 'integer' || t === 'null'), `${field} may be ${types.join('/')}`);
    }
  });

  it('suggests the exact field for every known field with one letter dropped', () => {
    for (const field of REPORT_FIELDS) {
      const typo = field.slice(0, -2) + field.slice(-1);
      const hint = suggestField(typo);
      assert.equal(hint, field, `hint for ${typo}`);
    }
  });
});
