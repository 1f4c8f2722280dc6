// Port of kubernetes pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go and of the
// toleration helpers in api/core/v1/toleration.go and component-helpers scheduling/corev1.
import type { Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import {
  Code,
  MAX_NODE_SCORE,
  defaultNormalizeScore,
  newStatus,
  type CycleState,
  type FilterPlugin,
  type NodeInfo,
  type NodeScore,
  type PreScorePlugin,
  type ScorePlugin,
  type Status,
} from '../framework.js';
import { TAINT_TOLERATION } from './names.js';

/** Reason for the first NoSchedule/NoExecute taint the pod does not tolerate. */
export function errReasonUntoleratedTaint(taint: Pick<Taint, 'key' | 'value'>): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
}

/** The part of a taint that toleration matching looks at. */
export type TaintLike = Pick<Taint, 'key' | 'effect'> & { value?: string };

/**
 * Reports whether one toleration matches a taint: same effect (or empty), and `Exists` with an empty or
 * equal key, or `Equal` (the default operator) with equal key and value.
 * @example toleratesTaint({ operator: 'Exists' }, { key: 'a', effect: 'NoSchedule' }) // true
 */
export function toleratesTaint(toleration: Toleration, taint: TaintLike): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** Reports whether any of the tolerations matches the taint. */
export function tolerationsTolerateTaint(tolerations: Toleration[] | undefined, taint: TaintLike): boolean {
  // Loops, not some/find/filter: these run for every node of every scheduling cycle.
  if (tolerations) for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}

/**
 * The first taint passing `inclusionFilter` that no toleration matches, or undefined.
 * Port of v1helper.FindMatchingUntoleratedTaint.
 */
export function findMatchingUntoleratedTaint(
  taints: Taint[] | undefined,
  tolerations: Toleration[] | undefined,
  inclusionFilter: (t: Taint) => boolean,
): Taint | undefined {
  if (taints) for (const t of taints) if (inclusionFilter(t) && !tolerationsTolerateTaint(tolerations, t)) return t;
  return undefined;
}

function isScheduleRelevant(t: Taint): boolean {
  // PreferNoSchedule only lowers the score; NoSchedule and NoExecute block placement.
  return t.effect === 'NoSchedule' || t.effect === 'NoExecute';
}

/**
 * The untolerated NoSchedule/NoExecute taint that keeps the pod off the node, or undefined when it fits.
 * @example fitsTaintToleration(pod, node)?.key // 'node-role.kubernetes.io/control-plane'
 */
export function fitsTaintToleration(pod: Pod, nodeInfo: NodeInfo): Taint | undefined {
  return findMatchingUntoleratedTaint(nodeInfo.node.spec?.taints, pod.spec?.tolerations, isScheduleRelevant);
}

/** Tolerations that can offset PreferNoSchedule taints: effect empty or PreferNoSchedule. */
export function preferNoScheduleTolerations(pod: Pod): Toleration[] {
  return (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
}

/**
 * Counts the node's PreferNoSchedule taints that none of the tolerations match (lower is better).
 * @example countIntolerableTaintsPreferNoSchedule(node.spec.taints, preferNoScheduleTolerations(pod))
 */
export function countIntolerableTaintsPreferNoSchedule(taints: Taint[] | undefined, tolerations: Toleration[]): number {
  let n = 0;
  if (taints) for (const t of taints) if (t.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tolerations, t)) n++;
  return n;
}

const PRE_SCORE_STATE_KEY = `PreScore${TAINT_TOLERATION}`;

/** The TaintToleration plugin: Filter, PreScore, Score and NormalizeScore (reversed). */
export class TaintTolerationPlugin implements FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = TAINT_TOLERATION;

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    const taint = fitsTaintToleration(pod, nodeInfo);
    if (!taint) return null;
    return newStatus(Code.UnschedulableAndUnresolvable, errReasonUntoleratedTaint(taint));
  }

  preScore(state: CycleState, pod: Pod): Status | null {
    state.set(PRE_SCORE_STATE_KEY, preferNoScheduleTolerations(pod));
    return null;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const tolerations = (state.get(PRE_SCORE_STATE_KEY) as Toleration[] | undefined) ?? preferNoScheduleTolerations(pod);
    return countIntolerableTaintsPreferNoSchedule(nodeInfo.node.spec?.taints, tolerations);
  }

  normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): void {
    defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
  }
}

/** Creates the TaintToleration plugin. */
export function newTaintTolerationPlugin(): TaintTolerationPlugin {
  return new TaintTolerationPlugin();
}
