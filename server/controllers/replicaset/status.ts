// Port of kubernetes pkg/controller/replicaset/replica_set_utils.go (calculateStatus,
// updateReplicaSetStatus, the ReplicaFailure condition helpers).
import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import type { LocalClient } from '../../client/api-client.js';
import { rfc3339 } from '../../clock.js';

/** ReplicaSetStatus as served by 1.35 (terminatingReplicas is newer than our type package). */
export interface ReplicaSetStatus135 extends ReplicaSetStatus {
  terminatingReplicas?: number;
}

/** Condition type set while creating or deleting pods fails. */
export const REPLICA_FAILURE = 'ReplicaFailure';

/**
 * calculateStatus from the counts of the RS's pods: its active pods (replicas), those whose labels
 * carry every template label (fullyLabeledReplicas), ready ones, and ones ready for
 * minReadySeconds (available); terminating pods when counted. A manage error sets ReplicaFailure
 * (reason FailedCreate when short of pods, FailedDelete when over); a clean sync removes it.
 */
export function calculateStatus(rs: ReplicaSet, counts: ReplicaCounts, manageErr: unknown, nowMs: number): ReplicaSetStatus135 {
  const { replicas, fullyLabeled, ready, available, terminating } = counts;
  let conditions = [...(rs.status?.conditions ?? [])];
  const failure = conditions.find((c) => c.type === REPLICA_FAILURE);
  if (manageErr !== undefined && !failure) {
    const diff = replicas - (rs.spec?.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    const message = manageErr instanceof Error ? manageErr.message : String(manageErr);
    conditions.push({ type: REPLICA_FAILURE, status: 'True', lastTransitionTime: rfc3339(nowMs), reason, message });
  } else if (manageErr === undefined && failure) {
    conditions = conditions.filter((c) => c.type !== REPLICA_FAILURE);
  }
  // Same field order and omitempty rules as the Go type, so `-o yaml` reads like a real cluster.
  const status: ReplicaSetStatus135 = { replicas };
  if (fullyLabeled) status.fullyLabeledReplicas = fullyLabeled;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  // Counted only with DeploymentReplicaSetTerminatingReplicas (undefined when off).
  if (terminating !== undefined) status.terminatingReplicas = terminating;
  if (rs.status?.observedGeneration) status.observedGeneration = rs.status.observedGeneration;
  if (conditions.length > 0) status.conditions = conditions as ReplicaSetCondition[];
  return status;
}

/** The pod counts of a ReplicaSet's status. */
export interface ReplicaCounts {
  replicas: number;
  fullyLabeled: number;
  ready: number;
  available: number;
  /** Terminating pods, when counted (feature gate). */
  terminating?: number;
}

/** Whether `own` holds every one of `labels`. */
export function carriesLabels(own: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(labels)) if (own[k] !== v) return false;
  return true;
}

function sameStatus(a: ReplicaSetStatus135 | undefined, b: ReplicaSetStatus135): boolean {
  return (
    (a?.replicas ?? 0) === b.replicas &&
    (a?.fullyLabeledReplicas ?? 0) === (b.fullyLabeledReplicas ?? 0) &&
    (a?.readyReplicas ?? 0) === (b.readyReplicas ?? 0) &&
    (a?.availableReplicas ?? 0) === (b.availableReplicas ?? 0) &&
    a?.terminatingReplicas === b.terminatingReplicas &&
    JSON.stringify(a?.conditions ?? []) === JSON.stringify(b.conditions ?? [])
  );
}

/**
 * updateReplicaSetStatus writes the status (with observedGeneration = the generation the sync saw)
 * unless nothing changed; returns the stored RS.
 */
export function updateReplicaSetStatus(client: LocalClient, rs: ReplicaSet, status: ReplicaSetStatus135, resource = 'replicasets.apps'): Readonly<KubeObject> | undefined {
  const generation = rs.metadata?.generation ?? 0;
  if (sameStatus(rs.status, status) && (rs.status?.observedGeneration ?? 0) === generation) return undefined;
  const next: ReplicaSetStatus135 = { ...status };
  delete next.observedGeneration;
  const ordered = insertObservedGeneration(next, generation);
  const key = { namespace: rs.metadata?.namespace ?? '', name: rs.metadata?.name ?? '' };
  if (!client.get(resource, key)) return undefined;
  return client.mutate(resource, key, (cur) => ({ ...cur, status: ordered }), { status: true, pure: true });
}

/** observedGeneration goes between terminatingReplicas and conditions, as Go serialises it. */
function insertObservedGeneration(status: ReplicaSetStatus135, generation: number): ReplicaSetStatus135 {
  const { conditions, ...counts } = status;
  return { ...counts, ...(generation ? { observedGeneration: generation } : {}), ...(conditions ? { conditions } : {}) };
}
