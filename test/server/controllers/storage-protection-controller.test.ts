import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startPersistentVolumeController } from '../../../server/controllers/pv-controller.js';
import { startStorageProtectionControllers } from '../../../server/controllers/storage-protection-controller.js';
import { startTestCluster, type TestCluster } from '../../support/cluster.js';

const claim = (c: TestCluster) => c.client.get('persistentvolumeclaims', { namespace: 'default', name: 'data' });
const volume = (c: TestCluster) => c.client.get('persistentvolumes', { name: 'pv1' });

/** A pre-provisioned volume bound to claim `data`, and a scheduled pod using the claim. */
async function boundClaimInUse(c: TestCluster, reclaimPolicy: string): Promise<void> {
  c.client.create('persistentvolumes', {
    apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv1' },
    spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: reclaimPolicy, storageClassName: '', hostPath: { path: '/data/pv1' } },
  });
  c.client.create('persistentvolumeclaims', {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' },
    spec: { storageClassName: '', volumeName: 'pv1', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  });
  c.client.create('pods', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'user', namespace: 'default' },
    spec: { nodeName: 'node01', containers: [{ name: 'a', image: 'nginx' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] },
  });
  await c.settle();
  assert.equal((claim(c)!.status as { phase: string }).phase, 'Bound');
}

test('claims and volumes get their protection finalizers on create', async (t) => {
  const c = startTestCluster(t, [startPersistentVolumeController, startStorageProtectionControllers]);
  await boundClaimInUse(c, 'Retain');
  assert.deepEqual(claim(c)!.metadata.finalizers, ['kubernetes.io/pvc-protection']);
  assert.deepEqual(volume(c)!.metadata.finalizers, ['kubernetes.io/pv-protection']);
});

test('a claim in use stays Terminating until its pod finishes; then its Delete volume is released and removed', async (t) => {
  const c = startTestCluster(t, [startPersistentVolumeController, startStorageProtectionControllers]);
  await boundClaimInUse(c, 'Delete');
  c.client.delete('persistentvolumeclaims', { namespace: 'default', name: 'data' });
  await c.settle();
  assert.ok(claim(c)?.metadata.deletionTimestamp, 'the claim is Terminating while the pod uses it');
  c.client.mutate('pods', { namespace: 'default', name: 'user' }, (p) => ({ ...p, status: { ...(p.status as object), phase: 'Succeeded' } }), { status: true });
  await c.settle();
  assert.equal(claim(c), undefined);
  assert.equal(volume(c), undefined);
});

test('a bound volume deleted by hand waits for its claim to go', async (t) => {
  const c = startTestCluster(t, [startPersistentVolumeController, startStorageProtectionControllers]);
  await boundClaimInUse(c, 'Retain');
  c.client.delete('persistentvolumes', { name: 'pv1' });
  await c.settle();
  assert.ok(volume(c)?.metadata.deletionTimestamp);
  assert.equal((volume(c)!.status as { phase: string }).phase, 'Bound');
  c.client.delete('pods', { namespace: 'default', name: 'user' }, { gracePeriodSeconds: 0 });
  c.client.delete('persistentvolumeclaims', { namespace: 'default', name: 'data' });
  await c.settle();
  assert.equal(claim(c), undefined);
  assert.equal(volume(c), undefined);
});
