// The scheduling queue: activeQ (priority, then arrival), backoffQ and the unschedulable pods that
// wait for a cluster event. Port of kubernetes pkg/scheduler/backend/queue/scheduling_queue.go
// (PriorityQueue: Add, Update, Delete, Pop, AddUnschedulableIfNotPresent,
// MoveAllToActiveOrBackoffQueue, flushBackoffQCompleted, flushUnschedulablePodsLeftover).
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../clock.js';

/** Backoff after the first failed attempt (podInitialBackoffSeconds = 1). */
export const POD_INITIAL_BACKOFF_MS = 1_000;
/** Backoff cap (podMaxBackoffSeconds = 10). */
export const POD_MAX_BACKOFF_MS = 10_000;
/** An unschedulable pod is retried after this long even without an event (podMaxInUnschedulablePodsDuration). */
export const POD_MAX_IN_UNSCHEDULABLE_PODS_MS = 5 * 60_000;
/** How often unschedulable pods are checked against POD_MAX_IN_UNSCHEDULABLE_PODS_MS. */
export const UNSCHEDULABLE_FLUSH_INTERVAL_MS = 30_000;

/** A pod in the queue with its scheduling history. */
export interface QueuedPodInfo {
  pod: Pod;
  key: string;
  /** When it last entered the queue or last failed; backoff counts from here. */
  timestampMs: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** Plugins that rejected it in the last attempt; empty means "retry on any event". */
  unschedulablePlugins: Set<string>;
  seq: number;
}

/** Decides whether an event may make a parked pod schedulable (the queueing hints). */
export type RequeueCheck = (info: QueuedPodInfo) => boolean;

function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

function priorityOf(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

/** PrioritySort's Less: higher priority first, then earlier timestamp, then arrival order. */
function less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  const pa = priorityOf(a.pod);
  const pb = priorityOf(b.pod);
  if (pa !== pb) return pa > pb;
  if (a.timestampMs !== b.timestampMs) return a.timestampMs < b.timestampMs;
  return a.seq < b.seq;
}

/** A binary heap of queued pods with removal by key. */
class Heap {
  private items: QueuedPodInfo[] = [];
  private readonly index = new Map<string, QueuedPodInfo>();

  get size(): number {
    return this.index.size;
  }
  has(key: string): boolean {
    return this.index.has(key);
  }
  get(key: string): QueuedPodInfo | undefined {
    return this.index.get(key);
  }
  push(info: QueuedPodInfo): void {
    this.index.set(info.key, info);
    this.items.push(info);
    this.up(this.items.length - 1);
  }
  pop(): QueuedPodInfo | undefined {
    const top = this.items[0];
    if (!top) return undefined;
    const last = this.items.pop()!;
    if (this.items.length > 0) {
      this.items[0] = last;
      this.down(0);
    }
    this.index.delete(top.key);
    return top;
  }
  delete(key: string): QueuedPodInfo | undefined {
    const info = this.index.get(key);
    if (!info) return undefined;
    this.index.delete(key);
    this.items = this.items.filter((i) => i !== info);
    // Rebuilding is O(n); deletes of queued pods are rare next to pushes and pops.
    for (let i = Math.floor(this.items.length / 2); i >= 0; i--) this.down(i);
    return info;
  }
  private up(i: number): void {
    const it = this.items;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(it[i]!, it[parent]!)) break;
      [it[i], it[parent]] = [it[parent]!, it[i]!];
      i = parent;
    }
  }
  private down(i: number): void {
    const it = this.items;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < it.length && less(it[l]!, it[m]!)) m = l;
      if (r < it.length && less(it[r]!, it[m]!)) m = r;
      if (m === i) return;
      [it[i], it[m]] = [it[m]!, it[i]!];
      i = m;
    }
  }
}

/** The per-attempt backoff: 1 s doubling per attempt up to 10 s. */
export function backoffDurationMs(attempts: number): number {
  let d = POD_INITIAL_BACKOFF_MS;
  for (let i = 1; i < attempts; i++) {
    d *= 2;
    if (d >= POD_MAX_BACKOFF_MS) return POD_MAX_BACKOFF_MS;
  }
  return d;
}

/** The scheduler's PriorityQueue on the virtual clock. */
export class SchedulingQueue {
  private readonly activeQ = new Heap();
  private readonly backoffQ = new Map<string, QueuedPodInfo>();
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  /** Popped and being scheduled. */
  private readonly inFlight = new Map<string, QueuedPodInfo>();
  private waiter: ((info: QueuedPodInfo | undefined) => void) | undefined;
  private backoffTimer: { at: number; cancel: () => void } | undefined;
  private readonly stopFlush: () => void;
  private seq = 0;
  private closed = false;

  constructor(private readonly clock: Clock) {
    const flush = (): void => {
      this.flushUnschedulablePodsLeftover();
      cancelFlush = this.clock.setTimer(flush, UNSCHEDULABLE_FLUSH_INTERVAL_MS);
    };
    let cancelFlush = this.clock.setTimer(flush, UNSCHEDULABLE_FLUSH_INTERVAL_MS);
    this.stopFlush = () => cancelFlush();
  }

  /** Number of pods in activeQ, backoffQ and the unschedulable set. */
  get pending(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulable.size };
  }

  /** Reports whether the pod is queued anywhere or being scheduled. */
  has(pod: Pod): boolean {
    const key = podKey(pod);
    return this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key) || this.inFlight.has(key);
  }

  /** A new pending pod goes straight to activeQ. */
  add(pod: Pod): void {
    if (this.has(pod)) return this.update(pod, false);
    this.pushActive({ pod, key: podKey(pod), timestampMs: this.clock.now(), attempts: 0, unschedulablePlugins: new Set(), seq: this.seq++ });
  }

  /**
   * A pending pod changed. Its stored copy is replaced; a parked pod whose spec or labels changed is
   * retried (through backoffQ if it is still backing off).
   */
  update(pod: Pod, schedulingPropertiesChanged: boolean): void {
    const key = podKey(pod);
    const info = this.activeQ.get(key) ?? this.backoffQ.get(key) ?? this.unschedulable.get(key) ?? this.inFlight.get(key);
    if (!info) return this.add(pod);
    info.pod = pod;
    if (this.unschedulable.has(key) && schedulingPropertiesChanged) {
      this.unschedulable.delete(key);
      this.requeue(info);
    }
  }

  /** The pod is gone, bound, or no longer ours. */
  delete(pod: Pod): void {
    const key = podKey(pod);
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
  }

  /** The next pod to schedule; waits while activeQ is empty; undefined once closed. */
  pop(): Promise<QueuedPodInfo | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const info = this.activeQ.pop();
    if (info) return Promise.resolve(this.startAttempt(info));
    return new Promise((resolve) => (this.waiter = resolve));
  }

  /** Pops without waiting (undefined when activeQ is empty). */
  tryPop(): QueuedPodInfo | undefined {
    const info = this.activeQ.pop();
    return info ? this.startAttempt(info) : undefined;
  }

  private startAttempt(info: QueuedPodInfo): QueuedPodInfo {
    info.attempts++;
    this.inFlight.set(info.key, info);
    return info;
  }

  /** The attempt finished with the pod bound (or dropped). */
  done(info: QueuedPodInfo): void {
    this.inFlight.delete(info.key);
  }

  /**
   * A failed attempt: an unschedulable pod waits for an event (or the 5 min flush); an error goes to
   * backoffQ. A pod deleted or updated meanwhile is handled by the caller before this.
   */
  addUnschedulableIfNotPresent(info: QueuedPodInfo, opts: { unschedulable: boolean; plugins: Set<string> }): void {
    this.inFlight.delete(info.key);
    if (this.closed) return;
    info.timestampMs = this.clock.now();
    info.unschedulablePlugins = opts.plugins;
    if (opts.unschedulable) this.unschedulable.set(info.key, info);
    else this.pushBackoff(info);
  }

  /** A cluster event: parked pods that `check` says may now fit are retried. */
  moveAllToActiveOrBackoffQueue(check: RequeueCheck): void {
    for (const [key, info] of this.unschedulable) {
      if (!check(info)) continue;
      this.unschedulable.delete(key);
      this.requeue(info);
    }
  }

  /** Stops the timers and wakes a waiting pop() with undefined. */
  close(): void {
    this.closed = true;
    this.stopFlush();
    this.backoffTimer?.cancel();
    this.waiter?.(undefined);
    this.waiter = undefined;
  }

  private backoffExpiryMs(info: QueuedPodInfo): number {
    return info.timestampMs + backoffDurationMs(info.attempts);
  }

  private requeue(info: QueuedPodInfo): void {
    if (this.backoffExpiryMs(info) > this.clock.now()) this.pushBackoff(info);
    else this.pushActive(info);
  }

  private pushActive(info: QueuedPodInfo): void {
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      waiter(this.startAttempt(info));
      return;
    }
    this.activeQ.push(info);
  }

  private pushBackoff(info: QueuedPodInfo): void {
    this.backoffQ.set(info.key, info);
    this.armBackoffTimer(this.backoffExpiryMs(info));
  }

  private armBackoffTimer(at: number): void {
    if (this.backoffTimer && this.backoffTimer.at <= at) return;
    this.backoffTimer?.cancel();
    const cancel = this.clock.setTimer(() => {
      this.backoffTimer = undefined;
      this.flushBackoffQCompleted();
    }, at - this.clock.now());
    this.backoffTimer = { at, cancel };
  }

  private flushBackoffQCompleted(): void {
    const now = this.clock.now();
    let next = Infinity;
    const ready = [...this.backoffQ.values()].filter((info) => {
      const at = this.backoffExpiryMs(info);
      if (at > now) next = Math.min(next, at);
      return at <= now;
    });
    ready.sort((a, b) => (less(a, b) ? -1 : 1));
    for (const info of ready) {
      this.backoffQ.delete(info.key);
      this.pushActive(info);
    }
    if (next !== Infinity) this.armBackoffTimer(next);
  }

  private flushUnschedulablePodsLeftover(): void {
    const now = this.clock.now();
    for (const [key, info] of this.unschedulable) {
      if (now - info.timestampMs <= POD_MAX_IN_UNSCHEDULABLE_PODS_MS) continue;
      this.unschedulable.delete(key);
      this.requeue(info);
    }
  }
}
