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
