/**
 * The work of `kd logs` (kubectl pkg/cmd/logs/logs.go, polymorphichelpers/logsforobject.go): find
 * the object, turn it into one log request per pod container, then copy the streams to stdout,
 * one after another, or all at once with `-f` and several streams.
 */
import { badFlag, logsUsage, type LogsFlags } from '../commands/logs.js';
import type { KubeClient } from '../kube/client.js';
import type { Connection } from '../kube/connect.js';
import { parseGoDuration } from './duration.js';
import { findContainer, firstPodOf, objectFor } from './pods.js';

const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';
/** kubectl reads the last 10 lines of each pod when a selector picks them, unless --tail is given. */
const SELECTOR_TAIL = 10;

/** One log stream to read: the pod, its container and the query. */
interface LogRequest {
  namespace: string;
  pod: string;
  container: string;
}

function parseIntFlag(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^[+-]?\d+$/.test(value)) throw badFlag(flag, value, `strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
  return Number(value);
}

/** kubectl's query of a log request. */
function logQuery(flags: LogsFlags, container: string, selector: boolean): string {
  const q = new URLSearchParams({ container });
  if (flags.follow) q.set('follow', 'true');
  const limit = parseIntFlag('limit-bytes', flags.limitBytes, 0);
  if (limit !== 0) q.set('limitBytes', String(limit));
  if (flags.previous) q.set('previous', 'true');
  if (flags.since !== undefined) {
    const secs = Math.round(parseGoDuration(flags.since) / 1000);
    if (secs !== 0) q.set('sinceSeconds', String(secs));
  }
  if (flags.sinceTime !== undefined) q.set('sinceTime', new Date(Date.parse(flags.sinceTime)).toISOString().replace(/\.\d+Z$/, 'Z'));
  const tail = parseIntFlag('tail', flags.tail, -1);
  if (selector && flags.tail === undefined) q.set('tailLines', String(SELECTOR_TAIL));
  else if (tail !== -1) q.set('tailLines', String(tail));
  if (flags.timestamps) q.set('timestamps', 'true');
  return q.toString();
}

/** Go's time.Parse(RFC3339) failure text, for the common case of a value that is no time at all. */
function checkSinceTime(value: string | undefined): void {
  if (value === undefined) return;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value))) return;
  throw new Error(`parsing time ${JSON.stringify(value)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(value)} as "2006"`);
}

/** kubectl's Validate(). */
function validate(args: string[], flags: LogsFlags): void {
  if (flags.sinceTime !== undefined && flags.since !== undefined && parseGoDuration(flags.since) !== 0) {
    throw new Error('at most one of `sinceTime` or `sinceSeconds` may be specified');
  }
  const container = flags.container ?? args[1];
  if (flags.allContainers && container) throw new Error(`--all-containers=true should not be specified with container name ${container}`);
  if (flags.container !== undefined && args.length === 2) throw new Error('only one of -c or an inline [CONTAINER] arg is allowed');
  if (parseIntFlag('limit-bytes', flags.limitBytes, 0) < 0) throw new Error('--limit-bytes must be greater than 0');
  if (flags.since !== undefined && parseGoDuration(flags.since) < 0) throw new Error('--since must be greater than 0');
  if (parseIntFlag('tail', flags.tail, -1) < -1) throw new Error('--tail must be greater than or equal to -1');
}

/** The requests for one pod (logsForObjectWithClient's pod case). */
function podRequests(pod: any, container: string | undefined, all: boolean): LogRequest[] {
  const base = { namespace: pod.metadata.namespace, pod: pod.metadata.name };
  if (all) {
    const spec = pod.spec ?? {};
    return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])].map((c: any) => ({ ...base, container: c.name }));
  }
  let name = container ?? '';
  const annotated = pod.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (!name && annotated) {
    if (findContainer(pod, annotated)) name = annotated;
    else process.stderr.write(`Default container name ${JSON.stringify(annotated)} not found in pod ${pod.metadata.name}\n`);
  }
  if (!name) {
    const spec = pod.spec ?? {};
    name = spec.containers[0].name;
    if (spec.containers.length > 1 || spec.initContainers?.length || spec.ephemeralContainers?.length) {
      process.stderr.write(`Defaulted container ${JSON.stringify(name)} out of: ${allContainerNames(pod)}\n`);
    }
  }
  if (!findContainer(pod, name)) throw new Error(`container ${name} is not valid for pod ${pod.metadata.name}`);
  return [{ ...base, container: name }];
}

/** podcmd.AllContainerNames. */
export function allContainerNames(pod: any): string {
  const spec = pod.spec ?? {};
  return [
    ...(spec.containers ?? []).map((c: any) => c.name),
    ...(spec.initContainers ?? []).map((c: any) => `${c.name} (init)`),
    ...(spec.ephemeralContainers ?? []).map((c: any) => `${c.name} (ephem)`),
  ].join(', ');
}

/** Runs `kd logs`. */
export async function runLogs(args: string[], flags: LogsFlags): Promise<void> {
  if (args.length === 0 && !flags.selector) throw logsUsage();
  if (args.length === 1 && flags.selector) throw logsUsage('only a selector (-l) or a POD name is allowed');
  if (args.length > 2) throw logsUsage();
  if (flags.since !== undefined) {
    try {
      parseGoDuration(flags.since);
    } catch (err) {
      throw badFlag('since', flags.since, (err as Error).message);
    }
  }
  const { connect } = await import('../kube/connect.js');
  const conn = await connect(flags);
  try {
    checkSinceTime(flags.sinceTime);
    const target = await objectOf(conn, args, flags);
    validate(args, flags);
    const requests = await requestsFor(conn, target, flags.container ?? args[1], !!flags.allContainers);
    await consume(conn.client, requests, flags, !!flags.selector);
  } finally {
    await conn.client.close();
  }
}

type Target = { pods: any[] } | { obj: any; resource: import('../kube/discovery.js').ApiResource };

/** Complete's builder: the pods a selector matches, or the named object. */
async function objectOf(conn: Connection, args: string[], flags: LogsFlags): Promise<Target> {
  if (flags.selector) {
    const { listPods } = await import('./pods.js');
    const pods = await listPods(conn, conn.namespace, flags.selector);
    if (pods.length === 0) process.stderr.write(`No resources found in ${conn.namespace} namespace.\n`);
    return { pods };
  }
  return objectFor(conn, args[0]!);
}

/** LogsForObject: the requests of the pods, or of the first pod of a workload. */
async function requestsFor(conn: Connection, target: Target, container: string | undefined, all: boolean): Promise<LogRequest[]> {
  if ('pods' in target) return target.pods.flatMap((p) => podRequests(p, container, all));
  const { obj, resource } = target;
  const pod = resource.kind === 'Pod' && resource.group === '' ? obj : await firstPodOf(conn, obj, resource, 'logs');
  return podRequests(pod, container, all);
}

async function consume(client: KubeClient, requests: LogRequest[], flags: LogsFlags, selector: boolean): Promise<void> {
  const open = (r: LogRequest) =>
    client.stream(`/api/v1/namespaces/${encodeURIComponent(r.namespace)}/pods/${encodeURIComponent(r.pod)}/log?${logQuery(flags, r.container, selector)}`, 'application/json, */*');
  const prefix = (r: LogRequest) => (flags.prefix ? `[pod/${r.pod}/${r.container}] ` : '');
  const max = Number(flags.maxLogRequests);
  if (flags.follow && requests.length > 1) {
    if (requests.length > max) {
      throw new Error(`you are attempting to follow ${requests.length} log streams, but maximum allowed concurrency is ${max}, use --max-log-requests to increase the limit`);
    }
    const results = await Promise.allSettled(requests.map(async (r) => copyLines(await open(r), prefix(r))));
    const failed = results.find((x): x is PromiseRejectedResult => x.status === 'rejected');
    if (failed && !flags.ignoreErrors) throw failed.reason;
    return;
  }
  for (const r of requests) {
    try {
      await copyLines(await open(r), prefix(r));
    } catch (err) {
      if (!flags.ignoreErrors) throw err;
      const { messageForError } = await import('../kube/errors.js');
      process.stdout.write(`error: ${messageForError(err)}\n`);
    }
  }
}

/** Copies a stream to stdout line by line, each line with the prefix (DefaultConsumeRequest). */
async function copyLines(stream: AsyncIterable<Buffer | string>, prefix: string): Promise<void> {
  let rest = Buffer.alloc(0);
  for await (const chunk of stream) {
    const buf = Buffer.concat([rest, typeof chunk === 'string' ? Buffer.from(chunk) : chunk]);
    const end = buf.lastIndexOf(0x0a) + 1;
    if (end > 0) await write(prefix ? prefixLines(buf.subarray(0, end), prefix) : buf.subarray(0, end));
    rest = buf.subarray(end);
  }
  if (rest.length > 0) await write(prefix ? Buffer.concat([Buffer.from(prefix), rest]) : rest);
}

function prefixLines(buf: Buffer, prefix: string): Buffer {
  const parts: Buffer[] = [];
  const p = Buffer.from(prefix);
  let start = 0;
  for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, start)) {
    parts.push(p, buf.subarray(start, i + 1));
    start = i + 1;
  }
  return Buffer.concat(parts);
}

function write(buf: Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(buf)) resolve();
    else process.stdout.once('drain', resolve);
  });
}
