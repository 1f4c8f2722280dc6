// Pod columns. Port of printPod in kubernetes pkg/printers/internalversion/printers.go; the READY,
// STATUS and RESTARTS algorithm is specified step by step in k8s-behavior.md §6.5.
import type { Container, ContainerStatus, Pod, PodCondition, PodTemplate } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { humanDuration, parseTimestamp } from '../../../schemas/format/human-duration.js';
import { formatLabels } from '../../../schemas/format/labels.js';
import { ageColumn, col, containerColumns, nameColumn, view, type Column, type TableRowCondition } from './table.js';

/** READY, STATUS and RESTARTS of one pod, computed together as printPod does. */
export interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

// The node lifecycle controller sets this pod status.reason when it loses contact with the node.
const NODE_UNREACHABLE_POD_REASON = 'NodeLost';
const SCHEDULING_GATED = 'SchedulingGated';

/** Running totals shared by the init-container and regular-container passes. */
interface Tally {
  reason: string;
  readyContainers: number;
  restarts: number;
  lastRestartMs: number;
  sidecarRestarts: number;
  lastSidecarRestartMs: number;
  initializing: boolean;
}

/**
 * Computes the READY, STATUS and RESTARTS cells of a pod.
 * @example summarizePod(pod, now) // { ready: '0/1', status: 'CrashLoopBackOff', restarts: '4 (30s ago)' }
 */
export function summarizePod(pod: Pod, now: number): PodSummary {
  const spec = pod.spec;
  const status = pod.status ?? {};
  const sidecars = (spec?.initContainers ?? []).filter(isRestartable).length;
  const total = (spec?.containers ?? []).length + sidecars;
  const tally: Tally = {
    reason: initialReason(pod),
    readyContainers: 0,
    restarts: 0,
    lastRestartMs: -Infinity,
    sidecarRestarts: 0,
    lastSidecarRestartMs: -Infinity,
    initializing: false,
  };
  walkInitContainers(pod, tally);
  if (!tally.initializing || hasTrueCondition(status.conditions, 'Initialized')) walkContainers(pod, tally);
  if (pod.metadata?.deletionTimestamp && status.reason === NODE_UNREACHABLE_POD_REASON) tally.reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp && status.phase !== 'Succeeded' && status.phase !== 'Failed') tally.reason = 'Terminating';
  let restarts = String(tally.restarts);
  if (tally.restarts !== 0 && tally.lastRestartMs !== -Infinity) restarts += ` (${humanDuration(now - tally.lastRestartMs)} ago)`;
  return { ready: `${tally.readyContainers}/${total}`, status: tally.reason, restarts };
}

function initialReason(pod: Pod): string {
  let reason = pod.status?.reason || pod.status?.phase || '';
  for (const c of pod.status?.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === SCHEDULING_GATED) reason = SCHEDULING_GATED;
  }
  return reason;
}

// Walks init containers in order and stops at the first one that is still initialising; sidecars
// (restartable init containers) that have started count towards READY instead.
function walkInitContainers(pod: Pod, tally: Tally): void {
  const specs = pod.spec?.initContainers ?? [];
  const byName = new Map(specs.map((c) => [c.name, c]));
  const statuses = pod.status?.initContainerStatuses ?? [];
  for (const [i, s] of statuses.entries()) {
    const sidecar = isRestartable(byName.get(s.name));
    const finished = lastFinishedMs(s);
    tally.restarts += s.restartCount ?? 0;
    tally.lastRestartMs = Math.max(tally.lastRestartMs, finished);
    if (sidecar) {
      tally.sidecarRestarts += s.restartCount ?? 0;
      tally.lastSidecarRestartMs = Math.max(tally.lastSidecarRestartMs, finished);
    }
    const terminated = s.state?.terminated;
    const waiting = s.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (sidecar && s.started === true) {
      if (s.ready) tally.readyContainers++;
      continue;
    }
    if (terminated) tally.reason = `Init:${terminatedReason(terminated)}`;
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') tally.reason = `Init:${waiting.reason}`;
    else tally.reason = `Init:${i}/${specs.length}`;
    tally.initializing = true;
    break;
  }
}

// Walks regular containers from last to first so that the first container's state wins.
function walkContainers(pod: Pod, tally: Tally): void {
  // Once initialised, only sidecars' restarts still matter among the init containers.
  tally.restarts = tally.sidecarRestarts;
  tally.lastRestartMs = tally.lastSidecarRestartMs;
  let hasRunning = false;
  const statuses = pod.status?.containerStatuses ?? [];
  for (let i = statuses.length - 1; i >= 0; i--) {
    const s = statuses[i] as ContainerStatus;
    tally.restarts += s.restartCount ?? 0;
    tally.lastRestartMs = Math.max(tally.lastRestartMs, lastFinishedMs(s));
    const terminated = s.state?.terminated;
    if (s.state?.waiting?.reason) tally.reason = s.state.waiting.reason;
    else if (terminated) tally.reason = terminatedReason(terminated);
    else if (s.ready && s.state?.running) {
      hasRunning = true;
      tally.readyContainers++;
    }
  }
  // A pod whose first container completed while another still runs is not "Completed".
  if (tally.reason === 'Completed' && hasRunning) {
    tally.reason = hasTrueCondition(pod.status?.conditions, 'Ready') ? 'Running' : 'NotReady';
  }
}

function terminatedReason(t: { reason?: string; signal?: number; exitCode?: number }): string {
  if (t.reason) return t.reason;
  return t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode ?? 0}`;
}

function lastFinishedMs(s: ContainerStatus): number {
  return parseTimestamp(s.lastState?.terminated?.finishedAt) ?? -Infinity;
}

function isRestartable(c: Container | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

function hasTrueCondition(conditions: PodCondition[] | undefined, type: string): boolean {
  // Only the first condition of a type counts, as in isPodInitializedConditionTrue.
  const c = (conditions ?? []).find((x) => x.type === type);
  return c?.status === 'True';
}

// The three summary cells share one computation per (pod, now).
const summaries = new WeakMap<object, { now: number; summary: PodSummary }>();

function summaryOf(obj: KubeObject, now: number): PodSummary {
  const hit = summaries.get(obj);
  if (hit && hit.now === now) return hit.summary;
  const summary = summarizePod(view<Pod>(obj), now);
  summaries.set(obj, { now, summary });
  return summary;
}

function podIP(pod: Pod): string {
  return pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || '<none>';
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const trueCount = gates.filter((g) => hasTrueCondition(pod.status?.conditions, g.conditionType)).length;
  return `${trueCount}/${gates.length}`;
}

/** Pod columns: Name, Ready, Status, Restarts, Age, and wide IP, Node, Nominated Node, Readiness Gates. */
export function podColumns(): Column[] {
  const pod = view<Pod>;
  return [
    nameColumn(),
    col({ name: 'Ready', description: 'The aggregate readiness state of this pod for accepting traffic.' }, (o, now) => summaryOf(o, now).ready),
    col({ name: 'Status', description: 'The aggregate status of the containers in this pod.' }, (o, now) => summaryOf(o, now).status),
    col(
      { name: 'Restarts', description: 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.' },
      (o, now) => summaryOf(o, now).restarts,
    ),
    ageColumn(),
    col({ name: 'IP', priority: 1, description: 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.' }, (o) => podIP(pod(o))),
    col(
      { name: 'Node', priority: 1, description: 'NodeName is a request to schedule this pod onto a specific node. If it is non-empty, the scheduler simply schedules this pod onto that node, assuming that it fits resource requirements.' },
      (o) => pod(o).spec?.nodeName || '<none>',
    ),
    col(
      { name: 'Nominated Node', priority: 1, description: 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.' },
      (o) => pod(o).status?.nominatedNodeName || '<none>',
    ),
    col(
      { name: 'Readiness Gates', priority: 1, description: 'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True"' },
      (o) => readinessGates(pod(o)),
    ),
  ];
}

const POD_SUCCEEDED: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
const POD_FAILED: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

/** Row conditions of a pod: Succeeded and Failed pods are marked `Completed`, as printPod does. */
export function podRowConditions(obj: KubeObject): TableRowCondition[] | undefined {
  const phase = view<Pod>(obj).status?.phase;
  if (phase === 'Succeeded') return POD_SUCCEEDED;
  if (phase === 'Failed') return POD_FAILED;
  return undefined;
}

/** PodTemplate columns: Name, Containers, Images, Pod Labels (no Age, as upstream). */
export function podTemplateColumns(): Column[] {
  const tpl = view<PodTemplate>;
  return [
    nameColumn(),
    ...containerColumns((o) => tpl(o).template?.spec?.containers, 0),
    col({ name: 'Pod Labels', description: 'The labels for the pod template.' }, (o) => formatLabels(tpl(o).template?.metadata?.labels)),
  ];
}
