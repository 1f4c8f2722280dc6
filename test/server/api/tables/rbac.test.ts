import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const soon = new Date(NOW + 1900).toISOString();

function cells(plural: string, obj: Record<string, unknown>): unknown[] {
  const table = toTable([obj as KubeObject], { group: 'rbac.authorization.k8s.io', plural, includeObject: 'None', now: NOW });
  return (table.rows as Array<{ cells: unknown[] }>)[0]?.cells ?? [];
}

// From upstream TestPrintRoleBinding and TestPrintClusterRoleBinding.
for (const plural of ['rolebindings', 'clusterrolebindings']) {
  describe(`${plural} cells`, () => {
    it('role reference and a single user', () => {
      const b = {
        metadata: { name: 'binding1', creationTimestamp: soon },
        subjects: [{ kind: 'User', name: 'system:kube-controller-manager' }],
        roleRef: { kind: 'Role', name: 'extension-apiserver-authentication-reader' },
      };
      assert.deepEqual(cells(plural, b), ['binding1', 'Role/extension-apiserver-authentication-reader', '0s', 'system:kube-controller-manager', '', '']);
    });

    it('users, groups and service accounts', () => {
      const b = {
        metadata: { name: 'binding2', creationTimestamp: soon },
        subjects: [
          { kind: 'User', name: 'user-name' },
          { kind: 'Group', name: 'group-name' },
          { kind: 'ServiceAccount', name: 'service-account-name', namespace: 'service-account-namespace' },
          { kind: 'User', name: 'second-user' },
          { kind: 'Robot', name: 'ignored' },
        ],
        roleRef: { kind: 'Role', name: 'role-name' },
      };
      assert.deepEqual(cells(plural, b), ['binding2', 'Role/role-name', '0s', 'user-name, second-user', 'group-name', 'service-account-namespace/service-account-name']);
    });
  });
}

describe('roles and clusterroles', () => {
  it('use the default table convertor: Name and Created At', () => {
    for (const plural of ['roles', 'clusterroles']) {
      assert.deepEqual(cells(plural, { metadata: { name: 'admin', creationTimestamp: '2023-04-17T09:57:44Z' }, rules: [] }), ['admin', '2023-04-17T09:57:44Z']);
    }
  });
});
