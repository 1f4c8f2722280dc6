import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { startStatefulSetController } from '../../../../server/controllers/statefulset/statefulset-controller.js';
import { startTestCluster, type TestCluster } from '../../../support/cluster.js';
import { bind, createLabNodes, eventsFor, finishDeletion, podsOf, setRunning } from '../workload-fixtures.js';

function statefulSet(name: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default' },
    spec: {
      serviceName: 'nginx',
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', volumeMounts: [{ name: 'www', mountPath: '/usr/share/nginx/html' }] }] } },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      ...extra,
    },
  };
}

const names = (c: TestCluster, prefix = 'web-'): string[] => podsOf(c, prefix).map((p) => `${p.metadata.name!}${p.metadata.deletionTimestamp ? ' (terminating)' : ''}`);
const stsStatus = (c: TestCluster, name = 'web') => c.client.get('statefulsets.apps', { namespace: 'default', name })!.status as Record<string, unknown>;
const patchSpec = (c: TestCluster, fn: (spec: Record<string, any>) => void, name = 'web'): void => {
  c.client.mutate('statefulsets.apps', { namespace: 'default', name }, (o) => {
    const next = structuredClone(o);
    fn(next.spec as Record<string, any>);
    return next;
  });
};
const image = (p: Readonly<KubeObject>): string => (p.spec as { containers: Array<{ image: string }> }).containers[0]!.image;

/** Binds and readies every live pod that is not running yet (the scheduler and kubelet's part). */
async function runPending(c: TestCluster, prefix = 'web-'): Promise<void> {
  for (const p of podsOf(c, prefix)) {
    const ready = (p.status as { conditions?: Array<{ type: string; status: string }> }).conditions?.some((x) => x.type === 'Ready' && x.status === 'True');
    if (p.metadata.deletionTimestamp || ready) continue;
    if (!(p.spec as { nodeName?: string }).nodeName) bind(c, p, 'node01');
    setRunning(c, c.client.get('pods', { namespace: 'default', name: p.metadata.name! })!);
  }
  await c.settle();
}

test('OrderedReady creates web-0, web-1, web-2 one at a time, each after its predecessor is Ready', async (t) => {
  const c = startTestCluster(t, [startStatefulSetController]);
  createLabNodes(c);
  c.client.create('statefulsets.apps', statefulSet('web'));
  await c.settle();
  assert.deepEqual(names(c), ['web-0']);
  const pod = podsOf(c, 'web-')[0]!;
  assert.deepEqual({ ...pod.metadata.labels }, {
    app: 'web',
    'apps.kubernetes.io/pod-index': '0',
    'controller-revision-hash': stsStatus(c).updateRevision,
    'statefulset.kubernetes.io/pod-name': 'web-0',
  });
  const spec = pod.spec as { hostname: string; subdomain: string; volumes: Array<{ name: string; persistentVolumeClaim?: { claimName: string } }> };
  assert.equal(spec.hostname, 'web-0');
  assert.equal(spec.subdomain, 'nginx');
  assert.deepEqual(spec.volumes[0], { name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } });
  const claim = c.client.get('persistentvolumeclaims', { namespace: 'default', name: 'www-web-0' })!;
  assert.deepEqual(claim.metadata.labels, { app: 'web' });
  assert.equal(claim.metadata.ownerReferences, undefined);

  // A created but not ready pod blocks its successors.
  setRunning(c, pod, false);
  await c.settle();
  assert.deepEqual(names(c), ['web-0']);
  await runPending(c);
  assert.deepEqual(names(c), ['web-0', 'web-1']);
  await runPending(c);
  assert.deepEqual(names(c), ['web-0', 'web-1', 'web-2']);
  await runPending(c);
  assert.deepEqual(eventsFor(c, 'web'), [0, 1, 2].flatMap((i) => [
    `SuccessfulCreate create Claim www-web-${i} Pod web-${i} in StatefulSet web success`,
    `SuccessfulCreate create Pod web-${i} in StatefulSet web successful`,
  ]));
  const status = stsStatus(c);
  assert.equal(status.currentRevision, status.updateRevision);
  assert.match(status.updateRevision as string, /^web-[4-9bcdf]{1,10}$/);
  assert.deepEqual({ ...status, currentRevision: 'x', updateRevision: 'x' }, {
    availableReplicas: 3, collisionCount: 0, currentReplicas: 3, currentRevision: 'x', observedGeneration: 1,
    readyReplicas: 3, replicas: 3, updateRevision: 'x', updatedReplicas: 3,
  });
});

test('scale down removes the highest ordinal first, one at a time; claims are retained', async (t) => {
  const c = startTestCluster(t, [startStatefulSetController]);
  createLabNodes(c);
  c.client.create('statefulsets.apps', statefulSet('web'));
  for (let i = 0; i < 4; i++) await runPending(c);
  patchSpec(c, (s) => { s.replicas = 1; });
  await c.settle();
  assert.deepEqual(names(c), ['web-0', 'web-1', 'web-2 (terminating)']);
  finishDeletion(c, podsOf(c, 'web-2')[0]!);
  await c.settle();
  assert.deepEqual(names(c), ['web-0', 'web-1 (terminating)']);
  finishDeletion(c, podsOf(c, 'web-1')[0]!);
  await c.settle();
  assert.deepEqual(names(c), ['web-0']);
  assert.deepEqual(eventsFor(c, 'web').filter((e) => e.startsWith('SuccessfulDelete')), [
    'SuccessfulDelete delete Pod web-2 in StatefulSet web successful',
    'SuccessfulDelete delete Pod web-1 in StatefulSet web successful',
  ]);
  assert.deepEqual(c.list('persistentvolumeclaims', 'default').map((p) => p.metadata.name).sort(), ['www-web-0', 'www-web-1', 'www-web-2']);
  assert.equal(stsStatus(c).replicas, 1);
});

test('Parallel creates and deletes all pods at once', async (t) => {
  const c = startTestCluster(t, [startStatefulSetController]);
  c.client.create('statefulsets.apps', statefulSet('web', { podManagementPolicy: 'Parallel' }));
  await c.settle();
  assert.deepEqual(names(c), ['web-0', 'web-1', 'web-2']);
  patchSpec(c, (s) => { s.replicas = 0; });
  await c.settle();
  assert.deepEqual(names(c), []);
});

test('rolling update with a partition updates from the highest ordinal down to the partition', async (t) => {
  const c = startTestCluster(t, [startStatefulSetController]);
  createLabNodes(c);
  c.client.create('statefulsets.apps', statefulSet('web'));
  for (let i = 0; i < 4; i++) await runPending(c);
  const oldRevision = stsStatus(c).currentRevision;
  patchSpec(c, (s) => {
    s.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 1 } };
    s.template.spec.containers[0].image = 'nginx:1.26';
  });
  await c.settle();
  const newRevision = stsStatus(c).updateRevision;
  assert.notEqual(newRevision, oldRevision);
  assert.deepEqual(names(c), ['web-0', 'web-1', 'web-2 (terminating)']);
  finishDeletion(c, podsOf(c, 'web-2')[0]!);
  await c.settle();
  const web2 = podsOf(c, 'web-2')[0]!;
  assert.equal(image(web2), 'nginx:1.26');
  assert.equal(web2.metadata.labels!['controller-revision-hash'], newRevision);
  // web-1 waits until the new web-2 is Ready.
  assert.deepEqual(names(c), ['web-0', 'web-1', 'web-2']);
  await runPending(c);
  assert.deepEqual(names(c), ['web-0', 'web-1 (terminating)', 'web-2']);
  finishDeletion(c, podsOf(c, 'web-1')[0]!);
  await c.settle();
  await runPending(c);
  assert.deepEqual(podsOf(c, 'web-').map(image), ['nginx:1.25', 'nginx:1.26', 'nginx:1.26']);
  const status = stsStatus(c);
  assert.equal(status.currentRevision, oldRevision);
  assert.equal(status.currentReplicas, 1);
  assert.equal(status.updatedReplicas, 2);
  // Lowering the partition to 0 finishes the rollout and the update revision becomes current.
  patchSpec(c, (s) => { s.updateStrategy.rollingUpdate.partition = 0; });
  await c.settle();
  finishDeletion(c, podsOf(c, 'web-0')[0]!);
  await c.settle();
  await runPending(c);
  assert.equal(stsStatus(c).currentRevision, newRevision);
  assert.equal(stsStatus(c).currentReplicas, 3);
  const revisions = c.list('controllerrevisions.apps', 'default').sort((a, b) => (a.revision as number) - (b.revision as number));
  assert.deepEqual(revisions.map((r) => `${r.metadata.name!} ${r.revision as number}`), [`${oldRevision as string} 1`, `${newRevision as string} 2`]);
  const data = revisions[1]!.data as { spec: { template: Record<string, unknown> } };
  assert.equal(data.spec.template.$patch, 'replace');
});

test('revisionHistoryLimit keeps only that many unused revisions', async (t) => {
  const c = startTestCluster(t, [startStatefulSetController]);
  c.client.create('statefulsets.apps', statefulSet('db', { replicas: 1, revisionHistoryLimit: 1, updateStrategy: { type: 'OnDelete' } }));
  await c.settle();
  for (const tag of ['1.26', '1.27', '1.28']) {
    patchSpec(c, (s) => { s.template.spec.containers[0].image = `nginx:${tag}`; }, 'db');
    await c.settle();
  }
  // Live: the pod's revision 1 (also current, OnDelete never completes) and the update revision 4; one more is kept.
  assert.deepEqual(c.list('controllerrevisions.apps', 'default').map((r) => r.revision).sort(), [1, 3, 4]);
  // OnDelete: the pod is replaced only when deleted, then at the update revision.
  assert.equal(image(podsOf(c, 'db-')[0]!), 'nginx:1.25');
  c.client.delete('pods', { namespace: 'default', name: 'db-0' });
  await c.settle();
  assert.equal(image(podsOf(c, 'db-')[0]!), 'nginx:1.28');
});

test('whenScaled: Delete gives the scaled-away claims the pod as owner; whenDeleted: Delete the set', async (t) => {
  const c = startTestCluster(t, [startStatefulSetController]);
  c.client.create('statefulsets.apps', statefulSet('web', { replicas: 2, podManagementPolicy: 'Parallel', persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' } }));
  await c.settle();
  const set = c.client.get('statefulsets.apps', { namespace: 'default', name: 'web' })!;
  const claim = () => c.client.get('persistentvolumeclaims', { namespace: 'default', name: 'www-web-1' })!;
  assert.deepEqual(claim().metadata.ownerReferences!.map((r) => `${r.kind}/${r.name}/${r.uid === set.metadata.uid}`), ['StatefulSet/web/true']);
  const pod = podsOf(c, 'web-1')[0]!;
  patchSpec(c, (s) => { s.replicas = 1; });
  await c.settle();
  assert.deepEqual(claim().metadata.ownerReferences!.map((r) => `${r.kind}/${r.name}/${r.uid}`), [`StatefulSet/web/${set.metadata.uid!}`, `Pod/web-1/${pod.metadata.uid!}`]);
});
