import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const soon = new Date(NOW + 1900).toISOString();

function cells(obj: Record<string, unknown>): unknown[] {
  const table = toTable([obj as KubeObject], { group: 'apps', plural: 'daemonsets', includeObject: 'None', now: NOW });
  return (table.rows as Array<{ cells: unknown[] }>)[0]?.cells ?? [];
}

// From upstream TestPrintDaemonSet and TestPrintDaemonSetList.
describe('daemonset cells', () => {
  const cases: Array<[name: string, obj: Record<string, unknown>, want: unknown[]]> = [
    [
      'counts, no node selector, wide columns',
      {
        metadata: { name: 'test1', creationTimestamp: soon },
        spec: { template: { spec: { containers: [{ name: 'fake-container1', image: 'fake-image1' }, { name: 'fake-container2', image: 'fake-image2' }] } }, selector: { matchLabels: { foo: 'bar' } } },
        status: { currentNumberScheduled: 2, desiredNumberScheduled: 3, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 0 },
      },
      ['test1', 3, 2, 1, 2, 0, '<none>', '0s', 'fake-container1,fake-container2', 'fake-image1,fake-image2', 'foo=bar'],
    ],
    [
      'node selector',
      {
        metadata: { name: 'kube-proxy', creationTimestamp: soon },
        spec: { template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [] } }, selector: { matchLabels: { k8s: 'proxy' } } },
        status: { currentNumberScheduled: 4, desiredNumberScheduled: 2, numberReady: 9, updatedNumberScheduled: 3, numberAvailable: 3 },
      },
      ['kube-proxy', 2, 4, 9, 3, 3, 'kubernetes.io/os=linux', '0s', '', '', 'k8s=proxy'],
    ],
  ];
  for (const [name, obj, want] of cases) it(name, () => assert.deepEqual(cells(obj), want));
});
