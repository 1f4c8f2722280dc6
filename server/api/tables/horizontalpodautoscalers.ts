// HorizontalPodAutoscaler (autoscaling/v2) columns. Port of printHorizontalPodAutoscaler and
// formatHPAMetrics in kubernetes pkg/printers/internalversion/printers.go.
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus, MetricTarget, MetricValueStatus } from 'kubernetes-types/autoscaling/v2.js';
import { ageColumn, col, int, nameColumn, view, type Column } from './table.js';

// TARGETS shows at most this many metrics, then ` + <n> more...`.
const MAX_METRICS = 2;

// Quantity.String of a nil quantity.
function quantity(q: string | number | null | undefined): string {
  return q === undefined || q === null ? '<nil>' : String(q);
}

/** The status entry of one metric source: present once the HPA controller has observed the metric. */
type Observed = { current?: MetricValueStatus } | null | undefined;

// External and Object metrics: an averageValue target prints `(avg)` and compares with the average.
function valueOrAverage(target: MetricTarget | undefined, observed: Observed): string {
  if (target?.averageValue !== undefined && target.averageValue !== null) {
    const avg = observed?.current?.averageValue;
    return `${avg !== undefined && avg !== null ? String(avg) : '<unknown>'}/${quantity(target.averageValue)} (avg)`;
  }
  return `${observed ? quantity(observed.current?.value) : '<unknown>'}/${quantity(target?.value)}`;
}

// Resource and ContainerResource metrics: a utilization target prints percentages (`<auto>` when unset).
function resourceTarget(name: string, target: MetricTarget | undefined, observed: Observed): string {
  if (target?.averageValue !== undefined && target.averageValue !== null) {
    return `${name}: ${observed ? quantity(observed.current?.averageValue) : '<unknown>'}/${quantity(target.averageValue)}`;
  }
  const util = observed?.current?.averageUtilization;
  const now = typeof util === 'number' ? `${util}%` : '<unknown>';
  const want = typeof target?.averageUtilization === 'number' ? `${target.averageUtilization}%` : '<auto>';
  return `${name}: ${now}/${want}`;
}

// Statuses are matched to specs by position, as upstream does.
function formatMetric(spec: MetricSpec, status: MetricStatus | undefined): string {
  switch (spec.type) {
    case 'External':
      return valueOrAverage(spec.external?.target, status?.external);
    case 'Pods':
      return `${status?.pods ? quantity(status.pods.current?.averageValue) : '<unknown>'}/${quantity(spec.pods?.target?.averageValue)}`;
    case 'Object':
      return valueOrAverage(spec.object?.target, status?.object);
    case 'Resource':
      return resourceTarget(spec.resource?.name ?? '', spec.resource?.target, status?.resource);
    case 'ContainerResource':
      return resourceTarget(spec.containerResource?.name ?? '', spec.containerResource?.target, status?.containerResource);
    default:
      return '<unknown type>';
  }
}

/**
 * The TARGETS cell: `<current>/<target>` per metric, e.g. `cpu: 50%/80%`; `<none>` without metrics.
 * @example hpaTargets(hpa) // 'cpu: <unknown>/80%'
 */
export function hpaTargets(hpa: HorizontalPodAutoscaler): string {
  const specs = hpa.spec?.metrics ?? [];
  if (specs.length === 0) return '<none>';
  const statuses = hpa.status?.currentMetrics ?? [];
  const list = specs.map((spec, i) => formatMetric(spec, statuses[i]));
  const shown = list.slice(0, MAX_METRICS).join(', ');
  return list.length > MAX_METRICS ? `${shown} + ${list.length - MAX_METRICS} more...` : shown;
}

/** HorizontalPodAutoscaler columns: Name, Reference, Targets, MinPods, MaxPods, Replicas, Age. */
export function horizontalPodAutoscalerColumns(): Column[] {
  const hpa = view<HorizontalPodAutoscaler>;
  return [
    nameColumn(),
    col({ name: 'Reference', description: 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.' }, (o) => {
      const ref = hpa(o).spec?.scaleTargetRef;
      return `${ref?.kind ?? ''}/${ref?.name ?? ''}`;
    }),
    col({ name: 'Targets', description: 'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).' }, (o) => hpaTargets(hpa(o))),
    col({ name: 'MinPods', description: 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.' }, (o) => {
      const min = hpa(o).spec?.minReplicas;
      return min === undefined || min === null ? '<unset>' : String(min);
    }),
    col({ name: 'MaxPods', description: 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.' }, (o) => int(hpa(o).spec?.maxReplicas)),
    col({ name: 'Replicas', description: 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.' }, (o) => int(hpa(o).status?.currentReplicas)),
    ageColumn(),
  ];
}
