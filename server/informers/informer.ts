import type { KubeObject } from '../../schemas/types/meta.js';
import type { LocalClient, WatchEvent } from '../client/api-client.js';

type AddHandler = (obj: Readonly<KubeObject>) => void;
type UpdateHandler = (old: Readonly<KubeObject>, obj: Readonly<KubeObject>) => void;
type DeleteHandler = (obj: Readonly<KubeObject>) => void;

/** `namespace/name`, or `name` for cluster-scoped objects: the key controllers queue. */
export function objectKey(obj: Readonly<KubeObject>): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name ?? ''}` : (obj.metadata.name ?? '');
}

/**
 * A shared informer (client-go's list-watch cache): lists once, then follows the watch, keeps a
 * local cache and calls add/update/delete handlers. Handlers should only queue keys; objects
 * handed out are frozen, so callers structuredClone before changing anything.
 */
export class Informer {
  private readonly cache = new Map<string, Readonly<KubeObject>>();
  private readonly adds: AddHandler[] = [];
  private readonly updates: UpdateHandler[] = [];
  private readonly deletes: DeleteHandler[] = [];
  private lastRevision = 0;
  private stopWatch: (() => void) | undefined;

  constructor(
    private readonly client: LocalClient,
    readonly resource: string,
  ) {}

  /** Registers handlers; call before start() to see the initial objects as adds. */
  on(handlers: { add?: AddHandler; update?: UpdateHandler; delete?: DeleteHandler }): void {
    if (handlers.add) this.adds.push(handlers.add);
    if (handlers.update) this.updates.push(handlers.update);
    if (handlers.delete) this.deletes.push(handlers.delete);
  }

  /** Lists and starts watching; the initial objects are delivered as adds before this returns. */
  start(): void {
    const { items, revision, stop } = this.client.listAndWatch(this.resource, (e) => this.apply(e));
    this.stopWatch = stop;
    this.lastRevision = revision;
    for (const o of items) {
      this.cache.set(objectKey(o), o);
      for (const h of this.adds) h(o);
    }
  }

  /** Stops following the watch; the cache keeps its last state. */
  stop(): void {
    this.stopWatch?.();
  }

  /** The cached object for a key (`namespace/name` or `name`). */
  get(key: string): Readonly<KubeObject> | undefined {
    return this.cache.get(key);
  }

  /** Cached objects, optionally of one namespace. */
  list(namespace?: string): Readonly<KubeObject>[] {
    const all = [...this.cache.values()];
    return namespace === undefined ? all : all.filter((o) => (o.metadata.namespace ?? '') === namespace);
  }

  private apply(e: WatchEvent): void {
    // Events at or below the list revision are already in the cache.
    if (e.revision <= this.lastRevision) return;
    this.lastRevision = e.revision;
    const key = objectKey(e.object);
    const old = this.cache.get(key);
    if (e.type === 'DELETED') {
      this.cache.delete(key);
      for (const h of this.deletes) h(e.object);
      return;
    }
    this.cache.set(key, e.object);
    if (old) for (const h of this.updates) h(old, e.object);
    else for (const h of this.adds) h(e.object);
  }
}
