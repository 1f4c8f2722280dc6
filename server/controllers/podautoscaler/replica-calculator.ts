/**
 * The replica count a resource metric asks for. Port of kubernetes
 * pkg/controller/podautoscaler/replica_calculator.go (GetResourceReplicas, GetRawResourceReplicas,
 * calcPlainMetricReplicas, groupPods, calculatePodRequests) and metrics/utilization.go, reading pod
 * usage from the simulated metrics-server instead of the metrics.k8s.io client.
 *
 * Worked example (target 50% CPU, each pod requests 200m): 2 ready pods using 300m and 250m are at
 * 550/400 = 137% (integer percent), ratio 137/50 = 2.74, so ceil(2.74 × 2) = 6 replicas are wanted.
 * Within ±10% of the target (ratio 0.9–1.1) nothing changes.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { quantityMilliValue } from '../../../schemas/format/quantity.js';
import { podUsage } from '../../metrics/metrics-server.js';

/** --horizontal-pod-autoscaler-tolerance. */
export const TOLERANCE = 0.1;
/** --horizontal-pod-autoscaler-cpu-initialization-period. */
export const CPU_INITIALIZATION_PERIOD_MS = 5 * 60 * 1000;
/** --horizontal-pod-autoscaler-initial-readiness-delay. */
export const DELAY_OF_INITIAL_READINESS_STATUS_MS = 30 * 1000;

/** One pod's metric: the sum of its containers in milli-units, with the sample's timing. */
interface PodMetric {
  value: number;
  timestampMs: number;
  windowMs: number;
}

type PodMetricsInfo = Map<string, PodMetric>;

/** What a replica calculation returns: the proposal and the observed usage for the status. */
export interface ReplicaProposal {
  replicas: number;
  /** Integer percent of requests (utilization targets only). */
  utilization?: number;
  /** Average usage per pod in milli-units. */
  rawAverage: number;
  timestampMs: number;
}

/** Input shared by the calculations. */
export interface CalcArgs {
  currentReplicas: number;
  resource: 'cpu' | 'memory' | string;
  /** Only this container (ContainerResource metrics); all containers when undefined. */
  container?: string;
  pods: Pod[];
  now: number;
  /** Whether metrics-server reaches the kubelet of a node; all nodes when undefined. */
  reachable?: (nodeName: string) => boolean;
}

function usageMilli(resource: string, u: { cpuNanocores: number; memoryBytes: number }): number | undefined {
  // Quantity.MilliValue rounds up: 1n of CPU counts as 1m.
  if (resource === 'cpu') return Math.ceil(u.cpuNanocores / 1_000_000);
  if (resource === 'memory') return u.memoryBytes * 1000;
  return undefined;
}

/** GetResourceMetric of the metrics client: pods with a complete sample, summed over containers. */
function getResourceMetric(a: CalcArgs): PodMetricsInfo {
  const samples = a.pods.flatMap((p) => {
    const s = !a.reachable || a.reachable(p.spec?.nodeName ?? '') ? podUsage(p, a.now) : undefined;
    return s ? [{ name: p.metadata?.name ?? '', s }] : [];
  });
  if (samples.length === 0) throw new Error('no metrics returned from resource metrics API');
  const res: PodMetricsInfo = new Map();
  for (const { name, s } of samples) {
    const containers = a.container === undefined ? s.containers : s.containers.filter((c) => c.name === a.container);
    if (a.container !== undefined && containers.length === 0) throw new Error(`failed to get container metrics: container ${a.container} not present in metrics for pod ${name}`);
    const values = containers.map((c) => usageMilli(a.resource, c.usage));
    if (values.length === 0 || values.some((v) => v === undefined)) continue;
    res.set(name, { value: values.reduce((x: number, y) => x + y!, 0), timestampMs: s.timestampMs, windowMs: s.windowMs });
  }
  return res;
}

function readyCondition(pod: Pod) {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** groupPods: ready pods counted, pending or not-yet-ready pods unready, pods without a sample missing. */
function groupPods(a: CalcArgs, metrics: PodMetricsInfo) {
  const unready = new Set<string>();
  const missing = new Set<string>();
  const ignored = new Set<string>();
  let readyPodCount = 0;
  for (const pod of a.pods) {
    const name = pod.metadata?.name ?? '';
    if (pod.metadata?.deletionTimestamp || pod.status?.phase === 'Failed') {
      ignored.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      unready.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      missing.add(name);
      continue;
    }
    if (a.resource === 'cpu' && isCpuSampleUnready(pod, metric, a.now)) {
      unready.add(name);
      continue;
    }
    readyPodCount++;
  }
  return { readyPodCount, unready, missing, ignored };
}

// During the CPU initialization period a sample counts only if the pod is ready and a full window
// was measured after it became ready; later only pods that never became ready are left out.
function isCpuSampleUnready(pod: Pod, metric: PodMetric, now: number): boolean {
  const cond = readyCondition(pod);
  const start = pod.status?.startTime ? Date.parse(pod.status.startTime) : undefined;
  if (!cond || start === undefined) return true;
  const transition = Date.parse(cond.lastTransitionTime ?? '') || 0;
  if (start + CPU_INITIALIZATION_PERIOD_MS > now) return cond.status === 'False' || metric.timestampMs < transition + metric.windowMs;
  return cond.status === 'False' && start + DELAY_OF_INITIAL_READINESS_STATUS_MS > transition;
}

/** calculatePodRequests: the pods' requests in milli-units, regular and restartable init containers. */
function calculatePodRequests(a: CalcArgs): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of a.pods) {
    const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
    let sum = 0;
    for (const c of [...(pod.spec?.containers ?? []), ...sidecars] as Container[]) {
      if (a.container !== undefined && a.container !== c.name) continue;
      const req = c.resources?.requests?.[a.resource];
      if (req === undefined) throw new Error(`missing request for ${a.resource} in container ${c.name} of Pod ${pod.metadata?.name ?? ''}`);
      sum += quantityMilliValue(req);
    }
    requests.set(pod.metadata?.name ?? '', sum);
  }
  return requests;
}

/** GetResourceUtilizationRatio: integer percent of the summed requests, and the raw average. */
function utilizationRatio(metrics: PodMetricsInfo, requests: Map<string, number>, target: number) {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let n = 0;
  for (const [name, m] of metrics) {
    const req = requests.get(name);
    if (req === undefined) continue;
    metricsTotal += m.value;
    requestsTotal += req;
    n++;
  }
  if (requestsTotal === 0) throw new Error('no metrics returned matched known pods');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / target, utilization, rawAverage: Math.trunc(metricsTotal / n) };
}

const within = (ratio: number): boolean => Math.abs(1 - ratio) <= TOLERANCE;

/** The common tail: fill in missing and unready pods, re-run the ratio, never flip direction. */
function rebalance(a: CalcArgs, metrics: PodMetricsInfo, g: ReturnType<typeof groupPods>, ratio: number, fill: (name: string) => number, recompute: () => number): number {
  const scaleUpWithUnready = g.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && g.missing.size === 0) return within(ratio) ? a.currentReplicas : Math.ceil(ratio * g.readyPodCount);
  const blank = { timestampMs: 0, windowMs: 0 };
  if (g.missing.size > 0 && ratio !== 1) {
    // Scaling down, a pod without metrics counts as using its target; scaling up, as using nothing.
    for (const name of g.missing) metrics.set(name, { value: ratio < 1 ? fill(name) : 0, ...blank });
  }
  if (scaleUpWithUnready) for (const name of g.unready) metrics.set(name, { value: 0, ...blank });
  const next = recompute();
  if (within(next) || (ratio < 1 && next > 1) || (ratio > 1 && next < 1)) return a.currentReplicas;
  const replicas = Math.ceil(next * metrics.size);
  if ((next < 1 && replicas > a.currentReplicas) || (next > 1 && replicas < a.currentReplicas)) return a.currentReplicas;
  return replicas;
}

function prepare(a: CalcArgs) {
  let metrics: PodMetricsInfo;
  try {
    metrics = getResourceMetric(a);
  } catch (err) {
    throw new Error(`unable to get metrics for resource ${a.resource}: ${(err as Error).message}`);
  }
  if (a.pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const g = groupPods(a, metrics);
  for (const name of [...g.ignored, ...g.unready]) metrics.delete(name);
  return { metrics, g, timestampMs: [...metrics.values()][0]?.timestampMs ?? 0 };
}

/** GetResourceReplicas: a target utilization (percent of requests). */
export function getResourceReplicas(a: CalcArgs, targetUtilization: number): ReplicaProposal {
  const { metrics, g, timestampMs } = prepare(a);
  const requests = calculatePodRequests(a);
  if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const first = utilizationRatio(metrics, requests, targetUtilization);
  const fallback = Math.max(100, targetUtilization);
  const replicas = rebalance(a, metrics, g, first.ratio, (n) => Math.trunc(((requests.get(n) ?? 0) * fallback) / 100), () => utilizationRatio(metrics, requests, targetUtilization).ratio);
  return { replicas, utilization: first.utilization, rawAverage: first.rawAverage, timestampMs };
}

/** GetRawResourceReplicas: a target average value per pod, in milli-units. */
export function getRawResourceReplicas(a: CalcArgs, targetMilli: number): ReplicaProposal {
  const { metrics, g, timestampMs } = prepare(a);
  if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const usage = (): { ratio: number; avg: number } => {
    let total = 0;
    for (const m of metrics.values()) total += m.value;
    const avg = Math.trunc(total / metrics.size);
    return { ratio: avg / targetMilli, avg };
  };
  const first = usage();
  const replicas = rebalance(a, metrics, g, first.ratio, () => targetMilli, () => usage().ratio);
  return { replicas, rawAverage: first.avg, timestampMs };
}
