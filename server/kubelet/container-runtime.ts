/**
 * One container's life inside a pod worker: image pull (EnsureImageExists), create and start,
 * exit, restart with CrashLoopBackOff, probes. Free functions over a small context so the pod
 * worker stays a dispatcher. Ports the behaviour of kubernetes
 * pkg/kubelet/kuberuntime/kuberuntime_container.go (startContainer),
 * kuberuntime_manager.go (computePodActions, doBackOff), pkg/kubelet/images/image_manager.go and
 * pkg/kubelet/prober/worker.go; back-off numbers from k8s-behavior.md §6.1 and §6.3.
 */
import { createHash } from 'node:crypto';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import type { LocalClient } from '../client/api-client.js';
import type { EventRecorder } from '../controllers/events.js';
import { internString } from '../generation-map.js';
import { CreateContainerConfigError, resolveEnv } from './container-env.js';
import { lazyContainerFilesystem } from './container-fs.js';
import type { ContainerRegistry } from './container-registry.js';
import { clusterNetwork } from './cluster-network.js';
import type { VolumeStore } from './mounted-files.js';
import type { ContainerLogStore } from './container-logs.js';
import type { ImageCache, PullJob } from './image-cache.js';
import { alreadyPresentMessage, backOffPullingMessage, crashLoopBackOffEventMessage, crashLoopBackOffMessage, failedToPullMessage, lookupImage, pulledMessage, pullingMessage, pullResult } from './images.js';
import type { ContainerView, TerminatedState } from './pod-status.js';
import { newProbeState, probeLabel, probePeriodMs, recordProbeResult, runProbe, type ProbeState } from './probes.js';
import { startProgram, type Program } from './programs.js';
import { memoryLimitBytes } from './stress.js';

/** Initial and maximum back-off of both image pulls and crashed containers (flowcontrol.Backoff). */
const BACKOFF_INITIAL_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;
/**
 * The kubelet notices an exit or a failed pull at its next sync (PLEG relists every second), so
 * `Error` / `ErrImagePull` stay visible for about that long before the back-off state shows.
 */
export const RESYNC_MS = 1_000;

/** A flowcontrol.Backoff entry. */
interface Backoff {
  backoffMs: number;
  lastUpdate: number;
}

/** A container as the pod worker runs it. */
export interface RuntimeContainer extends ContainerView {
  fieldPath: string;
  program?: Program;
  probes: ProbeState[];
  /** Number of container instances created so far. */
  instances: number;
  crashBackoff?: Backoff;
  pullBackoff?: Backoff;
  pullFailedAt?: number;
  /** finishedAt of the crash whose BackOff event was recorded (one event per crash). */
  backOffNotedFor?: number;
  /** Log of the instance before the current one (`logs --previous`). */
  previousLogID?: string;
  /** SIGTERM time of a container being stopped after its preStop hook, and its SIGKILL time. */
  termAt?: number;
  killAt?: number;
  /** The restart was decided (back-off passed); the container starts as soon as it can. */
  restartPending?: boolean;
}

/** What container functions need from their pod worker. */
export interface RuntimeCtx {
  pod: Readonly<KubeObject>;
  client: LocalClient;
  recorder: EventRecorder;
  images: ImageCache;
  logs: ContainerLogStore;
  podIP: string | undefined;
  /** The pod's emptyDir volumes by name (shared by its containers). */
  volumes?: Map<string, VolumeStore>;
  /** Every node's running containers: the servers wget and curl reach. */
  containers?: ContainerRegistry;
  /** Asks for a sync at `at`. */
  wake(at: number): void;
}

function event(ctx: RuntimeCtx, c: RuntimeContainer, type: 'Normal' | 'Warning', reason: string, message: string): void {
  ctx.recorder.event(ctx.pod, type, reason, message, { fieldPath: c.fieldPath });
}

function setWaiting(ctx: RuntimeCtx, c: RuntimeContainer, reason: string, message: string | undefined, events: () => void): void {
  const changed = c.waiting?.reason !== reason || c.waiting?.message !== message;
  c.waiting = message ? { reason, message } : { reason };
  if (changed) events();
}

/**
 * EnsureImageExists: `ready` when the image is there, `pulling` when a pull was queued (returned),
 * `blocked` when the container must wait (bad name, Never policy, back-off).
 */
export function ensureImage(ctx: RuntimeCtx, c: RuntimeContainer, now: number): { state: 'ready' | 'blocked' } | { state: 'pulling'; job: PullJob } {
  const image = c.spec.image ?? '';
  const probe = pullResult(image);
  if (!probe.ok && probe.reason === 'InvalidImageName') {
    setWaiting(ctx, c, 'InvalidImageName', probe.message, () => {
      event(ctx, c, 'Warning', 'InspectFailed', probe.message);
      event(ctx, c, 'Warning', 'Failed', 'Error: InvalidImageName');
    });
    return { state: 'blocked' };
  }
  const present = ctx.images.has(image);
  const policy = c.spec.imagePullPolicy ?? 'IfNotPresent';
  if (present && policy !== 'Always') {
    event(ctx, c, 'Normal', 'Pulled', alreadyPresentMessage(image));
    return { state: 'ready' };
  }
  if (policy === 'Never') {
    const msg = `Container image "${image}" is not present with pull policy of Never`;
    setWaiting(ctx, c, 'ErrImageNeverPull', msg, () => {
      event(ctx, c, 'Warning', 'ErrImageNeverPull', msg);
      event(ctx, c, 'Warning', 'Failed', 'Error: ErrImageNeverPull');
    });
    return { state: 'blocked' };
  }
  const b = c.pullBackoff;
  if (b && now - b.lastUpdate < b.backoffMs) {
    if (now < (c.pullFailedAt ?? 0) + RESYNC_MS) {
      ctx.wake((c.pullFailedAt ?? 0) + RESYNC_MS);
      return { state: 'blocked' };
    }
    setWaiting(ctx, c, 'ImagePullBackOff', backOffPullingMessage(image, c.waiting?.reason === 'ErrImagePull' ? c.waiting.message : undefined), () => {
      event(ctx, c, 'Normal', 'BackOff', backOffPullingMessage(image));
      event(ctx, c, 'Warning', 'Failed', 'Error: ImagePullBackOff');
    });
    ctx.wake(b.lastUpdate + b.backoffMs);
    return { state: 'blocked' };
  }
  event(ctx, c, 'Normal', 'Pulling', pullingMessage(image));
  return { state: 'pulling', job: ctx.images.schedulePull(image, now) };
}

/** Completes a pull at job.doneAt: Pulled and start, or Failed and back-off. Returns true on success. */
export function finishPull(ctx: RuntimeCtx, c: RuntimeContainer, job: PullJob): boolean {
  const image = c.spec.image ?? '';
  const r = job.result;
  if (r.ok) {
    ctx.images.add(image);
    c.pullBackoff = undefined;
    event(ctx, c, 'Normal', 'Pulled', pulledMessage(image, { pullMs: job.doneAt - job.startAt, totalMs: job.doneAt - job.requestedAt, sizeBytes: r.sizeBytes }));
    return true;
  }
  const failMessage = r.message;
  event(ctx, c, 'Warning', 'Failed', failedToPullMessage(image, failMessage));
  event(ctx, c, 'Warning', 'Failed', 'Error: ErrImagePull');
  c.waiting = { reason: 'ErrImagePull', message: failMessage };
  c.pullBackoff = nextBackoff(c.pullBackoff, job.doneAt, job.doneAt);
  c.pullFailedAt = job.doneAt;
  ctx.wake(job.doneAt + RESYNC_MS);
  return false;
}

/** flowcontrol.Backoff.Next: 10 s, doubling to 5 min; an entry idle for 2 × max starts over. */
function nextBackoff(b: Backoff | undefined, eventTime: number, now: number): Backoff {
  if (!b || eventTime - b.lastUpdate > 2 * BACKOFF_MAX_MS) return { backoffMs: BACKOFF_INITIAL_MS, lastUpdate: now };
  return { backoffMs: Math.min(2 * b.backoffMs, BACKOFF_MAX_MS), lastUpdate: now };
}

function containerID(pod: Readonly<KubeObject>, c: RuntimeContainer): string {
  const seed = `${pod.metadata.uid ?? ''}/${c.spec.name}/${c.instances}`;
  return `containerd://${createHash('sha256').update(seed).digest('hex')}`;
}

/** Creates and starts a new instance of the container (its image is present). */
export function createAndStart(ctx: RuntimeCtx, c: RuntimeContainer, now: number): void {
  const pod = ctx.pod as unknown as Pod;
  let env;
  try {
    env = resolveEnv(pod, c.spec, ctx.client, ctx.podIP);
  } catch (e) {
    if (!(e instanceof CreateContainerConfigError)) throw e;
    // Every attempt records Failed, as it records Pulled: the two counts grow together.
    c.waiting = { reason: 'CreateContainerConfigError', message: e.message };
    event(ctx, c, 'Warning', 'Failed', `Error: ${e.message}`);
    return;
  }
  if (c.instances > 0) c.restartCount++;
  c.instances++;
  if (c.previousLogID) ctx.logs.remove(c.previousLogID);
  c.previousLogID = c.containerID;
  c.containerID = containerID(ctx.pod, c);
  const hit = lookupImage(c.spec.image ?? '');
  c.imageRef = hit ? internString(`${hit.ref.registry}/${hit.ref.repository}:${hit.tag}`) : c.spec.image;
  c.imageID = hit?.imageID ?? '';
  ctx.logs.open(c.containerID);
  const fs = lazyContainerFilesystem(pod, c.spec, { client: ctx.client, podIP: ctx.podIP, volumes: ctx.volumes ?? new Map(), now });
  const program = startProgram({ image: c.spec.image ?? '', ...(c.spec.command ? { command: c.spec.command } : {}), ...(c.spec.args ? { args: c.spec.args } : {}), env, now, ...(ctx.podIP ? { podIP: ctx.podIP } : {}), ...limitsOf(c), fs, ...(c.spec.stdin ? { stdin: true } : {}),
    ...(ctx.containers ? { network: clusterNetwork(ctx.client, ctx.containers, pod.metadata?.namespace ?? 'default') } : {}) });
  event(ctx, c, 'Normal', 'Created', `Created container: ${c.spec.name}`);
  c.waiting = undefined;
  if (program.exit?.reason === 'StartError') {
    event(ctx, c, 'Warning', 'Failed', `Error: ${program.exit.message ?? ''}`);
    // A container that never started reports the zero time as startedAt.
    exited(ctx, c, { exitCode: program.exit.exitCode, reason: 'StartError', message: program.exit.message ?? '', startedAt: 0, finishedAt: now, containerID: c.containerID });
    return;
  }
  event(ctx, c, 'Normal', 'Started', `Started container ${c.spec.name}`);
  c.program = program;
  c.state = 'running';
  c.startedAt = now;
  c.terminated = undefined;
  const { startupProbe, readinessProbe } = c.spec;
  c.started = !startupProbe;
  c.ready = c.started && !readinessProbe;
  c.probes = startupProbe ? [newProbeState('startup', startupProbe, now)] : probesAfterStartup(c, now);
  advanceProgram(ctx, c, now);
}

/** Liveness and readiness probes; their initial delays count from the container's start. */
function probesAfterStartup(c: RuntimeContainer, now: number): ProbeState[] {
  const out: ProbeState[] = [];
  const from = c.startedAt ?? now;
  if (c.spec.livenessProbe) out.push(newProbeState('liveness', c.spec.livenessProbe, from));
  if (c.spec.readinessProbe) out.push(newProbeState('readiness', c.spec.readinessProbe, from));
  return out;
}

function exited(ctx: RuntimeCtx, c: RuntimeContainer, t: TerminatedState): void {
  c.state = 'terminated';
  c.terminated = t;
  c.started = false;
  c.ready = false;
  c.program = undefined;
  c.probes = [];
  c.termAt = undefined;
  c.killAt = undefined;
  ctx.logs.close(t.containerID);
}

/** Runs the container's program up to `now`: log lines, and the exit if it came. */
export function advanceProgram(ctx: RuntimeCtx, c: RuntimeContainer, now: number): void {
  const program = c.program;
  if (!program || c.state !== 'running') return;
  if (c.termAt !== undefined && now >= c.termAt) {
    ctx.logs.append(c.containerID!, program.advance(c.termAt).logs);
    program.terminate(c.termAt);
    c.termAt = undefined;
  }
  if (c.killAt !== undefined && now >= c.killAt) {
    ctx.logs.append(c.containerID!, program.advance(c.killAt).logs);
    program.kill(c.killAt);
  }
  const step = program.advance(now);
  ctx.logs.append(c.containerID!, step.logs);
  if (!step.exit) return;
  const code = step.exit.exitCode;
  const reason = step.exit.reason ?? (code === 0 ? 'Completed' : 'Error');
  exited(ctx, c, { exitCode: code, reason, ...(step.exit.message ? { message: step.exit.message } : {}), startedAt: c.startedAt!, finishedAt: step.exit.at, containerID: c.containerID! });
}

/** When after `now` the container next needs the worker: program activity, a probe or a signal. */
export function nextContainerWake(c: RuntimeContainer, now: number): number | undefined {
  // The sync after an exit decides about the restart.
  if (c.state === 'terminated') return c.terminated!.finishedAt + RESYNC_MS;
  if (c.state !== 'running') return undefined;
  const times = [c.program?.nextEventAt(), c.termAt, c.killAt, ...c.probes.map((p) => p.nextAt)].filter((t): t is number => t !== undefined && t > now);
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** Sends SIGTERM now and SIGKILL after the grace period. */
export function stopContainer(ctx: RuntimeCtx, c: RuntimeContainer, now: number, graceMs: number): void {
  if (c.state !== 'running' || !c.program) return;
  advanceProgram(ctx, c, now);
  if (c.state !== 'running') return;
  c.program.terminate(now);
  c.killAt = Math.min(c.killAt ?? Infinity, now + graceMs);
  advanceProgram(ctx, c, now);
}

/** Whether an exited container is started again under the pod's restart policy. */
export function shouldRestart(c: RuntimeContainer, restartPolicy: string): boolean {
  const t = c.terminated ?? c.lastTerminated;
  if (!t) return false;
  if (c.kind === 'sidecar') return true;
  if (c.kind === 'init') return t.exitCode !== 0 && restartPolicy !== 'Never';
  return restartPolicy === 'Always' || (restartPolicy === 'OnFailure' && t.exitCode !== 0);
}

/**
 * doBackOff for an exited container that should restart: true when it may start now (the back-off
 * entry was advanced), false while it waits in CrashLoopBackOff (a wake is requested).
 */
export function mayRestart(ctx: RuntimeCtx, c: RuntimeContainer, now: number): boolean {
  const t = (c.terminated ?? c.lastTerminated)!;
  if (now < t.finishedAt + RESYNC_MS) {
    ctx.wake(t.finishedAt + RESYNC_MS);
    return false;
  }
  const b = c.crashBackoff;
  const inBackOff = !!b && !(t.finishedAt - b.lastUpdate > 2 * BACKOFF_MAX_MS) && now - t.finishedAt < b.backoffMs;
  if (inBackOff) {
    moveToLastState(c);
    const target = { container: c.spec.name, pod: ctx.pod.metadata.name ?? '', namespace: ctx.pod.metadata.namespace ?? '', uid: ctx.pod.metadata.uid ?? '' };
    c.waiting = { reason: 'CrashLoopBackOff', message: crashLoopBackOffMessage(b.backoffMs, target) };
    if (c.backOffNotedFor !== t.finishedAt) {
      c.backOffNotedFor = t.finishedAt;
      event(ctx, c, 'Warning', 'BackOff', crashLoopBackOffEventMessage(target));
    }
    ctx.wake(t.finishedAt + b.backoffMs);
    return false;
  }
  c.crashBackoff = nextBackoff(b, t.finishedAt, now);
  moveToLastState(c);
  c.waiting = undefined;
  return true;
}

function moveToLastState(c: RuntimeContainer): void {
  if (c.state !== 'terminated') return;
  c.lastTerminated = c.terminated;
  c.terminated = undefined;
  c.state = 'waiting';
}

/** Runs the container's due probes at `now`; a failed liveness or startup probe stops the container. */
export function runProbes(ctx: RuntimeCtx, c: RuntimeContainer, now: number, graceMs: number): void {
  let probes = c.probes;
  for (let i = 0; i < probes.length; i++) {
    const p = probes[i]!;
    if (c.state !== 'running' || p.nextAt > now) continue;
    p.nextAt = now + probePeriodMs(p.probe);
    const outcome = runProbe(p.probe, { container: c.spec, program: c.program!, podIP: ctx.podIP ?? '', now });
    if (!outcome.ok) event(ctx, c, 'Warning', 'Unhealthy', `${probeLabel(p.type)} probe failed: ${outcome.output}`);
    const flipped = recordProbeResult(p, outcome.ok);
    if (!flipped) continue;
    if (p.type === 'readiness') c.ready = p.passing === true;
    else if (p.type === 'startup' && p.passing) {
      c.started = true;
      c.ready = !c.spec.readinessProbe;
      // The liveness and readiness workers start now; those past their initial delay probe at once.
      probes = c.probes = probesAfterStartup(c, now);
      i = -1;
    } else if (!p.passing) {
      event(ctx, c, 'Normal', 'Killing', `Container ${c.spec.name} failed ${p.type} probe, will be restarted`);
      const probeGrace = p.probe.terminationGracePeriodSeconds;
      stopContainer(ctx, c, now, probeGrace !== undefined ? probeGrace * 1000 : graceMs);
      // The prober holds off until the next instance of the container starts.
      c.probes = [];
    }
  }
}

/** The container's memory limit for its program (only a program with a memory model uses it). */
function limitsOf(c: RuntimeContainer): { memoryLimitBytes?: number } {
  const bytes = memoryLimitBytes(c.spec.resources as { limits?: Record<string, string | number> } | undefined);
  return bytes === undefined ? {} : { memoryLimitBytes: bytes };
}
