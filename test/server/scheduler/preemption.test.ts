import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startScheduler } from '../../../server/scheduler/scheduler.js';
import { startTestCluster } from '../../support/cluster.js';
import { createPod, eventsFor, getPod, createNode, nodeOf } from './harness.js';

describe('DefaultPreemption', () => {
  it('evicts a lower-priority pod and nominates the node', async (t) => {
    const c = startTestCluster(t, [startScheduler]);
    createNode(c, { name: 'node01', cpu: '2' });
    c.client.create('priorityclasses.scheduling.k8s.io', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 });
    createPod(c, { name: 'low', cpu: '1500m' });
    await c.settle();
    assert.equal(nodeOf(c, 'low'), 'node01');
    createPod(c, { name: 'high', cpu: '1', spec: { priorityClassName: 'high' } });
    await c.settle();
    const high = getPod(c, 'high');
    assert.equal(high.spec.priority, 1000);
    assert.equal(high.status.nominatedNodeName, 'node01');
    assert.equal(eventsFor(c, 'high', 'FailedScheduling')[0].message, '0/1 nodes are available: 1 Insufficient cpu.');
    const low = getPod(c, 'low');
    assert.ok(low === undefined || low.metadata.deletionTimestamp, 'victim deleted');
    const [preempted] = eventsFor(c, 'low', 'Preempted');
    assert.equal(preempted.message, `Preempted by pod ${high.metadata.uid} on node node01`);
    if (low) {
      const cond = low.status.conditions.find((x: any) => x.type === 'DisruptionTarget');
      assert.deepEqual([cond.status, cond.reason, cond.message], ['True', 'PreemptionByScheduler', 'default-scheduler: preempting to accommodate a higher priority pod']);
      // Without a kubelet nothing finishes the graceful deletion: do it as the kubelet would.
      c.client.delete('pods', { namespace: 'default', name: 'low' }, { gracePeriodSeconds: 0 });
    }
    await c.advance(2_000);
    assert.equal(nodeOf(c, 'high'), 'node01');
  });

  it('does not preempt with preemptionPolicy Never', async (t) => {
    const c = startTestCluster(t, [startScheduler]);
    createNode(c, { name: 'node01', cpu: '2' });
    c.client.create('priorityclasses.scheduling.k8s.io', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high-never' }, value: 1000, preemptionPolicy: 'Never' });
    createPod(c, { name: 'low', cpu: '1500m' });
    await c.settle();
    createPod(c, { name: 'high', cpu: '1', spec: { priorityClassName: 'high-never' } });
    await c.settle();
    assert.equal(nodeOf(c, 'low'), 'node01');
    assert.equal(
      eventsFor(c, 'high', 'FailedScheduling')[0].message,
      '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..',
    );
  });
});
