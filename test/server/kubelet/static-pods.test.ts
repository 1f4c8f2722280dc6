import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultClusterConfig } from '../../../server/config.js';
import { startKubelets } from '../../../server/kubelet/fake-kubelet.js';
import { startNodeAgents } from '../../../server/kubelet/node-agent.js';
import { startStaticPods } from '../../../server/kubelet/static-pods.js';
import { startTestCluster } from '../../support/cluster.js';

const MIRRORS = ['etcd-controlplane', 'kube-apiserver-controlplane', 'kube-controller-manager-controlplane', 'kube-scheduler-controlplane'];

const names = (pods: any[]): string[] => pods.map((p) => p.metadata.name).sort();

test('the control-plane kubelet keeps mirror pods of its static pods, Ready once their startup probes pass', async (t) => {
  const c = startTestCluster(t, [startNodeAgents, startKubelets, startStaticPods]);
  await c.advance(1_000);
  const pods = c.list('pods', 'kube-system');
  assert.deepEqual(names(pods), MIRRORS);
  const node = c.client.get('nodes', { name: 'controlplane' })!;
  for (const p of pods as any[]) {
    assert.equal(p.spec.nodeName, 'controlplane');
    assert.equal(p.spec.hostNetwork, true);
    assert.equal(p.spec.priority, 2000001000);
    assert.equal(p.spec.serviceAccountName, undefined, 'mirror pods get no service account');
    assert.ok(!p.spec.volumes.some((v: any) => v.projected), 'and no API access volume');
    assert.equal(p.metadata.annotations['kubernetes.io/config.source'], 'file');
    assert.equal(p.metadata.annotations['kubernetes.io/config.mirror'], p.metadata.annotations['kubernetes.io/config.hash']);
    assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'controlplane', uid: node.metadata.uid, controller: true }]);
  }
  await c.advance(5_000);
  const early = c.client.get('pods', { namespace: 'kube-system', name: 'etcd-controlplane' }) as any;
  assert.equal(early.status.phase, 'Running');
  assert.equal(early.status.podIP, '172.30.1.2');
  assert.equal(early.status.containerStatuses[0].started, false, 'the startup probe waits 10 s');
  await c.advance(20_000);
  for (const p of c.list('pods', 'kube-system') as any[]) {
    assert.equal(p.status.containerStatuses[0].ready, true, `${p.metadata.name} Ready`);
    assert.equal(p.status.qosClass, 'Burstable');
  }
});

test('a deleted mirror pod comes back; none come back while the kubelet is stopped', async (t) => {
  const c = startTestCluster(t, [startNodeAgents, startKubelets, startStaticPods]);
  await c.advance(30_000);
  c.client.delete('pods', { namespace: 'kube-system', name: 'kube-scheduler-controlplane' }, { gracePeriodSeconds: 0 });
  await c.advance(1_000);
  assert.deepEqual(names(c.list('pods', 'kube-system')), MIRRORS);
  c.ctx.kubelets.stop('controlplane');
  c.client.delete('pods', { namespace: 'kube-system', name: 'etcd-controlplane' }, { gracePeriodSeconds: 0 });
  await c.advance(1_000);
  assert.deepEqual(names(c.list('pods', 'kube-system')), MIRRORS.filter((n) => n !== 'etcd-controlplane'));
  c.ctx.kubelets.start('controlplane');
  await c.advance(1_000);
  assert.deepEqual(names(c.list('pods', 'kube-system')), MIRRORS);
});

test('a cluster config with addons: false has no static pods', async (t) => {
  const c = startTestCluster(t, [startNodeAgents, startKubelets, startStaticPods], { config: { ...defaultClusterConfig(), addons: false } });
  await c.advance(1_000);
  assert.deepEqual(c.list('pods', 'kube-system'), []);
});
