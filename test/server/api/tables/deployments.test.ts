import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const soon = new Date(NOW + 1900).toISOString();

function cells(obj: Record<string, unknown>): unknown[] {
  const table = toTable([obj as KubeObject], { group: 'apps', plural: 'deployments', includeObject: 'None', now: NOW });
  return (table.rows as Array<{ cells: unknown[] }>)[0]?.cells ?? [];
}

const template = { spec: { containers: [{ name: 'fake-container1', image: 'fake-image1' }, { name: 'fake-container2', image: 'fake-image2' }] } };

// From upstream TestPrintDeployment, plus selector edge cases of printDeployment.
describe('deployment cells', () => {
  const cases: Array<[name: string, obj: Record<string, unknown>, want: unknown[]]> = [
    [
      'ready/desired, up-to-date, available, wide containers and selector',
      {
        metadata: { name: 'test1', creationTimestamp: soon },
        spec: { replicas: 5, template, selector: { matchLabels: { foo: 'bar' } } },
        status: { replicas: 10, updatedReplicas: 2, availableReplicas: 1, unavailableReplicas: 4 },
      },
      ['test1', '0/5', 2, 1, '0s', 'fake-container1,fake-container2', 'fake-image1,fake-image2', 'foo=bar'],
    ],
    [
      'ready replicas and expression selector',
      {
        metadata: { name: 'web', creationTimestamp: '2024-06-01T11:00:00Z' },
        spec: { replicas: 3, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } }, selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] } },
        status: { readyReplicas: 3, updatedReplicas: 3, availableReplicas: 3 },
      },
      ['web', '3/3', 3, 3, '60m', 'nginx', 'nginx:1.25', 'app in (web)'],
    ],
    ['empty selector prints nothing', { metadata: { name: 'd' }, spec: { replicas: 0, selector: {} } }, ['d', '0/0', 0, 0, '<unknown>', '', '', '']],
    ['invalid selector', { metadata: { name: 'd' }, spec: { replicas: 1, selector: { matchExpressions: [{ key: 'a', operator: 'Bogus' }] } } }, ['d', '0/1', 0, 0, '<unknown>', '', '', '<invalid>']],
  ];
  for (const [name, obj, want] of cases) it(name, () => assert.deepEqual(cells(obj), want));
});
