// The Deployment and ReplicaSet controllers together on a real registry; the test plays kubelet.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { startDeploymentController } from '../../../../server/controllers/deployment/deployment-controller.js';
import { computeHash } from '../../../../server/controllers/deployment/util.js';
import { startReplicaSetController } from '../../../../server/controllers/replicaset-controller.js';
import { startTestCluster, type TestCluster } from '../../../support/cluster.js';
import { converge, deployment, eventMessages, markPodsReady, setImage } from '../workload-harness.js';

const CONTROLLERS = [startReplicaSetController, startDeploymentController];

interface Counts {
  spec: number;
  status: { replicas?: number; availableReplicas?: number };
  metadata: KubeObject['metadata'];
}

function replicaSets(c: TestCluster): Counts[] {
  return c.list('replicasets.apps', 'default') as unknown as Counts[];
}

function rsSizes(c: TestCluster): Record<string, number> {
  return Object.fromEntries(c.list('replicasets.apps', 'default').map((rs) => [rs.metadata.name, (rs.spec as { replicas: number }).replicas]));
}

function getDeployment(c: TestCluster, name = 'web'): KubeObject {
  return c.client.get('deployments.apps', { namespace: 'default', name })!;
}

function condition(d: KubeObject, type: string): { status: string; reason: string; message: string } | undefined {
  return (d.status as { conditions?: Array<{ type: string; status: string; reason: string; message: string }> }).conditions?.find((x) => x.type === type);
}

function livePods(c: TestCluster): KubeObject[] {
  return c.list('pods', 'default').filter((p) => !p.metadata.deletionTimestamp);
}

test('a Deployment of 3 creates one RS named after the template hash, with 3 pods', async (t) => {
  const c = startTestCluster(t, CONTROLLERS);
  c.client.create('deployments.apps', deployment('web', 3));
  await converge(c);
  const d = getDeployment(c);
  const hash = computeHash((d.spec as { template: never }).template);
  const rss = c.list('replicasets.apps', 'default');
  assert.deepEqual(rss.map((rs) => rs.metadata.name), [`web-${hash}`]);
  const rs = rss[0]!;
  assert.deepEqual(rs.metadata.labels, { app: 'web', 'pod-template-hash': hash });
  assert.deepEqual((rs.spec as { selector: unknown }).selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
  assert.deepEqual(rs.metadata.annotations, { 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
  assert.equal(rs.metadata.ownerReferences?.[0]?.uid, d.metadata.uid);
  const pods = c.list('pods', 'default');
  assert.equal(pods.length, 3);
  for (const p of pods) {
    assert.match(p.metadata.name ?? '', new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
    assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `web-${hash}`, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  }
  // The revision annotation rides on a status write: the generation stays at 1.
  assert.equal(d.metadata.generation, 1);
  assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
  assert.deepEqual(eventMessages(c, 'web'), [`Scaled up replica set web-${hash} from 0 to 3`]);
  assert.equal(eventMessages(c, `web-${hash}`, 'SuccessfulCreate').length, 3);
  assert.equal(condition(d, 'Available')?.reason, 'MinimumReplicasUnavailable');

  markPodsReady(c);
  await converge(c);
  const done = getDeployment(c);
  assert.deepEqual(
    { ...(done.status as object), conditions: undefined },
    { observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: undefined },
  );
  assert.deepEqual(condition(done, 'Available'), { ...condition(done, 'Available'), status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
  assert.deepEqual(condition(done, 'Progressing'), { ...condition(done, 'Progressing'), status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "web-${hash}" has successfully progressed.` });
});

test('a template change rolls out within maxSurge and maxUnavailable at every step', async (t) => {
  const c = startTestCluster(t, CONTROLLERS);
  c.client.create('deployments.apps', deployment('web', 3));
  await converge(c, () => markPodsReady(c));
  const oldName = c.list('replicasets.apps', 'default')[0]!.metadata.name!;
  setImage(c, 'web', 'nginx:1.26');
  // Defaults for 3 replicas: maxSurge 1, maxUnavailable 0.
  const violations: string[] = [];
  await converge(c, () => {
    const total = replicaSets(c).reduce((n, rs) => n + (rs.spec as unknown as { replicas: number }).replicas, 0);
    const pods = livePods(c).length;
    const ready = livePods(c).filter((p) => (p.status as { phase?: string }).phase === 'Running').length;
    if (total > 4 || pods > 4) violations.push(`over surge: ${total} wanted, ${pods} pods`);
    if (ready < 3) violations.push(`under availability: ${ready} ready`);
    markPodsReady(c);
  });
  assert.deepEqual(violations, []);
  const newName = c.list('replicasets.apps', 'default').find((rs) => rs.metadata.name !== oldName)!.metadata.name!;
  assert.deepEqual(rsSizes(c), { [oldName]: 0, [newName]: 3 });
  assert.deepEqual(eventMessages(c, 'web'), [
    `Scaled up replica set ${oldName} from 0 to 3`,
    `Scaled up replica set ${newName} from 0 to 1`,
    `Scaled down replica set ${oldName} from 3 to 2`,
    `Scaled up replica set ${newName} from 1 to 2`,
    `Scaled down replica set ${oldName} from 2 to 1`,
    `Scaled up replica set ${newName} from 2 to 3`,
    `Scaled down replica set ${oldName} from 1 to 0`,
  ]);
  const d = getDeployment(c);
  assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
  assert.equal(condition(d, 'Progressing')?.reason, 'NewReplicaSetAvailable');
});

test('Recreate scales the old RS to 0 before the new RS exists', async (t) => {
  const c = startTestCluster(t, CONTROLLERS);
  c.client.create('deployments.apps', deployment('web', 3, { strategy: { type: 'Recreate' } }));
  await converge(c, () => markPodsReady(c));
  const oldName = c.list('replicasets.apps', 'default')[0]!.metadata.name!;
  setImage(c, 'web', 'nginx:1.26');
  const mixed: string[] = [];
  await converge(c, () => {
    const owners = new Set(livePods(c).map((p) => p.metadata.ownerReferences?.[0]?.name));
    if (owners.size > 1) mixed.push([...owners].join(','));
    markPodsReady(c);
  });
  assert.deepEqual(mixed, []);
  const newName = c.list('replicasets.apps', 'default').find((rs) => rs.metadata.name !== oldName)!.metadata.name!;
  assert.deepEqual(eventMessages(c, 'web'), [
    `Scaled up replica set ${oldName} from 0 to 3`,
    `Scaled down replica set ${oldName} from 3 to 0`,
    `Scaled up replica set ${newName} from 0 to 3`,
  ]);
});

test('scaling a paused deployment mid-rollout scales every RS proportionally', async (t) => {
  const c = startTestCluster(t, CONTROLLERS);
  const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } };
  c.client.create('deployments.apps', deployment('web', 10, { strategy }));
  await converge(c, () => markPodsReady(c));
  const oldName = c.list('replicasets.apps', 'default')[0]!.metadata.name!;
  setImage(c, 'web', 'nginx:1.26');
  // New pods never become ready: the rollout stops at old 8 + new 5 (13 = 10 + maxSurge).
  await converge(c);
  const newName = c.list('replicasets.apps', 'default').find((rs) => rs.metadata.name !== oldName)!.metadata.name!;
  assert.deepEqual(rsSizes(c), { [oldName]: 8, [newName]: 5 });
  c.client.mutate('deployments.apps', { namespace: 'default', name: 'web' }, (cur) => ({ ...cur, spec: { ...(cur.spec as object), paused: true } }));
  await converge(c);
  assert.deepEqual(condition(getDeployment(c), 'Progressing'), { ...condition(getDeployment(c), 'Progressing'), status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
  c.client.mutate('deployments.apps', { namespace: 'default', name: 'web' }, (cur) => ({ ...cur, spec: { ...(cur.spec as object), replicas: 15 } }));
  await converge(c);
  // 18 allowed (15 + 3): 8·18/13 = 11.08 → 11 and 5·18/13 = 6.92 → 7.
  assert.deepEqual(rsSizes(c), { [oldName]: 11, [newName]: 7 });
  assert.deepEqual(eventMessages(c, 'web').slice(-2), [`Scaled up replica set ${oldName} from 8 to 11`, `Scaled up replica set ${newName} from 5 to 7`]);
});

test('revisionHistoryLimit deletes the oldest scaled-down RSs', async (t) => {
  const c = startTestCluster(t, CONTROLLERS);
  c.client.create('deployments.apps', deployment('web', 2, { revisionHistoryLimit: 1 }));
  await converge(c, () => markPodsReady(c));
  const names = [c.list('replicasets.apps', 'default')[0]!.metadata.name!];
  for (const image of ['nginx:1.26', 'nginx:1.27']) {
    setImage(c, 'web', image);
    await converge(c, () => markPodsReady(c));
    names.push(c.list('replicasets.apps', 'default').map((rs) => rs.metadata.name!).find((n) => !names.includes(n))!);
  }
  assert.deepEqual(c.list('replicasets.apps', 'default').map((rs) => rs.metadata.name).sort(), [names[1], names[2]].sort());
});

test('no progress within progressDeadlineSeconds sets ProgressDeadlineExceeded', async (t) => {
  const c = startTestCluster(t, CONTROLLERS);
  c.client.create('deployments.apps', deployment('web', 2, { progressDeadlineSeconds: 30 }));
  await converge(c);
  const rsName = c.list('replicasets.apps', 'default')[0]!.metadata.name!;
  assert.equal(condition(getDeployment(c), 'Progressing')?.reason, 'ReplicaSetUpdated');
  await c.advance(29_000, 1000);
  assert.equal(condition(getDeployment(c), 'Progressing')?.reason, 'ReplicaSetUpdated');
  // Nothing changes after the deadline: only the requeue at the deadline notices it.
  await c.advance(3_000, 1000);
  assert.deepEqual(condition(getDeployment(c), 'Progressing'), {
    ...condition(getDeployment(c), 'Progressing'),
    status: 'False',
    reason: 'ProgressDeadlineExceeded',
    message: `ReplicaSet "${rsName}" has timed out progressing.`,
  });
});
