// Which cluster events may make a rejected pod schedulable. Port of the plugins' EventsToRegister
// (framework/plugins/*) and of the event detection in framework/events.go
// (NodeSchedulingPropertiesChange), plus the NodeResourcesFit queueing hint for node events.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import * as names from './plugins/names.js';

/** A cluster event the queue reacts to. */
export type ClusterEventType =
  | 'NodeAdd'
  | 'NodeDelete'
  | 'NodeLabel'
  | 'NodeTaint'
  | 'NodeAllocatable'
  | 'AssignedPodAdd'
  | 'AssignedPodDelete'
  | 'AssignedPodLabel';

/** One event, with the node it concerns (for the queueing hints). */
export interface ClusterEvent {
  type: ClusterEventType;
  node?: Node;
}

/** Runs one plugin's Filter for the pod on the event's node with no pods on it. */
export type NodeFilterHint = (plugin: string, pod: Pod, node: Node) => boolean;

/**
 * Plugins whose queueing hint for a node add or update is "does the pod now pass my Filter on that
 * node (ignoring the pods on it)": NodeUnschedulable (uncordoned), NodeName, TaintToleration (taint
 * removed), NodeAffinity (label added) and NodeResourcesFit (allocatable big enough).
 */
const NODE_FILTER_HINT_PLUGINS: ReadonlySet<string> = new Set([
  names.NODE_UNSCHEDULABLE,
  names.NODE_NAME,
  names.TAINT_TOLERATION,
  names.NODE_AFFINITY,
  names.NODE_RESOURCES_FIT,
]);

/** Events each plugin registers for (upstream EventsToRegister, without per-event queueing hints). */
export const EVENTS_TO_REGISTER: Readonly<Record<string, readonly ClusterEventType[]>> = {
  [names.NODE_UNSCHEDULABLE]: ['NodeAdd', 'NodeTaint'],
  [names.NODE_NAME]: ['NodeAdd'],
  [names.TAINT_TOLERATION]: ['NodeAdd', 'NodeTaint'],
  [names.NODE_AFFINITY]: ['NodeAdd', 'NodeLabel'],
  [names.NODE_PORTS]: ['NodeAdd', 'AssignedPodDelete'],
  [names.NODE_RESOURCES_FIT]: ['NodeAdd', 'NodeAllocatable', 'NodeTaint', 'NodeLabel', 'AssignedPodDelete'],
  [names.POD_TOPOLOGY_SPREAD]: ['NodeAdd', 'NodeDelete', 'NodeLabel', 'NodeTaint', 'AssignedPodAdd', 'AssignedPodDelete', 'AssignedPodLabel'],
  [names.INTER_POD_AFFINITY]: ['NodeAdd', 'NodeLabel', 'AssignedPodAdd', 'AssignedPodDelete', 'AssignedPodLabel'],
};

function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * The events a node update stands for; cordon and uncordon count as taint updates, like upstream's
 * NodeSpecUnschedulableChange.
 */
export function nodeSchedulingPropertiesChange(oldNode: Node, newNode: Node): ClusterEventType[] {
  const out: ClusterEventType[] = [];
  if (Boolean(oldNode.spec?.unschedulable) !== Boolean(newNode.spec?.unschedulable)) out.push('NodeTaint');
  if (!sameJSON(oldNode.status?.allocatable, newNode.status?.allocatable)) out.push('NodeAllocatable');
  if (!sameJSON(oldNode.metadata?.labels, newNode.metadata?.labels)) out.push('NodeLabel');
  if (!sameJSON(oldNode.spec?.taints, newNode.spec?.taints) && !out.includes('NodeTaint')) out.push('NodeTaint');
  return out;
}

/**
 * Reports whether the event may help a pod that the given plugins rejected. A pod rejected by no
 * plugin (no nodes, an error) is retried on every event.
 */
export function isPodWorthRequeuing(pod: Pod, unschedulablePlugins: ReadonlySet<string>, event: ClusterEvent, hint?: NodeFilterHint): boolean {
  if (unschedulablePlugins.size === 0) return true;
  for (const plugin of unschedulablePlugins) {
    const events = EVENTS_TO_REGISTER[plugin];
    // A plugin without registrations (none here today) would be retried on anything.
    if (!events) return true;
    if (!events.includes(event.type)) continue;
    const nodeHint = hint && event.node && event.type !== 'NodeDelete' && NODE_FILTER_HINT_PLUGINS.has(plugin);
    if (nodeHint && !hint(plugin, pod, event.node!)) continue;
    return true;
  }
  return false;
}

/** Reports whether a pending pod's update may change where it fits (spec or labels changed). */
export function isPodUpdated(oldPod: Pod, newPod: Pod): boolean {
  return !sameJSON(oldPod.spec, newPod.spec) || !sameJSON(oldPod.metadata?.labels, newPod.metadata?.labels);
}
