// Port of kubernetes pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { Code, newStatus, type CycleState, type FilterPlugin, type NodeInfo, type Status } from '../framework.js';
import { NODE_UNSCHEDULABLE } from './names.js';
import { tolerationsTolerateTaint } from './taint-toleration.js';

/** Reason for a cordoned node (`spec.unschedulable`). */
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
/** Reason when the NodeInfo has no node object. */
export const ERR_REASON_UNKNOWN_CONDITION = 'node(s) had unknown conditions';

/** Taint key that stands for `spec.unschedulable` in tolerations. */
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/**
 * Reports whether the pod may land on the node as far as cordoning goes: the node is schedulable, or
 * the pod tolerates `node.kubernetes.io/unschedulable:NoSchedule`.
 */
export function fitsNodeUnschedulable(pod: Pod, node: Node): boolean {
  if (!node.spec?.unschedulable) return true;
  return tolerationsTolerateTaint(pod.spec?.tolerations, { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' });
}

/** The NodeUnschedulable plugin: Filter only. */
export class NodeUnschedulablePlugin implements FilterPlugin {
  readonly name = NODE_UNSCHEDULABLE;

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    // A snapshot entry can lose its node object while pods still point at it.
    if (!nodeInfo.node) return newStatus(Code.UnschedulableAndUnresolvable, ERR_REASON_UNKNOWN_CONDITION);
    if (fitsNodeUnschedulable(pod, nodeInfo.node)) return null;
    return newStatus(Code.UnschedulableAndUnresolvable, ERR_REASON_UNSCHEDULABLE);
  }
}

/** Creates the NodeUnschedulable plugin. */
export function newNodeUnschedulablePlugin(): NodeUnschedulablePlugin {
  return new NodeUnschedulablePlugin();
}
