import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const soon = new Date(NOW + 1900).toISOString();

// From upstream TestPrintSecret.
describe('secret cells', () => {
  const cases: Array<[name: string, body: Record<string, unknown>, want: unknown[]]> = [
    ['type, data and age', { type: 'kubernetes.io/service-account-token', data: { token: 'c2VjcmV0IGRhdGE=' } }, ['secret1', 'kubernetes.io/service-account-token', 1, '0s']],
    ['no data', { type: 'kubernetes.io/service-account-token' }, ['secret1', 'kubernetes.io/service-account-token', 0, '0s']],
    ['stringData keys merge with data keys', { type: 'Opaque', data: { a: 'eA==' }, stringData: { a: 'x', b: 'y' } }, ['secret1', 'Opaque', 2, '0s']],
  ];
  for (const [name, body, want] of cases) {
    it(name, () => {
      const table = toTable([{ metadata: { name: 'secret1', creationTimestamp: soon }, ...body } as KubeObject], { group: '', plural: 'secrets', includeObject: 'None', now: NOW });
      assert.deepEqual((table.rows as Array<{ cells: unknown[] }>)[0]?.cells, want);
    });
  }
});
