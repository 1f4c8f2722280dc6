/**
 * The apiserver's `--event-ttl` (1 h): etcd stores every Event write under a lease that expires an
 * hour later, so an Event disappears an hour after it was last written. Here a sweep on the virtual
 * clock deletes Events whose last write is older than the TTL.
 *
 * Only a name → last-write map per namespace is kept (no object cache), so tens of thousands of
 * events cost a few bytes each: the key is the event's own name string, the time a whole second
 * (an integer V8 keeps unboxed; etcd's lease TTLs are whole seconds too). Writes are timed when
 * their watch event arrives, objects present at start by their newest timestamp.
 */
import type { KubeObject } from '../../schemas/types/meta.js';
import type { StartComponent } from '../cluster.js';

/** kube-apiserver --event-ttl default. */
export const EVENT_TTL_MS = 60 * 60 * 1000;
/** How often expired events are looked for (etcd revokes leases about this often). */
export const EVENT_SWEEP_INTERVAL_MS = 60 * 1000;

/** Starts the event TTL sweeper with the default TTL. */
export const startEventTTL: StartComponent = (ctx) => newEventTTL(EVENT_TTL_MS)(ctx);

/** Returns a start function for an event sweeper with the given TTL. */
export function newEventTTL(ttlMs: number): StartComponent {
  return (ctx) => {
    const client = ctx.client('kube-apiserver');
    // Each namespace's map is kept in order of last write (a write moves its key to the end), so a
    // sweep reads only the expired entries at the front instead of every event each virtual minute.
    const lastWrite = new Map<string, Map<string, number>>();
    // Writes round up and the cutoff down: no event goes before its full TTL.
    const startMs = ctx.clock.now();
    const second = (ms: number): number => Math.ceil((ms - startMs) / 1000);
    const written = (namespace: string, name: string, at: number): void => {
      let names = lastWrite.get(namespace);
      if (!names) lastWrite.set(namespace, (names = new Map()));
      names.delete(name);
      names.set(name, at);
    };
    const { items, stop } = client.listAndWatch('events', (e) => {
      const { namespace = '', name = '' } = e.object.metadata;
      if (e.type !== 'DELETED') written(namespace, name, second(ctx.clock.now()));
      else lastWrite.get(namespace)?.delete(name);
    });
    const known = items.map((o) => ({ o, at: newestTimestamp(o) })).sort((a, b) => a.at - b.at);
    for (const { o, at } of known) written(o.metadata.namespace ?? '', o.metadata.name ?? '', second(at));
    const sweep = (): void => {
      const cutoff = Math.floor((ctx.clock.now() - ttlMs - startMs) / 1000);
      for (const [namespace, names] of lastWrite) {
        for (const [name, at] of names) {
          if (at > cutoff) break;
          names.delete(name);
          client.delete('events', { namespace, name });
        }
        if (names.size === 0) lastWrite.delete(namespace);
      }
    };
    let cancel = ctx.clock.setTimer(function tick() {
      sweep();
      cancel = ctx.clock.setTimer(tick, EVENT_SWEEP_INTERVAL_MS);
    }, EVENT_SWEEP_INTERVAL_MS);
    return () => {
      cancel();
      stop();
    };
  };
}

/** The latest of an event's timestamps: the best guess of its last write after a restart. */
function newestTimestamp(o: Readonly<KubeObject>): number {
  const series = o.series as { lastObservedTime?: string } | undefined;
  const stamps = [o.lastTimestamp, o.eventTime, series?.lastObservedTime, o.firstTimestamp, o.metadata.creationTimestamp];
  let max = 0;
  for (const s of stamps) {
    const t = typeof s === 'string' ? Date.parse(s) : NaN;
    if (Number.isFinite(t) && t > max) max = t;
  }
  return max;
}
