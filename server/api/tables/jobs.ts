// Job columns. Port of printJob in kubernetes pkg/printers/internalversion/printers.go.
import type { Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import { humanDuration, parseTimestamp } from '../../../schemas/format/human-duration.js';
import { formatLabelSelector } from '../../../schemas/format/labels.js';
import { ageColumn, col, containerColumns, int, nameColumn, view, type Column } from './table.js';

function hasJobCondition(conditions: JobCondition[] | undefined, type: string): boolean {
  // The first condition of the type decides, as hasJobCondition does upstream.
  const c = (conditions ?? []).find((x) => x.type === type);
  return c?.status === 'True';
}

/**
 * The Job STATUS cell: Complete, Failed, Terminating, Suspended, FailureTarget or Running, checked in that order.
 * @example jobStatus(job) // 'Complete'
 */
export function jobStatus(job: Job): string {
  const conditions = job.status?.conditions;
  if (hasJobCondition(conditions, 'Complete')) return 'Complete';
  if (hasJobCondition(conditions, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasJobCondition(conditions, 'Suspended')) return 'Suspended';
  if (hasJobCondition(conditions, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/**
 * The COMPLETIONS cell: `<succeeded>/<completions>`, or `<succeeded>/1 of <parallelism>` for work-queue jobs.
 * @example jobCompletions(job) // '1/2'
 */
export function jobCompletions(job: Job): string {
  const succeeded = int(job.status?.succeeded);
  const completions = job.spec?.completions;
  if (completions !== undefined && completions !== null) return `${succeeded}/${completions}`;
  const parallelism = int(job.spec?.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/**
 * The DURATION cell: empty before the job starts, time since start while running, start to completion when done.
 * @example jobDuration(job, now) // '30m'
 */
export function jobDuration(job: Job, now: number): string {
  const start = parseTimestamp(job.status?.startTime);
  if (start === undefined) return '';
  const completion = parseTimestamp(job.status?.completionTime);
  return humanDuration((completion ?? now) - start);
}

/** Job columns: Name, Status, Completions, Duration, Age, and wide Containers, Images, Selector. */
export function jobColumns(): Column[] {
  const job = view<Job>;
  return [
    nameColumn(),
    col({ name: 'Status', description: 'Status of the job.' }, (o) => jobStatus(job(o))),
    col(
      { name: 'Completions', description: 'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.' },
      (o) => jobCompletions(job(o)),
    ),
    col({ name: 'Duration', description: 'Time required to complete the job.' }, (o, now) => jobDuration(job(o), now)),
    ageColumn(),
    ...containerColumns((o) => job(o).spec?.template?.spec?.containers),
    col(
      { name: 'Selector', priority: 1, description: 'A label query over pods that should match the pod count. Normally, the system sets this field for you.' },
      (o) => formatLabelSelector(job(o).spec?.selector),
    ),
  ];
}
