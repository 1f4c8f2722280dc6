/**
 * What metrics-server would answer for the current pods and nodes: PodMetrics and NodeMetrics
 * objects of metrics.k8s.io/v1beta1, computed on demand from the API objects at virtual time `now`.
 *
 * metrics-server scrapes every kubelet once per metric resolution (15 s in the kubeadm add-on
 * manifest) and reports the rate between its last two points, so a container has metrics only once
 * two points exist. Port of the timing rules of kubernetes-sigs/metrics-server pkg/storage/pod.go
 * (Store, GetMetrics) and pkg/storage/types.go (resourceUsage): scrapes fall on a fixed 15 s grid;
 * at the first scrape a container younger than 10 s is skipped, one between 10 and 15 s old uses
 * its start as the previous point (window = its age), and any later scrape has a full window.
 */
import type { Container, Node, Pod } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../clock.js';
import { containerUsage, milliToNano, MI_BYTES, variation, type Usage } from './usage.js';

/** metrics-server's --metric-resolution in the kubeadm add-on manifest. */
export const SCRAPE_INTERVAL_MS = 15_000;
/** freshContainerMinMetricsResolution: a fresh container needs this age at a scrape to report. */
const FRESH_CONTAINER_MIN_MS = 10_000;

/**
 * How stale a node's Lease may be before its kubelet counts as unreachable: a running kubelet renews
 * it every 10 s (kubelet/node-agent.ts), so a scrape never sees it older than that plus slack.
 */
export const KUBELET_UNREACHABLE_AFTER_MS = 15_000;

/**
 * Whether metrics-server's scrape at `now` reaches a node's kubelet: its Lease was renewed recently.
 * A stopped kubelet leaves the node and its pods without metrics well before the node controller
 * marks it NotReady (40 s), as a failed scrape does.
 */
export function isKubeletReachable(lease: { spec?: { renewTime?: string | null } } | undefined, now: number): boolean {
  const renewed = lease?.spec?.renewTime ? Date.parse(lease.spec.renewTime) : NaN;
  return !Number.isNaN(renewed) && lastScrape(now) - renewed <= KUBELET_UNREACHABLE_AFTER_MS;
}

/**
 * Node overhead outside pods (kubelet, containerd, the OS). The control-plane components and
 * kube-proxy run as pods and add their own usage (usage.ts), which brings an idle kubeadm node to
 * about 160m/1.2Gi on the control plane and 30m/0.5Gi on a worker.
 */
const NODE_BASELINE = {
  controlPlane: { cpuM: 88, memMi: 819 },
  worker: { cpuM: 30, memMi: 460 },
} as const;
/** Node CPU variation, in millicores (changes the displayed value by a few m between nodes). */
const NODE_CPU_VARIATION_M = 9;
const NODE_MEMORY_VARIATION_MI = 40;
const PAGE_BYTES = 4096;

export interface ContainerMetrics {
  name: string;
  usage: { cpu: string; memory: string };
}

/** metrics.k8s.io/v1beta1 PodMetrics. */
export interface PodMetrics {
  metadata: { name: string; namespace: string; creationTimestamp: string; labels?: Record<string, string> };
  timestamp: string;
  window: string;
  containers: ContainerMetrics[];
}

/** metrics.k8s.io/v1beta1 NodeMetrics. */
export interface NodeMetrics {
  metadata: { name: string; creationTimestamp: string; labels?: Record<string, string> };
  timestamp: string;
  window: string;
  usage: { cpu: string; memory: string };
}

/** A pod's usage as the HPA's metrics client sees it: per-container values plus timing. */
export interface PodUsageSample {
  containers: Array<{ name: string; usage: Usage }>;
  timestampMs: number;
  windowMs: number;
}

/**
 * Canonical decimal form of nanocores, as resource.Quantity prints a DecimalSI value at scale -9:
 * trailing groups of three zeros move into the suffix (n → u → m → cores).
 * @example formatNanocores(1234567) // '1234567n'
 * @example formatNanocores(250000000) // '250m'
 */
export function formatNanocores(n: number): string {
  if (n === 0) return '0';
  const suffixes = ['n', 'u', 'm', ''];
  let i = 0;
  let v = Math.round(n);
  while (i < 3 && v % 1000 === 0) {
    v /= 1000;
    i++;
  }
  return `${v}${suffixes[i]}`;
}

/**
 * Canonical binary form of bytes, as resource.Quantity prints a BinarySI value: the largest
 * power-of-1024 suffix that divides the value exactly.
 * @example formatBytes(10485760) // '10Mi'
 * @example formatBytes(3072000) // '3000Ki'
 */
export function formatBytes(b: number): string {
  if (b === 0) return '0';
  const suffixes = ['', 'Ki', 'Mi', 'Gi', 'Ti'];
  let i = 0;
  let v = Math.round(b);
  while (i < suffixes.length - 1 && v % 1024 === 0) {
    v /= 1024;
    i++;
  }
  return `${v}${suffixes[i]}`;
}

/**
 * Go's time.Duration String for a window below a minute: `15s`, `12.5s`, `0s`.
 * @example goDuration(12345) // '12.345s'
 */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  return `${Number((ms / 1000).toFixed(3))}s`;
}

/** The time of the last scrape at or before `now`. */
export function lastScrape(now: number): number {
  return Math.floor(now / SCRAPE_INTERVAL_MS) * SCRAPE_INTERVAL_MS;
}

/** The window of something started at `startedMs`, as of the scrape at `scrapeMs`; undefined = no metrics yet. */
function windowAt(startedMs: number, scrapeMs: number): number | undefined {
  const age = scrapeMs - startedMs;
  if (age < FRESH_CONTAINER_MIN_MS) return undefined;
  return Math.min(age, SCRAPE_INTERVAL_MS);
}

function runningStart(pod: Pod, name: string): number | undefined {
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const startedAt = statuses.find((s) => s.name === name)?.state?.running?.startedAt;
  return startedAt ? Date.parse(startedAt) : undefined;
}

/** Containers metrics-server sees: regular ones and restartable (sidecar) init containers. */
function measuredContainers(pod: Pod): Container[] {
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  return [...sidecars, ...(pod.spec?.containers ?? [])];
}

const podKey = (pod: Pod): string => `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;

/**
 * The usage sample of a pod at `now`, or undefined when metrics-server would have none yet (not
 * running, or no container with two scrape points). Containers are in spec order.
 */
export function podUsage(pod: Pod, now: number): PodUsageSample | undefined {
  if (pod.status?.phase !== 'Running') return undefined;
  const scrape = lastScrape(now);
  const containers: PodUsageSample['containers'] = [];
  let windowMs: number | undefined;
  for (const c of measuredContainers(pod)) {
    const started = runningStart(pod, c.name);
    if (started === undefined || started > scrape) continue;
    const w = windowAt(started, scrape);
    if (w === undefined) continue;
    windowMs ??= w;
    containers.push({ name: c.name, usage: containerUsage(podKey(pod), c) });
  }
  if (containers.length === 0 || windowMs === undefined) return undefined;
  return { containers, timestampMs: scrape, windowMs };
}

/** Usage of everything running in a pod now (what the node's cgroups account), metrics or not. */
function podRunningUsage(pod: Pod): Usage {
  const total = { cpuNanocores: 0, memoryBytes: 0 };
  for (const c of measuredContainers(pod)) {
    if (runningStart(pod, c.name) === undefined) continue;
    const u = containerUsage(podKey(pod), c);
    total.cpuNanocores += u.cpuNanocores;
    total.memoryBytes += u.memoryBytes;
  }
  return total;
}

/** The PodMetrics object of a pod at `now`, or undefined while metrics are not available. */
export function podMetrics(pod: Pod, now: number): PodMetrics | undefined {
  const sample = podUsage(pod, now);
  if (!sample) return undefined;
  const labels = pod.metadata?.labels;
  return {
    metadata: { name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? '', creationTimestamp: rfc3339(now), ...(labels ? { labels } : {}) },
    timestamp: rfc3339(sample.timestampMs),
    window: goDuration(sample.windowMs),
    containers: sample.containers.map((c) => ({ name: c.name, usage: { cpu: formatNanocores(c.usage.cpuNanocores), memory: formatBytes(c.usage.memoryBytes) } })),
  };
}

function isNodeReady(node: Node): boolean {
  return (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/**
 * The NodeMetrics of a node at `now`: the system baseline plus every running container on it.
 * Undefined while the node is not Ready (metrics-server cannot scrape its kubelet) or younger
 * than one fresh window.
 */
export function nodeMetrics(node: Node, podsOnNode: readonly Pod[], now: number): NodeMetrics | undefined {
  if (!isNodeReady(node)) return undefined;
  const scrape = lastScrape(now);
  const created = Date.parse(node.metadata?.creationTimestamp ?? '');
  const w = windowAt(Number.isNaN(created) ? 0 : created, scrape);
  if (w === undefined) return undefined;
  const name = node.metadata?.name ?? '';
  const controlPlane = node.metadata?.labels?.['node-role.kubernetes.io/control-plane'] !== undefined;
  const base = controlPlane ? NODE_BASELINE.controlPlane : NODE_BASELINE.worker;
  const v = variation(`node/${name}`);
  let cpu = milliToNano(base.cpuM + v * NODE_CPU_VARIATION_M);
  let memory = Math.ceil(((base.memMi + v * NODE_MEMORY_VARIATION_MI) * MI_BYTES) / PAGE_BYTES) * PAGE_BYTES;
  for (const pod of podsOnNode) {
    const u = podRunningUsage(pod);
    cpu += u.cpuNanocores;
    memory += u.memoryBytes;
  }
  const labels = node.metadata?.labels;
  return {
    metadata: { name, creationTimestamp: rfc3339(now), ...(labels ? { labels } : {}) },
    timestamp: rfc3339(scrape),
    window: goDuration(w),
    usage: { cpu: formatNanocores(cpu), memory: formatBytes(memory) },
  };
}
