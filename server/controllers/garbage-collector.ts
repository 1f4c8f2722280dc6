import { groupResource, type ResourceTable } from '../../schemas/index.js';
import type { KubeObject, OwnerReference } from '../../schemas/types/meta.js';
import type { LocalClient, WatchEvent } from '../client/api-client.js';
import { FOREGROUND_FINALIZER, jsonEqual, ORPHAN_FINALIZER } from '../registry/strategy.js';

interface Node {
  /** Group-resource of the dependent, e.g. `replicasets.apps`. */
  resource: string;
  namespace: string;
  name: string;
  /** The dependent's ownerReferences as stored (frozen): the next version usually shares the array. */
  owners: readonly OwnerReference[];
}

/** The graph key of an object: its uid (stored objects always have one). */
function nodeKey(o: Readonly<KubeObject>): string {
  return o.metadata.uid ?? '';
}

/** `deployments.apps` for an owner reference (apiVersion apps/v1, kind Deployment). */
function ownerResource(table: ResourceTable, ref: OwnerReference): { resource: string; namespaced: boolean } | undefined {
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0]! : '';
  const info = table.byKind(group, ref.kind);
  return info && { resource: groupResource(info), namespaced: info.namespaced };
}

/** garbagecollector.DefaultIgnoredResources. */
const IGNORED_RESOURCES = new Set(['events', 'events.events.k8s.io']);

/**
 * A reduced port of kubernetes pkg/controller/garbagecollector. It keeps an index from owner uid to
 * dependents and, after an owner is gone, deletes dependents with no owner left (Background),
 * deletes dependents before their owner (Foreground finalizer), or strips the owner reference from
 * them (Orphan finalizer). Returns a stop function.
 */
export function startGarbageCollector(client: LocalClient, table: ResourceTable): () => void {
  // Upstream's DefaultIgnoredResources: Events (core and events.k8s.io) are never watched, so an
  // Event's ownerReferences neither keep its owner waiting nor get it collected.
  const kinds = table.resources.filter((r) => !IGNORED_RESOURCES.has(groupResource(r)) && r.verbs.includes('watch')).map(groupResource);
  // Keyed by the dependent's uid, which every version of an object shares as one string (its hash
  // kept), where a `resource/namespace/name` key was built and hashed anew for each event.
  const dependents = new Map<string, Map<string, Node>>();
  const nodes = new Map<string, Node>();

  const index = (key: string, resource: string, o: Readonly<KubeObject>): void => {
    const owners = o.metadata.ownerReferences ?? [];
    // Most writes (a pod's status, a lease's renewal) leave the owners as they were, mostly the very same array.
    const old = nodes.get(key);
    if (old && (old.owners === owners || jsonEqual(old.owners, owners))) {
      old.owners = owners;
      return;
    }
    unindex(key);
    if (owners.length === 0) return;
    const node: Node = { resource, namespace: o.metadata.namespace ?? '', name: o.metadata.name ?? '', owners };
    nodes.set(key, node);
    for (const ref of owners) {
      let set = dependents.get(ref.uid);
      if (!set) dependents.set(ref.uid, (set = new Map()));
      set.set(key, node);
    }
  };
  const unindex = (key: string): void => {
    const old = nodes.get(key);
    if (!old) return;
    nodes.delete(key);
    for (const ref of old.owners) dependents.get(ref.uid)?.delete(key);
  };

  const ownerOf = (namespace: string, ref: OwnerReference): Readonly<KubeObject> | undefined => {
    const owner = ownerResource(table, ref);
    if (!owner) return undefined;
    const o = client.get(owner.resource, { namespace: owner.namespaced ? namespace : '', name: ref.name });
    return o?.metadata.uid === ref.uid ? o : undefined;
  };

  const removeOwnerRef = (dep: Node, uid: string): void => {
    if (!client.get(dep.resource, dep)) return;
    client.mutate(dep.resource, dep, (cur) => {
      const refs = (cur.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      if (refs.length > 0) cur.metadata.ownerReferences = refs;
      else delete cur.metadata.ownerReferences;
      return cur;
    });
  };

  /** The owner is gone: dependents whose owners are all gone go too; the rest lose the reference. */
  const ownerDeleted = (uid: string): void => {
    for (const dep of [...(dependents.get(uid)?.values() ?? [])]) {
      if (dep.owners.some((r) => r.uid !== uid && ownerOf(dep.namespace, r))) removeOwnerRef(dep, uid);
      else client.delete(dep.resource, dep);
    }
  };

  const removeFinalizer = (resource: string, o: Readonly<KubeObject>, finalizer: string): void => {
    const key = { namespace: o.metadata.namespace ?? '', name: o.metadata.name ?? '' };
    if (!client.get(resource, key)) return;
    client.mutate(resource, key, (cur) => {
      cur.metadata.finalizers = (cur.metadata.finalizers ?? []).filter((f) => f !== finalizer);
      return cur;
    });
  };

  /** Owners being deleted with Foreground or Orphan propagation wait on their finalizer. */
  const processDeleting = (resource: string, o: Readonly<KubeObject>): void => {
    const uid = o.metadata.uid ?? '';
    const finalizers = o.metadata.finalizers ?? [];
    const deps = [...(dependents.get(uid)?.values() ?? [])];
    if (finalizers.includes(ORPHAN_FINALIZER)) {
      for (const dep of deps) removeOwnerRef(dep, uid);
      removeFinalizer(resource, o, ORPHAN_FINALIZER);
      return;
    }
    if (!finalizers.includes(FOREGROUND_FINALIZER)) return;
    if (deps.length === 0) removeFinalizer(resource, o, FOREGROUND_FINALIZER);
    for (const dep of deps) if (!client.get(dep.resource, dep)?.metadata.deletionTimestamp) client.delete(dep.resource, dep, { propagationPolicy: 'Foreground' });
  };

  /** A dependent that went away may be the last one a foreground-deleting owner waited for. */
  const recheckOwners = (dep: Readonly<KubeObject>): void => {
    for (const ref of dep.metadata.ownerReferences ?? []) {
      const owner = ownerOf(dep.metadata.namespace ?? '', ref);
      if (owner?.metadata.deletionTimestamp) processDeleting(ownerResource(table, ref)!.resource, owner);
    }
  };

  const handle = (resource: string) => (e: WatchEvent): void => {
    const key = nodeKey(e.object);
    if (e.type === 'DELETED') {
      unindex(key);
      ownerDeleted(e.object.metadata.uid ?? '');
      recheckOwners(e.object);
      return;
    }
    index(key, resource, e.object);
    if (e.object.metadata.deletionTimestamp) processDeleting(resource, e.object);
  };

  const watches = kinds.map((resource) => {
    const w = client.listAndWatch(resource, handle(resource));
    for (const o of w.items) index(nodeKey(o), resource, o);
    return w;
  });
  return () => {
    for (const w of watches) w.stop();
  };
}
