import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const at = (s: number) => new Date(NOW + s * 1000).toISOString();

function cells(obj: Record<string, unknown>): unknown[] {
  const table = toTable([obj as KubeObject], { group: 'batch', plural: 'cronjobs', includeObject: 'None', now: NOW });
  return (table.rows as Array<{ cells: unknown[] }>)[0]?.cells ?? [];
}

const jobTemplate = {
  spec: {
    completions: 2,
    template: { spec: { containers: [{ name: 'fake-job-container1', image: 'fake-job-image1' }, { name: 'fake-job-container2', image: 'fake-job-image2' }] } },
    selector: { matchLabels: { a: 'b' } },
  },
};

// From upstream TestPrintCronJob and TestPrintCronJobList.
describe('cronjob cells', () => {
  const cases: Array<[name: string, obj: Record<string, unknown>, want: unknown[]]> = [
    [
      'basic with wide columns',
      { metadata: { name: 'cronjob1', creationTimestamp: at(1.9) }, spec: { schedule: '0/5 * * * ?', suspend: false, jobTemplate }, status: { lastScheduleTime: at(1.9) } },
      ['cronjob1', '0/5 * * * ?', '<none>', 'False', 0, '0s', '0s', 'fake-job-container1,fake-job-container2', 'fake-job-image1,fake-job-image2', 'a=b'],
    ],
    [
      'time zone',
      { metadata: { name: 'cronjob1', creationTimestamp: at(1.9) }, spec: { schedule: '0/5 * * * ?', timeZone: 'LOCAL', suspend: false, jobTemplate }, status: { lastScheduleTime: at(1.9) } },
      ['cronjob1', '0/5 * * * ?', 'LOCAL', 'False', 0, '0s', '0s', 'fake-job-container1,fake-job-container2', 'fake-job-image1,fake-job-image2', 'a=b'],
    ],
    [
      'last schedule and age',
      { metadata: { name: 'cronjob2', creationTimestamp: at(-300) }, spec: { schedule: '0/5 * * * ?', suspend: false }, status: { lastScheduleTime: at(-30) } },
      ['cronjob2', '0/5 * * * ?', '<none>', 'False', 0, '30s', '5m', '', '', '<none>'],
    ],
    ['never scheduled', { metadata: { name: 'cronjob3', creationTimestamp: at(-300) }, spec: { schedule: '0/5 * * * ?', suspend: false }, status: {} }, ['cronjob3', '0/5 * * * ?', '<none>', 'False', 0, '<none>', '5m', '', '', '<none>']],
    [
      'suspended with active jobs',
      { metadata: { name: 'c', creationTimestamp: at(-60) }, spec: { schedule: '* * * * *', suspend: true }, status: { active: [{ name: 'c-1' }, { name: 'c-2' }], lastScheduleTime: at(-20 * 60) } },
      ['c', '* * * * *', '<none>', 'True', 2, '20m', '60s', '', '', '<none>'],
    ],
    ['suspend unset', { metadata: { name: 'c' }, spec: { schedule: '@hourly' } }, ['c', '@hourly', '<none>', '<unset>', 0, '<none>', '<unknown>', '', '', '<none>']],
  ];
  for (const [name, obj, want] of cases) it(name, () => assert.deepEqual(cells(obj), want));
});
