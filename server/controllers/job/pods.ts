/**
 * Pod predicates and orderings the Job controller needs. Port of the helpers in kubernetes
 * pkg/controller/job/job_controller.go and backoff_utils.go (isPodFailed, getFinishedTime) and of
 * pkg/controller/controller_utils.go (ActivePods ordering); the pod state predicates are
 * controller-utils.ts's, typed for the job folder's Pod.
 */
import type { Pod as CorePod } from 'kubernetes-types/core/v1.js';
import { isPodActive as podActive, isPodReady as podReady, isPodTerminating as podTerminating } from '../controller-utils.js';
import type { Job, Pod } from './types.js';

/** The finalizer that keeps a job's finished pods until the controller counted them. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

/** Running or pending and not being deleted (controller.IsPodActive). */
export function isPodActive(p: Pod): boolean {
  return podActive(p as unknown as CorePod);
}

/** Being deleted but not finished yet (controller.IsPodTerminating). */
export function isPodTerminating(p: Pod): boolean {
  return podTerminating(p as unknown as CorePod);
}

/** Whether the pod has condition Ready=True. */
export function isPodReady(p: Pod): boolean {
  return podReady(p as unknown as CorePod);
}

/** Whether the pod still carries the job-tracking finalizer (not counted yet). */
export function hasJobTrackingFinalizer(p: Pod): boolean {
  return (p.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);
}

/** Whether deleting a pod makes it count as failed: only Failed pods when a pod failure policy or podReplacementPolicy=Failed is in force. */
export function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec.podReplacementPolicy === 'Failed' || job.spec.podFailurePolicy != null;
}

/**
 * isPodFailed: phase Failed, or (without a failure policy) deleted before succeeding, so orphaned
 * pods that never reach Failed still count.
 */
export function isPodFailed(p: Pod, job: Job): boolean {
  if (p.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded';
}

/**
 * When a finished pod finished (getFinishedTime): the latest container finishedAt when all
 * containers terminated, else when Ready turned False, else the deletion time, else creation.
 */
export function getFinishedTime(p: Pod): number {
  let latest: number | undefined;
  for (const cs of p.status?.containerStatuses ?? []) {
    const at = cs.state?.terminated?.finishedAt;
    if (!at) {
      latest = undefined;
      break;
    }
    latest = Math.max(latest ?? 0, Date.parse(at));
  }
  if (latest !== undefined) return latest;
  const ready = (p.status?.conditions ?? []).find((c) => c.type === 'Ready' && c.status === 'False');
  if (ready?.lastTransitionTime) return Date.parse(ready.lastTransitionTime);
  if (p.metadata.deletionTimestamp) return Date.parse(p.metadata.deletionTimestamp);
  return Date.parse(p.metadata.creationTimestamp ?? '') || 0;
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function restarts(p: Pod): number {
  return (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
}

/**
 * controller.ActivePods ordering, the pods to delete first: unscheduled before scheduled, pending
 * before unknown before running, not ready before ready, more restarts first, newer first.
 */
export function compareForDeletion(a: Pod, b: Pod): number {
  const sched = Number(!!a.spec.nodeName) - Number(!!b.spec.nodeName);
  if (sched !== 0) return sched;
  const phase = (PHASE_RANK[a.status?.phase ?? 'Pending'] ?? 0) - (PHASE_RANK[b.status?.phase ?? 'Pending'] ?? 0);
  if (phase !== 0) return phase;
  const ready = Number(isPodReady(a)) - Number(isPodReady(b));
  if (ready !== 0) return ready;
  const rs = restarts(b) - restarts(a);
  if (rs !== 0) return rs;
  return (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '');
}
