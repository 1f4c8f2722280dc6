// Port of the condition helpers of kubernetes pkg/controller/deployment/util/deployment_util.go
// (NewDeploymentCondition, SetDeploymentCondition, DeploymentTimedOut, HasProgressDeadline, ...).
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSetCondition } from 'kubernetes-types/apps/v1.js';
import { rfc3339 } from '../../clock.js';
import { jsonEqual } from '../../registry/strategy.js';

/** Progressing reason: the controller created the new RS. */
export const NEW_REPLICA_SET_REASON = 'NewReplicaSetCreated';
/** Progressing reason: the controller found an existing new RS. */
export const FOUND_NEW_RS_REASON = 'FoundNewReplicaSet';
/** Progressing reason: the new RS is complete. */
export const NEW_RS_AVAILABLE_REASON = 'NewReplicaSetAvailable';
/** Progressing reason: no progress within progressDeadlineSeconds. */
export const TIMED_OUT_REASON = 'ProgressDeadlineExceeded';
/** Progressing reason: the deployment was paused. */
export const PAUSED_DEPLOY_REASON = 'DeploymentPaused';
/** Progressing reason: the deployment was resumed. */
export const RESUMED_DEPLOY_REASON = 'DeploymentResumed';
/** Progressing reason: the rollout made progress. */
export const REPLICA_SET_UPDATED_REASON = 'ReplicaSetUpdated';
/** Progressing reason and Warning event reason: creating the new RS failed. */
export const FAILED_RS_CREATE_REASON = 'ReplicaSetCreateError';
/** Available reason: at least replicas − maxUnavailable pods are available. */
export const MINIMUM_REPLICAS_AVAILABLE = 'MinimumReplicasAvailable';
/** Available reason: fewer than replicas − maxUnavailable pods are available. */
export const MINIMUM_REPLICAS_UNAVAILABLE = 'MinimumReplicasUnavailable';

const MAX_INT32 = 2 ** 31 - 1;

/** DeploymentStatus as served by 1.35 (terminatingReplicas is newer than our type package). */
export interface DeploymentStatus135 extends DeploymentStatus {
  terminatingReplicas?: number;
}

/** A condition stamped now, in the field order the API server prints. */
export function newDeploymentCondition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, nowMs: number): DeploymentCondition {
  const now = rfc3339(nowMs);
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

/** The condition of that type, if present. */
export function getDeploymentCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/**
 * setDeploymentCondition replaces the condition of the same type, appending it at the end; nothing
 * happens when status and reason are unchanged, and the transition time is kept when only the
 * reason changes.
 */
export function setDeploymentCondition(status: DeploymentStatus, condition: DeploymentCondition): void {
  const current = getDeploymentCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const next = { ...condition };
  if (current && current.status === condition.status) next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

/** removeDeploymentCondition drops the condition of that type. */
export function removeDeploymentCondition(status: DeploymentStatus, type: string): void {
  const kept = (status.conditions ?? []).filter((c) => c.type !== type);
  if (kept.length > 0) status.conditions = kept;
  else delete status.conditions;
}

/** A ReplicaFailure condition of an RS as a deployment condition (both times from the RS's transition). */
export function replicaSetToDeploymentCondition(c: ReplicaSetCondition): DeploymentCondition {
  return { type: c.type, status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message };
}

/** hasProgressDeadline: progressDeadlineSeconds is set and not MaxInt32. */
export function hasProgressDeadline(d: Deployment): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  return s !== undefined && s !== null && s !== MAX_INT32;
}

/** hasRevisionHistoryLimit: revisionHistoryLimit is set and not MaxInt32. */
export function hasRevisionHistoryLimit(d: Deployment): boolean {
  const l = d.spec?.revisionHistoryLimit;
  return l !== undefined && l !== null && l !== MAX_INT32;
}

/**
 * deploymentTimedOut: the Progressing condition's last update is older than progressDeadlineSeconds
 * (a completed rollout never times out; an already timed-out one stays timed out).
 *
 * @example
 * // Updated at 00:00:00 with a 600 s deadline: timed out from just after 00:10:00.
 */
export function deploymentTimedOut(d: Deployment, newStatus: DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const condition = getDeploymentCondition(newStatus, 'Progressing');
  if (!condition) return false;
  if (condition.reason === NEW_RS_AVAILABLE_REASON) return false;
  if (condition.reason === TIMED_OUT_REASON) return true;
  const from = Date.parse(condition.lastUpdateTime ?? '');
  return from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 < nowMs;
}

/** Compares two statuses as reflect.DeepEqual would on the Go structs (key order ignored). */
export function statusEqual(a: DeploymentStatus | undefined, b: DeploymentStatus): boolean {
  return jsonEqual(a ?? {}, b);
}
