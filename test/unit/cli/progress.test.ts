// Progress output: the bar's text worked out by hand, and plain stage lines when stderr is not a terminal.
import assert from 'node:assert/strict';
import { createProgress, formatBar, formatDuration } from '../../../src/cli/progress';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { written: string[] } {
  const written: string[] = [];
  return { isTTY, columns: 80, written, write: (s: string) => { written.push(s); return true; } } as unknown as NodeJS.WriteStream & { written: string[] };
}

describe('CLI progress', () => {
  it('formats durations', () => {
    assert.equal(formatDuration(0), '0s');
    assert.equal(formatDuration(59.4), '59s');
    assert.equal(formatDuration(61), '1m01s');
    assert.equal(formatDuration(-3), '0s');
  });

  it('draws a bar with counts and the time left', () => {
    // 100 of 400 in 10 s: 30 s left; 6 of 24 cells filled.
    assert.equal(formatBar({ stage: 'embed', side: 'b', done: 100, total: 400 }, 10),
      `embed B    [######..................] 100/400  30s left`);
    assert.equal(formatBar({ stage: 'walk', done: 7 }, 1), 'walk       7');
    assert.equal(formatBar({ stage: 'index', side: 'a', done: 5, total: 5 }, 3), `index A    [${'#'.repeat(24)}] 5/5`);
  });

  it('writes one line per stage when stderr is not a terminal', () => {
    const stream = fakeStream(false);
    const progress = createProgress(stream);
    progress.onProgress({ stage: 'walk', done: 0, total: 3 });
    progress.onProgress({ stage: 'walk', done: 3, total: 3 });
    progress.onProgress({ stage: 'embed', side: 'a', done: 0, total: 10 });
    progress.onProgress({ stage: 'embed', side: 'b', done: 0, total: 12, message: 'tiny-bert' });
    progress.finish();
    assert.deepEqual(stream.written, ['walk (3)\n', 'embed A (10)\n', 'embed B (12): tiny-bert\n']);
  });

  it('redraws one line on a terminal and clears it when done', () => {
    const stream = fakeStream(true);
    const progress = createProgress(stream);
    progress.onProgress({ stage: 'chunk', side: 'a', done: 1, total: 2 });
    progress.onProgress({ stage: 'chunk', side: 'a', done: 2, total: 2 });
    progress.finish();
    assert.ok(stream.written.every((s) => s.startsWith('\r')));
    assert.ok((stream.written[0] ?? '').includes('chunk A'));
    assert.equal(stream.written.at(-1), '\r\x1b[K');
  });
});
