import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NOTE_LENGTH_LIMIT, truncateNote } from '../../../server/controllers/events-v1.js';
import { startTestCluster, type TestCluster } from '../../support/cluster.js';

const MINUTE = 60_000;

function events(c: TestCluster): Array<Record<string, any>> {
  return c.list('events', 'default') as Array<Record<string, any>>;
}

/** A cluster without components, an object to record about and the scheduler's recorder. */
function setup(t: { after(fn: () => unknown): void }) {
  const c = startTestCluster(t, []);
  const pod = c.client.create('configmaps', { metadata: { name: 'web', namespace: 'default' } });
  const rec = c.ctx.eventsRecorder('default-scheduler', 'kube-scheduler');
  t.after(() => rec.stop());
  return { c, pod, rec };
}

test('an events.k8s.io event reads like one in core/v1 and events.k8s.io/v1', async (t) => {
  const c = startTestCluster(t, []);
  const victim = c.client.create('configmaps', { metadata: { name: 'victim', namespace: 'default' } });
  const preemptor = c.client.create('configmaps', { metadata: { name: 'preemptor', namespace: 'default' } });
  const rec = c.ctx.eventsRecorder('default-scheduler', 'kube-scheduler');
  t.after(() => rec.stop());
  rec.eventf(victim, preemptor, 'Normal', 'Preempted', 'Preempting', 'Preempted by pod 1234 on node node01');
  const [ev] = events(c);
  assert.deepEqual(Object.keys(ev), ['apiVersion', 'kind', 'metadata', 'involvedObject', 'reason', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'type', 'eventTime', 'action', 'related', 'reportingComponent', 'reportingInstance']);
  assert.deepEqual(ev.related, { kind: 'ConfigMap', namespace: 'default', name: 'preemptor', uid: preemptor.metadata.uid, apiVersion: 'v1', resourceVersion: preemptor.metadata.resourceVersion });
  assert.deepEqual(ev.source, {});
  assert.equal(ev.eventTime, '2026-01-01T00:00:00.000000Z');
  assert.equal(ev.reportingInstance, 'default-scheduler-controlplane');
  const v1 = c.ctx.client('test').get('events.events.k8s.io', { namespace: 'default', name: ev.metadata.name });
  assert.ok(v1);
});

test('a repeat starts a series written at once; later repeats wait for the series to end', async (t) => {
  const { c, pod, rec } = setup(t);
  rec.eventf(pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'first note');
  c.clock.advance(MINUTE);
  // The note is not part of the key: the series keeps the first one.
  rec.eventf(pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'second note');
  let [ev] = events(c);
  assert.equal(events(c).length, 1);
  assert.equal(ev.message, 'first note');
  assert.deepEqual(ev.series, { count: 2, lastObservedTime: '2026-01-01T00:01:00.000000Z' });
  assert.deepEqual(Object.keys(ev).slice(10, 12), ['eventTime', 'series']);
  c.clock.advance(MINUTE);
  rec.eventf(pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'third note');
  assert.equal(events(c)[0].series.count, 2);
  // The pass at 6 min finds the series observed 4 min ago; the one at 12 min ends it with the count so far.
  c.clock.advance(6 * MINUTE);
  assert.equal(events(c)[0].series.count, 2);
  c.clock.advance(6 * MINUTE);
  [ev] = events(c);
  assert.deepEqual(ev.series, { count: 3, lastObservedTime: '2026-01-01T00:02:00.000000Z' });
  // Once ended, the next occurrence is a new Event.
  rec.eventf(pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'fourth note');
  assert.deepEqual(events(c).map((e) => e.message).sort(), ['first note', 'fourth note']);
});

test('a singleton is forgotten after 6 minutes; another resourceVersion or action is another Event', async (t) => {
  const { c, pod, rec } = setup(t);
  rec.eventf(pod, undefined, 'Normal', 'Scheduled', 'Binding', 'one');
  rec.eventf(pod, undefined, 'Normal', 'Scheduled', 'Other', 'two');
  const updated = c.client.mutate('configmaps', { namespace: 'default', name: 'web' }, (o) => ({ ...o, data: { k: 'v' } }));
  rec.eventf(updated, undefined, 'Normal', 'Scheduled', 'Binding', 'three');
  c.clock.advance(12 * MINUTE);
  rec.eventf(pod, undefined, 'Normal', 'Scheduled', 'Binding', 'four');
  assert.deepEqual(events(c).map((e) => `${e.message} ${e.series?.count ?? '-'}`).sort(), ['four -', 'one -', 'three -', 'two -']);
});

test('the 6-minute pass forgets an old singleton and keeps a newer event about the same object', async (t) => {
  const { c, pod, rec } = setup(t);
  rec.eventf(pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'old');
  c.clock.advance(10 * MINUTE);
  rec.eventf(pod, undefined, 'Normal', 'Scheduled', 'Binding', 'new');
  // The pass at 12 min: 'old' is 12 minutes old and goes, 'new' is 2 minutes old and stays.
  c.clock.advance(2 * MINUTE);
  rec.eventf(pod, undefined, 'Normal', 'Scheduled', 'Binding', 'new again');
  rec.eventf(pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'old again');
  assert.deepEqual(events(c).map((e) => `${e.message} ${e.series?.count ?? '-'}`).sort(), ['new 2', 'old -', 'old again -']);
});

test('a series whose Event was deleted is created again, series and all', async (t) => {
  const { c, pod, rec } = setup(t);
  rec.eventf(pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'note');
  const [first] = events(c);
  c.client.delete('events', { namespace: 'default', name: first.metadata.name });
  rec.eventf(pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'note');
  const [again] = events(c);
  assert.equal(again.metadata.name, first.metadata.name);
  assert.equal(again.series.count, 2);
});

test('the scheduler cuts a note over 1024 bytes to 1020 and " ..."', () => {
  assert.equal(truncateNote('short'), 'short');
  const exact = 'x'.repeat(NOTE_LENGTH_LIMIT);
  assert.equal(truncateNote(exact), exact);
  assert.equal(truncateNote(`${exact}y`), `${'x'.repeat(1020)} ...`);
});
