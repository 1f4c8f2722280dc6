/**
 * pods/exec and pods/attach. The apiserver part (pkg/registry/core/pod/rest/subresources.go and
 * strategy.go streamLocation) validates the pod and the container before any upgrade, so its errors
 * are plain HTTP Status answers; the kubelet part runs after the WebSocket upgrade and reports on the
 * status channel, as the apiserver's stream translator does since v1.30
 * (staging/src/k8s.io/apiserver/pkg/util/proxy/streamtranslator.go). Only `v5.channel.k8s.io` over
 * WebSocket is spoken; kubectl's SPDY fallback gets the same validation answers.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ResourceTable } from '../../../schemas/index.js';
import type { Clock } from '../../clock.js';
import type { ContainerLogStore } from '../../kubelet/container-logs.js';
import type { ContainerRegistry } from '../../kubelet/container-registry.js';
import type { RuntimeContainer } from '../../kubelet/container-runtime.js';
import type { Registry } from '../../registry/rest.js';
import { AttachSession } from '../../exec/attach-session.js';
import { ExecSession, type ExecOptions, type SessionSink } from '../../exec/exec-session.js';
import { CHANNEL_ERROR, CHANNEL_STDERR, CHANNEL_STDOUT, STREAM_PROTOCOL_V5, decodeClientFrame, frame, internalErrorStatus, type StreamStatus } from '../../exec/protocol.js';
import { StatusError, badRequest } from '../errors.js';

/** What the stream routes read: pods through the registry, running containers, logs (attach). */
export interface PodStreamDeps {
  registry: Registry;
  table: ResourceTable;
  clock: Clock;
  containers: ContainerRegistry;
  logs: ContainerLogStore;
  /** When set, the upgrade request must carry `Authorization: Bearer <token>`. */
  token?: string;
}

/** A validated exec/attach request. */
export interface StreamRequest {
  kind: 'exec' | 'attach';
  pod: Pod;
  container: string;
  options: ExecOptions;
}

const STREAM_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach)$/;

const truthy = (v: string | null): boolean => v === 'true' || v === '1';

/** The container a request addresses (streamLocation): the only one, or a named one of the pod. */
function containerOf(pod: Pod, requested: string): string {
  const name = pod.metadata?.name ?? '';
  const containers = pod.spec?.containers ?? [];
  const inits = pod.spec?.initContainers ?? [];
  const ephemeral = pod.spec?.ephemeralContainers ?? [];
  if (!requested) {
    if (containers.length === 1) return containers[0]!.name;
    let msg = `a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`;
    if (inits.length > 0) msg += ` or one of the init containers: [${inits.map((c) => c.name).join(' ')}]`;
    if (ephemeral.length > 0) msg += ` or one of the ephemeral containers: [${ephemeral.map((c) => c.name).join(' ')}]`;
    throw badRequest(msg);
  }
  if (![...containers, ...inits, ...ephemeral].some((c) => c.name === requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

/**
 * Validates an exec or attach URL as the apiserver does before connecting to the kubelet.
 * @throws {StatusError} 404 for a missing pod, 400 for a bad container, options or an unscheduled pod
 */
export function validateStreamRequest(deps: Pick<PodStreamDeps, 'registry' | 'table'>, url: string): StreamRequest {
  const u = new URL(url, 'http://localhost');
  const m = STREAM_PATH.exec(u.pathname);
  if (!m) throw badRequest('Upgrade request required');
  const [, namespace, name, kind] = m as unknown as [string, string, string, 'exec' | 'attach'];
  const info = deps.table.lookup('', 'v1', 'pods')!;
  const pod = deps.registry.get({ info, namespace: decodeURIComponent(namespace), name: decodeURIComponent(name) }).object as Pod;
  const q = u.searchParams;
  const options: ExecOptions = { command: q.getAll('command'), stdin: truthy(q.get('stdin')), stdout: truthy(q.get('stdout')), stderr: truthy(q.get('stderr')), tty: truthy(q.get('tty')) };
  if (kind === 'exec' && options.command.length === 0) throw badRequest('you must specify at least one command for the container');
  if (!options.stdin && !options.stdout && !options.stderr) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  const container = containerOf(pod, q.get('container') ?? '');
  if (!pod.spec?.nodeName) throw badRequest(`pod ${pod.metadata?.name ?? ''} does not have a host assigned`);
  return { kind, pod, container, options };
}

/** Answers a request on the raw socket with a Status, as the apiserver answers a failed upgrade. */
function reject(socket: Duplex, err: StatusError): void {
  const body = JSON.stringify(err.toStatus());
  socket.end(`HTTP/1.1 ${err.code} ${STATUS_CODES[err.code] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/**
 * Registers the WebSocket upgrade handling of pods/exec and pods/attach on the app's server.
 * @example registerPodStreams(app, { registry, table, clock, containers, logs, token })
 */
export function registerPodStreams(app: FastifyInstance, deps: PodStreamDeps): void {
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has(STREAM_PROTOCOL_V5) ? STREAM_PROTOCOL_V5 : false) });
  const open = new Set<WebSocket>();
  app.addHook('preClose', async () => {
    for (const ws of open) ws.terminate();
  });
  app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!STREAM_PATH.test((req.url ?? '').split('?')[0]!)) {
      // Other upgrades (port-forward) are not served; answer unless someone else listens.
      if (app.server.listenerCount('upgrade') === 1) reject(socket, badRequest('Upgrade request required'));
      return;
    }
    let request: StreamRequest;
    try {
      if (deps.token && req.headers.authorization !== `Bearer ${deps.token}`) throw new StatusError(401, 'Unauthorized', 'Unauthorized');
      request = validateStreamRequest(deps, req.url ?? '');
      const websocket = (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
      if (!websocket) throw badRequest('unable to upgrade connection: only WebSocket (v5.channel.k8s.io) streams are served, not SPDY');
    } catch (e) {
      return reject(socket, e instanceof StatusError ? e : badRequest(String(e)));
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      open.add(ws);
      ws.once('close', () => open.delete(ws));
      serveStream(deps, request, ws);
    });
  });
}

/** Frames session output onto the WebSocket; the status frame is the last message. */
function wsSink(ws: WebSocket): SessionSink {
  const send = (channel: number, text: string): void => {
    if (ws.readyState === ws.OPEN && text) ws.send(frame(channel, text));
  };
  return {
    stdout: (t) => send(CHANNEL_STDOUT, t),
    stderr: (t) => send(CHANNEL_STDERR, t),
    finish: (status: StreamStatus) => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(frame(CHANNEL_ERROR, JSON.stringify(status)));
      ws.close(1000);
    },
  };
}

/** Why the kubelet cannot reach the container, or undefined when it runs. */
function unreachable(c: RuntimeContainer | undefined, name: string): string | undefined {
  if (c && c.state === 'running' && c.program) return undefined;
  if (c?.containerID && (c.terminated || c.lastTerminated)) {
    const id = c.containerID.replace(/^containerd:\/\//, '');
    return `Internal error occurred: error executing command in container: failed to exec in container: failed to create exec "${id}": cannot exec in a stopped state: unknown`;
  }
  return `unable to upgrade connection: container not found ("${name}")`;
}

function serveStream(deps: PodStreamDeps, request: StreamRequest, ws: WebSocket): void {
  const sink = wsSink(ws);
  const c = deps.containers.get(request.pod.metadata?.uid ?? '', request.container);
  const why = unreachable(c, request.container);
  if (why || !c) return sink.finish(internalErrorStatus(why ?? ''));
  const uid = request.pod.metadata?.uid ?? '';
  const session = request.kind === 'exec'
    ? new ExecSession({ program: c.program!, containerID: c.containerID ?? '' }, request.options, deps.clock, sink)
    : new AttachSession({
      logs: deps.logs, containerID: c.containerID ?? '', program: c.program!, stdin: c.spec.stdin === true, stdinOnce: c.spec.stdinOnce === true,
      clock: deps.clock, sync: () => deps.containers.sync(uid),
    }, request.options, sink);
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) return;
    const f = decodeClientFrame(data);
    if (f.kind === 'stdin') session.input(f.data);
    else if (f.kind === 'close' && f.channel === 0) session.closeStdin();
  });
  // An exec'd process dies with its container; the log's end of stream marks the container's exit.
  const unfollow = session instanceof ExecSession && deps.logs.has(c.containerID ?? '') ? deps.logs.follow(c.containerID ?? '', {}, (chunk) => chunk === undefined && session.kill()) : undefined;
  ws.once('close', () => {
    unfollow?.();
    session.abort();
  });
  session.start();
}

/**
 * An exec or attach request without an upgrade (through Fastify): the apiserver validates, then
 * refuses to stream.
 * @throws {StatusError} the validation error, else 400 `Upgrade request required`
 */
export function podStreamWithoutUpgrade(deps: Pick<PodStreamDeps, 'registry' | 'table'>, url: string): never {
  validateStreamRequest(deps, url);
  throw badRequest('Upgrade request required');
}
