// CronJob columns. Port of printCronJob in kubernetes pkg/printers/internalversion/printers.go.
import type { CronJob } from 'kubernetes-types/batch/v1.js';
import { translateTimestampSince } from '../../../schemas/format/human-duration.js';
import { formatLabelSelector } from '../../../schemas/format/labels.js';
import { ageColumn, col, containerColumns, nameColumn, view, type Column } from './table.js';

// printBoolPtr: the column is declared boolean but the cell is the string True, False or <unset>.
function boolPtr(value: boolean | null | undefined): string {
  if (value === undefined || value === null) return '<unset>';
  return value ? 'True' : 'False';
}

/** CronJob columns: Name, Schedule, Timezone, Suspend, Active, Last Schedule, Age, and wide Containers, Images, Selector. */
export function cronJobColumns(): Column[] {
  const cj = view<CronJob>;
  return [
    nameColumn(),
    col({ name: 'Schedule', description: 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.' }, (o) => cj(o).spec?.schedule ?? ''),
    col(
      { name: 'Timezone', description: 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process.' },
      (o) => cj(o).spec?.timeZone ?? '<none>',
    ),
    col(
      { name: 'Suspend', type: 'boolean', description: 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.' },
      (o) => boolPtr(cj(o).spec?.suspend),
    ),
    col({ name: 'Active', type: 'integer', description: 'A list of pointers to currently running jobs.' }, (o) => (cj(o).status?.active ?? []).length),
    col({ name: 'Last Schedule', description: 'Information when was the last time the job was successfully scheduled.' }, (o, now) => {
      const last = cj(o).status?.lastScheduleTime;
      return last ? translateTimestampSince(last, now) : '<none>';
    }),
    ageColumn(),
    ...containerColumns((o) => cj(o).spec?.jobTemplate?.spec?.template?.spec?.containers),
    col(
      { name: 'Selector', priority: 1, description: 'A label query over pods that should match the pod count. Normally, the system sets this field for you.' },
      (o) => formatLabelSelector(cj(o).spec?.jobTemplate?.spec?.selector),
    ),
  ];
}
