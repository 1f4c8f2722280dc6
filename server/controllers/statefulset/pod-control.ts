// Port of kubernetes pkg/controller/statefulset/stateful_pod_control.go (CreateStatefulPod,
// DeleteStatefulPod, createPersistentVolumeClaims, the event texts) and the identity and storage
// helpers of stateful_set_utils.go (getPodName, getPersistentVolumeClaims, newStatefulSetPod,
// newVersionedStatefulSetPod, getOrdinal, the claim retention owner references).
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod, PodTemplateSpec, Volume } from 'kubernetes-types/core/v1.js';
import type { KubeObject, OwnerReference } from '../../../schemas/types/meta.js';
import type { LocalClient } from '../../client/api-client.js';
import type { EventRecorder } from '../events.js';
import { controllerRef } from '../history.js';
import { cloneJSON } from '../../registry/strategy.js';

/** Pod label naming the pod (statefulset.kubernetes.io/pod-name). */
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** Pod label holding the ordinal (PodIndexLabel). */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
/** Pod label holding the name of the revision the pod was made from. */
export const STATEFULSET_REVISION_LABEL = 'controller-revision-hash';

const ORDINAL_RE = /^(.*)-(\d+)$/;

/** What the pod-level operations need. */
export interface PodControl {
  client: LocalClient;
  recorder: EventRecorder;
}

/** `<sts>-<ordinal>`. */
export function getPodName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata?.name ?? ''}-${ordinal}`;
}

/** The ordinal in a pod name `<parent>-<n>`, or -1. */
export function getOrdinal(pod: Readonly<KubeObject>): number {
  const m = ORDINAL_RE.exec(pod.metadata.name ?? '');
  return m ? Number(m[2]) : -1;
}

/** The parent name in a pod name `<parent>-<n>`, or "". */
export function getParentName(pod: Readonly<KubeObject>): string {
  return ORDINAL_RE.exec(pod.metadata.name ?? '')?.[1] ?? '';
}

/** spec.ordinals.start, 0 by default. */
export function getStartOrdinal(set: StatefulSet): number {
  return set.spec?.ordinals?.start ?? 0;
}

/** The claims a pod of the set uses: each template named `<tmpl>-<sts>-<ordinal>`, with the set's selector labels. */
export function getPersistentVolumeClaims(set: StatefulSet, ordinal: number): Map<string, PersistentVolumeClaim> {
  const out = new Map<string, PersistentVolumeClaim>();
  for (const tmpl of set.spec?.volumeClaimTemplates ?? []) {
    const { status: _status, ...claim } = cloneJSON(tmpl);
    const tmplName = tmpl.metadata?.name ?? '';
    claim.metadata = { ...(claim.metadata ?? {}), name: `${tmplName}-${set.metadata?.name ?? ''}-${ordinal}`, namespace: set.metadata?.namespace ?? '' };
    claim.metadata.labels = { ...(claim.metadata.labels ?? {}), ...(set.spec?.selector.matchLabels ?? {}) };
    out.set(tmplName, claim);
  }
  return out;
}

/**
 * newStatefulSetPod: the template's pod with the set's identity (name, the pod-name and pod-index
 * labels, hostname and subdomain) and one PVC volume per claim template, ahead of the template's
 * other volumes.
 */
export function newStatefulSetPod(set: StatefulSet, template: PodTemplateSpec, ordinal: number, revision: string): KubeObject {
  const name = getPodName(set, ordinal);
  const spec = cloneJSON(template.spec ?? { containers: [] }) as NonNullable<Pod['spec']>;
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  const claims = getPersistentVolumeClaims(set, ordinal);
  const claimVolumes: Volume[] = [...claims].map(([tmpl, claim]) => ({ name: tmpl, persistentVolumeClaim: { claimName: claim.metadata?.name ?? '' } }));
  spec.volumes = [...claimVolumes, ...(spec.volumes ?? []).filter((v) => !claims.has(v.name))];
  const meta = template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata?.namespace ?? '',
      labels: { ...(meta.labels ?? {}), [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [STATEFULSET_REVISION_LABEL]: revision },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [controllerRef(set as unknown as KubeObject)],
    },
    spec,
  };
}

/** The pod's revision: its controller-revision-hash label. */
export function getPodRevision(pod: Readonly<KubeObject> | undefined): string {
  return pod?.metadata.labels?.[STATEFULSET_REVISION_LABEL] ?? '';
}

function recordPodEvent(pc: PodControl, set: StatefulSet, verb: 'create' | 'delete', podName: string, err?: unknown): void {
  const title = verb === 'create' ? 'Create' : 'Delete';
  const owner = set as unknown as KubeObject;
  const setName = set.metadata?.name ?? '';
  if (err === undefined) pc.recorder.event(owner, 'Normal', `Successful${title}`, `${verb} Pod ${podName} in StatefulSet ${setName} successful`);
  else pc.recorder.event(owner, 'Warning', `Failed${title}`, `${verb} Pod ${podName} in StatefulSet ${setName} failed error: ${err instanceof Error ? err.message : String(err)}`);
}

/**
 * createPersistentVolumeClaims: creates each missing claim of the pod, recording
 * `create Claim <pvc> Pod <pod> in StatefulSet <sts> success` (or the failure); a claim being
 * deleted blocks the pod.
 */
export function createMissingClaims(pc: PodControl, set: StatefulSet, ordinal: number, podName: string): void {
  const owner = set as unknown as KubeObject;
  const setName = set.metadata?.name ?? '';
  for (const claim of getPersistentVolumeClaims(set, ordinal).values()) {
    const key = { namespace: claim.metadata?.namespace ?? '', name: claim.metadata?.name ?? '' };
    const existing = pc.client.get('persistentvolumeclaims', key);
    if (existing?.metadata.deletionTimestamp) throw new Error(`pvc ${key.name} is being deleted`);
    if (existing) continue;
    try {
      const refs = claimOwnerRefs(set, undefined, ordinal);
      pc.client.create('persistentvolumeclaims', { ...(claim as unknown as KubeObject), apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { ...(claim.metadata as KubeObject['metadata']), ...(refs.length ? { ownerReferences: refs } : {}) } });
      pc.recorder.event(owner, 'Normal', 'SuccessfulCreate', `create Claim ${key.name} Pod ${podName} in StatefulSet ${setName} success`);
    } catch (e) {
      pc.recorder.event(owner, 'Warning', 'FailedCreate', `create Claim ${key.name} for Pod ${podName} in StatefulSet ${setName} failed error: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  }
}

/**
 * The owner references persistentVolumeClaimRetentionPolicy asks for: the set when whenDeleted
 * is Delete (a controller reference), the pod when whenScaled is Delete and the ordinal is being
 * scaled away; the garbage collector then deletes the claim with its owner.
 */
export function claimOwnerRefs(set: StatefulSet, pod: Readonly<KubeObject> | undefined, ordinal: number): OwnerReference[] {
  const policy = set.spec?.persistentVolumeClaimRetentionPolicy;
  const refs: OwnerReference[] = [];
  if (policy?.whenDeleted === 'Delete') refs.push({ ...controllerRef(set as unknown as KubeObject), controller: true, blockOwnerDeletion: true });
  const condemned = ordinal >= getStartOrdinal(set) + (set.spec?.replicas ?? 1);
  if (pod && condemned && policy?.whenScaled === 'Delete') refs.push({ apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' });
  return refs;
}

/** CreateStatefulPod: the claims first, then the pod; an event either way. */
export function createStatefulPod(pc: PodControl, set: StatefulSet, pod: KubeObject): void {
  const podName = pod.metadata.name ?? '';
  try {
    createMissingClaims(pc, set, getOrdinal(pod), podName);
    pc.client.create('pods', pod);
  } catch (e) {
    recordPodEvent(pc, set, 'create', podName, e);
    throw e;
  }
  recordPodEvent(pc, set, 'create', podName);
}

/** DeleteStatefulPod: deletes the pod and records the event. */
export function deleteStatefulPod(pc: PodControl, set: StatefulSet, pod: Readonly<KubeObject>): void {
  const podName = pod.metadata.name ?? '';
  try {
    pc.client.delete('pods', { namespace: pod.metadata.namespace ?? '', name: podName });
  } catch (e) {
    recordPodEvent(pc, set, 'delete', podName, e);
    throw e;
  }
  recordPodEvent(pc, set, 'delete', podName);
}

/**
 * UpdatePodClaimForRetentionPolicy: gives the pod's existing claims the owner references the
 * retention policy asks for (done before a condemned pod is deleted, so its claims follow it).
 */
export function updateClaimsForRetentionPolicy(pc: PodControl, set: StatefulSet, pod: Readonly<KubeObject>): void {
  const refs = claimOwnerRefs(set, pod, getOrdinal(pod));
  if (refs.length === 0) return;
  for (const claim of getPersistentVolumeClaims(set, getOrdinal(pod)).values()) {
    const key = { namespace: claim.metadata?.namespace ?? '', name: claim.metadata?.name ?? '' };
    if (!pc.client.get('persistentvolumeclaims', key)) continue;
    pc.client.mutate('persistentvolumeclaims', key, (o) => {
      const have = o.metadata.ownerReferences ?? [];
      const add = refs.filter((r) => !have.some((h) => h.uid === r.uid));
      return add.length === 0 ? o : { ...o, metadata: { ...o.metadata, ownerReferences: [...have, ...add] } };
    });
  }
}
