// Test helpers for the workload controllers: nodes, and a stand-in for the scheduler and kubelet
// (bind through the registry's pods/binding path, then write Running + Ready status).
import type { KubeObject } from '../../../schemas/types/meta.js';
import { rfc3339 } from '../../../server/clock.js';
import type { LocalClient } from '../../../server/client/api-client.js';
import { bindPod } from '../../../server/registry/binding.js';
import type { Registry } from '../../../server/registry/rest.js';
import type { TestCluster } from '../../support/cluster.js';

interface Taint { key: string; value?: string; effect: string }

/** Creates a Ready node with the hostname label, extra labels and taints (and no not-ready taint). */
export function createNode(c: TestCluster, name: string, opts: { labels?: Record<string, string>; taints?: Taint[] } = {}): void {
  c.client.create('nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...(opts.labels ?? {}) } },
  });
  // Admission adds node.kubernetes.io/not-ready at creation; the node controller lifts it once the
  // node is Ready. These nodes are Ready at once, so they end with exactly the taints asked for.
  c.client.mutate('nodes', { name }, (n) => ({ ...n, spec: opts.taints ? { taints: opts.taints } : {} }));
}

/** The kubeadm lab: a tainted control plane and two workers. */
export function createLabNodes(c: TestCluster): void {
  createNode(c, 'controlplane', { labels: { 'node-role.kubernetes.io/control-plane': '' }, taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] });
  createNode(c, 'node01');
  createNode(c, 'node02');
}

// The test harness does not hand out its registry; the client holds it (test-only reach-in).
function registryOf(client: LocalClient): Registry {
  return (client as unknown as { registry: Registry }).registry;
}

/** Binds a pod to a node as the scheduler would (pods/binding). */
export function bind(c: TestCluster, pod: Readonly<KubeObject>, node: string): void {
  bindPod(registryOf(c.client), pod.metadata.namespace ?? '', { apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata.name ?? '' }, target: { kind: 'Node', name: node } });
}

/** Marks a pod Running and Ready (or Running and not Ready) as the kubelet would. */
export function setRunning(c: TestCluster, pod: Readonly<KubeObject>, ready = true): void {
  const now = rfc3339(c.clock.now());
  c.client.mutate('pods', { namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '' }, (p) => {
    const status = (p.status ?? {}) as { conditions?: Array<{ type: string }> };
    const keep = (status.conditions ?? []).filter((x) => x.type === 'PodScheduled');
    const cond = (type: string, value: boolean) => ({ type, status: value ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: now });
    return { ...p, status: { ...status, phase: 'Running', startTime: now, conditions: [...keep, cond('Initialized', true), cond('Ready', ready), cond('ContainersReady', ready)] } };
  }, { status: true });
}

/** Removes a pod for good, as the kubelet finishing a graceful deletion does. */
export function finishDeletion(c: TestCluster, pod: Readonly<KubeObject>): void {
  c.client.delete('pods', { namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '' }, { gracePeriodSeconds: 0 });
}

/** The pods of a namespace whose names start with a prefix, sorted by name. */
export function podsOf(c: TestCluster, prefix: string, ns = 'default'): Readonly<KubeObject>[] {
  return c.list('pods', ns).filter((p) => (p.metadata.name ?? '').startsWith(prefix)).sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
}

/** Event lines `Reason message` about one object. */
export function eventsFor(c: TestCluster, name: string, ns = 'default'): string[] {
  return c.list('events', ns)
    .filter((e) => (e.involvedObject as { name?: string }).name === name)
    .sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1))
    .map((e) => `${e.reason as string} ${e.message as string}`);
}
