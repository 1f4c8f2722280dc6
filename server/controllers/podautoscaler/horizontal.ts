/**
 * The HorizontalPodAutoscaler controller: every 15 s per HPA it reads the target's scale, computes
 * the replicas the metrics ask for, normalizes them (bounds, rate, stabilization), rescales through
 * the target and writes status (currentReplicas, desiredReplicas, currentMetrics, lastScaleTime,
 * conditions) with the upstream events. Port of kubernetes
 * pkg/controller/podautoscaler/horizontal.go (reconcileKey, reconcileAutoscaler, setStatus,
 * setConditionInList, updateStatusIfNeeded).
 */
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerCondition, MetricStatus } from 'kubernetes-types/autoscaling/v2.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { groupResource, type ResourceTable } from '../../../schemas/index.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { scaleOf } from '../../api/routes/scale.js';
import { rfc3339 } from '../../clock.js';
import type { LocalClient } from '../../client/api-client.js';
import type { StartComponent } from '../../cluster.js';
import { objectKey, type Informer } from '../../informers/informer.js';
import type { EventRecorder } from '../events.js';
import { isKubeletReachable } from '../../metrics/metrics-server.js';
import { runController } from '../runner.js';
import { computeReplicasForMetrics, type HpaCondition } from './compute-metrics.js';
import { newHistory, normalizeDesiredReplicas, storeScaleEvent, type AutoscalerHistory } from './normalize.js';
import { cloneJSON } from '../../registry/strategy.js';
import { KUBE_CONTROLLER_MANAGER } from '../field-managers.js';

/** --horizontal-pod-autoscaler-sync-period: every HPA is reconciled this often. */
export const RESYNC_PERIOD_MS = 15_000;
const HPAS = 'horizontalpodautoscalers.autoscaling';

/** What a sync reads and writes. */
export interface HpaDeps {
  client: LocalClient;
  table: ResourceTable;
  hpas: Informer;
  pods: Informer;
  /** Node Leases: a stale one means metrics-server cannot scrape that kubelet. */
  leases: Informer;
  recorder: EventRecorder;
  now(): number;
  /** Recommendations and scale events per HPA key (the controller's in-memory state). */
  history: Map<string, AutoscalerHistory>;
}

/**
 * Starts the HPA controller. As upstream's fixed-interval rate limiter does, a new or changed HPA
 * is first synced one resync period after the event, then every period.
 */
export const startHorizontalPodAutoscalerController: StartComponent = (ctx) => {
  const deps: HpaDeps = {
    client: ctx.client(KUBE_CONTROLLER_MANAGER),
    table: ctx.table,
    hpas: ctx.informers.for(HPAS),
    pods: ctx.informers.for('pods'),
    leases: ctx.informers.for('leases.coordination.k8s.io'),
    recorder: ctx.recorder({ component: 'horizontal-pod-autoscaler' }),
    now: () => ctx.clock.now(),
    history: new Map(),
  };
  const c = runController({ name: 'horizontal-pod-autoscaler', reconcile: (key) => reconcileKey(deps, key) }, ctx.clock);
  const enqueue = (o: Readonly<KubeObject>) => c.queue.addAfter(objectKey(o), RESYNC_PERIOD_MS);
  deps.hpas.on({ add: enqueue, update: (_old, o) => enqueue(o), delete: (o) => c.queue.add(objectKey(o)) });
  return c.stop;
};

/** reconcileKey: a deleted HPA forgets its history; any other is synced and re-checked in 15 s. */
export function reconcileKey(deps: HpaDeps, key: string): { requeueAfterMs?: number } {
  const hpa = deps.hpas.get(key) as HorizontalPodAutoscaler | undefined;
  if (!hpa) {
    deps.history.delete(key);
    return {};
  }
  reconcileAutoscaler(deps, cloneJSON(hpa) as HorizontalPodAutoscaler, key);
  return { requeueAfterMs: RESYNC_PERIOD_MS };
}

/** setConditionInList: updates or appends a condition; the transition time moves only with the status. */
function setCondition(hpa: HorizontalPodAutoscaler, c: HpaCondition, now: number): void {
  const list = (hpa.status!.conditions ??= []);
  let cond = list.find((x) => x.type === c.type);
  if (!cond) {
    cond = { type: c.type } as HorizontalPodAutoscalerCondition;
    list.push(cond);
  }
  if (cond.status !== c.status) cond.lastTransitionTime = rfc3339(now);
  cond.status = c.status;
  cond.reason = c.reason;
  cond.message = c.message;
}

interface ScaleTarget {
  resource: string;
  specReplicas: number;
  selector?: string;
}

/** The target's scale subresource, or the error text the scale client would report. */
function getScale(deps: HpaDeps, hpa: HorizontalPodAutoscaler): ScaleTarget | string {
  const ref = hpa.spec!.scaleTargetRef;
  const gv = ref.apiVersion ?? '';
  const group = gv.includes('/') ? gv.split('/')[0]! : '';
  const info = deps.table.byKind(group, ref.kind);
  if (!info || !info.subresources.some((s) => s.name === 'scale')) return `no matches for kind "${ref.kind}" in group "${group}"`;
  const obj = deps.client.get(groupResource(info), { namespace: hpa.metadata!.namespace ?? '', name: ref.name });
  if (!obj) return `${info.plural}/scale${info.group ? `.${info.group}` : ''} "${ref.name}" not found`;
  const scale = scaleOf(obj as KubeObject);
  return { resource: groupResource(info), specReplicas: scale.spec.replicas ?? 0, ...(scale.status.selector ? { selector: scale.status.selector } : {}) };
}

/** setStatus + updateStatusIfNeeded: writes the status subresource only when it changed. */
function writeStatus(deps: HpaDeps, hpa: HorizontalPodAutoscaler, original: string, s: { current: number; desired: number; metrics?: MetricStatus[]; rescaled: boolean }): void {
  const prev: Partial<NonNullable<HorizontalPodAutoscaler['status']>> = hpa.status ?? {};
  hpa.status = {
    ...(s.metrics ? { currentMetrics: s.metrics } : {}),
    // Both are required int32 fields: a status read back as {} still reports 0.
    currentReplicas: s.current ?? 0,
    desiredReplicas: s.desired ?? 0,
    ...(s.rescaled ? { lastScaleTime: rfc3339(deps.now()) } : prev.lastScaleTime ? { lastScaleTime: prev.lastScaleTime } : {}),
    ...(prev.conditions ? { conditions: prev.conditions } : {}),
  };
  if (JSON.stringify(hpa.status) === original) return;
  const status = hpa.status;
  deps.client.mutate(HPAS, { namespace: hpa.metadata!.namespace ?? '', name: hpa.metadata!.name ?? '' }, (cur) => ({ ...cur, status }) as KubeObject, { status: true });
}

/** reconcileAutoscaler: one sync of one HPA (see the file comment). */
export function reconcileAutoscaler(deps: HpaDeps, hpa: HorizontalPodAutoscaler, key: string): void {
  hpa.status ??= { desiredReplicas: 0 };
  const original = JSON.stringify(hpa.status);
  const now = deps.now();
  const warn = (reason: string, message: string) => deps.recorder.event(hpa as unknown as KubeObject, 'Warning', reason, message);
  const set = (c: HpaCondition) => setCondition(hpa, c, now);
  const scale = getScale(deps, hpa);
  if (typeof scale === 'string') {
    warn('FailedGetScale', scale);
    set({ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: ${scale}` });
    writeStatus(deps, hpa, original, { current: hpa.status.currentReplicas ?? 0, desired: hpa.status.desiredReplicas, ...(hpa.status.currentMetrics ? { metrics: hpa.status.currentMetrics } : {}), rescaled: false });
    return;
  }
  set({ type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: "the HPA controller was able to get the target's current scale" });
  const current = scale.specReplicas;
  if (!deps.history.has(key)) deps.history.set(key, newHistory(current, now));
  const decision = decide(deps, hpa, key, scale, { warn, set, now, original });
  if (!decision) return;
  const rescale = decision.desired !== current && decision.rescale;
  if (rescale && !applyScale(deps, hpa, scale, decision, { warn, set, now, original }, current)) return;
  if (rescale) storeScaleEvent(deps.history.get(key)!, hpa.spec?.behavior, current, decision.desired, now);
  writeStatus(deps, hpa, original, { current, desired: rescale ? decision.desired : current, ...(decision.metrics ? { metrics: decision.metrics } : {}), rescaled: rescale });
}

interface Decision {
  desired: number;
  reason: string;
  rescale: boolean;
  metrics?: MetricStatus[];
}

interface SyncHelpers {
  warn(reason: string, message: string): void;
  set(c: HpaCondition): void;
  now: number;
  /** The status as read, to skip writes that change nothing. */
  original: string;
}

/** The replica decision: disabled at 0, forced into [min, max], or what the metrics ask for. */
function decide(deps: HpaDeps, hpa: HorizontalPodAutoscaler, key: string, scale: ScaleTarget, h: SyncHelpers): Decision | undefined {
  const current = scale.specReplicas;
  const min = hpa.spec?.minReplicas ?? 1;
  const max = hpa.spec!.maxReplicas;
  if (current === 0 && min !== 0) {
    h.set({ type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' });
    return { desired: 0, reason: '', rescale: false };
  }
  if (current > max) return { desired: max, reason: 'Current number of replicas above Spec.MaxReplicas', rescale: true };
  if (current < min) return { desired: min, reason: 'Current number of replicas below Spec.MinReplicas', rescale: true };
  const podsInNamespace = deps.pods.list(hpa.metadata!.namespace ?? '') as Pod[];
  let m;
  try {
    const reachable = (node: string) => isKubeletReachable(deps.leases.get(`kube-node-lease/${node}`) as never, h.now);
    m = computeReplicasForMetrics({ hpa, podsInNamespace, now: h.now, reachable, warn: h.warn, setCondition: h.set }, scale);
  } catch (err) {
    const statuses = (err as { statuses?: MetricStatus[] }).statuses;
    // setCurrentReplicasAndMetricsInStatus: the failed metrics show as empty entries.
    writeStatus(deps, hpa, h.original, { current, desired: hpa.status!.desiredReplicas, ...(statuses ? { metrics: statuses } : {}), rescaled: false });
    h.warn('FailedComputeMetricsReplicas', (err as Error).message);
    return undefined;
  }
  const reason = m.replicas > current ? `${m.metricName} above target` : m.replicas < current ? 'All metrics below target' : '';
  const n = normalizeDesiredReplicas(deps.history.get(key)!, { now: h.now, currentReplicas: current, desiredReplicas: m.replicas, minReplicas: min, maxReplicas: max, behavior: hpa.spec?.behavior ?? null });
  for (const c of n.conditions) h.set(c);
  return { desired: n.replicas, reason, rescale: true, metrics: m.statuses };
}

/** Updates the target's replicas; on failure records FailedRescale and keeps the old size. */
function applyScale(deps: HpaDeps, hpa: HorizontalPodAutoscaler, scale: ScaleTarget, d: Decision, x: SyncHelpers, current: number): boolean {
  try {
    deps.client.mutate(scale.resource, { namespace: hpa.metadata!.namespace ?? '', name: hpa.spec!.scaleTargetRef.name }, (obj) => {
      obj.spec = { ...(obj.spec as object), replicas: d.desired };
      return obj;
    });
  } catch (err) {
    x.warn('FailedRescale', `New size: ${d.desired}; reason: ${d.reason}; error: ${(err as Error).message}`);
    x.set({ type: 'AbleToScale', status: 'False', reason: 'FailedUpdateScale', message: `the HPA controller was unable to update the target scale: ${(err as Error).message}` });
    writeStatus(deps, hpa, x.original, { current, desired: hpa.status!.desiredReplicas, ...(hpa.status!.currentMetrics ? { metrics: hpa.status!.currentMetrics } : {}), rescaled: false });
    return false;
  }
  x.set({ type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: `the HPA controller was able to update the target scale to ${d.desired}` });
  deps.recorder.event(hpa as unknown as KubeObject, 'Normal', 'SuccessfulRescale', `New size: ${d.desired}; reason: ${d.reason}`);
  return true;
}
