/**
 * The apiserver's `--event-ttl` (1 h): etcd stores every Event write under a lease that expires an
 * hour later, so an Event disappears an hour after it was last written. Here a sweep on the virtual
 * clock deletes Events whose last write is older than the TTL.
 *
 * Only a name → last-write map is kept (no object cache), so tens of thousands of events cost a
 * few bytes each; writes are timed when their watch event arrives, objects present at start by
 * their newest timestamp.
 */
import type { KubeObject } from '../../schemas/types/meta.js';
import type { StartComponent } from '../cluster.js';
import { objectKey } from '../informers/informer.js';

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
    // Kept in order of last write (a write moves its key to the end), so a sweep reads only the
    // expired entries at the front instead of every event each virtual minute.
    const lastWrite = new Map<string, number>();
    const { items, stop } = client.listAndWatch('events', (e) => {
      const key = objectKey(e.object);
      lastWrite.delete(key);
      if (e.type !== 'DELETED') lastWrite.set(key, ctx.clock.now());
    });
    const known = items.map((o) => ({ key: objectKey(o), at: newestTimestamp(o) })).sort((a, b) => a.at - b.at);
    for (const { key, at } of known) lastWrite.set(key, at);
    const sweep = (): void => {
      const cutoff = ctx.clock.now() - ttlMs;
      for (const [key, at] of lastWrite) {
        if (at > cutoff) break;
        const [namespace = '', name = ''] = key.split('/');
        lastWrite.delete(key);
        client.delete('events', { namespace, name });
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
