// PendingRequests (src/shared/requests.ts): the id-matching both the webview and the session client use.
import assert from 'node:assert/strict';
import { PendingRequests } from '../../../src/shared/requests';

describe('PendingRequests', () => {
  it('numbers requests, settles each by its id and kind once, and ignores answers nobody waits for', async () => {
    const p = new PendingRequests<'search' | 'tokenize', string, string>();
    const first = p.open('search', 'progress-1');
    const second = p.open('tokenize', 'progress-2');
    assert.notEqual(first.id, second.id);
    assert.equal(p.extra(second.id), 'progress-2');
    assert.equal(p.settle(first.id, 'tokenize', 'wrong kind'), false, 'an answer of another kind settles nothing');
    assert.equal(p.settle(second.id, 'tokenize', 'tokens'), true);
    assert.equal(p.settle(second.id, 'tokenize', 'again'), false, 'a second answer to one request is ignored');
    assert.equal(p.settle(first.id, 'search', 'hits'), true);
    assert.deepEqual(await Promise.all([first.answer, second.answer]), ['hits', 'tokens']);
    assert.equal(p.size, 0);
    assert.equal(p.extra(first.id), undefined);
  });

  it('fails one request, or all of them when the channel is gone', async () => {
    const p = new PendingRequests<'run', number>();
    const a = p.open('run', undefined);
    const b = p.open('run', undefined);
    const c = p.open('run', undefined);
    assert.equal(p.fail(a.id, new Error('cancelled')), true);
    await assert.rejects(a.answer, /cancelled/);
    assert.equal(p.failAll(new Error('the worker stopped')), 2);
    await assert.rejects(b.answer, /the worker stopped/);
    await assert.rejects(c.answer, /the worker stopped/);
    assert.equal(p.settle(b.id, 'run', 1), false);
  });

  it('a request with a timeout that gets no answer fails with the words given, and a late answer is ignored', async () => {
    const p = new PendingRequests<'fileText', string>((kind, ms) => new Error(`no ${kind} after ${ms} ms`));
    const late = p.open('fileText', undefined, 1);
    await assert.rejects(late.answer, /^Error: no fileText after 1 ms$/);
    assert.equal(p.settle(late.id, 'fileText', 'text'), false);
    // An answer in time clears the timer: the request resolves and nothing fails afterwards.
    const onTime = p.open('fileText', undefined, 60_000);
    assert.equal(p.settle(onTime.id, 'fileText', 'text'), true);
    assert.equal(await onTime.answer, 'text');
  });
});
