import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Event, Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { validateClusterConfig } from '../../../server/config.js';
import { computeZoneState, nodeLifecycleControllerWith, startNodeLifecycleController } from '../../../server/controllers/node-lifecycle-controller.js';
import { startTaintEvictionController } from '../../../server/controllers/taint-eviction-controller.js';
import { startNodeAgents } from '../../../server/kubelet/node-agent.js';
import { startTestCluster, type TestCluster } from '../../support/cluster.js';

const COMPONENTS = [startNodeAgents, startNodeLifecycleController, startTaintEvictionController];
const node = (c: TestCluster, name: string) => c.client.get('nodes', { name }) as Node;
const pod = (c: TestCluster, name: string) => c.client.get('pods', { namespace: 'default', name }) as Pod | undefined;
const taintsOf = (n: Node) => (n.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}${t.timeAdded ? '@' : ''}`);
const events = (c: TestCluster) => c.list('events', 'default') as unknown as Event[];

/** A running, ready pod bound to a node (no scheduler or pod kubelet runs in this harness). */
function runningPod(c: TestCluster, name: string, nodeName: string, tolerations: unknown[] = []): void {
  c.client.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName, containers: [{ name: 'app', image: 'nginx' }], tolerations } } as KubeObject);
  c.client.mutate('pods', { namespace: 'default', name }, (p) => ({
    ...p,
    status: { ...(p.status as object), phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z' }] },
  }), { status: true });
}

test('an unreachable node goes Unknown after the grace period, is tainted, and its pods are evicted after 300 s', async (t) => {
  const c = startTestCluster(t, COMPONENTS);
  await c.advance(10_000, 1_000);
  runningPod(c, 'web', 'node01');
  runningPod(c, 'agent', 'node01', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }]);
  await c.settle();
  c.ctx.kubelets.stop('node01');
  await c.advance(40_000, 1_000);
  assert.equal(node(c, 'node01').status!.conditions!.find((x) => x.type === 'Ready')!.status, 'True', 'still within the 50 s grace period');

  await c.advance(25_000, 1_000);
  const n = node(c, 'node01');
  for (const x of n.status!.conditions!) {
    assert.equal(`${x.status} ${x.reason} ${x.message}`, 'Unknown NodeStatusUnknown Kubelet stopped posting node status.', x.type);
  }
  assert.deepEqual(taintsOf(n), ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute@']);
  const notReady = events(c).filter((e) => e.reason === 'NodeNotReady');
  assert.deepEqual(notReady.map((e) => `${e.type} ${e.involvedObject.kind}/${e.involvedObject.name} ${e.source?.component} ${e.message}`).sort(), [
    'Normal Node/node01 node-controller Node node01 status is now: NodeNotReady',
    'Warning Pod/agent node-controller Node is not ready',
    'Warning Pod/web node-controller Node is not ready',
  ]);
  assert.equal(pod(c, 'web')!.status!.conditions!.find((x) => x.type === 'Ready')!.status, 'False');

  await c.advance(300_000, 5_000);
  const evicted = pod(c, 'web')!;
  assert.ok(evicted.metadata?.deletionTimestamp, 'graceful delete: the pod stays Terminating while its kubelet is gone');
  const target = evicted.status!.conditions!.find((x) => x.type === 'DisruptionTarget')!;
  assert.equal(`${target.status} ${target.reason} ${target.message}`, 'True DeletionByTaintManager Taint manager: deleting due to NoExecute taint');
  assert.deepEqual(events(c).filter((e) => e.reason === 'TaintManagerEviction').map((e) => `${e.source?.component} ${e.message}`), [
    'taint-eviction-controller Marking for deletion Pod default/web',
  ]);
  assert.equal(pod(c, 'agent')!.metadata?.deletionTimestamp, undefined, 'a pod tolerating unreachable forever stays');

  c.ctx.kubelets.start('node01');
  await c.advance(10_000, 1_000);
  const back = node(c, 'node01');
  assert.equal(back.status!.conditions!.find((x) => x.type === 'Ready')!.status, 'True');
  assert.deepEqual(taintsOf(back), []);
  assert.ok(events(c).some((e) => e.reason === 'NodeReady' && e.involvedObject.name === 'node01' && e.source?.component === 'kubelet'));
});

test('a node back before its pods run out of toleration cancels their eviction', async (t) => {
  const c = startTestCluster(t, COMPONENTS);
  await c.advance(10_000, 1_000);
  runningPod(c, 'web', 'node02');
  await c.settle();
  c.ctx.kubelets.stop('node02');
  await c.advance(120_000, 5_000);
  assert.ok(taintsOf(node(c, 'node02')).includes('node.kubernetes.io/unreachable:NoExecute@'));
  c.ctx.kubelets.start('node02');
  await c.advance(10_000, 1_000);
  await c.advance(300_000, 10_000);
  assert.equal(pod(c, 'web')!.metadata?.deletionTimestamp, undefined);
  assert.deepEqual(events(c).filter((e) => e.reason === 'TaintManagerEviction').map((e) => e.message), ['Cancelling deletion of Pod default/web']);
});

test('when every node is down the controller stops NoExecute tainting (master disruption mode)', async (t) => {
  const c = startTestCluster(t, COMPONENTS, { config: validateClusterConfig({ nodes: [{ name: 'solo' }] }) });
  await c.advance(10_000, 1_000);
  runningPod(c, 'web', 'solo');
  c.ctx.kubelets.stop('solo');
  await c.advance(420_000, 5_000);
  assert.deepEqual(taintsOf(node(c, 'solo')), ['node.kubernetes.io/unreachable:NoSchedule']);
  assert.equal(pod(c, 'web')!.metadata?.deletionTimestamp, undefined);
});

test('a node whose kubelet never posted status gets NodeStatusNeverUpdated conditions after the startup grace', async (t) => {
  const c = startTestCluster(t, [startNodeLifecycleController]);
  c.client.create('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'ghost' } });
  await c.advance(70_000, 5_000);
  const n = node(c, 'ghost');
  assert.deepEqual(n.status!.conditions!.map((x) => `${x.type} ${x.status} ${x.reason} ${x.lastHeartbeatTime}`), [
    'Ready Unknown NodeStatusNeverUpdated 2026-01-01T00:00:00Z',
    'MemoryPressure Unknown NodeStatusNeverUpdated 2026-01-01T00:00:00Z',
    'DiskPressure Unknown NodeStatusNeverUpdated 2026-01-01T00:00:00Z',
    'PIDPressure Unknown NodeStatusNeverUpdated 2026-01-01T00:00:00Z',
  ]);
  assert.equal(n.status!.conditions![0]!.message, 'Kubelet never posted node status.');
});

test('zone states follow ComputeZoneState', () => {
  assert.equal(computeZoneState(['True', 'Unknown']), 'Normal');
  assert.equal(computeZoneState(['Unknown', 'False']), 'FullDisruption');
  assert.equal(computeZoneState(['True', 'Unknown', 'Unknown', 'Unknown']), 'PartialDisruption');
  assert.equal(computeZoneState(['True', 'True', 'Unknown', 'Unknown', 'Unknown']), 'PartialDisruption');
  assert.equal(computeZoneState(['True', 'True', 'True', 'Unknown', 'Unknown', 'Unknown']), 'Normal');
});

test('the grace period is configurable (40 s as before v1.32)', async (t) => {
  const c = startTestCluster(t, [startNodeAgents, nodeLifecycleControllerWith({ nodeMonitorGracePeriodMs: 40_000 })]);
  await c.advance(10_000, 1_000);
  c.ctx.kubelets.stop('node01');
  await c.advance(50_000, 1_000);
  assert.equal(node(c, 'node01').status!.conditions!.find((x) => x.type === 'Ready')!.status, 'Unknown', 'the default 50 s would still be True here');
});
