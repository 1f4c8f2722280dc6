// Port of kubernetes pkg/controller/deployment/sync.go (syncStatusOnly, sync, isScalingEvent,
// checkPausedConditions, getAllReplicaSetsAndSyncRevision, scale, scaleReplicaSet,
// cleanupDeployment) and the RS sort orders of pkg/controller/controller_utils.go.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { cloneForWrite } from '../../registry/strategy.js';
import { getDeploymentCondition, hasProgressDeadline, hasRevisionHistoryLimit, newDeploymentCondition, PAUSED_DEPLOY_REASON, RESUMED_DEPLOY_REASON, setDeploymentCondition, TIMED_OUT_REASON } from './conditions.js';
import { deleteReplicaSet, updateDeploymentStatus, updateReplicaSet, type DeploymentControllerContext } from './controller-context.js';
import { getNewReplicaSet } from './new-replica-set.js';
import { syncDeploymentStatus } from './progress.js';
import { getProportion, getReplicaCountForReplicaSets, isSaturated } from './replicas.js';
import { compareByCreationTimestamp, findOldReplicaSets, getDesiredReplicasAnnotation, isRollingUpdate, maxSurge, replicasAnnotationsNeedUpdate, revision, setReplicasAnnotations, specReplicas } from './util.js';

/** Annotation of the deprecated server-side rollback (extensions/v1beta1 DeploymentRollback). */
export const ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';

/** filterActiveReplicaSets keeps RSs with spec.replicas > 0. */
export function filterActiveReplicaSets(rss: readonly (ReplicaSet | undefined)[]): ReplicaSet[] {
  return rss.filter((rs): rs is ReplicaSet => !!rs && specReplicas(rs) > 0);
}

/** ReplicaSetsBySizeNewer: larger first; equal sizes newer first (scale-up order). */
export function compareBySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(a) === specReplicas(b) ? compareByCreationTimestamp(b, a) : specReplicas(b) - specReplicas(a);
}

/** ReplicaSetsBySizeOlder: larger first; equal sizes older first (scale-down order). */
export function compareBySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(a) === specReplicas(b) ? compareByCreationTimestamp(a, b) : specReplicas(b) - specReplicas(a);
}

/** getAllReplicaSetsAndSyncRevision: the new RS (created when asked) and all old RSs. */
export function getAllReplicaSetsAndSyncRevision(dc: DeploymentControllerContext, d: Deployment, rsList: ReplicaSet[], createIfNotExisted: boolean): { newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] } {
  const { allOldRSs } = findOldReplicaSets(d, rsList);
  const newRS = getNewReplicaSet(dc, d, rsList, allOldRSs, createIfNotExisted);
  return { newRS, oldRSs: allOldRSs };
}

/** syncStatusOnly: status only, for a deployment being deleted. */
export function syncStatusOnly(dc: DeploymentControllerContext, d: Deployment, rsList: ReplicaSet[]): void {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(dc, d, rsList, false);
  syncDeploymentStatus(dc, [...oldRSs, newRS], newRS, d);
}

/** sync: proportional scaling (paused or scaling event), cleanup while paused, then status. */
export function sync(dc: DeploymentControllerContext, d: Deployment, rsList: ReplicaSet[]): void {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(dc, d, rsList, false);
  scale(dc, d, newRS, oldRSs);
  if (d.spec?.paused && !d.metadata?.annotations?.[ROLLBACK_TO_ANNOTATION]) cleanupDeployment(dc, oldRSs, d);
  syncDeploymentStatus(dc, [...oldRSs, newRS], newRS, d);
}

/** isScalingEvent: some active RS was sized for a different spec.replicas (desired-replicas annotation). */
export function isScalingEvent(dc: DeploymentControllerContext, d: Deployment, rsList: ReplicaSet[]): boolean {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(dc, d, rsList, false);
  return filterActiveReplicaSets([...oldRSs, newRS]).some((rs) => {
    const desired = getDesiredReplicasAnnotation(rs);
    return desired !== undefined && desired !== specReplicas(d);
  });
}

/**
 * checkPausedConditions marks pausing and resuming with Progressing=Unknown, so the time spent
 * paused never counts against the progress deadline; a reported timeout is not overwritten.
 */
export function checkPausedConditions(dc: DeploymentControllerContext, d: Deployment): void {
  if (!hasProgressDeadline(d)) return;
  const cond = getDeploymentCondition(d.status, 'Progressing');
  if (cond?.reason === TIMED_OUT_REASON) return;
  const pausedCondExists = cond?.reason === PAUSED_DEPLOY_REASON;
  const now = dc.clock.now();
  d.status ??= {};
  if (d.spec?.paused && !pausedCondExists) {
    setDeploymentCondition(d.status, newDeploymentCondition('Progressing', 'Unknown', PAUSED_DEPLOY_REASON, 'Deployment is paused', now));
  } else if (!d.spec?.paused && pausedCondExists) {
    setDeploymentCondition(d.status, newDeploymentCondition('Progressing', 'Unknown', RESUMED_DEPLOY_REASON, 'Deployment is resumed', now));
  } else return;
  updateDeploymentStatus(dc, d);
}

/** findActiveOrLatest: the only active RS, the newest RS when none is active, else undefined. */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => compareByCreationTimestamp(b, a));
  const active = filterActiveReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/**
 * scale resizes RSs for a new spec.replicas: the single active RS takes it all; with a saturated
 * new RS the old ones go to 0; otherwise (RollingUpdate) the difference to replicas + maxSurge is
 * spread over the active RSs in proportion to their size, leftovers on the largest.
 */
export function scale(dc: DeploymentControllerContext, d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): void {
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) {
    if (specReplicas(activeOrLatest) !== specReplicas(d)) scaleReplicaSetAndRecordEvent(dc, activeOrLatest, specReplicas(d), d);
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const old of filterActiveReplicaSets(oldRSs)) scaleReplicaSetAndRecordEvent(dc, old, 0, d);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const sizes = proportionalSizes(d, filterActiveReplicaSets([...oldRSs, newRS]));
  for (const [rs, size] of sizes) scaleReplicaSet(dc, rs, size, d);
}

/**
 * proportionalSizes: the new size of every active RS when the deployment grows or shrinks to
 * replicas + maxSurge, largest RS first (ties: newer first when adding, older first when removing).
 *
 * @example
 * // 10 → 15 replicas, maxSurge 3, RSs of 8 (new) and 5 (old), both with max-replicas 13: allowed
 * // 18, so 5 are added: 8·18/13 = 11.08 → 11 (+3), 5·18/13 = 6.9 → 7 (+2).
 */
export function proportionalSizes(d: Deployment, allRSs: ReplicaSet[]): Array<[ReplicaSet, number]> {
  const allowedSize = specReplicas(d) > 0 ? specReplicas(d) + maxSurge(d) : 0;
  const toAdd = allowedSize - getReplicaCountForReplicaSets(allRSs);
  const sorted = [...allRSs];
  if (toAdd > 0) sorted.sort(compareBySizeNewer);
  else if (toAdd < 0) sorted.sort(compareBySizeOlder);
  let added = 0;
  const sizes = sorted.map((rs): [ReplicaSet, number] => {
    if (toAdd === 0) return [rs, specReplicas(rs)];
    const proportion = getProportion(rs, d, { deploymentReplicasToAdd: toAdd, deploymentReplicasAdded: added });
    added += proportion;
    return [rs, specReplicas(rs) + proportion];
  });
  if (toAdd !== 0 && sizes.length > 0) sizes[0]![1] = Math.max(0, sizes[0]![1] + toAdd - added);
  return sizes;
}

/** scaleReplicaSetAndRecordEvent: scaleReplicaSet unless the RS already has that size. */
export function scaleReplicaSetAndRecordEvent(dc: DeploymentControllerContext, rs: ReplicaSet, newScale: number, d: Deployment): { scaled: boolean; rs: ReplicaSet } {
  if (specReplicas(rs) === newScale) return { scaled: false, rs };
  return scaleReplicaSet(dc, rs, newScale, d);
}

/**
 * scaleReplicaSet writes the size together with the desired/max-replicas annotations and records
 * `Scaled <up|down> replica set <rs> from <old> to <new>` when the size changed.
 */
export function scaleReplicaSet(dc: DeploymentControllerContext, rs: ReplicaSet, newScale: number, d: Deployment): { scaled: boolean; rs: ReplicaSet } {
  const oldScale = specReplicas(rs);
  const sizeNeedsUpdate = oldScale !== newScale;
  const maxReplicas = specReplicas(d) + maxSurge(d);
  if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, specReplicas(d), maxReplicas)) return { scaled: false, rs };
  const rsCopy = cloneForWrite(rs as unknown as KubeObject) as unknown as ReplicaSet;
  rsCopy.spec = { ...rsCopy.spec!, replicas: newScale };
  setReplicasAnnotations(rsCopy, specReplicas(d), maxReplicas);
  const updated = updateReplicaSet(dc, rsCopy);
  if (!sizeNeedsUpdate) return { scaled: false, rs: updated };
  const op = oldScale < newScale ? 'up' : 'down';
  dc.recorder.event(d as unknown as KubeObject, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${updated.metadata?.name ?? ''} from ${oldScale} to ${newScale}`);
  return { scaled: true, rs: updated };
}

/**
 * cleanupDeployment deletes the oldest old RSs beyond revisionHistoryLimit (by revision), but only
 * ones that are fully scaled down and whose RS controller observed that.
 */
export function cleanupDeployment(dc: DeploymentControllerContext, oldRSs: readonly ReplicaSet[], d: Deployment): void {
  if (!hasRevisionHistoryLimit(d)) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp);
  const diff = cleanable.length - (d.spec?.revisionHistoryLimit ?? 0);
  if (diff <= 0) return;
  cleanable.sort((a, b) => revision(a) - revision(b) || compareByCreationTimestamp(a, b));
  for (const rs of cleanable.slice(0, diff)) {
    if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0) continue;
    if ((rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    deleteReplicaSet(dc, rs);
  }
}

