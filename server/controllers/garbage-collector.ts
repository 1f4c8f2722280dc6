import type { ResourceInfo, ResourceTable } from '../../schemas/index.js';
import type { KubeObject, OwnerReference } from '../../schemas/types/meta.js';
import { StatusError } from '../api/errors.js';
import type { Registry } from '../registry/rest.js';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from '../registry/strategy.js';
import type { StoreEvent } from '../storage/store.js';
import type { Hub } from '../watch/hub.js';

const WRITE = { dryRun: false, fieldValidation: 'Ignore' as const, fieldManager: 'kube-controller-manager' };

interface Node {
  info: ResourceInfo;
  namespace: string;
  name: string;
  owners: OwnerReference[];
}

/**
 * A reduced port of kubernetes pkg/controller/garbagecollector. It keeps an index from owner uid to
 * dependents and, after an owner is gone, deletes dependents with no owner left (Background),
 * deletes dependents before their owner (Foreground finalizer), or strips the owner reference from
 * them (Orphan finalizer). Returns a stop function.
 */
export function startGarbageCollector(registry: Registry, hub: Hub, table: ResourceTable): () => void {
  // events.k8s.io shares storage with core events: watch each storage resource once.
  const kinds = table.resources.filter((r) => r.group !== 'events.k8s.io' && r.verbs.includes('watch'));
  const dependents = new Map<string, Map<string, Node>>();
  const nodes = new Map<string, Node>();

  const index = (key: string, info: ResourceInfo, o: Readonly<KubeObject>): void => {
    unindex(key);
    const owners = o.metadata.ownerReferences ?? [];
    if (owners.length === 0) return;
    const node: Node = { info, namespace: o.metadata.namespace ?? '', name: o.metadata.name ?? '', owners: [...owners] };
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

  const ownerExists = (dep: Node, ref: OwnerReference): boolean => {
    const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0]! : '';
    const info = table.byKind(group, ref.kind);
    if (!info) return false;
    const o = registry.deps.store.get({ resource: info.plural, namespace: info.namespaced ? dep.namespace : '', name: ref.name });
    return o?.object.metadata.uid === ref.uid;
  };

  const ignoreNotFound = (fn: () => void): void => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
  };
  const removeOwnerRef = (dep: Node, uid: string): void => ignoreNotFound(() => {
    registry.guaranteedUpdate({ info: dep.info, namespace: dep.namespace, name: dep.name }, WRITE, (cur) => {
      cur.metadata.ownerReferences = (cur.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      if (cur.metadata.ownerReferences.length === 0) delete cur.metadata.ownerReferences;
      return { obj: cur, warnings: [] };
    });
  });
  const deleteDependent = (dep: Node, policy: string): void => ignoreNotFound(() => {
    registry.delete({ info: dep.info, namespace: dep.namespace, name: dep.name }, { dryRun: false, propagationPolicy: policy });
  });

  /** The owner is gone: dependents whose owners are all gone go too; the rest lose the reference. */
  const ownerDeleted = (uid: string): void => {
    for (const dep of [...(dependents.get(uid)?.values() ?? [])]) {
      if (dep.owners.some((r) => r.uid !== uid && ownerExists(dep, r))) removeOwnerRef(dep, uid);
      else deleteDependent(dep, 'Background');
    }
  };

  const removeFinalizer = (info: ResourceInfo, o: Readonly<KubeObject>, finalizer: string): void => ignoreNotFound(() => {
    registry.guaranteedUpdate({ info, namespace: o.metadata.namespace ?? '', name: o.metadata.name ?? '' }, WRITE, (cur) => {
      cur.metadata.finalizers = (cur.metadata.finalizers ?? []).filter((f) => f !== finalizer);
      return { obj: cur, warnings: [] };
    });
  });

  /** Owners being deleted with Foreground or Orphan propagation wait on their finalizer. */
  const processDeleting = (info: ResourceInfo, o: Readonly<KubeObject>): void => {
    const uid = o.metadata.uid ?? '';
    const finalizers = o.metadata.finalizers ?? [];
    const deps = [...(dependents.get(uid)?.values() ?? [])];
    if (finalizers.includes(ORPHAN_FINALIZER)) {
      for (const dep of deps) removeOwnerRef(dep, uid);
      removeFinalizer(info, o, ORPHAN_FINALIZER);
      return;
    }
    if (!finalizers.includes(FOREGROUND_FINALIZER)) return;
    if (deps.length === 0) removeFinalizer(info, o, FOREGROUND_FINALIZER);
    for (const dep of deps) if (!registry.deps.store.get({ resource: dep.info.plural, namespace: dep.namespace, name: dep.name })?.object.metadata.deletionTimestamp) deleteDependent(dep, 'Foreground');
  };

  /** A dependent that went away may be the last one a foreground-deleting owner waited for. */
  const recheckOwners = (dep: Readonly<KubeObject>): void => {
    for (const ref of dep.metadata.ownerReferences ?? []) {
      const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0]! : '';
      const info = table.byKind(group, ref.kind);
      const owner = info && registry.deps.store.get({ resource: info.plural, namespace: info.namespaced ? dep.metadata.namespace ?? '' : '', name: ref.name });
      if (info && owner?.object.metadata.deletionTimestamp && owner.object.metadata.uid === ref.uid) processDeleting(info, owner.object);
    }
  };

  const handle = (info: ResourceInfo) => (e: StoreEvent): void => {
    if (e.type === 'DELETED') {
      unindex(e.key);
      ownerDeleted(e.object.metadata.uid ?? '');
      recheckOwners(e.object);
      return;
    }
    index(e.key, info, e.object);
    if (e.object.metadata.deletionTimestamp) processDeleting(info, e.object);
  };

  const subs = kinds.map((info) => {
    for (const o of registry.deps.store.list(info.plural)) index(o.key, info, o.object);
    return hub.subscribe(info.plural, handle(info));
  });
  return () => {
    for (const s of subs) s.close();
  };
}
