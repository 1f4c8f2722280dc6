import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StatusError } from '../../../server/api/errors.js';
import { startResourceQuotaController } from '../../../server/controllers/resourcequota-controller.js';
import { startTestCluster, type TestCluster } from '../../support/cluster.js';

type List = Record<string, string>;

function createQuota(c: TestCluster, hard: List, name = 'q'): void {
  c.client.create('resourcequotas', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: 'default' }, spec: { hard } });
}

function createPod(c: TestCluster, name: string, requests?: List): void {
  c.client.create('pods', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'nginx', ...(requests ? { resources: { requests } } : {}) }] },
  });
}

function refusal(fn: () => void): StatusError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError);
    return e;
  }
  assert.fail('the create was admitted');
}

test('a pod past the quota is refused with exceeded quota; admitted pods are charged at once', async (t) => {
  const c = startTestCluster(t, [startResourceQuotaController]);
  createQuota(c, { pods: '2', 'requests.cpu': '1' });
  await c.settle();
  createPod(c, 'a', { cpu: '400m' });
  // Charged by admission before the controller recounts: a burst cannot overshoot.
  assert.deepEqual((c.client.get('resourcequotas', { namespace: 'default', name: 'q' })!.status as { used: List }).used, { pods: '1', 'requests.cpu': '400m' });
  const cpu = refusal(() => createPod(c, 'b', { cpu: '700m' }));
  assert.equal(cpu.code, 403);
  assert.equal(cpu.reason, 'Forbidden');
  assert.equal(cpu.message, 'pods "b" is forbidden: exceeded quota: q, requested: requests.cpu=700m, used: requests.cpu=400m, limited: requests.cpu=1');
  createPod(c, 'b', { cpu: '600m' });
  const pods = refusal(() => createPod(c, 'c', { cpu: '0' }));
  assert.equal(pods.message, 'pods "c" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2');
  c.client.delete('pods', { namespace: 'default', name: 'a' }, { gracePeriodSeconds: 0 });
  await c.settle();
  createPod(c, 'c', { cpu: '100m' });
  assert.equal(c.list('pods', 'default').length, 2);
});

test('a quota the controller has not counted yet refuses pods; other kinds and namespaces pass', async (t) => {
  const c = startTestCluster(t, []);
  createQuota(c, { pods: '5' });
  const unknown = refusal(() => createPod(c, 'a'));
  assert.equal(unknown.message, 'pods "a" is forbidden: status unknown for quota: q, resources: pods');
  c.client.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' } });
  c.client.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'kube-public' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } });
});
