import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');

// Cells follow printResourceQuota: entries sorted by resource name, `limits.*` in the Limit column.
describe('resourcequota cells', () => {
  const cases: Array<[name: string, status: Record<string, unknown> | undefined, want: [string, string]]> = [
    ['no status', undefined, ['', '']],
    [
      'requests and limits',
      {
        hard: { 'limits.memory': '2Gi', pods: '10', 'requests.cpu': '1', 'limits.cpu': '2' },
        used: { 'limits.memory': '512Mi', pods: '1', 'requests.cpu': '100m', 'limits.cpu': '200m' },
      },
      ['pods: 1/10, requests.cpu: 100m/1', 'limits.cpu: 200m/2, limits.memory: 512Mi/2Gi'],
    ],
    ['unused resource prints zero', { hard: { configmaps: '5' } }, ['configmaps: 0/5', '']],
    // Only a `limits.` prefix counts: a resource named plainly `limits` is a request entry.
    ['bare "limits" is a request', { hard: { limits: '3' }, used: { limits: '1' } }, ['limits: 1/3', '']],
  ];
  for (const [name, status, want] of cases) {
    it(name, () => {
      const table = toTable([{ metadata: { name: 'q' }, status } as KubeObject], { group: '', plural: 'resourcequotas', includeObject: 'None', now: NOW });
      assert.deepEqual((table.rows as Array<{ cells: unknown[] }>)[0]?.cells, ['q', ...want, '<unknown>']);
    });
  }
});
