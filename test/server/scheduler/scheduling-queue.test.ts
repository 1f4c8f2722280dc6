import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../../server/clock.js';
import { backoffDurationMs, SchedulingQueue } from '../../../server/scheduler/scheduling-queue.js';

function pod(name: string, priority = 0): Pod {
  return { metadata: { name, namespace: 'default', uid: name }, spec: { containers: [], priority } };
}

describe('backoffDurationMs', () => {
  it('doubles from 1 s up to 10 s', () => assert.deepEqual([1, 2, 3, 4, 5, 6].map(backoffDurationMs), [1000, 2000, 4000, 8000, 10000, 10000]));
});

describe('SchedulingQueue', () => {
  it('pops by priority, then arrival', () => {
    const q = new SchedulingQueue(new FakeClock());
    q.add(pod('a'));
    q.add(pod('b', 100));
    q.add(pod('c'));
    assert.deepEqual([q.tryPop(), q.tryPop(), q.tryPop()].map((i) => i?.pod.metadata?.name), ['b', 'a', 'c']);
    q.close();
  });

  it('parks unschedulable pods until an event, then honours the backoff', () => {
    const clock = new FakeClock();
    const q = new SchedulingQueue(clock);
    q.add(pod('a'));
    const info = q.tryPop()!;
    q.addUnschedulableIfNotPresent(info, { unschedulable: true, plugins: new Set(['NodeResourcesFit']) });
    assert.deepEqual(q.pending, { active: 0, backoff: 0, unschedulable: 1 });
    q.moveAllToActiveOrBackoffQueue(() => true);
    assert.deepEqual(q.pending, { active: 0, backoff: 1, unschedulable: 0 });
    clock.advance(999);
    assert.equal(q.tryPop(), undefined);
    clock.advance(1);
    assert.equal(q.tryPop()?.attempts, 2);
    q.close();
  });

  it('flushes pods parked for more than 5 minutes', () => {
    const clock = new FakeClock();
    const q = new SchedulingQueue(clock);
    q.add(pod('a'));
    q.addUnschedulableIfNotPresent(q.tryPop()!, { unschedulable: true, plugins: new Set(['TaintToleration']) });
    clock.advance(5 * 60_000);
    assert.equal(q.pending.unschedulable, 1);
    clock.advance(30_000);
    assert.equal(q.tryPop()?.pod.metadata?.name, 'a');
    q.close();
  });

  it('retries a parked pod whose spec changed, and forgets deleted pods', () => {
    const clock = new FakeClock();
    const q = new SchedulingQueue(clock);
    q.add(pod('a'));
    q.addUnschedulableIfNotPresent(q.tryPop()!, { unschedulable: true, plugins: new Set() });
    clock.advance(2_000);
    q.update(pod('a'), false);
    assert.equal(q.pending.unschedulable, 1);
    q.update(pod('a'), true);
    assert.equal(q.pending.active, 1);
    q.delete(pod('a'));
    assert.deepEqual(q.pending, { active: 0, backoff: 0, unschedulable: 0 });
    q.close();
  });
});
