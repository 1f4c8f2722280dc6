// Port of kubernetes pkg/controller/tainteviction/taint_eviction.go (processPodOnNode,
// getMinTolerationTime, deletePodHandler, addConditionAndDeletePod) and of the TimedWorkerQueue
// semantics in timed_workers.go: one scheduled deletion per pod; a fired deletion stays recorded
// until cancelled, so a pod is evicted once.
import type { Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import { StatusError } from '../api/errors.js';
import type { ClusterContext, StartComponent } from '../cluster.js';
import { rfc3339 } from '../clock.js';
import type { LocalClient } from '../client/api-client.js';
import { BY_NODE_NAME } from '../informers/factory.js';
import { objectKey, type Informer } from '../informers/informer.js';
import { toleratesTaint } from '../scheduler/plugins/taint-toleration.js';
import type { EventRecorder } from './events.js';
import { runController } from './runner.js';
import { KUBE_CONTROLLER_MANAGER } from './field-managers.js';

const EVICTION_REASON = 'TaintManagerEviction';

/** A scheduled (or, with `fired`, already executed) deletion of one pod. */
interface Work {
  createdAtMs: number;
  uid: string;
  fired: boolean;
  cancel: () => void;
}

function noExecuteTaints(node: Readonly<KubeObject> | undefined): Taint[] {
  return (((node?.spec as Node['spec'])?.taints ?? []) as Taint[]).filter((t) => t.effect === 'NoExecute');
}

/**
 * GetMatchingTolerations + getMinTolerationTime: undefined when some taint is not tolerated,
 * otherwise the shortest tolerationSeconds among the matching tolerations in ms (-1: forever).
 */
export function minTolerationMs(taints: Taint[], tolerations: Toleration[]): number | undefined {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const match = tolerations.find((t) => toleratesTaint(t, taint));
    if (!match) return undefined;
    used.push(match);
  }
  if (used.length === 0) return 0;
  let min = Infinity;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return min === Infinity ? -1 : min * 1000;
}

/**
 * The taint eviction controller (events from `taint-eviction-controller`): deletes pods from
 * nodes with NoExecute taints they do not tolerate, at once or after their tolerationSeconds,
 * and cancels the deletion when the taints go away first.
 */
export class TaintEvictionController {
  private readonly work = new Map<string, Work>();

  constructor(
    private readonly ctx: ClusterContext,
    private readonly client: LocalClient,
    private readonly recorder: EventRecorder,
    private readonly informers: { nodes: Informer; pods: Informer },
  ) {}

  /** handlePodUpdate: re-evaluates one pod (`namespace/name`) against its node's NoExecute taints. */
  handlePod(key: string): void {
    const pod = this.informers.pods.get(key) as Pod | undefined;
    if (!pod) {
      this.cancelWorkWithEvent(key);
      return;
    }
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    const taints = noExecuteTaints(this.informers.nodes.get(nodeName));
    this.processPodOnNode(key, pod, taints);
  }

  /** handleNodeUpdate: every pod on the node is re-evaluated. */
  podKeysOnNode(nodeName: string): string[] {
    return this.informers.pods.byIndex(BY_NODE_NAME, nodeName).map(objectKey);
  }

  private processPodOnNode(key: string, pod: Pod, taints: Taint[]): void {
    if (taints.length === 0) {
      this.cancelWorkWithEvent(key);
      return;
    }
    const now = this.ctx.clock.now();
    const min = minTolerationMs(taints, pod.spec?.tolerations ?? []);
    if (min === undefined) {
      // Not tolerated: delete right away, replacing any scheduled deletion.
      this.cancelWorkWithEvent(key);
      this.addWork(key, pod, now, now);
      return;
    }
    if (min < 0) {
      this.cancelWorkWithEvent(key);
      return;
    }
    const existing = this.work.get(key);
    let start = now;
    if (existing && !existing.fired) {
      start = existing.createdAtMs;
      // An earlier deadline already scheduled stands.
      if (start + min < now + min) return;
      this.cancelWorkWithEvent(key);
    } else if (existing) {
      return;
    }
    this.addWork(key, pod, start, start + min);
  }

  private addWork(key: string, pod: Pod, createdAtMs: number, fireAtMs: number): void {
    if (this.work.has(key)) return;
    const w: Work = { createdAtMs, uid: pod.metadata?.uid ?? '', fired: false, cancel: () => {} };
    this.work.set(key, w);
    const delayMs = fireAtMs - this.ctx.clock.now();
    // Like a timed worker with no delay, an immediate eviction runs now, not on the next clock tick.
    if (delayMs <= 0) this.deletePod(key, w);
    else w.cancel = this.ctx.clock.setTimer(() => this.deletePod(key, w), delayMs);
  }

  /** CancelWork: only a deletion still pending is cancelled (with its event); a fired one is just forgotten. */
  private cancelWorkWithEvent(key: string): void {
    const w = this.work.get(key);
    if (!w) return;
    this.work.delete(key);
    if (w.fired) return;
    w.cancel();
    this.recorder.event(podRef(key), 'Normal', EVICTION_REASON, `Cancelling deletion of Pod ${key}`);
  }

  /** deletePodHandler: the event, then the DisruptionTarget condition and a graceful delete. */
  private deletePod(key: string, w: Work): void {
    w.fired = true;
    this.recorder.event(podRef(key), 'Normal', EVICTION_REASON, `Marking for deletion Pod ${key}`);
    const [namespace = '', name = ''] = key.split('/');
    const pod = this.client.get('pods', { namespace, name });
    if (!pod || (w.uid && pod.metadata.uid !== w.uid) || pod.metadata.deletionTimestamp) return;
    try {
      this.client.mutate('pods', { namespace, name }, (p) => addDisruptionTarget(p, this.ctx.clock.now()), { status: true });
      this.client.delete('pods', { namespace, name }, w.uid ? { preconditions: { uid: w.uid } } : {});
    } catch (e) {
      if (!(e instanceof StatusError && (e.code === 404 || e.code === 409))) throw e;
    }
  }
}

/** The event reference upstream builds: kind, namespace and name, no uid. */
function podRef(key: string): KubeObject {
  const [namespace = '', name = ''] = key.split('/');
  return { apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name } };
}

/** Sets DisruptionTarget=True (DeletionByTaintManager) on a pod copy, like UpdatePodCondition. */
function addDisruptionTarget(pod: KubeObject, nowMs: number): KubeObject {
  const status = (pod.status ?? {}) as { conditions?: Array<Record<string, unknown>> };
  pod.status = status;
  const conds = status.conditions ?? [];
  const cond = {
    type: 'DisruptionTarget',
    status: 'True',
    ...(pod.metadata.generation !== undefined ? { observedGeneration: pod.metadata.generation } : {}),
    lastProbeTime: null,
    lastTransitionTime: rfc3339(nowMs),
    reason: 'DeletionByTaintManager',
    message: 'Taint manager: deleting due to NoExecute taint',
  };
  const i = conds.findIndex((c) => c.type === 'DisruptionTarget');
  if (i >= 0 && conds[i]!.status === 'True') cond.lastTransitionTime = conds[i]!.lastTransitionTime as string;
  if (i >= 0) conds[i] = cond;
  else conds.push(cond);
  status.conditions = conds;
  return pod;
}

function sameNoExecute(a: Readonly<KubeObject>, b: Readonly<KubeObject>): boolean {
  return JSON.stringify(noExecuteTaints(a)) === JSON.stringify(noExecuteTaints(b));
}

function sameScheduling(a: Readonly<KubeObject>, b: Readonly<KubeObject>): boolean {
  const sa = a.spec as Pod['spec'];
  const sb = b.spec as Pod['spec'];
  return sa?.nodeName === sb?.nodeName && JSON.stringify(sa?.tolerations ?? []) === JSON.stringify(sb?.tolerations ?? []);
}

/**
 * Starts the taint eviction controller: pods are re-evaluated when they are bound, change
 * tolerations or go away, and all pods of a node when its NoExecute taints change.
 */
export const startTaintEvictionController: StartComponent = (ctx) => {
  const informers = { nodes: ctx.informers.for('nodes'), pods: ctx.informers.for('pods') };
  const tc = new TaintEvictionController(ctx, ctx.client(KUBE_CONTROLLER_MANAGER), ctx.recorder({ component: 'taint-eviction-controller' }), informers);
  const { queue, stop } = runController({ name: 'taint-eviction-controller', reconcile: (key) => tc.handlePod(key) }, ctx.clock);
  const enqueueNode = (n: Readonly<KubeObject>): void => {
    for (const key of tc.podKeysOnNode(n.metadata.name ?? '')) queue.add(key);
  };
  informers.pods.on({
    add: (p) => queue.add(objectKey(p)),
    update: (old, p) => {
      if (!sameScheduling(old, p)) queue.add(objectKey(p));
    },
    delete: (p) => queue.add(objectKey(p)),
  });
  informers.nodes.on({
    add: enqueueNode,
    update: (old, n) => {
      if (!sameNoExecute(old, n)) enqueueNode(n);
    },
  });
  return stop;
};
