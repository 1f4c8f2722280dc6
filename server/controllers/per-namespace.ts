import type { ResourceTable } from '../../schemas/index.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import type { Registry } from '../registry/rest.js';
import type { Hub } from '../watch/hub.js';

const WRITE = { dryRun: false, fieldValidation: 'Strict' as const, fieldManager: 'kube-controller-manager' };

/** An object every active namespace gets: its resource and how to build it for a namespace. */
interface PerNamespaceObject {
  group: string;
  plural: string;
  name: string;
  build(namespace: string): KubeObject;
}

/**
 * Keeps one object in every active namespace (recreated if deleted), the shared logic of the
 * serviceaccounts controller (`default` ServiceAccount) and the root-ca-cert-publisher
 * (`kube-root-ca.crt` ConfigMap). Returns a stop function.
 */
function startPerNamespace(registry: Registry, hub: Hub, table: ResourceTable, want: PerNamespaceObject): () => void {
  const info = table.resources.find((r) => r.group === want.group && r.plural === want.plural)!;
  const ensure = (namespace: string): void => {
    const ns = registry.deps.store.get({ resource: 'namespaces', namespace: '', name: namespace });
    if (!ns || ns.object.metadata.deletionTimestamp) return;
    if (registry.deps.store.get({ resource: want.plural, namespace, name: want.name })) return;
    registry.create({ info, namespace }, want.build(namespace), WRITE);
  };
  const subs = [
    hub.subscribe('namespaces', (e) => {
      if (e.type !== 'DELETED') ensure(e.object.metadata.name ?? '');
    }),
    hub.subscribe(want.plural, (e) => {
      if (e.type === 'DELETED' && e.object.metadata.name === want.name) ensure(e.namespace);
    }),
  ];
  for (const ns of registry.deps.store.list('namespaces')) ensure(ns.object.metadata.name ?? '');
  return () => subs.forEach((s) => s.close());
}

/** The serviceaccounts controller: a `default` ServiceAccount in every namespace. */
export function startServiceAccountsController(registry: Registry, hub: Hub, table: ResourceTable): () => void {
  return startPerNamespace(registry, hub, table, {
    group: '', plural: 'serviceaccounts', name: 'default',
    build: () => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } }),
  });
}

/** The root-ca-cert-publisher: the cluster CA as ConfigMap `kube-root-ca.crt` in every namespace. */
export function startRootCACertPublisher(registry: Registry, hub: Hub, table: ResourceTable, caPem: string): () => void {
  return startPerNamespace(registry, hub, table, {
    group: '', plural: 'configmaps', name: 'kube-root-ca.crt',
    build: () => ({
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'kube-root-ca.crt', annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } },
      data: { 'ca.crt': caPem },
    }),
  });
}
