/**
 * The Job controller (`job-controller`): runs a job's pods to completion, counts finished pods
 * through the `batch.kubernetes.io/job-tracking` finalizer and status.uncountedTerminatedPods,
 * and writes the 1.35 conditions (SuccessCriteriaMet/FailureTarget, then Complete/Failed,
 * Suspended). Port of kubernetes pkg/controller/job/job_controller.go (syncJob and the informer
 * handlers). Pods and the job are re-read through the client at each sync, which stands in for
 * upstream's creation/deletion/finalizer expectations.
 */
import { labelSelectorString } from '../../../schemas/format/labels.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import type { ClusterContext } from '../../cluster.js';
import { rfc3339 } from '../../clock.js';
import { objectKey } from '../../informers/informer.js';
import { runController } from '../runner.js';
import { BackoffStore } from './backoff.js';
import {
  ensureJobConditionStatus, findCondition, isJobFinished, MSG_BACKOFF_LIMIT_EXCEEDED, MSG_COMPLETIONS_REACHED, MSG_DEADLINE_EXCEEDED,
  newCondition, REASON_BACKOFF_LIMIT_EXCEEDED, REASON_COMPLETIONS_REACHED, REASON_DEADLINE_EXCEEDED, REASON_POD_FAILURE_POLICY,
} from './conditions.js';
import type { JobDeps, SyncJobCtx } from './context.js';
import { calculateSucceededIndexes, getCompletionIndex, isIndexedJob, totalIndexes, UNKNOWN_COMPLETION_INDEX } from './indexed.js';
import { deleteActivePods, manageJob } from './manage.js';
import { getFailJobMessage, matchPodFailurePolicy } from './pod-failure-policy.js';
import { hasJobTrackingFinalizer, isPodActive, isPodFailed, isPodReady, isPodTerminating, JOB_TRACKING_FINALIZER } from './pods.js';
import { trackJobStatusAndRemoveFinalizers } from './status.js';
import type { Job, Pod } from './types.js';
import { cloneJSON } from '../../registry/strategy.js';
import { KUBE_CONTROLLER_MANAGER } from '../field-managers.js';

/** Pod events and job status changes are batched into one sync per this period (syncJobBatchPeriod). */
export const SYNC_JOB_BATCH_PERIOD_MS = 1000;

/** Starts the Job controller on the shared job and pod informers. */
export function startJobController(ctx: ClusterContext): () => void {
  const client = ctx.client(KUBE_CONTROLLER_MANAGER);
  const jobs = ctx.informers.for('jobs.batch');
  const pods = ctx.informers.for('pods');
  const backoff = new BackoffStore();
  const deps: JobDeps = {
    client, clock: ctx.clock, recorder: ctx.recorder({ component: 'job-controller' }), backoff,
    enqueueAfter: (key, ms) => main.queue.addAfter(key, Math.max(ms, SYNC_JOB_BATCH_PERIOD_MS)),
  };
  const main = runController({ name: 'job-controller', reconcile: (key) => syncJob(deps, key) }, ctx.clock);
  const orphans = runController({ name: 'job-controller-orphans', reconcile: (key) => syncOrphanPod(deps, key) }, ctx.clock);
  const batched = (key: string): void => main.queue.addAfter(key, SYNC_JOB_BATCH_PERIOD_MS);

  /** The job owning a pod per its controller reference, from the cache (resolveControllerRef). */
  const ownerJob = (p: Readonly<KubeObject>): Readonly<Job> | undefined => {
    const ref = p.metadata.ownerReferences?.find((r) => r.controller);
    if (!ref || ref.kind !== 'Job') return undefined;
    const job = jobs.get(`${p.metadata.namespace ?? ''}/${ref.name}`) as Readonly<Job> | undefined;
    return job?.metadata.uid === ref.uid ? job : undefined;
  };
  const onPod = (p: Readonly<KubeObject>): void => {
    const job = ownerJob(p);
    const tracked = (p.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);
    if (!job || (isJobFinished(job) && p.metadata.deletionTimestamp)) {
      if (tracked) orphans.queue.add(objectKey(p));
      return;
    }
    batched(objectKey(job));
  };
  /** A finished or deleted job's pods must not keep the finalizer (cleanupPodFinalizers). */
  const cleanupPodFinalizers = (job: Readonly<KubeObject>): void => {
    for (const p of pods.list(job.metadata.namespace ?? '')) {
      const ref = p.metadata.ownerReferences?.find((r) => r.controller);
      if (ref?.uid === job.metadata.uid && (p.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER)) orphans.queue.add(objectKey(p));
    }
  };
  pods.on({ add: onPod, update: (old, cur) => (old.metadata.resourceVersion !== cur.metadata.resourceVersion ? onPod(cur) : undefined), delete: onPod });
  jobs.on({
    add: (j) => main.queue.add(objectKey(j)),
    update: (old, cur) => {
      // Spec changes sync at once; status-only changes (often our own) are batched.
      if (old.metadata.generation === cur.metadata.generation) batched(objectKey(cur));
      else main.queue.add(objectKey(cur));
      if (isJobFinished(cur as Job)) cleanupPodFinalizers(cur);
    },
    delete: (j) => {
      backoff.remove(objectKey(j));
      cleanupPodFinalizers(j);
    },
  });
  return () => {
    main.stop();
    orphans.stop();
  };
}

/** Removes the tracking finalizer of a pod whose job is gone or finished (syncOrphanPod). */
function syncOrphanPod(deps: JobDeps, key: string): void {
  const [namespace = '', name = ''] = key.split('/');
  const pod = deps.client.get('pods', { namespace, name }) as Pod | undefined;
  if (!pod || !hasJobTrackingFinalizer(pod)) return;
  const ref = pod.metadata.ownerReferences?.find((r) => r.controller);
  if (ref) {
    if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
    const job = deps.client.get('jobs.batch', { namespace, name: ref.name }) as Job | undefined;
    if (job && job.metadata.uid === ref.uid && !isJobFinished(job)) return;
  }
  deps.client.mutate('pods', { namespace, name }, (cur) => {
    cur.metadata.finalizers = (cur.metadata.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER);
    return cur;
  });
}

/** The job's pods: those whose controller reference is the job (read through the client). */
function getPodsForJob(deps: JobDeps, job: Job): Pod[] {
  const selector = job.spec.manualSelector ? undefined : labelSelectorString(job.spec.selector);
  const opts = { namespace: job.metadata.namespace ?? '', ...(selector ? { labelSelector: selector } : {}) };
  return (deps.client.list('pods', opts) as Pod[]).filter((p) => p.metadata.ownerReferences?.some((r) => r.controller && r.uid === job.metadata.uid));
}

/** syncJob: one level-based pass over a job key. */
export function syncJob(deps: JobDeps, key: string): void {
  const [namespace = '', name = ''] = key.split('/');
  const stored = deps.client.get('jobs.batch', { namespace, name }) as Job | undefined;
  if (!stored) {
    deps.backoff.remove(key);
    return;
  }
  // Jobs managed by another controller (spec.managedBy) are left alone.
  if (stored.spec.managedBy && stored.spec.managedBy !== 'kubernetes.io/job-controller') return;
  if (isJobFinished(stored)) {
    deps.backoff.remove(key);
    return;
  }
  const jobCtx = newSyncJobCtx(deps, key, cloneJSON(stored));
  const job = jobCtx.job;
  if (!job.status!.startTime && !job.spec.suspend) job.status!.startTime = rfc3339(deps.clock.now());
  evaluateFinish(deps, jobCtx);
  let active = jobCtx.activePods.length;
  let suspendChanged = false;
  if (jobCtx.finishedCondition) {
    const d = deleteActivePods(deps, job, jobCtx.activePods);
    // Not finished while deletions failed: retry on the next sync.
    if (d.deleted !== active) jobCtx.finishedCondition = undefined;
    active -= d.deleted;
    jobCtx.terminating += d.deleted;
    jobCtx.ready -= d.deletedReady;
  } else {
    const managed = !job.metadata.deletionTimestamp;
    if (managed) active = manageJob(deps, jobCtx);
    const complete = job.spec.completions === undefined ? jobCtx.succeeded > 0 && active === 0 : jobCtx.succeeded >= job.spec.completions && active === 0;
    if (complete) jobCtx.finishedCondition = newCondition('SuccessCriteriaMet', 'True', REASON_COMPLETIONS_REACHED, MSG_COMPLETIONS_REACHED, deps.clock.now());
    else if (managed) suspendChanged = updateSuspendCondition(deps, job);
  }
  const s = job.status!;
  const needsStatusUpdate = suspendChanged || active !== (s.active ?? 0) || jobCtx.ready !== s.ready || jobCtx.terminating !== s.terminating;
  s.active = active;
  s.ready = jobCtx.ready;
  s.terminating = jobCtx.terminating;
  trackJobStatusAndRemoveFinalizers(deps, jobCtx, needsStatusUpdate);
}

function newSyncJobCtx(deps: JobDeps, key: string, job: Job): SyncJobCtx {
  job.status ??= {};
  job.status.uncountedTerminatedPods ??= {};
  const u = job.status.uncountedTerminatedPods;
  const pods = getPodsForJob(deps, job);
  const activePods = pods.filter(isPodActive);
  const uncounted = { succeeded: new Set(u.succeeded ?? []), failed: new Set(u.failed ?? []) };
  const jobCtx: SyncJobCtx = {
    key, job, pods, activePods, uncounted,
    ready: activePods.filter(isPodReady).length,
    terminating: pods.filter(isPodTerminating).length,
    succeeded: 0, failed: 0,
    newBackoffRecord: { key, failuresAfterLastSuccess: 0 },
  };
  const fresh = (p: Pod, set: Set<string>): boolean => {
    if (!hasJobTrackingFinalizer(p) || set.has(p.metadata.uid ?? '')) return false;
    const ix = getCompletionIndex(p);
    return !isIndexedJob(job) || (ix !== UNKNOWN_COMPLETION_INDEX && ix < (job.spec.completions ?? 0));
  };
  const newSucceeded = pods.filter((p) => fresh(p, uncounted.succeeded) && p.status?.phase === 'Succeeded');
  const newFailed = pods.filter((p) => fresh(p, uncounted.failed) && isPodFailed(p, job));
  const counted = newFailed.filter((p) => matchPodFailurePolicy(job, p).countFailed).length;
  jobCtx.succeeded = (job.status.succeeded ?? 0) + newSucceeded.length + uncounted.succeeded.size;
  jobCtx.failed = (job.status.failed ?? 0) + counted + uncounted.failed.size;
  jobCtx.newBackoffRecord = deps.backoff.newBackoffRecord(key, newSucceeded, newFailed);
  if (isIndexedJob(job)) {
    const { prev, all } = calculateSucceededIndexes(job, pods);
    [jobCtx.prevSucceededIndexes, jobCtx.succeededIndexes] = [prev, all];
    jobCtx.succeeded = totalIndexes(all);
  }
  return jobCtx;
}

/**
 * Decides whether the job is failing: an existing FailureTarget, a FailJob pod-failure-policy
 * rule, the backoff limit, or the active deadline (which otherwise schedules a re-check).
 */
function evaluateFinish(deps: JobDeps, jobCtx: SyncJobCtx): void {
  const { job } = jobCtx;
  const now = deps.clock.now();
  const met = findCondition(job, 'SuccessCriteriaMet');
  if (met?.status === 'True') {
    jobCtx.finishedCondition = met;
    return;
  }
  const target = findCondition(job, 'FailureTarget');
  if (target?.status === 'True') {
    jobCtx.finishedCondition = newCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
    return;
  }
  const failJob = getFailJobMessage(job, jobCtx.pods);
  if (failJob) {
    jobCtx.finishedCondition = newCondition('FailureTarget', 'True', REASON_POD_FAILURE_POLICY, failJob, now);
    return;
  }
  if (jobCtx.failed > (job.spec.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, jobCtx.pods)) {
    jobCtx.finishedCondition = newCondition('FailureTarget', 'True', REASON_BACKOFF_LIMIT_EXCEEDED, MSG_BACKOFF_LIMIT_EXCEEDED, now);
  } else if (pastActiveDeadline(job, now)) {
    jobCtx.finishedCondition = newCondition('FailureTarget', 'True', REASON_DEADLINE_EXCEEDED, MSG_DEADLINE_EXCEEDED, now);
  } else if (job.spec.activeDeadlineSeconds !== undefined && !job.spec.suspend && job.status?.startTime) {
    deps.enqueueAfter(jobCtx.key, job.spec.activeDeadlineSeconds * 1000 - (now - Date.parse(job.status.startTime)));
  }
}

/** With restartPolicy OnFailure, container restarts of running pods count against the backoff limit. */
function pastBackoffLimitOnFailure(job: Job, pods: Pod[]): boolean {
  if (job.spec.template.spec.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const cs of [...(p.status.initContainerStatuses ?? []), ...(p.status.containerStatuses ?? [])]) restarts += cs.restartCount ?? 0;
  }
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

function pastActiveDeadline(job: Job, nowMs: number): boolean {
  if (job.spec.activeDeadlineSeconds === undefined || !job.status?.startTime || job.spec.suspend) return false;
  return nowMs - Date.parse(job.status.startTime) >= job.spec.activeDeadlineSeconds * 1000;
}

/** Suspended=True on suspend, Suspended=False (JobResumed) on resume, with their events. */
function updateSuspendCondition(deps: JobDeps, job: Job): boolean {
  const now = deps.clock.now();
  const status = job.status!;
  if (job.spec.suspend) {
    const r = ensureJobConditionStatus(status.conditions ?? [], newCondition('Suspended', 'True', 'JobSuspended', 'Job suspended', now));
    status.conditions = r.list;
    if (r.updated) deps.recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
    return r.updated;
  }
  const r = ensureJobConditionStatus(status.conditions ?? [], newCondition('Suspended', 'False', 'JobResumed', 'Job resumed', now));
  status.conditions = r.list;
  if (!r.updated) return false;
  deps.recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
  // activeDeadlineSeconds counts continuous activity, so a resumed job starts its clock again.
  status.startTime = rfc3339(now);
  return true;
}
