// Helpers for controller harness tests without a scheduler or kubelet: the test plays kubelet by
// writing pod status, and converges the controllers by letting deliveries and short retries run.
import type { KubeObject } from '../../../schemas/types/meta.js';
import { rfc3339 } from '../../../server/clock.js';
import type { TestCluster } from '../../support/cluster.js';

/** Retry back-off steps are milliseconds of virtual time; this is enough to let them fire. */
const RETRY_STEP_MS = 20;
const MAX_ROUNDS = 200;

/** A fingerprint of every workload object, to see when the controllers stopped writing. */
function fingerprint(c: TestCluster): string {
  return ['deployments.apps', 'replicasets.apps', 'pods', 'events'].map((r) => c.list(r, 'default').map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`).join(',')).join('|');
}

/**
 * Runs watch deliveries, workers and short retry timers until nothing changes any more; `onRound`
 * sees every intermediate state (for invariants) and may act like a kubelet.
 */
export async function converge(c: TestCluster, onRound?: () => void): Promise<void> {
  let last = '';
  let stable = 0;
  for (let i = 0; i < MAX_ROUNDS; i++) {
    await c.settle();
    onRound?.();
    c.clock.advance(RETRY_STEP_MS);
    await c.settle();
    const fp = fingerprint(c);
    stable = fp === last ? stable + 1 : 0;
    if (stable >= 2) return;
    last = fp;
  }
  throw new Error('controllers did not converge');
}

/** Plays kubelet: every pending, non-terminating pod becomes Running and Ready now. */
export function markPodsReady(c: TestCluster, filter: (pod: Readonly<KubeObject>) => boolean = () => true): number {
  let n = 0;
  for (const pod of c.list('pods', 'default')) {
    const status = pod.status as { phase?: string } | undefined;
    if (pod.metadata.deletionTimestamp || status?.phase === 'Running' || !filter(pod)) continue;
    const now = rfc3339(c.clock.now());
    c.client.mutate('pods', { namespace: 'default', name: pod.metadata.name ?? '' }, (cur) => ({
      ...cur,
      status: {
        phase: 'Running',
        conditions: [
          { type: 'Ready', status: 'True', lastTransitionTime: now },
          { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
        ],
        startTime: now,
      },
    }), { status: true });
    n++;
  }
  return n;
}

/** A Deployment of nginx-like pods labelled app=<name>. */
export function deployment(name: string, replicas: number, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'nginx:1.25' }] } },
      ...spec,
    },
  };
}

/** Messages of the events about one object, oldest first. */
export function eventMessages(c: TestCluster, name: string, reason?: string): string[] {
  return c
    .list('events', 'default')
    .filter((e) => (e.involvedObject as { name?: string }).name === name && (!reason || e.reason === reason))
    .sort((a, b) => String(a.metadata.name).localeCompare(String(b.metadata.name)))
    .map((e) => String(e.message));
}

/** Sets the container image of a deployment (what `kubectl set image` changes). */
export function setImage(c: TestCluster, name: string, image: string): void {
  c.client.mutate('deployments.apps', { namespace: 'default', name }, (cur) => {
    const spec = cur.spec as { template: { spec: { containers: Array<{ image: string }> } } };
    spec.template.spec.containers[0]!.image = image;
    return cur;
  });
}
