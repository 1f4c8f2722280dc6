// Port of kubernetes pkg/controller/deployment/rolling.go (rolloutRolling, reconcileNewReplicaSet,
// reconcileOldReplicaSets, cleanupUnhealthyReplicas, scaleDownOldReplicaSetsForRollingUpdate).
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { DeploymentControllerContext } from './controller-context.js';
import { syncRolloutStatus } from './progress.js';
import { deploymentComplete, getAvailableReplicaCountForReplicaSets, getReplicaCountForReplicaSets, newRSNewReplicas } from './replicas.js';
import { cleanupDeployment, filterActiveReplicaSets, getAllReplicaSetsAndSyncRevision, scaleReplicaSetAndRecordEvent } from './sync.js';
import { compareByCreationTimestamp, maxUnavailable, specReplicas } from './util.js';

/**
 * The scale operations a rolling step asks for; the controller applies them through
 * scaleReplicaSetAndRecordEvent, and the pure planners below are tested on upstream's tables.
 */
export type ScaleFn = (rs: ReplicaSet, newScale: number) => ReplicaSet;

/**
 * rolloutRolling does at most one of: scale the new RS up (or down to spec), scale old RSs down;
 * then syncs the rollout status; a finished rollout also cleans up old RSs.
 */
export function rolloutRolling(dc: DeploymentControllerContext, d: Deployment, rsList: ReplicaSet[]): void {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(dc, d, rsList, true);
  // createIfNotExisted: getNewReplicaSet throws rather than return nothing here.
  const rs = newRS!;
  const allRSs = [...oldRSs, rs];
  const scaleFn: ScaleFn = (target, n) => scaleReplicaSetAndRecordEvent(dc, target, n, d).rs;
  if (reconcileNewReplicaSet(allRSs, rs, d, scaleFn)) return syncRolloutStatus(dc, allRSs, rs, d);
  if (reconcileOldReplicaSets(allRSs, filterActiveReplicaSets(oldRSs), rs, d, scaleFn)) return syncRolloutStatus(dc, allRSs, rs, d);
  if (deploymentComplete(d, d.status ?? {})) cleanupDeployment(dc, oldRSs, d);
  syncRolloutStatus(dc, allRSs, rs, d);
}

/**
 * reconcileNewReplicaSet: a new RS above spec.replicas is scaled down to it, one below is scaled up
 * to newRSNewReplicas (bounded by maxSurge). Returns whether it scaled.
 */
export function reconcileNewReplicaSet(allRSs: readonly ReplicaSet[], newRS: ReplicaSet, d: Deployment, scaleFn: ScaleFn): boolean {
  const want = specReplicas(d);
  if (specReplicas(newRS) === want) return false;
  const target = specReplicas(newRS) > want ? want : newRSNewReplicas(d, allRSs, newRS);
  if (target === specReplicas(newRS)) return false;
  scaleFn(newRS, target);
  return true;
}

/**
 * reconcileOldReplicaSets scales old RSs down as far as availability allows: at most
 * allPods − minAvailable − (unavailable pods of the new RS), unhealthy old pods first, then
 * available ones while more than minAvailable pods are available. Returns whether it scaled.
 *
 * @example
 * // 10 replicas, maxUnavailable 2 (minAvailable 8), old RS 10/10 available, new RS 2 with none
 * // available yet: maxScaledDown = 12 − 8 − 2 = 2, so the old RS may lose 2 pods.
 */
export function reconcileOldReplicaSets(allRSs: readonly ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment, scaleFn: ScaleFn): boolean {
  if (getReplicaCountForReplicaSets(oldRSs) === 0) return false;
  const allPodsCount = getReplicaCountForReplicaSets(allRSs);
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const newRSUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = allPodsCount - minAvailable - newRSUnavailable;
  if (maxScaledDown <= 0) return false;
  const cleaned = cleanupUnhealthyReplicas(oldRSs, maxScaledDown, scaleFn);
  const scaledDown = scaleDownOldReplicaSetsForRollingUpdate([...cleaned.oldRSs, newRS], cleaned.oldRSs, d, scaleFn);
  return cleaned.scaledDown + scaledDown > 0;
}

/**
 * cleanupUnhealthyReplicas removes not-available pods of old RSs, oldest RS first, up to
 * maxCleanupCount in total; these pods count for nothing, so removing them is always safe.
 */
export function cleanupUnhealthyReplicas(oldRSs: ReplicaSet[], maxCleanupCount: number, scaleFn: ScaleFn): { oldRSs: ReplicaSet[]; scaledDown: number } {
  const sorted = [...oldRSs].sort(compareByCreationTimestamp);
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (total >= maxCleanupCount) break;
    const rs = sorted[i]!;
    const available = rs.status?.availableReplicas ?? 0;
    if (specReplicas(rs) === 0 || specReplicas(rs) === available) continue;
    const count = Math.min(maxCleanupCount - total, specReplicas(rs) - available);
    sorted[i] = scaleFn(rs, specReplicas(rs) - count);
    total += count;
  }
  return { oldRSs: sorted, scaledDown: total };
}

/**
 * scaleDownOldReplicaSetsForRollingUpdate removes available old pods while the deployment keeps
 * more than minAvailable available pods in total, oldest RS first.
 */
export function scaleDownOldReplicaSetsForRollingUpdate(allRSs: readonly ReplicaSet[], oldRSs: readonly ReplicaSet[], d: Deployment, scaleFn: ScaleFn): number {
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const available = getAvailableReplicaCountForReplicaSets(allRSs);
  if (available <= minAvailable) return 0;
  const totalScaleDownCount = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(compareByCreationTimestamp)) {
    if (total >= totalScaleDownCount) break;
    if (specReplicas(rs) === 0) continue;
    const count = Math.min(specReplicas(rs), totalScaleDownCount - total);
    scaleFn(rs, specReplicas(rs) - count);
    total += count;
  }
  return total;
}
