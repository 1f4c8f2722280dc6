// Port of the controller finders of kubernetes pkg/controller/disruption/disruption.go
// (finders, getPodReplicationController, getPodDeployment, getPodReplicaSet, getPodStatefulSet,
// getScaleController): the scale a PDB's percentages and maxUnavailable are taken of.
import type { ResourceTable } from '../../schemas/index.js';
import { groupResource } from '../../schemas/index.js';
import type { KubeObject, OwnerReference } from '../../schemas/types/meta.js';
import type { LocalClient } from '../client/api-client.js';
import type { Informer } from '../informers/informer.js';

/** What the finders read: the workload informers, and the client for scale-subresource kinds. */
export interface FinderDeps {
  client: LocalClient;
  table: ResourceTable;
  informer(resource: string): Informer;
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
}

function replicas(o: Readonly<KubeObject>): number {
  return (o.spec as { replicas?: number } | undefined)?.replicas ?? 1;
}

/** A pod's controller as the PDB counts it: its uid (a Deployment's for its ReplicaSets) and scale. */
export type Found = { uid: string; scale: number } | undefined;

/**
 * Resolves a pod's controller with the finders in upstream order: ReplicationController,
 * Deployment (through its ReplicaSet), ReplicaSet without a Deployment, StatefulSet, then anything
 * with a scale subresource. Undefined when none is found; throws for unscalable kinds.
 */
export function findController(ref: OwnerReference, namespace: string, deps: FinderDeps): Found {
  const lookup = (resource: string, name: string, uid: string) => {
    const o = deps.informer(resource).get(`${namespace}/${name}`);
    return o && o.metadata.uid === uid ? o : undefined;
  };
  const finders: Array<() => Found> = [
    () => getPodReplicationController(ref, lookup),
    () => getPodDeployment(ref, lookup),
    () => getPodReplicaSet(ref, lookup),
    () => getPodStatefulSet(ref, lookup),
  ];
  for (const find of finders) {
    const found = find();
    if (found) return found;
  }
  return getScaleController(ref, namespace, deps);
}

type Lookup = (resource: string, name: string, uid: string) => Readonly<KubeObject> | undefined;

function isKind(ref: OwnerReference, kind: string, groups: string[]): boolean {
  return ref.kind === kind && groups.includes(groupOf(ref.apiVersion));
}

function getPodReplicationController(ref: OwnerReference, lookup: Lookup): Found {
  if (!isKind(ref, 'ReplicationController', [''])) return undefined;
  const rc = lookup('replicationcontrollers', ref.name, ref.uid);
  return rc ? { uid: ref.uid, scale: replicas(rc) } : undefined;
}

function getPodDeployment(ref: OwnerReference, lookup: Lookup): Found {
  if (!isKind(ref, 'ReplicaSet', ['apps', 'extensions'])) return undefined;
  const rs = lookup('replicasets.apps', ref.name, ref.uid);
  const dref = rs?.metadata.ownerReferences?.find((r) => r.controller);
  if (!dref || !isKind(dref, 'Deployment', ['apps', 'extensions'])) return undefined;
  const d = lookup('deployments.apps', dref.name, dref.uid);
  return d ? { uid: dref.uid, scale: replicas(d) } : undefined;
}

/** A ReplicaSet counts on its own only when no Deployment controls it. */
function getPodReplicaSet(ref: OwnerReference, lookup: Lookup): Found {
  if (!isKind(ref, 'ReplicaSet', ['apps', 'extensions'])) return undefined;
  const rs = lookup('replicasets.apps', ref.name, ref.uid);
  if (!rs || rs.metadata.ownerReferences?.find((r) => r.controller)?.kind === 'Deployment') return undefined;
  return { uid: ref.uid, scale: replicas(rs) };
}

function getPodStatefulSet(ref: OwnerReference, lookup: Lookup): Found {
  if (!isKind(ref, 'StatefulSet', ['apps'])) return undefined;
  const ss = lookup('statefulsets.apps', ref.name, ref.uid);
  return ss ? { uid: ref.uid, scale: replicas(ss) } : undefined;
}

/**
 * getScaleController: any other kind, through its scale subresource. A kind without one is an
 * error (a DaemonSet or Job owner); a missing object of a scalable kind is just not found.
 */
function getScaleController(ref: OwnerReference, namespace: string, deps: FinderDeps): Found {
  const group = groupOf(ref.apiVersion);
  const info = deps.table.resources.find((r) => r.kind === ref.kind && r.group === group);
  if (!info) throw new Error(`no matches for kind ${JSON.stringify(ref.kind)} in version ${JSON.stringify(ref.apiVersion)}`);
  const gr = groupResource(info);
  const hasScale = (info.subresources as Array<{ name: string }>).some((s) => s.name === 'scale');
  if (!hasScale) throw new Error(`${gr} does not implement the scale subresource`);
  const o = deps.client.get(gr, { namespace, name: ref.name });
  return o && o.metadata.uid === ref.uid ? { uid: ref.uid, scale: replicas(o) } : undefined;
}
