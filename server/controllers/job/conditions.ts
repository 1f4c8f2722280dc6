/**
 * Job conditions as the 1.35 Job controller writes them. Port of newCondition,
 * ensureJobConditionStatus and the finished checks of kubernetes pkg/controller/job
 * (job_controller.go) and pkg/controller/job/util (IsJobFinished).
 */
import { rfc3339 } from '../../clock.js';
import type { Job, JobCondition } from './types.js';

/** Reasons and messages of the job conditions and their events. */
export const REASON_BACKOFF_LIMIT_EXCEEDED = 'BackoffLimitExceeded';
export const MSG_BACKOFF_LIMIT_EXCEEDED = 'Job has reached the specified backoff limit';
export const REASON_DEADLINE_EXCEEDED = 'DeadlineExceeded';
export const MSG_DEADLINE_EXCEEDED = 'Job was active longer than specified deadline';
export const REASON_POD_FAILURE_POLICY = 'PodFailurePolicy';
export const REASON_COMPLETIONS_REACHED = 'CompletionsReached';
export const MSG_COMPLETIONS_REACHED = 'Reached expected number of succeeded pods';

/** A condition with both timestamps at now; empty reason and message are left out, as Go omits them. */
export function newCondition(type: string, status: JobCondition['status'], reason: string, message: string, nowMs: number): JobCondition {
  const at = rfc3339(nowMs);
  return { type, status, lastProbeTime: at, lastTransitionTime: at, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

/** The condition of a type, if any. */
export function findCondition(job: Job, type: string): JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type);
}

/**
 * Sets a condition (replacing one of the same type whose status, reason or message differ); a
 * False condition is not added when absent. Returns the new list and whether it changed.
 */
export function ensureJobConditionStatus(list: JobCondition[], c: JobCondition): { list: JobCondition[]; updated: boolean } {
  const i = list.findIndex((x) => x.type === c.type);
  if (i >= 0) {
    const cur = list[i]!;
    if (cur.status === c.status && (cur.reason ?? '') === (c.reason ?? '') && (cur.message ?? '') === (c.message ?? '')) return { list, updated: false };
    const next = [...list];
    next[i] = c;
    return { list: next, updated: true };
  }
  if (c.status === 'False') return { list, updated: false };
  return { list: [...list, c], updated: true };
}

/** The terminal condition (Complete or Failed with status True), if the job finished. */
export function finishedCondition(job: Readonly<Job>): JobCondition | undefined {
  return job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** Whether the job has a Complete=True or Failed=True condition (IsJobFinished). */
export function isJobFinished(job: Readonly<Job>): boolean {
  return finishedCondition(job) !== undefined;
}

/** Whether the job succeeded (IsJobSucceeded). */
export function isJobSucceeded(job: Readonly<Job>): boolean {
  return finishedCondition(job)?.type === 'Complete';
}
