// Port of kubernetes pkg/controller/deployment/progress.go (syncRolloutStatus, getReplicaFailures,
// requeueStuckDeployment) and the status half of sync.go (calculateStatus, syncDeploymentStatus).
import type { Deployment, DeploymentCondition, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import {
  deploymentTimedOut,
  getDeploymentCondition,
  hasProgressDeadline,
  MINIMUM_REPLICAS_AVAILABLE,
  MINIMUM_REPLICAS_UNAVAILABLE,
  NEW_RS_AVAILABLE_REASON,
  newDeploymentCondition,
  REPLICA_SET_UPDATED_REASON,
  removeDeploymentCondition,
  replicaSetToDeploymentCondition,
  setDeploymentCondition,
  statusEqual,
  TIMED_OUT_REASON,
  type DeploymentStatus135,
} from './conditions.js';
import { ENABLE_TERMINATING_REPLICAS } from '../controller-utils.js';
import { updateDeploymentStatus, type DeploymentControllerContext } from './controller-context.js';
import {
  deploymentComplete,
  deploymentProgressing,
  getActualReplicaCountForReplicaSets,
  getAvailableReplicaCountForReplicaSets,
  getReadyReplicaCountForReplicaSets,
  getReplicaCountForReplicaSets,
} from './replicas.js';
import { maxUnavailable, specReplicas } from './util.js';

/** Below this much time to the deadline the deployment is re-checked at once (rate limited). */
const IMMEDIATE_RECHECK_MS = 1000;
/** Added to the deadline requeue to avoid millisecond skew. */
const REQUEUE_SKEW_MS = 1000;

type RS = ReplicaSet & { status?: { terminatingReplicas?: number } };

/**
 * getTerminatingReplicaCountForReplicaSets sums terminatingReplicas; RSs the RS controller never
 * synced are skipped, and an RS without the field makes the total unknown (undefined).
 */
export function getTerminatingReplicaCountForReplicaSets(rss: readonly (RS | undefined)[]): number | undefined {
  let total = 0;
  for (const rs of rss) {
    if (!rs) continue;
    const t = rs.status?.terminatingReplicas;
    if (!rs.status?.observedGeneration && t === undefined) continue;
    if (t === undefined) return undefined;
    total += t;
  }
  return total;
}

/**
 * calculateStatus sums the RS counts into the deployment status (fields in Go order, zero values
 * omitted like omitempty) and sets Available: True when availableReplicas ≥ replicas − maxUnavailable.
 */
export function calculateStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, nowMs: number): DeploymentStatus135 {
  const available = getAvailableReplicaCountForReplicaSets(allRSs);
  const unavailable = Math.max(0, getReplicaCountForReplicaSets(allRSs) - available);
  const counts: Array<[keyof DeploymentStatus135, number | undefined]> = [
    ['observedGeneration', d.metadata?.generation ?? 0],
    ['replicas', getActualReplicaCountForReplicaSets(allRSs)],
    ['updatedReplicas', getActualReplicaCountForReplicaSets([newRS])],
    ['readyReplicas', getReadyReplicaCountForReplicaSets(allRSs)],
    ['availableReplicas', available],
    ['unavailableReplicas', unavailable],
  ];
  const status: DeploymentStatus135 = {};
  for (const [k, v] of counts) if (v) (status as Record<string, number>)[k] = v;
  const terminating = ENABLE_TERMINATING_REPLICAS ? getTerminatingReplicaCountForReplicaSets(allRSs) : undefined;
  if (terminating !== undefined) status.terminatingReplicas = terminating;
  if (d.status?.conditions?.length) status.conditions = d.status.conditions.map((c) => ({ ...c }));
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  const cond =
    available >= specReplicas(d) - maxUnavailable(d)
      ? newDeploymentCondition('Available', 'True', MINIMUM_REPLICAS_AVAILABLE, 'Deployment has minimum availability.', nowMs)
      : newDeploymentCondition('Available', 'False', MINIMUM_REPLICAS_UNAVAILABLE, 'Deployment does not have minimum availability.', nowMs);
  setDeploymentCondition(status, cond);
  return orderStatus(status);
}

/** Conditions before collisionCount, as the Go struct serialises them. */
function orderStatus(s: DeploymentStatus135): DeploymentStatus135 {
  const { conditions, collisionCount, ...rest } = s;
  return { ...rest, ...(conditions ? { conditions } : {}), ...(collisionCount !== undefined ? { collisionCount } : {}) };
}

/** syncDeploymentStatus writes the calculated status if it differs from the current one. */
export function syncDeploymentStatus(dc: DeploymentControllerContext, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): void {
  const newStatus = calculateStatus(allRSs, newRS, d, dc.clock.now());
  if (statusEqual(d.status, newStatus)) return;
  d.status = newStatus;
  updateDeploymentStatus(dc, d);
}

/**
 * syncRolloutStatus is syncDeploymentStatus plus the Progressing condition: complete →
 * NewReplicaSetAvailable; progress → ReplicaSetUpdated (lastUpdateTime refreshed); no progress
 * past the deadline → ProgressDeadlineExceeded. ReplicaFailure is copied from the RSs. When nothing
 * changed, the deployment is requeued for its deadline.
 */
export function syncRolloutStatus(dc: DeploymentControllerContext, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): void {
  const now = dc.clock.now();
  const newStatus = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) removeDeploymentCondition(newStatus, 'Progressing');
  const currentCond = getDeploymentCondition(d.status, 'Progressing');
  const isCompleteDeployment = newStatus.replicas === newStatus.updatedReplicas && currentCond?.reason === NEW_RS_AVAILABLE_REASON;
  if (hasProgressDeadline(d) && !isCompleteDeployment) setProgressing(d, newRS, newStatus, currentCond, now);
  const failures = getReplicaFailures(allRSs, newRS);
  if (failures.length > 0) setDeploymentCondition(newStatus, failures[0]!);
  else removeDeploymentCondition(newStatus, 'ReplicaFailure');
  if (statusEqual(d.status, newStatus)) {
    requeueStuckDeployment(dc, d, newStatus);
    return;
  }
  d.status = orderStatus(newStatus);
  updateDeploymentStatus(dc, d);
}

function setProgressing(d: Deployment, newRS: ReplicaSet | undefined, newStatus: DeploymentStatus135, currentCond: DeploymentCondition | undefined, now: number): void {
  const subject = newRS ? `ReplicaSet "${newRS.metadata?.name ?? ''}"` : `Deployment "${d.metadata?.name ?? ''}"`;
  if (deploymentComplete(d, newStatus)) {
    setDeploymentCondition(newStatus, newDeploymentCondition('Progressing', 'True', NEW_RS_AVAILABLE_REASON, `${subject} has successfully progressed.`, now));
  } else if (deploymentProgressing(d, newStatus)) {
    const condition = newDeploymentCondition('Progressing', 'True', REPLICA_SET_UPDATED_REASON, `${subject} is progressing.`, now);
    // Progress always refreshes lastUpdateTime, even with an unchanged reason.
    if (currentCond) {
      if (currentCond.status === 'True') condition.lastTransitionTime = currentCond.lastTransitionTime;
      removeDeploymentCondition(newStatus, 'Progressing');
    }
    setDeploymentCondition(newStatus, condition);
  } else if (deploymentTimedOut(d, newStatus, now)) {
    setDeploymentCondition(newStatus, newDeploymentCondition('Progressing', 'False', TIMED_OUT_REASON, `${subject} has timed out progressing.`, now));
  }
}

/** ReplicaFailure conditions of the new RS, else of any RS, as deployment conditions. */
function getReplicaFailures(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): DeploymentCondition[] {
  const of = (rs: ReplicaSet | undefined) => (rs?.status?.conditions ?? []).filter((c) => c.type === 'ReplicaFailure').map(replicaSetToDeploymentCondition);
  const fromNew = of(newRS);
  return fromNew.length > 0 ? fromNew : allRSs.flatMap(of);
}

/**
 * requeueStuckDeployment re-checks a rollout that shows no progress when its deadline passes:
 * lastUpdateTime + progressDeadlineSeconds − now (+1 s), or at once when under a second is left.
 * Returns the delay, −1 when no check is needed.
 *
 * @example
 * // Updated 3 minutes ago with a 10-minute deadline: re-checked in 7 minutes and 1 second.
 */
export function requeueStuckDeployment(dc: DeploymentControllerContext, d: Deployment, newStatus: DeploymentStatus135): number {
  const currentCond = getDeploymentCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || !currentCond) return -1;
  if (deploymentComplete(d, newStatus) || currentCond.reason === TIMED_OUT_REASON) return -1;
  const after = Date.parse(currentCond.lastUpdateTime ?? '') + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 - dc.clock.now();
  if (after < IMMEDIATE_RECHECK_MS) {
    dc.enqueueRateLimited(d);
    return 0;
  }
  dc.enqueueAfter(d, after + REQUEUE_SKEW_MS);
  return after;
}
