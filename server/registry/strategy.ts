import type { ResourceInfo } from '../../schemas/index.js';
import type { KubeObject } from '../../schemas/types/meta.js';

/** Finalizers the apiserver adds for `propagationPolicy` Foreground and Orphan. */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

/** Kinds whose strategies keep metadata.generation (set to 1 on create, bumped on spec change). */
const GENERATION_KINDS = new Set([
  'Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job', 'CronJob', 'Pod', 'ReplicationController',
  'PodDisruptionBudget', 'NetworkPolicy', 'Ingress', 'HorizontalPodAutoscaler',
]);

/** Fields that are not "spec" for the generation check: everything outside them counts as spec. */
const NON_SPEC_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'status']);

/** Whether the kind tracks metadata.generation. */
export function hasGeneration(kind: string): boolean {
  return GENERATION_KINDS.has(kind);
}

/** Whether writes to the main resource must leave status alone (the kind has a status subresource). */
export function hasStatusSubresource(info: ResourceInfo): boolean {
  return info.subresources.some((s) => s.name === 'status');
}

function specOf(obj: KubeObject): string {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!NON_SPEC_FIELDS.has(k)) out[k] = v;
  return stableStringify(out);
}

/** JSON with sorted keys, for equality checks that must not depend on key order. */
export function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v as Record<string, unknown>).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * Whether an update must bump generation: any change outside metadata and status; Deployments also
 * count annotation changes (their strategy compares annotations, a leftover of the rollback API).
 */
export function generationChanged(kind: string, old: KubeObject, next: KubeObject): boolean {
  if (specOf(old) !== specOf(next)) return true;
  if (kind === 'Deployment') return stableStringify(old.metadata.annotations ?? {}) !== stableStringify(next.metadata.annotations ?? {});
  return false;
}

/** The status a new object starts with: create resets whatever the client sent. */
export function initialStatus(kind: string, obj: KubeObject): unknown {
  switch (kind) {
    case 'Pod':
      return { phase: 'Pending', qosClass: qosClass(obj) };
    case 'Namespace':
      return { phase: 'Active' };
    case 'Service':
      return { loadBalancer: {} };
    case 'PersistentVolumeClaim':
    case 'PersistentVolume':
      return { phase: 'Pending' };
    case 'Node':
      return obj.status ?? {};
    default:
      return {};
  }
}

interface Resources { requests?: Record<string, unknown>; limits?: Record<string, unknown> }
interface ContainerLike { resources?: Resources }

/** The pod's QoS class (GetPodQOS): Guaranteed, Burstable or BestEffort from requests and limits. */
export function qosClass(pod: KubeObject): string {
  const spec = (pod.spec ?? {}) as { containers?: ContainerLike[]; initContainers?: ContainerLike[] };
  const all = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  let any = false;
  let guaranteed = all.length > 0;
  for (const c of all) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    const relevant = (k: string): boolean => k === 'cpu' || k === 'memory';
    if (Object.keys(req).some(relevant) || Object.keys(lim).some(relevant)) any = true;
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined) guaranteed = false;
      else if (req[r] !== undefined && String(req[r]) !== String(lim[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
