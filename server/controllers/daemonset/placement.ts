// Port of kubernetes pkg/controller/daemon/daemon_controller.go (NodeShouldRunDaemonPod, predicates,
// NewPod, podsShouldBeOnNode) and pkg/controller/daemon/util/daemonset_util.go (the daemon
// tolerations, CreatePodTemplate, the node-name affinity, GetTargetNodeName, IsPodUpdated).
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Affinity, Node, NodeSelectorRequirement, Pod, PodTemplateSpec, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { fitsNodeAffinity } from '../../scheduler/plugins/node-affinity.js';
import { findMatchingUntoleratedTaint } from '../../scheduler/plugins/taint-toleration.js';
import { compareByCreation, isPodReady, isTerminating, podNodeName, podPhase } from '../statefulset/pod-state.js';
import { cloneJSON } from '../../registry/strategy.js';

/** Label holding the DaemonSet's template generation on its pods. */
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
/** Label holding the revision hash on DaemonSet pods and revisions. */
export const DAEMONSET_UNIQUE_LABEL = 'controller-revision-hash';
/** The DaemonSet annotation the apiserver keeps the template generation in. */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

const NO_EXECUTE_EXISTS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];
const NO_SCHEDULE_EXISTS = [
  'node.kubernetes.io/disk-pressure',
  'node.kubernetes.io/memory-pressure',
  'node.kubernetes.io/pid-pressure',
  'node.kubernetes.io/unschedulable',
];
const NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';
const OBJECT_NAME_FIELD = 'metadata.name';

/**
 * AddOrUpdateDaemonPodTolerations: daemon pods tolerate not-ready/unreachable forever and the
 * node-pressure and unschedulable taints, plus network-unavailable with host networking. A
 * toleration with the same key, operator, value and effect is replaced rather than repeated.
 */
export function addDaemonTolerations(spec: NonNullable<Pod['spec']>): void {
  const wanted: Toleration[] = [
    ...NO_EXECUTE_EXISTS.map((key) => ({ key, operator: 'Exists', effect: 'NoExecute' })),
    ...NO_SCHEDULE_EXISTS.map((key) => ({ key, operator: 'Exists', effect: 'NoSchedule' })),
  ];
  if (spec.hostNetwork) wanted.push({ key: NETWORK_UNAVAILABLE, operator: 'Exists', effect: 'NoSchedule' });
  const tolerations = [...(spec.tolerations ?? [])];
  for (const t of wanted) {
    const i = tolerations.findIndex((o) => o.key === t.key && (o.operator ?? 'Equal') === t.operator && (o.value ?? '') === '' && o.effect === t.effect);
    if (i >= 0) tolerations[i] = t;
    else tolerations.push(t);
  }
  spec.tolerations = tolerations;
}

/** NewPod: the pod the DaemonSet would run on a node, used only to test placement. */
function newPod(ds: DaemonSet, nodeName: string): Pod {
  const spec = cloneJSON(ds.spec?.template.spec ?? { containers: [] });
  spec.nodeName = nodeName;
  addDaemonTolerations(spec);
  return { metadata: cloneJSON(ds.spec?.template.metadata ?? {}), spec };
}

/**
 * NodeShouldRunDaemonPod: `shouldRun` when a new daemon pod belongs on the node (node name,
 * selector/affinity and every NoSchedule/NoExecute taint tolerated); `shouldContinueRunning`
 * when an existing one may stay (only untolerated NoExecute taints evict it).
 */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const templateNode = ds.spec?.template.spec?.nodeName;
  if (templateNode && templateNode !== node.metadata?.name) return { shouldRun: false, shouldContinueRunning: false };
  const pod = newPod(ds, node.metadata?.name ?? '');
  if (!fitsNodeAffinity(pod, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints;
  const blocking = findMatchingUntoleratedTaint(taints, pod.spec?.tolerations, (t: Taint) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  if (!blocking) return { shouldRun: true, shouldContinueRunning: true };
  const evicting = findMatchingUntoleratedTaint(taints, pod.spec?.tolerations, (t: Taint) => t.effect === 'NoExecute');
  return { shouldRun: false, shouldContinueRunning: !evicting };
}

/**
 * ReplaceDaemonSetPodNodeNameNodeAffinity: pins the pod to one node with a required
 * `matchFields metadata.name In [node]` term, so the default scheduler binds it there. Existing
 * terms keep their label expressions, with their field requirements replaced.
 */
export function replaceNodeNameAffinity(affinity: Affinity | undefined, nodeName: string): Affinity {
  const req: NodeSelectorRequirement = { key: OBJECT_NAME_FIELD, operator: 'In', values: [nodeName] };
  const out = cloneJSON(affinity ?? {});
  const nodeAffinity = (out.nodeAffinity ??= {});
  const required = nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required || (required.nodeSelectorTerms ?? []).length === 0) {
    nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [{ matchFields: [req] }] };
    return out;
  }
  required.nodeSelectorTerms = required.nodeSelectorTerms.map((term) => ({ ...term, matchFields: [req] }));
  return out;
}

/** GetTargetNodeName: spec.nodeName, or for an unbound pod the node its name affinity pins it to. */
export function targetNodeName(pod: Readonly<KubeObject>): string | undefined {
  const bound = podNodeName(pod);
  if (bound) return bound;
  const terms = (pod.spec as Pod['spec'])?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    const field = (term.matchFields ?? []).find((r) => r.key === OBJECT_NAME_FIELD && r.operator === 'In' && r.values?.length === 1);
    if (field) return field.values![0];
  }
  return undefined;
}

/** The DaemonSet's template generation (its apiserver-kept annotation), if readable. */
export function templateGeneration(ds: DaemonSet): number | undefined {
  const raw = ds.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/** CreatePodTemplate: the template plus the daemon tolerations and the generation and hash labels. */
export function createPodTemplate(ds: DaemonSet, hash: string): PodTemplateSpec {
  const template = cloneJSON(ds.spec?.template ?? {});
  const spec = (template.spec ??= { containers: [] });
  addDaemonTolerations(spec);
  const labels = { ...(template.metadata?.labels ?? {}) };
  const generation = templateGeneration(ds);
  if (generation !== undefined) labels[TEMPLATE_GENERATION_LABEL] = String(generation);
  if (hash) labels[DAEMONSET_UNIQUE_LABEL] = hash;
  template.metadata = { ...(template.metadata ?? {}), labels };
  return template;
}

/** IsPodUpdated: the pod carries the current revision hash or template generation. */
export function isPodUpdated(pod: Readonly<KubeObject>, hash: string, generation: number | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  const templateMatches = generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === String(generation);
  return (hash !== '' && labels[DAEMONSET_UNIQUE_LABEL] === hash) || templateMatches;
}

/** podByCreationTimestampAndPhase: bound pods first, then oldest first. */
export function compareDaemonPods(a: Readonly<KubeObject>, b: Readonly<KubeObject>): number {
  const ba = podNodeName(a) !== '';
  const bb = podNodeName(b) !== '';
  if (ba !== bb) return ba ? -1 : 1;
  return compareByCreation(a, b);
}

/** What podsShouldBeOnNode decided for one node. */
export interface NodePlan {
  create: boolean;
  deletes: string[];
  failed: Readonly<KubeObject>[];
}

/**
 * podsShouldBeOnNode: create a pod where one should run and none exists; where pods may stay,
 * delete failed and succeeded ones and, without surge, all but the oldest; elsewhere delete them.
 * With surge, an old and a new pod may share a node until the new one is available.
 */
export function podsShouldBeOnNode(node: Node, ds: DaemonSet, pods: readonly Readonly<KubeObject>[], opts: { hash: string; surge: boolean; nowMs: number; available: (p: Readonly<KubeObject>) => boolean }): NodePlan {
  const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
  const plan: NodePlan = { create: false, deletes: [], failed: [] };
  if (shouldRun && pods.length === 0) return { ...plan, create: true };
  if (!shouldContinueRunning) {
    plan.deletes = pods.filter((p) => !isTerminating(p)).map((p) => p.metadata.name ?? '');
    return plan;
  }
  const running: Readonly<KubeObject>[] = [];
  for (const p of pods) {
    if (isTerminating(p)) continue;
    const phase = podPhase(p);
    if (phase === 'Failed') plan.failed.push(p);
    if (phase === 'Failed' || phase === 'Succeeded') plan.deletes.push(p.metadata.name ?? '');
    else running.push(p);
  }
  running.sort(compareDaemonPods);
  if (!opts.surge) {
    plan.deletes.push(...running.slice(1).map((p) => p.metadata.name ?? ''));
    return plan;
  }
  if (running.length === 0) return { ...plan, create: shouldRun };
  surgePrune(running, opts, plan);
  return plan;
}

/** With surge, keep the oldest new and the oldest old pod, and the old one only while it is still needed. */
function surgePrune(running: Readonly<KubeObject>[], opts: { hash: string; available: (p: Readonly<KubeObject>) => boolean }, plan: NodePlan): void {
  let oldestNew: Readonly<KubeObject> | undefined;
  let oldestOld: Readonly<KubeObject> | undefined;
  for (const p of running) {
    const isNew = p.metadata.labels?.[DAEMONSET_UNIQUE_LABEL] === opts.hash;
    if (isNew && !oldestNew) oldestNew = p;
    else if (!isNew && !oldestOld) oldestOld = p;
    else plan.deletes.push(p.metadata.name ?? '');
  }
  if (oldestNew && oldestOld && (!isPodReady(oldestOld) || opts.available(oldestNew))) plan.deletes.push(oldestOld.metadata.name ?? '');
}
