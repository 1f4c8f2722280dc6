import type { ResourceTable } from '../../schemas/index.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import { StatusError } from '../api/errors.js';
import type { Registry } from '../registry/rest.js';
import type { Hub } from '../watch/hub.js';

/** Delay between passes while a terminating namespace still has content (pods shutting down). */
const RESYNC_INTERVAL_MS = 1000;

const WRITE = { dryRun: false, fieldValidation: 'Ignore' as const, fieldManager: 'kube-controller-manager' };

/**
 * A reduced port of kubernetes pkg/controller/namespace: when a namespace is terminating, delete
 * everything in it, and once nothing is left, clear spec.finalizers so the namespace goes away.
 * Returns a stop function.
 */
export function startNamespaceController(registry: Registry, hub: Hub, table: ResourceTable): () => void {
  const nsInfo = table.lookup('', 'v1', 'namespaces')!;
  // events.k8s.io shares storage with core events; deleting through one version is enough.
  const contentKinds = table.resources.filter((r) => r.namespaced && r.verbs.includes('delete') && r.group !== 'events.k8s.io');
  const pending = new Map<string, () => void>();
  let stopped = false;

  const deleteContent = (ns: string): number => {
    let left = 0;
    for (const info of contentKinds) {
      for (const o of registry.deps.store.list(info.plural, ns)) {
        left++;
        if (o.object.metadata.deletionTimestamp) continue;
        try {
          registry.delete({ info, namespace: ns, name: o.object.metadata.name ?? '' }, { dryRun: false, propagationPolicy: 'Background' });
        } catch (e) {
          if (!(e instanceof StatusError && e.code === 404)) throw e;
        }
      }
    }
    return left;
  };

  const syncNamespace = (name: string): void => {
    pending.delete(name);
    if (stopped) return;
    const ns = registry.deps.store.get({ resource: 'namespaces', namespace: '', name });
    if (!ns?.object.metadata.deletionTimestamp) return;
    deleteContent(name);
    const remaining = contentKinds.some((info) => registry.deps.store.list(info.plural, name).length > 0);
    if (remaining) {
      pending.set(name, registry.deps.clock.setTimer(() => syncNamespace(name), RESYNC_INTERVAL_MS));
      return;
    }
    registry.guaranteedUpdate({ info: nsInfo, namespace: '', name }, WRITE, (cur: KubeObject) => {
      cur.spec = { ...(cur.spec as object), finalizers: [] };
      return { obj: cur, warnings: [] };
    });
  };

  const enqueue = (o: Readonly<KubeObject>): void => {
    const name = o.metadata.name ?? '';
    if (!o.metadata.deletionTimestamp || pending.has(name)) return;
    pending.set(name, registry.deps.clock.setTimer(() => syncNamespace(name), 0));
  };
  const sub = hub.subscribe('namespaces', (e) => {
    if (e.type !== 'DELETED') enqueue(e.object);
  });
  for (const o of registry.deps.store.list('namespaces')) enqueue(o.object);
  return () => {
    stopped = true;
    sub.close();
    for (const cancel of pending.values()) cancel();
  };
}
