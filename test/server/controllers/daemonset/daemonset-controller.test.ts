import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { startDaemonSetController } from '../../../../server/controllers/daemonset/daemonset-controller.js';
import { startTestCluster, type TestCluster } from '../../../support/cluster.js';
import { bind, createLabNodes, createNode, eventsFor, finishDeletion, podsOf, setRunning } from '../workload-fixtures.js';

function daemonSet(name: string, extra: { nodeSelector?: Record<string, string>; tolerations?: unknown[]; hostNetwork?: boolean; maxSurge?: number } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: name } },
      ...(extra.maxSurge ? { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: extra.maxSurge, maxUnavailable: 0 } } } : {}),
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'agent', image: 'fluentd:v1' }],
          ...(extra.nodeSelector ? { nodeSelector: extra.nodeSelector } : {}),
          ...(extra.tolerations ? { tolerations: extra.tolerations } : {}),
          ...(extra.hostNetwork ? { hostNetwork: true } : {}),
        },
      },
    },
  };
}

type Spec = { affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: Array<{ matchFields?: Array<{ values: string[] }> }> } } }; tolerations?: Array<{ key: string; effect: string; operator: string; tolerationSeconds?: number }>; nodeName?: string };
const spec = (p: Readonly<KubeObject>): Spec => p.spec as Spec;
const target = (p: Readonly<KubeObject>): string => spec(p).affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms[0]!.matchFields![0]!.values[0]!;
const targets = (c: TestCluster, prefix: string): string[] => podsOf(c, prefix).filter((p) => !p.metadata.deletionTimestamp).map(target).sort();
const dsStatus = (c: TestCluster, name: string) => c.client.get('daemonsets.apps', { namespace: 'default', name })!.status as Record<string, number>;

/** Binds each unbound pod to its target node and makes it Running + Ready. */
function runAll(c: TestCluster, prefix: string): void {
  for (const p of podsOf(c, prefix)) {
    if (p.metadata.deletionTimestamp) continue;
    if (!spec(p).nodeName) bind(c, p, target(p));
    setRunning(c, p);
  }
}

test('one pod per eligible worker, pinned by node affinity, with the daemon tolerations', async (t) => {
  const c = startTestCluster(t, [startDaemonSetController]);
  createLabNodes(c);
  c.client.create('daemonsets.apps', daemonSet('fluentd'));
  await c.settle();
  const pods = podsOf(c, 'fluentd-');
  assert.deepEqual(targets(c, 'fluentd-'), ['node01', 'node02']);
  const pod = pods[0]!;
  assert.match(pod.metadata.name!, /^fluentd-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.equal(spec(pod).nodeName, undefined);
  assert.equal(pod.metadata.labels!['pod-template-generation'], '1');
  assert.match(pod.metadata.labels!['controller-revision-hash']!, /^[4-9bcdf]{1,10}$/);
  assert.deepEqual(spec(pod).tolerations!.map((x) => `${x.key}:${x.effect}:${x.operator}`), [
    'node.kubernetes.io/not-ready:NoExecute:Exists',
    'node.kubernetes.io/unreachable:NoExecute:Exists',
    'node.kubernetes.io/disk-pressure:NoSchedule:Exists',
    'node.kubernetes.io/memory-pressure:NoSchedule:Exists',
    'node.kubernetes.io/pid-pressure:NoSchedule:Exists',
    'node.kubernetes.io/unschedulable:NoSchedule:Exists',
  ]);
  assert.equal(spec(pod).tolerations![0]!.tolerationSeconds, undefined);
  const events = eventsFor(c, 'fluentd');
  assert.deepEqual(events.sort(), pods.map((p) => `SuccessfulCreate Created pod: ${p.metadata.name!}`).sort());
  assert.deepEqual(dsStatus(c, 'fluentd'), { currentNumberScheduled: 2, desiredNumberScheduled: 2, numberMisscheduled: 0, numberReady: 0, numberUnavailable: 2, observedGeneration: 1, updatedNumberScheduled: 2 });

  runAll(c, 'fluentd-');
  await c.settle();
  assert.deepEqual(dsStatus(c, 'fluentd'), { currentNumberScheduled: 2, desiredNumberScheduled: 2, numberMisscheduled: 0, numberReady: 2, numberAvailable: 2, observedGeneration: 1, updatedNumberScheduled: 2 });
  const revisions = c.list('controllerrevisions.apps', 'default');
  assert.equal(revisions.length, 1);
  assert.equal(revisions[0]!.metadata.name, `fluentd-${pod.metadata.labels!['controller-revision-hash']!}`);
  assert.equal(revisions[0]!.revision, 1);
});

test('the control plane gets a pod when its taint is tolerated; hostNetwork adds network-unavailable', async (t) => {
  const c = startTestCluster(t, [startDaemonSetController]);
  createLabNodes(c);
  c.client.create('daemonsets.apps', daemonSet('proxy', { hostNetwork: true, tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] }));
  await c.settle();
  assert.deepEqual(targets(c, 'proxy-'), ['controlplane', 'node01', 'node02']);
  const keys = spec(podsOf(c, 'proxy-')[0]!).tolerations!.map((x) => x.key);
  assert.ok(keys.includes('node.kubernetes.io/network-unavailable'));
});

test('node selector, new nodes, relabelled nodes and NoExecute taints move daemon pods', async (t) => {
  const c = startTestCluster(t, [startDaemonSetController]);
  createLabNodes(c);
  c.client.create('daemonsets.apps', daemonSet('ssd', { nodeSelector: { disk: 'ssd' } }));
  await c.settle();
  assert.deepEqual(targets(c, 'ssd-'), []);
  createNode(c, 'node03', { labels: { disk: 'ssd' } });
  await c.settle();
  assert.deepEqual(targets(c, 'ssd-'), ['node03']);
  c.client.mutate('nodes', { name: 'node01' }, (n) => ({ ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, disk: 'ssd' } } }));
  await c.settle();
  assert.deepEqual(targets(c, 'ssd-'), ['node01', 'node03']);
  // A NoSchedule taint keeps the running pod; an untolerated NoExecute taint removes it.
  c.client.mutate('nodes', { name: 'node03' }, (n) => ({ ...n, spec: { taints: [{ key: 'maintenance', effect: 'NoSchedule' }] } }));
  await c.settle();
  assert.deepEqual(targets(c, 'ssd-'), ['node01', 'node03']);
  assert.equal(dsStatus(c, 'ssd').numberMisscheduled, 1);
  c.client.mutate('nodes', { name: 'node03' }, (n) => ({ ...n, spec: { taints: [{ key: 'maintenance', effect: 'NoExecute' }] } }));
  await c.settle();
  assert.deepEqual(targets(c, 'ssd-'), ['node01']);
  assert.ok(eventsFor(c, 'ssd').some((e) => e.startsWith('SuccessfulDelete Deleted pod: ssd-')));
  // Cordoned nodes keep and even get daemon pods: the unschedulable taint is tolerated.
  c.client.mutate('nodes', { name: 'node02' }, (n) => ({ ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, disk: 'ssd' } }, spec: { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] } }));
  await c.settle();
  assert.deepEqual(targets(c, 'ssd-'), ['node01', 'node02']);
});

/** Sets the image of the first container of a DaemonSet's template. */
function setImage(c: TestCluster, name: string, image: string): void {
  c.client.mutate('daemonsets.apps', { namespace: 'default', name }, (o) => {
    const next = structuredClone(o) as unknown as { spec: { template: { spec: { containers: Array<{ image: string }> } } } };
    next.spec.template.spec.containers[0]!.image = image;
    return next as unknown as KubeObject;
  });
}

test('rolling update replaces one node at a time and keeps ControllerRevision history', async (t) => {
  const c = startTestCluster(t, [startDaemonSetController]);
  createLabNodes(c);
  createNode(c, 'node03');
  c.client.create('daemonsets.apps', daemonSet('agent'));
  await c.settle();
  runAll(c, 'agent-');
  await c.settle();
  setImage(c, 'agent', 'fluentd:v2');
  await c.settle();
  const ds = c.client.get('daemonsets.apps', { namespace: 'default', name: 'agent' })!;
  assert.equal(ds.metadata.annotations!['deprecated.daemonset.template.generation'], '2');
  const revisions = c.list('controllerrevisions.apps', 'default').sort((a, b) => (a.revision as number) - (b.revision as number));
  assert.deepEqual(revisions.map((r) => r.revision), [1, 2]);
  const newHash = revisions[1]!.metadata.labels!['controller-revision-hash']!;
  const image = (p: Readonly<KubeObject>) => (p.spec as { containers: Array<{ image: string }> }).containers[0]!.image;

  for (let round = 1; round <= 3; round++) {
    // Exactly one old pod is terminating (bound pods delete gracefully); its node then gets a new pod.
    const terminating = podsOf(c, 'agent-').filter((p) => p.metadata.deletionTimestamp);
    assert.equal(terminating.length, 1, `round ${round}`);
    finishDeletion(c, terminating[0]!);
    await c.settle();
    const fresh = podsOf(c, 'agent-').filter((p) => p.metadata.labels!['controller-revision-hash'] === newHash);
    assert.equal(fresh.length, round);
    assert.equal(fresh.every((p) => image(p) === 'fluentd:v2' && p.metadata.labels!['pod-template-generation'] === '2'), true);
    runAll(c, 'agent-');
    await c.settle();
  }
  assert.equal(podsOf(c, 'agent-').length, 3);
  assert.deepEqual(dsStatus(c, 'agent'), { currentNumberScheduled: 3, desiredNumberScheduled: 3, numberMisscheduled: 0, numberReady: 3, numberAvailable: 3, observedGeneration: 2, updatedNumberScheduled: 3 });
});

test('OnDelete replaces a pod only when it is deleted; history keeps revisionHistoryLimit old revisions', async (t) => {
  const c = startTestCluster(t, [startDaemonSetController]);
  createNode(c, 'node01');
  const ds = daemonSet('od');
  (ds.spec as Record<string, unknown>).updateStrategy = { type: 'OnDelete' };
  (ds.spec as Record<string, unknown>).revisionHistoryLimit = 1;
  c.client.create('daemonsets.apps', ds);
  await c.settle();
  const first = podsOf(c, 'od-')[0]!;
  for (const image of ['v2', 'v3', 'v4']) {
    setImage(c, 'od', `fluentd:${image}`);
    await c.settle();
  }
  assert.deepEqual(podsOf(c, 'od-').map((p) => p.metadata.name), [first.metadata.name]);
  // Upstream counts the live old revision 1 (the pod's) against the limit of 1 old revision, so 2 and 3 go.
  assert.deepEqual(c.list('controllerrevisions.apps', 'default').map((r) => r.revision).sort(), [1, 4]);
  c.client.delete('pods', { namespace: 'default', name: first.metadata.name! });
  await c.settle();
  const [replacement] = podsOf(c, 'od-');
  assert.notEqual(replacement!.metadata.name, first.metadata.name);
  assert.equal(replacement!.metadata.labels!['pod-template-generation'], '4');
  assert.deepEqual(c.list('controllerrevisions.apps', 'default').map((r) => r.revision).sort(), [1, 4]);
});
