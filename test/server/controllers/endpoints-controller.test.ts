import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { startEndpointsController } from '../../../server/controllers/endpoints-controller.js';
import { startTestCluster, type TestCluster } from '../../support/cluster.js';
import { createPod, createService, setPodStatus } from './endpoints-fixtures.js';

interface Subset {
  addresses?: Array<{ ip: string; nodeName?: string; hostname?: string; targetRef?: { kind: string; name: string; namespace: string; uid: string } }>;
  notReadyAddresses?: Array<{ ip: string }>;
  ports?: Array<{ name?: string; port: number; protocol: string }>;
}

function endpoints(c: TestCluster, name: string): KubeObject | undefined {
  return c.client.get('endpoints', { namespace: 'default', name });
}

function subsets(c: TestCluster, name: string): Subset[] {
  return (endpoints(c, name)?.subsets as Subset[] | undefined) ?? [];
}

test('a service over three ready pods gets their addresses and the target port', async (t) => {
  const c = startTestCluster(t, [startEndpointsController]);
  const pods = ['web-a', 'web-b', 'web-c'].map((n, i) => createPod(c, n, { app: 'web' }, { ip: `10.244.1.${12 - i}`, node: i === 0 ? 'node01' : 'node02' }));
  createPod(c, 'other', { app: 'db' }, { ip: '10.244.1.99' });
  createService(c, 'web', { app: 'web' }, [{ port: 80, targetPort: 8080 }]);
  await c.settle();
  const ep = endpoints(c, 'web')!;
  assert.deepEqual(ep.metadata.labels, { app: 'web' });
  assert.equal(ep.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], '2026-01-01T00:00:00Z');
  const ss = subsets(c, 'web');
  assert.equal(ss.length, 1);
  assert.deepEqual(ss[0]!.addresses!.map((a) => a.ip), ['10.244.1.10', '10.244.1.11', '10.244.1.12']);
  assert.deepEqual(ss[0]!.ports, [{ port: 8080, protocol: 'TCP' }]);
  assert.equal(ss[0]!.notReadyAddresses, undefined);
  const first = ss[0]!.addresses![2]!;
  assert.deepEqual(first.targetRef, { kind: 'Pod', namespace: 'default', name: 'web-a', uid: pods[0]!.metadata.uid });
  assert.equal(first.nodeName, 'node01');
});

test('not-ready pods go to notReadyAddresses and move when readiness changes', async (t) => {
  const c = startTestCluster(t, [startEndpointsController]);
  createPod(c, 'web-a', { app: 'web' }, { ip: '10.244.1.10' });
  createPod(c, 'web-b', { app: 'web' }, { ip: '10.244.2.10', ready: false });
  createService(c, 'web', { app: 'web' }, [{ name: 'http', port: 80 }]);
  await c.settle();
  const ss = subsets(c, 'web');
  assert.equal(ss.length, 1);
  assert.deepEqual(ss[0]!.addresses!.map((a) => a.ip), ['10.244.1.10']);
  assert.deepEqual(ss[0]!.notReadyAddresses!.map((a) => a.ip), ['10.244.2.10']);
  assert.deepEqual(ss[0]!.ports, [{ name: 'http', port: 80, protocol: 'TCP' }]);
  await c.advance(5000);
  setPodStatus(c, 'web-b', { ready: true });
  await c.settle();
  assert.deepEqual(subsets(c, 'web')[0]!.addresses!.map((a) => a.ip), ['10.244.1.10', '10.244.2.10']);
  assert.equal(subsets(c, 'web')[0]!.notReadyAddresses, undefined);
  // The trigger time is the Ready transition that caused the change.
  assert.equal(endpoints(c, 'web')!.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], '2026-01-01T00:00:05Z');
  setPodStatus(c, 'web-a', { ready: false });
  await c.settle();
  assert.deepEqual(subsets(c, 'web')[0]!.addresses!.map((a) => a.ip), ['10.244.2.10']);
  assert.deepEqual(subsets(c, 'web')[0]!.notReadyAddresses!.map((a) => a.ip), ['10.244.1.10']);
});

test('named target ports resolve per pod; pods without the port are left out', async (t) => {
  const c = startTestCluster(t, [startEndpointsController]);
  createPod(c, 'a', { app: 'web' }, { ip: '10.244.1.10', ports: [{ name: 'http', containerPort: 8080 }] });
  createPod(c, 'b', { app: 'web' }, { ip: '10.244.1.11', ports: [{ name: 'http', containerPort: 9090 }] });
  createPod(c, 'c', { app: 'web' }, { ip: '10.244.1.12', ports: [{ name: 'metrics', containerPort: 9100 }] });
  createService(c, 'web', { app: 'web' }, [{ port: 80, targetPort: 'http' }]);
  await c.settle();
  const ss = subsets(c, 'web');
  const byPort = new Map(ss.map((s) => [s.ports![0]!.port, s.addresses!.map((a) => a.ip)]));
  assert.equal(ss.length, 2);
  assert.deepEqual(byPort.get(8080), ['10.244.1.10']);
  assert.deepEqual(byPort.get(9090), ['10.244.1.11']);
});

test('terminating pods leave; publishNotReadyAddresses keeps every pod ready', async (t) => {
  const c = startTestCluster(t, [startEndpointsController]);
  createPod(c, 'a', { app: 'web' }, { ip: '10.244.1.10' });
  createPod(c, 'b', { app: 'web' }, { ip: '10.244.1.11', ready: false });
  createService(c, 'web', { app: 'web' }, [{ port: 80 }]);
  createService(c, 'web-all', { app: 'web' }, [{ port: 80 }], { publishNotReadyAddresses: true });
  await c.settle();
  assert.deepEqual(subsets(c, 'web-all')[0]!.addresses!.map((a) => a.ip), ['10.244.1.10', '10.244.1.11']);
  c.client.delete('pods', { namespace: 'default', name: 'a' });
  await c.settle();
  assert.equal(subsets(c, 'web')[0]!.addresses, undefined);
  assert.deepEqual(subsets(c, 'web')[0]!.notReadyAddresses!.map((a) => a.ip), ['10.244.1.11']);
  assert.deepEqual(subsets(c, 'web-all')[0]!.addresses!.map((a) => a.ip), ['10.244.1.10', '10.244.1.11']);
});

test('headless services get the headless label and pod hostnames; selectorless ones are left alone', async (t) => {
  const c = startTestCluster(t, [startEndpointsController]);
  c.client.create('pods', { metadata: { name: 'db-0', namespace: 'default', labels: { app: 'db' } }, spec: { nodeName: 'node01', hostname: 'db-0', subdomain: 'db', containers: [{ name: 'db', image: 'postgres' }] } });
  setPodStatus(c, 'db-0', { ready: true, ip: '10.244.1.20' });
  createService(c, 'db', { app: 'db' }, [{ port: 5432 }], { clusterIP: 'None' });
  c.client.create('services', { metadata: { name: 'external', namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
  await c.settle();
  assert.equal(endpoints(c, 'db')!.metadata.labels?.['service.kubernetes.io/headless'], '');
  assert.equal(subsets(c, 'db')[0]!.addresses![0]!.hostname, 'db-0');
  assert.equal(endpoints(c, 'external'), undefined);
});

test('the Endpoints go with the service, and come back when deleted by hand', async (t) => {
  const c = startTestCluster(t, [startEndpointsController]);
  createPod(c, 'a', { app: 'web' }, { ip: '10.244.1.10' });
  createService(c, 'web', { app: 'web' }, [{ port: 80 }]);
  await c.settle();
  c.client.delete('endpoints', { namespace: 'default', name: 'web' });
  await c.settle();
  assert.deepEqual(subsets(c, 'web')[0]!.addresses!.map((a) => a.ip), ['10.244.1.10']);
  c.client.delete('services', { namespace: 'default', name: 'web' });
  await c.settle();
  assert.equal(endpoints(c, 'web'), undefined);
});

test('the kubernetes service points at the control plane on 6443', async (t) => {
  const c = startTestCluster(t, [startEndpointsController]);
  await c.settle();
  const ep = endpoints(c, 'kubernetes')!;
  assert.deepEqual(ep.metadata.labels, { 'endpointslice.kubernetes.io/skip-mirror': 'true' });
  assert.deepEqual(ep.subsets, [{ addresses: [{ ip: '172.30.1.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);
  const slice = c.client.get('endpointslices.discovery.k8s.io', { namespace: 'default', name: 'kubernetes' })!;
  assert.deepEqual(slice.metadata.labels, { 'kubernetes.io/service-name': 'kubernetes' });
  assert.deepEqual(slice.endpoints, [{ addresses: ['172.30.1.2'], conditions: { ready: true } }]);
  c.client.mutate('endpoints', { namespace: 'default', name: 'kubernetes' }, (cur) => ({ ...cur, subsets: [{ addresses: [{ ip: '1.2.3.4' }], ports: [{ port: 1, protocol: 'TCP' }] }] }));
  await c.settle();
  assert.deepEqual(endpoints(c, 'kubernetes')!.subsets, ep.subsets);
});
