import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const at = (s: number) => new Date(NOW + s * 1000).toISOString();
const TEN_YEARS_S = 10 * 365 * 24 * 3600;

function cells(obj: Record<string, unknown>): unknown[] {
  const table = toTable([obj as KubeObject], { group: 'batch', plural: 'jobs', includeObject: 'None', now: NOW });
  return (table.rows as Array<{ cells: unknown[] }>)[0]?.cells ?? [];
}

const template = { spec: { containers: [{ name: 'fake-job-container1', image: 'fake-job-image1' }, { name: 'fake-job-container2', image: 'fake-job-image2' }] } };
const cond = (type: string) => ({ conditions: [{ type, status: 'True' }] });

// From upstream TestPrintJob and TestPrintJobList, plus parallelism and ordering cases.
describe('job cells', () => {
  const cases: Array<[name: string, obj: Record<string, unknown>, want: unknown[]]> = [
    [
      'running with completions, wide columns',
      { metadata: { name: 'job1', creationTimestamp: at(1.9) }, spec: { completions: 2, template, selector: { matchLabels: { 'job-label': 'job-label-value' } } }, status: { succeeded: 1 } },
      ['job1', 'Running', '1/2', '', '0s', 'fake-job-container1,fake-job-container2', 'fake-job-image1,fake-job-image2', 'job-label=job-label-value'],
    ],
    ['ten-year age', { metadata: { name: 'job2', creationTimestamp: at(-TEN_YEARS_S) }, spec: {}, status: { succeeded: 0 } }, ['job2', 'Running', '0/1', '', '10y', '', '', '<none>']],
    [
      'duration from start to completion',
      { metadata: { name: 'job3', creationTimestamp: at(-TEN_YEARS_S) }, spec: {}, status: { startTime: at(60), completionTime: at(31 * 60) } },
      ['job3', 'Running', '0/1', '30m', '10y', '', '', '<none>'],
    ],
    ['duration while running', { metadata: { name: 'job4', creationTimestamp: at(-TEN_YEARS_S) }, spec: {}, status: { startTime: at(-20 * 60) } }, ['job4', 'Running', '0/1', '20m', '10y', '', '', '<none>']],
    ['complete', { metadata: { name: 'job5', creationTimestamp: at(1.9) }, spec: {}, status: cond('Complete') }, ['job5', 'Complete', '0/1', '', '0s', '', '', '<none>']],
    ['failed', { metadata: { name: 'job6', creationTimestamp: at(1.9) }, spec: {}, status: cond('Failed') }, ['job6', 'Failed', '0/1', '', '0s', '', '', '<none>']],
    ['suspended', { metadata: { name: 'job7', creationTimestamp: at(1.9) }, spec: {}, status: cond('Suspended') }, ['job7', 'Suspended', '0/1', '', '0s', '', '', '<none>']],
    ['failure target', { metadata: { name: 'job8', creationTimestamp: at(1.9) }, spec: {}, status: cond('FailureTarget') }, ['job8', 'FailureTarget', '0/1', '', '0s', '', '', '<none>']],
    ['terminating', { metadata: { name: 'job9', creationTimestamp: at(1.9), deletionTimestamp: at(1.9) }, spec: {} }, ['job9', 'Terminating', '0/1', '', '0s', '', '', '<none>']],
    ['complete wins over terminating', { metadata: { name: 'j', deletionTimestamp: at(0) }, spec: { completions: 1 }, status: { succeeded: 1, ...cond('Complete') } }, ['j', 'Complete', '1/1', '', '<unknown>', '', '', '<none>']],
    ['terminating wins over suspended', { metadata: { name: 'j', deletionTimestamp: at(0) }, spec: {}, status: cond('Suspended') }, ['j', 'Terminating', '0/1', '', '<unknown>', '', '', '<none>']],
    ['a False condition does not count', { metadata: { name: 'j' }, spec: {}, status: { conditions: [{ type: 'Complete', status: 'False' }] } }, ['j', 'Running', '0/1', '', '<unknown>', '', '', '<none>']],
    ['work queue with parallelism', { metadata: { name: 'j' }, spec: { parallelism: 3 }, status: { succeeded: 1 } }, ['j', 'Running', '1/1 of 3', '', '<unknown>', '', '', '<none>']],
  ];
  for (const [name, obj, want] of cases) it(name, () => assert.deepEqual(cells(obj), want));
});
