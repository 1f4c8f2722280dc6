/**
 * The metric half of an HPA sync: one replica proposal per metric spec, the highest wins. Port of
 * kubernetes pkg/controller/podautoscaler/horizontal.go (computeReplicasForMetrics,
 * computeReplicasForMetric, computeStatusForResourceMetric*, getUnableComputeReplicaCountCondition).
 * Only resource metrics exist in kubedojo (there is no custom or external metrics API).
 */
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus, MetricTarget } from 'kubernetes-types/autoscaling/v2.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { quantityMilliValue } from '../../../schemas/format/quantity.js';
import { parseLabelSelector } from '../../registry/selectors.js';
import { getRawResourceReplicas, getResourceReplicas, type CalcArgs, type ReplicaProposal } from './replica-calculator.js';

/** A condition set on the HPA's status (type, status, reason, message). */
export interface HpaCondition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/** What the metrics pass needs from the controller. */
export interface MetricsContext {
  hpa: HorizontalPodAutoscaler;
  /** Pods of the HPA's namespace (the lister). */
  podsInNamespace: Pod[];
  now: number;
  /** Whether metrics-server reaches a node's kubelet (its pods have metrics only then). */
  reachable(nodeName: string): boolean;
  warn(reason: string, message: string): void;
  setCondition(c: HpaCondition): void;
}

/** The outcome of computeReplicasForMetrics. */
export interface MetricsResult {
  replicas: number;
  metricName: string;
  statuses: MetricStatus[];
}

/** A metric failure: the error text plus the ScalingActive condition it sets when every metric fails. */
class MetricError extends Error {
  override name = 'MetricError';
  constructor(message: string, readonly condition: HpaCondition) {
    super(message);
  }
}

/**
 * resource.NewMilliQuantity(v, DecimalSI).String(): trailing groups of three zeros move into the
 * suffix (m → units → k → M → G …).
 * @example formatMilliQuantity(250) // '250m'
 * @example formatMilliQuantity(7340032000) // '7340032'
 */
export function formatMilliQuantity(milli: number): string {
  if (milli === 0) return '0';
  const suffixes = ['m', '', 'k', 'M', 'G', 'T', 'P', 'E'];
  let v = Math.trunc(milli);
  let i = 0;
  while (i < suffixes.length - 1 && v % 1000 === 0) {
    v /= 1000;
    i++;
  }
  return `${v}${suffixes[i]}`;
}

// getUnableComputeReplicaCountCondition: a Warning event with the error and a ScalingActive=False condition.
function unableToCompute(ctx: MetricsContext, reason: string, message: string): HpaCondition {
  ctx.warn(reason, message);
  return { type: 'ScalingActive', status: 'False', reason, message: `the HPA was unable to compute the replica count: ${message}` };
}

/** computeStatusForResourceMetricGeneric: utilization or average-value targets of one resource. */
function resourceProposal(args: CalcArgs, target: MetricTarget | undefined): { p: ReplicaProposal; utilization: boolean } {
  if (target?.averageValue !== undefined && target.averageValue !== null) {
    return { p: getRawResourceReplicas(args, quantityMilliValue(target.averageValue)), utilization: false };
  }
  if (typeof target?.averageUtilization !== 'number') throw new Error('invalid resource metric source: neither an average utilization target nor an average value (or value) target was set');
  return { p: getResourceReplicas(args, target.averageUtilization), utilization: true };
}

function computeResource(ctx: MetricsContext, spec: MetricSpec, args: CalcArgs): { p: ReplicaProposal; name: string; status: MetricStatus } {
  const container = spec.type === 'ContainerResource' ? spec.containerResource : undefined;
  const src = container ?? spec.resource;
  const name = src?.name ?? '';
  const reason = container ? 'FailedGetContainerResourceMetric' : 'FailedGetResourceMetric';
  let r: ReturnType<typeof resourceProposal>;
  try {
    r = resourceProposal({ ...args, resource: name, ...(container ? { container: container.container } : {}) }, src?.target);
  } catch (err) {
    const message = `failed to get ${name} utilization: ${(err as Error).message}`;
    const condition = unableToCompute(ctx, reason, message);
    const outer = container ? `failed to get ${container.container} container metric value: ${message}` : `failed to get ${name} resource metric value: ${message}`;
    throw new MetricError(outer, condition);
  }
  const current = { ...(r.utilization ? { averageUtilization: r.p.utilization } : {}), averageValue: formatMilliQuantity(r.p.rawAverage) };
  const kind = container ? 'container resource' : 'resource';
  const metricName = r.utilization ? `${name} ${kind} utilization (percentage of request)` : `${name} ${kind}`;
  const status: MetricStatus = container
    ? { type: 'ContainerResource', containerResource: { name, container: container.container, current } }
    : { type: 'Resource', resource: { name, current } };
  return { p: r.p, name: metricName, status };
}

// Pods, Object and External metrics need a custom or external metrics API, which kubedojo lacks.
function unsupported(ctx: MetricsContext, spec: MetricSpec): never {
  const types: Record<string, [string, string, string]> = {
    Pods: ['FailedGetPodsMetric', 'custom', 'failed to get pods metric value'],
    Object: ['FailedGetObjectMetric', 'custom', 'failed to get object metric value'],
    External: ['FailedGetExternalMetric', 'external', 'failed to get external metric value'],
  };
  const t = types[spec.type];
  if (!t) throw new MetricError(`unknown metric source type "${spec.type}"`, unableToCompute(ctx, 'InvalidMetricSourceType', `unknown metric source type "${spec.type}"`));
  const metric = spec.pods?.metric.name ?? spec.object?.metric.name ?? spec.external?.metric.name ?? '';
  const message = `unable to get metric ${metric}: unable to fetch metrics from ${t[1]} metrics API: no ${t[1]} metrics API (${t[1]}.metrics.k8s.io) registered`;
  throw new MetricError(`${t[2]}: ${message}`, unableToCompute(ctx, t[0], message));
}

function podsSelectedBy(ctx: MetricsContext, selector: string): Pod[] {
  const sel = parseLabelSelector(selector);
  return ctx.podsInNamespace.filter((p) => sel.matches(p as never));
}

/**
 * computeReplicasForMetrics: the highest proposal over the metric specs; throws the
 * `invalid metrics (n invalid out of m), first error is: …` error when every metric fails.
 */
export function computeReplicasForMetrics(ctx: MetricsContext, scale: { specReplicas: number; selector?: string }): MetricsResult {
  if (!scale.selector) {
    ctx.warn('SelectorRequired', 'selector is required');
    ctx.setCondition({ type: 'ScalingActive', status: 'False', reason: 'InvalidSelector', message: "the HPA target's scale is missing a selector" });
    throw new Error('selector is required');
  }
  const specs = ctx.hpa.spec?.metrics ?? [];
  const statuses: MetricStatus[] = specs.map(() => ({ type: '' }) as unknown as MetricStatus);
  const args: CalcArgs = { currentReplicas: scale.specReplicas, resource: '', pods: podsSelectedBy(ctx, scale.selector), now: ctx.now, reachable: ctx.reachable };
  let best: { replicas: number; name: string } | undefined;
  let firstError: MetricError | undefined;
  let invalid = 0;
  specs.forEach((spec, i) => {
    try {
      const r = spec.type === 'Resource' || spec.type === 'ContainerResource' ? computeResource(ctx, spec, args) : unsupported(ctx, spec);
      statuses[i] = r.status;
      if (!best || r.p.replicas > best.replicas) best = { replicas: r.p.replicas, name: r.name };
    } catch (err) {
      if (!(err instanceof MetricError)) throw err;
      firstError ??= err;
      invalid++;
    }
  });
  if (!best || invalid >= specs.length) {
    if (firstError) ctx.setCondition(firstError.condition);
    const e = new Error(`invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${firstError?.message ?? ''}`) as Error & { statuses?: MetricStatus[] };
    e.statuses = statuses;
    throw e;
  }
  ctx.setCondition({ type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: `the HPA was able to successfully calculate a replica count from ${best.name}` });
  return { replicas: best.replicas, metricName: best.name, statuses };
}
