/**
 * Which pods `kubectl drain` deletes (kubectl pkg/drain/filters.go, GetPodsForDeletion): every pod
 * bound to the node runs through the filters in order until one refuses it; refusals with a
 * message become errors or warnings grouped by message.
 */
import type { KubeClient } from '../kube/client.js';

/** The flags the filters read. */
export interface FilterOptions {
  force: boolean;
  ignoreDaemonsets: boolean;
  deleteEmptydirData: boolean;
  /** 0 disables the filter for pods deleted long ago. */
  skipWaitForDeleteTimeoutSeconds: number;
  podSelector?: string;
  chunkSize: number;
}

type Status = { delete: boolean; reason: 'okay' | 'skip' | 'warning' | 'error'; message: string };

const okay = (): Status => ({ delete: true, reason: 'okay', message: '' });
const skip = (): Status => ({ delete: false, reason: 'skip', message: '' });
const warning = (del: boolean, message: string): Status => ({ delete: del, reason: 'warning', message });
const error = (message: string): Status => ({ delete: false, reason: 'error', message });

const DAEMONSET_FATAL = 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)';
const DAEMONSET_WARNING = 'ignoring DaemonSet-managed Pods';
const LOCAL_STORAGE_FATAL = 'Pods with local storage (use --delete-emptydir-data to override)';
const LOCAL_STORAGE_WARNING = 'deleting Pods with local storage';
// v1.35's constant already says "cannot delete", and the grouping prefixes it again.
const UNMANAGED_FATAL = 'cannot delete Pods that declare no controller (use --force to override)';
const UNMANAGED_WARNING = 'deleting Pods that declare no controller';
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

/** The pods to delete and the grouped errors and warnings of the others. */
export interface PodDeleteList {
  pods: any[];
  errors: Error[];
  /** `<message>: ns/pod, …` groups joined by `; `, or empty. */
  warnings: string;
}

const finished = (pod: any) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const controllerOf = (pod: any) => (pod.metadata?.ownerReferences ?? []).find((o: any) => o.controller);

type Filter = (pod: any) => Promise<Status> | Status;

function makeFilters(client: KubeClient, o: FilterOptions, nowMs: number): Filter[] {
  const skipDeleted: Filter = (pod) => {
    const at = pod.metadata?.deletionTimestamp;
    if (o.skipWaitForDeleteTimeoutSeconds > 0 && at && nowMs - Date.parse(at) > o.skipWaitForDeleteTimeoutSeconds * 1000) return skip();
    return okay();
  };
  const daemonSet: Filter = async (pod) => {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== 'DaemonSet') return okay();
    if (finished(pod)) return okay();
    try {
      await client.getJson(`/apis/apps/v1/namespaces/${encodeURIComponent(pod.metadata.namespace)}/daemonsets/${encodeURIComponent(ref.name)}`);
    } catch (err) {
      // The error's own text (StatusError.Error()), e.g. `daemonsets.apps "x" not found`.
      const text = (err as Error).message;
      return (err as { code?: number }).code === 404 && o.force ? warning(true, text) : error(text);
    }
    return o.ignoreDaemonsets ? warning(false, DAEMONSET_WARNING) : error(DAEMONSET_FATAL);
  };
  const mirror: Filter = (pod) => (pod.metadata?.annotations?.[MIRROR_ANNOTATION] !== undefined ? skip() : okay());
  const localStorage: Filter = (pod) => {
    if (!(pod.spec?.volumes ?? []).some((v: any) => v.emptyDir) || finished(pod)) return okay();
    return o.deleteEmptydirData ? warning(true, LOCAL_STORAGE_WARNING) : error(LOCAL_STORAGE_FATAL);
  };
  const unreplicated: Filter = (pod) => {
    if (finished(pod) || controllerOf(pod)) return okay();
    return o.force ? warning(true, UNMANAGED_WARNING) : error(UNMANAGED_FATAL);
  };
  return [skipDeleted, daemonSet, mirror, localStorage, unreplicated];
}

/** Groups `ns/name`s by message, in order of first appearance (Go's map order is random). */
function group(items: Array<{ pod: any; status: Status }>, reason: Status['reason']): Array<[string, string[]]> {
  const groups = new Map<string, string[]>();
  for (const { pod, status } of items) {
    if (status.reason !== reason) continue;
    const msg = status.message || 'unexpected error';
    groups.set(msg, [...(groups.get(msg) ?? []), `${pod.metadata.namespace}/${pod.metadata.name}`]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Lists the node's pods (all namespaces, with `--pod-selector`) and filters them. */
export async function podsForDeletion(client: KubeClient, node: string, o: FilterOptions): Promise<PodDeleteList> {
  const pods: any[] = [];
  let cont = '';
  do {
    const q = new URLSearchParams({ fieldSelector: `spec.nodeName=${node}` });
    if (o.podSelector) q.set('labelSelector', o.podSelector);
    q.set('limit', String(o.chunkSize));
    if (cont) q.set('continue', cont);
    const page = await client.getJson(`/api/v1/pods?${q}`);
    pods.push(...(page.items ?? []));
    cont = page.metadata?.continue ?? '';
  } while (cont);
  const filters = makeFilters(client, o, Date.now());
  const items: Array<{ pod: any; status: Status }> = [];
  for (const pod of pods) {
    let status = okay();
    for (const f of filters) {
      status = await f(pod);
      if (!status.delete) break;
    }
    items.push({ pod, status });
  }
  return {
    pods: items.filter((i) => i.status.delete).map((i) => i.pod),
    errors: group(items, 'error').map(([msg, names]) => new Error(`cannot delete ${msg}: ${names.join(', ')}`)),
    warnings: group(items, 'warning').map(([msg, names]) => `${msg}: ${names.join(', ')}`).join('; '),
  };
}
