// Port of kubernetes pkg/controller/statefulset/stateful_set_control.go (updateStatefulSet,
// processReplica, processCondemned, the rolling update, computeReplicaStatus, completeRollingUpdate).
import type { StatefulSet, StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { isPodAvailable, isPodReady, isTerminating, podPhase } from './pod-state.js';
import {
  createMissingClaims,
  createStatefulPod,
  deleteStatefulPod,
  getOrdinal,
  getPodRevision,
  getStartOrdinal,
  newStatefulSetPod,
  updateClaimsForRetentionPolicy,
  type PodControl,
} from './pod-control.js';
import { applyRevision, type SetRevisions } from './revisions.js';

/** What one update pass works with. */
export interface SetContext extends PodControl {
  set: StatefulSet;
  revisions: SetRevisions;
  nowMs: number;
}

/** A slot of the replica range: the pod, or the pod to create (`created: false`). */
interface Replica {
  pod: Readonly<KubeObject>;
  created: boolean;
}

const isRunningAndReady = (p: Readonly<KubeObject>): boolean => podPhase(p) === 'Running' && isPodReady(p);
const isHealthy = (p: Readonly<KubeObject>): boolean => isRunningAndReady(p) && !isTerminating(p);

/**
 * updateStatefulSet: sorts pods into the replica range and the condemned rest, then (in
 * OrderedReady mode one step at a time, in Parallel mode all at once) creates missing replicas,
 * deletes finished ones, scales down from the highest ordinal and finally rolls one pod to the
 * update revision. Returns the status the pass leaves.
 */
export function updateStatefulSet(sc: SetContext, pods: readonly Readonly<KubeObject>[]): StatefulSetStatus {
  const { set } = sc;
  const start = getStartOrdinal(set);
  const replicaCount = set.spec?.replicas ?? 1;
  const slots = new Map<number, Readonly<KubeObject>>();
  const condemned: Readonly<KubeObject>[] = [];
  for (const p of pods) {
    const ord = getOrdinal(p);
    if (ord >= start && ord < start + replicaCount) slots.set(ord, p);
    else if (ord >= 0) condemned.push(p);
  }
  const replicas: Replica[] = [];
  for (let ord = start; ord < start + replicaCount; ord++) {
    const p = slots.get(ord);
    replicas.push(p ? { pod: p, created: true } : { pod: newVersionedPod(sc, ord), created: false });
  }
  condemned.sort((a, b) => getOrdinal(b) - getOrdinal(a));
  const firstUnhealthy = [...replicas.filter((r) => r.created).map((r) => r.pod), ...[...condemned].reverse()].find((p) => !isHealthy(p));
  const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
  if (set.metadata?.deletionTimestamp) return computeStatus(sc, pods);
  if (runForAll(replicas.length, (i) => processReplica(sc, replicas, i, monotonic), monotonic)) return computeStatus(sc, podsNow(sc));
  if (runForAll(condemned.length, (i) => processCondemned(sc, condemned[i]!, firstUnhealthy, monotonic), monotonic)) return computeStatus(sc, podsNow(sc));
  if (set.spec?.updateStrategy?.type !== 'OnDelete') rollOne(sc, replicas);
  return computeStatus(sc, podsNow(sc));
}

/** runForAll: sequential and stopping at the first "wait" in monotonic mode; otherwise every index. */
function runForAll(n: number, fn: (i: number) => boolean, monotonic: boolean): boolean {
  let exit = false;
  for (let i = 0; i < n; i++) {
    if (!fn(i)) continue;
    exit = true;
    if (monotonic) return true;
  }
  return exit && monotonic;
}

/**
 * newVersionedStatefulSetPod: ordinals below the partition are made from the current revision,
 * the rest from the update revision.
 */
function newVersionedPod(sc: SetContext, ordinal: number): KubeObject {
  const { set, revisions } = sc;
  const start = getStartOrdinal(set);
  const ru = set.spec?.updateStrategy?.rollingUpdate;
  const rolling = set.spec?.updateStrategy?.type !== 'OnDelete';
  const belowPartition = ru ? ordinal < start + (ru.partition ?? 0) : ordinal < start + (set.status?.currentReplicas ?? 0);
  const rev = rolling && belowPartition ? revisions.current : revisions.update;
  const template = applyRevision(set, rev).spec!.template;
  return newStatefulSetPod(set, template, ordinal, rev.metadata.name ?? '');
}

/**
 * processReplica: true means "stop here" in monotonic mode. Finished pods are deleted (and
 * recreated on a later pass); missing ones are created; a pending pod gets missing claims;
 * a terminating, not-ready or not-yet-available pod blocks its successors.
 */
function processReplica(sc: SetContext, replicas: Replica[], i: number, monotonic: boolean): boolean {
  const r = replicas[i]!;
  const phase = podPhase(r.pod);
  if (r.created && (phase === 'Failed' || phase === 'Succeeded')) {
    if (!isTerminating(r.pod)) deleteStatefulPod(sc, sc.set, r.pod);
    return true;
  }
  if (!r.created) {
    createStatefulPod(sc, sc.set, r.pod as KubeObject);
    return monotonic;
  }
  if (phase === 'Pending') createMissingClaims(sc, sc.set, getOrdinal(r.pod), r.pod.metadata.name ?? '');
  if (!monotonic) return false;
  if (isTerminating(r.pod) || !isRunningAndReady(r.pod)) return true;
  return !isPodAvailable(r.pod, sc.set.spec?.minReadySeconds ?? 0, sc.nowMs);
}

/**
 * processCondemned: pods beyond the replica count go from the highest ordinal down; in monotonic
 * mode one at a time, waiting for each to terminate, and only while the others are healthy
 * (the first unhealthy pod itself may go).
 */
function processCondemned(sc: SetContext, pod: Readonly<KubeObject>, firstUnhealthy: Readonly<KubeObject> | undefined, monotonic: boolean): boolean {
  if (isTerminating(pod)) return monotonic;
  const available = isPodAvailable(pod, sc.set.spec?.minReadySeconds ?? 0, sc.nowMs);
  if (monotonic && pod !== firstUnhealthy && (!isRunningAndReady(pod) || !available)) return true;
  updateClaimsForRetentionPolicy(sc, sc.set, pod);
  deleteStatefulPod(sc, sc.set, pod);
  return monotonic;
}

/**
 * The RollingUpdate step: from the highest ordinal down to the partition, delete the first pod
 * not at the update revision (it is recreated at that revision), or wait on an unhealthy one.
 */
function rollOne(sc: SetContext, replicas: Replica[]): void {
  // Upstream compares the partition with the index into the replica range, whatever the start ordinal.
  const updateMin = sc.set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  for (let target = replicas.length - 1; target >= updateMin; target--) {
    const pod = replicas[target]!.pod;
    if (getPodRevision(pod) !== sc.revisions.update.metadata.name && !isTerminating(pod)) {
      deleteStatefulPod(sc, sc.set, pod);
      return;
    }
    if (!isHealthy(pod)) return;
  }
}

/** The set's pods, fresh from the API (this pass may have created or deleted some). */
function podsNow(sc: SetContext): Readonly<KubeObject>[] {
  const uid = sc.set.metadata?.uid;
  return sc.client.list('pods', { namespace: sc.set.metadata?.namespace ?? '' }).filter((p) => p.metadata.ownerReferences?.some((o) => o.controller && o.uid === uid));
}

/**
 * computeReplicaStatus plus completeRollingUpdate: counts created, ready, available, current and
 * updated pods; once every pod is updated and ready, the update revision becomes current.
 */
export function computeStatus(sc: SetContext, pods: readonly Readonly<KubeObject>[]): StatefulSetStatus {
  const { set, revisions } = sc;
  const s = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 };
  for (const p of pods) {
    const created = podPhase(p) !== '';
    if (created) s.replicas++;
    if (isRunningAndReady(p)) {
      s.readyReplicas++;
      if (isPodAvailable(p, set.spec?.minReadySeconds ?? 0, sc.nowMs)) s.availableReplicas++;
    }
    if (!created || isTerminating(p)) continue;
    if (getPodRevision(p) === revisions.current.metadata.name) s.currentReplicas++;
    if (getPodRevision(p) === revisions.update.metadata.name) s.updatedReplicas++;
  }
  const status: StatefulSetStatus = {
    ...s,
    observedGeneration: set.metadata?.generation,
    currentRevision: revisions.current.metadata.name,
    updateRevision: revisions.update.metadata.name,
    collisionCount: revisions.collisionCount,
  };
  const rolling = set.spec?.updateStrategy?.type !== 'OnDelete';
  if (rolling && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
  return status;
}
