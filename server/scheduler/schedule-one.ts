// One scheduling decision over a set of NodeInfos: PreFilter, Filter, PreScore, Score, NormalizeScore
// and host selection. Port of kubernetes pkg/scheduler/schedule_one.go (schedulePod,
// findNodesThatFitPod, prioritizeNodes, selectHost) and framework/runtime/framework.go
// (RunPreFilterPlugins, RunFilterPlugins, RunScorePlugins). Every node is evaluated: with at most a
// few hundred nodes upstream's percentageOfNodesToScore also ends up looking at all of them.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Random } from '../random.js';
import { Code, isSuccess, newStatus, preFilterResultReason, type CycleState, type NodeInfo, type NodeScore, type Status } from './framework.js';
import type { Profile } from './registry.js';

/** Why no node fits: the per-node statuses (FitError.Diagnosis). */
export interface Diagnosis {
  numAllNodes: number;
  /** Node name → the status of the first plugin that rejected it. */
  nodeToStatus: Map<string, Status>;
  /** A PreFilter rejection message, replacing the per-node histogram. */
  preFilterMessage?: string;
  /** Plugins that rejected the pod somewhere; they decide which events retry it. */
  unschedulablePlugins: Set<string>;
}

/** The outcome of {@link schedulePod}. */
export type ScheduleOutcome = { nodeName: string; feasibleNodes: number } | { diagnosis: Diagnosis };

function isRejected(s: Status): boolean {
  return s.code === Code.Unschedulable || s.code === Code.UnschedulableAndUnresolvable;
}

/** Result of the PreFilter phase. */
interface PreFilterOutcome {
  /** Plugins whose Filter is skipped for this pod. */
  skip: Set<string>;
  /** Nodes allowed by PreFilter results (null: all) and the plugins that narrowed them. */
  nodeNames: Set<string> | null;
  narrowedBy: string[];
  rejection?: Status;
}

function runPreFilterPlugins(profile: Profile, state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): PreFilterOutcome {
  const out: PreFilterOutcome = { skip: new Set(), nodeNames: null, narrowedBy: [] };
  for (const pl of profile.preFilterPlugins) {
    const { result, status } = pl.preFilter(state, pod, nodes);
    if (status?.code === Code.Skip) {
      out.skip.add(pl.name);
      continue;
    }
    if (!isSuccess(status)) {
      out.rejection = { ...status!, plugin: pl.name };
      return out;
    }
    if (result?.nodeNames) {
      const prev = out.nodeNames;
      out.nodeNames = prev === null ? new Set(result.nodeNames) : new Set([...prev].filter((n) => result.nodeNames!.has(n)));
      out.narrowedBy.push(pl.name);
    }
  }
  return out;
}

/**
 * Runs the Filter plugins on one node in profile order; the first rejection stops the evaluation.
 * @example runFilterPlugins(profile, state, pod, nodeInfo, new Set()) // null when the pod fits
 */
export function runFilterPlugins(profile: Profile, state: CycleState, pod: Pod, nodeInfo: NodeInfo, skip: ReadonlySet<string>): Status | null {
  return filterNode(activeFilters(profile, skip), state, pod, nodeInfo);
}

/** The profile's Filter plugins less the skipped ones: worked out once per pod, not per node and plugin. */
function activeFilters(profile: Profile, skip: ReadonlySet<string>): Profile['filterPlugins'] {
  return skip.size === 0 ? profile.filterPlugins : profile.filterPlugins.filter((pl) => !skip.has(pl.name));
}

function filterNode(filters: Profile['filterPlugins'], state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
  for (let i = 0; i < filters.length; i++) {
    const pl = filters[i]!;
    const status = pl.filter(state, pod, nodeInfo);
    if (!isSuccess(status)) return { ...status!, plugin: pl.name };
  }
  return null;
}

/** Runs PreFilter and Filter over all nodes: the feasible ones, and the diagnosis for the others. */
export function findNodesThatFitPod(profile: Profile, state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { feasible: NodeInfo[]; diagnosis: Diagnosis } {
  const diagnosis: Diagnosis = { numAllNodes: nodes.length, nodeToStatus: new Map(), unschedulablePlugins: new Set() };
  const pre = runPreFilterPlugins(profile, state, pod, nodes);
  if (pre.rejection) {
    // Every node carries the PreFilter status so that preemption sees why.
    for (const n of nodes) diagnosis.nodeToStatus.set(n.node.metadata?.name ?? '', pre.rejection);
    diagnosis.preFilterMessage = pre.rejection.reasons.join(', ');
    diagnosis.unschedulablePlugins.add(pre.rejection.plugin ?? '');
    return { feasible: [], diagnosis };
  }
  const feasible: NodeInfo[] = [];
  const outside = newStatus(Code.UnschedulableAndUnresolvable, preFilterResultReason(pre.narrowedBy));
  const filters = activeFilters(profile, pre.skip);
  for (const nodeInfo of nodes) {
    const name = nodeInfo.node.metadata?.name ?? '';
    if (pre.nodeNames && !pre.nodeNames.has(name)) {
      diagnosis.nodeToStatus.set(name, outside);
      for (const p of pre.narrowedBy) diagnosis.unschedulablePlugins.add(p);
      continue;
    }
    const status = filterNode(filters, state, pod, nodeInfo);
    if (!status) feasible.push(nodeInfo);
    else if (isRejected(status)) {
      diagnosis.nodeToStatus.set(name, status);
      diagnosis.unschedulablePlugins.add(status.plugin ?? '');
    }
  }
  return { feasible, diagnosis };
}

/** Weighted total score per feasible node, in the order of `nodes`. */
export function prioritizeNodes(profile: Profile, state: CycleState, pod: Pod, nodes: readonly NodeInfo[], allNodes: readonly NodeInfo[]): NodeScore[] {
  const totals: NodeScore[] = nodes.map((n) => ({ name: n.node.metadata?.name ?? '', score: 0 }));
  const skip = new Set<string>();
  for (const pl of profile.preScorePlugins) {
    const status = pl.preScore(state, pod, nodes, allNodes);
    if (status?.code === Code.Skip) skip.add(pl.name);
  }
  // One scratch list reused by every plugin keeps a cycle's allocations down.
  const scores: NodeScore[] = totals.map((t) => ({ name: t.name, score: 0 }));
  for (const { plugin, weight } of profile.scorePlugins) {
    if (skip.has(plugin.name)) continue;
    for (let i = 0; i < nodes.length; i++) scores[i]!.score = plugin.score(state, pod, nodes[i]!);
    plugin.normalizeScore?.(state, pod, scores);
    for (let i = 0; i < nodes.length; i++) totals[i]!.score += scores[i]!.score * weight;
  }
  return totals;
}

/**
 * The node with the highest total; ties are broken uniformly at random by reservoir sampling, as
 * upstream's selectHost does.
 */
export function selectHost(scores: readonly NodeScore[], random: Random): string {
  let best = scores[0];
  let ties = 1;
  for (let i = 1; i < scores.length; i++) {
    const s = scores[i]!;
    if (s.score > best!.score) {
      best = s;
      ties = 1;
    } else if (s.score === best!.score) {
      ties++;
      if (Math.floor(random.float() * ties) === 0) best = s;
    }
  }
  return best?.name ?? '';
}

/**
 * Picks a node for the pod, or explains why none fits.
 * @example schedulePod(profile, newCycleState(), pod, cache.nodeInfos(), random)
 */
export function schedulePod(profile: Profile, state: CycleState, pod: Pod, nodes: readonly NodeInfo[], random: Random): ScheduleOutcome {
  const { feasible, diagnosis } = findNodesThatFitPod(profile, state, pod, nodes);
  if (feasible.length === 0) return { diagnosis };
  // One feasible node needs no scoring.
  if (feasible.length === 1) return { nodeName: feasible[0]!.node.metadata?.name ?? '', feasibleNodes: 1 };
  const scores = prioritizeNodes(profile, state, pod, feasible, nodes);
  return { nodeName: selectHost(scores, random), feasibleNodes: feasible.length };
}
