import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../../server/clock.js';
import { WorkQueue } from '../../../server/controllers/workqueue.js';

test('a key waits once, and one added while processing comes back after done', async () => {
  const q = new WorkQueue(new FakeClock());
  q.add('a');
  q.add('a');
  q.add('b');
  assert.equal(q.length, 2);
  const k = await q.get();
  assert.equal(k, 'a');
  q.add('a');
  assert.equal(q.length, 1, 'a is being processed: it is not queued twice');
  assert.equal(await q.get(), 'b');
  q.done('a');
  assert.equal(await q.get(), 'a');
});

test('a waiting worker gets the next key at once', async () => {
  const q = new WorkQueue(new FakeClock());
  const next = q.get();
  q.add('x');
  assert.equal(await next, 'x');
});

test('addAfter fires on the virtual clock and the earliest time wins', async () => {
  const clock = new FakeClock();
  const q = new WorkQueue(clock);
  q.addAfter('k', 1000);
  q.addAfter('k', 500);
  q.addAfter('k', 2000);
  clock.advance(499);
  assert.equal(q.length, 0);
  clock.advance(1);
  assert.equal(q.length, 1);
  assert.equal(await q.get(), 'k');
  q.done('k');
  clock.advance(5000);
  assert.equal(q.length, 0, 'the later timers were dropped');
});

test('failures back off exponentially until forget', async () => {
  const clock = new FakeClock();
  const q = new WorkQueue(clock);
  q.addRateLimited('k');
  q.addRateLimited('k');
  assert.equal(q.numRequeues('k'), 2);
  clock.advance(4);
  assert.equal(q.length, 0);
  clock.advance(1);
  assert.equal(q.length, 1, 'the first retry is due after 5 ms');
  q.forget('k');
  assert.equal(q.numRequeues('k'), 0);
});

test('shutdown releases waiting workers with undefined', async () => {
  const q = new WorkQueue(new FakeClock());
  const waiting = q.get();
  q.shutdown();
  assert.equal(await waiting, undefined);
  q.add('late');
  assert.equal(q.length, 0);
});
