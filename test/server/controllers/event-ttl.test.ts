import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startEventTTL } from '../../../server/controllers/event-ttl.js';
import { startTestCluster } from '../../support/cluster.js';

test('events disappear an hour after their last write', async (t) => {
  const c = startTestCluster(t, [startEventTTL]);
  const recorder = c.ctx.recorder({ component: 'test' });
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'u1' } };
  recorder.event(pod, 'Normal', 'Started', 'first');
  recorder.event(pod, 'Normal', 'Pulled', 'second');
  recorder.event(pod, 'Normal', 'Created', 'third');
  await c.advance(30 * 60_000, 60_000);
  // A repeat bumps count and lastTimestamp: a new write, a new hour. The oldest event is repeated,
  // so expiry does not follow creation order.
  recorder.event(pod, 'Normal', 'Started', 'first');
  await c.advance(31 * 60_000, 60_000);
  assert.deepEqual(c.list('events', 'default').map((e) => e.reason), ['Started']);
  await c.advance(30 * 60_000, 60_000);
  assert.deepEqual(c.list('events', 'default'), []);
});

test('each namespace expires its own events, none before its full hour', async (t) => {
  const c = startTestCluster(t, [startEventTTL]);
  const recorder = c.ctx.recorder({ component: 'test' });
  recorder.event({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'default', uid: 'ua' } }, 'Normal', 'Started', 'a');
  await c.advance(500);
  recorder.event({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b', namespace: 'kube-system', uid: 'ub' } }, 'Normal', 'Started', 'b');
  await c.advance(60 * 60_000 - 500, 60_000);
  assert.deepEqual(c.list('events', 'default'), []);
  assert.deepEqual(c.list('events', 'kube-system').map((e) => e.message), ['b']);
  await c.advance(60_000, 60_000);
  assert.deepEqual(c.list('events', 'kube-system'), []);
});
