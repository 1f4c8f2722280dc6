/**
 * Creating and deleting a job's pods. Port of kubernetes pkg/controller/job/job_controller.go
 * (manageJob, deleteJobPods, deleteActivePods, activePodsForRemoval) and of the pod-from-template
 * part of pkg/controller/controller_utils.go (GetPodFromTemplate, CreatePodsWithGenerateName).
 */
import type { KubeObject, OwnerReference } from '../../../schemas/types/meta.js';
import { getRemainingTime } from './backoff.js';
import type { JobDeps, SyncJobCtx } from './context.js';
import {
  duplicatedIndexPods, firstPendingIndexes, isIndexedJob, JOB_COMPLETION_INDEX_ANNOTATION, JOB_COMPLETION_INDEX_ENV, podGenerateNameWithIndex,
} from './indexed.js';
import { compareForDeletion, isPodReady, JOB_TRACKING_FINALIZER, onlyReplaceFailedPods } from './pods.js';
import type { Container, Job, Pod } from './types.js';
import { cloneJSON } from '../../registry/strategy.js';

/** Most pods created or deleted in one sync (MaxPodCreateDeletePerSync). */
const MAX_POD_CREATE_DELETE_PER_SYNC = 500;

function podKey(p: Pod): { namespace: string; name: string } {
  return { namespace: p.metadata.namespace ?? '', name: p.metadata.name ?? '' };
}

/** Deletes one pod and records SuccessfulDelete / FailedDelete on the job. */
function deletePod(deps: JobDeps, job: Job, p: Pod): boolean {
  try {
    deps.client.delete('pods', podKey(p));
    deps.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name ?? ''}`);
    return true;
  } catch (e) {
    deps.recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
}

/** Counts of successful deletions (all, and of ready pods). */
export interface Deleted {
  deleted: number;
  deletedReady: number;
}

/**
 * deleteJobPods: deletes pods the job no longer wants (excess or suspended); their tracking
 * finalizer is removed first, because such pods do not count as failures.
 */
export function deleteJobPods(deps: JobDeps, job: Job, pods: Pod[]): Deleted {
  const out: Deleted = { deleted: 0, deletedReady: 0 };
  for (const p of pods) {
    if ((p.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER)) {
      deps.client.mutate('pods', podKey(p), (cur) => {
        cur.metadata.finalizers = (cur.metadata.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER);
        return cur;
      });
    }
    if (!deletePod(deps, job, p)) continue;
    out.deleted++;
    if (isPodReady(p)) out.deletedReady++;
  }
  return out;
}

/**
 * deleteActivePods: deletes the active pods of a failed job keeping their finalizers, so the
 * status tracking counts them as failed before they go.
 */
export function deleteActivePods(deps: JobDeps, job: Job, pods: Pod[]): Deleted {
  const out: Deleted = { deleted: 0, deletedReady: 0 };
  for (const p of pods) {
    if (!deletePod(deps, job, p)) continue;
    out.deleted++;
    if (isPodReady(p)) out.deletedReady++;
  }
  return out;
}

/** The active pods to delete: duplicate or invalid indexes first, then by deletion preference. */
function activePodsForRemoval(job: Job, active: Pod[], rmAtLeast: number): Pod[] {
  const first = isIndexedJob(job) ? duplicatedIndexPods(active, job.spec.completions ?? 0) : [];
  const rest = active.filter((p) => !first.includes(p)).sort(compareForDeletion);
  return [...first, ...rest.slice(0, Math.max(0, rmAtLeast - first.length))];
}

/** How many pods should be active (manageJob's wantActive). */
function wantActivePods(job: Job, jobCtx: SyncJobCtx, active: number): number {
  const parallelism = job.spec.parallelism ?? 1;
  // Without completions any success ends the job: leave whatever runs, start nothing new.
  if (job.spec.completions === undefined) return jobCtx.succeeded > 0 ? active : parallelism;
  return Math.max(0, Math.min(job.spec.completions - jobCtx.succeeded, parallelism));
}

/**
 * manageJob: deletes every active pod of a suspended job, deletes excess pods, or creates missing
 * ones (after the failure back-off). Returns the new active count.
 */
export function manageJob(deps: JobDeps, jobCtx: SyncJobCtx): number {
  const { job } = jobCtx;
  let active = jobCtx.activePods.length;
  const remove = (pods: Pod[]): number => {
    const d = deleteJobPods(deps, job, pods);
    jobCtx.terminating += d.deleted;
    jobCtx.ready -= d.deletedReady;
    return active - d.deleted;
  };
  if (job.spec.suspend === true) return remove(activePodsForRemoval(job, jobCtx.activePods, active));
  const wantActive = wantActivePods(job, jobCtx, active);
  const toDelete = activePodsForRemoval(job, jobCtx.activePods, Math.max(0, active - wantActive)).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
  // A sync either deletes or creates; deletion wins.
  if (toDelete.length > 0) return remove(toDelete);
  const terminating = onlyReplaceFailedPods(job) ? jobCtx.terminating : 0;
  let diff = Math.min(wantActive - terminating - active, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (diff <= 0) return active;
  const wait = getRemainingTime(jobCtx.newBackoffRecord, deps.clock.now());
  if (wait > 0) {
    deps.enqueueAfter(jobCtx.key, wait);
    return 0;
  }
  const indexes = isIndexedJob(job) ? firstPendingIndexes(jobCtx.succeededIndexes ?? [], jobCtx.activePods, diff, job.spec.completions ?? 0) : undefined;
  if (indexes) diff = indexes.length;
  for (let i = 0; i < diff; i++) {
    if (!createPod(deps, job, indexes?.[i])) return active + i;
  }
  return active + diff;
}

/** The owner reference controllers put on their children. */
export function controllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** The JOB_COMPLETION_INDEX variable from the index annotation, unless the container sets it. */
function addCompletionIndexEnv(c: Container): void {
  if ((c.env ?? []).some((e) => e.name === JOB_COMPLETION_INDEX_ENV)) return;
  const valueFrom = { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.annotations['${JOB_COMPLETION_INDEX_ANNOTATION}']` } };
  c.env = [...(c.env ?? []), { name: JOB_COMPLETION_INDEX_ENV, valueFrom }];
}

/** A pod for the job from its template (GetPodFromTemplate plus the indexed-mode additions). */
export function podFromTemplate(job: Job, ix?: number): Pod {
  const t = cloneJSON(job.spec.template);
  const name = job.metadata.name ?? '';
  const meta = t.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: ix === undefined ? `${name}-` : podGenerateNameWithIndex(name, ix),
      namespace: job.metadata.namespace,
      labels: { ...(meta.labels ?? {}) },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      finalizers: [...(meta.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER), JOB_TRACKING_FINALIZER],
      ownerReferences: [controllerRef(job, 'batch/v1', 'Job')],
    },
    spec: t.spec,
  };
  if (ix === undefined) return pod;
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) addCompletionIndexEnv(c);
  pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [JOB_COMPLETION_INDEX_ANNOTATION]: String(ix) };
  pod.metadata.labels![JOB_COMPLETION_INDEX_ANNOTATION] = String(ix);
  pod.spec.hostname = `${name}-${ix}`;
  return pod;
}

/** Creates one pod and records SuccessfulCreate / FailedCreate on the job. */
function createPod(deps: JobDeps, job: Job, ix?: number): boolean {
  try {
    const created = deps.client.create('pods', podFromTemplate(job, ix));
    deps.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name ?? ''}`);
    return true;
  } catch (e) {
    deps.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
}
