/**
 * What describers read besides the object itself: lists in chunks (kubectl's FollowContinue) and
 * the events of an object (describe.go searchEvents: the field selector on involvedObject).
 */
import type { KubeClient } from '../kube/client.js';

/** What every describer gets. */
export interface DescribeContext {
  client: KubeClient;
  showEvents: boolean;
  chunkSize: number;
}

/** Lists every page of a collection path with the given selectors. */
export async function listAll(ctx: DescribeContext, path: string, query: Record<string, string> = {}): Promise<any[]> {
  const items: any[] = [];
  let cont = '';
  do {
    const q = new URLSearchParams({ ...query, limit: String(ctx.chunkSize), ...(cont ? { continue: cont } : {}) });
    if (ctx.chunkSize <= 0) q.delete('limit');
    const page = await ctx.client.getJson(`${path}?${q.toString()}`);
    items.push(...(page.items ?? []));
    cont = page.metadata?.continue ?? '';
  } while (cont);
  return items;
}

/** The object reference describers search events for. */
export interface EventRef {
  name: string;
  namespace: string;
  kind?: string;
  uid?: string;
}

/** The reference of an object (reference.GetReference): its kind, name, namespace and uid. */
export function refOf(obj: any): EventRef {
  return { name: obj.metadata?.name ?? '', namespace: obj.metadata?.namespace ?? '', kind: obj.kind, uid: obj.metadata?.uid };
}

/** The events about a reference, or undefined when --show-events=false; errors give no events. */
export async function searchEvents(ctx: DescribeContext, ref: EventRef): Promise<any[] | undefined> {
  if (!ctx.showEvents) return undefined;
  const fields: Record<string, string> = { 'involvedObject.name': ref.name, 'involvedObject.namespace': ref.namespace };
  if (ref.kind) fields['involvedObject.kind'] = ref.kind;
  if (ref.uid) fields['involvedObject.uid'] = ref.uid;
  const selector = Object.keys(fields)
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join(',');
  const base = ref.namespace ? `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/events` : '/api/v1/events';
  try {
    return await listAll(ctx, base, { fieldSelector: selector });
  } catch {
    return [];
  }
}

/** GETs an object by its API path. */
export function getPath(ctx: DescribeContext, path: string): Promise<any> {
  return ctx.client.getJson(path);
}

/** The API path of a namespaced or cluster object of a group/version. */
export function apiPath(groupVersion: string, resource: string, namespace: string | undefined, name?: string): string {
  const base = groupVersion.includes('/') ? `/apis/${groupVersion}` : `/api/${groupVersion}`;
  const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${resource}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}

/** Counts the pods a controller owns by phase (getPodStatusForController). */
export async function podStatusFor(ctx: DescribeContext, namespace: string, selector: string, uid: string): Promise<{ running: number; waiting: number; succeeded: number; failed: number }> {
  const counts = { running: 0, waiting: 0, succeeded: 0, failed: 0 };
  const pods = await listAll(ctx, apiPath('v1', 'pods', namespace), selector ? { labelSelector: selector } : {});
  for (const pod of pods) {
    const owner = (pod.metadata?.ownerReferences ?? []).find((r: any) => r.controller);
    if (!owner || owner.uid !== uid) continue;
    const phase = pod.status?.phase;
    if (phase === 'Running') counts.running++;
    else if (phase === 'Pending') counts.waiting++;
    else if (phase === 'Succeeded') counts.succeeded++;
    else if (phase === 'Failed') counts.failed++;
  }
  return counts;
}
