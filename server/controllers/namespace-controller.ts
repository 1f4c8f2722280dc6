import type { ResourceTable } from '../../schemas/index.js';
import { groupResource } from '../../schemas/index.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import type { Clock } from '../clock.js';
import type { LocalClient } from '../client/api-client.js';
import { Informer } from '../informers/informer.js';

/** Delay between passes while a terminating namespace still has content (pods shutting down). */
const RESYNC_INTERVAL_MS = 1000;

/**
 * A reduced port of kubernetes pkg/controller/namespace: when a namespace is terminating, delete
 * everything in it, and once nothing is left, clear spec.finalizers so the namespace goes away.
 * Returns a stop function.
 */
export function startNamespaceController(client: LocalClient, table: ResourceTable, clock: Clock): () => void {
  // events.k8s.io shares storage with core events; deleting through one version is enough.
  const contentKinds = table.resources
    .filter((r) => r.namespaced && r.verbs.includes('delete') && r.verbs.includes('list') && r.group !== 'events.k8s.io')
    .map(groupResource);
  const namespaces = new Informer(client, 'namespaces');
  const pending = new Map<string, () => void>();
  let stopped = false;

  const deleteContent = (ns: string): boolean => {
    let remaining = false;
    for (const resource of contentKinds) {
      for (const o of client.list(resource, { namespace: ns })) {
        remaining = true;
        if (!o.metadata.deletionTimestamp) client.delete(resource, { namespace: ns, name: o.metadata.name ?? '' });
      }
    }
    return remaining && contentKinds.some((resource) => client.list(resource, { namespace: ns }).length > 0);
  };

  const syncNamespace = (name: string): void => {
    pending.delete(name);
    if (stopped || !namespaces.get(name)?.metadata.deletionTimestamp) return;
    if (deleteContent(name)) {
      pending.set(name, clock.setTimer(() => syncNamespace(name), RESYNC_INTERVAL_MS));
      return;
    }
    client.mutate('namespaces', { name }, (cur: KubeObject) => ({ ...cur, spec: { ...(cur.spec as object), finalizers: [] } }));
  };

  const enqueue = (o: Readonly<KubeObject>): void => {
    const name = o.metadata.name ?? '';
    if (!o.metadata.deletionTimestamp || pending.has(name)) return;
    pending.set(name, clock.setTimer(() => syncNamespace(name), 0));
  };
  namespaces.on({ add: enqueue, update: (_old, o) => enqueue(o) });
  namespaces.start();
  return () => {
    stopped = true;
    namespaces.stop();
    for (const cancel of pending.values()) cancel();
  };
}
