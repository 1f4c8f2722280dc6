/**
 * The part of the kubelet's volume manager the fake kubelet models: a pod's ConfigMap, Secret and
 * projected volumes mount only once the objects they name exist (unless optional). Until then the
 * pod has no sandbox (ContainerCreating) and each failed attempt records FailedMount, retried with
 * the exponential back-off of nestedpendingoperations (500 ms doubling to 2 min 2 s).
 * Ports the messages of kubernetes pkg/volume/configmap, pkg/volume/secret and
 * pkg/kubelet/volumemanager/reconciler (MountVolume.SetUp failed …).
 */
import type { Pod, Volume } from 'kubernetes-types/core/v1.js';
import type { LocalClient } from '../client/api-client.js';

/** First retry delay of a failed mount. */
export const MOUNT_RETRY_INITIAL_MS = 500;
/** Longest delay between mount retries (exponentialbackoff maxDurationBeforeRetry). */
export const MOUNT_RETRY_MAX_MS = 2 * 60 * 1000 + 2 * 1000;

/** Name prefix of the projected volume the ServiceAccount admission plugin adds. */
const SERVICE_ACCOUNT_VOLUME_PREFIX = 'kube-api-access-';

type Ref = { kind: 'configmap' | 'secret'; name: string };

/** The non-optional ConfigMaps and Secrets one volume needs. */
function requiredObjects(v: Volume): Ref[] {
  const out: Ref[] = [];
  if (v.configMap && !v.configMap.optional) out.push({ kind: 'configmap', name: v.configMap.name ?? '' });
  if (v.secret && !v.secret.optional) out.push({ kind: 'secret', name: v.secret.secretName ?? '' });
  for (const s of v.projected?.sources ?? []) {
    if (s.configMap && !s.configMap.optional) out.push({ kind: 'configmap', name: s.configMap.name ?? '' });
    if (s.secret && !s.secret.optional) out.push({ kind: 'secret', name: s.secret.name ?? '' });
  }
  return out;
}

/**
 * The FailedMount messages of the pod's volumes that cannot be set up now, in spec order; empty
 * when every volume can mount.
 * @example failedMounts(pod, client) // ['MountVolume.SetUp failed for volume "cfg" : configmap "app-config" not found']
 */
export function failedMounts(pod: Readonly<Pod>, client: LocalClient): string[] {
  const namespace = pod.metadata?.namespace ?? '';
  const out: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    // The service-account volume's kube-root-ca.crt is published in every namespace by the
    // control plane; it is not what a user's mount problem is about.
    if (v.name.startsWith(SERVICE_ACCOUNT_VOLUME_PREFIX)) continue;
    const missing = requiredObjects(v).find((r) => !client.get(r.kind === 'configmap' ? 'configmaps' : 'secrets', { namespace, name: r.name }));
    if (missing) out.push(`MountVolume.SetUp failed for volume "${v.name}" : ${missing.kind} "${missing.name}" not found`);
  }
  return out;
}

/** The delay before the next mount attempt after `failures` consecutive failures. */
export function mountRetryDelayMs(failures: number): number {
  return Math.min(MOUNT_RETRY_INITIAL_MS * 2 ** Math.max(0, failures - 1), MOUNT_RETRY_MAX_MS);
}
