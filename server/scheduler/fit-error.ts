// The FailedScheduling message. Port of kubernetes pkg/scheduler/framework/types.go (FitError.Error)
// and of the DefaultPreemption PostFilter wording (framework/preemption, plugins/defaultpreemption).
import type { Status } from './framework.js';

/** Message when the snapshot has no nodes at all (ErrNoNodesAvailable). */
export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';
/** Preemption reason for nodes where evicting pods cannot help (unresolvable or absent). */
export const ERR_REASON_PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
/** Preemption reason for nodes where no set of lower-priority victims makes room. */
export const ERR_REASON_NO_PREEMPTION_VICTIMS = 'No preemption victims found for incoming pod';
/** PostFilter text for a pod with `preemptionPolicy: Never`. */
export const PREEMPTION_NOT_ELIGIBLE_NEVER = 'preemption: not eligible due to preemptionPolicy=Never.';

/** Reasons of one node: a Status or its bare reason strings. */
export type NodeReasons = Status | readonly string[];

function reasonsOf(r: NodeReasons): readonly string[] {
  return Array.isArray(r) ? (r as readonly string[]) : (r as Status).reasons;
}

/**
 * Counts every reason over all nodes and renders `<count> <reason>` entries, sorted as strings (so
 * `10 …` sorts before `2 …`) and joined with `, `.
 * @example sortReasonsHistogram(new Map([['a', ['x']], ['b', ['x']]])) // '2 x'
 */
export function sortReasonsHistogram(reasonsByNode: ReadonlyMap<string, NodeReasons>): string {
  const histogram = new Map<string, number>();
  for (const r of reasonsByNode.values()) {
    for (const reason of reasonsOf(r)) histogram.set(reason, (histogram.get(reason) ?? 0) + 1);
  }
  const entries = [...histogram].map(([reason, count]) => `${count} ${reason}`);
  // Go's sort.Strings compares bytes; JS's default sort compares UTF-16 units, the same for ASCII.
  return entries.sort().join(', ');
}

/** Options of {@link fitErrorMessage}. */
export interface FitErrorOptions {
  /** A PreFilter rejection; replaces the per-node histogram. */
  preFilterMessage?: string;
}

/**
 * Composes the FailedScheduling text: `0/<N> nodes are available: <histogram>.` (or
 * `no nodes available to schedule pods` when N is 0) followed by
 * ` <preemptionMessage>.` when preemption said something. The preemption text usually ends in `.`
 * itself, so the event ends in `..` exactly as upstream.
 * @example fitErrorMessage(1, new Map([['n1', ['Insufficient cpu']]]))
 * // '0/1 nodes are available: 1 Insufficient cpu.'
 */
export function fitErrorMessage(
  numNodes: number,
  reasonsByNode: ReadonlyMap<string, NodeReasons>,
  preemptionMessage?: string,
  opts: FitErrorOptions = {},
): string {
  // Upstream never builds a FitError for an empty snapshot; it reports ErrNoNodesAvailable instead.
  if (numNodes === 0) return ERR_NO_NODES_AVAILABLE;
  let msg = `0/${numNodes} nodes are available:`;
  // A PreFilter rejection is copied onto every node; listing it per node would repeat it N times.
  if (opts.preFilterMessage) msg += ` ${opts.preFilterMessage}.`;
  else msg += ` ${sortReasonsHistogram(reasonsByNode)}.`;
  if (preemptionMessage) msg += ` ${preemptionMessage}.`;
  return msg;
}

/**
 * The DefaultPreemption PostFilter message when no candidate was found: `preemption: ` plus a FitError
 * text over the per-node preemption reasons. Nodes in `allNodeNames` missing from `reasonsByNode` count
 * as "Preemption is not helpful for scheduling".
 * @example preemptionMessage(['a', 'b'], new Map([['b', [ERR_REASON_NO_PREEMPTION_VICTIMS]]]))
 * // 'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.'
 */
export function preemptionMessage(allNodeNames: readonly string[], reasonsByNode: ReadonlyMap<string, NodeReasons>): string {
  const complete = new Map<string, NodeReasons>(reasonsByNode);
  for (const name of allNodeNames) if (!complete.has(name)) complete.set(name, [ERR_REASON_PREEMPTION_NOT_HELPFUL]);
  return `preemption: ${fitErrorMessage(allNodeNames.length, complete)}`;
}
