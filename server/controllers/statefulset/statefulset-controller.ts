// Port of kubernetes pkg/controller/statefulset/stateful_set.go (sync, getPodsForStatefulSet with
// adoption) and the UpdateStatefulSet entry of stateful_set_control.go (revisions, update pass,
// status, history truncation).
import type { StatefulSet, StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import type { ClusterContext, StartComponent } from '../../cluster.js';
import { objectKey } from '../../informers/informer.js';
import { selectorFromLabelSelector } from '../../registry/selectors.js';
import { controllerRef, ownedRevisions } from '../history.js';
import { runController, type Result } from '../runner.js';
import { getParentName, type PodControl } from './pod-control.js';
import { getControllerOf } from '../controller-utils.js';
import { getStatefulSetRevisions, truncateHistory } from './revisions.js';
import { updateStatefulSet, type SetContext } from './set-control.js';
import { KUBE_CONTROLLER_MANAGER } from '../field-managers.js';

const STATEFULSETS = 'statefulsets.apps';
/** The event source of this controller. */
export const STATEFULSET_CONTROLLER = 'statefulset-controller';
/** StatefulSetStatus fields marked omitempty upstream (replicas and availableReplicas always print). */
const OMIT_EMPTY_FIELDS = ['observedGeneration', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'currentRevision', 'updateRevision'];

interface SyncContext extends PodControl {
  nowMs: () => number;
}

/**
 * Starts the StatefulSet controller: StatefulSets and their pods queue the set's key; reconcile
 * runs one update pass. Pod and claim names follow the set's ordinals.
 */
export const startStatefulSetController: StartComponent = (ctx: ClusterContext) => {
  const sync: SyncContext = { client: ctx.client(KUBE_CONTROLLER_MANAGER), recorder: ctx.recorder({ component: STATEFULSET_CONTROLLER }), nowMs: () => ctx.clock.now() };
  const running = runController({ name: STATEFULSET_CONTROLLER, reconcile: (key) => syncStatefulSet(sync, key) }, ctx.clock);
  const enqueue = (o: Readonly<KubeObject>): void => running.queue.add(objectKey(o));
  const enqueueOwner = (pod: Readonly<KubeObject>): void => {
    const ref = getControllerOf(pod);
    if (ref?.kind === 'StatefulSet') running.queue.add(`${pod.metadata.namespace ?? ''}/${ref.name}`);
    // An orphan named like a set's pod may be adopted by it.
    else if (!ref && getParentName(pod)) running.queue.add(`${pod.metadata.namespace ?? ''}/${getParentName(pod)}`);
  };
  ctx.informers.for(STATEFULSETS).on({ add: enqueue, update: (_o, n) => enqueue(n), delete: enqueue });
  ctx.informers.for('pods').on({ add: enqueueOwner, update: (o, n) => { enqueueOwner(o); enqueueOwner(n); }, delete: enqueueOwner });
  return running.stop;
};

/**
 * syncStatefulSet: reads the set (gone → done), claims its pods, resolves the current and update
 * revisions, runs one update pass, writes status and trims the revision history.
 */
export function syncStatefulSet(sync: SyncContext, key: string): Result | void {
  const [namespace, name] = key.split('/') as [string, string];
  const set = sync.client.get(STATEFULSETS, { namespace, name }) as StatefulSet | undefined;
  if (!set) return;
  const pods = claimPods(sync, set);
  const revisions = ownedRevisions(sync.client, set as unknown as KubeObject);
  const live = getStatefulSetRevisions(sync.client, set, revisions);
  const sc: SetContext = { ...sync, set, revisions: live, nowMs: sync.nowMs() };
  const status = updateStatefulSet(sc, pods);
  writeStatus(sync, set, status);
  truncateHistory(sync.client, set, claimPods(sync, set), ownedRevisions(sync.client, set as unknown as KubeObject), live);
  return requeueForAvailability(set, status);
}

/**
 * getPodsForStatefulSet: the pods the set controls, adopting orphans that match its selector and
 * are named as its members, and releasing owned pods whose labels no longer match.
 */
function claimPods(sync: SyncContext, set: StatefulSet): Readonly<KubeObject>[] {
  const selector = selectorFromLabelSelector(set.spec?.selector ?? {});
  const uid = set.metadata?.uid;
  const out: Readonly<KubeObject>[] = [];
  for (const pod of sync.client.list('pods', { namespace: set.metadata?.namespace ?? '' })) {
    const ref = getControllerOf(pod);
    const member = getParentName(pod) === set.metadata?.name && selector.matches(pod);
    if (ref?.uid === uid && member) out.push(pod);
    else if (ref?.uid === uid) release(sync, pod, uid);
    else if (!ref && member && !pod.metadata.deletionTimestamp && !set.metadata?.deletionTimestamp) out.push(adopt(sync, set, pod));
  }
  return out;
}

function adopt(sync: SyncContext, set: StatefulSet, pod: Readonly<KubeObject>): Readonly<KubeObject> {
  const ref = controllerRef(set as unknown as KubeObject);
  return sync.client.mutate('pods', { namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '' }, (o) => ({ ...o, metadata: { ...o.metadata, ownerReferences: [...(o.metadata.ownerReferences ?? []), ref] } }));
}

function release(sync: SyncContext, pod: Readonly<KubeObject>, uid: string | undefined): void {
  sync.client.mutate('pods', { namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '' }, (o) => {
    const refs = (o.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
    const meta = { ...o.metadata, ownerReferences: refs };
    if (refs.length === 0) delete (meta as { ownerReferences?: unknown }).ownerReferences;
    return { ...o, metadata: meta };
  });
}

/** updateStatefulSetStatus: writes the status subresource when it changed. */
function writeStatus(sync: SyncContext, set: StatefulSet, status: StatefulSetStatus): void {
  const key = { namespace: set.metadata?.namespace ?? '', name: set.metadata?.name ?? '' };
  sync.client.mutate(STATEFULSETS, key, (o) => {
    const next: Record<string, unknown> = { ...(o.status as object), ...status };
    for (const k of OMIT_EMPTY_FIELDS) if (!next[k]) delete next[k];
    return { ...o, status: next };
  }, { status: true });
}

/** With minReadySeconds, ready pods become available later: check again then. */
function requeueForAvailability(set: StatefulSet, status: StatefulSetStatus): Result | void {
  const minReady = set.spec?.minReadySeconds ?? 0;
  if (minReady > 0 && status.readyReplicas !== status.availableReplicas) return { requeueAfterMs: minReady * 1000 };
}
