/**
 * The strategic-merge-patch metadata client-side apply needs for built-in kinds: which lists merge
 * by which key and which maps keep only the keys they are given. Upstream reads it from the Go
 * struct tags (`patchStrategy`, `patchMergeKey` in k8s.io/api); this table lists the fields of the
 * kinds kubedojo serves, keyed by the field name and, where a name means different things, the
 * path that leads to it.
 */

/** The patch strategy and merge key of one field. */
export interface PatchMeta {
  /** `merge` (keyed or set-like list), `retainKeys`, or undefined for atomic lists and plain maps. */
  strategy?: 'merge' | 'retainKeys' | 'merge,retainKeys';
  /** The key list elements are matched by; undefined for a list of scalars. */
  mergeKey?: string;
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** Fields whose metadata does not depend on where they are. */
const BY_NAME: Record<string, PatchMeta> = {
  containers: { strategy: 'merge', mergeKey: 'name' },
  initContainers: { strategy: 'merge', mergeKey: 'name' },
  ephemeralContainers: { strategy: 'merge', mergeKey: 'name' },
  env: { strategy: 'merge', mergeKey: 'name' },
  volumeMounts: { strategy: 'merge', mergeKey: 'mountPath' },
  volumeDevices: { strategy: 'merge', mergeKey: 'devicePath' },
  volumes: { strategy: 'merge,retainKeys', mergeKey: 'name' },
  imagePullSecrets: { strategy: 'merge', mergeKey: 'name' },
  hostAliases: { strategy: 'merge', mergeKey: 'ip' },
  topologySpreadConstraints: { strategy: 'merge', mergeKey: 'topologyKey' },
  resourceClaims: { strategy: 'merge', mergeKey: 'name' },
  schedulingGates: { strategy: 'merge', mergeKey: 'name' },
  ownerReferences: { strategy: 'merge', mergeKey: 'uid' },
  conditions: { strategy: 'merge', mergeKey: 'type' },
  finalizers: { strategy: 'merge' },
};

/**
 * The patch metadata of the field at `path` (field names from the object root, list elements
 * skipped) in an object of `kind`.
 *
 * @example
 * lookupPatchMeta('Deployment', ['spec', 'template', 'spec', 'containers', 'ports']); // merge by containerPort
 */
export function lookupPatchMeta(kind: string, path: string[]): PatchMeta {
  const field = path[path.length - 1] ?? '';
  const parent = path[path.length - 2] ?? '';
  if (field === 'ports') {
    if (CONTAINER_LISTS.has(parent)) return { strategy: 'merge', mergeKey: 'containerPort' };
    if (kind === 'Service' && path.length === 2 && parent === 'spec') return { strategy: 'merge', mergeKey: 'port' };
    return {};
  }
  if (field === 'strategy' && kind === 'Deployment' && path.length === 2) return { strategy: 'retainKeys' };
  if (field === 'updateStrategy' && kind === 'DaemonSet' && path.length === 2) return { strategy: 'retainKeys' };
  if (field === 'secrets' && kind === 'ServiceAccount' && path.length === 1) return { strategy: 'merge', mergeKey: 'name' };
  if (field === 'addresses' && kind === 'Node') return { strategy: 'merge', mergeKey: 'type' };
  if (field === 'finalizers' && parent !== 'metadata') return {};
  return BY_NAME[field] ?? {};
}
