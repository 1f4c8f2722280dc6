import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const soon = new Date(NOW + 1900).toISOString();

// From upstream TestPrintNamespace.
describe('namespace cells', () => {
  const cases: Array<[name: string, obj: Record<string, unknown>, want: unknown[]]> = [
    ['status and age', { metadata: { name: 'namespace1', creationTimestamp: soon }, status: { phase: 'FooStatus' } }, ['namespace1', 'FooStatus', '0s']],
    ['neither status nor age', { metadata: { name: 'namespace2' } }, ['namespace2', '', '<unknown>']],
    ['terminating', { metadata: { name: 'gone', creationTimestamp: '2024-06-01T11:59:00Z', deletionTimestamp: soon }, status: { phase: 'Terminating' } }, ['gone', 'Terminating', '60s']],
  ];
  for (const [name, obj, want] of cases) {
    it(name, () => {
      const table = toTable([obj as KubeObject], { group: '', plural: 'namespaces', includeObject: 'None', now: NOW });
      assert.deepEqual((table.rows as Array<{ cells: unknown[] }>)[0]?.cells, want);
    });
  }
});
