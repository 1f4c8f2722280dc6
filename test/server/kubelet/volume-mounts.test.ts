import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { startKubelets } from '../../../server/kubelet/fake-kubelet.js';
import { mountRetryDelayMs, MOUNT_RETRY_MAX_MS } from '../../../server/kubelet/volume-mounts.js';
import { startTestCluster, type TestCluster } from '../../support/cluster.js';

function pod(name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'node01', ...spec } } as KubeObject;
}

function events(c: TestCluster, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of c.list('events', 'default') as any[]) if (e.involvedObject.name === name) out.set(`${e.type} ${e.reason} ${e.message}`, e.count);
  return out;
}

const status = (c: TestCluster, name: string): any => c.client.get('pods', { namespace: 'default', name })!.status;

test('a volume of a missing ConfigMap keeps the pod ContainerCreating with FailedMount until it exists', async (t) => {
  const c = startTestCluster(t, [startKubelets]);
  c.client.create('pods', pod('app', {
    containers: [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'], volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }] }],
    volumes: [{ name: 'cfg', configMap: { name: 'app-config' } }, { name: 'opt', secret: { secretName: 'absent', optional: true } }],
  }));
  await c.advance(10_000);
  let s = status(c, 'app');
  assert.equal(s.phase, 'Pending');
  assert.deepEqual(s.containerStatuses[0].state, { waiting: { reason: 'ContainerCreating' } });
  assert.equal(s.conditions.find((x: any) => x.type === 'PodReadyToStartContainers').status, 'False');
  const failed = events(c, 'app').get('Warning FailedMount MountVolume.SetUp failed for volume "cfg" : configmap "app-config" not found');
  // Attempts at 0.5 s, then 0.5, 1, 2, 4 s later: five by 8 s, the sixth due at 16 s.
  assert.equal(failed, 5);
  c.client.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', namespace: 'default' }, data: { a: 'b' } });
  await c.advance(10_000);
  s = status(c, 'app');
  assert.equal(s.phase, 'Running');
  assert.ok([...events(c, 'app').keys()].includes('Normal Started Started container app'));
});

test('the mount retry delay doubles from 500 ms up to 2 min 2 s', () => {
  assert.deepEqual([1, 2, 3, 4].map(mountRetryDelayMs), [500, 1000, 2000, 4000]);
  assert.equal(mountRetryDelayMs(20), MOUNT_RETRY_MAX_MS);
  assert.equal(MOUNT_RETRY_MAX_MS, 122_000);
});

test('a missing ConfigMap key reference records Failed on every retry, as Pulled is', async (t) => {
  const c = startTestCluster(t, [startKubelets]);
  c.client.create('pods', pod('env', {
    containers: [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'], env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'missing', key: 'k' } } }] }],
  }));
  await c.advance(35_000);
  const ev = events(c, 'env');
  assert.equal(status(c, 'env').containerStatuses[0].state.waiting.reason, 'CreateContainerConfigError');
  const failed = ev.get('Warning Failed Error: configmap "missing" not found');
  const present = ev.get('Normal Pulled Container image "busybox:1.36" already present on machine');
  assert.ok(failed !== undefined && failed >= 3, `${failed}`);
  // The first attempt pulled the image; every later one finds it present and fails again.
  assert.equal(present, failed - 1);
});
