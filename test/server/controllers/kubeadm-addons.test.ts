import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_COMPONENTS } from '../../../server/cluster.js';
import { startTestCluster } from '../../support/cluster.js';

test('a fresh cluster runs CoreDNS behind kube-dns and kube-proxy on every node, as kubeadm sets them up', async (t) => {
  const c = startTestCluster(t, DEFAULT_COMPONENTS);
  await c.advance(40_000, 200);
  const coredns = c.client.get('deployments.apps', { namespace: 'kube-system', name: 'coredns' }) as any;
  assert.equal(coredns.status.availableReplicas, 2);
  const dns = c.client.get('services', { namespace: 'kube-system', name: 'kube-dns' }) as any;
  assert.equal(dns.spec.clusterIP, '10.96.0.10');
  assert.deepEqual(dns.spec.ports.map((p: any) => `${p.name}:${p.port}/${p.protocol}`), ['dns:53/UDP', 'dns-tcp:53/TCP', 'metrics:9153/TCP']);
  const endpoints = c.client.get('endpoints', { namespace: 'kube-system', name: 'kube-dns' }) as any;
  assert.equal(endpoints.subsets[0].addresses.length, 2, 'both CoreDNS pods are ready endpoints');
  const proxies = (c.list('pods', 'kube-system') as any[]).filter((p) => p.metadata.labels['k8s-app'] === 'kube-proxy');
  assert.deepEqual(proxies.map((p) => p.spec.nodeName).sort(), ['controlplane', 'node01', 'node02']);
  for (const p of proxies) {
    assert.equal(p.status.podIP, p.status.hostIP, 'kube-proxy uses the host network');
    assert.equal(p.status.containerStatuses[0].ready, true);
  }
  const ds = c.client.get('daemonsets.apps', { namespace: 'kube-system', name: 'kube-proxy' }) as any;
  assert.equal(ds.status.numberReady, 3);
  assert.deepEqual(c.list('events', 'kube-system').filter((e: any) => e.involvedObject.name.startsWith('kube-proxy-') && e.reason === 'Pulling'), [], 'kube-proxy is pre-pulled on every node');
});

test('addons are created once: a deleted CoreDNS stays deleted, as with kubeadm', async (t) => {
  const c = startTestCluster(t, DEFAULT_COMPONENTS);
  await c.advance(2_000);
  c.client.delete('deployments.apps', { namespace: 'kube-system', name: 'coredns' });
  await c.advance(10_000);
  assert.equal(c.client.get('deployments.apps', { namespace: 'kube-system', name: 'coredns' }), undefined);
});
