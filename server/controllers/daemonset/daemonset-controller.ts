// Port of kubernetes pkg/controller/daemon/daemon_controller.go (syncDaemonSet, manage, syncNodes,
// updateDaemonSetStatus, getNodesToDaemonPods, getUnscheduledPodsWithoutNode).
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import type { ClusterContext, StartComponent } from '../../cluster.js';
import type { LocalClient } from '../../client/api-client.js';
import { objectKey } from '../../informers/informer.js';
import { generateName, type Random } from '../../random.js';
import { selectorFromLabelSelector } from '../../registry/selectors.js';
import { cloneJSON, jsonEqual } from '../../registry/strategy.js';
import type { EventRecorder } from '../events.js';
import { controllerRef } from '../history.js';
import { runController, type Result } from '../runner.js';
import { compareDaemonPods, createPodTemplate, isPodUpdated, nodeShouldRunDaemonPod, podsShouldBeOnNode, replaceNodeNameAffinity, targetNodeName, templateGeneration } from './placement.js';
import { allowsSurge, cleanupHistory, constructHistory, rollingUpdate, type DaemonSetState } from './update.js';
import { getControllerOf } from '../controller-utils.js';
import { isControlledBy, isPodAvailable, isPodReady, podNodeName } from '../statefulset/pod-state.js';
import { KUBE_CONTROLLER_MANAGER } from '../field-managers.js';

const DAEMONSETS = 'daemonsets.apps';
/** The event source of this controller. */
export const DAEMONSET_CONTROLLER = 'daemonset-controller';
/** Reason of the Warning about a failed daemon pod being replaced. */
export const FAILED_DAEMON_POD_REASON = 'FailedDaemonPod';
/** Reason of the event about a succeeded daemon pod being replaced. */
export const SUCCEEDED_DAEMON_POD_REASON = 'SucceededDaemonPod';
/** Reason of the Warning about a DaemonSet whose selector selects every pod. */
export const SELECTING_ALL_REASON = 'SelectingAll';
/** Upstream's BurstReplicas: creations and deletions per sync. */
const BURST_REPLICAS = 250;
/** Added to minReadySeconds before rechecking a newly ready pod, against millisecond skew (upstream #39785). */
const AVAILABLE_RECHECK_MARGIN_MS = 1000;

/** What one DaemonSet sync works with. */
interface SyncContext {
  client: LocalClient;
  recorder: EventRecorder;
  random: Random;
  nowMs: () => number;
}

/**
 * Starts the DaemonSet controller: DaemonSets, their pods and every node change queue the
 * DaemonSet keys; reconcile runs syncDaemonSet.
 */
export const startDaemonSetController: StartComponent = (ctx: ClusterContext) => {
  const sync: SyncContext = { client: ctx.client(KUBE_CONTROLLER_MANAGER), recorder: ctx.recorder({ component: DAEMONSET_CONTROLLER }), random: ctx.random, nowMs: () => ctx.clock.now() };
  const dsInformer = ctx.informers.for(DAEMONSETS);
  const running = runController({ name: DAEMONSET_CONTROLLER, reconcile: (key) => syncDaemonSet(sync, key) }, ctx.clock);
  const enqueue = (o: Readonly<KubeObject>): void => running.queue.add(objectKey(o));
  const enqueueAll = (): void => dsInformer.list().forEach(enqueue);
  const enqueueOwner = (pod: Readonly<KubeObject>): void => {
    const ref = getControllerOf(pod);
    if (ref?.kind === 'DaemonSet') running.queue.add(`${pod.metadata.namespace ?? ''}/${ref.name}`);
  };
  // updatePod: a pod turning Ready becomes available only minReadySeconds later, and no other
  // event marks that moment, so the DaemonSet is looked at again then (plus upstream's 1 s margin).
  const recheckWhenAvailable = (o: Readonly<KubeObject>, n: Readonly<KubeObject>): void => {
    const ref = getControllerOf(n);
    if (ref?.kind !== 'DaemonSet' || isPodReady(o) || !isPodReady(n)) return;
    const key = `${n.metadata.namespace ?? ''}/${ref.name}`;
    const minReady = (dsInformer.get(key) as DaemonSet | undefined)?.spec?.minReadySeconds ?? 0;
    if (minReady > 0) running.queue.addAfter(key, minReady * 1000 + AVAILABLE_RECHECK_MARGIN_MS);
  };
  dsInformer.on({ add: enqueue, update: (_o, n) => enqueue(n), delete: enqueue });
  ctx.informers.for('pods').on({
    add: enqueueOwner,
    update: (o, n) => {
      enqueueOwner(o);
      enqueueOwner(n);
      recheckWhenAvailable(o, n);
    },
    delete: enqueueOwner,
  });
  ctx.informers.for('nodes').on({
    add: enqueueAll,
    // updateNode: a heartbeat changes neither labels nor taints (shouldIgnoreNodeUpdate), and a
    // DaemonSet is looked at only when its placement on the node changed.
    update: (o, n) => {
      const oldNode = o as unknown as Node;
      const curNode = n as unknown as Node;
      if (jsonEqual(oldNode.metadata?.labels ?? {}, curNode.metadata?.labels ?? {}) && jsonEqual(oldNode.spec?.taints ?? [], curNode.spec?.taints ?? [])) return;
      for (const ds of dsInformer.list()) {
        const before = nodeShouldRunDaemonPod(oldNode, ds as unknown as DaemonSet);
        const after = nodeShouldRunDaemonPod(curNode, ds as unknown as DaemonSet);
        if (before.shouldRun !== after.shouldRun || before.shouldContinueRunning !== after.shouldContinueRunning) enqueue(ds);
      }
    },
    delete: enqueueAll,
  });
  return running.stop;
};

/**
 * syncDaemonSet: the dispatcher. Reads the current DaemonSet (gone → done), builds its history,
 * creates and deletes pods per node, runs the rolling update, trims history and writes status.
 */
export function syncDaemonSet(sync: SyncContext, key: string): Result | void {
  const [namespace, name] = key.split('/') as [string, string];
  const ds = sync.client.get(DAEMONSETS, { namespace, name }) as DaemonSet | undefined;
  if (!ds || ds.metadata?.deletionTimestamp) return;
  const selector = ds.spec?.selector ?? {};
  if (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0) {
    sync.recorder.event(ds as unknown as KubeObject, 'Warning', SELECTING_ALL_REASON, 'This daemon set is selecting all pods. A non-empty selector is required.');
    return;
  }
  const nodes = sync.client.list('nodes') as unknown as Node[];
  const { cur, old } = constructHistory(sync.client, ds);
  const hash = cur.metadata.labels?.['controller-revision-hash'] ?? '';
  const st = daemonSetState(sync, ds, nodes, hash);
  manage(sync, st);
  if (ds.spec?.updateStrategy?.type !== 'OnDelete') {
    const { deletes, creates } = rollingUpdate(daemonSetState(sync, ds, nodes, hash));
    syncNodes(sync, ds, deletes, creates, hash);
  }
  const fresh = daemonSetState(sync, ds, nodes, hash);
  cleanupHistory(sync.client, fresh, old);
  return updateDaemonSetStatus(sync, fresh);
}

function daemonSetState(sync: SyncContext, ds: DaemonSet, nodes: Node[], hash: string): DaemonSetState {
  const minReady = ds.spec?.minReadySeconds ?? 0;
  return { ds, nodes, nodeToPods: nodesToDaemonPods(sync.client, ds), hash, available: (p) => isPodAvailable(p, minReady, sync.nowMs()) };
}

/**
 * getNodesToDaemonPods: the DaemonSet's pods grouped by the node they run on or are pinned to.
 * Read through the client, not the informer, so pods this controller just created are counted
 * (what upstream's expectations achieve).
 */
function nodesToDaemonPods(client: LocalClient, ds: DaemonSet): Map<string, Readonly<KubeObject>[]> {
  const selector = selectorFromLabelSelector(ds.spec?.selector ?? {});
  const out = new Map<string, Readonly<KubeObject>[]>();
  for (const pod of client.list('pods', { namespace: ds.metadata?.namespace ?? '' })) {
    if (!isControlledBy(pod, ds.metadata?.uid) || !selector.matches(pod)) continue;
    const node = targetNodeName(pod);
    if (node === undefined) continue;
    out.set(node, [...(out.get(node) ?? []), pod]);
  }
  return out;
}

/**
 * manage: per node, create the missing daemon pod or delete the pods that must go; also delete
 * unbound pods pinned to nodes that no longer exist (nothing else would ever clean them up).
 */
function manage(sync: SyncContext, st: DaemonSetState): void {
  const creates: string[] = [];
  const deletes: string[] = [];
  const surge = allowsSurge(st.ds);
  for (const node of st.nodes) {
    const nodeName = node.metadata?.name ?? '';
    const plan = podsShouldBeOnNode(node, st.ds, st.nodeToPods.get(nodeName) ?? [], { hash: st.hash, surge, nowMs: sync.nowMs(), available: st.available });
    if (plan.create) creates.push(nodeName);
    deletes.push(...plan.deletes);
    for (const p of plan.failed) {
      sync.recorder.event(st.ds as unknown as KubeObject, 'Warning', FAILED_DAEMON_POD_REASON, `Found failed daemon pod ${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''} on node ${nodeName}, will try to kill it`);
    }
  }
  const existing = new Set(st.nodes.map((n) => n.metadata?.name ?? ''));
  for (const [nodeName, pods] of st.nodeToPods) {
    if (!existing.has(nodeName)) deletes.push(...pods.filter((p) => podNodeName(p) === '').map((p) => p.metadata.name ?? ''));
  }
  syncNodes(sync, st.ds, deletes, creates, st.hash);
}

/**
 * syncNodes: creates a pod pinned to each node in `creates` and deletes the named pods (at most
 * BURST_REPLICAS of each). Creation stops at the first error, like the slow-start batches do.
 */
function syncNodes(sync: SyncContext, ds: DaemonSet, deletes: string[], creates: string[], hash: string): void {
  const template = createPodTemplate(ds, hash);
  const owner = ds as unknown as KubeObject;
  const errors: unknown[] = [];
  for (const nodeName of creates.slice(0, BURST_REPLICAS)) {
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { ...cloneJSON(template.metadata ?? {}), name: generateName(`${ds.metadata?.name ?? ''}-`, sync.random), namespace: ds.metadata?.namespace ?? '', ownerReferences: [controllerRef(owner)] } as KubeObject['metadata'],
      spec: { ...cloneJSON(template.spec), affinity: replaceNodeNameAffinity(template.spec?.affinity, nodeName) },
    };
    try {
      const created = sync.client.create('pods', pod);
      sync.recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name ?? ''}`);
    } catch (e) {
      sync.recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${e instanceof Error ? e.message : String(e)}`);
      errors.push(e);
      break;
    }
  }
  for (const podName of deletes.slice(0, BURST_REPLICAS)) {
    try {
      sync.client.delete('pods', { namespace: ds.metadata?.namespace ?? '', name: podName });
      sync.recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${podName}`);
    } catch (e) {
      sync.recorder.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${e instanceof Error ? e.message : String(e)}`);
      errors.push(e);
    }
  }
  if (errors.length > 0) throw errors[0];
}

/**
 * updateDaemonSetStatus: counts over the nodes that should run the daemon (desired, current,
 * ready, available, updated, judged on each node's oldest pod) and the ones that run it without
 * reason (misscheduled). Rechecks after minReadySeconds while ready pods are not yet available.
 */
function updateDaemonSetStatus(sync: SyncContext, st: DaemonSetState): Result | void {
  const c = { desired: 0, current: 0, misscheduled: 0, ready: 0, available: 0, updated: 0 };
  const generation = templateGeneration(st.ds);
  for (const node of st.nodes) {
    const { shouldRun } = nodeShouldRunDaemonPod(node, st.ds);
    const pods = [...(st.nodeToPods.get(node.metadata?.name ?? '') ?? [])].sort(compareDaemonPods);
    if (!shouldRun) {
      if (pods.length > 0) c.misscheduled++;
      continue;
    }
    c.desired++;
    const pod = pods[0];
    if (!pod) continue;
    c.current++;
    if (isPodReady(pod)) c.ready++;
    if (isPodReady(pod) && st.available(pod)) c.available++;
    if (isPodUpdated(pod, st.hash, generation)) c.updated++;
  }
  const counts = {
    observedGeneration: st.ds.metadata?.generation,
    desiredNumberScheduled: c.desired,
    currentNumberScheduled: c.current,
    numberMisscheduled: c.misscheduled,
    numberReady: c.ready,
    updatedNumberScheduled: c.updated,
    numberAvailable: c.available,
    numberUnavailable: c.desired - c.available,
  };
  const key = { namespace: st.ds.metadata?.namespace ?? '', name: st.ds.metadata?.name ?? '' };
  sync.client.mutate(DAEMONSETS, key, (o) => ({ ...o, status: withCounts(o.status, counts) }), { status: true, pure: true });
  const minReady = st.ds.spec?.minReadySeconds ?? 0;
  if (minReady > 0 && c.ready !== c.available) return { requeueAfterMs: minReady * 1000 };
}

/** int32 fields marked omitempty upstream: a zero leaves them out of the stored status. */
const OMIT_EMPTY_FIELDS = ['observedGeneration', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'];

function withCounts(status: unknown, counts: Record<string, number | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(status as object), ...counts };
  for (const k of OMIT_EMPTY_FIELDS) if (!out[k]) delete out[k];
  return out;
}
