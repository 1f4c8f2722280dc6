/**
 * The RBAC generators of `kd create` (kubectl pkg/cmd/create/create_role.go, create_clusterrole.go,
 * create_rolebinding.go, create_clusterrolebinding.go): rules grouped by API group, subjects in
 * user, group, service-account order. Keys are in Go struct order.
 */
import { objectMeta, type Meta } from './create-objects.js';

const RBAC_API_VERSION = 'rbac.authorization.k8s.io/v1';
const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** The verbs kubectl knows; others get a warning but are kept (create_role.go validResourceVerbs). */
const VALID_VERBS = new Set(['*', 'get', 'delete', 'list', 'create', 'update', 'patch', 'watch', 'proxy', 'deletecollection', 'use', 'bind', 'escalate', 'impersonate']);

/** A `--resource` value split as kubectl does: `resource[.group][/subresource]`. */
export interface ResourceArg {
  resource: string;
  group: string;
  subresource: string;
}

/** Splits `deployments.apps/scale` into resource, group and subresource. */
export function parseResourceArg(arg: string): ResourceArg {
  const slash = arg.indexOf('/');
  const head = slash < 0 ? arg : arg.slice(0, slash);
  const subresource = slash < 0 ? '' : arg.slice(slash + 1);
  const dot = head.indexOf('.');
  return { resource: dot < 0 ? head : head.slice(0, dot), group: dot < 0 ? '' : head.slice(dot + 1), subresource };
}

/** kubectl's checks of the role flags that need no server; returns the warnings it prints. */
export function validateRoleFlags(verbs: string[], resources: string[], nonResourceURLs: string[] = []): string[] {
  if (verbs.length === 0) throw new Error('at least one verb must be specified');
  if (resources.length === 0 && nonResourceURLs.length === 0) throw new Error('at least one resource must be specified');
  return verbs.filter((v) => !VALID_VERBS.has(v)).map((v) => `Warning: '${v}' is not a standard resource verb\n`);
}

/**
 * Policy rules, one per API group in sorted group order (generateResourcePolicyRules); each
 * resource is given as already mapped to its full plural and group.
 */
export function buildRules(verbs: string[], resources: ResourceArg[], resourceNames: string[]): any[] {
  const byGroup = new Map<string, string[]>();
  for (const r of resources) {
    const name = r.subresource ? `${r.resource}/${r.subresource}` : r.resource;
    const list = byGroup.get(r.group) ?? [];
    if (!list.includes(name)) list.push(name);
    byGroup.set(r.group, list);
  }
  return [...byGroup.keys()].sort().map((group) => ({
    verbs,
    apiGroups: [group],
    resources: byGroup.get(group),
    ...(resourceNames.length ? { resourceNames } : {}),
  }));
}

/** `create role` / `create clusterrole`. */
export function buildRole(kind: 'Role' | 'ClusterRole', meta: Meta, rules: any[]): any {
  return { kind, apiVersion: RBAC_API_VERSION, metadata: objectMeta(meta), rules };
}

/** Subject flags of the binding generators. */
export interface SubjectFlags {
  users: string[];
  groups: string[];
  serviceAccounts: string[];
}

/** `create rolebinding` / `create clusterrolebinding`. */
export function buildBinding(kind: 'RoleBinding' | 'ClusterRoleBinding', meta: Meta, roleRef: { kind: string; name: string }, s: SubjectFlags): any {
  const subjects: any[] = [
    ...s.users.map((name) => ({ kind: 'User', apiGroup: RBAC_GROUP, name })),
    ...s.groups.map((name) => ({ kind: 'Group', apiGroup: RBAC_GROUP, name })),
    ...s.serviceAccounts.map((sa) => {
      const parts = sa.split(':');
      if (parts.length !== 2 || !parts[0] || !parts[1]) throw new Error(`serviceaccount must be <namespace>:<name>`);
      return { kind: 'ServiceAccount', name: parts[1], namespace: parts[0] };
    }),
  ];
  return {
    kind,
    apiVersion: RBAC_API_VERSION,
    metadata: objectMeta(meta),
    ...(subjects.length ? { subjects } : {}),
    roleRef: { apiGroup: RBAC_GROUP, kind: roleRef.kind, name: roleRef.name },
  };
}
