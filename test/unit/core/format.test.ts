// The one byte formatter: values worked out by hand (binary units, one decimal, none when whole).
import * as assert from 'node:assert/strict';
import { formatBytes } from '../../../src/core/format';

describe('formatBytes', () => {
  it('bytes below 1 KB are counted as they are', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1023), '1023 B');
  });
  it('one decimal, dropped when it is zero', () => {
    assert.equal(formatBytes(1024), '1 KB');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(2 * 1024 ** 2), '2 MB');
    assert.equal(formatBytes(Math.round(12.34 * 1024 ** 2)), '12.3 MB');
    assert.equal(formatBytes(5 * 1024 ** 3), '5 GB');
  });
  it('a value that rounds to 1024 of a unit is written in the next one', () => {
    assert.equal(formatBytes(1024 ** 2 - 1), '1 MB');
    assert.equal(formatBytes(1023.9 * 1024), '1023.9 KB');
  });
});
