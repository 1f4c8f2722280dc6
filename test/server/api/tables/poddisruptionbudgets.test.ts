import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const soon = new Date(NOW + 1900).toISOString();

// From upstream TestPrintPodDisruptionBudget.
describe('poddisruptionbudget cells', () => {
  const cases: Array<[name: string, spec: Record<string, unknown>, allowed: number | undefined, want: unknown[]]> = [
    ['min available', { minAvailable: 22 }, 5, ['pdb1', '22', 'N/A', 5, '0s']],
    ['max unavailable', { maxUnavailable: 11 }, 5, ['pdb1', 'N/A', '11', 5, '0s']],
    ['percentage', { minAvailable: '50%' }, 3, ['pdb1', '50%', 'N/A', 3, '0s']],
    ['no status', { maxUnavailable: 1 }, undefined, ['pdb1', 'N/A', '1', 0, '0s']],
  ];
  for (const [name, spec, allowed, want] of cases) {
    it(name, () => {
      const pdb = { metadata: { name: 'pdb1', namespace: 'ns1', creationTimestamp: soon }, spec, status: allowed === undefined ? undefined : { disruptionsAllowed: allowed } };
      const table = toTable([pdb as KubeObject], { group: 'policy', plural: 'poddisruptionbudgets', includeObject: 'None', now: NOW });
      assert.deepEqual((table.rows as Array<{ cells: unknown[] }>)[0]?.cells, want);
    });
  }
});
