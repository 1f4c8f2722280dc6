/**
 * The resource quota controller: keeps each ResourceQuota's status (`hard` mirrored from the spec,
 * `used` computed from the namespace's objects) current, which `kubectl describe quota` and
 * `kubectl describe namespace` print as the Used/Hard table. Usage follows the upstream evaluators
 * (pkg/quota/v1/evaluator/core: pods.go, services.go, persistent_volume_claims.go and the generic
 * object-count evaluator); admission-time enforcement is not part of this controller.
 *
 * Port of kubernetes pkg/controller/resourcequota/resource_quota_controller.go (syncResourceQuota).
 */
import type { KubeObject } from '../../schemas/types/meta.js';
import type { LocalClient } from '../client/api-client.js';
import type { StartComponent } from '../cluster.js';
import { BY_NAMESPACE, type InformerFactory } from '../informers/factory.js';
import { objectKey } from '../informers/informer.js';
import { formatQuantity, parseQuantity, type Quantity } from '../validation/pod-fields.js';
import { runController } from './runner.js';
import { podUsage, type Pod } from './resourcequota-usage.js';
import { KUBE_CONTROLLER_MANAGER } from './field-managers.js';

/** Full resync of every quota (kube-controller-manager --resource-quota-sync-period). */
export const RESOURCE_QUOTA_SYNC_PERIOD_MS = 5 * 60 * 1000;
const QUOTAS = 'resourcequotas';

/** Kinds whose changes replenish quota at once; other `count/…` resources wait for the resync. */
const WATCHED = ['pods', 'services', 'persistentvolumeclaims', 'configmaps', 'secrets', 'replicationcontrollers', QUOTAS, 'deployments.apps', 'replicasets.apps', 'statefulsets.apps', 'daemonsets.apps', 'jobs.batch', 'cronjobs.batch'];

/** The plain resource names that count objects of one kind (object_count.go and the core evaluators). */
const COUNTED: Readonly<Record<string, string>> = {
  pods: 'pods', services: 'services', persistentvolumeclaims: 'persistentvolumeclaims', configmaps: 'configmaps',
  secrets: 'secrets', replicationcontrollers: 'replicationcontrollers', resourcequotas: 'resourcequotas',
};

type ResourceList = Record<string, string>;

interface Quota extends KubeObject {
  spec?: { hard?: ResourceList; scopes?: string[] };
  status?: { hard?: ResourceList; used?: ResourceList };
}

/** Sums quantities into a list, keeping the format of the first one added (Quantity.Add). */
class Usage {
  private readonly sums = new Map<string, Quantity>();

  add(name: string, value: string | number | Quantity | undefined): void {
    const q = typeof value === 'object' ? value : parseQuantity(value);
    if (!q) return;
    const cur = this.sums.get(name);
    this.sums.set(name, cur ? { nano: cur.nano + q.nano, format: cur.format } : q);
  }

  /** The used list for the quota's hard names; a name nothing counted is `0`. */
  masked(hard: ResourceList): ResourceList {
    const out: ResourceList = {};
    for (const name of Object.keys(hard)) out[name] = formatQuantity(this.sums.get(name) ?? { nano: 0n, format: 'DecimalSI' });
    return out;
  }
}

/** The group-resource a `count/<resource>[.<group>]` name counts, as the client names it. */
function countedResource(name: string): string | undefined {
  if (name.startsWith('count/')) return name.slice('count/'.length);
  return COUNTED[name];
}

function addServiceUsage(usage: Usage, svc: KubeObject): void {
  const spec = (svc as { spec?: { type?: string; ports?: Array<{ nodePort?: number }> } }).spec;
  if (spec?.type === 'LoadBalancer') usage.add('services.loadbalancers', 1);
  if (spec?.type === 'LoadBalancer' || spec?.type === 'NodePort') usage.add('services.nodeports', (spec.ports ?? []).length);
}

function addClaimUsage(usage: Usage, pvc: KubeObject): void {
  const spec = (pvc as { spec?: { storageClassName?: string; resources?: { requests?: ResourceList } } }).spec;
  const storage = spec?.resources?.requests?.['storage'];
  usage.add('requests.storage', storage);
  if (spec?.storageClassName) {
    usage.add(`${spec.storageClassName}.storageclass.storage.k8s.io/requests.storage`, storage);
    usage.add(`${spec.storageClassName}.storageclass.storage.k8s.io/persistentvolumeclaims`, 1);
  }
}

/** What one namespace uses of the names a quota constrains (CalculateUsage, masked to hard). */
export function calculateUsage(client: LocalClient, quota: Readonly<Quota>, nowMs: number): ResourceList {
  const hard = quota.spec?.hard ?? {};
  const namespace = quota.metadata.namespace ?? '';
  const scopes = quota.spec?.scopes ?? [];
  const usage = new Usage();
  const listed = new Map<string, Readonly<KubeObject>[]>();
  const list = (resource: string): Readonly<KubeObject>[] => {
    let items = listed.get(resource);
    if (!items) {
      try {
        items = client.list(resource, { namespace });
      } catch {
        items = []; // a count/ name for a kind the server does not serve counts nothing
      }
      listed.set(resource, items);
    }
    return items;
  };
  const names = Object.keys(hard);
  const pods = names.some((n) => !countedResource(n) || n === 'pods' || n === 'count/pods') ? list('pods') : [];
  for (const pod of pods) podUsage(pod as Pod, scopes, nowMs, (name, q) => usage.add(name, q));
  if (names.some((n) => n.startsWith('services.'))) for (const svc of list('services')) addServiceUsage(usage, svc);
  if (names.some((n) => n.includes('storage'))) for (const pvc of list('persistentvolumeclaims')) addClaimUsage(usage, pvc);
  for (const name of names) {
    const resource = countedResource(name);
    if (!resource || resource === 'pods') continue;
    if (scopes.length === 0) usage.add(name, list(resource).length);
  }
  return usage.masked(hard);
}

const sameList = (a: ResourceList | undefined, b: ResourceList): boolean =>
  Object.keys(a ?? {}).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => a?.[k] === v);

/** Writes a quota's status when its hard or used list changed (syncResourceQuota). */
export function syncResourceQuota(client: LocalClient, key: string, nowMs: number): void {
  const [namespace, name] = key.split('/') as [string, string];
  const quota = client.get(QUOTAS, { namespace, name }) as Quota | undefined;
  if (!quota) return;
  const hard: ResourceList = {};
  for (const [k, v] of Object.entries(quota.spec?.hard ?? {})) {
    const q = parseQuantity(v);
    hard[k] = q ? formatQuantity(q) : v;
  }
  const used = calculateUsage(client, quota, nowMs);
  if (sameList(quota.status?.hard, hard) && sameList(quota.status?.used, used)) return;
  client.mutate(QUOTAS, { namespace, name }, (q) => ({ ...q, status: { hard, used } }), { status: true });
}

function watchNamespaces(informers: InformerFactory, enqueueNamespace: (ns: string) => void): void {
  for (const resource of WATCHED) {
    const onChange = (o: Readonly<KubeObject>): void => enqueueNamespace(o.metadata.namespace ?? '');
    informers.for(resource).on({ add: onChange, update: (_old, o) => onChange(o), delete: onChange });
  }
}

/** Starts the resource quota controller. */
export const startResourceQuotaController: StartComponent = (ctx) => {
  const client = ctx.client(KUBE_CONTROLLER_MANAGER);
  const quotas = ctx.informers.for(QUOTAS);
  const c = runController({ name: 'resourcequota', reconcile: (key) => syncResourceQuota(client, key, ctx.clock.now()) }, ctx.clock);
  // Replenishment: any change in a namespace with quotas re-evaluates them.
  watchNamespaces(ctx.informers, (ns) => {
    for (const q of quotas.byIndex(BY_NAMESPACE, ns)) c.queue.add(objectKey(q));
  });
  // The periodic full resync catches kinds no informer here watches (other count/… names).
  let cancel = (): void => {};
  const resync = (): void => {
    for (const q of quotas.list()) c.queue.add(objectKey(q));
    cancel = ctx.clock.setTimer(resync, RESOURCE_QUOTA_SYNC_PERIOD_MS);
  };
  cancel = ctx.clock.setTimer(resync, RESOURCE_QUOTA_SYNC_PERIOD_MS);
  return () => {
    cancel();
    c.stop();
  };
};
