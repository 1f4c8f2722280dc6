// The scheduler's view of nodes and the pods bound (or assumed) to them, updated incrementally from
// informer events. Port of kubernetes pkg/scheduler/backend/cache/cache.go (AssumePod, ForgetPod,
// AddPod/UpdatePod/RemovePod, AddNode/UpdateNode/RemoveNode) reduced to one thread: the scheduling
// cycle runs synchronously between events, so it reads the live NodeInfos instead of a copied snapshot.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import {
  addResource,
  hasPodAffinity,
  hasRequiredPodAntiAffinity,
  indexPodLabels,
  newNodeInfo,
  podRequests,
  setNodeAllocatable,
  subtractResource,
  unindexPodLabels,
  type ClusterLabelIndex,
  type NodeInfo,
  type PodRef,
  type Resource,
} from './framework.js';

interface PodState extends PodRef {
  nodeName: string;
  requested: Resource;
  nonZeroRequested: Resource;
  /** Bound by us, and the informer has not shown the binding yet. */
  assumed: boolean;
}

// A NodeInfo's lists hold the very version its PodState holds: found by identity, without reading
// every pod's uid (each one a cache miss on a large heap).
function removeFrom(list: Pod[], pod: Pod): void {
  const i = list.indexOf(pod);
  if (i >= 0) list.splice(i, 1);
}

/** Puts a newer version of a pod where the old one is in each of the node's lists. */
function replaceIn(info: NodeInfo, old: Pod, pod: Pod): void {
  for (const list of [info.pods, info.podsWithAffinity, info.podsWithRequiredAntiAffinity]) {
    const i = list.indexOf(old);
    if (i >= 0) list[i] = pod;
  }
}

/** Same node, spec (stored specs are shared between versions), namespace, labels and deletion. */
function sameSchedulingContent(a: Pod, b: Pod): boolean {
  if (a.spec !== b.spec || a.metadata?.namespace !== b.metadata?.namespace || a.metadata?.deletionTimestamp !== b.metadata?.deletionTimestamp) return false;
  return sameLabels(a, b);
}

function sameLabels(a: Pod, b: Pod): boolean {
  const la = a.metadata?.labels ?? {};
  const lb = b.metadata?.labels ?? {};
  const keys = Object.keys(la);
  return keys.length === Object.keys(lb).length && keys.every((k) => la[k] === lb[k]);
}

function resourceEqual(a: Resource, b: Resource): boolean {
  if (a.milliCPU !== b.milliCPU || a.memory !== b.memory || a.ephemeralStorage !== b.ephemeralStorage) return false;
  const keys = Object.keys(a.scalarResources);
  return keys.length === Object.keys(b.scalarResources).length && keys.every((k) => a.scalarResources[k] === b.scalarResources[k]);
}

/** Nodes and their pods for the scheduler; pods are keyed by uid. */
export class SchedulerCache {
  private readonly infos = new Map<string, NodeInfo>();
  private readonly nodeNames = new Set<string>();
  private readonly pods = new Map<string, PodState>();
  private snapshot: NodeInfo[] | null = null;
  private generation = 0;
  private readonly clusterLabels: ClusterLabelIndex = new Map();

  /** The NodeInfos of existing nodes, in the order the nodes were added. */
  nodeInfos(): readonly NodeInfo[] {
    if (!this.snapshot) this.snapshot = [...this.nodeNames].map((n) => this.infos.get(n)!);
    return this.snapshot;
  }

  /** The NodeInfo of an existing node. */
  get(nodeName: string): NodeInfo | undefined {
    return this.nodeNames.has(nodeName) ? this.infos.get(nodeName) : undefined;
  }

  /** Number of existing nodes. */
  nodeCount(): number {
    return this.nodeNames.size;
  }

  private info(nodeName: string): NodeInfo {
    let info = this.infos.get(nodeName);
    if (!info) {
      // Pods can be seen before their node; they wait on a placeholder until it appears.
      info = newNodeInfo({ metadata: { name: nodeName } });
      info.clusterLabels = this.clusterLabels;
      this.infos.set(nodeName, info);
    }
    return info;
  }

  private touch(info: NodeInfo, pods = false): void {
    info.generation = ++this.generation;
    if (pods) info.podsGeneration = info.generation;
  }

  /** Adds or replaces a node. */
  addNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const info = this.info(name);
    setNodeAllocatable(info, node);
    this.touch(info);
    if (!this.nodeNames.has(name)) {
      this.nodeNames.add(name);
      this.snapshot = null;
    }
  }

  /** Removes a node; its pods stay accounted on a placeholder until they are deleted too. */
  removeNode(name: string): void {
    if (!this.nodeNames.delete(name)) return;
    this.snapshot = null;
    const info = this.infos.get(name);
    if (info && info.pods.length === 0) this.infos.delete(name);
    else if (info) {
      setNodeAllocatable(info, { metadata: { name } });
      this.touch(info);
    }
  }

  /** Adds a pod bound to `spec.nodeName`, or replaces the assumed copy once the binding is observed. */
  addPod(pod: Pod): void {
    if (this.confirmAssumed(pod)) return;
    this.removePod(pod);
    this.insert(pod, false);
  }

  /**
   * The binding of an assumed pod observed: when the stored pod counts exactly as the assumed copy
   * did (node, namespace, labels, requests, affinity), it takes the copy's place, so nothing counted
   * on the node changes (PodTopologySpread's counts stay good, see podsRemovedGeneration).
   */
  private confirmAssumed(pod: Pod): boolean {
    const s = this.pods.get(pod.metadata?.uid ?? '');
    if (!s?.assumed || s.nodeName !== (pod.spec?.nodeName ?? '') || pod.metadata?.deletionTimestamp || s.pod.metadata?.deletionTimestamp) return false;
    if (s.pod.metadata?.namespace !== pod.metadata?.namespace || !sameLabels(s.pod, pod)) return false;
    if (hasPodAffinity(s.pod) !== hasPodAffinity(pod) || hasRequiredPodAntiAffinity(s.pod) !== hasRequiredPodAntiAffinity(pod)) return false;
    if (!resourceEqual(s.requested, podRequests(pod)) || !resourceEqual(s.nonZeroRequested, podRequests(pod, { nonZero: true }))) return false;
    const info = this.infos.get(s.nodeName)!;
    replaceIn(info, s.pod, pod);
    s.pod = pod;
    s.assumed = false;
    this.touch(info);
    return true;
  }

  /**
   * A newer version of an accounted pod (UpdatePod). A status write changes nothing the scheduler
   * counts: the pod is replaced where it is and the NodeInfo's generation stays, so per-node
   * memos (PodTopologySpread's counts) survive the kubelet's status writes.
   */
  updatePod(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    const s = this.pods.get(uid);
    if (!s || s.assumed || !sameSchedulingContent(s.pod, pod)) return this.addPod(pod);
    replaceIn(this.infos.get(s.nodeName)!, s.pod, pod);
    s.pod = pod;
  }

  /** Accounts a pod we just bound, before the informer shows it bound. */
  assumePod(pod: Pod): void {
    this.removePod(pod);
    this.insert(pod, true);
  }

  /** Drops an assumed pod whose binding failed. */
  forgetPod(pod: Pod): void {
    const s = this.pods.get(pod.metadata?.uid ?? '');
    if (s?.assumed) this.removePod(pod);
  }

  /** Reports whether the pod is accounted as assumed (bound by us, not yet observed). */
  isAssumed(uid: string): boolean {
    return this.pods.get(uid)?.assumed ?? false;
  }

  /** Reports whether the pod is accounted on some node. */
  hasPod(uid: string): boolean {
    return this.pods.has(uid);
  }

  /** Removes a pod from its node, if it is accounted. */
  removePod(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    const s = this.pods.get(uid);
    if (!s) return;
    this.pods.delete(uid);
    const info = this.infos.get(s.nodeName);
    if (!info) return;
    removeFrom(info.pods, s.pod);
    removeFrom(info.podsWithAffinity, s.pod);
    removeFrom(info.podsWithRequiredAntiAffinity, s.pod);
    unindexPodLabels(info, s);
    subtractResource(info.requested, s.requested);
    subtractResource(info.nonZeroRequested, s.nonZeroRequested);
    this.touch(info, true);
    info.podsRemovedGeneration = info.podsGeneration;
    if (!this.nodeNames.has(s.nodeName) && info.pods.length === 0) this.infos.delete(s.nodeName);
  }

  private insert(pod: Pod, assumed: boolean): void {
    const nodeName = pod.spec?.nodeName ?? '';
    const s: PodState = { pod, nodeName, requested: podRequests(pod), nonZeroRequested: podRequests(pod, { nonZero: true }), assumed };
    this.pods.set(pod.metadata?.uid ?? '', s);
    const info = this.info(nodeName);
    info.pods.push(pod);
    if (hasPodAffinity(pod)) info.podsWithAffinity.push(pod);
    if (hasRequiredPodAntiAffinity(pod)) info.podsWithRequiredAntiAffinity.push(pod);
    indexPodLabels(info, s);
    addResource(info.requested, s.requested);
    addResource(info.nonZeroRequested, s.nonZeroRequested);
    this.touch(info, true);
  }
}
