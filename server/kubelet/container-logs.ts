/**
 * The container log files of every fake kubelet: one log per container instance (containerID),
 * each line stamped with the virtual time it was written, as the CRI log files under
 * /var/log/pods are. The kubelets write; the pods/log route reads and follows.
 *
 * Reading semantics follow kubernetes pkg/kubelet/kuberuntime/logs/logs.go (ReadLogs): sinceTime
 * filters first, then tailLines, then limitBytes cuts the output.
 */
import { internString } from '../generation-map.js';
import type { Stream } from './shell.js';

/** One line a container wrote. */
export interface ContainerLogLine {
  at: number;
  stream: Stream;
  text: string;
}

/** Options of one read, as the pods/log query gives them. */
export interface LogReadOptions {
  /** Only lines written at or after this time (ms). */
  sinceMs?: number;
  tailLines?: number;
  timestamps?: boolean;
  limitBytes?: number;
}

/** Memory bound per container instance; older lines are dropped first (the kubelet rotates at 10Mi). */
export const MAX_LOG_BYTES_PER_INSTANCE = 64 * 1024;

type Listener = (chunk: string | undefined) => void;

/**
 * One instance's lines as parallel arrays: the times unboxed in one array of doubles, rather than
 * an object and a boxed number per line (ten thousand nginx replicas keep a dozen lines each).
 */
interface LogInstance {
  ats: number[];
  streams: Stream[];
  texts: string[];
  bytes: number;
  closed: boolean;
  /** Followers; most logs never have one. */
  listeners: Set<{ fn: Listener; opts: LogReadOptions }> | undefined;
}

function newInstance(closed = false): LogInstance {
  return { ats: [], streams: [], texts: [], bytes: 0, closed, listeners: undefined };
}

function push(log: LogInstance, line: ContainerLogLine): void {
  log.ats.push(line.at);
  log.streams.push(line.stream);
  log.texts.push(internString(line.text));
  log.bytes += line.text.length + 1;
}

function linesOf(log: LogInstance): ContainerLogLine[] {
  return log.texts.map((text, i) => ({ at: log.ats[i]!, stream: log.streams[i]!, text }));
}

/**
 * Formats a virtual time as Go's time.RFC3339Nano, which trims trailing zeros of the fraction.
 * @example rfc3339Nano(Date.UTC(2026, 0, 1, 0, 0, 0, 40)) // '2026-01-01T00:00:00.04Z'
 */
export function rfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.replace(/\.(\d{3})Z$/, (_m, frac: string) => {
    const trimmed = frac.replace(/0+$/, '');
    return trimmed ? `.${trimmed}Z` : 'Z';
  });
}

function formatLine(line: ContainerLogLine, timestamps: boolean | undefined): string {
  return timestamps ? `${rfc3339Nano(line.at)} ${line.text}\n` : `${line.text}\n`;
}

/** All container logs of the cluster, keyed by container ID. */
export class ContainerLogStore {
  private readonly instances = new Map<string, LogInstance>();

  /** Opens the log of a new container instance (a restart gets a new containerID). */
  open(containerID: string): void {
    if (!this.instances.has(containerID)) this.instances.set(containerID, newInstance());
  }

  /** Appends lines to an open log and hands them to followers. */
  append(containerID: string, lines: readonly ContainerLogLine[]): void {
    const log = this.instances.get(containerID);
    if (!log || lines.length === 0) return;
    for (const line of lines) push(log, line);
    let drop = 0;
    while (log.bytes > MAX_LOG_BYTES_PER_INSTANCE && drop < log.texts.length - 1) log.bytes -= log.texts[drop++]!.length + 1;
    if (drop > 0) {
      log.ats.splice(0, drop);
      log.streams.splice(0, drop);
      log.texts.splice(0, drop);
    }
    for (const l of log.listeners ?? []) l.fn(lines.map((line) => formatLine(line, l.opts.timestamps)).join(''));
  }

  /** Marks the instance as ended (container exited): followers get end of stream. */
  close(containerID: string): void {
    const log = this.instances.get(containerID);
    if (!log || log.closed) return;
    log.closed = true;
    for (const l of log.listeners ?? []) l.fn(undefined);
    log.listeners = undefined;
  }

  /** Forgets an instance (container removed). */
  remove(containerID: string): void {
    this.close(containerID);
    this.instances.delete(containerID);
  }

  /** Ends every follower and forgets every log (the cluster was reset). */
  clear(): void {
    for (const id of [...this.instances.keys()]) this.remove(id);
  }

  /** Every log with its lines, for a snapshot (`kd snapshot save`). */
  exportLogs(): Array<{ containerID: string; closed: boolean; lines: ContainerLogLine[] }> {
    return [...this.instances].map(([containerID, log]) => ({ containerID, closed: log.closed, lines: linesOf(log) }));
  }

  /** Replaces every log with a snapshot's (`kd snapshot restore`); followers of the old ones end. */
  importLogs(logs: ReadonlyArray<{ containerID: string; closed: boolean; lines: readonly ContainerLogLine[] }>): void {
    this.clear();
    for (const l of logs) {
      const log = newInstance(l.closed);
      for (const line of l.lines) push(log, line);
      this.instances.set(l.containerID, log);
    }
  }

  /** True when a log exists for the containerID. */
  has(containerID: string): boolean {
    return this.instances.has(containerID);
  }

  /** The lines of one instance. */
  lines(containerID: string): readonly ContainerLogLine[] {
    const log = this.instances.get(containerID);
    return log ? linesOf(log) : [];
  }

  /**
   * Reads a log as the kubelet serves it: since filter, then tail, then the byte limit.
   * @example store.read(id, { tailLines: 2, timestamps: true }) // '2026-01-01T00:00:01Z b\n2026-01-01T00:00:02Z c\n'
   */
  read(containerID: string, opts: LogReadOptions = {}): string {
    let lines = this.lines(containerID);
    if (opts.sinceMs !== undefined) lines = lines.filter((l) => l.at >= opts.sinceMs!);
    if (opts.tailLines !== undefined) lines = opts.tailLines <= 0 ? [] : lines.slice(-opts.tailLines);
    const text = lines.map((l) => formatLine(l, opts.timestamps)).join('');
    return opts.limitBytes !== undefined ? cutBytes(text, opts.limitBytes) : text;
  }

  /**
   * Follows an instance: fn gets each new chunk, then undefined at end of stream (at once when the
   * instance is already closed or unknown). Returns the unsubscribe function.
   */
  follow(containerID: string, opts: LogReadOptions, fn: Listener): () => void {
    const log = this.instances.get(containerID);
    if (!log || log.closed) {
      fn(undefined);
      return () => {};
    }
    const entry = { fn, opts };
    (log.listeners ??= new Set()).add(entry);
    return () => void log.listeners?.delete(entry);
  }
}

function cutBytes(text: string, limit: number): string {
  const buf = Buffer.from(text, 'utf8');
  return buf.length <= limit ? text : buf.subarray(0, Math.max(0, limit)).toString('utf8');
}
