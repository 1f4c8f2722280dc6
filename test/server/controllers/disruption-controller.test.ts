import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { labelSelectorGoString, startDisruptionController } from '../../../server/controllers/disruption-controller.js';
import { startTestCluster, type TestCluster } from '../../support/cluster.js';
import { createPod, setPodStatus } from './endpoints-fixtures.js';

interface PdbStatus {
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  disruptionsAllowed: number;
  observedGeneration: number;
  conditions: Array<{ type: string; status: string; reason: string; message: string }>;
}

function status(c: TestCluster, name: string): PdbStatus {
  return c.client.get('poddisruptionbudgets.policy', { namespace: 'default', name })!.status as PdbStatus;
}

function summary(s: PdbStatus): string {
  const cond = s.conditions.find((x) => x.type === 'DisruptionAllowed')!;
  return `current=${s.currentHealthy} desired=${s.desiredHealthy} expected=${s.expectedPods} allowed=${s.disruptionsAllowed} ${cond.status}/${cond.reason}`;
}

function createPdb(c: TestCluster, name: string, spec: Record<string, unknown>): void {
  c.client.create('poddisruptionbudgets.policy', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } });
}

/** A ReplicaSet of `replicas` owning three ready pods. */
function createReplicaSet(c: TestCluster, replicas: number): KubeObject {
  const rs = c.client.create('replicasets.apps', {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-rs', namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'nginx' }] } } },
  });
  const ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-rs', uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true }];
  for (const n of ['web-1', 'web-2', 'web-3']) createPod(c, n, { app: 'web' }, { ownerReferences });
  return rs;
}

test('minAvailable 2 of 3 ready pods allows one disruption, none once a pod is not ready', async (t) => {
  const c = startTestCluster(t, [startDisruptionController]);
  createReplicaSet(c, 3);
  createPdb(c, 'web', { minAvailable: 2 });
  await c.settle();
  assert.equal(summary(status(c, 'web')), 'current=3 desired=2 expected=3 allowed=1 True/SufficientPods');
  assert.equal(status(c, 'web').observedGeneration, 1);
  assert.equal(status(c, 'web').conditions[0]!.message, '');
  setPodStatus(c, 'web-2', { ready: false });
  await c.settle();
  assert.equal(summary(status(c, 'web')), 'current=2 desired=2 expected=3 allowed=0 False/InsufficientPods');
});

test('maxUnavailable 50% counts the controller scale and rounds up', async (t) => {
  const c = startTestCluster(t, [startDisruptionController]);
  createReplicaSet(c, 4);
  createPdb(c, 'web', { maxUnavailable: '50%' });
  await c.settle();
  // 4 expected, ceil(2) unavailable allowed: desired 2; 3 healthy leave 1 disruption.
  assert.equal(summary(status(c, 'web')), 'current=3 desired=2 expected=4 allowed=1 True/SufficientPods');
  setPodStatus(c, 'web-1', { ready: false });
  setPodStatus(c, 'web-3', { ready: false });
  await c.settle();
  assert.equal(summary(status(c, 'web')), 'current=1 desired=2 expected=4 allowed=0 False/InsufficientPods');
});

test('a Deployment-owned ReplicaSet counts with the Deployment replicas', async (t) => {
  const c = startTestCluster(t, [startDisruptionController]);
  const d = c.client.create('deployments.apps', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 5, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'nginx' }] } } },
  });
  const rs = c.client.create('replicasets.apps', {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: 'web-abc', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid!, controller: true }] },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'nginx' }] } } },
  });
  createPod(c, 'web-1', { app: 'web' }, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: rs.metadata.uid!, controller: true }] });
  createPdb(c, 'web', { minAvailable: '50%' });
  await c.settle();
  assert.equal(summary(status(c, 'web')), 'current=1 desired=3 expected=5 allowed=0 False/InsufficientPods');
});

test('unmanaged pods raise a Warning; a pod whose controller is gone fails the sync', async (t) => {
  const c = startTestCluster(t, [startDisruptionController]);
  createPod(c, 'bare', { app: 'web' });
  createPdb(c, 'web', { maxUnavailable: 1 });
  await c.settle();
  assert.equal(summary(status(c, 'web')), 'current=1 desired=0 expected=0 allowed=0 False/InsufficientPods');
  const unmanaged = c.list('events', 'default').find((e) => e.reason === 'UnmanagedPods')!;
  assert.equal(unmanaged.type, 'Warning');
  assert.equal((unmanaged.source as { component: string }).component, 'controllermanager');
  assert.match(unmanaged.message as string, /^Pods selected by this PodDisruptionBudget \(selector: &LabelSelector\{MatchLabels:map\[string\]string\{app: web,\},MatchExpressions:\[\]LabelSelectorRequirement\{\},\}\) were found to be unmanaged\./);
  createPod(c, 'orphan', { app: 'web' }, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'gone', uid: 'x', controller: true }] });
  await c.settle();
  const cond = status(c, 'web').conditions[0]!;
  assert.deepEqual([cond.status, cond.reason, cond.message], ['False', 'SyncFailed', 'found no controllers for pod "orphan"']);
  const failed = c.list('events', 'default').find((e) => e.reason === 'CalculateExpectedPodCountFailed')!;
  assert.equal(failed.message, 'Failed to calculate the number of expected pods: found no controllers for pod "orphan"');
});

/** Records an eviction as the eviction subresource does: one disruption spent, the pod in disruptedPods. */
function recordEviction(c: TestCluster, pdb: string, pod: string): void {
  c.client.mutate('poddisruptionbudgets.policy', { namespace: 'default', name: pdb }, (cur) => {
    const st = structuredClone(cur.status) as PdbStatus & { disruptedPods?: Record<string, string> };
    st.disruptionsAllowed -= 1;
    st.disruptedPods = { ...st.disruptedPods, [pod]: new Date(c.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z') };
    return { ...cur, status: st };
  }, { status: true });
}

test('disruptedPods keeps an evicted pod out of the healthy count until it is gone', async (t) => {
  const c = startTestCluster(t, [startDisruptionController]);
  createReplicaSet(c, 3);
  createPdb(c, 'web', { minAvailable: 2 });
  await c.settle();
  recordEviction(c, 'web', 'web-1');
  await c.advance(1000);
  assert.equal(summary(status(c, 'web')), 'current=2 desired=2 expected=3 allowed=0 False/InsufficientPods');
  assert.deepEqual(Object.keys((status(c, 'web') as { disruptedPods?: object }).disruptedPods ?? {}), ['web-1']);
  c.client.delete('pods', { namespace: 'default', name: 'web-1' }, { gracePeriodSeconds: 0 });
  await c.settle();
  // The pod is gone: its entry goes, and 2 healthy pods of 2 expected leave nothing to spend.
  assert.equal(summary(status(c, 'web')), 'current=2 desired=2 expected=2 allowed=0 False/InsufficientPods');
  assert.equal((status(c, 'web') as { disruptedPods?: object }).disruptedPods, undefined);
});

test('a disruptedPods entry expires after 2 minutes with a NotDeleted Warning on the pod', async (t) => {
  const c = startTestCluster(t, [startDisruptionController]);
  createReplicaSet(c, 3);
  createPdb(c, 'web', { minAvailable: 2 });
  await c.settle();
  recordEviction(c, 'web', 'web-2');
  await c.advance(119_000, 1000);
  assert.equal(summary(status(c, 'web')), 'current=2 desired=2 expected=3 allowed=0 False/InsufficientPods');
  await c.advance(2000, 1000);
  assert.equal(summary(status(c, 'web')), 'current=3 desired=2 expected=3 allowed=1 True/SufficientPods');
  assert.equal((status(c, 'web') as { disruptedPods?: object }).disruptedPods, undefined);
  const notDeleted = c.list('events', 'default').find((e) => e.reason === 'NotDeleted')!;
  assert.equal(notDeleted.type, 'Warning');
  assert.equal((notDeleted.involvedObject as { name: string }).name, 'web-2');
  assert.equal(notDeleted.message, 'Pod was expected by PDB default/default to be deleted but it wasn\'t');
});

test('a percentage over DaemonSet pods fails the sync: DaemonSets have no scale subresource', async (t) => {
  const c = startTestCluster(t, [startDisruptionController]);
  const ds = c.client.create('daemonsets.apps', {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'busybox' }] } } },
  });
  createPod(c, 'agent-1', { app: 'web' }, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: ds.metadata.uid!, controller: true }] });
  createPdb(c, 'web', { minAvailable: '50%' });
  await c.settle();
  const s = status(c, 'web');
  const cond = s.conditions[0]!;
  assert.deepEqual([s.disruptionsAllowed, cond.status, cond.reason, cond.message], [0, 'False', 'SyncFailed', 'daemonsets.apps does not implement the scale subresource']);
  // An integer minAvailable needs no scale: the matching pods are the expected ones.
  c.client.mutate('poddisruptionbudgets.policy', { namespace: 'default', name: 'web' }, (cur) => ({ ...cur, spec: { ...(cur.spec as object), minAvailable: 0 } }));
  await c.settle();
  assert.equal(summary(status(c, 'web')), 'current=1 desired=0 expected=1 allowed=1 True/SufficientPods');
});

test('a ReplicaSet whose Deployment is gone counts with its own scale (scale subresource finder)', async (t) => {
  const c = startTestCluster(t, [startDisruptionController]);
  const rs = c.client.create('replicasets.apps', {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: 'web-abc', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'gone', uid: 'gone-uid', controller: true }] },
    spec: { replicas: 4, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'nginx' }] } } },
  });
  for (const n of ['web-1', 'web-2']) createPod(c, n, { app: 'web' }, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: rs.metadata.uid!, controller: true }] });
  createPdb(c, 'web', { maxUnavailable: 1 });
  await c.settle();
  assert.equal(summary(status(c, 'web')), 'current=2 desired=3 expected=4 allowed=0 False/InsufficientPods');
});

test('labelSelectorGoString renders expressions like the generated String method', () => {
  assert.equal(labelSelectorGoString({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] }),
    '&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:tier,Operator:In,Values:[a b],},},}');
});
