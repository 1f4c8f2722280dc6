import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Event, Node } from 'kubernetes-types/core/v1.js';
import { startNodeLifecycleController } from '../../../server/controllers/node-lifecycle-controller.js';
import { NODE_READY_DELAY_MS, NodeAgent, startNodeAgents } from '../../../server/kubelet/node-agent.js';
import { nodeImage, withNodeImage } from '../../../server/kubelet/node-images.js';
import { formatBinaryQuantity } from '../../../server/kubelet/node-status.js';
import { startTestCluster, type TestCluster } from '../../support/cluster.js';

const node = (c: TestCluster, name: string) => c.client.get('nodes', { name }) as Node;
const conditionsOf = (n: Node) => Object.fromEntries((n.status?.conditions ?? []).map((x) => [x.type, `${x.status} ${x.reason}`]));
const taintsOf = (n: Node) => (n.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);
const lease = (c: TestCluster, name: string) => c.client.get('leases.coordination.k8s.io', { namespace: 'kube-node-lease', name }) as Lease;
function nodeEvents(c: TestCluster, name: string, component?: string): string[] {
  return (c.list('events', 'default') as unknown as Event[])
    .filter((e) => e.involvedObject.kind === 'Node' && e.involvedObject.name === name && (!component || e.source?.component === component))
    .map((e) => `${e.reason} ${e.message}`);
}

test('nodes register with kubeadm labels, taints, resources and node info', async (t) => {
  const c = startTestCluster(t, [startNodeAgents, startNodeLifecycleController]);
  await c.settle();
  assert.deepEqual(c.list('nodes').map((n) => n.metadata.name), ['controlplane', 'node01', 'node02']);
  const n = node(c, 'node01');
  assert.deepEqual(n.metadata?.labels, {
    'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': 'node01', 'kubernetes.io/os': 'linux',
  });
  assert.deepEqual(taintsOf(n), ['node.kubernetes.io/not-ready:NoSchedule'], 'TaintNodesByCondition adds not-ready on creation');
  assert.deepEqual(taintsOf(node(c, 'controlplane')), ['node-role.kubernetes.io/control-plane:NoSchedule', 'node.kubernetes.io/not-ready:NoSchedule']);
  assert.equal(node(c, 'controlplane').metadata?.labels?.['node-role.kubernetes.io/control-plane'], '');
  assert.deepEqual(n.status?.capacity, { cpu: '4', 'ephemeral-storage': '101430960Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '8148340Ki', pods: '110' });
  assert.equal(n.status?.allocatable?.memory, '8045940Ki', 'capacity minus the 100Mi eviction threshold');
  assert.equal(n.status?.allocatable?.['ephemeral-storage'], '93478772582', 'about 90% of capacity, in bytes');
  assert.deepEqual(n.status?.addresses, [{ type: 'InternalIP', address: '172.30.1.3' }, { type: 'Hostname', address: 'node01' }]);
  assert.equal(n.status?.daemonEndpoints?.kubeletEndpoint?.Port, 10250);
  const info = n.status!.nodeInfo!;
  assert.equal(info.kubeletVersion, 'v1.35.2');
  assert.equal(info.kubeProxyVersion, '');
  assert.equal(info.containerRuntimeVersion, 'containerd://2.0.0');
  assert.equal(info.operatingSystem, 'linux');
  assert.match(info.machineID, /^[0-9a-f]{32}$/);
  assert.equal(n.spec?.podCIDR, '10.244.1.0/24');
  assert.deepEqual(n.spec?.podCIDRs, ['10.244.1.0/24']);
  assert.ok(n.status?.images?.some((i) => i.names?.includes('registry.k8s.io/kube-proxy:v1.35.2')));
  assert.ok(node(c, 'controlplane').status?.images?.some((i) => i.names?.includes('registry.k8s.io/etcd:3.6.6-0')));
});

test('a new node is NotReady, then Ready after the startup delay, and loses the not-ready taint', async (t) => {
  const c = startTestCluster(t, [startNodeAgents, startNodeLifecycleController]);
  await c.settle();
  const before = node(c, 'node01');
  assert.deepEqual(conditionsOf(before), {
    MemoryPressure: 'False KubeletHasSufficientMemory', DiskPressure: 'False KubeletHasNoDiskPressure', PIDPressure: 'False KubeletHasSufficientPID', Ready: 'False KubeletNotReady',
  });
  assert.deepEqual(before.status?.conditions?.map((x) => x.type), ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready']);
  await c.advance(NODE_READY_DELAY_MS);
  const after = node(c, 'node01');
  const ready = after.status!.conditions!.find((x) => x.type === 'Ready')!;
  assert.equal(`${ready.status} ${ready.reason} ${ready.message}`, 'True KubeletReady kubelet is posting ready status');
  assert.equal(ready.lastTransitionTime, '2026-01-01T00:00:02Z');
  assert.deepEqual(taintsOf(after), []);
  assert.deepEqual(taintsOf(node(c, 'controlplane')), ['node-role.kubernetes.io/control-plane:NoSchedule']);
  await c.advance(5_000);
  assert.deepEqual(nodeEvents(c, 'node01'), [
    'Starting Starting kubelet.',
    'NodeHasSufficientMemory Node node01 status is now: NodeHasSufficientMemory',
    'NodeHasNoDiskPressure Node node01 status is now: NodeHasNoDiskPressure',
    'NodeHasSufficientPID Node node01 status is now: NodeHasSufficientPID',
    'NodeAllocatableEnforced Updated Node Allocatable limit across pods',
    'NodeReady Node node01 status is now: NodeReady',
    'RegisteredNode Node node01 event: Registered Node node01 in Controller',
  ]);
  const starting = (c.list('events', 'default') as unknown as Event[]).find((e) => e.reason === 'Starting' && e.involvedObject.name === 'node01')!;
  assert.equal(starting.involvedObject.uid, 'node01', 'kubelet node events use the node name as uid');
  assert.deepEqual(starting.source, { component: 'kubelet', host: 'node01' });
  const registered = (c.list('events', 'default') as unknown as Event[]).find((e) => e.reason === 'RegisteredNode' && e.involvedObject.name === 'node01')!;
  assert.equal(registered.involvedObject.uid, after.metadata?.uid);
});

test('the node Lease is renewed every 10 s of virtual time; status is re-posted every 5 min', async (t) => {
  const c = startTestCluster(t, [startNodeAgents]);
  await c.settle();
  const first = lease(c, 'node02');
  assert.equal(first.spec?.holderIdentity, 'node02');
  assert.equal(first.spec?.leaseDurationSeconds, 40);
  assert.equal(first.spec?.renewTime, '2026-01-01T00:00:00.000000Z');
  assert.deepEqual(first.metadata?.ownerReferences?.map((o) => `${o.kind}/${o.name}/${o.uid}`), [`Node/node02/${node(c, 'node02').metadata?.uid}`]);
  await c.advance(10_000, 1_000);
  assert.equal(lease(c, 'node02').spec?.renewTime, '2026-01-01T00:00:10.000000Z');
  const heartbeat = () => node(c, 'node02').status!.conditions!.find((x) => x.type === 'Ready')!.lastHeartbeatTime;
  assert.equal(heartbeat(), '2026-01-01T00:00:02Z');
  await c.advance(5 * 60_000, 10_000);
  assert.equal(heartbeat(), '2026-01-01T00:05:10Z', 'the first 10 s status sync at least 5 min after the last report');
});

test('a stopped kubelet neither renews its Lease nor posts status; started again it boots and turns Ready', async (t) => {
  const c = startTestCluster(t, [startNodeAgents]);
  await c.advance(5_000);
  c.ctx.kubelets.stop('node01');
  const stoppedAt = lease(c, 'node01').spec?.renewTime;
  await c.advance(60_000, 1_000);
  assert.equal(lease(c, 'node01').spec?.renewTime, stoppedAt);
  assert.notEqual(lease(c, 'node02').spec?.renewTime, stoppedAt);
  c.ctx.kubelets.start('node01');
  await c.settle();
  assert.equal(lease(c, 'node01').spec?.renewTime, '2026-01-01T00:01:05.000000Z');
  assert.equal(nodeEvents(c, 'node01').filter((e) => e.startsWith('Starting')).length, 1, 'an identical event is counted, not duplicated');
  const starting = (c.list('events', 'default') as unknown as Event[]).find((e) => e.reason === 'Starting' && e.involvedObject.name === 'node01')!;
  assert.equal(starting.count, 2);
});

test('a running kubelet holds only its pending timers: an hour of loops leaves two to cancel', async (t) => {
  const c = startTestCluster(t, []);
  let cancelled = 0;
  const clock = {
    now: () => c.clock.now(),
    setTimer(fn: () => void, ms: number) {
      const cancel = c.clock.setTimer(fn, ms);
      return () => {
        cancelled++;
        cancel();
      };
    },
  };
  const cfg = c.ctx.config.nodes.find((n) => n.name === 'node01')!;
  const agent = new NodeAgent(cfg, { ...c.ctx, clock }, c.ctx.client('kubelet'), c.ctx.recorder({ component: 'kubelet', host: cfg.name }, 'kubelet'));
  agent.start();
  await c.advance(60 * 60_000, 10_000);
  assert.equal(lease(c, 'node01').spec?.renewTime, '2026-01-01T01:00:00.000000Z', 'the loops ran for the hour');
  agent.stop();
  assert.equal(cancelled, 2, 'the Lease and node status loops, not every timer that ever fired');
  await c.advance(60_000, 10_000);
  assert.equal(lease(c, 'node01').spec?.renewTime, '2026-01-01T01:00:00.000000Z', 'stopped for good');
});

test('cordon and uncordon: the kubelet reports NodeNotSchedulable / NodeSchedulable, the node controller taints', async (t) => {
  const c = startTestCluster(t, [startNodeAgents, startNodeLifecycleController]);
  await c.advance(5_000);
  c.client.mutate('nodes', { name: 'node02' }, (n) => ({ ...n, spec: { ...(n.spec as object), unschedulable: true } }));
  await c.settle();
  assert.deepEqual(taintsOf(node(c, 'node02')), ['node.kubernetes.io/unschedulable:NoSchedule']);
  await c.advance(10_000, 1_000);
  assert.ok(nodeEvents(c, 'node02', 'kubelet').includes('NodeNotSchedulable Node node02 status is now: NodeNotSchedulable'));
  c.client.mutate('nodes', { name: 'node02' }, (n) => {
    const spec = { ...(n.spec as object) } as { unschedulable?: boolean };
    delete spec.unschedulable;
    return { ...n, spec };
  });
  await c.advance(10_000, 1_000);
  assert.deepEqual(taintsOf(node(c, 'node02')), []);
  assert.ok(nodeEvents(c, 'node02', 'kubelet').includes('NodeSchedulable Node node02 status is now: NodeSchedulable'));
});

test('binary quantities and the image list helpers', () => {
  assert.equal(formatBinaryQuantity(16 * 1024 ** 3 - 100 * 1024 ** 2), '16284Mi');
  assert.equal(formatBinaryQuantity(1000), '1000');
  const a = nodeImage('docker.io/library/nginx', '1.27', 70_000_000);
  const b = nodeImage('docker.io/library/busybox', '1.37', 2_000_000);
  const list = withNodeImage(withNodeImage([b], a), a);
  assert.deepEqual(list.map((i) => i.names[1]), ['docker.io/library/nginx:1.27', 'docker.io/library/busybox:1.37']);
});
