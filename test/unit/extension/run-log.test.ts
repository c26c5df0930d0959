// What the output channel says about a run: the configuration (labels, never "A A"), cache hits and
// misses per side, each stage once with its summed time.
import assert from 'node:assert/strict';
import { defaultConfig } from '../../../src/core/config';
import { StageClock, cacheLine, configLines, sideName } from '../../../src/extension/run-log';

describe('extension run log', () => {
  it('names the configuration by its labels, and the offline default without "A A, B B"', () => {
    const c = defaultConfig('/ws');
    assert.deepEqual(configLines(c, { trusted: true, against: 'configurations' }), [
      'compare: the offline default (no embedding-drift.json in the workspace)',
      '  A: builtin:lexical, recursive 800/100 chars, tokenizer words',
      '  B: builtin:lexical, markdown 400/50 chars, tokenizer words',
      '  corpus /ws, k 10, no anchors file (auto-anchors from headings and doc comments)',
    ]);
    c.configPath = '/ws/embedding-drift.json';
    c.a.label = 'today';
    c.b.label = 'candidate';
    c.anchors = '/ws/anchors.jsonl';
    const lines = configLines(c, { trusted: false, against: 'baseline' });
    assert.equal(lines[0], 'compare with the baseline: /ws/embedding-drift.json (Restricted Mode)');
    assert.equal(lines[1], '  A "today": builtin:lexical, recursive 800/100 chars, tokenizer words');
    assert.equal(lines[3], '  corpus /ws, k 10, anchors file /ws/anchors.jsonl');
    assert.equal(sideName('b', 'B'), 'B');
    assert.equal(sideName('b', ''), 'B');
  });

  it('says cache hits and misses per side', () => {
    assert.equal(cacheLine({ a: { hits: 120, misses: 30 }, b: { hits: 1, misses: 1 } }, { a: 'today', b: 'B' }),
      'embedding cache: A "today" 120 hits, 30 misses; B 1 hit, 1 miss');
  });

  it('names each stage once, in the order they first came, with the time spent in it summed', () => {
    let now = 1000;
    const clock = new StageClock(() => now);
    const at = (t: number, stage: string): boolean => { now = t; return clock.enter(stage); };
    assert.equal(at(1000, 'walk'), true);
    assert.equal(at(1100, 'walk'), false, 'the same stage again is no change');
    at(1120, 'embed A');
    at(2120, 'embed B');
    at(2620, 'embed A');
    at(3820, 'metrics');
    now = 3900;
    clock.stop();
    assert.equal(clock.line(), 'stages: walk 120 ms, embed A 2.2 s, embed B 500 ms, metrics 80 ms');
    assert.equal(clock.total(), 2900);
  });
});
