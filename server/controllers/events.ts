import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import { rfc3339, type Clock } from '../clock.js';
import type { LocalClient } from '../client/api-client.js';
import { internString } from '../generation-map.js';

/** Who records: `source.component` and, for kubelets, `source.host`. */
export interface EventSource {
  component: string;
  host?: string;
}

/** Optional parts of one event: the container it is about (`spec.containers{nginx}`). */
export interface EventOptions {
  fieldPath?: string;
}

/** An event recorder as every component has one (client-go record.EventRecorder). */
export interface EventRecorder {
  /** Records a Normal or Warning event about obj; identical repeats bump count and lastTimestamp. */
  event(obj: Readonly<KubeObject>, type: 'Normal' | 'Warning', reason: string, message: string, opts?: EventOptions): void;
}

/** client-go's correlator cache size (maxLruCacheEntries). */
const MAX_CACHE_ENTRIES = 4096;
/** Similar events (same object and reason, other messages) within this window are aggregated... */
const AGGREGATE_INTERVAL_MS = 600_000;
/** ...once this many distinct messages have been seen (defaultAggregateMaxEvents). */
const AGGREGATE_MAX_EVENTS = 10;
/** A source may send this many events about one object at once (defaultSpamBurst)... */
const SPAM_BURST = 25;
/** ...and one more every five minutes after that (defaultSpamQPS). */
const SPAM_REFILL_MS = 300_000;

// Shared by every recorder: two components recording about one object in the same virtual
// millisecond must not produce the same event name (the second create would be dropped).
let eventSeq = 0;

/** What a recorder remembers of one object: its spam bucket and its groups of similar events. */
interface ObjectRecord {
  /** EventSourceObjectSpamFilter's token bucket, full when the object is first seen. */
  tokens: number;
  refilledMs: number;
  /** The object's groups, most recently created first. */
  groups: Group | undefined;
}

/** Similar events: one object, type and reason (one record of EventAggregator). */
interface Group {
  type: string;
  reason: string;
  /** The distinct messages seen within the window; one string while there is one. */
  messages: string | Set<string>;
  lastMs: number;
  /** The Events written for single messages, by field path and message: one, or a Map from the second on. */
  seen: Seen | Map<string, Seen> | undefined;
  /** The Event of the combined messages. */
  combined: Seen | undefined;
  next: Group | undefined;
}

/** One Event written and counted (one entry of the eventLogger's cache). */
interface Seen {
  fieldPath: string;
  message: string;
  count: number;
  /** firstTimestamp, and with seq the event's name. */
  firstMs: number;
  seq: number;
}

/**
 * Records core/v1 Events through the API like client-go's broadcaster and EventCorrelator:
 * identical events (same object, type, reason, message, source) are counted on one Event object;
 * from the tenth distinct message of similar events within 10 minutes (same object and reason)
 * on, they are counted on one `(combined from similar events): <latest>` event. Like
 * EventSourceObjectSpamFilter, a source writes at most 25 events about one object in a burst and
 * one per five minutes after that: an occurrence over the limit is still counted, and shows in the
 * count of the next one written (a ReplicaSet creating 1,000 pods shows a few dozen events, not
 * 1,000 count bumps).
 *
 * Upstream keeps three LRU caches of 4,096 entries each (aggregation records, written Events, spam
 * buckets), each keyed by a string joining the source, the object's fields, type, reason and
 * message. Here the three are one record per object, found by its uid, which the object already
 * holds: a kubelet's three events about each of its pods cost about 700 bytes instead of 1,600. The
 * 4,096 most recently used objects are remembered, each group's written Events likewise.
 */
export class ApiEventRecorder implements EventRecorder {
  private readonly objects = new Map<string, ObjectRecord>();

  constructor(
    private readonly client: LocalClient,
    private readonly clock: Clock,
    private readonly source: EventSource,
  ) {}

  event(obj: Readonly<KubeObject>, type: 'Normal' | 'Warning', reason: string, message: string, opts: EventOptions = {}): void {
    // The records below keep these for as long as the object has events.
    message = internString(message);
    const involved = involvedObject(obj, opts.fieldPath === undefined ? undefined : internString(opts.fieldPath));
    // A uid names one object (kind, name and apiVersion add nothing to it) and is the object's own
    // string: no key to build.
    const objectKey = involved.uid || `\u0000${involved.kind ?? ''}\u0000${involved.namespace ?? ''}\u0000${involved.name ?? ''}\u0000${involved.apiVersion ?? ''}`;
    const now = this.clock.now();
    const record = this.recordOf(objectKey, now);
    const group = groupOf(record, type, reason, message, now);
    // eventObserve: the occurrence is counted before the spam filter decides whether to write it.
    const combined = aggregate(group, message, now);
    let seen = combined ? group.combined : findSeen(group, involved.fieldPath ?? '', message);
    if (seen) seen.count++;
    else {
      seen = { fieldPath: involved.fieldPath ?? '', message, count: 1, firstMs: now, seq: nextSeq() };
      if (combined) group.combined = seen;
      else addSeen(group, seen);
    }
    if (!allow(record, now)) return;
    const text = combined ? `(combined from similar events): ${message}` : message;
    const name = `${involved.name ?? ''}.${hexNanos(seen.firstMs, seen.seq)}`;
    const namespace = involved.namespace || 'default';
    const lastTimestamp = rfc3339(now);
    if (seen.count > 1 && this.bump(namespace, name, seen.count, lastTimestamp, text)) return;
    const ev: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: involved,
      reason,
      message: text,
      source: { component: this.source.component, ...(this.source.host ? { host: this.source.host } : {}) },
      firstTimestamp: rfc3339(seen.firstMs),
      lastTimestamp,
      count: seen.count,
      type,
      eventTime: null,
      reportingComponent: this.source.component,
      reportingInstance: this.source.host ?? '',
    };
    try {
      this.client.create('events', ev);
    } catch {
      // Like the broadcaster, a failed event write is dropped: events are best effort.
    }
  }

  /** Counts a repeat on the existing Event; false when that Event is gone and must be created again. */
  private bump(namespace: string, name: string, count: number, lastTimestamp: string, message: string): boolean {
    try {
      this.client.mutate('events', { namespace, name }, (cur) => ({ ...cur, message, count, lastTimestamp }));
      return true;
    } catch {
      return false;
    }
  }

  /** The object's record, now the most recently used; the least recently used goes past the limit. */
  private recordOf(objectKey: string, now: number): ObjectRecord {
    let record = lruGet(this.objects, objectKey);
    if (!record) lruSet(this.objects, objectKey, (record = { tokens: SPAM_BURST, refilledMs: now, groups: undefined }));
    return record;
  }
}

/** The group of the object's events of this type and reason. */
function groupOf(record: ObjectRecord, type: string, reason: string, message: string, now: number): Group {
  for (let g = record.groups; g; g = g.next) if (g.type === type && g.reason === reason) return g;
  const group: Group = { type, reason, messages: message, lastMs: now, seen: undefined, combined: undefined, next: record.groups };
  record.groups = group;
  return group;
}

/**
 * EventAggregate: whether the event is counted on the group's combined Event. Similar events seen
 * within 10 minutes of the last one are one group; from its tenth distinct message on, they share
 * one combined Event whose message is the latest one.
 */
function aggregate(group: Group, message: string, now: number): boolean {
  if (now - group.lastMs > AGGREGATE_INTERVAL_MS) group.messages = message;
  group.lastMs = now;
  if (typeof group.messages === 'string') {
    if (group.messages === message) return false;
    group.messages = new Set([group.messages]);
  }
  group.messages.add(message);
  if (group.messages.size < AGGREGATE_MAX_EVENTS) return false;
  // Keep the set from growing past the limit, as upstream does.
  group.messages.delete(group.messages.values().next().value!);
  return true;
}

function seenKey(fieldPath: string, message: string): string {
  return `${fieldPath}\u0000${message}`;
}

/** The group's Event of this field path and message, now its most recently used. */
function findSeen(group: Group, fieldPath: string, message: string): Seen | undefined {
  const seen = group.seen;
  if (!(seen instanceof Map)) return seen && seen.fieldPath === fieldPath && seen.message === message ? seen : undefined;
  return lruGet(seen, seenKey(fieldPath, message));
}

function addSeen(group: Group, seen: Seen): void {
  if (!group.seen) {
    group.seen = seen;
    return;
  }
  if (!(group.seen instanceof Map)) group.seen = new Map([[seenKey(group.seen.fieldPath, group.seen.message), group.seen]]);
  lruSet(group.seen, seenKey(seen.fieldPath, seen.message), seen);
}

/** groupcache's lru.Get: a hit becomes the most recently used entry. */
function lruGet<V>(cache: Map<string, V>, key: string): V | undefined {
  const v = cache.get(key);
  if (v !== undefined) {
    cache.delete(key);
    cache.set(key, v);
  }
  return v;
}

/** lru.Add with upstream's cache size (maxLruCacheEntries): the least recently used entry goes. */
function lruSet<V>(cache: Map<string, V>, key: string, v: V): void {
  cache.delete(key);
  cache.set(key, v);
  if (cache.size > MAX_CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
}

/** EventSourceObjectSpamFilter: takes a token from the object's bucket, if one is left. */
function allow(record: ObjectRecord, now: number): boolean {
  record.tokens = Math.min(SPAM_BURST, record.tokens + (now - record.refilledMs) / SPAM_REFILL_MS);
  record.refilledMs = now;
  if (record.tokens < 1) return false;
  record.tokens--;
  return true;
}

function nextSeq(): number {
  eventSeq = (eventSeq + 1) % 1_000_000;
  return eventSeq;
}

/** The UnixNano of an event's name in hex; `seq` keeps same-millisecond names apart. */
function hexNanos(ms: number, seq: number): string {
  return (BigInt(ms) * 1_000_000n + BigInt(seq)).toString(16);
}

/** upstream names events `<object>.<UnixNano in hex>`; a counter keeps same-millisecond names apart. */
export function nanoHex(clock: Clock): string {
  return hexNanos(clock.now(), nextSeq());
}

// Every field of ObjectReference is omitempty: a node (no namespace, and the kubelet's reference
// has no apiVersion or resourceVersion) shows `{kind: Node, name: node01, uid: node01}`.
export function involvedObject(obj: Readonly<KubeObject>, fieldPath?: string): ObjectReference {
  const m = obj.metadata;
  const ref: ObjectReference = {};
  if (obj.kind) ref.kind = obj.kind;
  if (m.namespace) ref.namespace = m.namespace;
  if (m.name) ref.name = m.name;
  // Kubelet events about a node carry the node name as uid (k8s-behavior §0.3).
  const uid = obj.kind === 'Node' && !m.uid ? m.name : m.uid;
  if (uid) ref.uid = uid;
  if (obj.apiVersion) ref.apiVersion = obj.apiVersion;
  if (m.resourceVersion) ref.resourceVersion = m.resourceVersion;
  if (fieldPath) ref.fieldPath = fieldPath;
  return ref;
}
