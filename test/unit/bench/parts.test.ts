// The benchmark's own parts: corpus selection is deterministic and sized as asked, and the
// straightforward baseline computes the right neighbors and overlaps (else its times mean nothing).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { alignByOverlap, meanAlignedOverlap, naiveAllPairsTopK } from '../../../bench/baseline';
import { buildBenchCorpus, corpusPieces, selectCorpus, type CorpusSource } from '../../../bench/corpus';
import { spreadRows } from '../../../bench/search';

const prose = (i: number, len: number): CorpusSource => ({ rel: `p${i}/README.md`, text: `${'word '.repeat(len / 5)}` });
const code = (i: number, len: number): CorpusSource => ({ rel: `c${i}/index.d.ts`, text: `${'x: y;'.repeat(len / 5)}` });

describe('bench corpus', () => {
  const sources = [prose(1, 1000), prose(2, 1000), prose(3, 1000), code(1, 1000), code(2, 1000), code(3, 1000)];

  it('selects the same files for the same target whatever the input order', () => {
    const one = selectCorpus(sources, 2500).map((s) => s.rel);
    const two = selectCorpus([...sources].reverse(), 2500).map((s) => s.rel);
    assert.deepEqual(one, two);
  });

  it('stops once the target is reached and mixes prose and declarations about 60/40', () => {
    const picked = selectCorpus(sources, 5000);
    const chars = picked.reduce((s, p) => s + p.text.length, 0);
    assert.equal(chars, 5000);
    // 1000-char files: prose is taken while it is at most 60% of what is picked -> P C P C P.
    assert.deepEqual(picked.map((p) => p.rel.endsWith('.d.ts') ? 'C' : 'P'), ['P', 'C', 'P', 'C', 'P']);
  });

  it('writes the corpus once and leaves it untouched when it is already there', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-corpus-'));
    const root = path.join(tmp, 'corpus');
    const first = buildBenchCorpus(sources, root, 3000);
    const file = path.join(root, fs.readdirSync(root)[0]!);
    const mtime = fs.statSync(file).mtimeMs;
    const second = buildBenchCorpus(sources, root, 3000);
    assert.equal(second.digest, first.digest);
    assert.equal(fs.statSync(file).mtimeMs, mtime);
    assert.equal(fs.readdirSync(root).length, first.files);
    assert.equal(fs.existsSync(`${root}.manifest.json`), true);
    const pieces = corpusPieces(root, 100, 1000);
    assert.ok(pieces.every((p) => p.length <= 100 && p.length >= 20));
    assert.equal(new Set(pieces).size, pieces.length);
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});

describe('straightforward baseline', () => {
  it('finds the hand-worked top-2 lists by a plain scan', () => {
    // Rows: (1,0), (0,1), (0.6,0.8), (-1,0); ties keep the first index seen.
    const v = Float32Array.from([1, 0, 0, 1, 0.6, 0.8, -1, 0]);
    const { indices, scores } = naiveAllPairsTopK(v, 4, 2, 2);
    assert.deepEqual(Array.from(indices), [2, 1, 2, 0, 1, 0, 1, 2]);
    assert.deepEqual(Array.from(scores).map((s) => Math.round(s * 100) / 100), [0.6, 0, 0.8, 0, 0.8, 0.6, 0, -0.6]);
    const some = naiveAllPairsTopK(v, 4, 2, 2, [3]);
    assert.deepEqual(Array.from(some.indices), [1, 2]);
  });

  it('aligns each A chunk to the B chunk of its file that shares most characters', () => {
    const a = [{ file: 'x', start: 0, end: 100 }, { file: 'x', start: 100, end: 200 }, { file: 'y', start: 0, end: 10 }];
    const b = [{ file: 'x', start: 0, end: 60 }, { file: 'x', start: 60, end: 200 }, { file: 'z', start: 0, end: 10 }];
    assert.deepEqual(Array.from(alignByOverlap(a, b)), [0, 1, -1]);
  });

  it('gives overlap 1 for the same lists and 0 for disjoint ones', () => {
    const identity = Int32Array.from([0, 1, 2, 3]);
    const lists = { indices: Int32Array.from([1, 2, 0, 2, 0, 1, 0, 1]) };
    assert.equal(meanAlignedOverlap(lists, lists, identity, 2), 1);
    const other = { indices: Int32Array.from([3, 3, 3, 3, 3, 3, 2, 2]) };
    assert.equal(meanAlignedOverlap(lists, other, identity, 2), 0);
  });

  it('spreads sample rows evenly over the corpus', () => {
    assert.deepEqual(spreadRows(10, 4), [0, 2, 5, 7]);
    assert.deepEqual(spreadRows(3, 5), [0, 1, 2]);
  });
});
