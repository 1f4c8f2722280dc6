import type { EventSeries, ObjectReference } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import { rfc3339Micro, type Clock } from '../clock.js';
import type { LocalClient } from '../client/api-client.js';
import { StatusError } from '../api/errors.js';
import { involvedObject, nanoHex } from './events.js';

/** events.k8s.io validation's limit on `note` (NoteLengthLimit), in bytes. */
export const NOTE_LENGTH_LIMIT = 1024;
/** A series not observed for this long is written one last time and forgotten, and so is a singleton (finishTime)... */
const FINISH_MS = 6 * 60_000;
/** ...and every series still in the cache is written this often (refreshTime). */
const REFRESH_MS = 30 * 60_000;

/** A recorder of the events.k8s.io API (client-go tools/events.EventRecorder). */
export interface EventsRecorder {
  /** Records `note` about `regarding` (and `related`, another object involved). */
  eventf(regarding: Readonly<KubeObject>, related: Readonly<KubeObject> | undefined, type: 'Normal' | 'Warning', reason: string, action: string, note: string): void;
  /** Stops the periodic series writes. */
  stop(): void;
}

interface Cached {
  event: KubeObject;
  eventTimeMs: number;
  series?: { count: number; lastObservedMs: number };
  /** The next cached event about the same object. */
  next?: Cached;
}

/**
 * Records Events like client-go's events.k8s.io broadcaster, which kube-scheduler uses: each event
 * carries `eventTime`, `action` and the reporting controller and instance, and no count or
 * source. An isomorphic event (same type, action, reason and objects, resourceVersion included;
 * the note is not compared) turns the first one into a series: the second occurrence writes
 * `series.count: 2`, later ones only count in memory until the series is refreshed (every 30
 * minutes) or ends (6 minutes without an occurrence). Stored in the core/v1 shape, as the
 * apiserver keeps both versions as one object.
 */
export class ApiEventsRecorder implements EventsRecorder {
  /**
   * The cached events by the uid of the object they regard (the object's own string), each
   * object's in a list. Upstream's key joins every field of both references; a Map keeps such a
   * key as the tree of pieces it was joined from, and the scheduler's recorder held 4.8–7.6 MB at
   * 10,000 pods with those keys against 3.1 MB without.
   */
  private readonly cache = new Map<string, Cached>();
  /** wait.Until runs the finish and refresh passes at multiples of their periods from the start. */
  private readonly startMs: number;
  private cancelTick: (() => void) | undefined;

  constructor(
    private readonly client: LocalClient,
    private readonly clock: Clock,
    private readonly reportingController: string,
    private readonly reportingInstance: string,
  ) {
    this.startMs = clock.now();
  }

  eventf(regarding: Readonly<KubeObject>, related: Readonly<KubeObject> | undefined, type: 'Normal' | 'Warning', reason: string, action: string, note: string): void {
    const regardingRef = involvedObject(regarding);
    const relatedRef = related ? involvedObject(related) : undefined;
    const key = regardingRef.uid || refKey(regardingRef);
    const now = this.clock.now();
    let cached = this.cache.get(key);
    let last: Cached | undefined;
    for (; cached && !isomorphic(cached.event, type, action, reason, regardingRef, relatedRef); cached = cached.next) last = cached;
    if (cached) {
      if (cached.series) {
        cached.series.count++;
        cached.series.lastObservedMs = now;
        return;
      }
      cached.series = { count: 2, lastObservedMs: now };
      this.record(cached);
      return;
    }
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${regardingRef.name ?? ''}.${nanoHex(this.clock)}`, namespace: regardingRef.namespace || 'default' },
      involvedObject: regardingRef,
      reason,
      message: note,
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      type,
      eventTime: rfc3339Micro(now),
      action,
      ...(relatedRef ? { related: relatedRef } : {}),
      reportingComponent: this.reportingController,
      reportingInstance: this.reportingInstance,
    };
    const entry: Cached = { event, eventTimeMs: now };
    // A miss walked the object's whole list: `last` is its tail, if it has one.
    if (last) last.next = entry;
    else this.cache.set(key, entry);
    this.record(entry);
    this.armTick();
  }

  stop(): void {
    this.cancelTick?.();
    this.cancelTick = undefined;
  }

  /** recordEvent: a series is patched onto the existing Event (created again if it is gone). */
  private record(entry: Cached): void {
    const { event, series } = entry;
    const seriesField: EventSeries | undefined = series ? { count: series.count, lastObservedTime: rfc3339Micro(series.lastObservedMs) } : undefined;
    try {
      if (seriesField) {
        try {
          this.client.mutate('events', { namespace: event.metadata.namespace ?? '', name: event.metadata.name ?? '' }, (cur) => withSeries(cur, seriesField));
          return;
        } catch (e) {
          if (!(e instanceof StatusError && e.code === 404)) throw e;
        }
      }
      this.client.create('events', seriesField ? withSeries(event, seriesField) : event);
    } catch {
      // Events are best effort: a rejected write is dropped, as the broadcaster does.
    }
  }

  /** Schedules the next pass while anything is cached; the passes fall every FINISH_MS from the start. */
  private armTick(): void {
    if (this.cancelTick || this.cache.size === 0) return;
    const now = this.clock.now();
    const next = this.startMs + (Math.floor((now - this.startMs) / FINISH_MS) + 1) * FINISH_MS;
    this.cancelTick = this.clock.setTimer(() => {
      this.cancelTick = undefined;
      if ((next - this.startMs) % REFRESH_MS === 0) this.refreshExistingEventSeries();
      this.finishSeries();
      this.armTick();
    }, next - now);
  }

  private refreshExistingEventSeries(): void {
    for (const first of this.cache.values()) for (let entry: Cached | undefined = first; entry; entry = entry.next) if (entry.series) this.record(entry);
  }

  private finishSeries(): void {
    const cutoff = this.clock.now() - FINISH_MS;
    for (const [key, first] of this.cache) {
      let kept: Cached | undefined;
      let tail: Cached | undefined;
      for (let entry: Cached | undefined = first; entry; entry = entry.next) {
        if (entry.series ? entry.series.lastObservedMs < cutoff : entry.eventTimeMs < cutoff) {
          if (entry.series) this.record(entry);
          continue;
        }
        if (tail) tail.next = entry;
        else kept = entry;
        tail = entry;
      }
      if (tail) tail.next = undefined;
      if (kept) this.cache.set(key, kept);
      else this.cache.delete(key);
    }
  }
}

/** isomorphicEvents: the same type, action, reason and objects; the note is not compared. */
function isomorphic(event: KubeObject, type: string, action: string, reason: string, regarding: ObjectReference, related: ObjectReference | undefined): boolean {
  return event['type'] === type && event['action'] === action && event['reason'] === reason && sameRef(event['involvedObject'] as ObjectReference, regarding) && sameRef(event['related'] as ObjectReference | undefined, related);
}

/** Every field of the two references, as Go compares the structs. */
function sameRef(a: ObjectReference | undefined, b: ObjectReference | undefined): boolean {
  if (!a || !b) return a === b;
  return a.kind === b.kind && a.namespace === b.namespace && a.name === b.name && a.uid === b.uid && a.apiVersion === b.apiVersion && a.resourceVersion === b.resourceVersion && a.fieldPath === b.fieldPath;
}

/** The event with `series` in Go's struct order, right after eventTime. */
function withSeries(event: Readonly<KubeObject>, series: EventSeries): KubeObject {
  const out = {} as KubeObject;
  for (const k in event) {
    if (k === 'series') continue;
    out[k] = event[k];
    if (k === 'eventTime') out['series'] = series;
  }
  return out;
}

/** A key for a reference without a uid. */
function refKey(r: ObjectReference): string {
  return `${r.kind ?? ''}\u0000${r.namespace ?? ''}\u0000${r.name ?? ''}\u0000${r.uid ?? ''}\u0000${r.apiVersion ?? ''}\u0000${r.resourceVersion ?? ''}\u0000${r.fieldPath ?? ''}`;
}

/** The scheduler's truncateMessage: a note over the limit keeps its first bytes and ends in " ...". */
export function truncateNote(message: string): string {
  if (Buffer.byteLength(message) <= NOTE_LENGTH_LIMIT) return message;
  const suffix = ' ...';
  return Buffer.from(message).subarray(0, NOTE_LENGTH_LIMIT - suffix.length).toString() + suffix;
}
