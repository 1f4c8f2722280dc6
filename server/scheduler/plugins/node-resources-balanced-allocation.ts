// Port of kubernetes pkg/scheduler/framework/plugins/noderesources/balanced_allocation.go
// (balancedResourceScorer over cpu and memory, requested values without the scoring defaults).
import type { Pod } from 'kubernetes-types/core/v1.js';
import {
  Code,
  MAX_NODE_SCORE,
  newStatus,
  podRequests,
  type CycleState,
  type NodeInfo,
  type PreScorePlugin,
  type Resource,
  type ScorePlugin,
  type Status,
} from '../framework.js';
import { NODE_RESOURCES_BALANCED_ALLOCATION } from './names.js';

/**
 * `(1 − std) × 100` of the per-resource fractions requested/allocatable (each capped at 1); with two
 * resources the standard deviation is |f1 − f2| / 2. Resources the node has none of are left out.
 * @example balancedResourceScorer([500, 1024], [1000, 4096]) // 87: fractions 0.5 and 0.25
 */
export function balancedResourceScorer(requested: readonly number[], allocatable: readonly number[]): number {
  const fractions: number[] = [];
  let total = 0;
  requested.forEach((r, i) => {
    const a = allocatable[i] ?? 0;
    if (a === 0) return;
    const f = Math.min(r / a, 1);
    total += f;
    fractions.push(f);
  });
  let std = 0;
  if (fractions.length === 2) std = Math.abs((fractions[0]! - fractions[1]!) / 2);
  else if (fractions.length > 2) {
    const mean = total / fractions.length;
    std = Math.sqrt(fractions.reduce((sum, f) => sum + (f - mean) ** 2, 0) / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

/**
 * BalancedAllocation score of placing a pod with the given requests on the node.
 * @example scoreBalancedAllocation(podRequests(pod), nodeInfo)
 */
export function scoreBalancedAllocation(podRequest: Resource, nodeInfo: NodeInfo): number {
  const { requested, allocatable } = nodeInfo;
  // balancedResourceScorer over cpu and memory without its arrays: this runs for every node of
  // every scheduling cycle. A resource the node has none of is left out; one left has no spread.
  if (allocatable.milliCPU === 0 || allocatable.memory === 0) {
    return balancedResourceScorer([requested.milliCPU + podRequest.milliCPU, requested.memory + podRequest.memory], [allocatable.milliCPU, allocatable.memory]);
  }
  const cpu = Math.min((requested.milliCPU + podRequest.milliCPU) / allocatable.milliCPU, 1);
  const memory = Math.min((requested.memory + podRequest.memory) / allocatable.memory, 1);
  return Math.trunc((1 - Math.abs((cpu - memory) / 2)) * MAX_NODE_SCORE);
}

const PRE_SCORE_STATE_KEY = `PreScore${NODE_RESOURCES_BALANCED_ALLOCATION}`;

/** The NodeResourcesBalancedAllocation plugin: PreScore and Score (no normalisation). */
export class BalancedAllocationPlugin implements PreScorePlugin, ScorePlugin {
  readonly name = NODE_RESOURCES_BALANCED_ALLOCATION;

  preScore(state: CycleState, pod: Pod): Status | null {
    const req = podRequests(pod);
    // Best-effort pods would all pile onto the most balanced node (kubernetes#129138): skip them.
    if (req.milliCPU === 0 && req.memory === 0) return newStatus(Code.Skip);
    state.set(PRE_SCORE_STATE_KEY, req);
    return null;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const req = (state.get(PRE_SCORE_STATE_KEY) as Resource | undefined) ?? podRequests(pod);
    if (req.milliCPU === 0 && req.memory === 0) return 0;
    return scoreBalancedAllocation(req, nodeInfo);
  }
}

/** Creates the NodeResourcesBalancedAllocation plugin. */
export function newBalancedAllocationPlugin(): BalancedAllocationPlugin {
  return new BalancedAllocationPlugin();
}
