import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { startEndpointSliceController } from '../../../server/controllers/endpointslice-controller.js';
import { startGarbageCollector } from '../../../server/controllers/garbage-collector.js';
import type { StartComponent } from '../../../server/cluster.js';
import { startTestCluster, type TestCluster } from '../../support/cluster.js';
import { createNode, createPod, createService, setPodStatus } from './endpoints-fixtures.js';

interface Endpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  nodeName?: string;
  zone?: string;
  targetRef: { kind: string; name: string; namespace: string; uid: string };
}

const startGC: StartComponent = (ctx) => startGarbageCollector(ctx.client('generic-garbage-collector'), ctx.table);

function slices(c: TestCluster, svc: string): KubeObject[] {
  return c.list('endpointslices.discovery.k8s.io', 'default').filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc);
}

function endpointsOf(s: KubeObject): Endpoint[] {
  return (s.endpoints as Endpoint[] | null) ?? [];
}

function setup(t: Parameters<typeof startTestCluster>[0]): TestCluster {
  const c = startTestCluster(t, [startEndpointSliceController, startGC]);
  createNode(c, 'node01', { 'topology.kubernetes.io/zone': 'zone-a' });
  createNode(c, 'node02');
  return c;
}

test('a service gets one slice with its pods, conditions, node, zone and ports', async (t) => {
  const c = setup(t);
  const svc = createService(c, 'web', { app: 'web' }, [{ name: 'http', port: 80, targetPort: 'http' }]);
  createPod(c, 'web-a', { app: 'web' }, { ip: '10.244.1.10', ports: [{ name: 'http', containerPort: 8080 }] });
  createPod(c, 'web-b', { app: 'web' }, { ip: '10.244.2.10', node: 'node02', ready: false, ports: [{ name: 'http', containerPort: 8080 }] });
  await c.settle();
  const [slice, ...rest] = slices(c, 'web');
  assert.equal(rest.length, 0);
  assert.match(slice!.metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.deepEqual(slice!.metadata.labels, { app: 'web', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
  assert.deepEqual(slice!.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  assert.equal(slice!.addressType, 'IPv4');
  assert.deepEqual(slice!.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  const eps = endpointsOf(slice!);
  const a = eps.find((e) => e.targetRef.name === 'web-a')!;
  const b = eps.find((e) => e.targetRef.name === 'web-b')!;
  assert.deepEqual(a.addresses, ['10.244.1.10']);
  assert.deepEqual(a.conditions, { ready: true, serving: true, terminating: false });
  assert.equal(a.nodeName, 'node01');
  assert.equal(a.zone, 'zone-a');
  assert.deepEqual(b.conditions, { ready: false, serving: false, terminating: false });
  assert.equal(b.zone, undefined);
});

test('readiness changes and terminating pods update the slice in place', async (t) => {
  const c = setup(t);
  createService(c, 'web', { app: 'web' }, [{ port: 80 }]);
  createPod(c, 'web-a', { app: 'web' }, { ip: '10.244.1.10' });
  createPod(c, 'web-b', { app: 'web' }, { ip: '10.244.1.11', ready: false });
  await c.settle();
  const name = slices(c, 'web')[0]!.metadata.name;
  setPodStatus(c, 'web-b', { ready: true });
  await c.settle();
  assert.deepEqual(endpointsOf(slices(c, 'web')[0]!).map((e) => e.conditions.ready), [true, true]);
  c.client.delete('pods', { namespace: 'default', name: 'web-a' });
  await c.settle();
  const [slice] = slices(c, 'web');
  assert.equal(slice!.metadata.name, name);
  const a = endpointsOf(slice!).find((e) => e.targetRef.name === 'web-a')!;
  // Terminating but still Ready: serving, not ready.
  assert.deepEqual(a.conditions, { ready: false, serving: true, terminating: true });
  c.client.delete('pods', { namespace: 'default', name: 'web-a' }, { gracePeriodSeconds: 0 });
  await c.settle();
  assert.deepEqual(endpointsOf(slices(c, 'web')[0]!).map((e) => e.targetRef.name), ['web-b']);
});

test('a service without pods keeps a placeholder slice; slices go with the service', async (t) => {
  const c = setup(t);
  createService(c, 'empty', { app: 'none' }, [{ port: 80 }]);
  await c.settle();
  const [placeholder, ...rest] = slices(c, 'empty');
  assert.equal(rest.length, 0);
  assert.equal(placeholder!.endpoints ?? null, null);
  assert.equal(placeholder!.ports ?? null, null);
  c.client.delete('services', { namespace: 'default', name: 'empty' });
  await c.settle();
  assert.deepEqual(slices(c, 'empty'), []);
});

test('more than 100 endpoints are split over slices', async (t) => {
  const c = setup(t);
  for (let i = 0; i < 130; i++) createPod(c, `p${i}`, { app: 'big' }, { ip: `10.244.${1 + Math.floor(i / 200)}.${i + 2}` });
  createService(c, 'big', { app: 'big' }, [{ port: 80 }]);
  await c.settle();
  const sizes = slices(c, 'big').map((s) => endpointsOf(s).length).sort((x, y) => y - x);
  assert.deepEqual(sizes, [100, 30]);
});

test('pods on unknown nodes are left out until the node exists', async (t) => {
  const c = setup(t);
  createService(c, 'web', { app: 'web' }, [{ port: 80 }]);
  createPod(c, 'web-a', { app: 'web' }, { ip: '10.244.3.10', node: 'node03' });
  await c.settle();
  assert.deepEqual(endpointsOf(slices(c, 'web')[0]!), []);
  createNode(c, 'node03');
  await c.advance(1000);
  assert.deepEqual(endpointsOf(slices(c, 'web')[0]!).map((e) => e.targetRef.name), ['web-a']);
});
