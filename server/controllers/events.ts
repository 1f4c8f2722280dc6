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

interface Seen {
  namespace: string;
  name: string;
  count: number;
  firstTimestamp: string;
}

interface Similar {
  /** The distinct messages seen; one string while there is one (most objects have no second). */
  messages: string | Set<string>;
  lastMs: number;
}

/** A token bucket per source and object, full when first seen. */
interface SpamRecord {
  tokens: number;
  lastMs: number;
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
 */
export class ApiEventRecorder implements EventRecorder {
  private readonly seen = new Map<string, Seen>();
  private readonly similar = new Map<string, Similar>();
  private readonly spam = new Map<string, SpamRecord>();

  constructor(
    private readonly client: LocalClient,
    private readonly clock: Clock,
    private readonly source: EventSource,
  ) {}

  event(obj: Readonly<KubeObject>, type: 'Normal' | 'Warning', reason: string, message: string, opts: EventOptions = {}): void {
    // The cache keys below keep these for as long as the object has events.
    message = internString(message);
    const involved = involvedObject(obj, opts.fieldPath === undefined ? undefined : internString(opts.fieldPath));
    // Upstream's keys start with the source, which is this recorder's own. A uid names one object
    // (kind, name and apiVersion add nothing to it) and is the object's own string: no key to build.
    const objectKey = involved.uid || `\u0000${involved.kind ?? ''}\u0000${involved.namespace ?? ''}\u0000${involved.name ?? ''}\u0000${involved.apiVersion ?? ''}`;
    const now = rfc3339(this.clock.now());
    // eventObserve: the occurrence is counted before the spam filter decides whether to write it.
    const { key, text } = this.aggregate(`${objectKey}\u0000${type}\u0000${reason}`, involved.fieldPath ?? '', message);
    let seen = lruGet(this.seen, key);
    if (seen) seen.count++;
    else {
      seen = { namespace: involved.namespace || 'default', name: `${involved.name ?? ''}.${nanoHex(this.clock)}`, count: 1, firstTimestamp: now };
      lruSet(this.seen, key, seen);
    }
    if (!this.allow(objectKey)) return;
    if (seen.count > 1 && this.bump(seen, now, text)) return;
    const ev: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: seen.name, namespace: seen.namespace },
      involvedObject: involved,
      reason,
      message: text,
      source: { component: this.source.component, ...(this.source.host ? { host: this.source.host } : {}) },
      firstTimestamp: seen.firstTimestamp,
      lastTimestamp: now,
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
  private bump(seen: Seen, now: string, message: string): boolean {
    try {
      this.client.mutate('events', { namespace: seen.namespace, name: seen.name }, (cur) => ({ ...cur, message, count: seen.count, lastTimestamp: now }));
      return true;
    } catch {
      return false;
    }
  }

  /** EventSourceObjectSpamFilter: takes a token from the object's bucket, if one is left. */
  private allow(objectKey: string): boolean {
    const now = this.clock.now();
    const r = this.spam.get(objectKey) ?? { tokens: SPAM_BURST, lastMs: now };
    lruSet(this.spam, objectKey, r);
    r.tokens = Math.min(SPAM_BURST, r.tokens + (now - r.lastMs) / SPAM_REFILL_MS);
    r.lastMs = now;
    if (r.tokens < 1) return false;
    r.tokens--;
    return true;
  }

  /**
   * EventAggregate: the cache key and text of an event. Similar events (same source, object, type
   * and reason) seen within 10 minutes of the last one are one group; from its tenth distinct
   * message on, they share one combined Event whose message is the latest one.
   */
  private aggregate(similarKey: string, fieldPath: string, message: string): { key: string; text: string } {
    const now = this.clock.now();
    let s = this.similar.get(similarKey);
    if (!s || now - s.lastMs > AGGREGATE_INTERVAL_MS) s = { messages: message, lastMs: now };
    lruSet(this.similar, similarKey, s);
    s.lastMs = now;
    const single = { key: `${similarKey}\u0000${fieldPath}\u0000${message}`, text: message };
    if (typeof s.messages === 'string') {
      if (s.messages === message) return single;
      s.messages = new Set([s.messages]);
    }
    s.messages.add(message);
    if (s.messages.size < AGGREGATE_MAX_EVENTS) return single;
    // Keep the set from growing past the limit, as upstream does.
    s.messages.delete(s.messages.values().next().value!);
    return { key: similarKey, text: `(combined from similar events): ${message}` };
  }
}

/** upstream names events `<object>.<UnixNano in hex>`; a counter keeps same-millisecond names apart. */
export function nanoHex(clock: Clock): string {
  eventSeq = (eventSeq + 1) % 1_000_000;
  return (BigInt(clock.now()) * 1_000_000n + BigInt(eventSeq)).toString(16);
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
