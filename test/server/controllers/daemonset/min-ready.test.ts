/**
 * DaemonSet rolling updates with minReadySeconds: a new pod that turns Ready is rechecked once
 * minReadySeconds (+1 s) have passed, so a surge update moves on without waiting for an unrelated
 * event (what `kubectl rollout status ds/…` waits on).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { startDaemonSetController } from '../../../../server/controllers/daemonset/daemonset-controller.js';
import { startTestCluster, type TestCluster } from '../../../support/cluster.js';
import { bind, createLabNodes, podsOf, setRunning } from '../workload-fixtures.js';

const MIN_READY_SECONDS = 20;

function daemonSet(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      minReadySeconds: MIN_READY_SECONDS,
      selector: { matchLabels: { app: 'agent' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'fluentd:v1' }] } },
    },
  };
}

type PodSpec = { nodeName?: string; containers: Array<{ image: string }>; affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: Array<{ matchFields: Array<{ values: string[] }> }> } } } };
const spec = (p: Readonly<KubeObject>): PodSpec => p.spec as PodSpec;
const target = (p: Readonly<KubeObject>): string => spec(p).affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]!.matchFields[0]!.values[0]!;
const live = (c: TestCluster) => podsOf(c, 'agent-').filter((p) => !p.metadata.deletionTimestamp);
/** `node:image` of each live pod, sorted. */
const layout = (c: TestCluster): string[] => live(c).map((p) => `${target(p)}:${spec(p).containers[0]!.image}`).sort();

/** Binds and readies every live pod that is not Running yet, as the scheduler and kubelet would. */
async function runNew(c: TestCluster): Promise<void> {
  for (const p of live(c)) {
    if ((p.status as { phase?: string } | undefined)?.phase === 'Running') continue;
    if (!spec(p).nodeName) bind(c, p, target(p));
    setRunning(c, c.client.get('pods', { namespace: 'default', name: p.metadata.name! })!);
  }
  await c.settle();
}

test('a surge update replaces the old pod minReadySeconds after the new one turns Ready, with no other event', async (t) => {
  const c = startTestCluster(t, [startDaemonSetController]);
  createLabNodes(c);
  c.client.create('daemonsets.apps', daemonSet());
  await c.settle();
  await runNew(c);
  await c.advance((MIN_READY_SECONDS + 1) * 1000, 1000);
  c.client.mutate('daemonsets.apps', { namespace: 'default', name: 'agent' }, (o) => {
    const next = structuredClone(o) as KubeObject & { spec: { template: { spec: { containers: Array<{ image: string }> } } } };
    next.spec.template.spec.containers[0]!.image = 'fluentd:v2';
    return next;
  });
  await c.settle();
  // maxSurge 1: one node gets a second, new pod beside its old one.
  assert.equal(live(c).length, 3);
  await runNew(c);
  const surged = layout(c);

  // Ready but not yet available: the old pod stays.
  await c.advance(MIN_READY_SECONDS * 1000 - 1000, 1000);
  assert.deepEqual(layout(c), surged);
  // Past minReadySeconds (+1 s margin) the controller looks again by itself and retires the old pod.
  await c.advance(3000, 1000);
  const after = layout(c);
  assert.equal(after.filter((x) => x.endsWith(':fluentd:v1')).length, 1, after.join(' '));
  assert.equal(after.filter((x) => x.endsWith(':fluentd:v2')).length, 2, `the other node surged next: ${after.join(' ')}`);
});
