/**
 * The pod worker of one pod on one fake kubelet (kubelet pod_workers.go + syncPod): admits the
 * pod, creates its sandbox and IP, runs init containers in order, then the regular containers,
 * restarts them under the restart policy, runs probes, and on deletion stops the containers and
 * removes the pod. Every step runs on the virtual clock with at most one timer per pod, and the
 * status is written once per step, only when it changed.
 */
import type { Container, Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import type { Clock } from '../clock.js';
import type { LocalClient } from '../client/api-client.js';
import { StatusError } from '../api/errors.js';
import { internString } from '../generation-map.js';
import { jsonEqual } from '../registry/strategy.js';
import type { EventRecorder } from '../controllers/events.js';
import type { ContainerLogStore } from './container-logs.js';
import type { ContainerRegistry } from './container-registry.js';
import type { VolumeStore } from './mounted-files.js';
import {
  advanceProgram, createAndStart, ensureImage, finishPull, mayRestart, nextContainerWake, runProbes, shouldRestart, stopContainer,
  type RuntimeContainer, type RuntimeCtx,
} from './container-runtime.js';
import type { ImageCache, PullJob } from './image-cache.js';
import { RangeFullError, type IpAllocator } from './ip-allocator.js';
import { generatePodStatus, sameStatusInputs, statusInputs, type PodView } from './pod-status.js';
import { failedMounts, mountRetryDelayMs } from './volume-mounts.js';

/** What a pod worker shares with the other pods of its node. */
export interface NodeRuntime {
  nodeName: string;
  hostIP: string;
  clock: Clock;
  client: LocalClient;
  recorder: EventRecorder;
  images: ImageCache;
  ips: IpAllocator;
  logs: ContainerLogStore;
  /** Where exec and attach find the pod's containers. */
  containers?: ContainerRegistry;
  isRunning(): boolean;
}

/** Sandbox creation: pause container plus CNI setup. */
const SANDBOX_CREATE_MS = 500;
const DEFAULT_TERMINATION_GRACE_S = 30;
/** A sandbox that could not be created is retried at the pod worker's back-off. */
const SANDBOX_RETRY_MS = 10_000;
/** A container whose config cannot be built (missing ConfigMap) is retried at the pod worker's back-off. */
const CONFIG_ERROR_RETRY_MS = 10_000;

function newContainer(spec: Container, kind: RuntimeContainer['kind']): RuntimeContainer {
  const list = kind === 'regular' ? 'containers' : 'initContainers';
  return { spec, kind, fieldPath: internString(`spec.${list}{${spec.name}}`), state: 'waiting', restartCount: 0, started: false, ready: false, probes: [], instances: 0 };
}

/** One pod's lifecycle on one node. */
export class PodWorker {
  private readonly containers: RuntimeContainer[];
  private readonly startTime: number;
  private readonly sandboxAt: number;
  private sandboxReady = false;
  private volumesMounted = false;
  private mountFailures = 0;
  private podIP: string | undefined;
  private ipReleased = false;
  private pull: { c: RuntimeContainer; job: PullJob } | undefined;
  private wakes: number[] = [];
  private timer: { at: number; cancel: () => void } | undefined;
  /** The status as stored by this worker's last write. */
  private lastStatus: PodStatus | undefined;
  /** Whether the last sync regenerated lastStatus to itself. */
  private settled = false;
  /** statusInputs when lastStatus regenerated to itself a second time running: while they hold, it still would. */
  private settledInputs: unknown[] | undefined;
  private stoppingGraceS: number | undefined;
  private terminal = false;
  private finished = false;
  /** The pod's emptyDir volumes, shared by its containers for the pod's life. */
  private readonly volumes = new Map<string, VolumeStore>();

  constructor(private readonly node: NodeRuntime, private pod: Readonly<KubeObject>) {
    const spec = pod.spec as Pod['spec'];
    // concat sizes the array exactly; a spread into a literal left room for 16 more per pod.
    this.containers = (spec?.initContainers ?? []).map((c) => newContainer(c, c.restartPolicy === 'Always' ? 'sidecar' : 'init'))
      .concat((spec?.containers ?? []).map((c) => newContainer(c, 'regular')));
    this.startTime = node.clock.now();
    this.sandboxAt = this.startTime + SANDBOX_CREATE_MS;
    node.containers?.register(pod.metadata.uid ?? '', this.containers, () => this.sync());
  }

  private get spec(): NonNullable<Pod['spec']> {
    return (this.pod.spec ?? {}) as NonNullable<Pod['spec']>;
  }

  private get key(): { namespace: string; name: string } {
    return { namespace: this.pod.metadata.namespace ?? '', name: this.pod.metadata.name ?? '' };
  }

  /** A newer version of the pod from the informer. */
  update(pod: Readonly<KubeObject>): void {
    const old = this.pod;
    this.pod = pod;
    const generationChanged = old.metadata.generation !== pod.metadata.generation;
    if (generationChanged) this.applySpecChange();
    const deletionChanged = old.metadata.deletionTimestamp !== pod.metadata.deletionTimestamp || old.metadata.deletionGracePeriodSeconds !== pod.metadata.deletionGracePeriodSeconds;
    if (generationChanged || deletionChanged || (this.spec.readinessGates ?? []).length > 0) this.sync();
  }

  /** The pod is gone from the API: stop everything and free its IP and logs. */
  remove(): void {
    this.finished = true;
    this.cancelTimer();
    this.releaseIP();
    this.node.containers?.unregister(this.pod.metadata.uid ?? '');
    for (const c of this.containers) {
      c.program = undefined;
      for (const id of [c.containerID, c.previousLogID]) if (id) this.node.logs.remove(id);
    }
  }

  /** Stops the timer while the kubelet is down; sync() resumes. */
  pause(): void {
    this.cancelTimer();
  }

  /** Runs everything due at the current virtual time, writes the status, schedules the next step. */
  sync(): void {
    if (this.finished || !this.node.isRunning()) return;
    const now = this.node.clock.now();
    this.wakes = [];
    const ctx = this.runtimeCtx();
    for (const c of this.containers) advanceProgram(ctx, c, now);
    if (this.pod.metadata.deletionTimestamp) {
      this.terminate(ctx, now);
    } else if (!this.terminal) {
      if (this.ensureSandbox(now)) this.runActions(ctx, now);
      // After the actions, so a container started now is probed now (the prober's start trigger).
      for (const c of this.containers) runProbes(ctx, c, now, this.graceMs());
      for (const c of this.containers) advanceProgram(ctx, c, now);
    }
    if (this.finished) return;
    this.writeStatus(now);
    this.schedule(now);
  }

  private runtimeCtx(): RuntimeCtx {
    const { client, recorder, images, logs } = this.node;
    return { pod: this.pod, client, recorder, images, logs, podIP: this.podIP, volumes: this.volumes, containers: this.node.containers, wake: (at) => void this.wakes.push(at) };
  }

  private graceMs(): number {
    return (this.spec.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_S) * 1000;
  }

  private ensureSandbox(now: number): boolean {
    if (this.sandboxReady) return true;
    if (now < this.sandboxAt) {
      this.wakes.push(this.sandboxAt);
      return false;
    }
    if (!this.mountVolumes(now)) return false;
    try {
      this.podIP = this.spec.hostNetwork ? this.node.hostIP : this.node.ips.allocate();
    } catch (e) {
      if (!(e instanceof RangeFullError)) throw e;
      const msg = `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox: plugin type="flannel" failed (add): failed to delegate add: failed to allocate for range 0: ${e.message}`;
      this.node.recorder.event(this.pod, 'Warning', 'FailedCreatePodSandBox', msg);
      this.wakes.push(now + SANDBOX_RETRY_MS);
      return false;
    }
    this.sandboxReady = true;
    return true;
  }

  /** WaitForAttachAndMount: no sandbox until every volume's ConfigMaps and Secrets exist. */
  private mountVolumes(now: number): boolean {
    if (this.volumesMounted) return true;
    const failed = failedMounts(this.pod as unknown as Pod, this.node.client);
    if (failed.length === 0) return (this.volumesMounted = true);
    this.mountFailures++;
    for (const message of failed) this.node.recorder.event(this.pod, 'Warning', 'FailedMount', message);
    this.wakes.push(now + mountRetryDelayMs(this.mountFailures));
    return false;
  }

  /** computePodActions + SyncPod: finish a pull, then init containers in order, then the rest. */
  private runActions(ctx: RuntimeCtx, now: number): void {
    if (this.pull) {
      if (now < this.pull.job.doneAt) return void this.wakes.push(this.pull.job.doneAt);
      const { c, job } = this.pull;
      this.pull = undefined;
      if (finishPull(ctx, c, job)) this.create(ctx, c, now);
    }
    if (!this.initContainersDone(ctx, now)) return;
    for (const c of this.containers) {
      if (c.kind === 'regular' && !this.progress(ctx, c, now)) return;
    }
  }

  /** Starts or restarts init containers one at a time; true once all completed (sidecars started). */
  private initContainersDone(ctx: RuntimeCtx, now: number): boolean {
    const initialized = this.containers.some((c) => c.kind === 'regular' && (c.instances > 0 || c.state !== 'waiting'));
    for (const c of this.containers) {
      if (c.kind === 'regular') break;
      if (initialized) {
        if (c.kind === 'sidecar' && !this.progress(ctx, c, now)) return false;
        continue;
      }
      if (this.isComplete(c)) continue;
      if (!this.progress(ctx, c, now) || !this.isComplete(c)) return false;
    }
    return true;
  }

  private isComplete(c: RuntimeContainer): boolean {
    if (c.kind === 'sidecar') return c.state === 'running' && c.started;
    return c.state === 'terminated' && c.terminated!.exitCode === 0;
  }

  /** Moves one container forward; false when a pull now occupies the pod worker. */
  private progress(ctx: RuntimeCtx, c: RuntimeContainer, now: number): boolean {
    if (c.state === 'running') return true;
    if (c.state === 'terminated' || c.lastTerminated) {
      if (!c.restartPending) {
        if (!shouldRestart(c, this.spec.restartPolicy ?? 'Always')) return true;
        if (!mayRestart(ctx, c, now)) return true;
        c.restartPending = true;
      }
    }
    const image = ensureImage(ctx, c, now);
    if (image.state === 'pulling') {
      this.pull = { c, job: image.job };
      this.wakes.push(image.job.doneAt);
      return false;
    }
    if (image.state === 'ready') this.create(ctx, c, now);
    return true;
  }

  private create(ctx: RuntimeCtx, c: RuntimeContainer, now: number): void {
    if (c.state === 'terminated') {
      c.lastTerminated = c.terminated;
      c.terminated = undefined;
      c.state = 'waiting';
    }
    createAndStart(ctx, c, now);
    if (c.waiting?.reason === 'CreateContainerConfigError') this.wakes.push(now + CONFIG_ERROR_RETRY_MS);
    else c.restartPending = false;
  }

  /** A changed image restarts the container with the new one, whatever the restart policy. */
  private applySpecChange(): void {
    const spec = this.spec;
    const specs = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
    const ctx = this.runtimeCtx();
    const now = this.node.clock.now();
    for (const c of this.containers) {
      const next = specs.find((s) => s.name === c.spec.name);
      if (!next || next.image === c.spec.image) continue;
      c.spec = next;
      c.pullBackoff = undefined;
      if (c.state === 'running') {
        ctx.recorder.event(this.pod, 'Normal', 'Killing', `Container ${c.spec.name} definition changed, will be restarted`, { fieldPath: c.fieldPath });
        stopContainer(ctx, c, now, this.graceMs());
        c.restartPending = true;
      } else if (c.state === 'waiting') c.waiting = undefined;
    }
  }

  /** Graceful deletion: Killing, preStop, SIGTERM, SIGKILL at the grace period, then removal. */
  private terminate(ctx: RuntimeCtx, now: number): void {
    const graceS = this.pod.metadata.deletionGracePeriodSeconds ?? this.spec.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_S;
    if (this.stoppingGraceS === undefined) {
      this.stoppingGraceS = graceS;
      this.pull = undefined;
      for (const c of this.containers) this.stopForDeletion(ctx, c, now, graceS * 1000);
    } else if (graceS < this.stoppingGraceS) {
      this.stoppingGraceS = graceS;
      for (const c of this.containers) if (c.state === 'running') c.killAt = Math.min(c.killAt ?? Infinity, now + graceS * 1000);
    }
    for (const c of this.containers) advanceProgram(ctx, c, now);
    if (this.containers.some((c) => c.state === 'running')) return;
    this.finishDeletion(now);
  }

  private stopForDeletion(ctx: RuntimeCtx, c: RuntimeContainer, now: number, graceMs: number): void {
    if (c.state !== 'running' || !c.program) return;
    ctx.recorder.event(this.pod, 'Normal', 'Killing', `Stopping container ${c.spec.name}`, { fieldPath: c.fieldPath });
    const preStop = c.spec.lifecycle?.preStop;
    let delayMs = 0;
    // An exec hook runs to completion before SIGTERM; one that hangs uses up the grace period.
    if (preStop?.exec?.command && c.program.exec(preStop.exec.command, { now, timeoutMs: graceMs }).timedOut) delayMs = graceMs;
    if (preStop?.sleep) delayMs = Math.min(graceMs, preStop.sleep.seconds * 1000);
    if (delayMs === 0) return stopContainer(ctx, c, now, graceMs);
    c.termAt = now + delayMs;
    c.killAt = now + graceMs;
  }

  /** The containers stopped: report the terminal phase, then delete the pod object for good. */
  private finishDeletion(now: number): void {
    this.terminal = true;
    this.writeStatus(now);
    this.releaseIP();
    this.finished = true;
    this.cancelTimer();
    try {
      this.node.client.delete('pods', this.key, { gracePeriodSeconds: 0, preconditions: { uid: this.pod.metadata.uid ?? '' } });
    } catch (e) {
      if (!(e instanceof StatusError)) throw e;
    }
  }

  private releaseIP(): void {
    if (this.ipReleased || !this.podIP || this.spec.hostNetwork) return;
    this.ipReleased = true;
    this.node.ips.release(this.podIP);
  }

  private view(): PodView {
    const { pod, containers, sandboxReady, podIP, startTime, terminal } = this;
    return { pod: pod as unknown as Pod, containers, sandboxReady, hostIP: this.node.hostIP, ...(podIP ? { podIP } : {}), startTime, terminal };
  }

  /** Writes the status through the status subresource when it differs from the last write. */
  private writeStatus(now: number): void {
    const view = this.view();
    const base = this.lastStatus ?? ((this.pod.status ?? {}) as PodStatus);
    // Most syncs of a running pod are a probe that succeeded again (the API server's readiness
    // probe every second): nothing the status is made of changed, so it is not generated again.
    // Only a pod that settled needs them: the busy syncs of a starting pod do not build them.
    const inputs = this.settled && this.lastStatus ? statusInputs(view, this.lastStatus) : undefined;
    if (inputs && this.settledInputs && sameStatusInputs(inputs, this.settledInputs)) return;
    const candidate = generatePodStatus(view, base, now);
    // generatePodStatus is idempotent: nothing changed when the last write regenerates to itself.
    if (this.lastStatus && jsonEqual(candidate, this.lastStatus)) {
      // Kept from the second time only: most pods settle once and are not synced again, and ten
      // thousand pods would keep 4 MB of inputs for nothing.
      if (this.settled) this.settledInputs = inputs;
      this.settled = true;
      return;
    }
    this.settled = false;
    this.settledInputs = undefined;
    try {
      const written = this.node.client.mutate('pods', this.key, (cur) => {
        // The stored status is usually the one this worker wrote last: the candidate is already built.
        const status = cur.status === base ? candidate : generatePodStatus(view, (cur.status ?? {}) as PodStatus, now);
        return { ...cur, status };
      }, { status: true, pure: true });
      this.lastStatus = written.status as PodStatus;
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
      return;
    }
    const phase = this.lastStatus?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      // A finished pod's sandbox is torn down; its IP goes back to the pool.
      this.terminal = true;
      this.releaseIP();
    }
  }

  private schedule(now: number): void {
    const times = [...this.wakes];
    for (const c of this.containers) {
      const t = nextContainerWake(c, now);
      if (t !== undefined) times.push(t);
    }
    const due = times.filter((t) => t > now);
    const at = this.terminal && !this.pod.metadata.deletionTimestamp ? undefined : due.length > 0 ? Math.min(...due) : undefined;
    if (this.timer && this.timer.at === at) return;
    this.cancelTimer();
    if (at === undefined) return;
    const cancel = this.node.clock.setTimer(() => {
      this.timer = undefined;
      this.sync();
    }, at - now);
    this.timer = { at, cancel };
  }

  private cancelTimer(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }
}
