import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const soon = new Date(NOW + 1900).toISOString();

// From upstream TestPrintServiceAccount.
describe('serviceaccount cells', () => {
  const cases: Array<[name: string, secrets: unknown, want: number]> = [
    ['no secrets', [], 0],
    ['secrets unset', undefined, 0],
    ['two secrets', [{ name: 'Secret1' }, { name: 'Secret2' }], 2],
  ];
  for (const [name, secrets, want] of cases) {
    it(name, () => {
      const table = toTable([{ metadata: { name: 'sa1', creationTimestamp: soon }, secrets } as KubeObject], { group: '', plural: 'serviceaccounts', includeObject: 'None', now: NOW });
      assert.deepEqual((table.rows as Array<{ cells: unknown[] }>)[0]?.cells, ['sa1', want, '0s']);
    });
  }
});
