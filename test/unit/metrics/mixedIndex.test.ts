// The mixed-index check on vectors with a known make-up: one model, two models of different
// scales, a lognormal single model, and model names with vectors from one space or two.
import { strict as assert } from 'node:assert';
import { gaussian, randomUnitVectors, seededRandom } from '../../../src/core/random';
import { mixedIndexCheck } from '../../../src/core/metrics/mixedIndex';

const DIM = 32;

function scaled(vectors: Float32Array, factor: (row: number) => number): Float32Array {
  return vectors.map((x, i) => x * factor(Math.floor(i / DIM)));
}

describe('store: mixed-index check', () => {
  it('unit vectors of one model: nothing mixed, lengths all 1', () => {
    const check = mixedIndexCheck(randomUnitVectors(500, DIM, 1), DIM, undefined, 1);
    assert.equal(check.mixed, false);
    assert.equal(check.norms.split, null);
    assert.ok(Math.abs(check.norms.min - 1) < 1e-4 && Math.abs(check.norms.max - 1) < 1e-4);
    assert.deepEqual(check.reasons, []);
  });

  it('a third of the rows from a model that does not normalize (lengths near 12): split in the gap, two thirds of the rows below it', () => {
    const random = seededRandom(2);
    const v = scaled(randomUnitVectors(600, DIM, 2), (r) => (r % 3 === 0 ? 12 * (1 + 0.05 * gaussian(random)) : 1));
    const check = mixedIndexCheck(v, DIM, undefined, 2);
    assert.equal(check.mixed, true);
    assert.ok(check.norms.split, 'a split');
    assert.equal(check.norms.split.lowShare, 0.6667);
    assert.ok(check.norms.split.threshold > 1 && check.norms.split.threshold < 12 * 0.8, String(check.norms.split.threshold));
    assert.match(check.reasons[0]!, /two separate groups/);
  });

  it('zero vectors (texts the model knew no token of) are no second model; a real split beside them is still found', () => {
    // 3% zero rows: more than a stray handful, so without setting them aside they would be a group of their own.
    const zeroed = (v: Float32Array): Float32Array => scaled(v, (r) => (r % 33 === 0 ? 0 : 1));
    const one = mixedIndexCheck(zeroed(randomUnitVectors(660, DIM, 4)), DIM, undefined, 4);
    assert.equal(one.norms.split, null, JSON.stringify(one.norms));
    assert.equal(one.mixed, false);
    assert.equal(one.norms.min, 0);
    assert.ok(Math.abs(one.norms.max - 1) < 1e-4);
    const random = seededRandom(5);
    const two = mixedIndexCheck(zeroed(scaled(randomUnitVectors(660, DIM, 5), (r) => (r % 3 === 0 ? 12 * (1 + 0.05 * gaussian(random)) : 1))), DIM, undefined, 5);
    assert.equal(two.mixed, true);
    // The zero rows 0, 33, 66... are multiples of 3, so all 20 come out of the scaled third: 440 unit rows below the split, of 640 non-zero.
    assert.equal(two.norms.split?.lowShare, 0.6875);
  });

  it('one unnormalized model whose lengths spread widely but in one group (lognormal, sigma 0.3) is not called mixed', () => {
    const random = seededRandom(3);
    const v = scaled(randomUnitVectors(2000, DIM, 3), () => Math.exp(0.3 * gaussian(random)));
    const check = mixedIndexCheck(v, DIM, undefined, 3);
    assert.equal(check.norms.split, null, JSON.stringify(check.norms));
    assert.equal(check.mixed, false);
  });

  it('lengths spread evenly over a wide range (no gap) are not called mixed, though a cut there has Ashman D above 3', () => {
    const v = scaled(randomUnitVectors(2000, DIM, 7), (r) => Math.exp((r / 2000) * 3));
    const check = mixedIndexCheck(v, DIM, undefined, 7);
    assert.equal(check.norms.split, null, JSON.stringify(check.norms));
  });

  it('two model names over vectors from two spaces: both named, a classifier separates them (AUC near 1)', () => {
    const random = seededRandom(4);
    // Model x: directions around one mean; model y: around another (two models' vectors share no common space).
    const meanX = Array.from({ length: DIM }, () => gaussian(random));
    const meanY = Array.from({ length: DIM }, () => gaussian(random));
    const v = new Float32Array(400 * DIM);
    const models: string[] = [];
    for (let r = 0; r < 400; r++) {
      const mean = r < 300 ? meanX : meanY;
      for (let d = 0; d < DIM; d++) v[r * DIM + d] = mean[d]! + 0.7 * gaussian(random);
      models.push(r < 300 ? 'minilm' : 'bge');
    }
    const check = mixedIndexCheck(v, DIM, models, 4);
    assert.equal(check.mixed, true);
    assert.deepEqual(check.models, [{ name: 'minilm', rows: 300 }, { name: 'bge', rows: 100 }]);
    assert.ok(check.modelAuc! > 0.95, String(check.modelAuc));
    assert.match(check.reasons.join(' '), /names 2 models: "minilm" \(300\), "bge" \(100\)/);
  });

  it('two names over vectors of one space: still two names, but the classifier cannot tell them apart (AUC near 0.5)', () => {
    const v = randomUnitVectors(400, DIM, 5);
    const models = Array.from({ length: 400 }, (_, r) => (r % 2 ? 'text-embedding-3-small' : 'openai-small'));
    const check = mixedIndexCheck(v, DIM, models, 5);
    assert.ok(Math.abs(check.modelAuc! - 0.5) < 0.12, String(check.modelAuc));
  });

  it('a model column with one name (or empty values) is not mixed', () => {
    const check = mixedIndexCheck(randomUnitVectors(50, DIM, 6), DIM, Array.from({ length: 50 }, (_, r) => (r % 5 ? 'minilm' : null)), 6);
    assert.equal(check.mixed, false);
    assert.deepEqual(check.models, [{ name: 'minilm', rows: 40 }]);
  });
});
