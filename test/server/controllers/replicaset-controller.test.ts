// The ReplicaSet controller alone on a real registry; the test plays kubelet.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { ReplicaSetController, startReplicaSetController, startReplicationController } from '../../../server/controllers/replicaset-controller.js';
import { BY_CONTROLLER_UID } from '../../../server/informers/factory.js';
import { Informer } from '../../../server/informers/informer.js';
import { startTestCluster, type TestCluster } from '../../support/cluster.js';
import { converge, eventMessages, markPodsReady } from './workload-harness.js';

function replicaSet(name: string, replicas: number, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name, tier: 'web' }, annotations: { note: 'x' } }, spec: { containers: [{ name, image: 'nginx:1.25' }] } },
      ...spec,
    },
  };
}

function rsStatus(c: TestCluster, name = 'web'): Record<string, unknown> {
  return c.client.get('replicasets.apps', { namespace: 'default', name })!.status as Record<string, unknown>;
}

function setReplicas(c: TestCluster, n: number): void {
  c.client.mutate('replicasets.apps', { namespace: 'default', name: 'web' }, (cur) => ({ ...cur, spec: { ...(cur.spec as object), replicas: n } }));
}

test('creates missing pods from the template with a controller reference, and reports status', async (t) => {
  const c = startTestCluster(t, [startReplicaSetController]);
  const rs = c.client.create('replicasets.apps', replicaSet('web', 3));
  await converge(c);
  const pods = c.list('pods', 'default');
  assert.equal(pods.length, 3);
  for (const p of pods) {
    assert.match(p.metadata.name ?? '', /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(p.metadata.labels, { app: 'web', tier: 'web' });
    assert.deepEqual(p.metadata.annotations, { note: 'x' });
    assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  }
  assert.deepEqual(eventMessages(c, 'web', 'SuccessfulCreate').sort(), pods.map((p) => `Created pod: ${p.metadata.name}`).sort());
  assert.deepEqual(rsStatus(c), { replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
  markPodsReady(c);
  await converge(c);
  assert.deepEqual(rsStatus(c), { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
});

test('scaling down deletes not-ready pods before ready ones', async (t) => {
  const c = startTestCluster(t, [startReplicaSetController]);
  c.client.create('replicasets.apps', replicaSet('web', 3));
  await converge(c);
  const keep = c.list('pods', 'default')[1]!.metadata.name;
  markPodsReady(c, (p) => p.metadata.name === keep);
  await converge(c);
  setReplicas(c, 1);
  await converge(c);
  assert.deepEqual(c.list('pods', 'default').map((p) => p.metadata.name), [keep]);
  assert.equal(eventMessages(c, 'web', 'SuccessfulDelete').length, 2);
  assert.ok(eventMessages(c, 'web', 'SuccessfulDelete').every((m) => /^Deleted pod: web-/.test(m) && !m.endsWith(keep!)));
  assert.equal(rsStatus(c).observedGeneration, 2);
});

test('adopts a matching orphan and releases a pod relabelled out of the selector', async (t) => {
  const c = startTestCluster(t, [startReplicaSetController]);
  c.client.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  const rs = c.client.create('replicasets.apps', replicaSet('web', 2));
  await converge(c);
  const stray = c.client.get('pods', { namespace: 'default', name: 'stray' })!;
  assert.equal(stray.metadata.ownerReferences?.[0]?.uid, rs.metadata.uid);
  assert.equal(c.list('pods', 'default').length, 2);
  // Only the template labels make a pod "fully labeled": the adopted stray lacks tier=web.
  assert.equal(rsStatus(c).fullyLabeledReplicas, 1);
  c.client.mutate('pods', { namespace: 'default', name: 'stray' }, (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { app: 'other' } } }));
  await converge(c);
  assert.equal(c.client.get('pods', { namespace: 'default', name: 'stray' })!.metadata.ownerReferences, undefined);
  assert.equal(c.list('pods', 'default').filter((p) => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid).length, 2);
});

test('availableReplicas waits minReadySeconds after Ready, through a timed requeue', async (t) => {
  const c = startTestCluster(t, [startReplicaSetController]);
  c.client.create('replicasets.apps', replicaSet('web', 2, { minReadySeconds: 10 }));
  await converge(c);
  markPodsReady(c);
  await converge(c);
  assert.equal(rsStatus(c).readyReplicas, 2);
  assert.equal(rsStatus(c).availableReplicas, undefined);
  await c.advance(10_000, 1000);
  assert.equal(rsStatus(c).availableReplicas, 2);
});

test('terminating pods are not replicas', async (t) => {
  const c = startTestCluster(t, [startReplicaSetController]);
  c.client.create('replicasets.apps', replicaSet('web', 2));
  await converge(c);
  // A finalizer holds the deleted pod, terminating, as a kubelet would during its grace period.
  const victim = c.list('pods', 'default')[0]!.metadata.name!;
  c.client.mutate('pods', { namespace: 'default', name: victim }, (cur) => ({ ...cur, metadata: { ...cur.metadata, finalizers: ['example.com/hold'] } }));
  c.client.delete('pods', { namespace: 'default', name: victim });
  await converge(c);
  assert.equal(c.list('pods', 'default').length, 3);
  assert.equal(rsStatus(c).replicas, 2);
  // terminatingReplicas stays unset while the feature gate is off (see ENABLE_TERMINATING_REPLICAS).
  assert.equal(rsStatus(c).terminatingReplicas, undefined);
});

test('a ReplicationController is kept at its replicas the same way, with its map selector and v1 owner', async (t) => {
  const c = startTestCluster(t, [startReplicationController]);
  const rc = c.client.create('replicationcontrollers', {
    apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'legacy', namespace: 'default' },
    spec: { replicas: 2, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } } },
  });
  await converge(c);
  const pods = c.list('pods', 'default');
  assert.equal(pods.length, 2);
  for (const p of pods) {
    assert.match(p.metadata.name ?? '', /^legacy-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'ReplicationController', name: 'legacy', uid: rc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  }
  const events = c.list('events', 'default').filter((e: any) => e.reason === 'SuccessfulCreate') as any[];
  assert.deepEqual(events.map((e) => `${e.source.component} ${e.involvedObject.kind}`), ['replication-controller ReplicationController', 'replication-controller ReplicationController']);
  markPodsReady(c);
  await converge(c);
  const status = c.client.get('replicationcontrollers', { namespace: 'default', name: 'legacy' })!.status;
  assert.deepEqual(status, { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 });
  c.client.mutate('replicationcontrollers', { namespace: 'default', name: 'legacy' }, (cur) => ({ ...cur, spec: { ...(cur.spec as object), replicas: 1 } }));
  await converge(c);
  assert.equal(c.list('pods', 'default').filter((p) => !p.metadata.deletionTimestamp).length, 1);
});

test('a pod status that changes nothing a sync counts (a Ready condition appearing as False) does not resync the ReplicaSet', async (t) => {
  const syncs = t.mock.method(ReplicaSetController.prototype, 'syncReplicaSet');
  const c = startTestCluster(t, [startReplicaSetController]);
  c.client.create('replicasets.apps', replicaSet('web', 2));
  await converge(c);
  const before = syncs.mock.callCount();
  // The kubelet's first status of a pod: still Pending, containers creating, not ready.
  for (const pod of c.list('pods', 'default')) {
    c.client.mutate('pods', { namespace: 'default', name: pod.metadata.name ?? '' }, (cur) => ({
      ...cur,
      status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady', lastTransitionTime: '2026-01-01T00:00:00Z' }], hostIP: '172.18.0.3' },
    }), { status: true });
  }
  await converge(c);
  assert.equal(syncs.mock.callCount(), before);
  markPodsReady(c);
  await converge(c);
  assert.ok(syncs.mock.callCount() > before, 'readiness resyncs');
  assert.deepEqual(rsStatus(c), { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 });
});

test('syncs count from the tally pod events keep, without walking the pods, and walk again only to claim or delete', async (t) => {
  const walks = t.mock.method(Informer.prototype, 'indexEntries');
  const podWalks = (): number => walks.mock.calls.filter((call) => call.this === c.ctx.informers.for('pods') && call.arguments[0] === BY_CONTROLLER_UID).length;
  const c = startTestCluster(t, [startReplicaSetController]);
  c.client.create('replicasets.apps', replicaSet('web', 3));
  await converge(c);
  const built = podWalks();
  assert.ok(built > 0, 'the first sync walks the pods and builds the tally');
  const [first, second, third] = c.list('pods', 'default').map((p) => p.metadata.name!);
  markPodsReady(c, (p) => p.metadata.name !== third);
  await converge(c);
  assert.deepEqual(rsStatus(c), { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 });
  // A template label dropped (the selector still matches): one pod fewer fully labeled.
  c.client.mutate('pods', { namespace: 'default', name: second! }, (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { app: 'web' } } }));
  // A terminating pod is no replica: the ReplicaSet replaces it.
  c.client.mutate('pods', { namespace: 'default', name: first! }, (cur) => ({ ...cur, metadata: { ...cur.metadata, finalizers: ['example.com/hold'] } }));
  c.client.delete('pods', { namespace: 'default', name: first! });
  await converge(c);
  assert.equal(c.list('pods', 'default').length, 4);
  assert.deepEqual(rsStatus(c), { replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 });
  assert.equal(podWalks(), built, 'readiness, labels, termination and a replacement came from the tally');
  // Relabelled out of the selector: the sync walks the pods to release it, and replaces it.
  c.client.mutate('pods', { namespace: 'default', name: third! }, (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { app: 'other' } } }));
  await converge(c);
  assert.ok(podWalks() > built);
  assert.equal(c.client.get('pods', { namespace: 'default', name: third! })!.metadata.ownerReferences, undefined);
  assert.deepEqual(rsStatus(c), { replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 });
  // Scaling down ranks the pods: another walk, and the counts follow.
  const before = podWalks();
  setReplicas(c, 1);
  await converge(c);
  assert.ok(podWalks() > before);
  assert.equal(rsStatus(c).replicas, 1);
});
