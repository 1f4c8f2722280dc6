import type { Store, StoreEvent } from '../storage/store.js';

/** A live subscription; close() stops delivery at once. */
export interface Subscription {
  close(): void;
}

interface Subscriber {
  handler: (e: StoreEvent) => void;
  closed: boolean;
}

/**
 * In-process fan-out after commit. The store calls publish() synchronously inside the writer's
 * stack; handlers run later (setImmediate), in revision order, so a handler that writes never
 * re-enters the writer. See server/watch/README.md.
 *
 * Every subscriber's events go out in one drain, in revision order across resources, before the
 * work the handlers queued runs: a controller woken by one resource's event then reads caches of
 * the others that already hold the writes made before it. A drain per subscriber let a Deployment
 * sync triggered by its new ReplicaSet run before the Deployment's own status writes reached its
 * informer, so every such sync failed with a conflict and ran again.
 */
export class Hub {
  private readonly byResource = new Map<string, Set<Subscriber>>();
  /** Queued deliveries: subscriber, event, subscriber, event, … in publish order. */
  private queue: Array<Subscriber | StoreEvent> = [];
  private scheduled = false;

  constructor(store: Store) {
    store.onEvent((e) => this.publish(e));
  }

  /** Delivers every later event of `resource` to handler, asynchronously and in order. */
  subscribe(resource: string, handler: (e: StoreEvent) => void): Subscription {
    const sub: Subscriber = { handler, closed: false };
    let set = this.byResource.get(resource);
    if (!set) {
      set = new Set();
      this.byResource.set(resource, set);
    }
    set.add(sub);
    return {
      close: () => {
        sub.closed = true;
        this.byResource.get(resource)?.delete(sub);
      },
    };
  }

  private publish(e: StoreEvent): void {
    const set = this.byResource.get(e.resource);
    if (!set) return;
    for (const sub of set) this.queue.push(sub, e);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  private drain(): void {
    this.scheduled = false;
    // Swap the queue out first: events published by a handler go to the next drain, in order.
    const batch = this.queue;
    this.queue = [];
    for (let i = 0; i < batch.length; i += 2) {
      const sub = batch[i] as Subscriber;
      if (!sub.closed) sub.handler(batch[i + 1] as StoreEvent);
    }
  }
}
