import type { KubeObject } from '../../schemas/types/meta.js';
import type { LocalClient } from '../client/api-client.js';
import { Informer } from './informer.js';

/** Index of pods by `spec.nodeName` (unscheduled pods are under ""). */
export const BY_NODE_NAME = 'nodeName';
/** Index of objects by the uid of their controller owner reference. */
export const BY_CONTROLLER_UID = 'controllerUID';
/** Index of namespaced objects by namespace. */
export const BY_NAMESPACE = 'namespace';
/** Index of objects without a controller owner reference, by namespace: what a controller may adopt. */
export const ORPHANS_BY_NAMESPACE = 'orphansByNamespace';

/**
 * One informer per resource, shared by every controller, the scheduler and the kubelets
 * (client-go's SharedInformerFactory): one cache and one watch per kind however many readers.
 * Informers are started lazily by start(); handlers registered before that see the initial list.
 */
export class InformerFactory {
  private readonly informers = new Map<string, Informer>();

  constructor(private readonly client: LocalClient) {}

  /** The shared informer of a resource (`pods`, `deployments.apps`), with the standard indexes. */
  for(resource: string): Informer {
    let inf = this.informers.get(resource);
    if (!inf) {
      inf = new Informer(this.client, resource);
      inf.addIndex(BY_CONTROLLER_UID, controllerUIDs);
      inf.addIndex(BY_NAMESPACE, (o) => [o.metadata.namespace ?? '']);
      inf.addIndex(ORPHANS_BY_NAMESPACE, (o) => (controllerUIDs(o).length === 0 ? [o.metadata.namespace ?? ''] : []));
      if (resource === 'pods') inf.addIndex(BY_NODE_NAME, (o) => [((o.spec as { nodeName?: string } | undefined)?.nodeName) ?? '']);
      this.informers.set(resource, inf);
    }
    return inf;
  }

  /** Starts every informer created so far (idempotent per informer). */
  start(): void {
    for (const inf of this.informers.values()) inf.start();
  }

  /** Stops every informer. */
  stop(): void {
    for (const inf of this.informers.values()) inf.stop();
  }
}

export function controllerUIDs(o: Readonly<KubeObject>): string[] {
  const ref = o.metadata.ownerReferences?.find((r) => r.controller);
  return ref ? [ref.uid] : [];
}
