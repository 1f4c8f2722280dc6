/**
 * Pod lookups shared by logs, exec and attach: the object named by `NAME` or `TYPE/NAME` (the
 * builder's NotFound text), a controller's first pod (polymorphichelpers GetFirstPod with
 * podutils.ByLogging) and containers by name (podcmd.FindContainerByName).
 */
import { goSort } from '../describe/gosort.js';
import type { Connection } from '../kube/connect.js';
import { resourcePath, type ApiResource } from '../kube/discovery.js';

/** The container of a pod with that name (containers, init containers, ephemeral ones). */
export function findContainer(pod: any, name: string): any {
  const spec = pod.spec ?? {};
  return [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])].find((c: any) => c.name === name);
}

/** Gets `NAME` (a pod) or `TYPE/NAME`; NotFound is kubectl's `error from server (NotFound): …` text. */
export async function objectFor(conn: Connection, arg: string): Promise<{ obj: any; resource: ApiResource }> {
  const slash = arg.indexOf('/');
  const [resource] = await conn.resolve(slash < 0 ? 'pods' : arg.slice(0, slash));
  const name = slash < 0 ? arg : arg.slice(slash + 1);
  try {
    return { obj: await conn.client.getJson(resourcePath(resource!, conn.namespace, name)), resource: resource! };
  } catch (err) {
    if ((err as { code?: number }).code !== 404) throw err;
    const qualified = resource!.group ? `${resource!.resource}.${resource!.group}` : resource!.resource;
    throw new Error(`error from server (NotFound): ${qualified} "${name}" not found in namespace "${conn.namespace}"`);
  }
}

/** Lists the pods of a namespace matching a label selector. */
export async function listPods(conn: Connection, namespace: string, selector: string): Promise<any[]> {
  const q = new URLSearchParams({ labelSelector: selector });
  return (await conn.client.getJson(`/api/v1/namespaces/${encodeURIComponent(namespace)}/pods?${q.toString()}`)).items ?? [];
}

/** SelectorsForObject: the label selector of a workload or service, as a query string. */
function selectorOf(obj: any, resource: ApiResource): string {
  const sel = obj.spec?.selector;
  const kind = `${resource.group}/${resource.kind}`;
  if (['/Service', '/ReplicationController'].includes(kind)) return Object.entries(sel ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  if (['apps/Deployment', 'apps/ReplicaSet', 'apps/StatefulSet', 'apps/DaemonSet', 'batch/Job'].includes(kind)) {
    const parts = Object.entries(sel?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
    for (const r of sel?.matchExpressions ?? []) {
      if (r.operator === 'Exists') parts.push(r.key);
      else if (r.operator === 'DoesNotExist') parts.push(`!${r.key}`);
      else parts.push(`${r.key} ${r.operator === 'In' ? 'in' : 'notin'} (${(r.values ?? []).join(',')})`);
    }
    return parts.join(',');
  }
  throw new Error(`selector for *${resource.version}.${resource.kind} not implemented`);
}

const isReady = (p: any) => (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
const readyTime = (p: any) => Date.parse((p.status?.conditions ?? []).find((c: any) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime ?? '') || 0;
const restarts = (p: any) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((s: any) => s.restartCount ?? 0));
const created = (p: any) => Date.parse(p.metadata?.creationTimestamp ?? '') || 0;
const PHASE_RANK: Record<string, number> = { Running: 0, Unknown: 1, Pending: 2 };

/** afterOrZero: a zero time sorts last. */
function afterOrZero(t1: number, t2: number): boolean {
  if (t1 === 0 || t2 === 0) return t1 === 0;
  return t1 > t2;
}

/** podutils.ByLogging: the pod whose logs are most interesting comes first. */
function byLogging(a: any, b: any): boolean {
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na !== '';
  const pa = PHASE_RANK[a.status?.phase] ?? 3;
  const pb = PHASE_RANK[b.status?.phase] ?? 3;
  if (pa !== pb) return pa < pb;
  if (isReady(a) !== isReady(b)) return isReady(a);
  if (isReady(a) && isReady(b) && readyTime(a) !== readyTime(b)) return afterOrZero(readyTime(b), readyTime(a));
  if (restarts(a) !== restarts(b)) return restarts(a) > restarts(b);
  if (created(a) !== created(b)) return afterOrZero(created(b), created(a));
  return false;
}

/** podutils.ActivePods: the pod least worth keeping first; reversed, the best pod to attach to. */
function activeLess(a: any, b: any): boolean {
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '';
  const rank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
  const pa = rank[a.status?.phase] ?? 0;
  const pb = rank[b.status?.phase] ?? 0;
  if (pa !== pb) return pa < pb;
  if (isReady(a) !== isReady(b)) return !isReady(a);
  if (isReady(a) && isReady(b) && readyTime(a) !== readyTime(b)) return afterOrZero(readyTime(a), readyTime(b));
  if (restarts(a) !== restarts(b)) return restarts(a) > restarts(b);
  if (created(a) !== created(b)) return afterOrZero(created(a), created(b));
  return false;
}

/**
 * GetFirstPod: the workload's pods sorted for logs (ByLogging, with kubectl's `Found N pods` note)
 * or for exec and attach (ActivePods reversed, silently).
 */
export async function firstPodOf(conn: Connection, obj: any, resource: ApiResource, use: 'logs' | 'attach' = 'logs'): Promise<any> {
  let selector: string;
  try {
    selector = selectorOf(obj, resource);
  } catch (err) {
    const what = `*${resource.version}.${resource.kind}`;
    throw new Error(`${use === 'logs' ? `cannot get the logs from ${what}` : `cannot attach to ${what}`}: ${(err as Error).message}`);
  }
  const pods = await listPods(conn, obj.metadata.namespace, selector);
  if (pods.length === 0) throw new Error('timed out waiting for the condition');
  if (use === 'attach') return goSort(pods, (a, b) => activeLess(b, a))[0];
  const sorted = goSort(pods, byLogging);
  if (pods.length > 1) process.stderr.write(`Found ${pods.length} pods, using pod/${sorted[0].metadata.name}\n`);
  return sorted[0];
}

/** FindOrDefaultContainerByName for exec and attach: the default-container annotation, else the first. */
export function defaultContainer(pod: any, quiet: boolean): any {
  const spec = pod.spec ?? {};
  if (!spec.containers?.length) throw new Error(`pod ${pod.metadata.namespace}/${pod.metadata.name} does not have any containers`);
  const annotated = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
  const found = annotated ? findContainer(pod, annotated) : undefined;
  if (found) return found;
  const first = spec.containers[0];
  if (!quiet && (spec.containers.length > 1 || spec.initContainers?.length || spec.ephemeralContainers?.length)) {
    const names = [
      ...spec.containers.map((c: any) => c.name),
      ...(spec.initContainers ?? []).map((c: any) => `${c.name} (init)`),
      ...(spec.ephemeralContainers ?? []).map((c: any) => `${c.name} (ephem)`),
    ].join(', ');
    process.stderr.write(`Defaulted container ${JSON.stringify(first.name)} out of: ${names}\n`);
  }
  return first;
}
