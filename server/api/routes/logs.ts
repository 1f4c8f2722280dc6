/**
 * GET …/pods/NAME/log: container logs from the fake kubelets' log store. Which container and which
 * instance follow the apiserver (pkg/registry/core/pod/strategy.go LogLocation) and the kubelet
 * (pkg/kubelet/kubelet_pods.go validateContainerLogStatus); the query parameters are those of
 * PodLogOptions. With follow=true the response streams until the container stops or the client
 * goes away.
 */
import { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../clock.js';
import type { ContainerLogStore, LogReadOptions } from '../../kubelet/container-logs.js';
import { badRequest } from '../errors.js';

type Query = Record<string, string | string[] | undefined>;

/** What the log route needs: the pod as stored, the log store and the clock (sinceSeconds). */
export interface PodLogDeps {
  getPod(namespace: string, name: string): Pod;
  logs: ContainerLogStore;
  clock: Clock;
}

/** Parsed PodLogOptions. */
export interface PodLogQuery extends LogReadOptions {
  container?: string;
  previous: boolean;
  follow: boolean;
}

function one(q: Query, key: string): string | undefined {
  const v = q[key];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

function bool(q: Query, key: string): boolean {
  const v = one(q, key);
  return v === 'true' || v === '1';
}

function int(q: Query, key: string, min: number): number | undefined {
  const v = one(q, key);
  if (v === undefined || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`${key}: Invalid value: ${JSON.stringify(v)}: must be an integer`);
  const n = Number(v);
  if (n < min) throw badRequest(`${key}: Invalid value: ${n}: must be ${min === 0 ? 'greater than or equal to 0' : 'greater than 0'}`);
  return n;
}

/** Parses the pods/log query string (PodLogOptions validation messages). */
export function parseLogQuery(q: Query, now: number): PodLogQuery {
  const sinceSeconds = int(q, 'sinceSeconds', 1);
  const sinceTime = one(q, 'sinceTime');
  if (sinceSeconds !== undefined && sinceTime) throw badRequest('PodLogOptions.meta.k8s.io "" is invalid: sinceSeconds: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified');
  const out: PodLogQuery = { previous: bool(q, 'previous'), follow: bool(q, 'follow'), timestamps: bool(q, 'timestamps') };
  const container = one(q, 'container');
  if (container) out.container = container;
  const tailLines = int(q, 'tailLines', 0);
  if (tailLines !== undefined) out.tailLines = tailLines;
  const limitBytes = int(q, 'limitBytes', 1);
  if (limitBytes !== undefined) out.limitBytes = limitBytes;
  if (sinceSeconds !== undefined) out.sinceMs = now - sinceSeconds * 1000;
  if (sinceTime) {
    const ms = Date.parse(sinceTime);
    if (Number.isNaN(ms)) throw badRequest(`parsing time ${JSON.stringify(sinceTime)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(sinceTime)} as "2006"`);
    out.sinceMs = ms;
  }
  return out;
}

/** The container a request names; the only one when the pod has exactly one. */
function containerName(pod: Pod, requested: string | undefined): string {
  const name = pod.metadata?.name ?? '';
  const containers = pod.spec?.containers ?? [];
  const inits = pod.spec?.initContainers ?? [];
  if (!requested) {
    if (containers.length === 1) return containers[0]!.name;
    let msg = `a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`;
    if (inits.length > 0) msg += ` or one of the init containers: [${inits.map((c) => c.name).join(' ')}]`;
    throw badRequest(msg);
  }
  if (![...containers, ...inits].some((c) => c.name === requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

/**
 * The containerID whose log is served (validateContainerLogStatus).
 * @throws {StatusError} 400 with the kubelet's wording, e.g. `container "x" in pod "y" is waiting to start: ContainerCreating`
 */
export function logContainerID(pod: Pod, requested: string | undefined, previous: boolean): string {
  const podName = pod.metadata?.name ?? '';
  if (!pod.spec?.nodeName) throw badRequest(`pod ${podName} does not have a host assigned`);
  const name = containerName(pod, requested);
  const statuses: ContainerStatus[] = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const s = statuses.find((x) => x.name === name);
  if (!s) throw badRequest(`container "${name}" in pod "${podName}" is waiting to start: ContainerCreating`);
  const last = s.lastState?.terminated;
  const { running, terminated, waiting } = s.state ?? {};
  if (previous) {
    if (!last?.containerID) throw badRequest(`previous terminated container "${name}" in pod "${podName}" not found`);
    return last.containerID;
  }
  if (running) return s.containerID ?? '';
  if (terminated) {
    const id = terminated.containerID || last?.containerID;
    if (!id) throw badRequest(`container "${name}" in pod "${podName}" is terminated`);
    return id;
  }
  if (last?.containerID) return last.containerID;
  if (waiting?.reason === 'ErrImagePull') throw badRequest(`container "${name}" in pod "${podName}" is waiting to start: image can't be pulled`);
  if (waiting?.reason === 'ImagePullBackOff') throw badRequest(`container "${name}" in pod "${podName}" is waiting to start: trying and failing to pull image`);
  if (waiting) throw badRequest(`container "${name}" in pod "${podName}" is waiting to start: ${waiting.reason ?? ''}`);
  throw badRequest(`container "${name}" in pod "${podName}" is waiting to start - no logs yet`);
}

/** Serves one pods/log request. */
export async function podLogs(deps: PodLogDeps, target: { namespace: string; name: string }, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const pod = deps.getPod(target.namespace, target.name);
  const q = parseLogQuery(req.query as Query, deps.clock.now());
  const id = logContainerID(pod, q.container, q.previous);
  const text = deps.logs.read(id, q);
  reply.code(200).type('text/plain');
  if (!q.follow || q.previous) return reply.send(text);
  const stream = new PassThrough();
  let budget = q.limitBytes ?? Infinity;
  let unfollow = (): void => {};
  const stop = (): void => {
    unfollow();
    stream.end();
  };
  const write = (chunk: string): void => {
    if (budget <= 0) return;
    const buf = Buffer.from(chunk, 'utf8');
    stream.write(buf.length <= budget ? buf : buf.subarray(0, budget));
    budget -= Math.min(budget, buf.length);
    if (budget <= 0) stop();
  };
  if (text) write(text);
  if (budget > 0) unfollow = deps.logs.follow(id, { timestamps: q.timestamps ?? false }, (chunk) => (chunk === undefined ? stop() : write(chunk)));
  req.raw.once('close', stop);
  return reply.send(stream);
}
