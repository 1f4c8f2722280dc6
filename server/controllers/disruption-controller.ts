/**
 * The disruption controller: keeps each PodDisruptionBudget's status (expected, desired and
 * current healthy pods, disruptions allowed, the DisruptionAllowed condition) in line with its pods
 * and their controllers' scale, and resets stale DisruptionTarget pod conditions.
 *
 * Port of kubernetes pkg/controller/disruption/disruption.go and pkg/apis/policy/helper.
 */
import type { ResourceTable } from '../../schemas/index.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import { rfc3339 } from '../clock.js';
import type { LocalClient } from '../client/api-client.js';
import type { StartComponent } from '../cluster.js';
import { objectKey, type Informer } from '../informers/informer.js';
import { selectorFromLabelSelector } from '../registry/selectors.js';
import { getScaledValueFromIntOrPercent } from './deployment/util.js';
import type { EventRecorder } from './events.js';
import { findController } from './disruption-finders.js';
import { isPodReady, isPodTerminal, type Pod } from './endpoints-util.js';
import { runController } from './runner.js';
import { cloneJSON } from '../registry/strategy.js';
import { KUBE_CONTROLLER_MANAGER } from './field-managers.js';

/** How long an eviction's entry in disruptedPods holds a pod out of the healthy count (DeletionTimeout). */
export const DELETION_TIMEOUT_MS = 2 * 60 * 1000;
/** After this long a DisruptionTarget=True condition on a pod that was not deleted is reset. */
export const STALE_POD_DISRUPTION_TIMEOUT_MS = 2 * 60 * 1000;
const PDBS = 'poddisruptionbudgets.policy';

type IntOrString = number | string;

interface LabelSelectorJSON {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] | null }> | null;
}

interface Condition {
  type: string;
  status: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
  reason: string;
  message: string;
}

interface PdbStatus {
  currentHealthy?: number;
  desiredHealthy?: number;
  expectedPods?: number;
  disruptionsAllowed?: number;
  disruptedPods?: Record<string, string>;
  observedGeneration?: number;
  conditions?: Condition[];
}

interface Pdb extends KubeObject {
  spec?: { selector?: LabelSelectorJSON | null; minAvailable?: IntOrString; maxUnavailable?: IntOrString };
  status?: PdbStatus;
}

interface Deps {
  client: LocalClient;
  table: ResourceTable;
  pdbs: Informer;
  pods: Informer;
  informer(resource: string): Informer;
  recorder: EventRecorder;
  now(): number;
}

/** Starts the disruption controller (events from source `controllermanager`). */
export const startDisruptionController: StartComponent = (ctx) => {
  const pods = ctx.informers.for('pods');
  const pdbs = ctx.informers.for(PDBS);
  for (const r of ['replicasets.apps', 'deployments.apps', 'statefulsets.apps', 'replicationcontrollers']) ctx.informers.for(r);
  const deps: Deps = {
    client: ctx.client(KUBE_CONTROLLER_MANAGER), table: ctx.table, pdbs, pods,
    informer: (r) => ctx.informers.for(r), recorder: ctx.recorder({ component: 'controllermanager' }), now: () => ctx.clock.now(),
  };
  const main = runController({ name: 'disruption', reconcile: (key) => syncPdb(key, deps) }, ctx.clock);
  const stale = runController({ name: 'disruption-stale-pod', reconcile: (key) => syncStalePodDisruption(key, deps) }, ctx.clock);
  const onPod = (p: Readonly<KubeObject>) => {
    const pdb = getPdbForPod(p as Pod, deps);
    if (pdb) main.queue.add(objectKey(pdb));
    const wait = staleDisruptionWait(p as Pod, deps.now());
    if (wait !== undefined) stale.queue.addAfter(objectKey(p), wait);
  };
  pods.on({ add: onPod, update: (_o, p) => onPod(p), delete: (p) => {
    const pdb = getPdbForPod(p as Pod, deps);
    if (pdb) main.queue.add(objectKey(pdb));
  } });
  pdbs.on({ add: (p) => main.queue.add(objectKey(p)), update: (_o, p) => main.queue.add(objectKey(p)), delete: (p) => main.queue.add(objectKey(p)) });
  return () => {
    main.stop();
    stale.stop();
  };
};

function podsMatching(pdb: Readonly<Pdb>, pods: Informer): Pod[] {
  const sel = pdb.spec?.selector;
  // A nil selector selects nothing; an empty one everything (policy/v1).
  if (!sel) return [];
  const s = selectorFromLabelSelector(toSelector(sel));
  return (pods.list(pdb.metadata.namespace ?? '') as Pod[]).filter((p) => s.matches(p)).sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}

function toSelector(sel: LabelSelectorJSON) {
  return { matchLabels: sel.matchLabels ?? {}, matchExpressions: (sel.matchExpressions ?? []).map((e) => ({ key: e.key, operator: e.operator, values: e.values ?? [] })) };
}

/** getPdbForPod: the first matching PDB; a Warning names the arbitrary choice when there are more. */
function getPdbForPod(pod: Readonly<Pod>, deps: Deps): Pdb | undefined {
  const matching = (deps.pdbs.list(pod.metadata.namespace ?? '') as Pdb[])
    .filter((pdb) => pdb.spec?.selector && selectorFromLabelSelector(toSelector(pdb.spec.selector)).matches(pod))
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const first = matching[0];
  if (first && matching.length > 1) {
    const msg = `Pod ${JSON.stringify(pod.metadata.namespace ?? '')}/${JSON.stringify(pod.metadata.name ?? '')} matches multiple PodDisruptionBudgets.  Chose ${JSON.stringify(first.metadata.name ?? '')} arbitrarily.`;
    deps.recorder.event(pod, 'Warning', 'MultiplePodDisruptionBudgets', msg);
  }
  return first;
}

/** syncPdb/trySync: recompute the status; on failure, failSafe sets disruptionsAllowed to 0. */
function syncPdb(key: string, deps: Deps): { requeueAfterMs?: number } | void {
  const [namespace, name = ''] = key.split('/');
  // The stored PDB, not the cache: an eviction may just have spent a disruption and recorded its
  // pod in disruptedPods, and a status computed from a stale copy would drop that entry.
  const pdb = deps.client.get(PDBS, { namespace, name }) as Pdb | undefined;
  if (!pdb) return;
  try {
    return trySync(pdb, deps);
  } catch (err) {
    failSafe(pdb, err instanceof Error ? err.message : String(err), deps);
  }
}

function trySync(pdb: Readonly<Pdb>, deps: Deps): { requeueAfterMs?: number } | void {
  const pods = podsMatching(pdb, deps.pods);
  if (pods.length === 0) deps.recorder.event(pdb, 'Normal', 'NoPods', 'No matching pods found');
  let expected: { expectedCount: number; desiredHealthy: number; unmanagedPods: string[] };
  try {
    expected = getExpectedPodCount(pdb, pods, deps);
  } catch (err) {
    deps.recorder.event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  }
  if (expected.unmanagedPods.length > 0) {
    deps.recorder.event(pdb, 'Warning', 'UnmanagedPods', `Pods selected by this PodDisruptionBudget (selector: ${labelSelectorGoString(pdb.spec?.selector)}) were found `
      + 'to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. '
      + 'To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.');
  }
  const now = deps.now();
  const { disruptedPods, recheckAt } = buildDisruptedPodMap(pods, pdb, now, deps);
  const currentHealthy = countHealthyPods(pods, disruptedPods, now);
  updatePdbStatus(pdb, { currentHealthy, desiredHealthy: expected.desiredHealthy, expectedPods: expected.expectedCount, disruptedPods }, deps);
  // An entry expiring exactly now is still kept (upstream's Before): wait at least 1 ms, since
  // virtual time does not move while the worker loops.
  return recheckAt !== undefined ? { requeueAfterMs: Math.max(1, recheckAt - now) } : undefined;
}

/**
 * getExpectedPodCount: maxUnavailable and percent minAvailable count the controllers' scale
 * (desired = expected − maxUnavailable rounded up, or ceil(p% of expected)); an integer
 * minAvailable is the desired count and the matching pods are the expected ones.
 */
function getExpectedPodCount(pdb: Readonly<Pdb>, pods: Pod[], deps: Deps): { expectedCount: number; desiredHealthy: number; unmanagedPods: string[] } {
  const { maxUnavailable, minAvailable } = pdb.spec ?? {};
  if (maxUnavailable !== undefined && maxUnavailable !== null) {
    const { expectedCount, unmanagedPods } = getExpectedScale(pods, deps);
    const desiredHealthy = Math.max(0, expectedCount - getScaledValueFromIntOrPercent(maxUnavailable, expectedCount, true));
    return { expectedCount, desiredHealthy, unmanagedPods };
  }
  if (typeof minAvailable === 'number') return { expectedCount: pods.length, desiredHealthy: minAvailable, unmanagedPods: [] };
  if (typeof minAvailable === 'string') {
    const { expectedCount, unmanagedPods } = getExpectedScale(pods, deps);
    return { expectedCount, desiredHealthy: getScaledValueFromIntOrPercent(minAvailable, expectedCount, true), unmanagedPods };
  }
  return { expectedCount: 0, desiredHealthy: 0, unmanagedPods: [] };
}

/** getExpectedScale: the sum of the scales of the pods' controllers, each counted once. */
function getExpectedScale(pods: Pod[], deps: Deps): { expectedCount: number; unmanagedPods: string[] } {
  const scales = new Map<string, number>();
  const unmanagedPods: string[] = [];
  for (const pod of pods) {
    const ref = pod.metadata.ownerReferences?.find((r) => r.controller);
    if (!ref) {
      unmanagedPods.push(pod.metadata.name ?? '');
      continue;
    }
    if (scales.has(ref.uid)) continue;
    const found = findController(ref, pod.metadata.namespace ?? '', deps);
    if (!found) throw new Error(`found no controllers for pod ${JSON.stringify(pod.metadata.name ?? '')}`);
    scales.set(found.uid, found.scale);
  }
  let expectedCount = 0;
  for (const n of scales.values()) expectedCount += n;
  return { expectedCount, unmanagedPods };
}

/**
 * buildDisruptedPodMap: entries of pods still around and not yet deleted survive for 2 minutes;
 * an overdue one gets a NotDeleted Warning. Returns when the next entry expires.
 */
function buildDisruptedPodMap(pods: Pod[], pdb: Readonly<Pdb>, now: number, deps: Deps): { disruptedPods: Record<string, string>; recheckAt?: number } {
  const disrupted = pdb.status?.disruptedPods ?? {};
  const result: Record<string, string> = {};
  let recheckAt: number | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = disrupted[pod.metadata.name ?? ''];
    if (!at) continue;
    const expectedDeletion = Date.parse(at) + DELETION_TIMEOUT_MS;
    if (expectedDeletion < now) {
      // Upstream prints the namespace twice in this message.
      deps.recorder.event(pod, 'Warning', 'NotDeleted', `Pod was expected by PDB ${pdb.metadata.namespace}/${pdb.metadata.namespace} to be deleted but it wasn't`);
      continue;
    }
    if (recheckAt === undefined || expectedDeletion < recheckAt) recheckAt = expectedDeletion;
    result[pod.metadata.name ?? ''] = at;
  }
  return { disruptedPods: result, recheckAt };
}

/** countHealthyPods: Ready pods that are neither being deleted nor recently evicted. */
function countHealthyPods(pods: Pod[], disruptedPods: Record<string, string>, now: number): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = disruptedPods[pod.metadata.name ?? ''];
    if (at && Date.parse(at) + DELETION_TIMEOUT_MS > now) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}

interface Computed {
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  disruptedPods: Record<string, string>;
}

/** updatePdbStatus: disruptionsAllowed = current − desired (0 when negative or nothing is expected). */
function updatePdbStatus(pdb: Readonly<Pdb>, c: Computed, deps: Deps): void {
  const disruptionsAllowed = c.expectedPods <= 0 || c.currentHealthy - c.desiredHealthy <= 0 ? 0 : c.currentHealthy - c.desiredHealthy;
  const key = { namespace: pdb.metadata.namespace, name: pdb.metadata.name ?? '' };
  deps.client.mutate(PDBS, key, (cur) => {
    const old = (cur.status as PdbStatus | undefined) ?? {};
    const generation = cur.metadata.generation ?? 0;
    const status: PdbStatus = {
      ...(Object.keys(c.disruptedPods).length > 0 ? { disruptedPods: c.disruptedPods } : {}),
      currentHealthy: c.currentHealthy,
      desiredHealthy: c.desiredHealthy,
      disruptionsAllowed,
      expectedPods: c.expectedPods,
      observedGeneration: generation,
      conditions: cloneJSON(old.conditions ?? []),
    };
    setDisruptionAllowedCondition(status, deps.now());
    return { ...cur, status };
  }, { status: true });
}

/** UpdateDisruptionAllowedCondition: True/SufficientPods when a disruption is allowed, else False/InsufficientPods. */
function setDisruptionAllowedCondition(status: PdbStatus, now: number): void {
  const allowed = (status.disruptionsAllowed ?? 0) > 0;
  setStatusCondition(status, { type: 'DisruptionAllowed', status: allowed ? 'True' : 'False', reason: allowed ? 'SufficientPods' : 'InsufficientPods', message: '', observedGeneration: status.observedGeneration ?? 0 }, now);
}

/** apimeta.SetStatusCondition: the transition time moves only when the status changes. */
function setStatusCondition(status: PdbStatus, cond: Condition, now: number): void {
  const conditions = status.conditions ?? [];
  const existing = conditions.find((c) => c.type === cond.type);
  if (!existing) {
    conditions.push({ type: cond.type, status: cond.status, observedGeneration: cond.observedGeneration, lastTransitionTime: rfc3339(now), reason: cond.reason, message: cond.message });
  } else {
    if (existing.status !== cond.status) existing.lastTransitionTime = rfc3339(now);
    Object.assign(existing, { status: cond.status, reason: cond.reason, message: cond.message, observedGeneration: cond.observedGeneration });
  }
  status.conditions = conditions;
}

/** failSafe: at least stop evictions when the status cannot be computed. */
function failSafe(pdb: Readonly<Pdb>, message: string, deps: Deps): void {
  deps.client.mutate(PDBS, { namespace: pdb.metadata.namespace, name: pdb.metadata.name ?? '' }, (cur) => {
    const status = cloneJSON((cur.status as PdbStatus | undefined) ?? {});
    status.disruptionsAllowed = 0;
    setStatusCondition(status, { type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message, observedGeneration: status.observedGeneration ?? 0 }, deps.now());
    return { ...cur, status };
  }, { status: true });
}

/**
 * How long until a DisruptionTarget=True condition on a live, non-terminal pod counts as stale
 * (the eviction or preemption that set it did not delete the pod); undefined when there is none.
 */
function staleDisruptionWait(pod: Readonly<Pod>, now: number): number | undefined {
  if (pod.metadata.deletionTimestamp || isPodTerminal(pod)) return undefined;
  const cond = pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
  if (!cond || cond.status !== 'True' || cond.reason === 'TerminationByKubelet') return undefined;
  return Math.max(0, Date.parse(cond.lastTransitionTime ?? '') + STALE_POD_DISRUPTION_TIMEOUT_MS - now || 0);
}

/** syncStalePodDisruption: resets a stale DisruptionTarget condition to False. */
function syncStalePodDisruption(key: string, deps: Deps): { requeueAfterMs?: number } | void {
  const pod = deps.pods.get(key) as Pod | undefined;
  if (!pod) return;
  const wait = staleDisruptionWait(pod, deps.now());
  if (wait === undefined) return;
  if (wait > 0) return { requeueAfterMs: wait };
  const [namespace, name = ''] = key.split('/');
  deps.client.mutate('pods', { namespace, name }, (cur) => {
    const status = cloneJSON((cur.status as Pod['status']) ?? {});
    status.conditions = (status.conditions ?? []).map((c) => (c.type === 'DisruptionTarget' ? { type: c.type, status: 'False', lastProbeTime: null, lastTransitionTime: rfc3339(deps.now()) } as typeof c : c));
    return { ...cur, status };
  }, { status: true });
}

/**
 * The Go `%v` rendering of a *metav1.LabelSelector (its generated String method), as the
 * UnmanagedPods event prints it: `&LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}`.
 */
export function labelSelectorGoString(sel: LabelSelectorJSON | null | undefined): string {
  if (!sel) return 'nil';
  const labels = Object.keys(sel.matchLabels ?? {}).sort().map((k) => `${k}: ${sel.matchLabels![k]},`).join('');
  const exprs = (sel.matchExpressions ?? []).map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}
