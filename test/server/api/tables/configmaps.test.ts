import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const soon = new Date(NOW + 1900).toISOString();

// From upstream TestPrintConfigMap.
describe('configmap cells', () => {
  const cases: Array<[name: string, body: Record<string, unknown>, want: number]> = [
    ['no data', {}, 0],
    ['one data entry', { data: { foo: 'bar' } }, 1],
    ['data and binary data', { data: { foo: 'bar' }, binaryData: { bin: 'YmluYXJ5' } }, 2],
  ];
  for (const [name, body, want] of cases) {
    it(name, () => {
      const table = toTable([{ metadata: { name: 'configmap1', creationTimestamp: soon }, ...body } as KubeObject], { group: '', plural: 'configmaps', includeObject: 'None', now: NOW });
      assert.deepEqual((table.rows as Array<{ cells: unknown[] }>)[0]?.cells, ['configmap1', want, '0s']);
    });
  }
});
