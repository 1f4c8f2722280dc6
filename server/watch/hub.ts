import type { Store, StoreEvent } from '../storage/store.js';

/** A live subscription; close() stops delivery at once. */
export interface Subscription {
  close(): void;
}

interface Subscriber {
  resource: string;
  handler: (e: StoreEvent) => void;
  queue: StoreEvent[];
  scheduled: boolean;
  closed: boolean;
}

/**
 * In-process fan-out after commit. The store calls publish() synchronously inside the writer's
 * stack; handlers run later (setImmediate), in revision order, so a handler that writes never
 * re-enters the writer. See server/watch/README.md.
 */
export class Hub {
  private readonly byResource = new Map<string, Set<Subscriber>>();

  constructor(store: Store) {
    store.onEvent((e) => this.publish(e));
  }

  /** Delivers every later event of `resource` to handler, asynchronously and in order. */
  subscribe(resource: string, handler: (e: StoreEvent) => void): Subscription {
    const sub: Subscriber = { resource, handler, queue: [], scheduled: false, closed: false };
    let set = this.byResource.get(resource);
    if (!set) {
      set = new Set();
      this.byResource.set(resource, set);
    }
    set.add(sub);
    return {
      close: () => {
        sub.closed = true;
        sub.queue.length = 0;
        this.byResource.get(resource)?.delete(sub);
      },
    };
  }

  private publish(e: StoreEvent): void {
    const set = this.byResource.get(e.resource);
    if (!set) return;
    for (const sub of set) {
      sub.queue.push(e);
      if (!sub.scheduled) {
        sub.scheduled = true;
        setImmediate(() => this.drain(sub));
      }
    }
  }

  private drain(sub: Subscriber): void {
    sub.scheduled = false;
    // Swap the queue out first: events published by a handler go to the next drain, in order.
    const batch = sub.queue;
    sub.queue = [];
    for (const e of batch) {
      if (sub.closed) return;
      sub.handler(e);
    }
  }
}
