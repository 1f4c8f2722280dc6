/**
 * Schedule arithmetic and Job construction of the CronJob controller. Port of kubernetes
 * pkg/controller/cronjob/utils.go (mostRecentScheduleTime, nextScheduleTime,
 * nextScheduleTimeDuration, getJobFromTemplate2, byJobStartTime) and getJobName of
 * cronjob_controllerv2.go.
 */
import type { EventRecorder } from '../events.js';
import type { Job } from '../job/types.js';
import { controllerRef } from '../job/manage.js';
import { formatRFC3339In, type CronSchedule } from './cron-schedule.js';
import type { CronJob } from './types.js';
import { cloneJSON } from '../../registry/strategy.js';

/** Annotation with the job's nominal start time (CronJobScheduledTimestampAnnotation). */
export const CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** Requeues land this long after the schedule time so the time is surely due (nextScheduleDelta). */
export const NEXT_SCHEDULE_DELTA_MS = 100;
/** Beyond this many missed start times the controller warns instead of listing them. */
export const MAX_MISSED_SCHEDULES = 100;

/** The most recent missed time (undefined if none is due), how many were missed roughly, or an error. */
export interface MostRecent {
  earliestMs: number;
  mostRecentMs?: number;
  missed: number;
  error?: string;
}

function earliestTime(cj: CronJob): number {
  return Date.parse(cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp ?? '') || 0;
}

/**
 * mostRecentScheduleTime: the latest schedule time after max(lastScheduleTime, creation, and with
 * the deadline now − startingDeadlineSeconds) that is not after now. The number of misses is
 * estimated from the interval between two consecutive schedule times, as upstream does.
 */
export function mostRecentScheduleTime(cj: CronJob, nowMs: number, sched: CronSchedule, includeDeadline: boolean): MostRecent {
  let earliestMs = earliestTime(cj);
  const deadline = cj.spec.startingDeadlineSeconds;
  if (includeDeadline && deadline !== undefined) earliestMs = Math.max(earliestMs, nowMs - deadline * 1000);
  const t1 = sched.next(earliestMs);
  const t2 = sched.next(t1);
  if (nowMs < t1) return { earliestMs, missed: 0 };
  if (nowMs < t2) return { earliestMs, mostRecentMs: t1, missed: 0 };
  const between = Math.round((t2 - t1) / 1000);
  if (between < 1) return { earliestMs, missed: 0, error: 'time difference between two schedules is less than 1 second' };
  const missed = Math.floor(Math.floor((nowMs - t1) / 1000) / between) + 1;
  // Start one interval early and let the schedule find the exact times (irregular schedules).
  const potentialEarliest = t1 + (missed - 2) * between * 1000;
  let mostRecentMs: number | undefined;
  for (let t = sched.next(potentialEarliest); t !== 0 && t <= nowMs; t = sched.next(t)) mostRecentMs = t;
  return { earliestMs, mostRecentMs, missed };
}

/** nextScheduleTime: the unmet time to start now, warning TooManyMissedTimes past 100 misses. */
export function nextScheduleTime(cj: CronJob, nowMs: number, sched: CronSchedule, recorder: EventRecorder): { timeMs?: number; error?: string } {
  const r = mostRecentScheduleTime(cj, nowMs, sched, true);
  if (r.mostRecentMs === undefined || r.mostRecentMs > nowMs) return { error: r.error };
  if (r.missed > MAX_MISSED_SCHEDULES) {
    recorder.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
  }
  return { timeMs: r.mostRecentMs, error: r.error };
}

/** How long until the next schedule time (plus the delta), or undefined when there is none. */
export function nextScheduleTimeDuration(cj: CronJob, nowMs: number, sched: CronSchedule): number | undefined {
  const r = mostRecentScheduleTime(cj, nowMs, sched, false);
  const from = r.error ? nowMs : (r.mostRecentMs ?? r.earliestMs);
  const next = sched.next(from);
  return next === 0 ? undefined : next + NEXT_SCHEDULE_DELTA_MS - nowMs;
}

/** `<cronjob>-<scheduled time in minutes since the epoch>`. */
export function getJobName(cj: CronJob, scheduledMs: number): string {
  return `${cj.metadata.name ?? ''}-${Math.floor(scheduledMs / 60_000)}`;
}

/** The Job for a scheduled time: the template's labels, annotations and spec, owned by the CronJob. */
export function getJobFromTemplate(cj: CronJob, scheduledMs: number): Job {
  const t = cloneJSON(cj.spec.jobTemplate);
  const annotations = { ...(t.metadata?.annotations ?? {}), [CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]: formatRFC3339In(scheduledMs, cj.spec.timeZone) };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: getJobName(cj, scheduledMs),
      namespace: cj.metadata.namespace,
      ...(t.metadata?.labels ? { labels: { ...t.metadata.labels } } : {}),
      annotations,
      ownerReferences: [controllerRef(cj, 'batch/v1', 'CronJob')],
    },
    spec: t.spec,
  };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.RFC1123Z layout in UTC: `Thu, 01 Jan 2026 00:01:00 +0000`. */
export function formatRFC1123Z(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** byJobStartTime: by status.startTime (jobs without one last), then by name. */
export function compareJobStartTime(a: Readonly<Job>, b: Readonly<Job>): number {
  const sa = a.status?.startTime;
  const sb = b.status?.startTime;
  if (sa && !sb) return -1;
  if (!sa && sb) return 1;
  if (sa && sb && sa !== sb) return Date.parse(sa) - Date.parse(sb);
  return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}
