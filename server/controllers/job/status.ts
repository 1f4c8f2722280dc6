/**
 * Finished-pod accounting and the job's terminal conditions: finished pods go into
 * status.uncountedTerminatedPods, the status is written, their tracking finalizers are removed,
 * then they move into the succeeded/failed counters; Complete/Failed are added only when no pod
 * is uncounted or terminating. Port of kubernetes pkg/controller/job/job_controller.go
 * (trackJobStatusAndRemoveFinalizers, flushUncountedAndRemoveFinalizers,
 * cleanUncountedPodsWithoutFinalizers, enactJobFinished, recordJobFinished).
 */
import { StatusError } from '../../api/errors.js';
import { rfc3339 } from '../../clock.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { ensureJobConditionStatus, newCondition } from './conditions.js';
import type { JobDeps, SyncJobCtx } from './context.js';
import { getCompletionIndex, hasIndex, intervalsString, isIndexedJob, UNKNOWN_COMPLETION_INDEX, withIndexes } from './indexed.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { hasJobTrackingFinalizer, isPodFailed, JOB_TRACKING_FINALIZER } from './pods.js';
import type { Job, JobStatus, Pod } from './types.js';
import { cloneJSON } from '../../registry/strategy.js';

/** Cap on pods moved into uncountedTerminatedPods per sync (keeps the status small). */
const MAX_UNCOUNTED_PODS = 500;

/** Status in Go's field order with Go's omitempty rules (zero counters are left out; ready/terminating stay). */
function normalizeStatus(s: JobStatus): JobStatus {
  const out: JobStatus = {};
  if (s.conditions?.length) out.conditions = s.conditions;
  if (s.startTime) out.startTime = s.startTime;
  if (s.completionTime) out.completionTime = s.completionTime;
  if (s.active) out.active = s.active;
  if (s.succeeded) out.succeeded = s.succeeded;
  if (s.failed) out.failed = s.failed;
  if (s.terminating !== undefined) out.terminating = s.terminating;
  if (s.completedIndexes) out.completedIndexes = s.completedIndexes;
  if (s.failedIndexes !== undefined) out.failedIndexes = s.failedIndexes;
  const u = s.uncountedTerminatedPods ?? {};
  out.uncountedTerminatedPods = { ...(u.succeeded?.length ? { succeeded: u.succeeded } : {}), ...(u.failed?.length ? { failed: u.failed } : {}) };
  if (s.ready !== undefined) out.ready = s.ready;
  return out;
}

/** Writes the job status through the status subresource and returns the stored job. */
export function updateJobStatus(deps: JobDeps, job: Job): Job {
  const status = normalizeStatus(job.status ?? {});
  const key = { namespace: job.metadata.namespace ?? '', name: job.metadata.name ?? '' };
  // Stored objects are frozen; the sync goes on changing its copy.
  return cloneJSON(deps.client.mutate('jobs.batch', key, (cur: KubeObject) => ({ ...cur, status }), { status: true, pure: true })) as Job;
}

/** Moves uncounted pods whose finalizer is gone into the counters; true when anything moved. */
function cleanUncountedPodsWithoutFinalizers(status: JobStatus, withFinalizer: Set<string>): boolean {
  const u = (status.uncountedTerminatedPods ??= {});
  const keepS = (u.succeeded ?? []).filter((uid) => withFinalizer.has(uid));
  const keepF = (u.failed ?? []).filter((uid) => withFinalizer.has(uid));
  const movedS = (u.succeeded ?? []).length - keepS.length;
  const movedF = (u.failed ?? []).length - keepF.length;
  status.succeeded = (status.succeeded ?? 0) + movedS;
  status.failed = (status.failed ?? 0) + movedF;
  u.succeeded = keepS;
  u.failed = keepF;
  return movedS + movedF > 0;
}

/** Removes the tracking finalizer from a pod; a pod that is already gone counts as done. */
function removeTrackingFinalizer(deps: JobDeps, p: Pod): boolean {
  try {
    deps.client.mutate('pods', { namespace: p.metadata.namespace ?? '', name: p.metadata.name ?? '' }, (cur) => {
      cur.metadata.finalizers = (cur.metadata.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER);
      return cur;
    });
    return true;
  } catch (e) {
    if (e instanceof StatusError && e.code === 404) return true;
    return false;
  }
}

/** Whether a pod with the finalizer is finished from the job's point of view (canRemoveFinalizer). */
function canRemoveFinalizer(jobCtx: SyncJobCtx, p: Pod, failed: boolean): boolean {
  return failed || jobCtx.finishedCondition !== undefined || p.status?.phase === 'Succeeded';
}

/** Puts a pod that can lose its finalizer into the uncounted lists; true when the status changed. */
function recordUncounted(jobCtx: SyncJobCtx, p: Pod, failed: boolean, newIndexes: number[]): boolean {
  const { job, uncounted } = jobCtx;
  const u = job.status!.uncountedTerminatedPods!;
  const uid = p.metadata.uid ?? '';
  const completions = job.spec.completions ?? 0;
  const ix = getCompletionIndex(p);
  if (p.status?.phase === 'Succeeded' && !uncounted.failed.has(uid)) {
    if (isIndexedJob(job)) {
      if (ix !== UNKNOWN_COMPLETION_INDEX && ix < completions && !hasIndex(jobCtx.prevSucceededIndexes ?? [], ix)) newIndexes.push(ix);
      return false;
    }
    if (uncounted.succeeded.has(uid)) return false;
    (u.succeeded ??= []).push(uid);
    return true;
  }
  // Once the job failed, every pod that did not succeed counts as failed.
  const jobFailing = jobCtx.finishedCondition !== undefined && jobCtx.finishedCondition.type !== 'SuccessCriteriaMet';
  if (!failed && !jobFailing) return false;
  if (uncounted.failed.has(uid) || (isIndexedJob(job) && (ix === UNKNOWN_COMPLETION_INDEX || ix >= completions))) return false;
  if (!matchPodFailurePolicy(job, p).countFailed) return false;
  (u.failed ??= []).push(uid);
  return true;
}

/**
 * trackJobStatusAndRemoveFinalizers: counts newly finished pods, records the interim
 * FailureTarget/SuccessCriteriaMet condition, removes finalizers, and adds Complete/Failed once
 * nothing is left uncounted or terminating.
 */
export function trackJobStatusAndRemoveFinalizers(deps: JobDeps, jobCtx: SyncJobCtx, needsFlushIn: boolean): void {
  let needsFlush = needsFlushIn;
  const job = jobCtx.job;
  const pods = isIndexedJob(job) ? [...jobCtx.pods].sort((a, b) => getCompletionIndex(a) - getCompletionIndex(b)) : jobCtx.pods;
  const withFinalizer = new Set(pods.filter(hasJobTrackingFinalizer).map((p) => p.metadata.uid ?? ''));
  if (cleanUncountedPodsWithoutFinalizers(job.status!, withFinalizer)) needsFlush = true;
  const toRemove: Pod[] = [];
  const newIndexes: number[] = [];
  let reachedMax = false;
  for (const p of pods) {
    if (!hasJobTrackingFinalizer(p)) continue;
    const failed = isPodFailed(p, job);
    if (!canRemoveFinalizer(jobCtx, p, failed)) continue;
    toRemove.push(p);
    if (recordUncounted(jobCtx, p, failed, newIndexes)) needsFlush = true;
    const u = job.status!.uncountedTerminatedPods!;
    if (newIndexes.length + (u.succeeded?.length ?? 0) + (u.failed?.length ?? 0) >= MAX_UNCOUNTED_PODS) {
      reachedMax = true;
      break;
    }
  }
  if (isIndexedJob(job)) needsFlush = updateIndexes(jobCtx, newIndexes) || needsFlush;
  needsFlush = recordInterimCondition(deps, jobCtx) || needsFlush;
  needsFlush = flushUncountedAndRemoveFinalizers(deps, jobCtx, toRemove, withFinalizer, needsFlush);
  const finished = !reachedMax && enactJobFinished(deps, jobCtx);
  if (!needsFlush && !finished) return;
  jobCtx.job = updateJobStatus(deps, jobCtx.job);
  if (finished) recordJobFinished(deps, jobCtx);
}

function updateIndexes(jobCtx: SyncJobCtx, newIndexes: number[]): boolean {
  const status = jobCtx.job.status!;
  jobCtx.succeededIndexes = withIndexes(jobCtx.succeededIndexes ?? [], newIndexes);
  const s = intervalsString(jobCtx.succeededIndexes);
  const changed = s !== (status.completedIndexes ?? '');
  status.completedIndexes = s;
  status.succeeded = jobCtx.succeededIndexes.reduce((n, [a, b]) => n + b - a + 1, 0);
  return changed;
}

/**
 * Appends the interim condition (FailureTarget, or SuccessCriteriaMet once) and turns the
 * finished condition into the terminal one (Failed or Complete) that is added later.
 */
function recordInterimCondition(deps: JobDeps, jobCtx: SyncJobCtx): boolean {
  const c = jobCtx.finishedCondition;
  if (!c) return false;
  const status = jobCtx.job.status!;
  const now = deps.clock.now();
  if (c.type === 'FailureTarget') {
    status.conditions = [...(status.conditions ?? []), c];
    jobCtx.finishedCondition = newCondition('Failed', 'True', c.reason ?? '', c.message ?? '', now);
    return true;
  }
  if (c.type !== 'SuccessCriteriaMet') return false;
  let changed = false;
  if (!status.conditions?.some((x) => x.type === 'SuccessCriteriaMet' && x.status === 'True')) {
    status.conditions = [...(status.conditions ?? []), c];
    changed = true;
  }
  jobCtx.finishedCondition = newCondition('Complete', 'True', c.reason ?? '', c.message ?? '', now);
  return changed;
}

function flushUncountedAndRemoveFinalizers(deps: JobDeps, jobCtx: SyncJobCtx, toRemove: Pod[], withFinalizer: Set<string>, needsFlushIn: boolean): boolean {
  let needsFlush = needsFlushIn;
  if (needsFlush) {
    jobCtx.job = updateJobStatus(deps, jobCtx.job);
    // The failures are in the status now, so the back-off may count them.
    deps.backoff.update(jobCtx.newBackoffRecord);
    needsFlush = false;
  }
  let failed = false;
  for (const p of toRemove) {
    if (removeTrackingFinalizer(deps, p)) withFinalizer.delete(p.metadata.uid ?? '');
    else failed = true;
  }
  jobCtx.job.status ??= {};
  jobCtx.job.status.uncountedTerminatedPods ??= {};
  if (cleanUncountedPodsWithoutFinalizers(jobCtx.job.status, withFinalizer)) needsFlush = true;
  if (failed) throw new Error(`removing tracking finalizers of job ${jobCtx.key}`);
  return needsFlush;
}

/** Adds the terminal condition when no pod is uncounted or still terminating (enactJobFinished). */
function enactJobFinished(deps: JobDeps, jobCtx: SyncJobCtx): boolean {
  const c = jobCtx.finishedCondition;
  if (!c) return false;
  const status = jobCtx.job.status!;
  const u = status.uncountedTerminatedPods ?? {};
  if ((u.succeeded?.length ?? 0) + (u.failed?.length ?? 0) > 0) return false;
  if (jobCtx.terminating > 0) return false;
  status.conditions = ensureJobConditionStatus(status.conditions ?? [], c).list;
  if (c.type === 'Complete') status.completionTime = c.lastTransitionTime ?? rfc3339(deps.clock.now());
  return true;
}

function recordJobFinished(deps: JobDeps, jobCtx: SyncJobCtx): void {
  const { job } = jobCtx;
  const c = jobCtx.finishedCondition!;
  deps.backoff.remove(jobCtx.key);
  if (c.type === 'Complete') {
    if (job.spec.completions !== undefined && (job.status?.succeeded ?? 0) > job.spec.completions) {
      deps.recorder.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
    }
    deps.recorder.event(job, 'Normal', 'Completed', 'Job completed');
    return;
  }
  deps.recorder.event(job, 'Warning', c.reason ?? '', c.message ?? '');
}
