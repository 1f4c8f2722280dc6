// Node columns. Port of printNode (findNodeRoles, getNodeInternalIP/ExternalIP) in kubernetes
// pkg/printers/internalversion/printers.go.
import type { Node } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { ageColumn, col, nameColumn, view, type Column } from './table.js';

const LABEL_NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const LABEL_NODE_ROLE = 'kubernetes.io/role';

/**
 * The STATUS cell: Ready, NotReady (Ready condition not True) or Unknown (no Ready condition),
 * plus `,SchedulingDisabled` for cordoned nodes.
 * @example nodeStatus(node) // 'Ready,SchedulingDisabled'
 */
export function nodeStatus(node: Node): string {
  // Later duplicates of a condition type win, as upstream builds a map keyed by type.
  let ready: string | undefined;
  for (const c of node.status?.conditions ?? []) if (c.type === 'Ready') ready = c.status;
  const status = [ready === undefined ? 'Unknown' : ready === 'True' ? 'Ready' : 'NotReady'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

/**
 * The ROLES cell: sorted roles from `node-role.kubernetes.io/<role>` and `kubernetes.io/role=<role>` labels.
 * @example nodeRoles(node) // 'control-plane,master'
 */
export function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith(LABEL_NODE_ROLE_PREFIX)) {
      const role = k.slice(LABEL_NODE_ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === LABEL_NODE_ROLE && v !== '') {
      roles.add(v);
    }
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function firstAddress(node: Node, type: string): string {
  return (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? '<none>';
}

/** Node columns: Name, Status, Roles, Age, Version, and wide Internal-IP, External-IP, OS-Image, Kernel-Version, Container-Runtime. */
export function nodeColumns(): Column[] {
  const node = view<Node>;
  const info = (o: KubeObject) => node(o).status?.nodeInfo;
  return [
    nameColumn(),
    col({ name: 'Status', description: 'The status of the node' }, (o) => nodeStatus(node(o))),
    col({ name: 'Roles', description: 'The roles of the node' }, (o) => nodeRoles(node(o))),
    ageColumn(),
    col({ name: 'Version', description: 'Kubelet Version reported by the node.' }, (o) => info(o)?.kubeletVersion ?? ''),
    col({ name: 'Internal-IP', priority: 1, description: 'List of addresses reachable to the node. Queried from cloud provider, if available.' }, (o) => firstAddress(node(o), 'InternalIP')),
    col({ name: 'External-IP', priority: 1, description: 'List of addresses reachable to the node. Queried from cloud provider, if available.' }, (o) => firstAddress(node(o), 'ExternalIP')),
    col({ name: 'OS-Image', priority: 1, description: 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).' }, (o) => info(o)?.osImage || '<unknown>'),
    col({ name: 'Kernel-Version', priority: 1, description: "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)." }, (o) => info(o)?.kernelVersion || '<unknown>'),
    col(
      { name: 'Container-Runtime', priority: 1, description: 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).' },
      (o) => info(o)?.containerRuntimeVersion || '<unknown>',
    ),
  ];
}
