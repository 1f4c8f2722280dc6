import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_COMPONENTS } from '../../server/cluster.js';
import { startTestCluster, type TestCluster } from '../support/cluster.js';

interface Pod {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { nodeName?: string };
  status?: { phase?: string; conditions?: Array<{ type: string; status: string; reason?: string }> };
}

const pods = (c: TestCluster): Pod[] => c.list('pods', 'default') as unknown as Pod[];
const ready = (p: Pod): boolean => p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ?? false;
const nodeReady = (c: TestCluster, name: string): string | undefined =>
  ((c.client.get('nodes', { name }) as unknown as Pod | undefined)?.status?.conditions ?? []).find((x) => x.type === 'Ready')?.status;

async function until(c: TestCluster, what: string, done: () => boolean, limitMs: number, stepMs = 1000): Promise<number> {
  const t0 = c.clock.now();
  while (!done()) {
    if (c.clock.now() - t0 > limitMs) throw new Error(`not ${what} after ${limitMs} ms of virtual time`);
    await c.advance(stepMs, stepMs);
  }
  return c.clock.now() - t0;
}

test('a node whose kubelet stops goes NotReady, and its pods are evicted and recreated elsewhere', async (t) => {
  const c = startTestCluster(t, DEFAULT_COMPONENTS);
  await until(c, 'nodes Ready', () => ['controlplane', 'node01', 'node02'].every((n) => nodeReady(c, n) === 'True'), 120_000);
  // Let the node controller lift the not-ready taints before anything is scheduled.
  await c.advance(10_000, 1000);
  c.client.create('deployments.apps', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
  });
  await until(c, 'two pods Ready', () => pods(c).filter(ready).length === 2, 120_000);
  assert.deepEqual(pods(c).map((p) => p.spec.nodeName).sort(), ['node01', 'node02'], 'one replica per worker');
  const victim = pods(c).find((p) => p.spec.nodeName === 'node01')!;

  c.ctx.kubelets.stop('node01');
  const notReadyAfter = await until(c, 'node01 NotReady', () => nodeReady(c, 'node01') === 'Unknown', 120_000);
  assert.ok(notReadyAfter >= 40_000 && notReadyAfter <= 60_000, `Unknown after the 50 s grace period, took ${notReadyAfter} ms`);
  const taints = (): string[] => ((c.client.get('nodes', { name: 'node01' }) as unknown as { spec: { taints?: Array<{ key: string; effect: string }> } }).spec.taints ?? []).map((x) => `${x.key}:${x.effect}`).sort();
  assert.deepEqual(taints(), ['node.kubernetes.io/unreachable:NoSchedule'], 'NoSchedule at once');
  await until(c, 'the NoExecute taint', () => taints().length === 2, 10_000);
  assert.deepEqual(taints(), ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule'], 'NoExecute on the next monitor pass');
  const marked = pods(c).find((p) => p.metadata.name === victim.metadata.name)!;
  assert.equal(marked.status?.conditions?.find((x) => x.type === 'Ready')?.status, 'False', 'the node controller marks its pods not ready');

  // The pod tolerates unreachable for 300 s (DefaultTolerationSeconds), then is evicted.
  const evictedAfter = await until(c, 'the pod evicted', () => pods(c).find((p) => p.metadata.name === victim.metadata.name)?.metadata.deletionTimestamp !== undefined, 400_000);
  assert.ok(evictedAfter >= 290_000, `evicted after tolerationSeconds 300, took ${evictedAfter} ms`);
  await until(c, 'a replacement Ready on node02', () => pods(c).filter((p) => !p.metadata.deletionTimestamp && ready(p) && p.spec.nodeName === 'node02').length === 2, 120_000);
  const events = (c.list('events', 'default') as Array<Record<string, any>>).filter((e) => e.involvedObject.name === victim.metadata.name).map((e) => `${e.reason}: ${e.message}`);
  assert.ok(events.includes('NodeNotReady: Node is not ready'), events.join('\n'));
  assert.ok(events.includes(`TaintManagerEviction: Marking for deletion Pod default/${victim.metadata.name}`), events.join('\n'));
  // Its kubelet is gone, so nothing finishes the graceful deletion: the pod stays Terminating.
  assert.ok(pods(c).some((p) => p.metadata.name === victim.metadata.name));

  c.ctx.kubelets.start('node01');
  await until(c, 'node01 Ready again', () => nodeReady(c, 'node01') === 'True', 120_000);
});

test('writes carry the field manager of the binary a real cluster makes them from', async (t) => {
  const c = startTestCluster(t, DEFAULT_COMPONENTS);
  await until(c, 'nodes Ready', () => ['controlplane', 'node01', 'node02'].every((n) => nodeReady(c, n) === 'True'), 120_000);
  const template = (app: string) => ({ metadata: { labels: { app } }, spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'exit 0'] }] } });
  c.client.create('jobs.batch', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once', namespace: 'default' }, spec: { template: template('once') } });
  c.client.create('daemonsets.apps', {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } },
  });
  c.client.create('services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'agent', namespace: 'default' }, spec: { selector: { app: 'agent' }, ports: [{ port: 80 }] } });
  await until(c, 'the Job complete', () => (c.client.get('jobs.batch', { namespace: 'default', name: 'once' }) as any)?.status?.succeeded === 1, 120_000);
  await c.advance(30_000, 1000);
  const managers = (resource: string, name: string, ns = 'default') =>
    ((c.client.get(resource, { namespace: ns, name }) as any).metadata.managedFields ?? []).map((m: any) => `${m.manager}${m.subresource ? `/${m.subresource}` : ''}`).sort();
  assert.deepEqual(managers('jobs.batch', 'once'), ['kube-controller-manager/status', 'kubectl']);
  assert.deepEqual(managers('daemonsets.apps', 'agent'), ['kube-controller-manager/status', 'kubectl']);
  assert.deepEqual(managers('endpoints', 'agent'), ['kube-controller-manager']);
  const slice = c.list('endpointslices.discovery.k8s.io', 'default').find((s: any) => s.metadata.labels['kubernetes.io/service-name'] === 'agent') as any;
  assert.deepEqual(managers('endpointslices.discovery.k8s.io', slice.metadata.name), ['kube-controller-manager']);
  const jobPod = c.list('pods', 'default').find((p: any) => p.metadata.labels['job-name'] === 'once') as any;
  assert.deepEqual(managers('pods', jobPod.metadata.name), ['kube-controller-manager', 'kubelet/status']);
  // Every Event is written by the binary that records it, whatever the source component says.
  const eventManagers = new Map<string, string>();
  for (const e of c.list('events', 'default') as any[]) eventManagers.set(e.source?.component || e.reportingComponent, e.metadata.managedFields[0].manager);
  assert.deepEqual(Object.fromEntries([...eventManagers].sort()), {
    'daemonset-controller': 'kube-controller-manager',
    'default-scheduler': 'kube-scheduler',
    'job-controller': 'kube-controller-manager',
    kubelet: 'kubelet',
    'node-controller': 'kube-controller-manager',
  });
});
