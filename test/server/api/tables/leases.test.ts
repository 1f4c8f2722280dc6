import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const at = (s: number) => new Date(NOW + s * 1000).toISOString();

// From upstream TestPrintLease.
describe('lease cells', () => {
  const cases: Array<[name: string, obj: Record<string, unknown>, want: unknown[]]> = [
    ['holder', { metadata: { name: 'lease1', creationTimestamp: at(1.9) }, spec: { holderIdentity: 'holder1' } }, ['lease1', 'holder1', '0s']],
    ['older lease', { metadata: { name: 'lease2', creationTimestamp: at(-300) }, spec: { holderIdentity: 'holder2' } }, ['lease2', 'holder2', '5m']],
    ['no holder', { metadata: { name: 'lease3', creationTimestamp: at(-300) }, spec: {} }, ['lease3', '', '5m']],
  ];
  for (const [name, obj, want] of cases) {
    it(name, () => {
      const table = toTable([obj as KubeObject], { group: 'coordination.k8s.io', plural: 'leases', includeObject: 'None', now: NOW });
      assert.deepEqual((table.rows as Array<{ cells: unknown[] }>)[0]?.cells, want);
    });
  }
});
