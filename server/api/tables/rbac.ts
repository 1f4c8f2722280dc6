// RBAC columns. Ports of printRoleBinding and printClusterRoleBinding (rbac.SubjectsStrings) in kubernetes
// pkg/printers/internalversion/printers.go. Roles and ClusterRoles have no printer upstream: the apiserver
// uses its default table convertor for them (see registry.ts).
import type { RoleBinding, Subject } from 'kubernetes-types/rbac/v1.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { ageColumn, col, nameColumn, view, type Column } from './table.js';

/** The subjects of a binding split into users, groups and service accounts (`<namespace>/<name>`). */
export interface SubjectStrings {
  users: string[];
  groups: string[];
  serviceAccounts: string[];
}

/**
 * Splits binding subjects by kind; subjects of other kinds are left out, as upstream prints them nowhere.
 * @example subjectsStrings([{ kind: 'ServiceAccount', name: 'default', namespace: 'ns' }]).serviceAccounts // ['ns/default']
 */
export function subjectsStrings(subjects: Subject[] | undefined): SubjectStrings {
  const out: SubjectStrings = { users: [], groups: [], serviceAccounts: [] };
  for (const s of subjects ?? []) {
    if (s.kind === 'ServiceAccount') out.serviceAccounts.push(`${s.namespace ?? ''}/${s.name}`);
    else if (s.kind === 'User') out.users.push(s.name);
    else if (s.kind === 'Group') out.groups.push(s.name);
  }
  return out;
}

function bindingColumns(kind: 'roleBinding' | 'clusterRoleBinding', roleRefDescription: string): Column[] {
  // RoleBinding and ClusterRoleBinding share one JSON shape.
  const b = view<RoleBinding>;
  const subjects = (o: KubeObject) => subjectsStrings(b(o).subjects);
  return [
    nameColumn(),
    col({ name: 'Role', description: roleRefDescription }, (o) => `${b(o).roleRef?.kind ?? ''}/${b(o).roleRef?.name ?? ''}`),
    ageColumn(),
    col({ name: 'Users', priority: 1, description: `Users in the ${kind}` }, (o) => subjects(o).users.join(', ')),
    col({ name: 'Groups', priority: 1, description: `Groups in the ${kind}` }, (o) => subjects(o).groups.join(', ')),
    col({ name: 'ServiceAccounts', priority: 1, description: `ServiceAccounts in the ${kind}` }, (o) => subjects(o).serviceAccounts.join(', ')),
  ];
}

/** RoleBinding columns: Name, Role, Age, and wide Users, Groups, ServiceAccounts. */
export function roleBindingColumns(): Column[] {
  return bindingColumns(
    'roleBinding',
    'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.',
  );
}

/** ClusterRoleBinding columns: Name, Role, Age, and wide Users, Groups, ServiceAccounts. */
export function clusterRoleBindingColumns(): Column[] {
  return bindingColumns(
    'clusterRoleBinding',
    'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.',
  );
}
