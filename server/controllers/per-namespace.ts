import type { KubeObject } from '../../schemas/types/meta.js';
import type { LocalClient } from '../client/api-client.js';
import { Informer } from '../informers/informer.js';

/** An object every active namespace gets: its resource and how to build it for a namespace. */
interface PerNamespaceObject {
  resource: string;
  name: string;
  build(namespace: string): KubeObject;
}

/**
 * Keeps one object in every active namespace (recreated if deleted), the shared logic of the
 * serviceaccounts controller (`default` ServiceAccount) and the root-ca-cert-publisher
 * (`kube-root-ca.crt` ConfigMap). Returns a stop function.
 */
function startPerNamespace(client: LocalClient, want: PerNamespaceObject): () => void {
  const namespaces = new Informer(client, 'namespaces');
  const objects = new Informer(client, want.resource);
  const ensure = (namespace: string): void => {
    const ns = namespaces.get(namespace);
    if (!ns || ns.metadata.deletionTimestamp) return;
    if (client.get(want.resource, { namespace, name: want.name })) return;
    const obj = want.build(namespace);
    client.create(want.resource, { ...obj, metadata: { ...obj.metadata, namespace } });
  };
  namespaces.on({ add: (o) => ensure(o.metadata.name ?? ''), update: (_old, o) => ensure(o.metadata.name ?? '') });
  objects.on({ delete: (o) => o.metadata.name === want.name && ensure(o.metadata.namespace ?? '') });
  objects.start();
  namespaces.start();
  return () => {
    namespaces.stop();
    objects.stop();
  };
}

/** The serviceaccounts controller: a `default` ServiceAccount in every namespace. */
export function startServiceAccountsController(client: LocalClient): () => void {
  return startPerNamespace(client, {
    resource: 'serviceaccounts', name: 'default',
    build: () => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } }),
  });
}

/** The root-ca-cert-publisher: the cluster CA as ConfigMap `kube-root-ca.crt` in every namespace. */
export function startRootCACertPublisher(client: LocalClient, caPem: string): () => void {
  return startPerNamespace(client, {
    resource: 'configmaps', name: 'kube-root-ca.crt',
    build: () => ({
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'kube-root-ca.crt', annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } },
      data: { 'ca.crt': caPem },
    }),
  });
}
