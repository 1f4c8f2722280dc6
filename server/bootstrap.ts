import type { ResourceTable } from '../schemas/index.js';
import type { KubeObject } from '../schemas/types/meta.js';
import type { Registry } from './registry/rest.js';

/** The namespaces every kubeadm cluster starts with. */
const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

const SYSTEM_PRIORITY_CLASSES: Array<[string, number]> = [
  ['system-cluster-critical', 2000000000],
  ['system-node-critical', 2000001000],
];

const OPTS = { dryRun: false, fieldValidation: 'Strict' as const, fieldManager: 'kube-apiserver' };

/**
 * Creates the objects a fresh apiserver makes for itself (namespaces, the `kubernetes` Service,
 * system PriorityClasses), through the registry like any client. Existing objects are left alone,
 * so a restarted daemon keeps its state.
 */
export function bootstrap(registry: Registry, table: ResourceTable): void {
  const create = (plural: string, group: string, namespace: string, obj: KubeObject): void => {
    const info = table.resources.find((r) => r.plural === plural && r.group === group)!;
    if (registry.deps.store.get({ resource: plural, namespace: info.namespaced ? namespace : '', name: obj.metadata.name ?? '' })) return;
    registry.create({ info, namespace }, obj, OPTS);
  };
  for (const name of SYSTEM_NAMESPACES) create('namespaces', '', '', { metadata: { name } });
  create('services', '', 'default', {
    metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None', type: 'ClusterIP' },
  });
  for (const [name, value] of SYSTEM_PRIORITY_CLASSES) {
    create('priorityclasses', 'scheduling.k8s.io', '', {
      metadata: { name },
      value,
      description: 'Used for system critical pods that must not be moved from their current node.',
    });
  }
}
