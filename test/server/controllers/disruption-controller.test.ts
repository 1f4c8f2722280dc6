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

test('labelSelectorGoString renders expressions like the generated String method', () => {
  assert.equal(labelSelectorGoString({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] }),
    '&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:tier,Operator:In,Values:[a b],},},}');
});
