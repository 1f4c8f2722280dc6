// Port of kubernetes pkg/controller/daemon/update.go (rollingUpdate, findUpdatedPodsOnNode,
// updatedDesiredNodeCounts, constructHistory, cleanupHistory, snapshot) and of util.SurgeCount /
// util.UnavailableCount.
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import type { LocalClient } from '../../client/api-client.js';
import { computeHash, getScaledValueFromIntOrPercent } from '../deployment/util.js';
import { CONTROLLER_REVISIONS, controllerRef, ownedRevisions, sortedJSON, templatePatch, type ControllerRevision } from '../history.js';
import { isTerminating } from '../statefulset/pod-state.js';
import { DAEMONSET_UNIQUE_LABEL, isPodUpdated, nodeShouldRunDaemonPod, templateGeneration } from './placement.js';

/** What a sync works on: the DaemonSet, the nodes, its pods by target node and its clock. */
export interface DaemonSetState {
  ds: DaemonSet;
  nodes: Node[];
  nodeToPods: Map<string, Readonly<KubeObject>[]>;
  hash: string;
  available: (p: Readonly<KubeObject>) => boolean;
}

/** Whether the rolling update may run two pods on a node (maxSurge > 0). */
export function allowsSurge(ds: DaemonSet): boolean {
  const ru = ds.spec?.updateStrategy?.type === 'RollingUpdate' ? ds.spec.updateStrategy.rollingUpdate : undefined;
  const surge = ru?.maxSurge;
  return surge !== undefined && getScaledValueFromIntOrPercent(surge, 100, true) > 0;
}

/**
 * updatedDesiredNodeCounts: maxSurge and maxUnavailable against the number of nodes that should
 * run the daemon (both round up); both 0 would stall the update, so unavailable becomes 1.
 */
function desiredNodeCounts(st: DaemonSetState): { maxSurge: number; maxUnavailable: number } {
  let desired = 0;
  for (const node of st.nodes) {
    if (!nodeShouldRunDaemonPod(node, st.ds).shouldRun) continue;
    desired++;
    if (!st.nodeToPods.has(node.metadata?.name ?? '')) st.nodeToPods.set(node.metadata?.name ?? '', []);
  }
  const ru = st.ds.spec?.updateStrategy?.rollingUpdate;
  const maxSurge = getScaledValueFromIntOrPercent(ru?.maxSurge ?? 0, desired, true);
  let maxUnavailable = getScaledValueFromIntOrPercent(ru?.maxUnavailable ?? 1, desired, true);
  if (desired > 0 && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/** findUpdatedPodsOnNode: the node's live new and old pod; ok=false with duplicates of either. */
function findUpdatedPodsOnNode(st: DaemonSetState, pods: readonly Readonly<KubeObject>[]): { newPod?: Readonly<KubeObject>; oldPod?: Readonly<KubeObject>; ok: boolean } {
  let newPod: Readonly<KubeObject> | undefined;
  let oldPod: Readonly<KubeObject> | undefined;
  const generation = templateGeneration(st.ds);
  for (const p of pods) {
    if (isTerminating(p)) continue;
    if (isPodUpdated(p, st.hash, generation)) {
      if (newPod) return { ok: false };
      newPod = p;
    } else {
      if (oldPod) return { ok: false };
      oldPod = p;
    }
  }
  return { newPod, oldPod, ok: true };
}

/**
 * rollingUpdate without surge: old pods that are unavailable go at once; available old pods go
 * while fewer than maxUnavailable nodes lack an available pod. The manage step of the next sync
 * creates the replacements. Returns the pods to delete and nodes to create on.
 */
export function rollingUpdate(st: DaemonSetState): { deletes: string[]; creates: string[] } {
  const { maxSurge, maxUnavailable } = desiredNodeCounts(st);
  if (maxSurge > 0) return surgingUpdate(st, maxSurge);
  let numUnavailable = 0;
  const allowed: string[] = [];
  const candidates: string[] = [];
  for (const pods of st.nodeToPods.values()) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(st, pods);
    if (!ok || (!newPod && !oldPod) || (newPod && oldPod)) {
      numUnavailable++;
    } else if (newPod) {
      if (!st.available(newPod)) numUnavailable++;
    } else if (!st.available(oldPod!)) {
      allowed.push(oldPod!.metadata.name ?? '');
    } else if (numUnavailable < maxUnavailable) {
      candidates.push(oldPod!.metadata.name ?? '');
    }
  }
  const remaining = Math.min(Math.max(0, maxUnavailable - numUnavailable), candidates.length);
  return { deletes: [...allowed, ...candidates.slice(0, remaining)], creates: [] };
}

/**
 * rollingUpdate with surge: a new pod is started next to an old one (at once when the old one is
 * unavailable, otherwise up to maxSurge at a time), and the old pod goes once the new one is available.
 */
function surgingUpdate(st: DaemonSetState, maxSurge: number): { deletes: string[]; creates: string[] } {
  const deletes: string[] = [];
  const allowed: string[] = [];
  const candidates: string[] = [];
  let numSurge = 0;
  for (const [nodeName, pods] of st.nodeToPods) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(st, pods);
    if (!ok) {
      numSurge++;
    } else if (!oldPod) {
      continue;
    } else if (!newPod) {
      if (!st.available(oldPod)) allowed.push(nodeName);
      else if (numSurge < maxSurge) candidates.push(nodeName);
    } else if (!st.available(newPod)) {
      numSurge++;
    } else {
      deletes.push(oldPod.metadata.name ?? '');
    }
  }
  const remaining = Math.min(Math.max(0, maxSurge - numSurge), candidates.length);
  return { deletes, creates: [...allowed, ...candidates.slice(0, remaining)] };
}

/**
 * constructHistory: the revision matching the current template (created as `<ds>-<hash>` with the
 * next revision number when missing, renumbered when an older one is reused) and the old ones.
 */
export function constructHistory(client: LocalClient, ds: DaemonSet): { cur: ControllerRevision; old: ControllerRevision[] } {
  const owner = ds as unknown as KubeObject;
  const data = templatePatch(ds.spec?.template);
  const wanted = sortedJSON(data);
  const all = ownedRevisions(client, owner);
  const current = all.filter((r) => sortedJSON(r.data) === wanted);
  const old = all.filter((r) => sortedJSON(r.data) !== wanted);
  const next = old.reduce((m, r) => Math.max(m, r.revision), 0) + 1;
  if (current.length === 0) return { cur: snapshot(client, ds, data, next), old };
  // dedupCurHistories: keep the highest revision of the equal ones.
  const keep = current.reduce((a, b) => (b.revision >= a.revision ? b : a));
  for (const dup of current) if (dup !== keep) client.delete(CONTROLLER_REVISIONS, { namespace: dup.metadata.namespace ?? '', name: dup.metadata.name ?? '' });
  if (keep.revision >= next) return { cur: keep, old };
  const cur = client.mutate(CONTROLLER_REVISIONS, { namespace: keep.metadata.namespace ?? '', name: keep.metadata.name ?? '' }, (o) => ({ ...o, revision: next })) as ControllerRevision;
  return { cur, old };
}

/** snapshot: a new revision named `<ds>-<ComputeHash(template, collisionCount)>`, bumping collisionCount on a name clash. */
function snapshot(client: LocalClient, ds: DaemonSet, data: unknown, revision: number): ControllerRevision {
  const ns = ds.metadata?.namespace ?? '';
  const hash = computeHash(ds.spec!.template, ds.status?.collisionCount);
  const name = `${ds.metadata?.name ?? ''}-${hash}`;
  const rev: ControllerRevision = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name,
      namespace: ns,
      labels: { ...(ds.spec?.template.metadata?.labels ?? {}), [DAEMONSET_UNIQUE_LABEL]: hash },
      ...(ds.metadata?.annotations ? { annotations: { ...ds.metadata.annotations } } : {}),
      ownerReferences: [controllerRef(ds as unknown as KubeObject)],
    },
    data,
    revision,
  };
  const existing = client.get(CONTROLLER_REVISIONS, { namespace: ns, name }) as ControllerRevision | undefined;
  if (!existing) return client.create(CONTROLLER_REVISIONS, rev) as ControllerRevision;
  if (sortedJSON(existing.data) === sortedJSON(data)) return existing;
  client.mutate('daemonsets.apps', { namespace: ns, name: ds.metadata?.name ?? '' }, (o) => {
    const status = (o.status ?? {}) as { collisionCount?: number };
    return { ...o, status: { ...status, collisionCount: (status.collisionCount ?? 0) + 1 } };
  }, { status: true });
  throw new Error(`hash collision for DaemonSet ${ns}/${ds.metadata?.name ?? ''}: bumped collisionCount`);
}

/**
 * cleanupHistory: keeps at most revisionHistoryLimit old revisions, deleting the lowest revision
 * numbers first but never one whose hash a live pod still carries.
 */
export function cleanupHistory(client: LocalClient, st: DaemonSetState, old: ControllerRevision[]): void {
  let toKill = old.length - (st.ds.spec?.revisionHistoryLimit ?? 10);
  if (toKill <= 0) return;
  const liveHashes = new Set<string>();
  for (const pods of st.nodeToPods.values()) for (const p of pods) {
    const h = p.metadata.labels?.[DAEMONSET_UNIQUE_LABEL];
    if (h) liveHashes.add(h);
  }
  for (const rev of [...old].sort((a, b) => a.revision - b.revision)) {
    if (toKill <= 0) break;
    if (liveHashes.has(rev.metadata.labels?.[DAEMONSET_UNIQUE_LABEL] ?? '')) continue;
    client.delete(CONTROLLER_REVISIONS, { namespace: rev.metadata.namespace ?? '', name: rev.metadata.name ?? '' });
    toKill--;
  }
}
