// Port of kubernetes pkg/scheduler/framework/plugins/nodename/node_name.go.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { Code, newStatus, type CycleState, type FilterPlugin, type NodeInfo, type Status } from '../framework.js';
import { NODE_NAME } from './names.js';

/** Reason when the pod asks for another node by name. */
export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

/**
 * Reports whether the pod may run on the node by name: no `spec.nodeName`, or the same name.
 * @example fitsNodeName(pod, node)
 */
export function fitsNodeName(pod: Pod, node: Node): boolean {
  const wanted = pod.spec?.nodeName;
  return !wanted || wanted === node.metadata?.name;
}

/** The NodeName plugin: Filter only. */
export class NodeNamePlugin implements FilterPlugin {
  readonly name = NODE_NAME;

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    if (fitsNodeName(pod, nodeInfo.node)) return null;
    return newStatus(Code.UnschedulableAndUnresolvable, ERR_REASON_NODE_NAME);
  }
}

/** Creates the NodeName plugin. */
export function newNodeNamePlugin(): NodeNamePlugin {
  return new NodeNamePlugin();
}
