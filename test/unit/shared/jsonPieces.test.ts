// jsonPieces against JSON.stringify itself: joined pieces equal its text for awkward values, and
// every piece stays near the requested size and encodes to UTF-8 on its own.
import * as assert from 'node:assert/strict';
import { jsonPieces } from '../../../src/shared/jsonPieces';

describe('jsonPieces', () => {
  const awkward = {
    n: [0, -0, 1.5e-300, -2, Number.NaN, Infinity, -Infinity, 2 ** 53 + 2],
    s: ['', 'a"b\\c', '\u2028\u2029<\/script>', '😀𝄞\ud800 lone', '\u0000\u001f'],
    holes: [1, undefined, () => 1, Symbol('x'), null, , 3],
    skipped: { a: undefined, f: () => 1, s: Symbol('y'), kept: false },
    date: new Date(Date.UTC(2026, 10, 29)),
    typed: Float32Array.from([0.1, 2]),
    custom: { toJSON: () => ({ swapped: true }) },
    gone: { toJSON: () => undefined },
    nested: { deep: { deeper: [{ a: [[1, 2], { b: 'c' }] }] } },
    empty: { o: {}, a: [], nullProto: Object.assign(Object.create(null) as object, { z: 1, y: [2] }) },
    '': 'empty key', 'key "quoted"': 1,
  };

  it('joins to exactly JSON.stringify for awkward values, at every piece size', () => {
    for (const size of [1, 2, 7, 64, 1 << 20]) {
      assert.equal([...jsonPieces(awkward, size)].join(''), JSON.stringify(awkward), `size ${size}`);
      for (const v of [null, 1, 'x', [], {}, [undefined], new Date(0), { a: { toJSON: () => undefined }, b: 2 }]) {
        assert.equal([...jsonPieces(v, size)].join(''), JSON.stringify(v), `${JSON.stringify(v)} at size ${size}`);
      }
    }
    assert.deepEqual([...jsonPieces(undefined)], []);
    assert.deepEqual([...jsonPieces(() => 1)], []);
  });

  it('cuts a large report-shaped value into pieces near the size, each valid UTF-8 alone', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({ file: `docs/${i % 17}.md`, start: i * 350, end: i * 350 + 400, text: `chunk ${i} 😀 — ${'x'.repeat(i % 90)}`, tokens: i % 128 }));
    const report = { version: 1, chunkTable: { a: rows, b: rows.slice(0, 3000) }, summary: { lines: ['one', 'two'] } };
    const size = 20_000;
    const pieces = [...jsonPieces(report, size)];
    assert.equal(pieces.join(''), JSON.stringify(report));
    assert.ok(pieces.length > 10, `${pieces.length} pieces`);
    // A piece closes after the value that crossed the size: at most one record beyond it.
    for (const p of pieces) assert.ok(p.length < size + 300, `piece of ${p.length}`);
    for (const p of pieces) assert.equal(Buffer.from(p, 'utf8').toString('utf8'), p);
  });
});
