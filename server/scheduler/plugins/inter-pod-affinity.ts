// Port of kubernetes pkg/scheduler/framework/plugins/interpodaffinity (filtering.go, scoring.go) and of
// the AffinityTerm helpers in framework/types.go (NewPodInfo, AffinityTerm.Matches).
import type { Pod, PodAffinityTerm, WeightedPodAffinityTerm } from 'kubernetes-types/core/v1.js';
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
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScorePlugin,
  type Status,
} from '../framework.js';
import { compileSelector, NOTHING, withLabelKeys, type LabelMatcher } from '../label-selector.js';
import { INTER_POD_AFFINITY } from './names.js';

/** Reason when no pod in the node's topology domain satisfies the pod's required affinity. */
export const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
/** Reason when a pod in the node's domain matches the pod's required anti-affinity. */
export const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";
/** Reason when an existing pod's required anti-affinity rejects the incoming pod in this domain. */
export const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules";

/** Weight of an existing pod's required affinity term when scoring (hardPodAffinityWeight). */
const HARD_POD_AFFINITY_WEIGHT = 1;

/** A compiled pod (anti-)affinity term. */
export interface AffinityTerm {
  namespaces: Set<string>;
  namespaceSelector: LabelMatcher;
  selector: LabelMatcher;
  topologyKey: string;
  weight: number;
}

/** The compiled terms of one pod. */
export interface PodTerms {
  requiredAffinity: AffinityTerm[];
  requiredAntiAffinity: AffinityTerm[];
  preferredAffinity: AffinityTerm[];
  preferredAntiAffinity: AffinityTerm[];
}

function newAffinityTerm(pod: Pod, t: PodAffinityTerm, weight: number): AffinityTerm {
  const namespaces = new Set(t.namespaces ?? []);
  // No namespaces and no namespaceSelector means "the pod's own namespace".
  if (namespaces.size === 0 && !t.namespaceSelector) namespaces.add(pod.metadata?.namespace ?? '');
  const sel = withLabelKeys(t.labelSelector, pod.metadata?.labels, t.matchLabelKeys, t.mismatchLabelKeys ?? []);
  return { namespaces, namespaceSelector: t.namespaceSelector ? compileSelector(t.namespaceSelector) : NOTHING, selector: compileSelector(sel), topologyKey: t.topologyKey, weight };
}

const termsCache = new WeakMap<Pod, PodTerms>();

/**
 * The pod's affinity terms, compiled once per pod object (pods in the cache are immutable).
 * @example getPodTerms(pod).requiredAntiAffinity[0]?.topologyKey // 'kubernetes.io/hostname'
 */
export function getPodTerms(pod: Pod): PodTerms {
  const hit = termsCache.get(pod);
  if (hit) return hit;
  const a = pod.spec?.affinity;
  const req = (ts: PodAffinityTerm[] | undefined) => (ts ?? []).map((t) => newAffinityTerm(pod, t, 1));
  const pref = (ts: WeightedPodAffinityTerm[] | undefined) => (ts ?? []).map((t) => newAffinityTerm(pod, t.podAffinityTerm, t.weight));
  const terms: PodTerms = {
    requiredAffinity: req(a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    requiredAntiAffinity: req(a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    preferredAffinity: pref(a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinity: pref(a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
  };
  if (Object.isFrozen(pod)) termsCache.set(pod, terms);
  return terms;
}

/** Reports whether the term selects the pod: namespace (by name or namespace labels) and labels. */
export function termMatches(t: AffinityTerm, pod: Pod, nsLabels: Record<string, string> | undefined): boolean {
  const nsOk = t.namespaces.has(pod.metadata?.namespace ?? '') || t.namespaceSelector.matches(nsLabels ?? {});
  return nsOk && t.selector.matches(pod.metadata?.labels);
}

/** Resolves a namespaceSelector into namespace names, as the incoming pod's terms are evaluated. */
function mergeNamespaces(terms: AffinityTerm[], handle: Handle): AffinityTerm[] {
  return terms.map((t) => {
    if (t.namespaceSelector.empty || t.namespaceSelector === NOTHING) return t;
    const namespaces = new Set(t.namespaces);
    for (const [name, labels] of handle.namespaces()) if (t.namespaceSelector.matches(labels)) namespaces.add(name);
    return { ...t, namespaces, namespaceSelector: NOTHING };
  });
}

type TopologyCounts = Map<string, number>;

function pairKey(key: string, value: string): string {
  return `${key}\u0000${value}`;
}

function bump(m: TopologyCounts, nodeInfo: NodeInfo, topologyKey: string, by: number): void {
  const value = nodeInfo.node.metadata?.labels?.[topologyKey];
  if (value === undefined) return;
  const k = pairKey(topologyKey, value);
  m.set(k, (m.get(k) ?? 0) + by);
}

interface PreFilterState {
  terms: PodTerms;
  pod: Pod;
  existingAntiAffinityCounts: TopologyCounts;
  affinityCounts: TopologyCounts;
  antiAffinityCounts: TopologyCounts;
}

interface PreScoreState {
  /** topologyKey → topology value → score. */
  topologyScore: Map<string, Map<string, number>>;
}

const PRE_FILTER_STATE_KEY = `PreFilter${INTER_POD_AFFINITY}`;
const PRE_SCORE_STATE_KEY = `PreScore${INTER_POD_AFFINITY}`;

/** Counts, per topology pair, existing pods whose required anti-affinity selects the incoming pod. */
export function getExistingAntiAffinityCounts(pod: Pod, nsLabels: Record<string, string> | undefined, nodes: readonly NodeInfo[]): TopologyCounts {
  const counts: TopologyCounts = new Map();
  for (const nodeInfo of nodes) {
    for (const existing of nodeInfo.podsWithRequiredAntiAffinity) {
      for (const t of getPodTerms(existing).requiredAntiAffinity) if (termMatches(t, pod, nsLabels)) bump(counts, nodeInfo, t.topologyKey, 1);
    }
  }
  return counts;
}

function getIncomingCounts(terms: PodTerms, nodes: readonly NodeInfo[]): { affinityCounts: TopologyCounts; antiAffinityCounts: TopologyCounts } {
  const affinityCounts: TopologyCounts = new Map();
  const antiAffinityCounts: TopologyCounts = new Map();
  if (terms.requiredAffinity.length === 0 && terms.requiredAntiAffinity.length === 0) return { affinityCounts, antiAffinityCounts };
  for (const nodeInfo of nodes) {
    for (const existing of nodeInfo.pods) {
      // Affinity terms count only when the existing pod matches all of them.
      if (terms.requiredAffinity.length > 0 && terms.requiredAffinity.every((t) => termMatches(t, existing, undefined))) {
        for (const t of terms.requiredAffinity) bump(affinityCounts, nodeInfo, t.topologyKey, 1);
      }
      for (const t of terms.requiredAntiAffinity) if (termMatches(t, existing, undefined)) bump(antiAffinityCounts, nodeInfo, t.topologyKey, 1);
    }
  }
  return { affinityCounts, antiAffinityCounts };
}

function satisfyPodAffinity(s: PreFilterState, nodeInfo: NodeInfo): boolean {
  const labels = nodeInfo.node.metadata?.labels ?? {};
  let podsExist = true;
  for (const t of s.terms.requiredAffinity) {
    const value = labels[t.topologyKey];
    // Every topology label must exist on the node.
    if (value === undefined) return false;
    if ((s.affinityCounts.get(pairKey(t.topologyKey, value)) ?? 0) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // The first pod of a group with affinity to itself may go anywhere the topology labels exist, as
  // long as no pod in the cluster matches the terms yet.
  return s.affinityCounts.size === 0 && s.terms.requiredAffinity.every((t) => termMatches(t, s.pod, undefined));
}

function satisfyPodAntiAffinity(s: PreFilterState, nodeInfo: NodeInfo): boolean {
  if (s.antiAffinityCounts.size === 0) return true;
  const labels = nodeInfo.node.metadata?.labels ?? {};
  for (const t of s.terms.requiredAntiAffinity) {
    const value = labels[t.topologyKey];
    if (value !== undefined && (s.antiAffinityCounts.get(pairKey(t.topologyKey, value)) ?? 0) > 0) return false;
  }
  return true;
}

function satisfyExistingPodsAntiAffinity(s: PreFilterState, nodeInfo: NodeInfo): boolean {
  if (s.existingAntiAffinityCounts.size === 0) return true;
  for (const [key, value] of Object.entries(nodeInfo.node.metadata?.labels ?? {})) {
    if ((s.existingAntiAffinityCounts.get(pairKey(key, value)) ?? 0) > 0) return false;
  }
  return true;
}

/** The InterPodAffinity plugin: PreFilter, Filter, PreScore, Score and NormalizeScore. */
export class InterPodAffinityPlugin implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = INTER_POD_AFFINITY;

  constructor(private readonly handle: Handle = EMPTY_HANDLE) {}

  preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { result: PreFilterResult | null; status: Status | null } {
    const own = getPodTerms(pod);
    const terms: PodTerms = { ...own, requiredAffinity: mergeNamespaces(own.requiredAffinity, this.handle), requiredAntiAffinity: mergeNamespaces(own.requiredAntiAffinity, this.handle) };
    const nsLabels = this.handle.namespaceLabels(pod.metadata?.namespace ?? '');
    const existingAntiAffinityCounts = getExistingAntiAffinityCounts(pod, nsLabels, nodes);
    if (existingAntiAffinityCounts.size === 0 && terms.requiredAffinity.length === 0 && terms.requiredAntiAffinity.length === 0) {
      return { result: null, status: newStatus(Code.Skip) };
    }
    const s: PreFilterState = { terms, pod, existingAntiAffinityCounts, ...getIncomingCounts(terms, nodes) };
    state.set(PRE_FILTER_STATE_KEY, s);
    return { result: null, status: null };
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status | null {
    const s = state.get(PRE_FILTER_STATE_KEY) as PreFilterState | undefined;
    if (!s) return null;
    if (!satisfyPodAffinity(s, nodeInfo)) return newStatus(Code.UnschedulableAndUnresolvable, ERR_REASON_AFFINITY_RULES_NOT_MATCH);
    if (!satisfyPodAntiAffinity(s, nodeInfo)) return newStatus(Code.Unschedulable, ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
    if (!satisfyExistingPodsAntiAffinity(s, nodeInfo)) return newStatus(Code.Unschedulable, ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);
    return null;
  }

  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], allNodes: readonly NodeInfo[]): Status | null {
    if (nodes.length === 0) return null;
    const own = getPodTerms(pod);
    const hasConstraints = own.preferredAffinity.length > 0 || own.preferredAntiAffinity.length > 0;
    const preferredAffinity = mergeNamespaces(own.preferredAffinity, this.handle);
    const preferredAntiAffinity = mergeNamespaces(own.preferredAntiAffinity, this.handle);
    const nsLabels = this.handle.namespaceLabels(pod.metadata?.namespace ?? '');
    const topologyScore = new Map<string, Map<string, number>>();
    const add = (t: AffinityTerm, weight: number, target: Pod, labels: Record<string, string> | undefined, nodeInfo: NodeInfo) => {
      if (!termMatches(t, target, labels)) return;
      const value = nodeInfo.node.metadata?.labels?.[t.topologyKey];
      if (value === undefined) return;
      let byValue = topologyScore.get(t.topologyKey);
      if (!byValue) topologyScore.set(t.topologyKey, (byValue = new Map()));
      byValue.set(value, (byValue.get(value) ?? 0) + weight);
    };
    for (const nodeInfo of allNodes) {
      // Without preferred terms of its own, only existing pods with affinity can contribute.
      const pods = hasConstraints ? nodeInfo.pods : nodeInfo.podsWithAffinity;
      if (pods.length === 0 || Object.keys(nodeInfo.node.metadata?.labels ?? {}).length === 0) continue;
      for (const existing of pods) {
        for (const t of preferredAffinity) add(t, t.weight, existing, undefined, nodeInfo);
        for (const t of preferredAntiAffinity) add(t, -t.weight, existing, undefined, nodeInfo);
        const et = getPodTerms(existing);
        for (const t of et.requiredAffinity) add(t, HARD_POD_AFFINITY_WEIGHT, pod, nsLabels, nodeInfo);
        for (const t of et.preferredAffinity) add(t, t.weight, pod, nsLabels, nodeInfo);
        for (const t of et.preferredAntiAffinity) add(t, -t.weight, pod, nsLabels, nodeInfo);
      }
    }
    if (topologyScore.size === 0) return newStatus(Code.Skip);
    state.set(PRE_SCORE_STATE_KEY, { topologyScore } satisfies PreScoreState);
    return null;
  }

  score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number {
    const s = state.get(PRE_SCORE_STATE_KEY) as PreScoreState | undefined;
    if (!s) return 0;
    const labels = nodeInfo.node.metadata?.labels ?? {};
    let score = 0;
    for (const [key, byValue] of s.topologyScore) {
      const value = labels[key];
      if (value !== undefined) score += byValue.get(value) ?? 0;
    }
    return score;
  }

  normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): void {
    const s = state.get(PRE_SCORE_STATE_KEY) as PreScoreState | undefined;
    if (!s || s.topologyScore.size === 0) return;
    let min = Number.MAX_SAFE_INTEGER;
    let max = Number.MIN_SAFE_INTEGER;
    for (const sc of scores) {
      min = Math.min(min, sc.score);
      max = Math.max(max, sc.score);
    }
    // Scores may be negative (anti-affinity); map [min, max] onto [0, MAX_NODE_SCORE].
    const diff = max - min;
    for (const sc of scores) sc.score = diff > 0 ? Math.trunc((MAX_NODE_SCORE * (sc.score - min)) / diff) : 0;
  }
}

/** Creates the InterPodAffinity plugin. */
export function newInterPodAffinityPlugin(handle: Handle = EMPTY_HANDLE): InterPodAffinityPlugin {
  return new InterPodAffinityPlugin(handle);
}
