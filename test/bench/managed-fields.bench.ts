/**
 * CPU benchmark of managedFields for the most frequent full comparison of a burst: the kubelet's
 * status writes of a pod (its first status, then each change of phase). A pod of a Deployment runs
 * to Ready in an in-process cluster on a fake clock; its status writes are then replayed through
 * updateManagedFields for KD_BENCH_PODS pods (default 10,000), each with a pod IP of its own as in
 * a real burst. The first replay must give what the server stored, or the bench stops. Single
 * threaded, so the time inside the calls is their CPU time.
 * `node dist/test/bench/managed-fields.bench.js` after a build.
 */
import assert from 'node:assert/strict';
import type { KubeObject } from '../../schemas/types/meta.js';
import { DEFAULT_COMPONENTS } from '../../server/cluster.js';
import { validateClusterConfig } from '../../server/config.js';
import { updateManagedFields } from '../../server/patch/create-fields.js';
import { deepFreeze } from '../../server/storage/store.js';
import { definitionFor } from '../../server/validation/schema.js';
import { startTestCluster } from '../support/cluster.js';

const PODS = Number(process.env['KD_BENCH_PODS'] ?? 10_000);
const POD = definitionFor('', 'v1', 'Pod');

/** The versions of one pod, from its bound state to Ready, as the store kept them. */
async function podVersions(): Promise<Readonly<KubeObject>[]> {
  const afters: Array<() => unknown> = [];
  const config = validateClusterConfig({ nodes: [{ name: 'controlplane', controlPlane: true }], workers: 1 });
  const c = startTestCluster({ after: (fn) => afters.push(fn) }, DEFAULT_COMPONENTS, { config, seed: 1 });
  const versions: Readonly<KubeObject>[] = [];
  const { stop } = c.client.listAndWatch('pods', (e) => {
    if (e.object.metadata.namespace === 'default') versions.push(e.object);
  });
  c.client.create('deployments.apps', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } },
  } as KubeObject);
  for (let i = 0; i < 600 && !(versions.at(-1)?.status as { containerStatuses?: Array<{ ready?: boolean }> } | undefined)?.containerStatuses?.[0]?.ready; i++) await c.advance(100, 100);
  stop();
  for (const fn of afters.reverse()) await fn();
  // From the binding on, every write is the kubelet's status.
  return versions.slice(versions.findIndex((v) => (v.spec as { nodeName?: string }).nodeName));
}

let spentMs = 0;

/**
 * One pod's status writes replayed on `bound`, with its own name and IP and statuses of its own,
 * as a kubelet makes them (shared ones would let the comparison skip them); returns the last
 * version. Only updateManagedFields is timed.
 */
function replay(bound: Readonly<KubeObject>, statuses: readonly unknown[], i: number, distinct: boolean): Readonly<KubeObject> {
  const ip = `10.244.${(i >> 8) & 255}.${i & 255}`;
  let cur = distinct ? deepFreeze({ ...bound, metadata: { ...bound.metadata, name: `web-${i}`, uid: `uid-${i}` } }) : bound;
  for (const [k, stored] of statuses.entries()) {
    const status = distinct ? deepFreeze({ ...structuredClone(stored as object), podIP: ip, podIPs: [{ ip }] }) : stored;
    const next: KubeObject = { ...cur, metadata: { ...cur.metadata }, status };
    const t0 = performance.now();
    updateManagedFields(cur, next, { manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time: `2026-01-01T00:00:0${k}Z`, definition: POD, subresource: 'status' });
    spentMs += performance.now() - t0;
    cur = deepFreeze(next);
  }
  return cur;
}

const versions = await podVersions();
const [bound, ...written] = versions;
assert.ok(bound && written.length > 0, 'the pod never got a status from its kubelet');
const statuses = written.map((v) => v.status);
// The replay's entries are the stored ones (times aside): the bench measures what the server does.
const fieldsOf = (o: Readonly<KubeObject>): unknown => (o.metadata.managedFields as Array<Record<string, unknown>> | undefined)?.map((e) => [e['manager'], e['subresource'], e['fieldsV1']]);
assert.deepEqual(fieldsOf(replay(bound, statuses, 0, false)), fieldsOf(written.at(-1)!));
for (let i = 0; i < 2000; i++) replay(bound, statuses, i, true);
spentMs = 0;
for (let i = 0; i < PODS; i++) replay(bound, statuses, i, true);
const writes = PODS * statuses.length;
console.log(`managedFields of the kubelet's status writes: ${((spentMs * 1000) / writes).toFixed(1)} µs per write (${PODS} pods × ${statuses.length} writes)`);
