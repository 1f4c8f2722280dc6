/**
 * Container probes of the fake kubelet: exec runs in the container's program, httpGet and
 * tcpSocket connect to the simulated server. Texts follow kubernetes pkg/probe/http/http.go,
 * pkg/probe/tcp/tcp.go and pkg/kubelet/prober/prober.go; the threshold logic follows
 * pkg/kubelet/prober/worker.go (doProbe).
 */
import type { Container, Probe } from 'kubernetes-types/core/v1.js';
import type { Program } from './programs.js';

/** Which probe. */
export type ProbeType = 'startup' | 'liveness' | 'readiness';

/** Outcome of one probe run. */
export interface ProbeOutcome {
  ok: boolean;
  output: string;
}

/** Consecutive-result bookkeeping of one probe of one container instance. */
export interface ProbeState {
  type: ProbeType;
  probe: Probe;
  /** Next run (virtual ms). */
  nextAt: number;
  /**
   * The current result. As upstream's prober: liveness starts successful, readiness failed, and
   * startup unknown (undefined), so its first success marks the container started.
   */
  passing: boolean | undefined;
  successes: number;
  failures: number;
}

const DEFAULT_PERIOD_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 1_000;
const DEFAULT_FAILURE_THRESHOLD = 3;
const DEFAULT_SUCCESS_THRESHOLD = 1;

/** Probe label as events print it (`Liveness probe failed: …`). */
export function probeLabel(type: ProbeType): string {
  return type === 'startup' ? 'Startup' : type === 'liveness' ? 'Liveness' : 'Readiness';
}

/** A fresh probe state for a container started at `startedAt` (first run after initialDelaySeconds). */
export function newProbeState(type: ProbeType, probe: Probe, startedAt: number): ProbeState {
  const passing = type === 'liveness' ? true : type === 'readiness' ? false : undefined;
  return { type, probe, nextAt: startedAt + (probe.initialDelaySeconds ?? 0) * 1000, passing, successes: 0, failures: 0 };
}

/** Period of a probe in ms. */
export function probePeriodMs(probe: Probe): number {
  return (probe.periodSeconds ?? DEFAULT_PERIOD_MS / 1000) * 1000;
}

/**
 * Records one result; returns true when the probe's passing state flipped. Thresholds as upstream:
 * failureThreshold consecutive failures flip to failing, successThreshold successes to passing.
 */
export function recordProbeResult(state: ProbeState, ok: boolean): boolean {
  if (ok) {
    state.failures = 0;
    state.successes++;
    if (state.passing !== true && state.successes >= (state.probe.successThreshold ?? DEFAULT_SUCCESS_THRESHOLD)) return (state.passing = true);
    return false;
  }
  state.successes = 0;
  state.failures++;
  if (state.passing !== false && state.failures >= (state.probe.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD)) {
    state.passing = false;
    return true;
  }
  return false;
}

/** What a probe needs to know about the container. */
export interface ProbeTarget {
  container: Container;
  program: Program;
  podIP: string;
  now: number;
}

/** Runs a probe once against the simulated container. */
export function runProbe(probe: Probe, target: ProbeTarget): ProbeOutcome {
  const timeoutMs = (probe.timeoutSeconds ?? DEFAULT_TIMEOUT_MS / 1000) * 1000;
  if (probe.exec) {
    const command = probe.exec.command ?? [];
    const r = target.program.exec(command, { now: target.now, timeoutMs });
    if (r.timedOut) return { ok: false, output: `command ${JSON.stringify(command.join(' '))} timed out` };
    return { ok: r.exitCode === 0, output: r.stdout + r.stderr };
  }
  if (probe.httpGet) {
    const host = probe.httpGet.host || target.podIP;
    const port = resolvePort(probe.httpGet.port, target.container);
    const path = probe.httpGet.path || '/';
    const scheme = (probe.httpGet.scheme ?? 'HTTP').toLowerCase();
    const url = `${scheme}://${host}:${port}${path.startsWith('/') ? path : `/${path}`}`;
    if (!isListening(target, port)) return { ok: false, output: `Get "${url}": dial tcp ${host}:${port}: connect: connection refused` };
    const code = httpStatus(target.program, path);
    if (code === undefined) return { ok: false, output: `Get "${url}": net/http: HTTP/1.x transport connection broken: malformed HTTP response` };
    return code >= 200 && code < 400 ? { ok: true, output: '' } : { ok: false, output: `HTTP probe failed with statuscode: ${code}` };
  }
  if (probe.tcpSocket) {
    const host = probe.tcpSocket.host || target.podIP;
    const port = resolvePort(probe.tcpSocket.port, target.container);
    if (!isListening(target, port)) return { ok: false, output: `dial tcp ${host}:${port}: connect: connection refused` };
    return { ok: true, output: '' };
  }
  if (probe.grpc) {
    const port = probe.grpc.port;
    if (!isListening(target, port)) return { ok: false, output: `timeout: failed to connect service "${target.podIP}:${port}" within 1s: context deadline exceeded` };
    return { ok: true, output: '' };
  }
  return { ok: true, output: '' };
}

/** A named port resolves through the container's ports; a number is used as is. */
function resolvePort(port: number | string | undefined, container: Container): number {
  if (typeof port === 'number') return port;
  const named = (container.ports ?? []).find((p) => p.name === port);
  return named ? named.containerPort : Number(port);
}

function isListening(target: ProbeTarget, port: number): boolean {
  const server = target.program.server;
  return !target.program.exit && !!server && server.ports.includes(port) && target.now >= server.listeningAt;
}

/** Web servers serve `/` and their health paths and 404 elsewhere; echo servers answer anything. */
function httpStatus(program: Program, path: string): number | undefined {
  const server = program.server;
  if (!server?.http) return undefined;
  if (server.name === 'agnhost' || server.name === 'echo-server') return 200;
  const clean = path.split('?')[0]!;
  return clean === '/' || clean === '/index.html' || server.paths?.includes(clean) ? 200 : 404;
}
