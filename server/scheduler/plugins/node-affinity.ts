// Port of kubernetes pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go and of the selector
// matching in component-helpers scheduling/corev1/nodeaffinity.
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod, PreferredSchedulingTerm } from 'kubernetes-types/core/v1.js';
import {
  Code,
  MAX_NODE_SCORE,
  defaultNormalizeScore,
  newStatus,
  type CycleState,
  type FilterPlugin,
  type NodeInfo,
  type NodeScore,
  type PreFilterPlugin,
  type PreFilterResult,
  type ScorePlugin,
  type Status,
} from '../framework.js';
import { NODE_AFFINITY } from './names.js';

/** Reason when nodeSelector or required node affinity rejects the node. */
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
/** PreFilter reason when the matchFields metadata.name terms select no node at all. */
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';

/** The only field a matchFields requirement may name. */
const OBJECT_NAME_FIELD = 'metadata.name';

/** Parses a Gt/Lt operand as a base-10 int64-like integer; NaN when it is not one. */
function parseInteger(s: string | undefined): number {
  return s !== undefined && /^[+-]?\d+$/.test(s) ? Number(s) : NaN;
}

/**
 * Reports whether one requirement holds for a label (or field) map. A requirement with an unknown
 * operator or malformed values never holds, as the upstream parser rejects the whole term.
 */
export function matchesRequirement(req: NodeSelectorRequirement, values: Record<string, string>): boolean {
  const has = Object.hasOwn(values, req.key);
  const value = values[req.key];
  const wanted = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return wanted.length > 0 && has && wanted.includes(value ?? '');
    case 'NotIn':
      return wanted.length > 0 && (!has || !wanted.includes(value ?? ''));
    case 'Exists':
      return wanted.length === 0 && has;
    case 'DoesNotExist':
      return wanted.length === 0 && !has;
    case 'Gt':
    case 'Lt': {
      const bound = wanted.length === 1 ? parseInteger(wanted[0]) : NaN;
      const actual = has ? parseInteger(value) : NaN;
      if (Number.isNaN(bound) || Number.isNaN(actual)) return false;
      return req.operator === 'Gt' ? actual > bound : actual < bound;
    }
    default:
      return false;
  }
}

/**
 * Reports whether a node selector term matches the node: every matchExpressions entry against the labels
 * and every matchFields entry (metadata.name, In/NotIn with one value) against the fields. An empty term matches
 * nothing.
 */
export function matchesNodeSelectorTerm(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  const fieldValues = { [OBJECT_NAME_FIELD]: node.metadata?.name ?? '' };
  const fieldOk = (r: NodeSelectorRequirement) =>
    r.key === OBJECT_NAME_FIELD &&
    (r.operator === 'In' || r.operator === 'NotIn') &&
    r.values?.length === 1 &&
    matchesRequirement(r, fieldValues);
  return exprs.every((r) => matchesRequirement(r, labels)) && fields.every(fieldOk);
}

/** Reports whether any of the terms matches the node (terms are ORed). */
export function matchesNodeSelectorTerms(terms: NodeSelectorTerm[], node: Node): boolean {
  return terms.some((t) => matchesNodeSelectorTerm(t, node));
}

/**
 * Reports whether the node satisfies the pod's `nodeSelector` (every pair equal) and its required node
 * affinity. Port of GetRequiredNodeAffinity(pod).Match(node).
 * @example fitsNodeAffinity({ spec: { nodeSelector: { disk: 'ssd' } } }, node)
 */
export function fitsNodeAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  const selector = pod.spec?.nodeSelector;
  // for-in, not Object.entries: this runs for every node of every scheduling cycle.
  for (const k in selector) if (!Object.hasOwn(labels, k) || labels[k] !== selector[k]) return false;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return matchesNodeSelectorTerms(required.nodeSelectorTerms ?? [], node);
}

/**
 * Sum of the weights of the pod's preferred node-affinity terms that match the node.
 * @example scoreNodeAffinity(pod, node) // 8 when terms of weight 3 and 5 match
 */
export function scoreNodeAffinity(pod: Pod, node: Node): number {
  const preferred: PreferredSchedulingTerm[] =
    pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  let total = 0;
  for (const term of preferred) {
    if (term.weight !== 0 && matchesNodeSelectorTerm(term.preference, node)) total += term.weight;
  }
  return total;
}

function intersect(a: Set<string> | null, b: Set<string>): Set<string> {
  if (a === null) return b;
  return new Set([...a].filter((n) => b.has(n)));
}

/**
 * The node names the required affinity limits the pod to, from `matchFields metadata.name In` terms
 * (DaemonSet pods use these); null when every node stays eligible; an empty set is a conflict.
 */
export function preFilterNodeNames(pod: Pod): Set<string> | null {
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms) return null;
  const names = new Set<string>();
  for (const term of terms) {
    let termNames: Set<string> | null = null;
    for (const r of term.matchFields ?? []) {
      if (r.key !== OBJECT_NAME_FIELD || r.operator !== 'In') continue;
      termNames = intersect(termNames, new Set(r.values ?? []));
    }
    // Terms are ORed: one term without a name restriction leaves every node eligible.
    if (termNames === null) return null;
    for (const n of termNames) names.add(n);
  }
  return names;
}

/** The NodeAffinity plugin: PreFilter, Filter, Score and NormalizeScore. */
export class NodeAffinityPlugin implements PreFilterPlugin, FilterPlugin, ScorePlugin {
  readonly name = NODE_AFFINITY;

  preFilter(_state: CycleState, pod: Pod): { result: PreFilterResult | null; status: Status | null } {
    const nodeNames = preFilterNodeNames(pod);
    if (nodeNames === null) return { result: null, status: null };
    if (nodeNames.size === 0) return { result: null, status: newStatus(Code.UnschedulableAndUnresolvable, ERR_REASON_CONFLICT) };
    return { result: { nodeNames }, status: null };
  }

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    if (fitsNodeAffinity(pod, nodeInfo.node)) return null;
    return newStatus(Code.UnschedulableAndUnresolvable, ERR_REASON_POD);
  }

  score(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    return scoreNodeAffinity(pod, nodeInfo.node);
  }

  normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): void {
    defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
  }
}

/** Creates the NodeAffinity plugin. */
export function newNodeAffinityPlugin(): NodeAffinityPlugin {
  return new NodeAffinityPlugin();
}
