/**
 * Why an unscheduled pod has no node: the scheduler's own PreFilter and Filter plugins (the
 * default profile, server/scheduler/registry.ts) run over the current nodes and the pods bound to
 * them, read through the API, and each node's first rejecting plugin and its reasons are reported.
 * Nothing here re-implements a filter.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import type { LocalClient } from '../client/api-client.js';
import { fitErrorMessage } from '../scheduler/fit-error.js';
import { newCycleState, newNodeInfo, type Handle } from '../scheduler/framework.js';
import { defaultSelector } from '../scheduler/handle.js';
import * as names from '../scheduler/plugins/names.js';
import { DEFAULT_SCHEDULER_NAME, newDefaultProfile } from '../scheduler/registry.js';
import { findNodesThatFitPod } from '../scheduler/schedule-one.js';
import { cloneJSON } from '../registry/strategy.js';

/** One node's verdict. */
export interface NodeVerdict {
  node: string;
  fits: boolean;
  /** The first plugin that rejected the pod on this node. */
  plugin?: string;
  reasons: string[];
}

/** The scheduling side of a pod explanation. */
export interface SchedulingExplanation {
  /** The FailedScheduling text the scheduler would write now (undefined when some node fits). */
  message?: string;
  nodes: NodeVerdict[];
  hints: string[];
}

/** What would move a pod past each filter plugin. */
const PLUGIN_HINTS: Readonly<Record<string, string>> = {
  [names.NODE_UNSCHEDULABLE]: 'the node is cordoned: `kubectl uncordon <node>` makes it schedulable again',
  [names.NODE_NAME]: 'spec.nodeName asks for another node',
  [names.TAINT_TOLERATION]: 'add a matching toleration to the pod, or remove the taint from the node (`kubectl taint nodes <node> <key>-`)',
  [names.NODE_AFFINITY]: "fix the pod's nodeSelector or node affinity, or label a node to match (`kubectl label nodes <node> key=value`)",
  [names.NODE_PORTS]: 'another pod on the node uses the same hostPort: pick another port or free it',
  [names.NODE_RESOURCES_FIT]: "lower the pod's resource requests, or free capacity on a node (scale down or delete other pods)",
  [names.POD_TOPOLOGY_SPREAD]: 'the topology spread constraints cannot be met: relax maxSkew or whenUnsatisfiable, or add nodes in the missing domains',
  [names.INTER_POD_AFFINITY]: 'the pod (anti-)affinity rules cannot be met on any node: relax them or move the pods they refer to',
};

/** A Handle over the API objects (what the scheduler's informer handle gives the plugins). */
function clientHandle(client: LocalClient): Handle {
  return {
    namespaceLabels: (ns) => client.get('namespaces', { name: ns })?.metadata.labels ?? undefined,
    *namespaces() {
      for (const ns of client.list('namespaces')) yield [ns.metadata.name ?? '', ns.metadata.labels ?? {}] as [string, Record<string, string>];
    },
    defaultSelector: (pod) => defaultSelector(pod, {
      services: client.list('services', { namespace: pod.metadata?.namespace ?? '' }),
      get: (kind, key) => {
        const [namespace, name] = key.split('/') as [string, string];
        const resource = kind === 'ReplicationController' ? 'replicationcontrollers' : kind === 'ReplicaSet' ? 'replicasets.apps' : 'statefulsets.apps';
        return client.get(resource, { namespace, name });
      },
    }),
  };
}

function isTerminal(pod: Readonly<KubeObject>): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Runs the default profile's filters for `pod` over every node now. */
export function explainScheduling(client: LocalClient, pod: Pod): SchedulingExplanation {
  if ((pod.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME) !== DEFAULT_SCHEDULER_NAME) {
    return { nodes: [], hints: [`no scheduler named "${pod.spec?.schedulerName}" runs in this cluster: only ${DEFAULT_SCHEDULER_NAME} does`] };
  }
  const byNode = new Map<string, Pod[]>();
  for (const p of client.list('pods')) {
    const nodeName = (p.spec as { nodeName?: string } | undefined)?.nodeName;
    if (!nodeName || isTerminal(p) || p.metadata.uid === pod.metadata?.uid) continue;
    byNode.set(nodeName, [...(byNode.get(nodeName) ?? []), p as unknown as Pod]);
  }
  const infos = client.list('nodes').map((n) => newNodeInfo(cloneJSON(n) as unknown as Node, byNode.get(n.metadata.name ?? '') ?? []));
  const profile = newDefaultProfile(clientHandle(client));
  const { feasible, diagnosis } = findNodesThatFitPod(profile, newCycleState(), pod, infos);
  const fitting = new Set(feasible.map((f) => f.node.metadata?.name ?? ''));
  const nodes = infos.map((info): NodeVerdict => {
    const node = info.node.metadata?.name ?? '';
    const status = diagnosis.nodeToStatus.get(node);
    if (fitting.has(node) || !status) return { node, fits: true, reasons: [] };
    return { node, fits: false, ...(status.plugin ? { plugin: status.plugin } : {}), reasons: [...status.reasons] };
  });
  const plugins = new Set(nodes.flatMap((n) => (n.plugin ? [n.plugin] : [])));
  const hints = [...plugins].map((p) => PLUGIN_HINTS[p] ?? `the ${p} plugin rejects it`);
  if (fitting.size > 0) return { nodes, hints: [`${[...fitting].join(', ')} can take the pod now: the scheduler places it on its next attempt`] };
  return { message: fitErrorMessage(diagnosis.numAllNodes, diagnosis.nodeToStatus, undefined, { ...(diagnosis.preFilterMessage ? { preFilterMessage: diagnosis.preFilterMessage } : {}) }), nodes, hints };
}
