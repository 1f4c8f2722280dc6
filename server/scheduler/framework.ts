// The scheduling framework's data types, reduced to what pure plugins need.
// Port of kubernetes pkg/scheduler/framework (interface.go Status/Code, cycle_state.go, types.go NodeInfo)
// and of component-helpers resource.PodRequests for the pod's effective requests.
import type { Container, Node, Pod } from 'kubernetes-types/core/v1.js';
import { quantityMilliValue, quantityValue } from '../../schemas/format/quantity.js';
import { GenerationMap } from '../generation-map.js';

/** Result codes of a plugin call; `null` in place of a Status means Success. */
export const Code = {
  Success: 'Success',
  Error: 'Error',
  Unschedulable: 'Unschedulable',
  /** Like Unschedulable, but preemption cannot help on this node. */
  UnschedulableAndUnresolvable: 'UnschedulableAndUnresolvable',
  Wait: 'Wait',
  Skip: 'Skip',
} as const;
export type Code = (typeof Code)[keyof typeof Code];

/** Outcome of one plugin call: a code plus the reason strings that end up in FailedScheduling. */
export interface Status {
  code: Code;
  reasons: string[];
  /** Name of the plugin that produced a failure, filled in by whoever runs the plugin. */
  plugin?: string;
}

/**
 * Creates a Status.
 * @example newStatus(Code.Unschedulable, 'Insufficient cpu', 'Insufficient memory')
 */
export function newStatus(code: Code, ...reasons: string[]): Status {
  return { code, reasons };
}

/** Reports whether a status (or its absence) means success. */
export function isSuccess(status: Status | null | undefined): boolean {
  return !status || status.code === Code.Success;
}

/** Per-cycle scratch space; each plugin stores its PreFilter/PreScore data under its own key. */
export type CycleState = Map<string, unknown>;

/** Creates an empty CycleState. */
export function newCycleState(): CycleState {
  return new Map();
}

/** Lister-like access plugins need beyond the NodeInfos (the framework Handle's shared listers). */
export interface Handle {
  /** Labels of a namespace, or undefined when it is not known. */
  namespaceLabels(namespace: string): Record<string, string> | undefined;
  /** Names of every known namespace with its labels. */
  namespaces(): Iterable<[string, Record<string, string>]>;
  /**
   * The default spreading selector of a pod: the selectors of the Services, ReplicationController,
   * ReplicaSet or StatefulSet that select it, merged; null when nothing selects it.
   */
  defaultSelector(pod: Pod): LabelSelector | null;
}

/** metav1.LabelSelector. */
export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] | null }> | null;
}

/** A Handle that knows no namespaces and no workloads (unit tests). */
export const EMPTY_HANDLE: Handle = {
  namespaceLabels: () => undefined,
  namespaces: () => [],
  defaultSelector: () => null,
};

/** Highest score a plugin may give a node after normalisation. */
export const MAX_NODE_SCORE = 100;

/** A node's score from one plugin. */
export interface NodeScore {
  name: string;
  score: number;
}

/** Quantities of the resources the scheduler accounts: cpu in millicores, the rest in base units. */
export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** Extended and hugepages resources by name (integer values). */
  scalarResources: Record<string, number>;
}

/** A pod in a NodeInfo's label index; `pod` moves on to the pod's newer versions (same labels). */
export interface PodRef {
  pod: Pod;
}

/**
 * Which NodeInfos hold pods with a label key and value, and how many, over all nodes of a
 * SchedulerCache: a selector's count on a node that no pod carries its label on is known without
 * reading that node's own index.
 */
export type ClusterLabelIndex = Map<string, Map<string, Map<NodeInfo, number>>>;

/** Adds a pod to the node's label index. */
export function indexPodLabels(info: NodeInfo, ref: PodRef): void {
  const labels = ref.pod.metadata?.labels;
  for (const key in labels) {
    let byValue = info.podsByLabel.get(key);
    if (!byValue) info.podsByLabel.set(key, (byValue = new Map()));
    const refs = byValue.get(labels[key]!);
    if (refs) refs.push(ref);
    else byValue.set(labels[key]!, [ref]);
    if (info.clusterLabels) countCarrier(info.clusterLabels, info, key, labels[key]!, 1);
  }
}

/** Removes a pod from the node's label index (its labels are the ones it was indexed with). */
export function unindexPodLabels(info: NodeInfo, ref: PodRef): void {
  const labels = ref.pod.metadata?.labels;
  for (const key in labels) {
    const byValue = info.podsByLabel.get(key);
    const refs = byValue?.get(labels[key]!);
    const i = refs?.indexOf(ref) ?? -1;
    if (i < 0) continue;
    refs!.splice(i, 1);
    if (info.clusterLabels) countCarrier(info.clusterLabels, info, key, labels[key]!, -1);
    if (refs!.length > 0) continue;
    byValue!.delete(labels[key]!);
    if (byValue!.size === 0) info.podsByLabel.delete(key);
  }
}

function countCarrier(index: ClusterLabelIndex, info: NodeInfo, key: string, value: string, delta: 1 | -1): void {
  let byValue = index.get(key);
  if (!byValue) index.set(key, (byValue = new Map()));
  let perNode = byValue.get(value);
  if (!perNode) byValue.set(value, (perNode = new Map()));
  const n = (perNode.get(info) ?? 0) + delta;
  if (n > 0) {
    perNode.set(info, n);
    return;
  }
  perNode.delete(info);
  if (perNode.size > 0) return;
  byValue.delete(value);
  if (byValue.size === 0) index.delete(key);
}

/** A scheduler snapshot entry: the node, the pods bound or assumed on it and their summed requests. */
export interface NodeInfo {
  node: Node;
  pods: Pod[];
  /** Σ of the pods' effective requests (PodRequests). */
  requested: Resource;
  /** Σ of the pods' requests with missing cpu/memory counted as defaults; used for scoring. */
  nonZeroRequested: Resource;
  /** node.status.allocatable without pods. */
  allocatable: Resource;
  /** node.status.allocatable.pods (0 when unset). */
  allowedPodNumber: number;
  /** Pods on the node with any pod affinity or anti-affinity (InterPodAffinity scoring). */
  podsWithAffinity: Pod[];
  /** Pods on the node with required pod anti-affinity (InterPodAffinity filtering). */
  podsWithRequiredAntiAffinity: Pod[];
  /**
   * The pods by label key and value. A selector with an equality (`app=web`) only needs the pods
   * that carry it: a new workload's selector otherwise read every pod of every node.
   */
  podsByLabel: Map<string, Map<string, PodRef[]>>;
  /** The index over every node of the cache this NodeInfo belongs to (none for a NodeInfo made alone). */
  clusterLabels?: ClusterLabelIndex;
  /** Bumped on every change but a pod's status (SchedulerCache.updatePod), so plugins can memoise per-node results. */
  generation: number;
  /** Bumped only when pods come or go or change labels: memos of pod counts outlive node heartbeats. */
  podsGeneration: number;
  /**
   * The podsGeneration of the last change that was not a pod appended to `pods` (a removal): a
   * count taken at or after it stays right for the pods it saw, and only the appended ones are new.
   */
  podsRemovedGeneration: number;
}

/** CPU counted for scoring for a container that requests none (100m). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** Memory counted for scoring for a container that requests none (200Mi, in bytes). */
export const DEFAULT_MEMORY_REQUEST_BYTES = 200 * 1024 * 1024;

/** Creates an all-zero Resource. */
export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, scalarResources: {} };
}

/**
 * Converts a ResourceList (`{cpu: '500m', memory: '1Gi'}`) into a Resource.
 * `pods` is not a resource a pod requests and is skipped.
 */
export function resourceFromList(list: Record<string, string | number> | undefined): Resource {
  const r = emptyResource();
  for (const [name, q] of Object.entries(list ?? {})) {
    if (name === 'cpu') r.milliCPU = quantityMilliValue(q);
    else if (name === 'memory') r.memory = quantityValue(q);
    else if (name === 'ephemeral-storage') r.ephemeralStorage = quantityValue(q);
    else if (name !== 'pods') r.scalarResources[name] = quantityValue(q);
  }
  return r;
}

/** Adds r into `into` (in place). */
export function addResource(into: Resource, r: Resource): void {
  add(into, r);
}

/** Subtracts r from `from` (in place). */
export function subtractResource(from: Resource, r: Resource): void {
  from.milliCPU -= r.milliCPU;
  from.memory -= r.memory;
  from.ephemeralStorage -= r.ephemeralStorage;
  for (const [name, v] of Object.entries(r.scalarResources)) from.scalarResources[name] = (from.scalarResources[name] ?? 0) - v;
}

function add(into: Resource, r: Resource): void {
  into.milliCPU += r.milliCPU;
  into.memory += r.memory;
  into.ephemeralStorage += r.ephemeralStorage;
  for (const [name, v] of Object.entries(r.scalarResources)) into.scalarResources[name] = (into.scalarResources[name] ?? 0) + v;
}

function maxInto(into: Resource, r: Resource): void {
  into.milliCPU = Math.max(into.milliCPU, r.milliCPU);
  into.memory = Math.max(into.memory, r.memory);
  into.ephemeralStorage = Math.max(into.ephemeralStorage, r.ephemeralStorage);
  for (const [name, v] of Object.entries(r.scalarResources)) into.scalarResources[name] = Math.max(into.scalarResources[name] ?? 0, v);
}

function containerRequests(c: Container, nonZero: boolean): Resource {
  const requests = c.resources?.requests;
  const r = resourceFromList(requests);
  // Only a missing request gets the default; an explicit 0 stays 0.
  if (nonZero && requests?.cpu === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
  if (nonZero && requests?.memory === undefined) r.memory = DEFAULT_MEMORY_REQUEST_BYTES;
  return r;
}

/** Options of {@link podRequests}. */
export interface PodRequestsOptions {
  /** Count containers without a cpu/memory request as 100m/200Mi (scoring). */
  nonZero?: boolean;
}

/**
 * The pod's effective requests: max(Σ regular containers + sidecars, each init container + sidecars
 * started before it), plus spec.overhead.
 * @example podRequests(pod).milliCPU // 250 for one container requesting 250m
 */
export function podRequests(pod: Pod, opts: PodRequestsOptions = {}): Resource {
  const nonZero = opts.nonZero ?? false;
  // Informer objects are frozen, so their requests can be computed once; callers must not mutate them.
  // Requests come from the spec alone, which status writes keep: one entry per spec, not per version.
  const spec = pod.spec;
  if (!spec || !Object.isFrozen(spec)) return computePodRequests(pod, nonZero);
  const memo = nonZero ? nonZeroRequestsMemo : requestsMemo;
  const hit = memo.get(spec);
  if (hit) return hit;
  const r = sharedResource(computePodRequests(pod, nonZero));
  memo.set(spec, r);
  return r;
}

const requestsMemo = new WeakMap<object, Resource>();
const nonZeroRequestsMemo = new WeakMap<object, Resource>();

/** The replicas of a workload request alike: one frozen Resource serves all equal requests. */
function sharedResource(r: Resource): Resource {
  const scalars = Object.keys(r.scalarResources).length > 0 ? JSON.stringify(r.scalarResources) : '';
  Object.freeze(r.scalarResources);
  return sharedResources.intern(`${r.milliCPU}/${r.memory}/${r.ephemeralStorage}/${scalars}`, Object.freeze(r));
}

const sharedResources = new GenerationMap<string, Resource>(1024);

function computePodRequests(pod: Pod, nonZero: boolean): Resource {
  const regular = emptyResource();
  for (const c of pod.spec?.containers ?? []) add(regular, containerRequests(c, nonZero));
  // Restartable init containers (sidecars) keep running: they add to everything started after them.
  const sidecars = emptyResource();
  const maxInit = emptyResource();
  for (const c of pod.spec?.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      add(sidecars, r);
      maxInto(maxInit, sidecars);
    } else {
      add(r, sidecars);
      maxInto(maxInit, r);
    }
  }
  add(regular, sidecars);
  maxInto(regular, maxInit);
  add(regular, resourceFromList(pod.spec?.overhead));
  return regular;
}

/**
 * Builds the NodeInfo of a node and the pods on it.
 * @example newNodeInfo(node, podsOn(node)).requested.milliCPU
 */
export function newNodeInfo(node: Node, pods: Pod[] = []): NodeInfo {
  const requested = emptyResource();
  const nonZeroRequested = emptyResource();
  for (const pod of pods) {
    add(requested, podRequests(pod));
    add(nonZeroRequested, podRequests(pod, { nonZero: true }));
  }
  const info: NodeInfo = {
    node,
    pods,
    requested,
    nonZeroRequested,
    allocatable: emptyResource(),
    allowedPodNumber: 0,
    podsWithAffinity: pods.filter(hasPodAffinity),
    podsWithRequiredAntiAffinity: pods.filter(hasRequiredPodAntiAffinity),
    podsByLabel: new Map(),
    generation: 0,
    podsGeneration: 0,
    podsRemovedGeneration: 0,
  };
  for (const pod of pods) indexPodLabels(info, { pod });
  setNodeAllocatable(info, node);
  return info;
}

/** Sets the node and its allocatable resources on a NodeInfo (after a node update). */
export function setNodeAllocatable(info: NodeInfo, node: Node): void {
  const allocatableList = node.status?.allocatable;
  const podCapacity = allocatableList?.pods;
  info.node = node;
  info.allocatable = resourceFromList(allocatableList);
  info.allowedPodNumber = podCapacity === undefined ? 0 : quantityValue(podCapacity);
}

/** Reports whether the pod has pod affinity or anti-affinity of any kind. */
export function hasPodAffinity(pod: Pod): boolean {
  const a = pod.spec?.affinity;
  return Boolean(a?.podAffinity || a?.podAntiAffinity);
}

/** Reports whether the pod has required pod anti-affinity terms. */
export function hasRequiredPodAntiAffinity(pod: Pod): boolean {
  return (pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
}

/**
 * Scales scores to 0–MAX_NODE_SCORE against the highest one, optionally reversed (fewer is better).
 * Port of framework/plugins/helper DefaultNormalizeScore; integer division as upstream.
 */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: NodeScore[]): void {
  const maxCount = scores.reduce((m, s) => Math.max(m, s.score), 0);
  if (maxCount === 0) {
    if (reverse) for (const s of scores) s.score = maxPriority;
    return;
  }
  for (const s of scores) {
    const v = Math.trunc((maxPriority * s.score) / maxCount);
    s.score = reverse ? maxPriority - v : v;
  }
}

/** A plugin: every plugin has a name from `plugins/names.ts`. */
export interface Plugin {
  readonly name: string;
}

/** Result of PreFilter: optionally the only node names worth filtering (null = all nodes). */
export interface PreFilterResult {
  nodeNames: Set<string> | null;
}

/**
 * Runs once per pod before Filter with every NodeInfo of the snapshot; may reject the pod outright,
 * narrow the node set, or answer Skip so its Filter is not called for this pod.
 */
export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { result: PreFilterResult | null; status: Status | null };
}

/** Decides whether the pod may run on one node. */
export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null;
}

/**
 * Runs once per pod before Score over the feasible nodes (`allNodes` is the whole snapshot), storing
 * data in the CycleState; Skip means its Score is not called for this pod.
 */
export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], allNodes: readonly NodeInfo[]): Status | null;
}

/** Ranks a feasible node; scores are normalised to 0–MAX_NODE_SCORE before weighting. */
export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number;
  normalizeScore?(state: CycleState, pod: Pod, scores: NodeScore[]): void;
}

/**
 * Reason given to nodes left out by a PreFilter result.
 * @example preFilterResultReason(['NodeAffinity']) // "node(s) didn't satisfy plugin(s) [NodeAffinity]"
 */
export function preFilterResultReason(pluginNames: string[]): string {
  return `node(s) didn't satisfy plugin(s) [${[...pluginNames].sort().join(' ')}]`;
}
