// Port of kubernetes pkg/controller/deployment/util/deployment_util.go (NewRSNewReplicas, IsSaturated,
// GetProportion, getReplicaSetFraction, the replica counters, DeploymentComplete, DeploymentProgressing).
// Pure replica arithmetic for the Deployment controller; the controller loop lives elsewhere.
import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { getDesiredReplicasAnnotation, getMaxReplicasAnnotation, getScaledValueFromIntOrPercent, maxSurge, specReplicas } from './util.js';

/**
 * newRSNewReplicas is the size the new RS may grow to in this sync. Recreate jumps straight to
 * `spec.replicas`. RollingUpdate adds as many pods as the surge budget leaves, but never past
 * `spec.replicas`.
 *
 * @example
 * // 10 replicas, maxSurge 2, old RSs hold 5, new RS holds 0: the budget is 12 − 5 = 7 and the
 * // target gap is 10 − 0 = 10, so the new RS goes to 7.
 * // 6 replicas, maxSurge 10, all RSs hold 2 + 5: budget 16 − 7 = 9, gap 6 − 2 = 4, so 2 + 4 = 6.
 * // 1 replica, maxSurge 1, the RSs already hold 5 + 5 ≥ 2: the new RS keeps its 5.
 */
export function newRSNewReplicas(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet): number {
  const strategy = d.spec?.strategy?.type;
  if (strategy === 'Recreate') return specReplicas(d);
  if (strategy !== 'RollingUpdate') throw new Error(`deployment type ${String(strategy)} isn't supported`);
  const surge = getScaledValueFromIntOrPercent(d.spec?.strategy?.rollingUpdate?.maxSurge ?? 0, specReplicas(d), true);
  const currentPodCount = getReplicaCountForReplicaSets(allRSs);
  const maxTotalPods = specReplicas(d) + surge;
  if (currentPodCount >= maxTotalPods) return specReplicas(newRS);
  const scaleUpCount = Math.min(maxTotalPods - currentPodCount, specReplicas(d) - specReplicas(newRS));
  return specReplicas(newRS) + scaleUpCount;
}

/**
 * isSaturated reports whether the RS is fully scaled for the deployment: its spec, its desired-replicas
 * annotation and its available pods all equal `spec.replicas`.
 */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = getDesiredReplicasAnnotation(rs);
  if (desired === undefined) return false;
  const replicas = specReplicas(d);
  return specReplicas(rs) === replicas && desired === replicas && (rs.status?.availableReplicas ?? 0) === replicas;
}

/** Options of {@link getProportion}: the signed amount to spread and how much is spread so far. */
export interface ProportionOptions {
  deploymentReplicasToAdd: number;
  deploymentReplicasAdded: number;
}

/**
 * getProportion is this RS's share of a proportional scale: its fraction, clamped so the running total
 * never passes `deploymentReplicasToAdd` (min when adding, max when removing). Empty RSs get nothing.
 *
 * @example
 * // Adding 20 with 15 already placed: a fraction of 10 is cut to the 5 still allowed.
 * // Removing 10 with 8 already taken: a fraction of −4 is cut to −2.
 */
export function getProportion(rs: ReplicaSet | undefined, d: Deployment, opts: ProportionOptions): number {
  const { deploymentReplicasToAdd: toAdd, deploymentReplicasAdded: added } = opts;
  if (!rs || specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = getReplicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/**
 * getReplicaSetFraction estimates how many replicas the RS gains (positive) or loses (negative) when
 * the deployment is resized during a rollout or while paused: the RS keeps its share of the old
 * maximum (its max-replicas annotation) within the new maximum (`spec.replicas + maxSurge`).
 * Scaling to 0 takes the whole RS. Without a usable annotation `status.replicas` stands in, and
 * without that either nothing moves.
 *
 * @example
 * // 120 replicas, maxSurge 10, RS holds 50 of an old maximum of 110: 50 × 130 / 110 = 59.09 → 59,
 * // so the RS gains 9 (not the naive 10, since surge pods scale too).
 * // 100 replicas, maxSurge 10, RS holds 50 of 130: 50 × 110 / 130 = 42.3 → 42, so it loses 8.
 */
export function getReplicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (specReplicas(d) === 0) return -specReplicas(rs);
  const deploymentMaxReplicas = specReplicas(d) + maxSurge(d);
  let maxBeforeScale = getMaxReplicasAnnotation(rs) ?? 0;
  // A missing or zeroed annotation (removed by someone else) falls back to the current pod count.
  if (maxBeforeScale === 0) maxBeforeScale = d.status?.replicas ?? 0;
  // Nothing to scale against: keep the RS as it is rather than divide by zero.
  if (maxBeforeScale === 0) return 0;
  const newRSsize = (specReplicas(rs) * deploymentMaxReplicas) / maxBeforeScale;
  return roundToInt32(newRSsize) - specReplicas(rs);
}

/** The brief's name for {@link getReplicaSetFraction} (upstream calls it getReplicaSetFraction). */
export const getReplicaSetProportion = getReplicaSetFraction;

/** Rounds half away from zero, like k8s.io/utils/integer.RoundToInt32. */
function roundToInt32(a: number): number {
  return a < 0 ? Math.trunc(a - 0.5) : Math.trunc(a + 0.5);
}

/** getReplicaCountForReplicaSets sums `spec.replicas` (pods wanted) over the RSs. */
export function getReplicaCountForReplicaSets(rss: readonly (ReplicaSet | undefined)[]): number {
  return sum(rss, (rs) => specReplicas(rs));
}

/** getActualReplicaCountForReplicaSets sums `status.replicas` (pods that exist) over the RSs. */
export function getActualReplicaCountForReplicaSets(rss: readonly (ReplicaSet | undefined)[]): number {
  return sum(rss, (rs) => rs.status?.replicas ?? 0);
}

/** getReadyReplicaCountForReplicaSets sums `status.readyReplicas` over the RSs. */
export function getReadyReplicaCountForReplicaSets(rss: readonly (ReplicaSet | undefined)[]): number {
  return sum(rss, (rs) => rs.status?.readyReplicas ?? 0);
}

/** getAvailableReplicaCountForReplicaSets sums `status.availableReplicas` over the RSs. */
export function getAvailableReplicaCountForReplicaSets(rss: readonly (ReplicaSet | undefined)[]): number {
  return sum(rss, (rs) => rs.status?.availableReplicas ?? 0);
}

function sum(rss: readonly (ReplicaSet | undefined)[], pick: (rs: ReplicaSet) => number): number {
  let total = 0;
  for (const rs of rss) if (rs) total += pick(rs);
  return total;
}

/**
 * deploymentComplete reports whether `newStatus` shows every wanted pod updated and available, with
 * no extra pods, for the current generation.
 */
export function deploymentComplete(d: Deployment, newStatus: DeploymentStatus): boolean {
  const replicas = specReplicas(d);
  return (
    (newStatus.updatedReplicas ?? 0) === replicas &&
    (newStatus.replicas ?? 0) === replicas &&
    (newStatus.availableReplicas ?? 0) === replicas &&
    (newStatus.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0)
  );
}

/**
 * deploymentProgressing compares `newStatus` with the deployment's current status: more updated, ready
 * or available pods, or fewer old pods (replicas − updated), count as progress.
 */
export function deploymentProgressing(d: Deployment, newStatus: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (newStatus.replicas ?? 0) - (newStatus.updatedReplicas ?? 0);
  return (
    (newStatus.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (newStatus.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (newStatus.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}
