import type { KubeObject } from '../../schemas/types/meta.js';
import { rfc3339, type Clock } from '../clock.js';
import type { LocalClient } from '../client/api-client.js';

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
  messages: Set<string>;
  firstMs: number;
}

/**
 * Records core/v1 Events through the API like client-go's broadcaster and EventCorrelator:
 * identical events (same object, type, reason, message, source) are counted on one Event object;
 * from the tenth distinct message of similar events within 10 minutes (same object and reason)
 * on, they are counted on one `(combined from similar events): <latest>` event.
 */
export class ApiEventRecorder implements EventRecorder {
  private readonly seen = new Map<string, Seen>();
  private readonly similar = new Map<string, Similar>();

  constructor(
    private readonly client: LocalClient,
    private readonly clock: Clock,
    private readonly source: EventSource,
  ) {}

  event(obj: Readonly<KubeObject>, type: 'Normal' | 'Warning', reason: string, message: string, opts: EventOptions = {}): void {
    const involved = involvedObject(obj, opts.fieldPath);
    const objectKey = [involved.kind, involved.namespace, involved.name, involved.uid, involved.fieldPath ?? '', this.source.component, this.source.host ?? ''].join('\u0000');
    const { key, text } = this.aggregate(`${objectKey}\u0000${type}\u0000${reason}`, message);
    const now = rfc3339(this.clock.now());
    const prior = this.seen.get(key);
    if (prior && this.bump(prior, now, text)) return;
    const namespace = involved.namespace || 'default';
    const name = `${involved.name}.${this.nanoHex()}`;
    const ev: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: involved,
      reason,
      message: text,
      source: { component: this.source.component, ...(this.source.host ? { host: this.source.host } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: this.source.component,
      reportingInstance: this.source.host ?? '',
    };
    try {
      this.client.create('events', ev);
    } catch {
      // Like the broadcaster, a failed event write is dropped: events are best effort.
      return;
    }
    this.remember(key, { namespace, name, count: 1, firstTimestamp: now });
  }

  /** Counts a repeat on the existing Event; false when that Event is gone and a new one is needed. */
  private bump(prior: Seen, now: string, message: string): boolean {
    prior.count++;
    try {
      this.client.mutate('events', { namespace: prior.namespace, name: prior.name }, (cur) => ({ ...cur, message, count: prior.count, lastTimestamp: now }));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * EventAggregate: the cache key and text of an event. From the tenth distinct message of similar
   * events on, they share one combined Event whose message is the latest one.
   */
  private aggregate(similarKey: string, message: string): { key: string; text: string } {
    const now = this.clock.now();
    let s = this.similar.get(similarKey);
    if (!s || now - s.firstMs > AGGREGATE_INTERVAL_MS) {
      s = { messages: new Set(), firstMs: now };
      this.similar.set(similarKey, s);
    }
    s.messages.add(message);
    if (s.messages.size < AGGREGATE_MAX_EVENTS) return { key: `${similarKey}\u0000${message}`, text: message };
    // Keep the set from growing past the limit, as upstream does.
    s.messages.delete(s.messages.values().next().value!);
    return { key: similarKey, text: `(combined from similar events): ${message}` };
  }

  private remember(key: string, s: Seen): void {
    this.seen.set(key, s);
    if (this.seen.size > MAX_CACHE_ENTRIES) this.seen.delete(this.seen.keys().next().value!);
    if (this.similar.size > MAX_CACHE_ENTRIES) this.similar.delete(this.similar.keys().next().value!);
  }

  /** upstream names events `<object>.<UnixNano in hex>`; a counter keeps same-millisecond names apart. */
  private nanoHex(): string {
    eventSeq = (eventSeq + 1) % 1_000_000;
    return (BigInt(this.clock.now()) * 1_000_000n + BigInt(eventSeq)).toString(16);
  }
}

function involvedObject(obj: Readonly<KubeObject>, fieldPath?: string) {
  const m = obj.metadata;
  return {
    kind: obj.kind ?? '',
    namespace: m.namespace ?? '',
    name: m.name ?? '',
    // Kubelet events about a node carry the node name as uid (k8s-behavior §0.3).
    uid: obj.kind === 'Node' && !m.uid ? (m.name ?? '') : (m.uid ?? ''),
    apiVersion: obj.apiVersion ?? '',
    resourceVersion: m.resourceVersion ?? '',
    ...(fieldPath ? { fieldPath } : {}),
  };
}
