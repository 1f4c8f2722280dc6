/**
 * ResourceQuota admission for pods: a create that would take a namespace past a quota's hard
 * limits is refused with `exceeded quota: …`, and an admitted pod is charged to each quota's
 * status.used at once, so a burst of creates (a ReplicaSet scaling up) cannot overshoot before the
 * quota controller recounts. Only the pod evaluator is modelled; the per-container "must specify"
 * constraints are not.
 *
 * Facts from kubernetes plugin/pkg/admission/resourcequota (controller.go checkRequest, prettyPrint)
 * and staging apiserver admission.NewForbidden.
 */
import type { ResourceInfo } from '../../schemas/index.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import { StatusError } from '../api/errors.js';
import { podUsage, type Pod } from '../controllers/resourcequota-usage.js';
import type { Store } from '../storage/store.js';
import { formatQuantity, parseQuantity, type Quantity } from '../validation/pod-fields.js';
import { cloneJSON } from '../registry/strategy.js';

type ResourceList = Record<string, string>;

interface Quota extends KubeObject {
  spec?: { hard?: ResourceList; scopes?: string[] };
  status?: { hard?: ResourceList; used?: ResourceList };
}

/** `a=1,b=2` with sorted names, as the plugin prints resource lists. */
function prettyPrint(list: Map<string, Quantity>): string {
  return [...list.keys()].sort().map((k) => `${k}=${formatQuantity(list.get(k)!)}`).join(',');
}

function forbidden(pod: KubeObject, message: string): StatusError {
  const name = pod.metadata.name ?? '';
  return new StatusError(403, 'Forbidden', `pods "${name}" is forbidden: ${message}`, { name, kind: 'pods' });
}

/** What the pod charges to one quota, limited to the names the quota constrains. */
function chargedTo(pod: Pod, quota: Quota, nowMs: number): Map<string, Quantity> {
  const hard = quota.spec?.hard ?? {};
  const delta = new Map<string, Quantity>();
  podUsage(pod, quota.spec?.scopes ?? [], nowMs, (name, q) => {
    if (!(name in hard)) return;
    const cur = delta.get(name);
    delta.set(name, cur ? { nano: cur.nano + q.nano, format: cur.format } : q);
  });
  return delta;
}

/**
 * Refuses a pod create that exceeds a quota of its namespace, else charges it to every quota it
 * counts against (not on dry runs).
 */
export function admitResourceQuota(info: ResourceInfo, obj: KubeObject, deps: { store: Store; now: number; dryRun: boolean }): void {
  if (info.group !== '' || info.kind !== 'Pod') return;
  const namespace = obj.metadata.namespace ?? '';
  const quotas = deps.store.list('resourcequotas', namespace).sort((a, b) => (a.object.metadata.name ?? '').localeCompare(b.object.metadata.name ?? ''));
  const charges: Array<{ quota: (typeof quotas)[number]; used: ResourceList }> = [];
  for (const stored of quotas) {
    const quota = stored.object as Quota;
    const delta = chargedTo(obj as Pod, quota, deps.now);
    if (delta.size === 0) continue;
    const hard = quota.status?.hard;
    if (!hard || [...delta.keys()].some((k) => !(k in hard))) {
      throw forbidden(obj, `status unknown for quota: ${quota.metadata.name}, resources: ${[...delta.keys()].sort().join(',')}`);
    }
    const used = new Map<string, Quantity>();
    const exceeded = new Map<string, Quantity>();
    for (const [name, q] of delta) {
      const u = parseQuantity(quota.status?.used?.[name] ?? '0') ?? { nano: 0n, format: q.format };
      used.set(name, u);
      if (u.nano + q.nano > parseQuantity(hard[name])!.nano) exceeded.set(name, q);
    }
    if (exceeded.size > 0) {
      const pick = (m: Map<string, Quantity>) => new Map([...m].filter(([k]) => exceeded.has(k)));
      const limited = new Map([...exceeded.keys()].map((k) => [k, parseQuantity(hard[k])!]));
      throw forbidden(obj, `exceeded quota: ${quota.metadata.name}, requested: ${prettyPrint(exceeded)}, used: ${prettyPrint(pick(used))}, limited: ${prettyPrint(limited)}`);
    }
    const next: ResourceList = { ...quota.status?.used };
    for (const [name, q] of delta) next[name] = formatQuantity({ nano: used.get(name)!.nano + q.nano, format: q.format });
    charges.push({ quota: stored, used: next });
  }
  if (deps.dryRun) return;
  for (const { quota, used } of charges) {
    const q = cloneJSON(quota.object) as Quota;
    q.status = { ...q.status, used };
    deps.store.update({ resource: 'resourcequotas', namespace, name: q.metadata.name ?? '' }, q, quota.modRevision);
  }
}
