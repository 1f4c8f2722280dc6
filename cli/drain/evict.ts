/**
 * How `kubectl drain` removes the pods it may delete (kubectl pkg/drain/drain.go, evictPods,
 * deletePods, waitForDelete): concurrent policy/v1 evictions retried every 5 s while a
 * PodDisruptionBudget refuses them (429), or sequential DELETEs with `--disable-eviction`; then a
 * 1 s poll until each pod is gone or replaced.
 */
import type { KubeClient } from '../kube/client.js';
import { formatGoDuration } from '../rollout/watch.js';

/** The flags eviction reads. */
export interface EvictOptions {
  gracePeriodSeconds: number;
  /** 0 = no global timeout. */
  timeoutMs: number;
  disableEviction: boolean;
  serverDryRun: boolean;
  skipWaitForDeleteTimeoutSeconds: number;
}

/** kubectl waits this long before retrying a refused eviction. */
const EVICTION_RETRY_MS = 5000;
/** waitForDelete's poll interval. */
const POLL_MS = 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const podPath = (pod: any) => `/api/v1/namespaces/${encodeURIComponent(pod.metadata.namespace)}/pods/${encodeURIComponent(pod.metadata.name)}`;
const code = (err: unknown) => (err as { code?: number }).code;

function deleteOptions(o: EvictOptions): Record<string, unknown> {
  return { ...(o.gracePeriodSeconds >= 0 ? { gracePeriodSeconds: o.gracePeriodSeconds } : {}), ...(o.serverDryRun ? { dryRun: ['All'] } : {}) };
}

function hasTerminatingCause(err: unknown): boolean {
  return ((err as { details?: { causes?: Array<{ reason?: string }> } }).details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
}

/**
 * Polls until every pod is gone (404, or a new pod with another UID took the name), printing
 * `pod/<name> <verb>` for each; rejects with `timeoutText` once `endMs` passes.
 */
async function waitForDelete(client: KubeClient, pods: any[], verb: string, endMs: number, o: EvictOptions, timeoutText: string): Promise<void> {
  let pending = pods;
  for (;;) {
    const still: any[] = [];
    for (const pod of pending) {
      let p: any;
      try {
        p = await client.getJson(podPath(pod));
      } catch (err) {
        if (code(err) !== 404) throw err;
      }
      if (!p || p.metadata?.uid !== pod.metadata.uid) {
        process.stdout.write(`pod/${pod.metadata.name} ${verb}\n`);
        continue;
      }
      const at = p.metadata?.deletionTimestamp;
      if (o.skipWaitForDeleteTimeoutSeconds > 0 && at && Date.now() - Date.parse(at) > o.skipWaitForDeleteTimeoutSeconds * 1000) {
        process.stdout.write(`pod "${pod.metadata.name}" has DeletionTimestamp older than ${o.skipWaitForDeleteTimeoutSeconds} seconds, skipping\n`);
        continue;
      }
      still.push(pod);
    }
    pending = still;
    if (pending.length === 0) return;
    if (Date.now() >= endMs) throw new Error(timeoutText);
    await sleep(POLL_MS);
  }
}

/** One pod's eviction loop; resolves with its error, if any. */
async function evictOne(client: KubeClient, pod: any, o: EvictOptions, endMs: number): Promise<Error | undefined> {
  const ns = pod.metadata.namespace;
  const name = pod.metadata.name;
  let active = pod;
  for (;;) {
    process.stdout.write(o.serverDryRun ? `evicting pod ${ns}/${name} (server dry run)\n` : `evicting pod ${ns}/${name}\n`);
    if (Date.now() >= endMs) return new Error(`error when evicting pods/"${name}" -n "${ns}": global timeout reached: ${formatGoDuration(o.timeoutMs)}`);
    try {
      const body = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: ns }, deleteOptions: deleteOptions(o) };
      await client.request('POST', `${podPath(active)}/eviction`, { body });
      break;
    } catch (err) {
      if (code(err) === 404) return undefined;
      const message = (err as Error).message;
      if (code(err) === 429) {
        process.stderr.write(`error when evicting pods/"${name}" -n "${ns}" (will retry after 5s): ${message}\n`);
      } else if (code(err) === 403 && hasTerminatingCause(err)) {
        if (active.metadata?.deletionTimestamp) break;
        process.stderr.write(`error when evicting pod "${name}" from terminating namespace "${ns}" (will retry after 5s): ${message}\n`);
      } else {
        return new Error(`error when evicting pods/"${name}" -n "${ns}": ${message}`);
      }
      await sleep(EVICTION_RETRY_MS);
      active = await client.getJson(podPath(pod)).catch(() => pod);
    }
  }
  if (o.serverDryRun) return undefined;
  try {
    await waitForDelete(client, [pod], 'evicted', endMs, o, `global timeout reached: ${formatGoDuration(o.timeoutMs)}`);
    return undefined;
  } catch (err) {
    return new Error(`error when waiting for pod "${name}" in namespace "${ns}" to terminate: ${(err as Error).message}`);
  }
}

/**
 * Evicts (or deletes) the pods; resolves with the errors of those that failed, in the order they
 * finished, as kubectl collects them from its goroutines.
 */
export async function deleteOrEvictPods(client: KubeClient, pods: any[], o: EvictOptions): Promise<Error[]> {
  if (pods.length === 0) return [];
  const endMs = o.timeoutMs > 0 ? Date.now() + o.timeoutMs : Number.POSITIVE_INFINITY;
  if (!o.disableEviction) {
    // CheckEvictionSupport reads the core group's resources for pods/eviction.
    await client.getJson('/api/v1');
    const errors: Error[] = [];
    await Promise.all(pods.map((p) => evictOne(client, p, o, endMs).then((e) => e && errors.push(e))));
    return errors;
  }
  for (const pod of pods) {
    try {
      // DeleteOptions as query parameters, which the API server reads like the body kubectl sends.
      const q = new URLSearchParams();
      if (o.gracePeriodSeconds >= 0) q.set('gracePeriodSeconds', String(o.gracePeriodSeconds));
      if (o.serverDryRun) q.set('dryRun', 'All');
      await client.request('DELETE', podPath(pod) + (q.size > 0 ? `?${q}` : ''));
    } catch (err) {
      if (code(err) !== 404) return [err as Error];
    }
  }
  try {
    // Deletion waits with a plain poll timeout, not the eviction's global context.
    await waitForDelete(client, pods, 'deleted', endMs, o, 'timed out waiting for the condition');
  } catch (err) {
    return [err as Error];
  }
  return [];
}
