import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const soon = new Date(NOW + 1900).toISOString();

// From upstream TestPrintControllerRevision.
describe('controllerrevision cells', () => {
  const cases: Array<[name: string, owners: unknown, revision: number, want: unknown[]]> = [
    ['apps controller', [{ controller: true, apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'foo', uid: 'u' }], 1, ['test', 'daemonset.apps/foo', 1, '0s']],
    ['core controller', [{ controller: true, apiVersion: 'v1', kind: 'Pod', name: 'foo', uid: 'u' }], 2, ['test', 'pod/foo', 2, '0s']],
    ['owner that is not the controller', [{ controller: false, apiVersion: 'apps/v1', kind: 'ABC', name: 'foo', uid: 'u' }], 2, ['test', '<none>', 2, '0s']],
    ['empty owners', [], 3, ['test', '<none>', 3, '0s']],
    ['no owners', undefined, 4, ['test', '<none>', 4, '0s']],
  ];
  for (const [name, ownerReferences, revision, want] of cases) {
    it(name, () => {
      const cr = { metadata: { name: 'test', creationTimestamp: soon, ownerReferences }, revision } as unknown as KubeObject;
      const table = toTable([cr], { group: 'apps', plural: 'controllerrevisions', includeObject: 'None', now: NOW });
      assert.deepEqual((table.rows as Array<{ cells: unknown[] }>)[0]?.cells, want);
    });
  }
});
