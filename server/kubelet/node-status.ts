// What a kubelet registers and posts about its node. Port of the kubelet's initial node
// (pkg/kubelet/kubelet_node_status.go, initialNode) and of the status setters in
// pkg/kubelet/nodestatus/setters.go (MachineInfo, VersionInfo, the pressure and Ready conditions).
import type { Node, NodeCondition } from 'kubernetes-types/core/v1.js';
import { parseQuantity } from '../../schemas/format/quantity.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import { rfc3339 } from '../clock.js';
import type { NodeConfig } from '../config.js';
import type { Random } from '../random.js';
import { DEFAULT_NODE_IMAGES_CONTROL_PLANE, DEFAULT_NODE_IMAGES_WORKER } from './node-images.js';

/** The kubelet version every node reports (matches the server's version). */
export const KUBELET_VERSION = 'v1.35.2';
const OS_IMAGE = 'Ubuntu 24.04.1 LTS';
const KERNEL_VERSION = '6.8.0-51-generic';
const CONTAINER_RUNTIME_VERSION = 'containerd://2.0.0';
const KUBELET_PORT = 10250;
/** The default hard eviction threshold memory.available<100Mi, subtracted from allocatable memory. */
const EVICTION_MEMORY_BYTES = 100 * 1024 * 1024;
/**
 * nodefs.available<10%. Upstream multiplies by the threshold as a float32, so the reserve is a
 * hair over 10% and allocatable ends in odd digits as on real nodes.
 */
const EVICTION_NODEFS_FRACTION = Math.fround(0.1);

/** The Ready message of a kubelet whose CNI is not up yet (a fresh kubeadm node before its network add-on). */
export const NETWORK_NOT_READY_MESSAGE = 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';

/** Records a kubelet node event (reason); the message is `Node <node> status is now: <reason>`. */
export type RecordNodeEvent = (reason: string) => void;

/** Formats bytes as a canonical binary quantity: the largest suffix that divides them (`8045940Ki`). */
export function formatBinaryQuantity(bytes: number): string {
  const suffixes = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi'];
  let v = bytes;
  let i = 0;
  while (i < suffixes.length - 1 && v !== 0 && v % 1024 === 0) {
    v /= 1024;
    i++;
  }
  return `${v}${suffixes[i]}`;
}

/** Capacity and allocatable of a node (MachineInfo setter with kubeadm's default reservations). */
export function nodeResources(cfg: NodeConfig): { capacity: Record<string, string>; allocatable: Record<string, string> } {
  const memory = parseQuantity(cfg.memory);
  const storage = parseQuantity(cfg.ephemeralStorage);
  const capacity = {
    cpu: cfg.cpu,
    'ephemeral-storage': cfg.ephemeralStorage,
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: cfg.memory,
    pods: cfg.pods,
  };
  const allocatable = {
    ...capacity,
    'ephemeral-storage': String(storage - Math.trunc(storage * EVICTION_NODEFS_FRACTION)),
    memory: formatBinaryQuantity(Math.max(0, memory - EVICTION_MEMORY_BYTES)),
  };
  return { capacity, allocatable };
}

function hex(random: Random): string {
  return random.uuid().replace(/-/g, '');
}

/**
 * The Node a kubelet registers: labels, kubeadm annotations, the configured taints and pod CIDR,
 * and a status with capacity, addresses, nodeInfo and the pre-pulled images. Conditions are set
 * afterwards by setNodeConditions.
 */
export function newNode(cfg: NodeConfig, random: Random): KubeObject {
  const { capacity, allocatable } = nodeResources(cfg);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: cfg.name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': cfg.name,
        'kubernetes.io/os': 'linux',
        ...cfg.labels,
      },
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: { podCIDR: cfg.podCIDR, podCIDRs: [cfg.podCIDR], ...(cfg.taints.length > 0 ? { taints: cfg.taints.map((t) => ({ ...t })) } : {}) },
    status: {
      capacity,
      allocatable,
      conditions: [],
      addresses: [{ type: 'InternalIP', address: cfg.address }, { type: 'Hostname', address: cfg.name }],
      daemonEndpoints: { kubeletEndpoint: { Port: KUBELET_PORT } },
      nodeInfo: {
        machineID: hex(random),
        systemUUID: random.uuid(),
        bootID: random.uuid(),
        kernelVersion: KERNEL_VERSION,
        osImage: OS_IMAGE,
        containerRuntimeVersion: CONTAINER_RUNTIME_VERSION,
        kubeletVersion: KUBELET_VERSION,
        // KEP-4004: the kubelet no longer fills the deprecated field; it serialises as "".
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
      images: (cfg.controlPlane ? DEFAULT_NODE_IMAGES_CONTROL_PLANE : DEFAULT_NODE_IMAGES_WORKER).map((i) => ({ names: [...i.names], sizeBytes: i.sizeBytes })),
    },
  };
}

interface PressureSpec {
  type: string;
  reason: string;
  message: string;
  event: string;
  /** The condition under pressure (a `kd fault` NodeCondition): status True. */
  pressure: { reason: string; message: string; event: string };
}

/** The pressure conditions in the kubelet's setter order; a node runs short only through `kd fault`. */
const PRESSURE_CONDITIONS: PressureSpec[] = [
  { type: 'MemoryPressure', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', event: 'NodeHasSufficientMemory',
    pressure: { reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available', event: 'NodeHasInsufficientMemory' } },
  { type: 'DiskPressure', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure', event: 'NodeHasNoDiskPressure',
    pressure: { reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure', event: 'NodeHasDiskPressure' } },
  { type: 'PIDPressure', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available', event: 'NodeHasSufficientPID',
    pressure: { reason: 'KubeletHasInsufficientPID', message: 'kubelet has insufficient PID available', event: 'NodeHasInsufficientPID' } },
];

/**
 * The pressure setters: each condition gets a fresh heartbeat; a condition that is new, Unknown
 * (set by the node controller) or True becomes False with a transition and an event.
 */
function setPressureConditions(conditions: NodeCondition[], now: string, record: RecordNodeEvent, pressure: ReadonlySet<string>): NodeCondition[] {
  const out = [...conditions];
  for (const spec of PRESSURE_CONDITIONS) {
    const i = out.findIndex((c) => c.type === spec.type);
    const cur: NodeCondition = i >= 0 ? { ...out[i]! } : { type: spec.type, status: 'Unknown' };
    cur.lastHeartbeatTime = now;
    const wanted = pressure.has(spec.type) ? { status: 'True', ...spec.pressure } : { status: 'False', reason: spec.reason, message: spec.message, event: spec.event };
    if (cur.status !== wanted.status) {
      Object.assign(cur, { status: wanted.status, reason: wanted.reason, message: wanted.message, lastTransitionTime: now });
      record(wanted.event);
    }
    if (i >= 0) out[i] = cur;
    else out.push(cur);
  }
  return out;
}

/**
 * The Ready setter: True (`KubeletReady`) or False (`KubeletNotReady` with the runtime errors).
 * A new condition records no event; a status change of an existing one records NodeReady or
 * NodeNotReady and moves lastTransitionTime.
 */
function setReadyCondition(conditions: NodeCondition[], notReadyMessage: string | undefined, now: string, record: RecordNodeEvent): NodeCondition[] {
  const next: NodeCondition = notReadyMessage === undefined
    ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }
    : { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: notReadyMessage, lastHeartbeatTime: now, lastTransitionTime: now };
  const out = [...conditions];
  const i = out.findIndex((c) => c.type === 'Ready');
  if (i < 0) return [...out, next];
  const cur = out[i]!;
  if (cur.status === next.status) next.lastTransitionTime = cur.lastTransitionTime;
  else record(next.status === 'True' ? 'NodeReady' : 'NodeNotReady');
  out[i] = next;
  return out;
}

/**
 * Runs the kubelet's condition setters on a node status at `nowMs`: MemoryPressure, DiskPressure,
 * PIDPressure (True for the types in `pressure`), then Ready (ready unless `notReadyMessage` is
 * given). Events go to `record`.
 */
export function setNodeConditions(node: KubeObject, opts: { notReadyMessage?: string; nowMs: number; record: RecordNodeEvent; pressure?: ReadonlySet<string> }): void {
  const status = (node.status ?? {}) as NonNullable<Node['status']>;
  node.status = status;
  const now = rfc3339(opts.nowMs);
  const withPressure = setPressureConditions(status.conditions ?? [], now, opts.record, opts.pressure ?? new Set());
  status.conditions = setReadyCondition(withPressure, opts.notReadyMessage, now, opts.record);
}

/** The node's Ready condition status, or undefined when there is none. */
export function readyStatus(node: Readonly<KubeObject> | undefined): string | undefined {
  return ((node?.status as Node['status'])?.conditions ?? []).find((c) => c.type === 'Ready')?.status;
}
