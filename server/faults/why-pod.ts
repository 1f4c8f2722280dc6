/**
 * `kd why pod`: what holds a pod where it is and what would move it. Unscheduled pods get the
 * scheduler's per-node verdicts (why-scheduling.ts); scheduled ones the kubelet stage read from
 * the pod's status (the fields pod-worker.ts and container-runtime.ts write), its node's
 * readiness and its recent Warning events (failing probes).
 */
import type { ContainerStatus, Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import type { WhyDeps } from '../api/routes/admin-why.js';
import { rfc3339 } from '../clock.js';
import { explainScheduling, type SchedulingExplanation } from './why-scheduling.js';

/** One container as the explanation shows it. */
export interface ContainerExplanation {
  name: string;
  kind: 'init' | 'regular';
  state: 'waiting' | 'running' | 'terminated' | 'unknown';
  ready: boolean;
  restartCount: number;
  reason?: string;
  message?: string;
  exitCode?: number;
  /** When a container in CrashLoopBackOff is started again. */
  nextRestartAt?: string;
}

/** The JSON answer of `GET /kubedojo/why/pods/{namespace}/{name}`. */
export interface PodExplanation {
  pod: { namespace: string; name: string };
  phase: string;
  node?: string;
  /** Unschedulable, Terminating, NodeNotReady, InitContainers, ImagePull, ImagePullBackOff, CrashLoopBackOff, ContainerCreating, NotReady, Running, Succeeded, Failed… */
  stage: string;
  summary: string;
  scheduling?: SchedulingExplanation;
  containers: ContainerExplanation[];
  hints: string[];
}

const GO_DURATION_RE = /back-off (?:(\d+)m)?(?:(\d+)s)? restarting/;

function container(s: ContainerStatus, kind: 'init' | 'regular'): ContainerExplanation {
  const out: ContainerExplanation = { name: s.name, kind, state: 'unknown', ready: s.ready, restartCount: s.restartCount };
  const { waiting, running, terminated } = s.state ?? {};
  if (waiting) Object.assign(out, { state: 'waiting', ...(waiting.reason ? { reason: waiting.reason } : {}), ...(waiting.message ? { message: waiting.message } : {}) });
  else if (running) out.state = 'running';
  else if (terminated) Object.assign(out, { state: 'terminated', reason: terminated.reason ?? '', exitCode: terminated.exitCode, ...(terminated.message ? { message: terminated.message } : {}) });
  const last = s.lastState?.terminated;
  const m = waiting?.reason === 'CrashLoopBackOff' ? GO_DURATION_RE.exec(waiting.message ?? '') : null;
  if (m && last?.finishedAt) {
    const backOffMs = (Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 1000;
    out.nextRestartAt = rfc3339(Date.parse(last.finishedAt) + backOffMs);
    out.exitCode = last.exitCode;
  }
  return out;
}

function nodeReady(deps: WhyDeps, name: string): string {
  const node = deps.client.get('nodes', { name }) as unknown as Node | undefined;
  if (!node) return 'Missing';
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
}

/** The newest Warning events of the pod (probe failures, mount errors), newest first. */
function warnings(deps: WhyDeps, pod: Readonly<KubeObject>): Array<{ reason: string; message: string }> {
  return deps.client.list('events', { namespace: pod.metadata.namespace ?? '' })
    .filter((e) => (e as { involvedObject?: { uid?: string } }).involvedObject?.uid === pod.metadata.uid && (e as { type?: string }).type === 'Warning')
    .map((e) => e as unknown as { reason: string; message: string; lastTimestamp?: string; eventTime?: string })
    .sort((a, b) => (b.lastTimestamp ?? b.eventTime ?? '').localeCompare(a.lastTimestamp ?? a.eventTime ?? ''))
    .map(({ reason, message }) => ({ reason, message }));
}

type Verdict = Pick<PodExplanation, 'stage' | 'summary' | 'hints'>;

/** The first container that is stuck, and what that means. */
function containerVerdict(c: ContainerExplanation, podName: string): Verdict | undefined {
  const who = `container ${c.name}${c.kind === 'init' ? ' (init)' : ''}`;
  switch (c.reason) {
    case 'ErrImagePull':
    case 'ImagePullBackOff':
      return { stage: c.reason === 'ErrImagePull' ? 'ImagePull' : 'ImagePullBackOff', summary: `${who} cannot pull its image: ${c.message ?? c.reason}`,
        hints: ['fix the image reference (`kubectl set image ...` or edit the workload); the kubelet retries with a back-off of 10s doubling to 5m', 'if an image fault was injected, `kd fault list` shows it'] };
    case 'InvalidImageName':
    case 'ErrImageNeverPull':
      return { stage: c.reason, summary: `${who}: ${c.message ?? c.reason}`, hints: ['fix the image reference or imagePullPolicy in the pod template'] };
    case 'CrashLoopBackOff':
      return { stage: 'CrashLoopBackOff', summary: `${who} keeps exiting (last exit code ${c.exitCode ?? '?'}, ${c.restartCount} restarts); next start at ${c.nextRestartAt ?? 'the end of the back-off'}`,
        hints: [`read why it exits: \`kubectl logs ${podName} -c ${c.name} --previous\``, 'fix its command, args, env or probes in the pod template; the back-off doubles from 10s to 5m per crash'] };
    case 'CreateContainerConfigError':
      return { stage: 'CreateContainerConfigError', summary: `${who} cannot be created: ${c.message ?? ''}`, hints: ['create the missing ConfigMap or Secret (or key), or fix the reference in the pod template'] };
    case 'ContainerCreating':
    case 'PodInitializing':
      return { stage: 'ContainerCreating', summary: `${who} is being created (sandbox, volumes, image pull)`, hints: ['wait: the kubelet moves it on by itself; `kubectl describe pod` shows the pull events'] };
    default:
      break;
  }
  if (c.state === 'terminated' && c.kind === 'init' && c.exitCode !== 0) {
    return { stage: 'InitContainers', summary: `${who} failed with exit code ${c.exitCode}`, hints: [`read its output: \`kubectl logs ${podName} -c ${c.name}\``] };
  }
  if (c.state === 'waiting') return { stage: 'Waiting', summary: `${who} is waiting${c.reason ? ` (${c.reason})` : ''}`, hints: [] };
  return undefined;
}

function scheduledVerdict(deps: WhyDeps, pod: Pod, obj: Readonly<KubeObject>, containers: ContainerExplanation[]): Verdict {
  const node = pod.spec?.nodeName ?? '';
  const name = pod.metadata?.name ?? '';
  const ready = nodeReady(deps, node);
  if (pod.metadata?.deletionTimestamp) {
    const stuck = ready !== 'True';
    return { stage: 'Terminating', summary: `the pod is being deleted (grace period ${pod.metadata.deletionGracePeriodSeconds ?? 30}s)${stuck ? ` but node ${node} is not Ready, so no kubelet confirms it` : ''}`,
      hints: stuck ? [`bring node ${node} back (\`kd fault kubelet start ${node}\`), or force it: \`kubectl delete pod ${name} --force --grace-period=0\``] : ['wait for the containers to stop'] };
  }
  const phase = pod.status?.phase ?? 'Pending';
  if (phase === 'Succeeded' || phase === 'Failed') return { stage: phase, summary: `the pod has finished (${phase})`, hints: [] };
  if (ready !== 'True') {
    return { stage: 'NodeNotReady', summary: `node ${node} is not Ready (Ready=${ready}): its kubelet does not move the pod`, hints: [`the node controller evicts the pod after its tolerationSeconds (default 300s) for the not-ready/unreachable taint`, `\`kd fault list\` shows whether the kubelet was stopped on purpose`] };
  }
  const order = [...containers.filter((c) => c.kind === 'init'), ...containers.filter((c) => c.kind === 'regular')];
  for (const c of order) {
    const v = containerVerdict(c, name);
    if (v) return v;
  }
  const notReady = containers.filter((c) => c.kind === 'regular' && !c.ready);
  if (notReady.length > 0) {
    const probe = warnings(deps, obj).find((w) => w.reason === 'Unhealthy');
    return { stage: 'NotReady', summary: `${notReady.map((c) => `container ${c.name}`).join(', ')} running but not ready${probe ? `: ${probe.message}` : ''}`,
      hints: ['fix the readiness probe (path, port, command) or the app it checks; until then the pod gets no Service traffic'] };
  }
  return { stage: 'Running', summary: `the pod is running on ${node} and ready`, hints: [] };
}

/** Explains one pod (the JSON of `kd why pod`). */
export function explainPod(deps: WhyDeps, obj: Readonly<KubeObject>): PodExplanation {
  const pod = obj as unknown as Pod;
  const containers = [
    ...(pod.status?.initContainerStatuses ?? []).map((s) => container(s, 'init')),
    ...(pod.status?.containerStatuses ?? []).map((s) => container(s, 'regular')),
  ];
  const base = { pod: { namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '' }, phase: pod.status?.phase ?? 'Pending', containers };
  if (!pod.spec?.nodeName) {
    const scheduling = explainScheduling(deps.client, pod);
    const summary = scheduling.message ?? (scheduling.nodes.some((n) => n.fits) ? 'not scheduled yet, but a node fits' : 'not scheduled');
    return { ...base, stage: 'Unschedulable', summary, scheduling, hints: scheduling.hints };
  }
  return { ...base, node: pod.spec.nodeName, ...scheduledVerdict(deps, pod, obj, containers) };
}
