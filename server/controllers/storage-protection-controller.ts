/**
 * The pvc-protection and pv-protection controllers: a deleted claim keeps its
 * `kubernetes.io/pvc-protection` finalizer (and stays Terminating) while a scheduled, unfinished pod
 * uses it; a deleted volume keeps `kubernetes.io/pv-protection` while it is Bound.
 *
 * Ports of kubernetes pkg/controller/volume/pvcprotection/pvc_protection_controller.go and
 * pkg/controller/volume/pvprotection/pv_protection_controller.go.
 */
import type { KubeObject } from '../../schemas/types/meta.js';
import { PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER } from '../admission/storage-protection.js';
import type { LocalClient } from '../client/api-client.js';
import type { StartComponent } from '../cluster.js';
import { objectKey } from '../informers/informer.js';
import { runController } from './runner.js';
import { KUBE_CONTROLLER_MANAGER } from './field-managers.js';

const CLAIMS = 'persistentvolumeclaims';
const VOLUMES = 'persistentvolumes';

interface PodSpec {
  nodeName?: string;
  volumes?: Array<{ persistentVolumeClaim?: { claimName?: string }; ephemeral?: unknown; name?: string }>;
}

/** The claims a pod names, including the `<pod>-<volume>` claims of its generic ephemeral volumes. */
function claimNames(pod: Readonly<KubeObject>): string[] {
  const spec = pod.spec as PodSpec | undefined;
  return (spec?.volumes ?? []).flatMap((v) => {
    if (v.persistentVolumeClaim?.claimName) return [v.persistentVolumeClaim.claimName];
    return v.ephemeral ? [`${pod.metadata.name}-${v.name}`] : [];
  });
}

/** podUsesPVC: only scheduled pods count (the kubelet will not start a pod on a deleted claim). */
function podUsesClaim(pod: Readonly<KubeObject>, claim: string): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (!(pod.spec as PodSpec | undefined)?.nodeName || phase === 'Succeeded' || phase === 'Failed') return false;
  return claimNames(pod).includes(claim);
}

function removeFinalizer(client: LocalClient, resource: string, key: { namespace?: string; name: string }, finalizer: string): void {
  client.mutate(resource, key, (o) => ({ ...o, metadata: { ...o.metadata, finalizers: (o.metadata.finalizers ?? []).filter((f) => f !== finalizer) } }));
}

/** Releases a deleted claim's finalizer once no pod uses it. */
export function syncClaimProtection(client: LocalClient, key: string): void {
  const [namespace, name] = key.split('/') as [string, string];
  const claim = client.get(CLAIMS, { namespace, name });
  if (!claim?.metadata.deletionTimestamp || !claim.metadata.finalizers?.includes(PVC_PROTECTION_FINALIZER)) return;
  // Read through the client, not the informer: a pod created a moment ago must hold the claim.
  if (client.list('pods', { namespace }).some((p) => podUsesClaim(p, name))) return;
  removeFinalizer(client, CLAIMS, { namespace, name }, PVC_PROTECTION_FINALIZER);
}

/** Releases a deleted volume's finalizer once it is no longer Bound. */
export function syncVolumeProtection(client: LocalClient, name: string): void {
  const pv = client.get(VOLUMES, { name });
  if (!pv?.metadata.deletionTimestamp || !pv.metadata.finalizers?.includes(PV_PROTECTION_FINALIZER)) return;
  if ((pv.status as { phase?: string } | undefined)?.phase === 'Bound') return;
  removeFinalizer(client, VOLUMES, { name }, PV_PROTECTION_FINALIZER);
}

/** Starts both protection controllers. */
export const startStorageProtectionControllers: StartComponent = (ctx) => {
  const client = ctx.client(KUBE_CONTROLLER_MANAGER);
  const claims = runController({ name: 'pvcprotection', reconcile: (key) => syncClaimProtection(client, key) }, ctx.clock);
  const volumes = runController({ name: 'pvprotection', reconcile: (key) => syncVolumeProtection(client, key) }, ctx.clock);
  const onClaim = (o: Readonly<KubeObject>): void => {
    if (o.metadata.deletionTimestamp) claims.queue.add(objectKey(o));
  };
  // A pod that finishes or goes away may free the claims it named.
  const onPod = (p: Readonly<KubeObject>): void => {
    for (const claim of claimNames(p)) claims.queue.add(`${p.metadata.namespace ?? ''}/${claim}`);
  };
  const onVolume = (o: Readonly<KubeObject>): void => {
    if (o.metadata.deletionTimestamp) volumes.queue.add(o.metadata.name ?? '');
  };
  ctx.informers.for(CLAIMS).on({ add: onClaim, update: (_o, n) => onClaim(n) });
  ctx.informers.for('pods').on({ update: (_o, n) => onPod(n), delete: onPod });
  ctx.informers.for(VOLUMES).on({ add: onVolume, update: (_o, n) => onVolume(n) });
  return () => {
    claims.stop();
    volumes.stop();
  };
};
