// The default-scheduler: watches pods and nodes, runs one scheduling cycle per queued pod, binds or
// reports FailedScheduling. Port of kubernetes pkg/scheduler/scheduler.go + eventhandlers.go (which
// pods are ours, cache and queue updates) and schedule_one.go (ScheduleOne, handleSchedulingFailure,
// bind, updatePod).
import type { Node, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import { StatusError } from '../api/errors.js';
import type { ClusterContext, StartComponent } from '../cluster.js';
import { rfc3339 } from '../clock.js';
import type { LocalClient } from '../client/api-client.js';
import { truncateNote, type EventsRecorder } from '../controllers/events-v1.js';
import { KUBE_SCHEDULER } from '../controllers/field-managers.js';
import type { Informer } from '../informers/informer.js';
import type { Random } from '../random.js';
import { SchedulerCache } from './cache.js';
import { isPodUpdated, isPodWorthRequeuing, nodeSchedulingPropertiesChange, type ClusterEvent } from './cluster-events.js';
import { ERR_NO_NODES_AVAILABLE, fitErrorMessage } from './fit-error.js';
import { isSuccess, newCycleState, newNodeInfo } from './framework.js';
import { newInformerHandle } from './handle.js';
import { newPdbChecker, prepareCandidate } from './preemption-actions.js';
import { preempt } from './preemption.js';
import { DEFAULT_SCHEDULER_NAME, newDefaultProfile, type Profile } from './registry.js';
import { schedulePod, type Diagnosis } from './schedule-one.js';
import type { QueuedPodInfo } from './scheduling-queue.js';
import { SchedulingQueue } from './scheduling-queue.js';

/** Scheduling cycles run back to back before the loop yields to watch deliveries and requests. */
const CYCLES_PER_TURN = 32;

const REASON_UNSCHEDULABLE = 'Unschedulable';
const REASON_SCHEDULER_ERROR = 'SchedulerError';

function asPod(o: Readonly<KubeObject>): Pod {
  return o as unknown as Pod;
}

function isAssigned(pod: Pod): boolean {
  return Boolean(pod.spec?.nodeName);
}

function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Reports whether the default-scheduler should place this pod now (unassigned, live, not gated). */
export function isQueueable(pod: Pod): boolean {
  if (isAssigned(pod) || pod.metadata?.deletionTimestamp || isTerminal(pod)) return false;
  if ((pod.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME) !== DEFAULT_SCHEDULER_NAME) return false;
  // Gated pods wait for their gates to be removed (the SchedulingGates PreEnqueue plugin).
  return (pod.spec?.schedulingGates?.length ?? 0) === 0;
}

/** The scheduler component; see {@link startScheduler}. */
export class Scheduler {
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  private readonly profile: Profile;
  private readonly client: LocalClient;
  private readonly recorder: EventsRecorder;
  private readonly pods: Informer;
  private readonly random: Random;
  private readonly pdb: ReturnType<typeof newPdbChecker>;
  private stopped = false;

  constructor(private readonly ctx: ClusterContext) {
    this.queue = new SchedulingQueue(ctx.clock);
    this.profile = newDefaultProfile(newInformerHandle(ctx.informers));
    this.client = ctx.client(KUBE_SCHEDULER);
    // kube-scheduler records through events.k8s.io, as each profile's scheduler name.
    this.recorder = ctx.eventsRecorder(DEFAULT_SCHEDULER_NAME, KUBE_SCHEDULER);
    // Its own stream: every object the cluster creates draws a uid from the shared one, at moments
    // the clock decides, so sharing it would make a seed's placements depend on timing.
    this.random = ctx.random.fork?.('scheduler') ?? ctx.random;
    this.pods = ctx.informers.for('pods');
    this.pdb = newPdbChecker(ctx.informers.for('poddisruptionbudgets.policy'));
    this.pods.on({
      add: (o) => this.onPodAdd(asPod(o)),
      update: (old, o) => this.onPodUpdate(asPod(old), asPod(o)),
      delete: (o) => this.onPodDelete(asPod(o)),
    });
    ctx.informers.for('nodes').on({
      add: (o) => this.onNodeAdd(o as unknown as Node),
      update: (old, o) => this.onNodeUpdate(old as unknown as Node, o as unknown as Node),
      delete: (o) => this.onNodeDelete(o as unknown as Node),
    });
    void this.run();
  }

  /** Stops the loop and the queue's timers. */
  stop(): void {
    this.stopped = true;
    this.queue.close();
    this.recorder.stop();
  }

  private onPodAdd(pod: Pod): void {
    if (isAssigned(pod)) {
      if (isTerminal(pod)) return;
      this.cache.addPod(pod);
      this.onClusterEvent({ type: 'AssignedPodAdd' });
      return;
    }
    if (isQueueable(pod) && !this.cache.hasPod(pod.metadata?.uid ?? '')) this.queue.add(pod);
  }

  private onPodUpdate(old: Pod, pod: Pod): void {
    if (isAssigned(pod)) {
      this.queue.delete(pod);
      // Terminal pods release their resources: the scheduler's assigned-pod informer filters them out.
      if (isTerminal(pod)) return this.onAssignedPodGone(pod);
      this.cache.updatePod(pod);
      if (!isAssigned(old)) this.onClusterEvent({ type: 'AssignedPodAdd' });
      else if (JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(pod.metadata?.labels ?? {})) this.onClusterEvent({ type: 'AssignedPodLabel' });
      return;
    }
    if (!isQueueable(pod)) return this.queue.delete(pod);
    // Assumed: bound by us, the informer has not caught up with the binding yet.
    if (this.cache.hasPod(pod.metadata?.uid ?? '')) return;
    this.queue.update(pod, isPodUpdated(old, pod));
  }

  private onPodDelete(pod: Pod): void {
    this.queue.delete(pod);
    if (isAssigned(pod) || this.cache.isAssumed(pod.metadata?.uid ?? '')) this.onAssignedPodGone(pod);
  }

  private onAssignedPodGone(pod: Pod): void {
    if (!this.cache.hasPod(pod.metadata?.uid ?? '')) return;
    this.cache.removePod(pod);
    this.onClusterEvent({ type: 'AssignedPodDelete' });
  }

  private onNodeAdd(node: Node): void {
    this.cache.addNode(node);
    this.onClusterEvent({ type: 'NodeAdd', node });
  }

  private onNodeUpdate(old: Node, node: Node): void {
    this.cache.addNode(node);
    for (const type of nodeSchedulingPropertiesChange(old, node)) this.onClusterEvent({ type, node });
  }

  private onNodeDelete(node: Node): void {
    this.cache.removeNode(node.metadata?.name ?? '');
    this.onClusterEvent({ type: 'NodeDelete', node });
  }

  /** Moves parked pods the event may help back to activeQ (or backoffQ). */
  private onClusterEvent(event: ClusterEvent): void {
    const hint = (plugin: string, pod: Pod, node: Node): boolean => {
      const pl = this.profile.filterPlugins.find((p) => p.name === plugin);
      return !pl || isSuccess(pl.filter(newCycleState(), pod, newNodeInfo(node)));
    };
    this.queue.moveAllToActiveOrBackoffQueue((info) => isPodWorthRequeuing(info.pod, info.unschedulablePlugins, event, hint));
  }

  private async run(): Promise<void> {
    for (;;) {
      const first = await this.queue.pop();
      if (!first || this.stopped) return;
      this.scheduleOne(first);
      for (let n = 1; n < CYCLES_PER_TURN && !this.stopped; n++) {
        const info = this.queue.tryPop();
        if (!info) break;
        this.scheduleOne(info);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** One scheduling cycle plus the (synchronous) binding. */
  scheduleOne(info: QueuedPodInfo): void {
    const current = this.pods.get(info.key);
    const pod = current ? asPod(current) : info.pod;
    if (!current || !isQueueable(pod) || this.cache.hasPod(pod.metadata?.uid ?? '')) {
      this.queue.done(info);
      return;
    }
    info.pod = pod;
    const nodes = this.cache.nodeInfos();
    if (nodes.length === 0) return this.handleSchedulingFailure(info, ERR_NO_NODES_AVAILABLE, { reason: REASON_UNSCHEDULABLE, plugins: new Set() });
    const outcome = schedulePod(this.profile, newCycleState(), pod, nodes, this.random);
    if ('diagnosis' in outcome) return this.handleFitError(info, outcome.diagnosis);
    this.assumeAndBind(info, outcome.nodeName);
  }

  private handleFitError(info: QueuedPodInfo, diagnosis: Diagnosis): void {
    const pod = info.pod;
    const nodes = this.cache.nodeInfos();
    const outcome = preempt(this.profile, pod, nodes, diagnosis, this.pdb);
    let postFilterMessage: string | undefined;
    let nominatedNodeName: string | undefined;
    if ('candidate' in outcome) {
      prepareCandidate({ client: this.client, recorder: this.recorder, clock: this.ctx.clock }, pod, outcome.candidate);
      nominatedNodeName = outcome.candidate.nodeName;
    } else postFilterMessage = outcome.message;
    const message = fitErrorMessage(diagnosis.numAllNodes, diagnosis.nodeToStatus, postFilterMessage, { preFilterMessage: diagnosis.preFilterMessage });
    this.handleSchedulingFailure(info, message, { reason: REASON_UNSCHEDULABLE, plugins: diagnosis.unschedulablePlugins, nominatedNodeName });
  }

  private assumeAndBind(info: QueuedPodInfo, nodeName: string): void {
    const pod = info.pod;
    const assumed: Pod = { ...pod, spec: { ...pod.spec!, nodeName } };
    this.cache.assumePod(assumed);
    const ns = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    try {
      this.client.bind(ns, name, nodeName);
    } catch (e) {
      this.cache.forgetPod(assumed);
      // Deleted or bound by someone else meanwhile: nothing left to do for this pod.
      if (e instanceof StatusError && (e.code === 404 || e.code === 409)) return this.queue.done(info);
      const msg = `Binding rejected: ${e instanceof Error ? e.message : String(e)}`;
      return this.handleSchedulingFailure(info, msg, { reason: REASON_SCHEDULER_ERROR, plugins: new Set(), error: true });
    }
    this.queue.done(info);
    this.recorder.eventf(pod as unknown as KubeObject, undefined, 'Normal', 'Scheduled', 'Binding', `Successfully assigned ${ns}/${name} to ${nodeName}`);
  }

  private handleSchedulingFailure(
    info: QueuedPodInfo,
    message: string,
    opts: { reason: string; plugins: Set<string>; nominatedNodeName?: string; error?: boolean },
  ): void {
    const pod = info.pod;
    this.queue.addUnschedulableIfNotPresent(info, { unschedulable: !opts.error, plugins: opts.plugins });
    this.recorder.eventf(pod as unknown as KubeObject, undefined, 'Warning', 'FailedScheduling', 'Scheduling', truncateNote(message));
    this.updatePodStatus(pod, { type: 'PodScheduled', status: 'False', reason: opts.reason, message }, opts.nominatedNodeName);
  }

  /** Writes the PodScheduled condition (and nominatedNodeName) unless nothing would change. */
  private updatePodStatus(pod: Pod, condition: PodCondition, nominatedNodeName: string | undefined): void {
    const old = pod.status?.conditions?.find((c) => c.type === condition.type);
    const same = old && old.status === condition.status && old.reason === condition.reason && old.message === condition.message;
    const nnnChanged = nominatedNodeName !== undefined && pod.status?.nominatedNodeName !== nominatedNodeName;
    if (same && !nnnChanged) return;
    const now = rfc3339(this.ctx.clock.now());
    try {
      this.client.mutate('pods', { namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '' }, (cur) => {
        const status = ((cur.status ??= {}) as { conditions?: PodCondition[]; nominatedNodeName?: string });
        const conditions = status.conditions ?? [];
        const i = conditions.findIndex((c) => c.type === condition.type);
        const prev = i >= 0 ? conditions[i] : undefined;
        // lastTransitionTime moves only when the status flips.
        const next: PodCondition = { ...condition, lastProbeTime: null as unknown as string, lastTransitionTime: prev && prev.status === condition.status ? prev.lastTransitionTime : now };
        if (i >= 0) conditions[i] = next;
        else conditions.push(next);
        status.conditions = conditions;
        if (nominatedNodeName !== undefined) status.nominatedNodeName = nominatedNodeName;
        return cur;
      }, { status: true });
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
  }
}

/**
 * Starts the default-scheduler: pods with `spec.schedulerName: default-scheduler` and no node are
 * queued, placed with the default profile and bound through pods/binding.
 */
export const startScheduler: StartComponent = (ctx) => {
  const scheduler = new Scheduler(ctx);
  return () => scheduler.stop();
};
