/**
 * The API versions drill files may leave out: each kind a drill is likely to name, with the
 * group-version kubectl v1.35.2 prefers for it, and whether it lives in a namespace.
 */

/** A kind's preferred apiVersion and scope. */
export interface KindInfo {
  apiVersion: string;
  namespaced: boolean;
}

const KINDS: Readonly<Record<string, KindInfo>> = {
  Pod: { apiVersion: 'v1', namespaced: true },
  Service: { apiVersion: 'v1', namespaced: true },
  Endpoints: { apiVersion: 'v1', namespaced: true },
  ConfigMap: { apiVersion: 'v1', namespaced: true },
  Secret: { apiVersion: 'v1', namespaced: true },
  Event: { apiVersion: 'v1', namespaced: true },
  ResourceQuota: { apiVersion: 'v1', namespaced: true },
  LimitRange: { apiVersion: 'v1', namespaced: true },
  PersistentVolumeClaim: { apiVersion: 'v1', namespaced: true },
  Namespace: { apiVersion: 'v1', namespaced: false },
  Node: { apiVersion: 'v1', namespaced: false },
  EndpointSlice: { apiVersion: 'discovery.k8s.io/v1', namespaced: true },
  Deployment: { apiVersion: 'apps/v1', namespaced: true },
  ReplicaSet: { apiVersion: 'apps/v1', namespaced: true },
  DaemonSet: { apiVersion: 'apps/v1', namespaced: true },
  StatefulSet: { apiVersion: 'apps/v1', namespaced: true },
  Job: { apiVersion: 'batch/v1', namespaced: true },
  CronJob: { apiVersion: 'batch/v1', namespaced: true },
  PodDisruptionBudget: { apiVersion: 'policy/v1', namespaced: true },
  HorizontalPodAutoscaler: { apiVersion: 'autoscaling/v2', namespaced: true },
};

/** The preferred apiVersion and scope of a kind; throws for a kind drills do not know. */
export function kindInfo(kind: string, apiVersion?: string): KindInfo {
  const known = KINDS[kind];
  if (!known) {
    if (apiVersion) return { apiVersion, namespaced: true };
    throw new Error(`Cannot resolve the kind '${kind}' as it has no default apiVersion: set apiVersion in the drill`);
  }
  return apiVersion ? { ...known, apiVersion } : known;
}

/** The namespace an object of this kind is in: none for cluster-scoped kinds, else the given or `default`. */
export function namespaceOf(kind: string, namespace: string | undefined, apiVersion?: string): string | undefined {
  return kindInfo(kind, apiVersion).namespaced ? (namespace ?? 'default') : undefined;
}
