// Port of kubernetes pkg/controller/replicaset/replica_set.go (handlers, syncReplicaSet,
// manageReplicas, getIndirectlyRelatedPods) on the shared informers and the in-process client.
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import { StatusError } from '../api/errors.js';
import type { ClusterContext, StartComponent } from '../cluster.js';
import type { LocalClient } from '../client/api-client.js';
import type { Clock } from '../clock.js';
import { BY_CONTROLLER_UID, BY_NAMESPACE, controllerUIDs, ORPHANS_BY_NAMESPACE } from '../informers/factory.js';
import { objectKey, type Informer } from '../informers/informer.js';
import { selectorFromLabelSelector } from '../registry/selectors.js';
import { jsonEqual } from '../registry/strategy.js';
import {
  BURST_REPLICAS,
  claimObjects,
  ControllerExpectations,
  ENABLE_TERMINATING_REPLICAS,
  getControllerOf,
  getPodFromTemplate,
  getPodsToDelete,
  isPodActive,
  isPodAvailable,
  isPodReady,
  isPodTerminating,
  newControllerRef,
  nextAvailabilityCheckMs,
  podKey,
  podReadyTime,
  SLOW_START_INITIAL_BATCH_SIZE,
  slowStartBatch,
} from './controller-utils.js';
import type { EventRecorder } from './events.js';
import { PodTally } from './replicaset/pod-tally.js';
import { calculateStatus, carriesLabels, updateReplicaSetStatus, type ReplicaCounts } from './replicaset/status.js';
import { runController, type Result, type RunningController } from './runner.js';
import { KUBE_CONTROLLER_MANAGER } from './field-managers.js';

/**
 * What differs between the two controllers this class runs: upstream's ReplicationManager is the
 * ReplicaSet controller behind an adapter (pkg/controller/replication), and so is ours.
 */
export interface ReplicatedKind {
  resource: string;
  apiVersion: string;
  kind: string;
  component: string;
  /** The object's selector as a LabelSelector (a ReplicationController's is a plain map), the same object while the selector is. */
  selector(obj: Readonly<KubeObject>): LabelSelector;
}

const REPLICA_SET: ReplicatedKind = {
  resource: 'replicasets.apps', apiVersion: 'apps/v1', kind: 'ReplicaSet', component: 'replicaset-controller',
  selector: (o) => (o as unknown as ReplicaSet).spec?.selector ?? {},
};

// One LabelSelector per stored selector map: a sync knows an unchanged selector by identity.
const rcSelectors = new WeakMap<object, LabelSelector>();

const REPLICATION_CONTROLLER: ReplicatedKind = {
  resource: 'replicationcontrollers', apiVersion: 'v1', kind: 'ReplicationController', component: 'replication-controller',
  selector: (o) => {
    const map = (o.spec as { selector?: Record<string, string> } | undefined)?.selector;
    if (!map) return { matchLabels: {} };
    let selector = rcSelectors.get(map);
    if (!selector) rcSelectors.set(map, (selector = { matchLabels: map }));
    return selector;
  },
};
/** Extra delay on the availability requeue after a pod turns ready (avoids millisecond skew). */
const AVAILABILITY_SKEW_MS = 1000;
const WORKERS = 1;
const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/** Starts the ReplicaSet controller (replicaset-controller) on the shared informers. */
export const startReplicaSetController: StartComponent = (ctx) => new ReplicaSetController(ctx).start();

/** Starts the ReplicationController controller (replication-controller), the same logic for v1 RCs. */
export const startReplicationController: StartComponent = (ctx) => new ReplicaSetController(ctx, REPLICATION_CONTROLLER).start();

/**
 * Keeps each ReplicaSet's pod count at `spec.replicas`: claims pods by controllerRef and selector,
 * creates missing pods in slow-start batches, deletes surplus pods in upstream's ranking order, and
 * writes status. Expectations keep a sync on a lagging pod cache from acting twice.
 */
export class ReplicaSetController {
  private readonly client: LocalClient;
  private readonly rsInformer: Informer;
  private readonly podInformer: Informer;
  private readonly recorder: EventRecorder;
  private readonly clock: Clock;
  private readonly expectations: ControllerExpectations;
  /** Pod counts by ReplicaSet uid, built by a sync that walked the pods and kept current by pod events. */
  private readonly tallies = new Map<string, PodTally>();
  private running: RunningController | undefined;

  constructor(ctx: ClusterContext, private readonly kind: ReplicatedKind = REPLICA_SET) {
    this.client = ctx.client(KUBE_CONTROLLER_MANAGER);
    this.rsInformer = ctx.informers.for(kind.resource);
    this.podInformer = ctx.informers.for('pods');
    this.recorder = ctx.recorder({ component: kind.component });
    this.clock = ctx.clock;
    this.expectations = new ControllerExpectations(ctx.clock);
  }

  /** Registers the handlers and starts the worker; returns stop. */
  start(): () => void {
    // replica_set.go requeues a failed sync rate-limited for ever (no maxRetries): a create refused
    // by a quota succeeds at a later retry once the quota has room.
    this.running = runController({ name: this.kind.component, reconcile: (key) => this.syncReplicaSet(key) }, this.clock, { workers: WORKERS, maxRetries: Infinity });
    this.rsInformer.on({
      add: (rs) => this.enqueue(rs),
      update: (_old, rs) => this.enqueue(rs),
      delete: (rs) => {
        this.expectations.deleteExpectations(objectKey(rs));
        this.tallies.delete(rs.metadata.uid ?? '');
        this.enqueue(rs);
      },
    });
    // Tallies first: every pod event reaches them, including those the handlers below ignore.
    this.podInformer.on({
      add: (p) => this.tallyOf(p)?.add(p),
      update: (o, p) => {
        this.tallyOf(o)?.remove(o.metadata.uid ?? '');
        this.tallyOf(p)?.add(p);
      },
      delete: (p) => this.tallyOf(p)?.remove(p.metadata.uid ?? ''),
    });
    this.podInformer.on({ add: (p) => this.addPod(p), update: (o, p) => this.updatePod(o, p), delete: (p) => this.deletePod(p) });
    return () => this.running?.stop();
  }

  /** The tally of the ReplicaSet a pod's controller reference names (the pod's controller-uid bucket). */
  private tallyOf(pod: Readonly<KubeObject>): PodTally | undefined {
    const uid = controllerUIDs(pod)[0];
    return uid === undefined ? undefined : this.tallies.get(uid);
  }

  private enqueue(rs: Readonly<KubeObject>, afterMs = 0): void {
    if (afterMs > 0) this.running?.queue.addAfter(objectKey(rs), afterMs);
    else this.running?.queue.add(objectKey(rs));
  }

  /** The RS a controllerRef points at, if it still is that RS (same uid). */
  private resolveControllerRef(namespace: string, ref: { kind: string; name: string; uid: string } | undefined): Readonly<KubeObject> | undefined {
    if (!ref || ref.kind !== this.kind.kind) return undefined;
    const rs = this.rsInformer.get(`${namespace}/${ref.name}`);
    return rs?.metadata.uid === ref.uid ? rs : undefined;
  }

  /** RSs whose selector matches an orphan pod's labels (GetPodReplicaSets). */
  private getPodReplicaSets(pod: Readonly<KubeObject>): Readonly<KubeObject>[] {
    return this.rsInformer.byIndex(BY_NAMESPACE, pod.metadata.namespace ?? '').filter((rs) => {
      const sel = selectorFromLabelSelector(this.kind.selector(rs));
      return !sel.empty && sel.matches(pod);
    });
  }

  private addPod(pod: Readonly<KubeObject>): void {
    if (pod.metadata.deletionTimestamp) return this.deletePod(pod);
    const ref = getControllerOf(pod);
    if (ref) {
      const rs = this.resolveControllerRef(pod.metadata.namespace ?? '', ref);
      if (!rs) return;
      this.expectations.creationObserved(objectKey(rs));
      return this.enqueue(rs);
    }
    // An orphan: every matching RS gets a chance to adopt it; no creation is observed.
    for (const rs of this.getPodReplicaSets(pod)) this.enqueue(rs);
  }

  private updatePod(old: Readonly<KubeObject>, cur: Readonly<KubeObject>): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    // Upstream queues the RS on every pod update; one that changes nothing the sync reads (a pod IP,
    // a container state short of readiness) would only recompute the same status, which costs
    // O(pods of the RS) per update in a large ReplicaSet.
    if (!rsRelevantChange(old, cur)) return;
    const labelChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (cur.metadata.deletionTimestamp) {
      // A graceful delete shows up as an update: replace the pod now, not when the kubelet is done.
      this.deletePod(cur);
      if (labelChanged) this.deletePod(old);
      return;
    }
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const rs = this.resolveControllerRef(old.metadata.namespace ?? '', oldRef);
      if (rs) this.enqueue(rs);
    }
    if (curRef) {
      const rs = this.resolveControllerRef(cur.metadata.namespace ?? '', curRef);
      if (!rs) return;
      this.enqueue(rs);
      const minReadySeconds = (rs as unknown as ReplicaSet).spec?.minReadySeconds ?? 0;
      if (!isPodReady(old as Pod) && isPodReady(cur as Pod) && minReadySeconds > 0) this.enqueue(rs, minReadySeconds * 1000 + AVAILABILITY_SKEW_MS);
      return;
    }
    if (labelChanged || refChanged) for (const rs of this.getPodReplicaSets(cur)) this.enqueue(rs);
  }

  private deletePod(pod: Readonly<KubeObject>): void {
    const rs = this.resolveControllerRef(pod.metadata.namespace ?? '', getControllerOf(pod));
    if (!rs) return;
    this.expectations.deletionObserved(objectKey(rs), podKey(pod));
    this.enqueue(rs);
  }

  /**
   * syncReplicaSet: claim pods, manage replicas when expectations are satisfied and the RS is not
   * being deleted, then always write status; a failed manage step is retried with back-off.
   */
  syncReplicaSet(key: string): Result | void {
    const cached = this.rsInformer.get(key);
    if (!cached) {
      this.expectations.deleteExpectations(key);
      return;
    }
    const rs = cached as unknown as ReplicaSet;
    const rsNeedsSync = this.expectations.satisfiedExpectations(key);
    const manage = rsNeedsSync && !rs.metadata?.deletionTimestamp;
    let counts = this.tallyCounts(cached);
    let activePods: Pod[] = [];
    // Deleting surplus pods ranks them: only then does a sync with a tally need the pods themselves.
    if (!counts || (manage && counts.replicas > (rs.spec?.replicas ?? 1))) ({ activePods, counts } = this.claimActivePods(cached));
    let manageErr: unknown;
    if (manage) manageErr = this.manageReplicas(key, activePods, counts.replicas, rs);
    const status = calculateStatus(rs, counts, manageErr, this.clock.now());
    updateReplicaSetStatus(this.client, rs, status, this.kind.resource);
    if (manageErr !== undefined) throw manageErr;
    const next = nextAvailabilityCheckMs(activePods, rs.spec?.minReadySeconds ?? 0, this.clock.now());
    return next === undefined ? undefined : { requeueAfterMs: next };
  }

  /**
   * The counts claimActivePods would give, from the ReplicaSet's tally, when nothing in this sync
   * needs the pod walk: no minReadySeconds (availability moves with the clock), the selector and
   * template the tally was built for, no owned pod to release and no orphan to adopt.
   */
  private tallyCounts(cached: Readonly<KubeObject>): ReplicaCounts | undefined {
    const rs = cached as unknown as ReplicaSet;
    if ((rs.spec?.minReadySeconds ?? 0) !== 0) return undefined;
    const tally = this.tallies.get(rs.metadata?.uid ?? '');
    if (!tally || tally.selector !== this.kind.selector(cached) || tally.template !== (rs.spec?.template?.metadata?.labels ?? NO_LABELS)) return undefined;
    const orphans = this.podInformer.byIndex(ORPHANS_BY_NAMESPACE, rs.metadata?.namespace ?? '');
    if (orphans.some((p) => isPodActive(p as Pod) && tally.matches(p))) return undefined;
    return tally.counts(ENABLE_TERMINATING_REPLICAS);
  }

  /**
   * FilterActivePods, claimPods and the counts of calculateStatus in one pass. Pods owned by others
   * are never claimed, so the RS's own pods plus the orphans are all claim can act on: the same
   * result as upstream's scan of the namespace, without its O(namespace) cost. What the pass reads
   * from each of its own pods is kept per pod version (PodSyncFacts), so a sync of a large RS does
   * not walk every pod object again. A ReplicaSet without a current tally gets one.
   */
  private claimActivePods(cached: Readonly<KubeObject>): { activePods: Pod[]; counts: ReplicaCounts } {
    const rs = cached as unknown as ReplicaSet;
    const uid = rs.metadata?.uid ?? '';
    const lSelector = this.kind.selector(cached);
    const selector = selectorFromLabelSelector(lSelector);
    const template = rs.spec?.template?.metadata?.labels ?? NO_LABELS;
    const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
    const now = this.clock.now();
    const activePods: Pod[] = [];
    const counts: ReplicaCounts = { replicas: 0, fullyLabeled: 0, ready: 0, available: 0 };
    if (ENABLE_TERMINATING_REPLICAS) counts.terminating = 0;
    const count = (pod: Pod, f: PodSyncFacts): void => {
      activePods.push(pod);
      if (f.template !== template) {
        f.template = template;
        f.fullyLabeled = carriesLabels(pod.metadata?.labels ?? {}, template);
      }
      if (f.fullyLabeled) counts.fullyLabeled++;
      if (!f.ready) return;
      counts.ready++;
      if (minReadySeconds === 0 || isPodAvailable(pod, minReadySeconds, now)) counts.available++;
    };
    const stale = this.tallies.get(uid);
    const tally = minReadySeconds === 0 && (stale?.selector !== lSelector || stale.template !== template) ? new PodTally(lSelector, template, selector.matches) : undefined;
    for (const entry of this.podInformer.indexEntries(BY_CONTROLLER_UID, uid)) {
      const pod = entry.obj as Pod;
      tally?.add(entry.obj);
      const f = (entry.memo ??= podSyncFacts(pod)) as PodSyncFacts;
      if (f.selector !== lSelector) {
        f.selector = lSelector;
        f.matches = selector.matches(entry.obj);
      }
      if (counts.terminating !== undefined && f.terminating && f.matches) counts.terminating++;
      if (!f.active) continue;
      // Owned and matching: claimDecision says "owned"; anything else goes through the claim.
      if (f.matches) count(pod, f);
      else for (const p of this.claimPods(cached, [entry.obj], selector.matches)) count(p as Pod, podSyncFacts(p as Pod));
    }
    if (tally) this.tallies.set(uid, tally);
    const orphans = this.podInformer.byIndex(ORPHANS_BY_NAMESPACE, rs.metadata?.namespace ?? '').filter((p) => isPodActive(p as Pod));
    for (const p of this.claimPods(cached, orphans, selector.matches)) count(p as Pod, podSyncFacts(p as Pod));
    counts.replicas = activePods.length;
    return { activePods, counts };
  }

  private claimPods(rs: Readonly<KubeObject>, pods: readonly Readonly<KubeObject>[], matches: (o: Readonly<KubeObject>) => boolean): Readonly<KubeObject>[] {
    return claimObjects(pods, {
      client: this.client,
      resource: 'pods',
      controller: rs,
      controllerRef: newControllerRef(rs, this.kind.apiVersion, this.kind.kind),
      matches,
      // RecheckDeletionTimestamp: adopt only if a fresh read shows the same, live RS.
      canAdopt: () => {
        const fresh = this.client.get(this.kind.resource, { namespace: rs.metadata.namespace ?? '', name: rs.metadata.name ?? '' });
        return fresh?.metadata.uid === rs.metadata.uid && !fresh?.metadata.deletionTimestamp;
      },
    });
  }

  /** manageReplicas: create or delete pods to reach spec.replicas, at most BURST_REPLICAS per sync; deletions rank activePods. */
  private manageReplicas(key: string, activePods: Pod[], active: number, rs: ReplicaSet): unknown {
    const diff = active - (rs.spec?.replicas ?? 1);
    if (diff < 0) return this.createPods(key, Math.min(-diff, BURST_REPLICAS), rs);
    if (diff > 0) return this.deletePods(key, activePods, Math.min(diff, BURST_REPLICAS), rs);
    return undefined;
  }

  private createPods(key: string, count: number, rs: ReplicaSet): unknown {
    this.expectations.expectCreations(key, count);
    const owner = rs as unknown as KubeObject;
    const { successes, error } = slowStartBatch(count, SLOW_START_INITIAL_BATCH_SIZE, () => this.createPod(owner, rs));
    // Pods never created (skipped batches, failures) will never be observed by the informer.
    for (let i = successes; i < count; i++) this.expectations.creationObserved(key);
    return error;
  }

  /** RealPodControl.CreatePods: one pod from the template, with events for success and failure. */
  private createPod(owner: KubeObject, rs: ReplicaSet): void {
    const pod = getPodFromTemplate(rs.spec?.template ?? {}, rs, newControllerRef(rs, this.kind.apiVersion, this.kind.kind));
    try {
      if (Object.keys(pod.metadata.labels ?? {}).length === 0) throw new Error('unable to create pods, no labels');
      const created = this.client.create('pods', pod);
      this.recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name ?? ''}`);
    } catch (e) {
      // Creates into a terminating namespace fail for good: nothing to report or retry.
      if (e instanceof StatusError && e.details?.causes?.some((c) => c.reason === 'NamespaceTerminating')) return;
      this.recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  }

  private deletePods(key: string, activePods: Pod[], count: number, rs: ReplicaSet): unknown {
    const victims = getPodsToDelete(activePods, this.getIndirectlyRelatedPods(rs), count, this.clock.now());
    this.expectations.expectDeletions(key, victims.map(podKey));
    const owner = rs as unknown as KubeObject;
    let firstErr: unknown;
    for (const pod of victims) {
      const name = pod.metadata?.name ?? '';
      try {
        this.client.delete('pods', { namespace: pod.metadata?.namespace ?? '', name });
        this.recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
      } catch (e) {
        // The informer will not see this deletion: stop waiting for it.
        this.expectations.deletionObserved(key, podKey(pod));
        this.recorder.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${e instanceof Error ? e.message : String(e)}`);
        firstErr ??= e;
      }
    }
    return firstErr;
  }

  /** Pods of every RS with the same controller (sibling RSs of one Deployment), each once. */
  private getIndirectlyRelatedPods(rs: ReplicaSet): Pod[] {
    const ref = getControllerOf(rs as unknown as KubeObject);
    if (!ref) return [];
    const seen = new Set<string>();
    const related: Pod[] = [];
    for (const sibling of this.rsInformer.byIndex(BY_CONTROLLER_UID, ref.uid)) {
      const sel = selectorFromLabelSelector(this.kind.selector(sibling));
      for (const pod of this.podInformer.byIndex(BY_NAMESPACE, sibling.metadata.namespace ?? '')) {
        const uid = pod.metadata.uid ?? '';
        if (!sel.matches(pod) || seen.has(uid)) continue;
        seen.add(uid);
        related.push(pod as Pod);
      }
    }
    return related;
  }
}

/** What a ReplicaSet sync reads from one version of a pod, and its last selector and template answers. */
interface PodSyncFacts {
  active: boolean;
  terminating: boolean;
  ready: boolean;
  selector?: object;
  matches?: boolean;
  template?: object;
  fullyLabeled?: boolean;
}

function podSyncFacts(pod: Pod): PodSyncFacts {
  return { active: isPodActive(pod), terminating: isPodTerminating(pod), ready: isPodReady(pod) };
}

/**
 * Whether a pod update changes what a ReplicaSet sync reads from a pod: ownership, labels, phase,
 * deletion, and whether it is ready and since when (availability). A Ready condition that appears
 * as False changes nothing the sync counts: the kubelet's first status of every pod would only
 * recompute the same status.
 */
function rsRelevantChange(old: Readonly<KubeObject>, cur: Readonly<KubeObject>): boolean {
  const [o, c] = [old as unknown as Pod, cur as unknown as Pod];
  return (
    o.status?.phase !== c.status?.phase ||
    o.metadata?.deletionTimestamp !== c.metadata?.deletionTimestamp ||
    isPodReady(o) !== isPodReady(c) ||
    podReadyTime(o) !== podReadyTime(c) ||
    !jsonEqual(o.metadata?.labels, c.metadata?.labels) ||
    !jsonEqual(o.metadata?.ownerReferences, c.metadata?.ownerReferences)
  );
}
