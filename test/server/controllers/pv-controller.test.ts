import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { startPersistentVolumeController } from '../../../server/controllers/pv-controller.js';
import { startStatefulSetController } from '../../../server/controllers/statefulset/statefulset-controller.js';
import { startStorageProtectionControllers } from '../../../server/controllers/storage-protection-controller.js';
import { startTestCluster, type TestCluster } from '../../support/cluster.js';
import { bind, createLabNodes, eventsFor, podsOf } from './workload-fixtures.js';

const claim = (c: TestCluster, name: string) => c.client.get('persistentvolumeclaims', { namespace: 'default', name })!;
const volume = (c: TestCluster, name: string) => c.client.get('persistentvolumes', { name });

test('the default local-path StorageClass exists and PVCs without a class get it', async (t) => {
  const c = startTestCluster(t, [startPersistentVolumeController]);
  const sc = c.client.get('storageclasses.storage.k8s.io', { name: 'local-path' })!;
  assert.equal(sc.metadata.annotations!['storageclass.kubernetes.io/is-default-class'], 'true');
  assert.deepEqual([sc.provisioner, sc.reclaimPolicy, sc.volumeBindingMode], ['rancher.io/local-path', 'Delete', 'WaitForFirstConsumer']);
  c.client.create('persistentvolumeclaims', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } } });
  c.client.create('persistentvolumeclaims', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'none', namespace: 'default' }, spec: { storageClassName: '', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
  await c.settle();
  assert.equal((claim(c, 'data').spec as { storageClassName: string }).storageClassName, 'local-path');
  assert.equal((claim(c, 'none').spec as { storageClassName: string }).storageClassName, '');
  assert.deepEqual(eventsFor(c, 'data'), ['WaitForFirstConsumer waiting for first consumer to be created before binding']);
  assert.deepEqual(eventsFor(c, 'none'), ['FailedBinding no persistent volumes available for this claim and no storage class is set']);
  assert.equal((claim(c, 'data').status as { phase: string }).phase, 'Pending');
});

/** Who wrote an object: `manager[/subresource]` of each managedFields entry. */
function managers(o: Readonly<KubeObject>): string[] {
  return ((o.metadata.managedFields ?? []) as Array<{ manager: string; subresource?: string }>).map((m) => `${m.manager}${m.subresource ? `/${m.subresource}` : ''}`).sort();
}

test('StatefulSet claims are provisioned on the node of their first consumer and bound', async (t) => {
  const c = startTestCluster(t, [startStatefulSetController, startPersistentVolumeController, startStorageProtectionControllers]);
  createLabNodes(c);
  c.client.create('statefulsets.apps', {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default' },
    spec: {
      serviceName: 'nginx', replicas: 1, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  });
  await c.settle();
  assert.equal((claim(c, 'www-web-0').status as { phase: string }).phase, 'Pending');
  bind(c, podsOf(c, 'web-0')[0]!, 'node02');
  await c.settle();
  const pvc = claim(c, 'www-web-0');
  const pvName = `pvc-${pvc.metadata.uid!}`;
  assert.deepEqual(pvc.status, { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } });
  assert.equal((pvc.spec as { volumeName: string }).volumeName, pvName);
  assert.equal(pvc.metadata.annotations!['volume.kubernetes.io/selected-node'], 'node02');
  assert.equal(pvc.metadata.annotations!['pv.kubernetes.io/bind-completed'], 'yes');
  const pv = volume(c, pvName)!;
  const spec = pv.spec as Record<string, any>;
  assert.equal(spec.hostPath.path, `/opt/local-path-provisioner/${pvName}_default_www-web-0`);
  assert.deepEqual(spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0], { key: 'kubernetes.io/hostname', operator: 'In', values: ['node02'] });
  assert.equal(spec.claimRef.uid, pvc.metadata.uid);
  assert.equal(spec.persistentVolumeReclaimPolicy, 'Delete');
  assert.equal((pv.status as { phase: string }).phase, 'Bound');
  // The provisioner creates the volume; kube-controller-manager's binder writes its phase and the claim.
  assert.deepEqual(managers(pv), ['kube-controller-manager/status', 'local-path-provisioner']);
  assert.deepEqual(managers(pvc), ['kube-controller-manager', 'kube-controller-manager/status']);
  assert.deepEqual(eventsFor(c, 'www-web-0'), [
    'WaitForFirstConsumer waiting for first consumer to be created before binding',
    "ExternalProvisioning Waiting for a volume to be created either by the external provisioner 'rancher.io/local-path' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
    'Provisioning External provisioner is provisioning volume for claim "default/www-web-0"',
    `ProvisioningSucceeded Successfully provisioned volume ${pvName}`,
  ]);
  // Reclaim policy Delete: the volume goes with its claim, once no pod uses the claim (pvc-protection).
  c.client.delete('persistentvolumeclaims', { namespace: 'default', name: 'www-web-0' });
  await c.settle();
  assert.ok(claim(c, 'www-web-0').metadata.deletionTimestamp);
  assert.ok(volume(c, pvName));
  c.client.delete('statefulsets.apps', { namespace: 'default', name: 'web' });
  c.client.delete('pods', { namespace: 'default', name: 'web-0' }, { gracePeriodSeconds: 0 });
  await c.settle();
  assert.equal(volume(c, pvName), undefined);
});

test('a manual PersistentVolume is Available, binds to a fitting claim and is Released after it', async (t) => {
  const c = startTestCluster(t, [startPersistentVolumeController, startStorageProtectionControllers]);
  const pv = (name: string, size: string): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name }, spec: { storageClassName: 'manual', capacity: { storage: size }, accessModes: ['ReadWriteOnce'], hostPath: { path: `/mnt/${name}` } } });
  c.client.create('persistentvolumes', pv('big', '10Gi'));
  c.client.create('persistentvolumes', pv('small', '2Gi'));
  await c.settle();
  assert.equal((volume(c, 'small')!.status as { phase: string }).phase, 'Available');
  c.client.create('persistentvolumeclaims', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'task', namespace: 'default' }, spec: { storageClassName: 'manual', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
  await c.settle();
  assert.deepEqual(claim(c, 'task').status, { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '2Gi' } });
  assert.equal((volume(c, 'small')!.status as { phase: string }).phase, 'Bound');
  assert.equal((volume(c, 'big')!.status as { phase: string }).phase, 'Available');
  c.client.delete('persistentvolumeclaims', { namespace: 'default', name: 'task' });
  await c.settle();
  assert.equal((volume(c, 'small')!.status as { phase: string }).phase, 'Released');
});
