// Port of kubernetes pkg/scheduler/framework/plugins/podtopologyspread (common.go, filtering.go,
// scoring.go, plugin.go): hard constraints filter, soft constraints (or the system defaults) score.
import type { Node, Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import {
  Code,
  EMPTY_HANDLE,
  MAX_NODE_SCORE,
  newStatus,
  type CycleState,
  type FilterPlugin,
  type Handle,
  type NodeInfo,
  type NodeScore,
  type PodRef,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScorePlugin,
  type Status,
} from '../framework.js';
import { compileSelector, withLabelKeys, type LabelMatcher } from '../label-selector.js';
import { POD_TOPOLOGY_SPREAD } from './names.js';
import { fitsNodeAffinity } from './node-affinity.js';
import { fitsTaintToleration } from './taint-toleration.js';

/** Reason when placing the pod on the node would exceed a DoNotSchedule constraint's maxSkew. */
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
/** Reason when the node lacks a constraint's topologyKey label. */
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

const LABEL_HOSTNAME = 'kubernetes.io/hostname';
const LABEL_ZONE = 'topology.kubernetes.io/zone';

/** The default profile's system default constraints (defaultingType: System), all ScheduleAnyway. */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly TopologySpreadConstraint[] = [
  { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: LABEL_ZONE, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
];

/** A constraint with its selector compiled and its policies defaulted. */
export interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: LabelMatcher;
  minDomains: number;
  honorNodeAffinity: boolean;
  honorNodeTaints: boolean;
}

/**
 * The pod's constraints with the given whenUnsatisfiable action; without constraints of its own the
 * pod gets the system defaults with its default selector (none when nothing selects it).
 */
export function getConstraints(pod: Pod, action: 'DoNotSchedule' | 'ScheduleAnyway', handle: Handle): Constraint[] {
  const own = pod.spec?.topologySpreadConstraints ?? [];
  if (own.length > 0) {
    return own
      .filter((c) => c.whenUnsatisfiable === action)
      .map((c) => toConstraint(c, compileSelector(withLabelKeys(c.labelSelector, pod.metadata?.labels, c.matchLabelKeys))));
  }
  const defaults = SYSTEM_DEFAULT_CONSTRAINTS.filter((c) => c.whenUnsatisfiable === action);
  if (defaults.length === 0) return [];
  const selector = compileSelector(handle.defaultSelector(pod));
  // An empty default selector would count every pod of the namespace; upstream skips spreading then.
  if (selector.empty || selector.key === '<nothing>') return [];
  return defaults.map((c) => toConstraint(c, selector));
}

function toConstraint(c: TopologySpreadConstraint, selector: LabelMatcher): Constraint {
  return {
    maxSkew: c.maxSkew,
    topologyKey: c.topologyKey,
    selector,
    minDomains: c.minDomains ?? 1,
    honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
    honorNodeTaints: c.nodeTaintsPolicy === 'Honor',
  };
}

/** Reports whether the node carries every constraint's topologyKey label. */
export function nodeLabelsMatchSpreadConstraints(labels: Record<string, string> | undefined, constraints: readonly Constraint[]): boolean {
  for (const c of constraints) if (!labels || !Object.hasOwn(labels, c.topologyKey)) return false;
  return true;
}

function matchNodeInclusionPolicies(c: Constraint, pod: Pod, node: Node): boolean {
  if (c.honorNodeAffinity && !fitsNodeAffinity(pod, node)) return false;
  if (c.honorNodeTaints && fitsTaintToleration(pod, { node } as NodeInfo) !== undefined) return false;
  return true;
}

/** Whether a pod counts for a spread: in the namespace, not terminating, selected. */
function countsForSpread(p: Pod, selector: LabelMatcher, namespace: string): boolean {
  return !p.metadata?.deletionTimestamp && p.metadata?.namespace === namespace && selector.matches(p.metadata?.labels);
}

/** Counts pods in the namespace matching the selector, skipping terminating ones (from index `from` on). */
export function countPodsMatchSelector(pods: readonly Pod[], selector: LabelMatcher, namespace: string, from = 0): number {
  let n = 0;
  for (let i = from; i < pods.length; i++) if (countsForSpread(pods[i]!, selector, namespace)) n++;
  return n;
}

/** countPodsMatchSelector over the pods of the node that carry the selector's equality label (`carriers`) only. */
function countLabelledMatches(carriers: readonly PodRef[], selector: LabelMatcher, namespace: string): number {
  let n = 0;
  for (const { pod } of carriers) if (countsForSpread(pod, selector, namespace)) n++;
  return n;
}

/** The node's pods carrying the selector's equality label (undefined when the selector has no equality). */
function equalityCarriers(nodeInfo: NodeInfo, selector: LabelMatcher): readonly PodRef[] | undefined {
  if (!selector.equality) return undefined;
  const [key, value] = selector.equality;
  // The cluster's index is the same few entries for every node of a cycle; each node's own index
  // is read only where the label is.
  if (nodeInfo.clusterLabels && !nodeInfo.clusterLabels.get(key)?.get(value)?.has(nodeInfo)) return NO_CARRIERS;
  return nodeInfo.podsByLabel.get(key)?.get(value) ?? NO_CARRIERS;
}

const NO_CARRIERS: readonly PodRef[] = [];

interface PreFilterState {
  constraints: Constraint[];
  /** Per constraint: topology value → matching pods. */
  tpValueToMatchNum: Map<string, number>[];
}

interface PreScoreState {
  constraints: Constraint[];
  ignoredNodes: Set<string>;
  /** Per constraint (non-hostname keys): topology value → matching pods over all nodes. */
  tpValueToPodCounts: Map<string, number>[];
  normalizingWeights: number[];
}

const PRE_FILTER_STATE_KEY = `PreFilter${POD_TOPOLOGY_SPREAD}`;
const PRE_SCORE_STATE_KEY = `PreScore${POD_TOPOLOGY_SPREAD}`;

/** ln(size + 2): domains of a key with many values weigh more, so keys compare fairly. */
function topologyNormalizingWeight(size: number): number {
  return Math.log(size + 2);
}

/** The PodTopologySpread plugin: PreFilter, Filter, PreScore, Score and NormalizeScore. */
export class PodTopologySpreadPlugin implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = POD_TOPOLOGY_SPREAD;
  // Counting matching pods is O(pods on the node); most cycles ask the same selector again (replicas of
  // one workload, and compiled matchers are shared), so counts are kept per matcher, namespace and
  // NodeInfo until the NodeInfo's pods change (podsGeneration: node heartbeats leave them valid).
  // A count is extended by the pods appended since (the pod just placed there) unless a pod left.
  private readonly counts = new WeakMap<LabelMatcher, Map<string, WeakMap<NodeInfo, { generation: number; seen: number; count: number }>>>();

  constructor(private readonly handle: Handle = EMPTY_HANDLE) {}

  private count(nodeInfo: NodeInfo, selector: LabelMatcher, namespace: string): number {
    const hit = this.counts.get(selector)?.get(namespace)?.get(nodeInfo);
    if (hit && hit.generation === nodeInfo.podsGeneration) return hit.count;
    // A new workload's selector (each one-replica Deployment's) is carried by no pod of most
    // nodes: a memo would cost a WeakMap entry per node for a count of 0.
    const carriers = equalityCarriers(nodeInfo, selector);
    if (carriers?.length === 0) return 0;
    let byNamespace = this.counts.get(selector);
    if (!byNamespace) this.counts.set(selector, (byNamespace = new Map()));
    let perNode = byNamespace.get(namespace);
    if (!perNode) byNamespace.set(namespace, (perNode = new WeakMap()));
    const seen = nodeInfo.pods.length;
    if (hit && hit.generation >= nodeInfo.podsRemovedGeneration && hit.seen <= seen) {
      hit.count += countPodsMatchSelector(nodeInfo.pods, selector, namespace, hit.seen);
      hit.generation = nodeInfo.podsGeneration;
      hit.seen = seen;
      return hit.count;
    }
    const count = carriers ? countLabelledMatches(carriers, selector, namespace) : countPodsMatchSelector(nodeInfo.pods, selector, namespace);
    perNode.set(nodeInfo, { generation: nodeInfo.podsGeneration, seen, count });
    return count;
  }

  preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { result: PreFilterResult | null; status: Status | null } {
    const constraints = getConstraints(pod, 'DoNotSchedule', this.handle);
    if (constraints.length === 0) return { result: null, status: newStatus(Code.Skip) };
    const tpValueToMatchNum = constraints.map(() => new Map<string, number>());
    const namespace = pod.metadata?.namespace ?? '';
    for (const nodeInfo of nodes) {
      const labels = nodeInfo.node.metadata?.labels ?? {};
      if (!nodeLabelsMatchSpreadConstraints(labels, constraints)) continue;
      // Loops, not forEach: a closure per node and constraint is garbage on every scheduling cycle.
      for (let i = 0; i < constraints.length; i++) {
        const c = constraints[i]!;
        if (!matchNodeInclusionPolicies(c, pod, nodeInfo.node)) continue;
        const value = labels[c.topologyKey]!;
        const m = tpValueToMatchNum[i]!;
        m.set(value, (m.get(value) ?? 0) + this.count(nodeInfo, c.selector, namespace));
      }
    }
    state.set(PRE_FILTER_STATE_KEY, { constraints, tpValueToMatchNum } satisfies PreFilterState);
    return { result: null, status: null };
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    const s = state.get(PRE_FILTER_STATE_KEY) as PreFilterState | undefined;
    if (!s) return null;
    const labels = nodeInfo.node.metadata?.labels ?? {};
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      if (!Object.hasOwn(labels, c.topologyKey)) return newStatus(Code.UnschedulableAndUnresolvable, ERR_REASON_NODE_LABEL_NOT_MATCH);
      const counts = s.tpValueToMatchNum[i]!;
      // Too few domains (minDomains) means the global minimum is treated as 0.
      let minMatchNum = counts.size < c.minDomains ? 0 : Number.MAX_SAFE_INTEGER;
      for (const n of counts.values()) minMatchNum = Math.min(minMatchNum, n);
      const selfMatchNum = c.selector.matches(pod.metadata?.labels) ? 1 : 0;
      const skew = (counts.get(labels[c.topologyKey]!) ?? 0) + selfMatchNum - minMatchNum;
      if (skew > c.maxSkew) return newStatus(Code.Unschedulable, ERR_REASON_CONSTRAINTS_NOT_MATCH);
    }
    return null;
  }

  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], allNodes: readonly NodeInfo[]): Status | null {
    if (nodes.length === 0) return null;
    const constraints = getConstraints(pod, 'ScheduleAnyway', this.handle);
    if (constraints.length === 0) return newStatus(Code.Skip);
    // With the system defaults a node without a zone label still competes on the hostname spread.
    const requireAllTopologies = (pod.spec?.topologySpreadConstraints?.length ?? 0) > 0;
    const s: PreScoreState = { constraints, ignoredNodes: new Set(), tpValueToPodCounts: constraints.map(() => new Map()), normalizingWeights: [] };
    for (const nodeInfo of nodes) {
      const labels = nodeInfo.node.metadata?.labels ?? {};
      if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(labels, constraints)) {
        s.ignoredNodes.add(nodeInfo.node.metadata?.name ?? '');
        continue;
      }
      for (let i = 0; i < constraints.length; i++) {
        const c = constraints[i]!;
        if (c.topologyKey !== LABEL_HOSTNAME && Object.hasOwn(labels, c.topologyKey)) s.tpValueToPodCounts[i]!.set(labels[c.topologyKey]!, 0);
      }
    }
    s.normalizingWeights = constraints.map((c, i) =>
      topologyNormalizingWeight(c.topologyKey === LABEL_HOSTNAME ? nodes.length - s.ignoredNodes.size : s.tpValueToPodCounts[i]!.size),
    );
    this.countAllNodes(s, pod, allNodes, requireAllTopologies);
    state.set(PRE_SCORE_STATE_KEY, s);
    return null;
  }

  /** Sums matching pods per topology value over the whole snapshot (per-node counts wait for Score). */
  private countAllNodes(s: PreScoreState, pod: Pod, allNodes: readonly NodeInfo[], requireAllTopologies: boolean): void {
    // No feasible node carries a non-hostname topology value: nothing to count.
    if (s.tpValueToPodCounts.every((m) => m.size === 0)) return;
    const namespace = pod.metadata?.namespace ?? '';
    for (const nodeInfo of allNodes) {
      const labels = nodeInfo.node.metadata?.labels ?? {};
      if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(labels, s.constraints)) continue;
      for (let i = 0; i < s.constraints.length; i++) {
        const c = s.constraints[i]!;
        const m = s.tpValueToPodCounts[i]!;
        const value = labels[c.topologyKey];
        if (c.topologyKey === LABEL_HOSTNAME || value === undefined || !m.has(value)) continue;
        if (!matchNodeInclusionPolicies(c, pod, nodeInfo.node)) continue;
        m.set(value, m.get(value)! + this.count(nodeInfo, c.selector, namespace));
      }
    }
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const s = state.get(PRE_SCORE_STATE_KEY) as PreScoreState | undefined;
    const node = nodeInfo.node;
    if (!s || s.ignoredNodes.has(node.metadata?.name ?? '')) return 0;
    const labels = node.metadata?.labels ?? {};
    const namespace = pod.metadata?.namespace ?? '';
    let score = 0;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const value = labels[c.topologyKey];
      if (value === undefined) continue;
      const cnt = c.topologyKey === LABEL_HOSTNAME ? this.count(nodeInfo, c.selector, namespace) : (s.tpValueToPodCounts[i]!.get(value) ?? 0);
      score += cnt * s.normalizingWeights[i]! + (c.maxSkew - 1);
    }
    return Math.round(score);
  }

  normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): void {
    const s = state.get(PRE_SCORE_STATE_KEY) as PreScoreState | undefined;
    if (!s) return;
    let minScore = Number.MAX_SAFE_INTEGER;
    let maxScore = 0;
    for (const sc of scores) {
      if (s.ignoredNodes.has(sc.name)) continue;
      minScore = Math.min(minScore, sc.score);
      maxScore = Math.max(maxScore, sc.score);
    }
    // Fewer matching pods is better: the emptiest domain gets MAX_NODE_SCORE.
    for (const sc of scores) {
      if (s.ignoredNodes.has(sc.name)) sc.score = 0;
      else if (maxScore === 0) sc.score = MAX_NODE_SCORE;
      else sc.score = Math.trunc((MAX_NODE_SCORE * (maxScore + minScore - sc.score)) / maxScore);
    }
  }
}

/** Creates the PodTopologySpread plugin. */
export function newPodTopologySpreadPlugin(handle: Handle = EMPTY_HANDLE): PodTopologySpreadPlugin {
  return new PodTopologySpreadPlugin(handle);
}
