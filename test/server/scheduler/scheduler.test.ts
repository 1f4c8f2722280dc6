import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startScheduler } from '../../../server/scheduler/scheduler.js';
import { startTestCluster } from '../../support/cluster.js';
import { createLabNodes, createPod, eventsFor, getPod, createNode, nodeOf } from './harness.js';

const CP_TAINT = 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }';

describe('scheduler', () => {
  it('binds a pod to a worker with a Scheduled event and PodScheduled=True', async (t) => {
    const c = startTestCluster(t, [startScheduler]);
    createLabNodes(c);
    createPod(c, { name: 'web' });
    await c.settle();
    const node = nodeOf(c, 'web');
    assert.ok(node === 'node01' || node === 'node02', `bound to ${node}`);
    const [ev] = eventsFor(c, 'web', 'Scheduled');
    const pod = getPod(c, 'web');
    // kube-scheduler records through events.k8s.io: eventTime, action and the reporting pair, no count or source.
    assert.deepEqual(
      { ...ev, metadata: undefined },
      {
        apiVersion: 'v1', kind: 'Event', metadata: undefined,
        involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: pod.metadata.uid, apiVersion: 'v1', resourceVersion: ev.involvedObject.resourceVersion },
        reason: 'Scheduled', message: `Successfully assigned default/web to ${node}`, source: {},
        firstTimestamp: null, lastTimestamp: null, type: 'Normal', eventTime: '2026-01-01T00:00:00.000000Z', action: 'Binding',
        reportingComponent: 'default-scheduler', reportingInstance: 'default-scheduler-controlplane',
      },
    );
    assert.match(ev.metadata.name, /^web\.[0-9a-f]+$/);
    assert.equal(ev.metadata.managedFields[0].manager, 'kube-scheduler');
    const cond = getPod(c, 'web').status.conditions.find((x: any) => x.type === 'PodScheduled');
    assert.equal(cond.status, 'True');
  });

  it('breaks ties from a stream of its own: other draws of the cluster do not move the placements of a seed', async (t) => {
    const placements = async (extraDraws: number): Promise<string[]> => {
      const c = startTestCluster(t, [startScheduler], { seed: 7 });
      for (let i = 1; i <= 6; i++) createNode(c, { name: `node0${i}` });
      const out: string[] = [];
      for (let i = 0; i < 12; i++) {
        // What a component writing an object at a clock-dependent moment would draw (a uid, a name).
        for (let d = 0; d < extraDraws; d++) c.ctx.random.float();
        createPod(c, { name: `p${i}` });
        await c.settle();
        out.push(nodeOf(c, `p${i}`)!);
      }
      return out;
    };
    assert.deepEqual(await placements(3), await placements(0));
  });

  it('never places pods on the tainted control plane', async (t) => {
    const c = startTestCluster(t, [startScheduler]);
    createLabNodes(c);
    for (let i = 0; i < 10; i++) createPod(c, { name: `p${i}` });
    await c.settle();
    for (let i = 0; i < 10; i++) assert.notEqual(nodeOf(c, `p${i}`), 'controlplane');
    for (let i = 0; i < 10; i++) assert.ok(nodeOf(c, `p${i}`));
  });

  it('spreads 6 replicas 3/3 over two equal workers', async (t) => {
    const c = startTestCluster(t, [startScheduler]);
    createLabNodes(c);
    const rs = c.client.create('replicasets.apps', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-5d8f', namespace: 'default' },
      spec: { replicas: 6, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
    });
    await c.settle();
    const owner = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f', uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true }];
    for (let i = 0; i < 6; i++) createPod(c, { name: `web-${i}`, labels: { app: 'web' }, ownerReferences: owner });
    await c.settle();
    const counts: Record<string, number> = {};
    for (let i = 0; i < 6; i++) counts[nodeOf(c, `web-${i}`)!] = (counts[nodeOf(c, `web-${i}`)!] ?? 0) + 1;
    assert.deepEqual(counts, { node01: 3, node02: 3 });
  });

  it('keeps an over-sized pod Pending with the exact FailedScheduling message', async (t) => {
    const c = startTestCluster(t, [startScheduler]);
    createLabNodes(c);
    createPod(c, { name: 'big', cpu: '16' });
    await c.settle();
    const want = `0/3 nodes are available: 1 ${CP_TAINT}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..`;
    const pod = getPod(c, 'big');
    assert.equal(pod.spec.nodeName, undefined);
    assert.equal(pod.status.phase, 'Pending');
    const cond = pod.status.conditions.find((x: any) => x.type === 'PodScheduled');
    assert.deepEqual({ status: cond.status, reason: cond.reason, message: cond.message }, { status: 'False', reason: 'Unschedulable', message: want });
    const [ev] = eventsFor(c, 'big', 'FailedScheduling');
    assert.equal(ev.type, 'Warning');
    assert.equal(ev.message, want);
    assert.equal(ev.action, 'Scheduling');
    assert.equal(ev.reportingComponent, 'default-scheduler');
    assert.equal(pod.metadata.managedFields.find((m: any) => m.subresource === 'status').manager, 'kube-scheduler');
  });

  it('schedules the pending pod once a big enough node appears', async (t) => {
    const c = startTestCluster(t, [startScheduler]);
    createLabNodes(c);
    createPod(c, { name: 'big', cpu: '16' });
    await c.settle();
    createNode(c, { name: 'node03', cpu: '32' });
    await c.advance(2_000);
    assert.equal(nodeOf(c, 'big'), 'node03');
  });

  it('schedules the pending pod when a node is uncordoned', async (t) => {
    const c = startTestCluster(t, [startScheduler]);
    createNode(c, { name: 'node01', unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] });
    createPod(c, { name: 'web' });
    await c.settle();
    assert.equal(nodeOf(c, 'web'), undefined);
    assert.equal(
      eventsFor(c, 'web', 'FailedScheduling')[0].message,
      '0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..',
    );
    c.client.mutate('nodes', { name: 'node01' }, (n: any) => {
      delete n.spec.unschedulable;
      delete n.spec.taints;
      return n;
    });
    await c.advance(2_000);
    assert.equal(nodeOf(c, 'web'), 'node01');
  });

  it('counts FailedScheduling retries of one pod version as a series, as real clusters show them', async (t) => {
    const c = startTestCluster(t, [startScheduler]);
    createLabNodes(c);
    createPod(c, { name: 'big', cpu: '16' });
    await c.settle();
    const [first] = eventsFor(c, 'big', 'FailedScheduling');
    assert.equal(first.series, undefined);
    assert.equal(first.count, undefined);
    // No event helps the pod: it is retried by the unschedulable flush (5 min, checked every 30 s).
    // The first attempt saw the pod before its PodScheduled condition was written: the retry
    // regards another resourceVersion, so it is a second Event, not a repeat of the first.
    await c.advance(6 * 60_000, 10_000);
    let evs = eventsFor(c, 'big', 'FailedScheduling');
    assert.equal(evs.length, 2);
    assert.notEqual(evs[1].involvedObject.resourceVersion, first.involvedObject.resourceVersion);
    assert.equal(evs[1].series, undefined);
    // The next retry repeats the second one: series count 2, written at once.
    await c.advance(5 * 60_000, 10_000);
    evs = eventsFor(c, 'big', 'FailedScheduling');
    assert.equal(evs.length, 2);
    assert.equal(evs[1].series.count, 2);
    const observed = evs[1].series.lastObservedTime;
    // Later repeats are only counted in memory until the 30-minute refresh writes them.
    await c.advance(10 * 60_000, 10_000);
    assert.deepEqual(eventsFor(c, 'big', 'FailedScheduling')[1].series, { count: 2, lastObservedTime: observed });
    // Retries come every 5.5 minutes (from 00:05:30); the refresh at 00:30 writes the five seen so far.
    await c.advance(10 * 60_000, 10_000);
    assert.deepEqual(eventsFor(c, 'big', 'FailedScheduling').map((e) => [e.eventTime, e.series]), [
      ['2026-01-01T00:00:00.000000Z', undefined],
      ['2026-01-01T00:05:30.000000Z', { count: 5, lastObservedTime: '2026-01-01T00:27:30.000000Z' }],
    ]);
  });

  it('retries on an unrelated node event only when that node could fit the pod', async (t) => {
    const c = startTestCluster(t, [startScheduler]);
    createLabNodes(c);
    createPod(c, { name: 'big', cpu: '16' });
    await c.settle();
    c.client.mutate('nodes', { name: 'node01' }, (n: any) => ({ ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, disk: 'ssd' } } }));
    await c.advance(15_000, 1_000);
    assert.deepEqual(eventsFor(c, 'big', 'FailedScheduling').map((e) => e.series), [undefined]);
  });

  it('reports no nodes at all', async (t) => {
    const c = startTestCluster(t, [startScheduler]);
    createPod(c, { name: 'web' });
    await c.settle();
    assert.equal(eventsFor(c, 'web', 'FailedScheduling')[0].message, 'no nodes available to schedule pods');
  });

  it('honours nodeSelector', async (t) => {
    const c = startTestCluster(t, [startScheduler]);
    createLabNodes(c);
    c.client.mutate('nodes', { name: 'node02' }, (n: any) => ({ ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, disk: 'ssd' } } }));
    await c.settle();
    for (let i = 0; i < 4; i++) createPod(c, { name: `ssd-${i}`, spec: { nodeSelector: { disk: 'ssd' } } });
    createPod(c, { name: 'gpu', spec: { nodeSelector: { gpu: 'true' } } });
    await c.settle();
    for (let i = 0; i < 4; i++) assert.equal(nodeOf(c, `ssd-${i}`), 'node02');
    assert.equal(
      eventsFor(c, 'gpu', 'FailedScheduling')[0].message,
      `0/3 nodes are available: 1 ${CP_TAINT}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..`,
    );
  });

  it('honours required pod anti-affinity per hostname', async (t) => {
    const c = startTestCluster(t, [startScheduler]);
    createLabNodes(c);
    const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' }] } };
    for (let i = 0; i < 3; i++) createPod(c, { name: `db-${i}`, labels: { app: 'db' }, spec: { affinity: anti } });
    await c.settle();
    const nodes = [0, 1, 2].map((i) => nodeOf(c, `db-${i}`));
    assert.deepEqual(nodes.filter(Boolean).sort(), ['node01', 'node02']);
    const pending = [0, 1, 2].find((i) => !nodes[i])!;
    assert.equal(
      eventsFor(c, `db-${pending}`, 'FailedScheduling')[0].message,
      `0/3 nodes are available: 1 ${CP_TAINT}, 2 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..`,
    );
  });

  it('honours required pod affinity', async (t) => {
    const c = startTestCluster(t, [startScheduler]);
    createLabNodes(c);
    createPod(c, { name: 'cache', labels: { app: 'cache' } });
    await c.settle();
    const target = nodeOf(c, 'cache');
    const aff = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname' }] } };
    for (let i = 0; i < 3; i++) createPod(c, { name: `web-${i}`, spec: { affinity: aff } });
    await c.settle();
    for (let i = 0; i < 3; i++) assert.equal(nodeOf(c, `web-${i}`), target);
  });

  it('honours a DoNotSchedule topology spread constraint', async (t) => {
    const c = startTestCluster(t, [startScheduler]);
    createLabNodes(c);
    const tsc = [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }];
    // node02 is full for these pods, so skew on node01 is bounded by maxSkew 1.
    c.client.mutate('nodes', { name: 'node02' }, (n: any) => ({ ...n, status: { ...n.status, allocatable: { ...n.status.allocatable, cpu: '100m' } } }), { status: true });
    await c.settle();
    for (let i = 0; i < 3; i++) createPod(c, { name: `web-${i}`, labels: { app: 'web' }, cpu: '200m', spec: { topologySpreadConstraints: tsc } });
    await c.settle();
    assert.deepEqual([0, 1, 2].map((i) => nodeOf(c, `web-${i}`)), ['node01', undefined, undefined]);
    assert.equal(
      eventsFor(c, 'web-1', 'FailedScheduling')[0].message,
      `0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match pod topology spread constraints, 1 ${CP_TAINT}. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..`,
    );
  });
});
