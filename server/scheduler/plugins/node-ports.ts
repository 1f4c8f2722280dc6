// Port of kubernetes pkg/scheduler/framework/plugins/nodeports/node_ports.go and of the HostPortInfo
// conflict rules in framework/types.go.
import type { Container, ContainerPort, Pod } from 'kubernetes-types/core/v1.js';
import { Code, newStatus, type CycleState, type FilterPlugin, type NodeInfo, type PreFilterPlugin, type PreFilterResult, type Status } from '../framework.js';
import { NODE_PORTS } from './names.js';

/** Reason when a requested hostPort is taken on the node. */
export const ERR_REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

const DEFAULT_BIND_ALL_HOST_IP = '0.0.0.0';
const DEFAULT_PROTOCOL = 'TCP';

/** A host port in use or wanted: IP, protocol and port, with defaults applied. */
export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

function sanitize(p: ContainerPort): HostPort {
  return { ip: p.hostIP || DEFAULT_BIND_ALL_HOST_IP, protocol: p.protocol || DEFAULT_PROTOCOL, port: p.hostPort ?? 0 };
}

function runningContainers(pod: Pod): Container[] {
  // Sidecars (restartable init containers) run alongside the main containers and hold their ports.
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  return [...sidecars, ...(pod.spec?.containers ?? [])];
}

/**
 * The host ports a pod asks for (`hostPort` > 0), with hostIP defaulting to 0.0.0.0 and protocol to TCP.
 * @example podHostPorts(pod) // [{ ip: '0.0.0.0', protocol: 'TCP', port: 8080 }]
 */
export function podHostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of runningContainers(pod)) {
    for (const p of c.ports ?? []) if ((p.hostPort ?? 0) > 0) out.push(sanitize(p));
  }
  return out;
}

/**
 * Reports whether two host ports clash: same protocol and port, and the same IP or either one bound to
 * 0.0.0.0.
 */
export function hostPortsConflict(a: HostPort, b: HostPort): boolean {
  if (a.port !== b.port || a.protocol !== b.protocol) return false;
  return a.ip === b.ip || a.ip === DEFAULT_BIND_ALL_HOST_IP || b.ip === DEFAULT_BIND_ALL_HOST_IP;
}

/**
 * Reports whether none of the pod's host ports is already used by a pod on the node.
 * @example fitsNodePorts(pod, nodeInfo)
 */
export function fitsNodePorts(pod: Pod, nodeInfo: NodeInfo): boolean {
  return fitsWanted(podHostPorts(pod), nodeInfo);
}

function fitsWanted(wanted: HostPort[], nodeInfo: NodeInfo): boolean {
  if (wanted.length === 0) return true;
  const used = nodeInfo.pods.flatMap(podHostPorts);
  return !wanted.some((w) => used.some((u) => hostPortsConflict(w, u)));
}

const PRE_FILTER_STATE_KEY = `PreFilter${NODE_PORTS}`;

/** The NodePorts plugin: PreFilter (caches the wanted ports, Skip without any) and Filter. */
export class NodePortsPlugin implements PreFilterPlugin, FilterPlugin {
  readonly name = NODE_PORTS;

  preFilter(state: CycleState, pod: Pod): { result: PreFilterResult | null; status: Status | null } {
    const wanted = podHostPorts(pod);
    if (wanted.length === 0) return { result: null, status: newStatus(Code.Skip) };
    state.set(PRE_FILTER_STATE_KEY, wanted);
    return { result: null, status: null };
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    const wanted = state.get(PRE_FILTER_STATE_KEY) as HostPort[] | undefined;
    if (wanted ? fitsWanted(wanted, nodeInfo) : fitsNodePorts(pod, nodeInfo)) return null;
    return newStatus(Code.Unschedulable, ERR_REASON_NODE_PORTS);
  }
}

/** Creates the NodePorts plugin. */
export function newNodePortsPlugin(): NodePortsPlugin {
  return new NodePortsPlugin();
}
