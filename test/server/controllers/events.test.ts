import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestCluster } from '../../support/cluster.js';

test('identical events are counted on one Event; a new message makes a new Event', async (t) => {
  const c = startTestCluster(t, []);
  const pod = c.client.create('configmaps', { metadata: { name: 'web', namespace: 'default' } });
  const rec = c.ctx.recorder({ component: 'kubelet', host: 'node01' });
  rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container', { fieldPath: 'spec.containers{app}' });
  c.clock.advance(10_000);
  rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container', { fieldPath: 'spec.containers{app}' });
  rec.event(pod, 'Normal', 'Pulled', 'Container image "nginx" already present on machine');
  const events = c.list('events', 'default') as Array<Record<string, any>>;
  assert.equal(events.length, 2);
  const backoff = events.find((e) => e.reason === 'BackOff')!;
  assert.equal(backoff.count, 2);
  assert.equal(backoff.firstTimestamp, '2026-01-01T00:00:00Z');
  assert.equal(backoff.lastTimestamp, '2026-01-01T00:00:10Z');
  assert.deepEqual(backoff.source, { component: 'kubelet', host: 'node01' });
  assert.equal(backoff.involvedObject.fieldPath, 'spec.containers{app}');
  assert.equal(backoff.involvedObject.uid, pod.metadata.uid);
  assert.match(backoff.metadata.name, /^web\.[0-9a-f]+$/);
});

test('from the tenth distinct message on, similar events are combined into one', async (t) => {
  const c = startTestCluster(t, []);
  const obj = c.client.create('configmaps', { metadata: { name: 'x', namespace: 'default' } });
  const rec = c.ctx.recorder({ component: 'default-scheduler' });
  for (let i = 0; i < 12; i++) rec.event(obj, 'Warning', 'FailedScheduling', `attempt ${i}`);
  const messages = (c.list('events', 'default') as Array<Record<string, any>>).map((e) => `${e.message} x${e.count}`).sort();
  assert.equal(messages.length, 10);
  assert.ok(messages.includes('(combined from similar events): attempt 11 x3'));
  assert.ok(messages.includes('attempt 8 x1'));
  assert.ok(!messages.some((m) => m.startsWith('attempt 9 ')));
});

test('an event about a node uses the node name as uid and lands in default', async (t) => {
  const c = startTestCluster(t, []);
  // The kubelet's node reference: kind and name only.
  c.ctx.recorder({ component: 'kubelet', host: 'node01' }).event({ kind: 'Node', metadata: { name: 'node01' } }, 'Normal', 'Starting', 'Starting kubelet.');
  const [ev] = c.list('events', 'default') as Array<Record<string, any>>;
  // Empty reference fields are left out, as Go's omitempty drops them.
  assert.deepEqual(ev!.involvedObject, { kind: 'Node', name: 'node01', uid: 'node01' });
  // A legacy recorder's Event has no eventTime, which a real apiserver prints as null.
  assert.ok('eventTime' in ev! && ev!.eventTime === null);
});

test('a source writes 25 events about one object, then one per five minutes carrying the count so far', async (t) => {
  const c = startTestCluster(t, []);
  const rs = c.client.create('configmaps', { metadata: { name: 'web', namespace: 'default' } });
  const rec = c.ctx.recorder({ component: 'replicaset-controller' });
  const combined = () => (c.list('events', 'default') as Array<Record<string, any>>).find((e) => e.message.startsWith('(combined'))!;
  for (let i = 0; i < 40; i++) rec.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: web-${i}`);
  // Nine single events and the combined one (10..24) use the 25 tokens; 25..39 are only counted.
  assert.equal(c.list('events', 'default').length, 10);
  assert.equal(combined().count, 16);
  assert.equal(combined().message, '(combined from similar events): Created pod: web-24');
  c.clock.advance(300_000);
  rec.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-40');
  assert.equal(combined().count, 32);
  assert.equal(combined().message, '(combined from similar events): Created pod: web-40');
  assert.equal(combined().firstTimestamp, '2026-01-01T00:00:00Z');
  assert.equal(combined().lastTimestamp, '2026-01-01T00:05:00Z');
  rec.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-41');
  assert.equal(combined().count, 32, 'the bucket is empty again');
  // Another source has its own bucket for the same object.
  c.ctx.recorder({ component: 'kubelet', host: 'node01' }).event(rs, 'Normal', 'Pulled', 'pulled');
  assert.ok((c.list('events', 'default') as Array<Record<string, any>>).some((e) => e.reason === 'Pulled'));
});

test('similar events stay one group while each comes within 10 minutes of the last', async (t) => {
  const c = startTestCluster(t, []);
  const obj = c.client.create('configmaps', { metadata: { name: 'x', namespace: 'default' } });
  const rec = c.ctx.recorder({ component: 'default-scheduler' });
  for (let i = 0; i < 10; i++) {
    rec.event(obj, 'Warning', 'FailedScheduling', `attempt ${i}`);
    c.clock.advance(300_000);
  }
  const messages = (c.list('events', 'default') as Array<Record<string, any>>).map((e) => e.message);
  assert.ok(messages.includes('(combined from similar events): attempt 9'), 'the group spans 45 minutes');
});

test('repeats of an earlier message of the same reason are counted on their own Event', async (t) => {
  const c = startTestCluster(t, []);
  const pod = c.client.create('configmaps', { metadata: { name: 'web', namespace: 'default' } });
  const rec = c.ctx.recorder({ component: 'kubelet', host: 'node01' });
  const probe = (message: string, container = 'app') => rec.event(pod, 'Warning', 'Unhealthy', message, { fieldPath: `spec.containers{${container}}` });
  probe('Readiness probe failed: HTTP probe failed with statuscode: 503');
  probe('Readiness probe failed: Get "http://10.244.1.5:80/": connect: connection refused');
  probe('Readiness probe failed: HTTP probe failed with statuscode: 503');
  probe('Readiness probe failed: HTTP probe failed with statuscode: 503', 'sidecar');
  const counts = (c.list('events', 'default') as Array<Record<string, any>>).map((e) => `${e.involvedObject.fieldPath} ${e.message} x${e.count}`).sort();
  assert.deepEqual(counts, [
    'spec.containers{app} Readiness probe failed: Get "http://10.244.1.5:80/": connect: connection refused x1',
    'spec.containers{app} Readiness probe failed: HTTP probe failed with statuscode: 503 x2',
    'spec.containers{sidecar} Readiness probe failed: HTTP probe failed with statuscode: 503 x1',
  ]);
});

test('a recorder remembers the 4,096 objects it recorded about most recently', async (t) => {
  const c = startTestCluster(t, []);
  const rec = c.ctx.recorder({ component: 'kubelet', host: 'node01' });
  const obj = (i: number) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'default', uid: `uid-${i}` } });
  const started = (i: number) => rec.event(obj(i), 'Normal', 'Started', 'Started container app', { fieldPath: 'spec.containers{app}' });
  started(0);
  started(1);
  for (let i = 2; i < 4096; i++) started(i);
  // Object 0 is the least recently used of 4,096: recording about it again touches it...
  started(0);
  // ...so object 1 is the one forgotten when another comes.
  started(4096);
  started(0);
  started(1);
  const counts = (c.list('events', 'default') as Array<Record<string, any>>).filter((e) => ['p0', 'p1'].includes(e.involvedObject.name)).map((e) => `${e.involvedObject.name} x${e.count}`).sort();
  assert.deepEqual(counts, ['p0 x3', 'p1 x1', 'p1 x1'], 'p0 counted three times on one Event; p1 written afresh');
});
