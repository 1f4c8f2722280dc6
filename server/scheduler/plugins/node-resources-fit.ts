// Port of kubernetes pkg/scheduler/framework/plugins/noderesources/fit.go (Fits, fitsRequest) and
// least_allocated.go (LeastAllocated scoring strategy, cpu and memory weighted 1 each).
import type { Pod } from 'kubernetes-types/core/v1.js';
import {
  Code,
  MAX_NODE_SCORE,
  newStatus,
  podRequests,
  type CycleState,
  type FilterPlugin,
  type NodeInfo,
  type PreFilterPlugin,
  type PreFilterResult,
  type Resource,
  type ScorePlugin,
  type Status,
} from '../framework.js';
import { NODE_RESOURCES_FIT } from './names.js';

/** Reason when the node already runs `allocatable.pods` pods. */
export const ERR_REASON_TOO_MANY_PODS = 'Too many pods';

/**
 * Reason for a resource whose free allocatable amount is below the pod's request.
 * @example errReasonInsufficient('cpu') // 'Insufficient cpu'
 */
export function errReasonInsufficient(resourceName: string): string {
  return `Insufficient ${resourceName}`;
}

/** One resource the node is short of. */
export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

function check(out: InsufficientResource[], name: string, requested: number, used: number, capacity: number): void {
  // A resource the pod does not request never fails, even on an over-committed node.
  if (requested > 0 && requested > capacity - used) {
    out.push({ resourceName: name, reason: errReasonInsufficient(name), requested, used, capacity });
  }
}

/**
 * Lists what the node lacks for a pod with the given requests: pod count first, then cpu, memory,
 * ephemeral-storage and scalar resources. Empty when it fits.
 */
export function fitsRequest(podRequest: Resource, nodeInfo: NodeInfo): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const podCount = nodeInfo.pods.length;
  if (podCount + 1 > nodeInfo.allowedPodNumber) {
    out.push({ resourceName: 'pods', reason: ERR_REASON_TOO_MANY_PODS, requested: 1, used: podCount, capacity: nodeInfo.allowedPodNumber });
  }
  const { allocatable, requested } = nodeInfo;
  check(out, 'cpu', podRequest.milliCPU, requested.milliCPU, allocatable.milliCPU);
  check(out, 'memory', podRequest.memory, requested.memory, allocatable.memory);
  check(out, 'ephemeral-storage', podRequest.ephemeralStorage, requested.ephemeralStorage, allocatable.ephemeralStorage);
  for (const name in podRequest.scalarResources) {
    check(out, name, podRequest.scalarResources[name]!, requested.scalarResources[name] ?? 0, allocatable.scalarResources[name] ?? 0);
  }
  return out;
}

/**
 * Lists what the node lacks to host the pod (requests include init containers and overhead).
 * @example fits(pod, nodeInfo).map((r) => r.reason) // ['Insufficient cpu']
 */
export function fits(pod: Pod, nodeInfo: NodeInfo): InsufficientResource[] {
  return fitsRequest(podRequests(pod), nodeInfo);
}

/** `(capacity − requested) × 100 / capacity`, 0 when the node has none or would be over-committed. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/**
 * LeastAllocated score of placing the pod on the node, averaging cpu and memory. Containers without a
 * request count as 100m cpu / 200Mi memory here.
 * @example scoreLeastAllocated(pod, nodeInfo) // 75 on an idle node when the pod takes a quarter
 */
export function scoreLeastAllocated(pod: Pod, nodeInfo: NodeInfo, podRequest: Resource = podRequests(pod, { nonZero: true })): number {
  const cpu = leastRequestedScore(nodeInfo.nonZeroRequested.milliCPU + podRequest.milliCPU, nodeInfo.allocatable.milliCPU);
  const memory = leastRequestedScore(nodeInfo.nonZeroRequested.memory + podRequest.memory, nodeInfo.allocatable.memory);
  return Math.trunc((cpu + memory) / 2);
}

const PRE_FILTER_STATE_KEY = `PreFilter${NODE_RESOURCES_FIT}`;
/** The pod's requests with scoring defaults, computed on the first Score call of a cycle. */
const PRE_SCORE_STATE_KEY = `PreScore${NODE_RESOURCES_FIT}`;

/** The NodeResourcesFit plugin: PreFilter (computes requests once), Filter and LeastAllocated Score. */
export class NodeResourcesFitPlugin implements PreFilterPlugin, FilterPlugin, ScorePlugin {
  readonly name = NODE_RESOURCES_FIT;

  preFilter(state: CycleState, pod: Pod): { result: PreFilterResult | null; status: Status | null } {
    state.set(PRE_FILTER_STATE_KEY, podRequests(pod));
    return { result: null, status: null };
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    const podRequest = (state.get(PRE_FILTER_STATE_KEY) as Resource | undefined) ?? podRequests(pod);
    const insufficient = fitsRequest(podRequest, nodeInfo);
    if (insufficient.length === 0) return null;
    return newStatus(Code.Unschedulable, ...insufficient.map((r) => r.reason));
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    let podRequest = state.get(PRE_SCORE_STATE_KEY) as Resource | undefined;
    if (!podRequest) state.set(PRE_SCORE_STATE_KEY, (podRequest = podRequests(pod, { nonZero: true })));
    return scoreLeastAllocated(pod, nodeInfo, podRequest);
  }
}

/** Creates the NodeResourcesFit plugin. */
export function newNodeResourcesFitPlugin(): NodeResourcesFitPlugin {
  return new NodeResourcesFitPlugin();
}
