// Port of kubernetes pkg/controller/controller_utils.go (expectations, pod creation from a template,
// active/terminating filters, ActivePodsWithRanks) and pkg/api/v1/pod/util.go (IsPodReady,
// IsPodAvailable), shared by the workload controllers.
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject, OwnerReference } from '../../schemas/types/meta.js';
import type { Clock } from '../clock.js';
import type { LocalClient } from '../client/api-client.js';
import { cloneJSON } from '../registry/strategy.js';

/** How long expectations wait for the informer before a sync proceeds anyway (ExpectationsTimeout). */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;
/** Most pods a controller creates or deletes in one sync (burstReplicas). */
export const BURST_REPLICAS = 500;
/** First slow-start batch of pod creates (SlowStartInitialBatchSize). */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;
/** Annotation that ranks pods for scale-down: lower cost goes first. */
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

/**
 * Feature gate DeploymentReplicaSetTerminatingReplicas (beta, on by default in 1.35). Off here: the
 * served schemas come from kubernetes-types 1.30, whose RS and Deployment status lack the field,
 * so strict decoding of a stored object carrying it would fail.
 */
export const ENABLE_TERMINATING_REPLICAS = false;

const MS_TO_NS = 1_000_000;

/** The controlling owner reference of an object, if any (metav1.GetControllerOf). */
export function getControllerOf(obj: Readonly<KubeObject> | { metadata?: { ownerReferences?: OwnerReference[] } }): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** A controller owner reference to `owner` (metav1.NewControllerRef): controller and blockOwnerDeletion set. */
export function newControllerRef(owner: { metadata?: { name?: string; uid?: string } }, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata?.name ?? '', uid: owner.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** `namespace/name` of a pod, the key deletion expectations track (controller.PodKey). */
export function podKey(pod: { metadata?: { namespace?: string; name?: string } }): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

/** The Ready condition of one version of a pod, as the workload controllers read it. */
interface PodFacts {
  ready: boolean;
  /** The Ready condition's lastTransitionTime when ready: parsed only when asked (podReadyTime). */
  readyTime: string | undefined;
}

/**
 * Facts of stored pods, which are frozen and replaced rather than changed: a controller syncing a
 * large ReplicaSet reads the same pod versions on every sync, and reading them once per version
 * keeps the scan from walking every pod's conditions again.
 */
const podFactsMemo = new WeakMap<object, PodFacts>();

function podFacts(pod: Pod): PodFacts {
  const memo = podFactsMemo.get(pod);
  if (memo) return memo;
  const c = pod.status?.conditions?.find((x) => x.type === 'Ready');
  const ready = c?.status === 'True';
  const facts: PodFacts = { ready, readyTime: ready ? c.lastTransitionTime : undefined };
  if (Object.isFrozen(pod) && Object.isFrozen(pod.metadata) && Object.isFrozen(pod.status)) podFactsMemo.set(pod, facts);
  return facts;
}

// isPodActive and isPodTerminating read two fields: cheaper than the memo, whose entry for every
// pod version they would otherwise add (the ReplicaSet's pod tally asks on every pod event).

/** isPodActive: not Succeeded, not Failed and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
}

/** isPodTerminating: being deleted but not yet in a terminal phase (FilterTerminatingPods). */
export function isPodTerminating(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return !!pod.metadata?.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

/** isPodReady: the pod's Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return podFacts(pod).ready;
}

/** When the pod last became Ready (ms since epoch), or undefined when not ready or unknown. */
export function podReadyTime(pod: Pod): number | undefined {
  const time = podFacts(pod).readyTime;
  const ms = time ? Date.parse(time) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * isPodAvailable: Ready, and Ready for at least minReadySeconds (immediately when 0). A ready pod
 * without a transition time counts as available only when minReadySeconds is 0.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds === 0) return true;
  const readySince = podReadyTime(pod);
  return readySince !== undefined && readySince + minReadySeconds * 1000 <= nowMs;
}

/**
 * The delay until the first ready-but-not-yet-available pod becomes available, or undefined when
 * none will: the controller requeues then instead of waiting for an unrelated event.
 */
export function nextAvailabilityCheckMs(pods: readonly Pod[], minReadySeconds: number, nowMs: number): number | undefined {
  if (minReadySeconds === 0) return undefined;
  let next: number | undefined;
  for (const pod of pods) {
    const readySince = podReadyTime(pod);
    if (readySince === undefined) continue;
    const at = readySince + minReadySeconds * 1000;
    if (at > nowMs && (next === undefined || at < next)) next = at;
  }
  return next === undefined ? undefined : next - nowMs;
}

/**
 * getPodFromTemplate builds the pod a controller creates: labels, annotations and finalizers of the
 * template, `generateName: <owner>-`, the controller reference and a copy of the template spec.
 */
export function getPodFromTemplate(template: PodTemplateSpec, owner: { metadata?: { name?: string; namespace?: string } }, controllerRef: OwnerReference): KubeObject {
  const meta = template.metadata ?? {};
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      namespace: owner.metadata?.namespace ?? '',
      generateName: `${owner.metadata?.name ?? ''}-`,
      ...(meta.labels ? { labels: { ...meta.labels } } : {}),
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [controllerRef],
    },
    spec: cloneJSON(template.spec ?? {}),
  };
  return pod;
}

interface Expectation {
  add: number;
  del: number;
  /** Pod keys whose deletion is still to be observed (UIDTrackingControllerExpectations). */
  deleteKeys: Set<string>;
  timestampMs: number;
}

/**
 * ControllerExpectations (UID-tracking variant): after creating or deleting pods a controller
 * records what it expects its informer to show, and skips manage steps until the informer caught
 * up (or the expectations expired), so a sync on a stale cache does not create duplicates.
 */
export class ControllerExpectations {
  private readonly store = new Map<string, Expectation>();

  constructor(private readonly clock: Clock) {}

  /** SatisfiedExpectations: true when nothing is pending, the expectations expired, or none exist. */
  satisfiedExpectations(key: string): boolean {
    const e = this.store.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.clock.now() - e.timestampMs > EXPECTATIONS_TIMEOUT_MS;
  }

  /** ExpectCreations: `count` pod adds are on their way. */
  expectCreations(key: string, count: number): void {
    this.store.set(key, { add: count, del: 0, deleteKeys: new Set(), timestampMs: this.clock.now() });
  }

  /** ExpectDeletions: the pods named by `podKeys` are being deleted. */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    this.store.set(key, { add: 0, del: podKeys.length, deleteKeys: new Set(podKeys), timestampMs: this.clock.now() });
  }

  /** CreationObserved: one expected add arrived (or will never arrive because the create failed). */
  creationObserved(key: string): void {
    const e = this.store.get(key);
    if (e) e.add--;
  }

  /** DeletionObserved: the pod's deletion was seen (or the delete failed); each key counts once. */
  deletionObserved(key: string, pod: string): void {
    const e = this.store.get(key);
    if (!e || !e.deleteKeys.delete(pod)) return;
    e.del--;
  }

  /** DeleteExpectations: the controller object is gone. */
  deleteExpectations(key: string): void {
    this.store.delete(key);
  }
}

/** Phase order for scale-down: Pending before Unknown before Running (podPhaseToOrdinal). */
const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** A pod with the number of related active pods on its node (ActivePodsWithRanks). */
export interface RankedPod {
  pod: Pod;
  rank: number;
}

function deletionCost(pod: Pod): number {
  const v = pod.metadata?.annotations?.[POD_DELETION_COST_ANNOTATION];
  const n = v === undefined ? 0 : Number(v);
  return Number.isInteger(n) ? n : 0;
}

/** log2 bucket of an age, -1 for non-positive ages (logarithmicRankDiff works in nanoseconds). */
function logBucket(sinceMs: number, nowMs: number): number {
  const d = (nowMs - sinceMs) * MS_TO_NS;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

function maxRestarts(pod: Pod): { regular: number; sidecar: number } {
  let regular = 0;
  let sidecar = 0;
  for (const s of pod.status?.containerStatuses ?? []) regular = Math.max(regular, s.restartCount ?? 0);
  for (const s of pod.status?.initContainerStatuses ?? []) sidecar = Math.max(sidecar, s.restartCount ?? 0);
  return { regular, sidecar };
}

/** Compares two times the way LogarithmicScaleDown does: newer (smaller bucket) first, uid breaks ties. */
function compareTimes(a: RankedPod, b: RankedPod, ta: number | undefined, tb: number | undefined, nowMs: number): number {
  // An unknown time sorts first, like afterOrZero.
  if (ta === undefined || tb === undefined) return ta === undefined ? (tb === undefined ? 0 : -1) : 1;
  const diff = logBucket(ta, nowMs) - logBucket(tb, nowMs);
  if (diff !== 0) return diff;
  const ua = a.pod.metadata?.uid ?? '';
  const ub = b.pod.metadata?.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

/**
 * compareActivePodsWithRanks orders pods for deletion, first = deleted first: unscheduled before
 * scheduled; Pending < Unknown < Running; not ready before ready; lower pod-deletion-cost first;
 * more related pods on the same node first; ready for less time first; more restarts first;
 * newer first (ages in logarithmic buckets, uid breaks ties).
 */
export function compareActivePodsWithRanks(a: RankedPod, b: RankedPod, nowMs: number): number {
  const na = a.pod.spec?.nodeName ?? '';
  const nb = b.pod.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  const pa = PHASE_ORDINAL[a.pod.status?.phase ?? ''] ?? 0;
  const pb = PHASE_ORDINAL[b.pod.status?.phase ?? ''] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a.pod);
  const rb = isPodReady(b.pod);
  if (ra !== rb) return ra ? 1 : -1;
  const ca = deletionCost(a.pod);
  const cb = deletionCost(b.pod);
  if (ca !== cb) return ca - cb;
  if (a.rank !== b.rank) return b.rank - a.rank;
  if (ra && rb) {
    const ta = podReadyTime(a.pod);
    const tb = podReadyTime(b.pod);
    if (ta !== tb) {
      const c = compareTimes(a, b, ta, tb, nowMs);
      if (c !== 0) return c;
    }
  }
  const xa = maxRestarts(a.pod);
  const xb = maxRestarts(b.pod);
  if (xa.regular !== xb.regular) return xb.regular - xa.regular;
  if (xa.sidecar !== xb.sidecar) return xb.sidecar - xa.sidecar;
  const ta = creationTime(a.pod);
  const tb = creationTime(b.pod);
  if (ta !== tb) return compareTimes(a, b, ta, tb, nowMs);
  return 0;
}

function creationTime(pod: Pod): number | undefined {
  const t = Date.parse(pod.metadata?.creationTimestamp ?? '');
  return Number.isNaN(t) ? undefined : t;
}

/**
 * getPodsToDelete picks `diff` victims among a controller's active pods: each is ranked by how many
 * active related pods (of the same RS or its sibling RSs) share its node, then sorted by
 * {@link compareActivePodsWithRanks}. Deleting them all needs no ranking.
 */
export function getPodsToDelete(filteredPods: readonly Pod[], relatedPods: readonly Pod[], diff: number, nowMs: number): Pod[] {
  if (diff >= filteredPods.length) return filteredPods.slice(0, diff);
  const podsOnNode = new Map<string, number>();
  for (const p of relatedPods) {
    if (!isPodActive(p)) continue;
    const node = p.spec?.nodeName ?? '';
    podsOnNode.set(node, (podsOnNode.get(node) ?? 0) + 1);
  }
  const ranked = filteredPods.map((pod) => ({ pod, rank: podsOnNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort((x, y) => compareActivePodsWithRanks(x, y, nowMs));
  return ranked.slice(0, diff).map((r) => r.pod);
}

/**
 * slowStartBatch calls fn `count` times in batches of 1, 2, 4, … and stops after the first batch
 * with a failure; returns how many calls succeeded and the first error.
 */
export function slowStartBatch(count: number, initialBatchSize: number, fn: () => void): { successes: number; error?: unknown } {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    let error: unknown;
    let failed = false;
    for (let i = 0; i < batch; i++) {
      try {
        fn();
        successes++;
      } catch (e) {
        if (!failed) error = e;
        failed = true;
      }
    }
    if (failed) return { successes, error };
    remaining -= batch;
  }
  return { successes };
}

/** How a claim ended for one object (BaseControllerRefManager.ClaimObject). */
export type ClaimAction = 'owned' | 'adopt' | 'release' | 'ignore';

/**
 * claimDecision is ClaimObject's decision table: objects owned by someone else are ignored; owned and
 * matching objects are kept; owned and no longer matching ones are released (unless the controller is
 * being deleted); matching orphans that are not being deleted are adopted (unless the controller is).
 */
export function claimDecision(obj: Readonly<KubeObject>, controller: Readonly<KubeObject>, matches: boolean): ClaimAction {
  const ref = getControllerOf(obj);
  const deleting = !!controller.metadata.deletionTimestamp;
  if (ref) {
    if (ref.uid !== controller.metadata.uid) return 'ignore';
    if (matches) return 'owned';
    return deleting ? 'ignore' : 'release';
  }
  if (deleting || !matches || obj.metadata.deletionTimestamp) return 'ignore';
  if (controller.metadata.namespace && controller.metadata.namespace !== obj.metadata.namespace) return 'ignore';
  return 'adopt';
}

/** What {@link claimObjects} needs: where to write, who claims, and what its reference looks like. */
export interface ClaimOptions {
  client: LocalClient;
  /** Group-resource of the claimed objects (`pods`, `replicasets.apps`). */
  resource: string;
  controller: Readonly<KubeObject>;
  controllerRef: OwnerReference;
  matches(obj: Readonly<KubeObject>): boolean;
  /** RecheckDeletionTimestamp: a fresh read says whether adoption is still allowed. */
  canAdopt(): boolean;
}

/**
 * claimObjects (ClaimPods / ClaimReplicaSets): adopts matching orphans, releases owned objects that
 * stopped matching, and returns the objects the controller owns afterwards. Objects that vanished
 * meanwhile are skipped, as upstream ignores NotFound.
 */
export function claimObjects(objs: readonly Readonly<KubeObject>[], opts: ClaimOptions): Readonly<KubeObject>[] {
  const claimed: Readonly<KubeObject>[] = [];
  let adoptAllowed: boolean | undefined;
  for (const obj of objs) {
    const action = claimDecision(obj, opts.controller, opts.matches(obj));
    if (action === 'owned') claimed.push(obj);
    if (action === 'release') patchOwnerRefs(opts, obj, (refs) => refs.filter((r) => r.uid !== opts.controllerRef.uid));
    if (action !== 'adopt') continue;
    adoptAllowed ??= opts.canAdopt();
    if (!adoptAllowed) continue;
    const adopted = patchOwnerRefs(opts, obj, (refs) => [...refs.filter((r) => r.uid !== opts.controllerRef.uid), opts.controllerRef]);
    if (adopted) claimed.push(adopted);
  }
  return claimed;
}

/** Rewrites ownerReferences of the object with the same uid; undefined when it is gone. */
function patchOwnerRefs(opts: ClaimOptions, obj: Readonly<KubeObject>, fn: (refs: OwnerReference[]) => OwnerReference[]): KubeObject | undefined {
  const key = { namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' };
  const uid = obj.metadata.uid;
  if (opts.client.get(opts.resource, key)?.metadata.uid !== uid) return undefined;
  return opts.client.mutate(opts.resource, key, (cur) => {
    const refs = fn(cur.metadata.ownerReferences ?? []);
    if (refs.length > 0) cur.metadata.ownerReferences = refs;
    else delete cur.metadata.ownerReferences;
    return cur;
  });
}
