/**
 * The pod garbage collector: every 20 s it force-deletes terminated pods beyond the threshold
 * (oldest first), pods bound to nodes that stayed missing through a 40 s quarantine, unscheduled
 * pods that are terminating, and terminating pods on out-of-service nodes. Pods not yet terminal
 * are first marked Failed (with DisruptionTarget for orphans), since no kubelet will do it.
 *
 * Port of kubernetes pkg/controller/podgc/gc_controller.go.
 */
import type { KubeObject } from '../../schemas/types/meta.js';
import { rfc3339 } from '../clock.js';
import type { LocalClient } from '../client/api-client.js';
import type { StartComponent } from '../cluster.js';
import { BY_NODE_NAME } from '../informers/factory.js';
import type { Informer } from '../informers/informer.js';
import { isPodTerminal, type Pod } from './endpoints-util.js';

/** How often the collector runs (gcCheckPeriod). */
export const GC_CHECK_PERIOD_MS = 20_000;
/** How long a node must stay missing before its pods are deleted (quarantineTime). */
export const QUARANTINE_TIME_MS = 40_000;
/** --terminated-pod-gc-threshold default. */
export const TERMINATED_POD_THRESHOLD = 12_500;
/** The field manager PodGC writes pod status with. */
const FIELD_MANAGER = 'PodGC';
const OUT_OF_SERVICE_TAINT = 'node.kubernetes.io/out-of-service';

interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastProbeTime?: string | null;
}

/** Options for tests: a lower threshold than 12 500. */
export interface PodGCOptions {
  terminatedPodThreshold?: number;
}

/**
 * Index of the pods a collection may take, by why: the collector reads these buckets and the
 * node-name index instead of every pod (at 10,000 pods and speed 100 it runs five times a second).
 */
const GC_CANDIDATES = 'podGCCandidates';
const NOT_A_CANDIDATE: string[] = [];

function gcCandidateReasons(o: Readonly<KubeObject>): string[] {
  const pod = o as Pod;
  const terminal = isPodTerminal(pod);
  if (!terminal && !pod.metadata.deletionTimestamp) return NOT_A_CANDIDATE;
  const out: string[] = [];
  if (terminal) out.push('terminated');
  if (pod.metadata.deletionTimestamp && !terminal) out.push('terminating');
  if (pod.metadata.deletionTimestamp && !pod.spec?.nodeName) out.push('unscheduledTerminating');
  return out;
}

/** Returns the start function of the pod GC (a timer on the virtual clock). */
export function newPodGCController(opts: PodGCOptions = {}): StartComponent {
  return (ctx) => {
    const pods = ctx.informers.for('pods');
    pods.addIndex(GC_CANDIDATES, gcCandidateReasons);
    const nodes = ctx.informers.for('nodes');
    const client = ctx.client(FIELD_MANAGER);
    const now = () => ctx.clock.now();
    const gc = new PodGC(client, pods, nodes, now, opts.terminatedPodThreshold ?? TERMINATED_POD_THRESHOLD);
    let cancel = ctx.clock.setTimer(function tick() {
      gc.run();
      cancel = ctx.clock.setTimer(tick, GC_CHECK_PERIOD_MS);
    }, GC_CHECK_PERIOD_MS);
    return () => cancel();
  };
}

/** Starts the pod GC with the upstream defaults. */
export const startPodGCController: StartComponent = newPodGCController();

class PodGC {
  /** Missing node name → when it was first seen missing (the quarantine start). */
  private readonly missingSince = new Map<string, number>();

  constructor(
    private readonly client: LocalClient,
    private readonly pods: Informer,
    private readonly nodes: Informer,
    private readonly now: () => number,
    private readonly threshold: number,
  ) {}

  /** gc: the four collections of upstream, in its order, over the pods they may take as they are now. */
  run(): void {
    const candidates = (reason: string): Pod[] => this.pods.byIndex(GC_CANDIDATES, reason) as Pod[];
    const terminated = candidates('terminated');
    const terminating = candidates('terminating');
    const unscheduledTerminating = candidates('unscheduledTerminating');
    const onMissingNodes: Pod[] = [];
    for (const nodeName of this.pods.indexValues(BY_NODE_NAME)) {
      if (nodeName && !this.nodes.get(nodeName)) onMissingNodes.push(...(this.pods.byIndex(BY_NODE_NAME, nodeName) as Pod[]));
    }
    if (this.threshold > 0) this.gcTerminated(terminated);
    this.gcTerminating(terminating);
    this.gcOrphaned(onMissingNodes);
    for (const pod of unscheduledTerminating) this.markFailedAndDeletePod(pod);
  }

  /** gcTerminated: beyond the threshold, evicted pods go first, then the oldest. */
  private gcTerminated(terminated: Pod[]): void {
    const deleteCount = terminated.length - this.threshold;
    if (deleteCount <= 0) return;
    terminated.sort((a, b) => {
      const ea = (a.status as { reason?: string } | undefined)?.reason === 'Evicted' ? 0 : 1;
      const eb = (b.status as { reason?: string } | undefined)?.reason === 'Evicted' ? 0 : 1;
      if (ea !== eb) return ea - eb;
      const ta = a.metadata.creationTimestamp ?? '';
      const tb = b.metadata.creationTimestamp ?? '';
      return ta !== tb ? (ta < tb ? -1 : 1) : (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
    });
    for (const pod of terminated.slice(0, deleteCount)) this.markFailedAndDeletePod(pod);
  }

  /** gcTerminating: terminating (not terminal) pods on a NotReady node tainted out-of-service. */
  private gcTerminating(terminating: Pod[]): void {
    for (const pod of terminating) {
      const node = this.nodes.get(pod.spec?.nodeName ?? '');
      if (!node || isNodeReady(node)) continue;
      const taints = ((node.spec as { taints?: Array<{ key: string; effect: string }> } | undefined)?.taints) ?? [];
      if (taints.some((t) => t.key === OUT_OF_SERVICE_TAINT && t.effect === 'NoExecute')) this.markFailedAndDeletePod(pod);
    }
  }

  /**
   * gcOrphaned, given the pods bound to nodes missing from the cache: such a node is quarantined
   * first; if it is still missing (and not found by a live read) 40 s later, its pods are deleted
   * with DisruptionTarget/DeletionByPodGC.
   */
  private gcOrphaned(onMissingNodes: Pod[]): void {
    const now = this.now();
    const missing = new Set<string>();
    for (const pod of onMissingNodes) {
      const node = pod.spec!.nodeName!;
      missing.add(node);
      if (!this.missingSince.has(node)) this.missingSince.set(node, now);
    }
    for (const node of [...this.missingSince.keys()]) if (!missing.has(node)) this.missingSince.delete(node);
    const deleted = new Set<string>();
    for (const [node, since] of this.missingSince) {
      if (now - since < QUARANTINE_TIME_MS) continue;
      if (!this.client.get('nodes', { name: node })) deleted.add(node);
    }
    for (const pod of onMissingNodes) {
      if (!deleted.has(pod.spec!.nodeName!)) continue;
      this.markFailedAndDeletePod(pod, { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' });
    }
  }

  /** markFailedAndDeletePodWithCondition: phase Failed (+ condition) unless terminal, then delete with grace 0. */
  private markFailedAndDeletePod(pod: Readonly<Pod>, condition?: PodCondition): void {
    const key = { namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '' };
    if (!isPodTerminal(pod)) {
      const stamped = condition ? { ...condition, lastProbeTime: null, lastTransitionTime: rfc3339(this.now()) } : undefined;
      if (!this.client.get('pods', key)) return;
      this.client.mutate('pods', key, (cur) => withFailedStatus(cur, stamped), { status: true });
    }
    this.client.delete('pods', key, { gracePeriodSeconds: 0 });
  }
}

function withFailedStatus(cur: KubeObject, condition: PodCondition | undefined): KubeObject {
  const status: Record<string, unknown> = { ...((cur.status as Record<string, unknown> | undefined) ?? {}), phase: 'Failed' };
  if (condition) {
    const conditions = ((status.conditions as PodCondition[] | undefined) ?? []).filter((c) => c.type !== condition.type);
    status.conditions = [...conditions, condition];
  }
  return { ...cur, status };
}

function isNodeReady(node: Readonly<KubeObject>): boolean {
  const conditions = ((node.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions) ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}
