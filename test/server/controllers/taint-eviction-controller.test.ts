import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Event, Pod, Taint } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { minTolerationMs, startTaintEvictionController } from '../../../server/controllers/taint-eviction-controller.js';
import { startNodeAgents } from '../../../server/kubelet/node-agent.js';
import { startTestCluster, type TestCluster } from '../../support/cluster.js';

const pod = (c: TestCluster, name: string) => c.client.get('pods', { namespace: 'default', name }) as Pod | undefined;
const evictionEvents = (c: TestCluster) => (c.list('events', 'default') as unknown as Event[]).filter((e) => e.reason === 'TaintManagerEviction').map((e) => `${e.involvedObject.name} ${e.message}`);

function boundPod(c: TestCluster, name: string, tolerations: unknown[] = []): void {
  c.client.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'node01', containers: [{ name: 'app', image: 'nginx' }], tolerations } } as KubeObject);
}

function setTaints(c: TestCluster, taints: Taint[]): void {
  c.client.mutate('nodes', { name: 'node01' }, (n) => ({ ...n, spec: { ...(n.spec as object), taints } }));
}

test('a NoExecute taint evicts pods that do not tolerate it at once, tolerating pods after tolerationSeconds', async (t) => {
  const c = startTestCluster(t, [startNodeAgents, startTaintEvictionController]);
  await c.settle();
  boundPod(c, 'plain');
  boundPod(c, 'patient', [{ key: 'maintenance', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }]);
  boundPod(c, 'forever', [{ key: 'maintenance', operator: 'Exists', effect: 'NoExecute' }]);
  await c.settle();
  setTaints(c, [{ key: 'maintenance', effect: 'NoExecute' }]);
  await c.settle();
  const plain = pod(c, 'plain')!;
  assert.ok(plain.metadata?.deletionTimestamp, 'untolerated: deleted at once (gracefully, it is bound)');
  assert.deepEqual(plain.status?.conditions?.find((x) => x.type === 'DisruptionTarget'), {
    type: 'DisruptionTarget', status: 'True', observedGeneration: 1, lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z',
    reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint',
  });
  assert.equal(pod(c, 'patient')!.metadata?.deletionTimestamp, undefined);
  await c.advance(59_000, 1_000);
  assert.equal(pod(c, 'patient')!.metadata?.deletionTimestamp, undefined);
  await c.advance(1_000);
  assert.ok(pod(c, 'patient')!.metadata?.deletionTimestamp);
  assert.equal(pod(c, 'forever')!.metadata?.deletionTimestamp, undefined);
  assert.deepEqual(evictionEvents(c).sort(), ['patient Marking for deletion Pod default/patient', 'plain Marking for deletion Pod default/plain']);
});

test('removing the taint before tolerationSeconds run out cancels the deletion', async (t) => {
  const c = startTestCluster(t, [startNodeAgents, startTaintEvictionController]);
  await c.settle();
  boundPod(c, 'patient', [{ key: 'maintenance', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }]);
  await c.settle();
  setTaints(c, [{ key: 'maintenance', effect: 'NoExecute' }]);
  await c.advance(30_000, 1_000);
  setTaints(c, []);
  await c.advance(60_000, 1_000);
  assert.equal(pod(c, 'patient')!.metadata?.deletionTimestamp, undefined);
  assert.deepEqual(evictionEvents(c), ['patient Cancelling deletion of Pod default/patient']);
});

test('a pod evicted by the taint is not \'cancelled\' when it goes or when the taint is removed', async (t) => {
  const c = startTestCluster(t, [startNodeAgents, startTaintEvictionController]);
  await c.settle();
  boundPod(c, 'plain');
  boundPod(c, 'other');
  await c.settle();
  setTaints(c, [{ key: 'maintenance', effect: 'NoExecute' }]);
  await c.settle();
  c.client.delete('pods', { namespace: 'default', name: 'plain' }, { gracePeriodSeconds: 0 });
  await c.settle();
  setTaints(c, []);
  await c.settle();
  assert.equal(pod(c, 'plain'), undefined);
  assert.deepEqual(evictionEvents(c).sort(), ['other Marking for deletion Pod default/other', 'plain Marking for deletion Pod default/plain']);
});

test('minTolerationMs: untolerated, forever, and the shortest matching tolerationSeconds', () => {
  const taints: Taint[] = [{ key: 'a', effect: 'NoExecute' }, { key: 'b', effect: 'NoExecute' }];
  assert.equal(minTolerationMs(taints, [{ key: 'a', operator: 'Exists' }]), undefined);
  assert.equal(minTolerationMs(taints, [{ operator: 'Exists' }]), -1);
  assert.equal(minTolerationMs(taints, [{ key: 'a', operator: 'Exists', tolerationSeconds: 30 }, { key: 'b', operator: 'Exists', tolerationSeconds: 10 }]), 10_000);
  assert.equal(minTolerationMs(taints, [{ operator: 'Exists', tolerationSeconds: -5 }]), 0);
});
