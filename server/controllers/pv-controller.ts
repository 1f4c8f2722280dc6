// A reduced port of kubernetes pkg/controller/volume/persistentvolume/pv_controller.go (syncClaim,
// syncVolume, bind, findBestMatchForClaim) plus the local-path provisioner it hands dynamic
// claims to. Without a VolumeBinding scheduler plugin, the node of a WaitForFirstConsumer claim is
// the node its first consumer pod is bound to.
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import { parseQuantity } from '../../schemas/format/quantity.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import { rfc3339 } from '../clock.js';
import type { ClusterContext, StartComponent } from '../cluster.js';
import type { LocalClient } from '../client/api-client.js';
import { objectKey } from '../informers/informer.js';
import type { EventRecorder } from './events.js';
import { ensureLocalPathStorageClass, LOCAL_PATH_PROVISIONER, provisionLocalPath, SELECTED_NODE_ANNOTATION } from './local-path-provisioner.js';
import { runController } from './runner.js';
import { KUBE_CONTROLLER_MANAGER } from './field-managers.js';

/** The event source of the binder. */
export const PV_CONTROLLER = 'persistentvolume-controller';
/** The event source of the provisioner (its leader-election identity, as the real one records). */
const PROVISIONER_SOURCE = `${LOCAL_PATH_PROVISIONER}_local-path-provisioner`;
/** The provisioner's field manager: its binary's name, from its client's user agent. */
const LOCAL_PATH_PROVISIONER_MANAGER = 'local-path-provisioner';
const CLAIMS = 'persistentvolumeclaims';
const VOLUMES = 'persistentvolumes';
const BIND_COMPLETED_ANNOTATION = 'pv.kubernetes.io/bind-completed';
const BOUND_BY_CONTROLLER_ANNOTATION = 'pv.kubernetes.io/bound-by-controller';
const STORAGE_PROVISIONER_ANNOTATIONS = ['volume.beta.kubernetes.io/storage-provisioner', 'volume.kubernetes.io/storage-provisioner'];

interface Binder {
  client: LocalClient;
  recorder: EventRecorder;
  /** The local-path provisioner is a binary of its own, with its own client and events. */
  provisionerClient: LocalClient;
  provisioner: EventRecorder;
  nowMs: () => number;
}

/**
 * Starts the volume binder and the local-path provisioner, after making sure the default
 * `local-path` StorageClass exists. Claims, volumes and bound pods queue claim and volume keys.
 */
export const startPersistentVolumeController: StartComponent = (ctx: ClusterContext) => {
  const provisionerClient = ctx.client(LOCAL_PATH_PROVISIONER_MANAGER);
  ensureLocalPathStorageClass(provisionerClient);
  const b: Binder = {
    client: ctx.client(KUBE_CONTROLLER_MANAGER),
    recorder: ctx.recorder({ component: PV_CONTROLLER }),
    provisionerClient,
    provisioner: ctx.recorder({ component: PROVISIONER_SOURCE }, LOCAL_PATH_PROVISIONER_MANAGER),
    nowMs: () => ctx.clock.now(),
  };
  const claims = runController({ name: `${PV_CONTROLLER}-claims`, reconcile: (key) => syncClaim(b, key) }, ctx.clock);
  const volumes = runController({ name: `${PV_CONTROLLER}-volumes`, reconcile: (key) => syncVolume(b, key) }, ctx.clock);
  const claimKey = (o: Readonly<KubeObject>): void => claims.queue.add(objectKey(o));
  const volumeKey = (o: Readonly<KubeObject>): void => {
    volumes.queue.add(objectKey(o));
    const ref = (o as unknown as PersistentVolume).spec?.claimRef;
    if (ref?.name) claims.queue.add(`${ref.namespace ?? ''}/${ref.name}`);
  };
  const podClaims = (o: Readonly<KubeObject>): void => {
    const spec = o.spec as Pod['spec'];
    if (!spec?.nodeName) return;
    for (const v of spec.volumes ?? []) if (v.persistentVolumeClaim) claims.queue.add(`${o.metadata.namespace ?? ''}/${v.persistentVolumeClaim.claimName}`);
  };
  ctx.informers.for(CLAIMS).on({ add: claimKey, update: (_o, n) => claimKey(n), delete: (o) => { const v = (o as unknown as PersistentVolumeClaim).spec?.volumeName; if (v) volumes.queue.add(v); } });
  ctx.informers.for(VOLUMES).on({ add: volumeKey, update: (_o, n) => volumeKey(n), delete: volumeKey });
  ctx.informers.for('pods').on({ add: podClaims, update: (_o, n) => podClaims(n) });
  return () => {
    claims.stop();
    volumes.stop();
  };
};

/**
 * syncClaim: binds a pending claim to its pre-chosen or best matching volume; for a
 * WaitForFirstConsumer class it waits for a consumer on a node, then provisions through the
 * local-path provisioner and binds the new volume.
 */
export function syncClaim(b: Binder, key: string): void {
  const [namespace, name] = key.split('/') as [string, string];
  const claim = b.client.get(CLAIMS, { namespace, name });
  if (!claim || claim.metadata.deletionTimestamp) return;
  const pvc = claim as unknown as PersistentVolumeClaim;
  if (pvc.status?.phase === 'Bound') return checkLost(b, claim);
  if (pvc.spec?.volumeName) {
    const pv = b.client.get(VOLUMES, { name: pvc.spec.volumeName });
    if (pv && claimRefMatches(pv, claim)) bind(b, pv, claim);
    return;
  }
  const className = pvc.spec?.storageClassName ?? '';
  const sc = className ? b.client.get('storageclasses.storage.k8s.io', { name: className }) : undefined;
  const waitForConsumer = sc?.volumeBindingMode === 'WaitForFirstConsumer';
  const node = waitForConsumer ? (claim.metadata.annotations?.[SELECTED_NODE_ANNOTATION] ?? consumerNode(b.client, claim)) : undefined;
  const match = findBestMatch(b.client, claim, node);
  if (match && (!waitForConsumer || node)) return bind(b, match, claim);
  if (className && !sc) return b.recorder.event(claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
  if (!sc) return b.recorder.event(claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
  if (waitForConsumer && !node) return b.recorder.event(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
  provision(b, claim, sc, node);
}

function provision(b: Binder, claim: Readonly<KubeObject>, sc: Readonly<KubeObject>, node: string | undefined): void {
  const provisioner = String(sc.provisioner ?? '');
  const annotated = b.client.mutate(CLAIMS, { namespace: claim.metadata.namespace ?? '', name: claim.metadata.name ?? '' }, (o) => {
    const annotations = { ...(o.metadata.annotations ?? {}) };
    for (const k of STORAGE_PROVISIONER_ANNOTATIONS) annotations[k] = provisioner;
    if (node) annotations[SELECTED_NODE_ANNOTATION] = node;
    return { ...o, metadata: { ...o.metadata, annotations } };
  });
  b.recorder.event(annotated, 'Normal', 'ExternalProvisioning', `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`);
  if (provisioner !== LOCAL_PATH_PROVISIONER || !node) return;
  const existing = b.client.get(VOLUMES, { name: `pvc-${annotated.metadata.uid ?? ''}` });
  const pv = existing ?? provisionLocalPath(b.provisionerClient, b.provisioner, annotated, { node, reclaimPolicy: String(sc.reclaimPolicy ?? 'Delete') });
  bind(b, pv, annotated);
}

/** The node of a bound pod that mounts the claim: the "first consumer". */
function consumerNode(client: LocalClient, claim: Readonly<KubeObject>): string | undefined {
  for (const pod of client.list('pods', { namespace: claim.metadata.namespace ?? '' })) {
    const spec = pod.spec as Pod['spec'];
    if (spec?.nodeName && (spec.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claim.metadata.name)) return spec.nodeName;
  }
  return undefined;
}

function claimRefMatches(pv: Readonly<KubeObject>, claim: Readonly<KubeObject>): boolean {
  const ref = (pv as unknown as PersistentVolume).spec?.claimRef;
  if (!ref) return true;
  return ref.name === claim.metadata.name && ref.namespace === claim.metadata.namespace && (!ref.uid || ref.uid === claim.metadata.uid);
}

function storageBytes(q: unknown): number {
  try {
    return parseQuantity(String(q ?? '0'));
  } catch {
    return 0;
  }
}

/**
 * findBestMatchForClaim: of the unclaimed (or pre-bound to this claim) volumes of the claim's
 * class, volume mode and access modes, big enough and reachable from `node`, the smallest.
 */
function findBestMatch(client: LocalClient, claim: Readonly<KubeObject>, node: string | undefined): Readonly<KubeObject> | undefined {
  const pvc = claim as unknown as PersistentVolumeClaim;
  const want = storageBytes(pvc.spec?.resources?.requests?.storage);
  const fits = (o: Readonly<KubeObject>): boolean => {
    const pv = o as unknown as PersistentVolume;
    if (o.metadata.deletionTimestamp || (pv.spec?.claimRef && !claimRefMatches(o, claim))) return false;
    if ((pv.spec?.storageClassName ?? '') !== (pvc.spec?.storageClassName ?? '')) return false;
    if ((pv.spec?.volumeMode ?? 'Filesystem') !== (pvc.spec?.volumeMode ?? 'Filesystem')) return false;
    if (!(pvc.spec?.accessModes ?? []).every((m) => pv.spec?.accessModes?.includes(m))) return false;
    if (node && !reachable(pv, node)) return false;
    return storageBytes(pv.spec?.capacity?.storage) >= want;
  };
  const candidates = client.list(VOLUMES).filter(fits);
  const preBound = candidates.find((o) => (o as unknown as PersistentVolume).spec?.claimRef);
  if (preBound) return preBound;
  return candidates.sort((a, c) => storageBytes((a as unknown as PersistentVolume).spec?.capacity?.storage) - storageBytes((c as unknown as PersistentVolume).spec?.capacity?.storage))[0];
}

function reachable(pv: PersistentVolume, node: string): boolean {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  if (!terms) return true;
  return terms.some((t) => (t.matchExpressions ?? []).every((r) => r.key !== 'kubernetes.io/hostname' || (r.operator === 'In' && (r.values ?? []).includes(node))));
}

/**
 * bind: the volume's claimRef and phase Bound, then the claim's volumeName, bind annotations and
 * status (phase Bound, the volume's access modes and capacity).
 */
function bind(b: Binder, pv: Readonly<KubeObject>, claim: Readonly<KubeObject>): void {
  const pvName = pv.metadata.name ?? '';
  const byController = !(pv as unknown as PersistentVolume).spec?.claimRef;
  const now = rfc3339(b.nowMs());
  const bound = b.client.mutate(VOLUMES, { name: pvName }, (o) => {
    const spec = { ...(o.spec as object), claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: claim.metadata.name, namespace: claim.metadata.namespace, resourceVersion: claim.metadata.resourceVersion, uid: claim.metadata.uid } };
    const annotations = byController ? { ...(o.metadata.annotations ?? {}), [BOUND_BY_CONTROLLER_ANNOTATION]: 'yes' } : o.metadata.annotations;
    return { ...o, metadata: { ...o.metadata, ...(annotations ? { annotations } : {}) }, spec };
  });
  if ((bound.status as { phase?: string } | undefined)?.phase !== 'Bound') {
    b.client.mutate(VOLUMES, { name: pvName }, (o) => ({ ...o, status: { phase: 'Bound', lastPhaseTransitionTime: now } }), { status: true });
  }
  const key = { namespace: claim.metadata.namespace ?? '', name: claim.metadata.name ?? '' };
  b.client.mutate(CLAIMS, key, (o) => {
    const annotations = { ...(o.metadata.annotations ?? {}), [BIND_COMPLETED_ANNOTATION]: 'yes', [BOUND_BY_CONTROLLER_ANNOTATION]: 'yes' };
    return { ...o, metadata: { ...o.metadata, annotations }, spec: { ...(o.spec as object), volumeName: pvName } };
  });
  const pvSpec = (bound as unknown as PersistentVolume).spec;
  b.client.mutate(CLAIMS, key, (o) => ({ ...o, status: { phase: 'Bound', accessModes: pvSpec?.accessModes, capacity: pvSpec?.capacity } }), { status: true });
}

/** A bound claim whose volume vanished is Lost. */
function checkLost(b: Binder, claim: Readonly<KubeObject>): void {
  const volumeName = (claim as unknown as PersistentVolumeClaim).spec?.volumeName;
  if (!volumeName || b.client.get(VOLUMES, { name: volumeName })) return;
  b.client.mutate(CLAIMS, { namespace: claim.metadata.namespace ?? '', name: claim.metadata.name ?? '' }, (o) => ({ ...o, status: { ...(o.status as object), phase: 'Lost' } }), { status: true });
  b.recorder.event(claim, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
}

/**
 * syncVolume: a new unclaimed volume becomes Available; a volume whose claim is gone is deleted
 * (reclaim policy Delete, the provisioner removing its directory) or becomes Released (Retain).
 */
export function syncVolume(b: Binder, name: string): void {
  const pv = b.client.get(VOLUMES, { name });
  // A volume being deleted is still released when its claim goes, so pv-protection can free it.
  if (!pv) return;
  const spec = (pv as unknown as PersistentVolume).spec;
  const phase = (pv.status as { phase?: string } | undefined)?.phase;
  const setPhase = (p: string): void => {
    if (phase !== p) b.client.mutate(VOLUMES, { name }, (o) => ({ ...o, status: { phase: p, lastPhaseTransitionTime: rfc3339(b.nowMs()) } }), { status: true });
  };
  const ref = spec?.claimRef;
  if (!ref) return setPhase('Available');
  const claim = b.client.get(CLAIMS, { namespace: ref.namespace ?? '', name: ref.name ?? '' });
  if (claim && (!ref.uid || claim.metadata.uid === ref.uid)) return;
  if (!ref.uid) return setPhase('Available');
  // Released first, as the binder does before reclaiming: pv-protection frees only unbound volumes.
  setPhase('Released');
  if (spec?.persistentVolumeReclaimPolicy === 'Delete' && !pv.metadata.deletionTimestamp) b.client.delete(VOLUMES, { name });
}
