import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const soon = new Date(NOW + 1900).toISOString();

// From upstream TestPrintNetworkPolicy.
describe('networkpolicy cells', () => {
  const cases: Array<[name: string, spec: Record<string, unknown>, want: string]> = [
    ['empty spec', {}, '<none>'],
    ['empty pod selector', { podSelector: {} }, '<none>'],
    ['pod selector', { podSelector: { matchLabels: { foo: 'bar' } } }, 'foo=bar'],
    ['expression', { podSelector: { matchExpressions: [{ key: 'role', operator: 'NotIn', values: ['db', 'cache'] }] } }, 'role notin (cache,db)'],
  ];
  for (const [name, spec, want] of cases) {
    it(name, () => {
      const table = toTable([{ metadata: { name: 'policy1', creationTimestamp: soon }, spec } as KubeObject], { group: 'networking.k8s.io', plural: 'networkpolicies', includeObject: 'None', now: NOW });
      assert.deepEqual((table.rows as Array<{ cells: unknown[] }>)[0]?.cells, ['policy1', want, '0s']);
    });
  }
});
