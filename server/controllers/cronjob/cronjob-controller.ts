/**
 * The CronJob controller (`cronjob-controller`): creates a Job per schedule time on the virtual
 * clock, applies the concurrency policy and startingDeadlineSeconds, tracks status.active,
 * lastScheduleTime and lastSuccessfulTime, and prunes finished Jobs beyond the history limits.
 * Port of kubernetes pkg/controller/cronjob/cronjob_controllerv2.go (sync, syncCronJob,
 * cleanupFinishedJobs, removeOldestJobs, deleteJob and the informer handlers).
 */
import type { KubeObject } from '../../../schemas/types/meta.js';
import { rfc3339 } from '../../clock.js';
import type { ClusterContext } from '../../cluster.js';
import type { LocalClient } from '../../client/api-client.js';
import { StatusError } from '../../api/errors.js';
import { objectKey } from '../../informers/informer.js';
import type { EventRecorder } from '../events.js';
import { runController, type Result } from '../runner.js';
import { finishedCondition, isJobFinished, isJobSucceeded } from '../job/conditions.js';
import type { Job } from '../job/types.js';
import { CronParseError, parseCronSchedule, type CronSchedule } from './cron-schedule.js';
import type { CronJob, ObjectReference } from './types.js';
import { compareJobStartTime, formatRFC1123Z, getJobFromTemplate, getJobName, nextScheduleTime, nextScheduleTimeDuration } from './utils.js';
import { cloneJSON } from '../../registry/strategy.js';
import { KUBE_CONTROLLER_MANAGER } from '../field-managers.js';

interface Deps {
  client: LocalClient;
  recorder: EventRecorder;
  now(): number;
}

/** Starts the CronJob controller on the shared cronjob and job informers. */
export function startCronJobController(ctx: ClusterContext): () => void {
  const deps: Deps = { client: ctx.client(KUBE_CONTROLLER_MANAGER), recorder: ctx.recorder({ component: 'cronjob-controller' }), now: () => ctx.clock.now() };
  const cronJobs = ctx.informers.for('cronjobs.batch');
  const jobs = ctx.informers.for('jobs.batch');
  const { queue, stop } = runController({ name: 'cronjob-controller', reconcile: (key) => sync(deps, key) }, ctx.clock);
  const enqueueOwner = (j: Readonly<KubeObject>): void => {
    const ref = j.metadata.ownerReferences?.find((r) => r.controller);
    if (ref?.kind !== 'CronJob') return;
    const cj = cronJobs.get(`${j.metadata.namespace ?? ''}/${ref.name}`);
    if (cj?.metadata.uid === ref.uid) queue.add(objectKey(cj));
  };
  jobs.on({ add: enqueueOwner, update: (old, cur) => (enqueueOwner(old), enqueueOwner(cur)), delete: enqueueOwner });
  cronJobs.on({
    add: (cj) => queue.add(objectKey(cj)),
    update: (old, cur) => {
      const [o, c] = [old as CronJob, cur as CronJob];
      if (o.spec.schedule === c.spec.schedule && o.spec.timeZone === c.spec.timeZone) return queue.add(objectKey(cur));
      // A new schedule moves the next requeue; the sync itself reports parse problems.
      try {
        const after = nextScheduleTimeDuration(c, deps.now(), parseCronSchedule(c.spec.schedule, c.spec.timeZone));
        if (after !== undefined) queue.addAfter(objectKey(cur), after);
      } catch (e) {
        if (!(e instanceof CronParseError)) throw e;
        deps.recorder.event(c, 'Warning', 'UnParseableCronJobSchedule', `unparseable schedule for cronjob: ${c.spec.schedule}`);
      }
    },
  });
  return stop;
}

/** sync: prune history, run the schedule, write the status once. */
function sync(deps: Deps, key: string): Result | void {
  const [namespace = '', name = ''] = key.split('/');
  const stored = deps.client.get('cronjobs.batch', { namespace, name }) as CronJob | undefined;
  if (!stored) return;
  const cj = cloneJSON(stored);
  cj.status ??= {};
  const owned = (deps.client.list('jobs.batch', { namespace }) as Job[]).filter((j) => j.metadata.ownerReferences?.some((r) => r.controller && r.uid === cj.metadata.uid));
  const cleaned = cleanupFinishedJobs(deps, cj, owned);
  const { requeueAfterMs, updateStatus } = syncCronJob(deps, cj, owned);
  if (cleaned || updateStatus) {
    const s = cj.status;
    const status = { ...(s.active?.length ? { active: s.active } : {}), ...(s.lastScheduleTime ? { lastScheduleTime: s.lastScheduleTime } : {}), ...(s.lastSuccessfulTime ? { lastSuccessfulTime: s.lastSuccessfulTime } : {}) };
    deps.client.mutate('cronjobs.batch', { namespace, name }, (cur) => ({ ...cur, status }), { status: true });
  }
  return requeueAfterMs === undefined ? undefined : { requeueAfterMs };
}

/** Deletes a job (Background) and drops it from status.active, with SuccessfulDelete / FailedDelete. */
function deleteJob(deps: Deps, cj: CronJob, job: Readonly<Job>): boolean {
  try {
    deps.client.delete('jobs.batch', { namespace: job.metadata.namespace ?? '', name: job.metadata.name ?? '' }, { propagationPolicy: 'Background' });
  } catch (e) {
    deps.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
  cj.status!.active = (cj.status!.active ?? []).filter((r) => r.uid !== job.metadata.uid);
  deps.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name ?? ''}`);
  return true;
}

/** Keeps the newest successfulJobsHistoryLimit Complete and failedJobsHistoryLimit Failed jobs. */
function cleanupFinishedJobs(deps: Deps, cj: CronJob, jobs: Job[]): boolean {
  let updated = false;
  const groups: Array<[number | undefined, Job[]]> = [
    [cj.spec.successfulJobsHistoryLimit, jobs.filter((j) => finishedCondition(j)?.type === 'Complete')],
    [cj.spec.failedJobsHistoryLimit, jobs.filter((j) => finishedCondition(j)?.type === 'Failed')],
  ];
  for (const [limit, list] of groups) {
    if (limit === undefined || list.length <= limit) continue;
    list.sort(compareJobStartTime);
    for (const j of list.slice(0, list.length - limit)) updated = deleteJob(deps, cj, j) || updated;
  }
  return updated;
}

/**
 * Reconciles status.active with the owned jobs: finished ones leave it (SawCompletedJob), unknown
 * running ones are reported (UnexpectedJob), vanished ones are dropped (MissingJob).
 */
function reconcileActive(deps: Deps, cj: CronJob, jobs: Job[]): boolean {
  let updated = false;
  const status = cj.status!;
  const inActive = (uid?: string): boolean => (status.active ?? []).some((r) => r.uid === uid);
  for (const j of jobs) {
    const found = inActive(j.metadata.uid);
    if (!found && !isJobFinished(j)) {
      deps.recorder.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata.name ?? ''}`);
    } else if (found && isJobFinished(j)) {
      status.active = (status.active ?? []).filter((r) => r.uid !== j.metadata.uid);
      deps.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name ?? ''}, condition: ${finishedCondition(j)!.type}`);
      updated = true;
    } else if (isJobSucceeded(j) && j.status?.completionTime) {
      const last = status.lastSuccessfulTime;
      if (!last || Date.parse(j.status.completionTime) > Date.parse(last)) {
        status.lastSuccessfulTime = j.status.completionTime;
        updated = true;
      }
    }
  }
  for (const ref of [...(status.active ?? [])]) {
    if (jobs.some((j) => j.metadata.uid === ref.uid)) continue;
    if (deps.client.get('jobs.batch', { namespace: ref.namespace ?? '', name: ref.name ?? '' })) continue;
    deps.recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name ?? ''}`);
    status.active = (status.active ?? []).filter((r) => r.uid !== ref.uid);
    updated = true;
  }
  return updated;
}

interface SyncResult {
  requeueAfterMs?: number;
  updateStatus: boolean;
}

/** The schedule checks before a job may start; a result means: do not start now. */
function checkSchedule(deps: Deps, cj: CronJob, updateStatus: boolean): { sched: CronSchedule; scheduledMs: number } | SyncResult {
  if (cj.metadata.deletionTimestamp || cj.spec.suspend) return { updateStatus };
  const tz = cj.spec.timeZone;
  if (tz !== undefined && !isKnownZone(tz)) {
    deps.recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: "${tz}": unknown time zone ${tz}`);
    return { updateStatus };
  }
  if (cj.spec.schedule.includes('TZ')) {
    deps.recorder.event(cj, 'Warning', 'UnsupportedSchedule', `CRON_TZ or TZ used in schedule "${cj.spec.schedule}" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`);
  }
  let sched: CronSchedule;
  try {
    sched = parseCronSchedule(cj.spec.schedule, tz);
  } catch (e) {
    deps.recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: "${cj.spec.schedule}" : ${(e as Error).message}`);
    return { updateStatus };
  }
  const now = deps.now();
  const next = nextScheduleTime(cj, now, sched, deps.recorder);
  if (next.error) {
    deps.recorder.event(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${cj.spec.schedule} : ${next.error}`);
    return { updateStatus };
  }
  const requeue = { requeueAfterMs: nextScheduleTimeDuration(cj, now, sched), updateStatus };
  if (next.timeMs === undefined) return requeue;
  const deadline = cj.spec.startingDeadlineSeconds;
  if (deadline !== undefined && next.timeMs + deadline * 1000 < now) {
    deps.recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${formatRFC1123Z(next.timeMs)}`);
    return requeue;
  }
  const name = getJobName(cj, next.timeMs);
  if ((cj.status!.active ?? []).some((r) => r.name === name) || cj.status!.lastScheduleTime === rfc3339(next.timeMs)) return requeue;
  return { sched, scheduledMs: next.timeMs };
}

function isKnownZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.toLowerCase() !== 'local' && tz !== '';
  } catch {
    return false;
  }
}

/** syncCronJob: active-list bookkeeping, then at most one Job for the most recent unmet time. */
function syncCronJob(deps: Deps, cj: CronJob, jobs: Job[]): SyncResult {
  let updateStatus = reconcileActive(deps, cj, jobs);
  const checked = checkSchedule(deps, cj, updateStatus);
  if (!('sched' in checked)) return checked;
  const { sched, scheduledMs } = checked;
  const status = cj.status!;
  const requeueAfterMs = (): number | undefined => nextScheduleTimeDuration(cj, deps.now(), sched);
  if (cj.spec.concurrencyPolicy === 'Forbid' && (status.active ?? []).length > 0) {
    deps.recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
    return { requeueAfterMs: requeueAfterMs(), updateStatus };
  }
  if (cj.spec.concurrencyPolicy === 'Replace') {
    for (const ref of [...(status.active ?? [])]) {
      const job = deps.client.get('jobs.batch', { namespace: ref.namespace ?? '', name: ref.name ?? '' }) as Job | undefined;
      if (!job) {
        deps.recorder.event(cj, 'Warning', 'FailedGet', `Get job: jobs.batch "${ref.name ?? ''}" not found`);
        throw new Error(`getting job ${ref.name ?? ''}`);
      }
      if (!deleteJob(deps, cj, job)) throw new Error(`could not replace job ${ref.namespace ?? ''}/${ref.name ?? ''}`);
      updateStatus = true;
    }
  }
  const created = createJob(deps, cj, scheduledMs);
  if (!created) return { updateStatus };
  status.active = [...(status.active ?? []), jobRef(created)];
  status.lastScheduleTime = rfc3339(scheduledMs);
  return { requeueAfterMs: requeueAfterMs(), updateStatus: true };
}

/** Creates the Job for a schedule time; an existing one of ours not yet in active is taken over. */
function createJob(deps: Deps, cj: CronJob, scheduledMs: number): Job | undefined {
  const req = getJobFromTemplate(cj, scheduledMs);
  try {
    const created = deps.client.create('jobs.batch', req) as Job;
    deps.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name ?? ''}`);
    return created;
  } catch (e) {
    if (!(e instanceof StatusError)) throw e;
    if (e.code === 409) {
      const existing = deps.client.get('jobs.batch', { namespace: cj.metadata.namespace ?? '', name: req.metadata.name ?? '' }) as Job | undefined;
      const ours = existing?.metadata.ownerReferences?.some((r) => r.controller && r.uid === cj.metadata.uid);
      if (!existing || !ours || (cj.status?.active ?? []).some((r) => r.uid === existing.metadata.uid)) return undefined;
      return existing;
    }
    if (e.code !== 403) deps.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${e.message}`);
    throw e;
  }
}

function jobRef(j: Job): ObjectReference {
  return { kind: 'Job', namespace: j.metadata.namespace, name: j.metadata.name, uid: j.metadata.uid, apiVersion: 'batch/v1', resourceVersion: j.metadata.resourceVersion };
}
