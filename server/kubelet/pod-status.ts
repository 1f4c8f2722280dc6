/**
 * The API pod status a kubelet reports, computed from its runtime view of the pod's containers.
 * Port of kubernetes pkg/kubelet/kubelet_pods.go (getPhase, convertToAPIContainerStatuses,
 * generateAPIPodStatus), pkg/kubelet/status/generate.go (the condition generators) and the
 * condition merge of pkg/kubelet/status/status_manager.go (mergePodStatus).
 */
import type { Container, ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../clock.js';
import { GenerationMap } from '../generation-map.js';

/** A terminated container instance. */
export interface TerminatedState {
  exitCode: number;
  reason: string;
  message?: string;
  startedAt: number;
  finishedAt: number;
  containerID: string;
}

/** The kubelet's view of one container (init, sidecar or regular) across its restarts. */
export interface ContainerView {
  spec: Container;
  kind: 'init' | 'sidecar' | 'regular';
  state: 'waiting' | 'running' | 'terminated';
  /** Reason and message while waiting; absent means the default (ContainerCreating / PodInitializing). */
  waiting?: { reason: string; message?: string };
  containerID?: string;
  /** Fully qualified image and repo digest of the created container. */
  imageRef?: string;
  imageID?: string;
  startedAt?: number;
  terminated?: TerminatedState;
  lastTerminated?: TerminatedState;
  restartCount: number;
  started: boolean;
  ready: boolean;
}

/** Everything generatePodStatus needs besides the containers. */
export interface PodView {
  pod: Pod;
  containers: readonly ContainerView[];
  sandboxReady: boolean;
  hostIP: string;
  podIP?: string;
  startTime: number;
  /** Set once the pod is deleted and its containers stopped: the phase becomes terminal. */
  terminal: boolean;
}

/** Conditions the kubelet owns (kubetypes.PodConditionsByKubelet). */
const KUBELET_CONDITIONS = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);

const goList = (names: string[]): string => `[${names.join(' ')}]`;

/** Port of getPhase: Pending, Running, Succeeded or Failed from the container statuses. */
export function getPhase(view: PodView): 'Pending' | 'Running' | 'Succeeded' | 'Failed' {
  const policy = view.pod.spec?.restartPolicy ?? 'Always';
  let pendingInit = 0;
  let pendingSidecars = 0;
  let failedInit = 0;
  let anyRegularStarted = false;
  const counts = { running: 0, waiting: 0, stopped: 0, succeeded: 0 };
  for (const c of view.containers) {
    if (c.kind === 'sidecar') {
      if (c.state !== 'running' || !c.started) pendingSidecars++;
    } else if (c.kind === 'init') {
      if (c.state === 'running') pendingInit++;
      else if (c.state === 'terminated') failedInit += c.terminated!.exitCode !== 0 ? 1 : 0;
      else if (c.lastTerminated) failedInit += c.lastTerminated.exitCode !== 0 ? 1 : 0;
      else pendingInit++;
    } else {
      if (c.state !== 'waiting' || c.lastTerminated) anyRegularStarted = true;
      if (c.state === 'running') counts.running++;
      else if (c.state === 'terminated') {
        counts.stopped++;
        if (c.terminated!.exitCode === 0) counts.succeeded++;
      } else if (c.lastTerminated) counts.stopped++;
      else counts.waiting++;
    }
  }
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  if (pendingInit > 0 || (pendingSidecars > 0 && !anyRegularStarted) || counts.waiting > 0) {
    return view.terminal ? 'Failed' : 'Pending';
  }
  if (counts.running > 0) return 'Running';
  if (counts.stopped > 0) {
    if (view.terminal) return counts.stopped === counts.succeeded ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (counts.stopped === counts.succeeded) return 'Succeeded';
    return policy === 'Never' ? 'Failed' : 'Running';
  }
  return 'Pending';
}

/** The status of one container as convertToAPIContainerStatuses reports it. */
export function containerStatus(c: ContainerView, defaultWaiting: string): ContainerStatus {
  const s: ContainerStatus = { name: c.spec.name, ready: c.ready && c.state === 'running', restartCount: c.restartCount, image: c.imageRef ?? c.spec.image ?? '', imageID: c.imageID ?? '', started: c.started && c.state === 'running', state: {}, lastState: {} };
  const id = c.containerID ?? c.lastTerminated?.containerID;
  if (id) s.containerID = id;
  if (c.state === 'running') s.state = { running: { startedAt: rfc3339(c.startedAt!) } };
  else if (c.state === 'terminated') s.state = { terminated: terminatedJSON(c.terminated!) };
  else s.state = { waiting: c.waiting ? { ...c.waiting } : { reason: defaultWaiting } };
  if (c.lastTerminated) s.lastState = { terminated: terminatedJSON(c.lastTerminated) };
  const mounts = c.spec.volumeMounts ?? [];
  if (mounts.length > 0) {
    s.volumeMounts = mounts.map((m) => ({ name: m.name, mountPath: m.mountPath, ...(m.readOnly ? { readOnly: true, recursiveReadOnly: 'Disabled' } : {}) }));
  }
  return s;
}

function terminatedJSON(t: TerminatedState): NonNullable<NonNullable<ContainerStatus['state']>['terminated']> {
  return {
    exitCode: t.exitCode,
    reason: t.reason,
    ...(t.message ? { message: t.message } : {}),
    startedAt: rfc3339(t.startedAt),
    finishedAt: rfc3339(t.finishedAt),
    containerID: t.containerID,
  };
}

/**
 * The pod status the kubelet writes: phase, kubelet conditions merged after the conditions others
 * own, IPs, start time and container statuses. Fields the kubelet does not own (qosClass,
 * nominatedNodeName, resize) are kept from `current`.
 */
export function generatePodStatus(view: PodView, current: PodStatus, now: number): PodStatus {
  const phase = current.phase === 'Succeeded' || current.phase === 'Failed' ? current.phase : getPhase(view);
  const hasInit = (view.pod.spec?.initContainers ?? []).length > 0;
  const defaultWaiting = hasInit ? 'PodInitializing' : 'ContainerCreating';
  const init = view.containers.filter((c) => c.kind !== 'regular').map((c) => containerStatus(c, defaultWaiting));
  const regular = view.containers.filter((c) => c.kind === 'regular').map((c) => containerStatus(c, defaultWaiting));
  const mine = kubeletConditions(view, phase);
  const old = current.conditions ?? [];
  // concat sizes the list exactly (a list grown by push keeps room for 16 more), and a list equal
  // to the stored one is the stored one.
  const merged = old.filter((c) => !KUBELET_CONDITIONS.has(c.type)).concat(mine.map((c) => {
    const prev = old.find((o) => o.type === c.type);
    const since = prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(now);
    const next = { type: c.type, status: c.status, lastProbeTime: null as unknown as string, lastTransitionTime: since, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) };
    return prev && sameFlat(prev, next) ? prev : sharedConditions.intern(`${c.type}\0${c.status}\0${since}\0${c.reason ?? ''}\0${c.message ?? ''}`, next);
  }));
  const conditions = merged.length === old.length && merged.every((c, i) => c === old[i]) ? old : merged;
  const status: PodStatus = { ...current, phase, conditions, hostIP: view.hostIP, hostIPs: sameIPs(current.hostIPs, view.hostIP) ? current.hostIPs! : sharedHostIPs.intern(view.hostIP, [{ ip: view.hostIP }]) };
  if (view.podIP) {
    status.podIP = view.podIP;
    status.podIPs = sameIPs(current.podIPs, view.podIP) ? current.podIPs! : [{ ip: view.podIP }];
  }
  status.startTime = current.startTime ?? rfc3339(view.startTime);
  if (hasInit) status.initContainerStatuses = init;
  status.containerStatuses = regular;
  return status;
}

/**
 * Everything generatePodStatus reads, as a flat list: the pod (its spec and the conditions others
 * own), the current status, the pod-level view and every field of each ContainerView, the
 * terminated states by value as they may be changed in place. Equal lists make equal statuses.
 */
export function statusInputs(view: PodView, current: PodStatus): unknown[] {
  const out: unknown[] = [view.pod, current, view.sandboxReady, view.hostIP, view.podIP, view.startTime, view.terminal, view.containers.length];
  for (const c of view.containers) {
    out.push(c.spec, c.kind, c.state, c.waiting?.reason, c.waiting?.message, c.containerID, c.imageRef, c.imageID, c.startedAt, c.restartCount, c.started, c.ready);
    for (const t of [c.terminated, c.lastTerminated]) out.push(t?.exitCode, t?.reason, t?.message, t?.startedAt, t?.finishedAt, t?.containerID);
  }
  return out;
}

/** Whether two statusInputs lists are the same values. */
export function sameStatusInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * One object for equal parts of many pods' statuses (a condition that turned True in the same
 * second, a node's hostIPs): a stored status is frozen, so the pods of a burst can share them, and
 * ten thousand pods otherwise keep ten thousand copies of each. Times move on, so old keys stop
 * being asked for; the bound keeps them from piling up.
 */
const sharedConditions = new GenerationMap<string, PodCondition>(2048);
const sharedHostIPs = new GenerationMap<string, Array<{ ip: string }>>(256);

/**
 * Whether two flat records (a condition) hold the same keys in the same order with the same values.
 * An unchanged part of the status stays the stored object: the next version shares it, and the
 * managedFields comparison passes over it as identical.
 */
function sameFlat(a: object, b: object): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}

function sameIPs(list: Array<{ ip?: string }> | undefined, ip: string): boolean {
  return list?.length === 1 && sameFlat(list[0]!, { ip });
}

interface Cond { type: string; status: 'True' | 'False'; reason?: string; message?: string }

function kubeletConditions(view: PodView, phase: string): Cond[] {
  const sandbox: Cond = { type: 'PodReadyToStartContainers', status: view.sandboxReady && phase !== 'Succeeded' && phase !== 'Failed' ? 'True' : 'False' };
  const containersReady = readyCondition(view, phase, 'ContainersReady');
  const ready = readinessGates(view.pod, readyCondition(view, phase, 'Ready'));
  const scheduled: Cond = { type: 'PodScheduled', status: 'True' };
  return [sandbox, initializedCondition(view, phase), ready, containersReady, scheduled];
}

function initializedCondition(view: PodView, phase: string): Cond {
  const incomplete = view.containers
    .filter((c) => (c.kind === 'sidecar' ? !(c.started && c.state === 'running') : c.kind === 'init' && !(c.state === 'terminated' && c.terminated!.exitCode === 0)))
    .map((c) => c.spec.name);
  if (phase === 'Succeeded') return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  const regularStarted = view.containers.some((c) => c.kind === 'regular' && (c.state !== 'waiting' || c.lastTerminated));
  if (regularStarted || incomplete.length === 0) return { type: 'Initialized', status: 'True' };
  return { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: ${goList(incomplete)}` };
}

function readyCondition(view: PodView, phase: string, type: string): Cond {
  if (phase === 'Succeeded') return { type, status: 'False', reason: 'PodCompleted' };
  if (phase === 'Failed') return { type, status: 'False', reason: 'PodFailed' };
  const unready = view.containers
    .filter((c) => (c.kind === 'regular' || c.kind === 'sidecar') && !(c.ready && c.state === 'running'))
    .map((c) => c.spec.name);
  if (unready.length === 0) return { type, status: 'True' };
  return { type, status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: ${goList(unready)}` };
}

/** Ready also needs every readiness gate's condition True (status.GeneratePodReadyCondition). */
function readinessGates(pod: Pod, ready: Cond): Cond {
  if (ready.status !== 'True') return ready;
  const missing: string[] = [];
  for (const gate of pod.spec?.readinessGates ?? []) {
    const c = (pod.status?.conditions ?? []).find((x) => x.type === gate.conditionType);
    if (!c) missing.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    else if (c.status !== 'True') missing.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}`);
  }
  return missing.length === 0 ? ready : { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: missing.join(', ') };
}
