// Port of kubernetes pkg/controller/deployment/recreate.go (rolloutRecreate, oldPodsRunning,
// scaleDownOldReplicaSetsForRecreate, scaleUpNewReplicaSetForRecreate).
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { DeploymentControllerContext } from './controller-context.js';
import { syncRolloutStatus } from './progress.js';
import { deploymentComplete, getActualReplicaCountForReplicaSets } from './replicas.js';
import { cleanupDeployment, filterActiveReplicaSets, getAllReplicaSetsAndSyncRevision, scaleReplicaSetAndRecordEvent } from './sync.js';
import { specReplicas } from './util.js';

/** Pods of the deployment grouped by the uid of the RS that controls them. */
export type PodMap = Map<string, Pod[]>;

/**
 * rolloutRecreate: scale every old RS to 0, wait until no old pod runs, then create the new RS (or
 * scale it) at full size; a finished rollout cleans up old RSs.
 */
export function rolloutRecreate(dc: DeploymentControllerContext, d: Deployment, rsList: ReplicaSet[], podMap: PodMap): void {
  // The new RS is not created yet, so nothing scales up before the old pods are gone.
  let { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(dc, d, rsList, false);
  let allRSs = [...oldRSs, newRS];
  let scaledDown = false;
  for (const rs of filterActiveReplicaSets(oldRSs)) {
    if (scaleReplicaSetAndRecordEvent(dc, rs, 0, d).scaled) scaledDown = true;
  }
  if (scaledDown) return syncRolloutStatus(dc, allRSs, newRS, d);
  if (oldPodsRunning(newRS, oldRSs, podMap)) return syncRolloutStatus(dc, allRSs, newRS, d);
  if (!newRS) {
    ({ newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(dc, d, rsList, true));
    allRSs = [...oldRSs, newRS];
  }
  if (newRS) newRS = scaleReplicaSetAndRecordEvent(dc, newRS, specReplicas(d), d).rs;
  if (deploymentComplete(d, d.status ?? {})) cleanupDeployment(dc, oldRSs, d);
  syncRolloutStatus(dc, allRSs, newRS, d);
}

/**
 * oldPodsRunning: an old RS still reports pods, or a pod of an old RS is in any phase but
 * Succeeded/Failed (Unknown and Pending count as running: they may still be).
 */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[], podMap: PodMap): boolean {
  if (getActualReplicaCountForReplicaSets(oldRSs) > 0) return true;
  for (const [rsUID, pods] of podMap) {
    if (newRS && newRS.metadata?.uid === rsUID) continue;
    if (pods.some((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded')) return true;
  }
  return false;
}
