/**
 * Turning the metrics' proposal into the replica count the HPA applies: the downscale stabilization
 * window, min/max bounds and the scale rate limits, with the AbleToScale and ScalingLimited
 * conditions they produce. Port of kubernetes pkg/controller/podautoscaler/horizontal.go
 * (stabilizeRecommendation, normalizeDesiredReplicas, convertDesiredReplicasWithRules and the
 * *WithBehaviors variants used when spec.behavior is set).
 */
import type { HPAScalingRules, HorizontalPodAutoscalerBehavior } from 'kubernetes-types/autoscaling/v2.js';

/** --horizontal-pod-autoscaler-downscale-stabilization (5 min). */
export const DOWNSCALE_STABILIZATION_WINDOW_MS = 5 * 60 * 1000;
/** Without behavior, one step may at most double the replicas, or reach 4 (scaleUpLimitFactor/Minimum). */
const SCALE_UP_LIMIT_FACTOR = 2;
const SCALE_UP_LIMIT_MINIMUM = 4;

/** A condition the normalization asks the controller to set. */
export interface ConditionUpdate {
  type: 'AbleToScale' | 'ScalingLimited';
  status: 'True' | 'False';
  reason: string;
  message: string;
}

interface Recommendation {
  replicas: number;
  at: number;
}

interface ScaleEvent {
  change: number;
  at: number;
  outdated: boolean;
}

/** The controller's memory of one HPA: recent recommendations and scale events (lost on restart, as upstream). */
export interface AutoscalerHistory {
  recommendations: Recommendation[];
  scaleUpEvents: ScaleEvent[];
  scaleDownEvents: ScaleEvent[];
}

/** Input of the normalization of one HPA at `now`. */
export interface NormalizeArgs {
  now: number;
  currentReplicas: number;
  desiredReplicas: number;
  minReplicas: number;
  maxReplicas: number;
  behavior?: HorizontalPodAutoscalerBehavior | null;
}

/** recordInitialRecommendation: the current size is the first recommendation. */
export function newHistory(currentReplicas: number, now: number): AutoscalerHistory {
  return { recommendations: [{ replicas: currentReplicas, at: now }], scaleUpEvents: [], scaleDownEvents: [] };
}

const READY = { reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
const DOWN_STABILIZED = { reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
const UP_STABILIZED = { reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' };
const WITHIN_RANGE = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
const TOO_FEW = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
const TOO_MANY = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
const UP_LIMIT = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
const DOWN_LIMIT = { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' };

// Upstream's loops keep the last matching index.
function lastIndexWhere<T>(list: T[], pred: (x: T) => boolean): number {
  for (let i = list.length - 1; i >= 0; i--) if (pred(list[i]!)) return i;
  return -1;
}

/** Replaces an expired sample past `cutoff` with the new recommendation, or appends it. */
function storeRecommendation(h: AutoscalerHistory, replicas: number, now: number, cutoff: number): void {
  const old = lastIndexWhere(h.recommendations, (r) => r.at < cutoff);
  if (old >= 0) h.recommendations[old] = { replicas, at: now };
  else h.recommendations.push({ replicas, at: now });
}

/**
 * normalizeDesiredReplicas / normalizeDesiredReplicasWithBehaviors: the replicas to apply and the
 * AbleToScale and ScalingLimited conditions to set.
 * @example normalizeDesiredReplicas(newHistory(1, 0), { now: 0, currentReplicas: 1, desiredReplicas: 9, minReplicas: 1, maxReplicas: 10 })
 * // → 4 replicas (at most max(2×1, 4) per step), ScalingLimited True ScaleUpLimit
 */
export function normalizeDesiredReplicas(h: AutoscalerHistory, a: NormalizeArgs): { replicas: number; conditions: ConditionUpdate[] } {
  const stab = a.behavior ? stabilizeWithBehaviors(h, a) : stabilize(h, a);
  const able: ConditionUpdate = { type: 'AbleToScale', status: 'True', ...(stab.replicas !== a.desiredReplicas ? stab.why : READY) };
  const limited = a.behavior ? convertWithBehaviorRate(h, { ...a, desiredReplicas: stab.replicas }) : convertWithRules(a.currentReplicas, stab.replicas, a.minReplicas, a.maxReplicas);
  const status = limited.replicas === stab.replicas ? 'False' : 'True';
  return { replicas: limited.replicas, conditions: [able, { type: 'ScalingLimited', status, reason: limited.reason, message: limited.message }] };
}

// Without behavior: the highest recommendation of the last 5 minutes (only scale-downs are delayed).
function stabilize(h: AutoscalerHistory, a: NormalizeArgs): { replicas: number; why: typeof DOWN_STABILIZED } {
  const cutoff = a.now - DOWNSCALE_STABILIZATION_WINDOW_MS;
  let max = a.desiredReplicas;
  for (const r of h.recommendations) if (r.at >= cutoff && r.replicas > max) max = r.replicas;
  storeRecommendation(h, a.desiredReplicas, a.now, cutoff);
  return { replicas: max, why: DOWN_STABILIZED };
}

function windowMs(rules: HPAScalingRules | null | undefined, fallbackS: number): number {
  return (rules?.stabilizationWindowSeconds ?? fallbackS) * 1000;
}

// With behavior: scale-ups take the lowest recommendation of their window, scale-downs the highest.
function stabilizeWithBehaviors(h: AutoscalerHistory, a: NormalizeArgs): { replicas: number; why: typeof DOWN_STABILIZED } {
  const upMs = windowMs(a.behavior?.scaleUp, 0);
  const downMs = windowMs(a.behavior?.scaleDown, DOWNSCALE_STABILIZATION_WINDOW_MS / 1000);
  const up = a.desiredReplicas >= a.currentReplicas;
  const cutoff = a.now - (up ? upMs : downMs);
  let replicas = a.desiredReplicas;
  for (const r of h.recommendations) {
    if (r.at > cutoff) replicas = up ? Math.min(replicas, r.replicas) : Math.max(replicas, r.replicas);
  }
  storeRecommendation(h, a.desiredReplicas, a.now, a.now - Math.max(upMs, downMs));
  return { replicas, why: up ? UP_STABILIZED : DOWN_STABILIZED };
}

/** convertDesiredReplicasWithRules: bounds and the legacy scale-up rate. */
export function convertWithRules(current: number, desired: number, min: number, max: number): { replicas: number; reason: string; message: string } {
  const scaleUpLimit = Math.floor(Math.max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM));
  const [maxAllowed, over] = max > scaleUpLimit ? [scaleUpLimit, UP_LIMIT] : [max, TOO_MANY];
  if (desired < min) return { replicas: min, ...TOO_FEW };
  if (desired > maxAllowed) return { replicas: maxAllowed, ...over };
  return { replicas: desired, ...WITHIN_RANGE };
}

function changeInPeriod(events: ScaleEvent[], periodS: number, now: number): number {
  const cutoff = now - periodS * 1000;
  return events.filter((e) => e.at > cutoff).reduce((sum, e) => sum + e.change, 0);
}

function scaleUpLimit(current: number, events: ScaleEvent[], rules: HPAScalingRules | null | undefined, now: number): number {
  if (rules?.selectPolicy === 'Disabled') return current;
  const pick = rules?.selectPolicy === 'Min' ? Math.min : Math.max;
  let result = 0;
  for (const p of rules?.policies ?? []) {
    const start = current - changeInPeriod(events, p.periodSeconds, now);
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

function scaleDownLimit(current: number, events: ScaleEvent[], rules: HPAScalingRules | null | undefined, now: number): number {
  if (rules?.selectPolicy === 'Disabled') return current;
  const pick = rules?.selectPolicy === 'Min' ? Math.max : Math.min;
  let result = Number.MAX_SAFE_INTEGER;
  for (const p of rules?.policies ?? []) {
    const start = current + changeInPeriod(events, p.periodSeconds, now);
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

// convertDesiredReplicasWithBehaviorRate: bounds plus the policies' rate over their periods.
function convertWithBehaviorRate(h: AutoscalerHistory, a: NormalizeArgs): { replicas: number; reason: string; message: string } {
  if (a.desiredReplicas > a.currentReplicas) {
    const limit = Math.max(scaleUpLimit(a.currentReplicas, h.scaleUpEvents, a.behavior?.scaleUp, a.now), a.currentReplicas);
    const [maxAllowed, why] = a.maxReplicas > limit ? [limit, UP_LIMIT] : [a.maxReplicas, TOO_MANY];
    if (a.desiredReplicas > maxAllowed) return { replicas: maxAllowed, ...why };
  } else if (a.desiredReplicas < a.currentReplicas) {
    const limit = Math.min(scaleDownLimit(a.currentReplicas, h.scaleDownEvents, a.behavior?.scaleDown, a.now), a.currentReplicas);
    const [minAllowed, why] = a.minReplicas < limit ? [limit, DOWN_LIMIT] : [a.minReplicas, TOO_FEW];
    if (a.desiredReplicas < minAllowed) return { replicas: minAllowed, ...why };
  }
  return { replicas: a.desiredReplicas, ...WITHIN_RANGE };
}

function longestPeriodS(rules: HPAScalingRules | null | undefined): number {
  return Math.max(0, ...(rules?.policies ?? []).map((p) => p.periodSeconds));
}

/** storeScaleEvent: remembers a rescale for the behavior rate limits (nothing without behavior). */
export function storeScaleEvent(h: AutoscalerHistory, behavior: HorizontalPodAutoscalerBehavior | null | undefined, prev: number, next: number, now: number): void {
  if (!behavior) return;
  const up = next > prev;
  const events = up ? h.scaleUpEvents : h.scaleDownEvents;
  const cutoff = now - longestPeriodS(up ? behavior.scaleUp : behavior.scaleDown) * 1000;
  for (const e of events) if (e.at < cutoff) e.outdated = true;
  const event = { change: Math.abs(next - prev), at: now, outdated: false };
  const reuse = lastIndexWhere(events, (e) => e.outdated);
  if (reuse >= 0) events[reuse] = event;
  else events.push(event);
}
