import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const at = (s: number) => new Date(NOW + s * 1000).toISOString();

// From upstream TestPrintPriorityClass (the apiserver always prints the PreemptionPolicy cell).
describe('priorityclass cells', () => {
  const cases: Array<[name: string, obj: Record<string, unknown>, want: unknown[]]> = [
    ['PreemptNever', { metadata: { name: 'pc1', creationTimestamp: at(1.9) }, value: 1, preemptionPolicy: 'Never' }, ['pc1', 1, false, '0s', 'Never']],
    [
      'global default',
      { metadata: { name: 'pc2', creationTimestamp: at(-300) }, value: 1000000000, globalDefault: true, preemptionPolicy: 'PreemptLowerPriority' },
      ['pc2', 1000000000, true, '5m', 'PreemptLowerPriority'],
    ],
    ['policy unset', { metadata: { name: 'pc2', creationTimestamp: at(-300) }, value: 1000000000, globalDefault: true }, ['pc2', 1000000000, true, '5m', '']],
  ];
  for (const [name, obj, want] of cases) {
    it(name, () => {
      const table = toTable([obj as KubeObject], { group: 'scheduling.k8s.io', plural: 'priorityclasses', includeObject: 'None', now: NOW });
      assert.deepEqual((table.rows as Array<{ cells: unknown[] }>)[0]?.cells, want);
    });
  }
});
