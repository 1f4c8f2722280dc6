import type { KubeObject } from '../../schemas/types/meta.js';
import type { LocalClient, WatchEvent } from '../client/api-client.js';

type AddHandler = (obj: Readonly<KubeObject>) => void;
type UpdateHandler = (old: Readonly<KubeObject>, obj: Readonly<KubeObject>) => void;
type DeleteHandler = (obj: Readonly<KubeObject>) => void;

/** One object in an index bucket; a new version of the object gets a new entry (and no memo). */
export interface IndexEntry {
  readonly obj: Readonly<KubeObject>;
  memo?: unknown;
}

/** `namespace/name`, or `name` for cluster-scoped objects: the key controllers queue. */
export function objectKey(obj: Readonly<KubeObject>): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name ?? ''}` : (obj.metadata.name ?? '');
}

/**
 * A shared informer (client-go's list-watch cache): lists once, then follows the watch, keeps a
 * local cache and calls add/update/delete handlers. Handlers should only queue keys; objects
 * handed out are frozen, so callers cloneJSON before changing anything.
 */
export class Informer {
  private readonly cache = new Map<string, Readonly<KubeObject>>();
  private readonly adds: AddHandler[] = [];
  private readonly updates: UpdateHandler[] = [];
  private readonly deletes: DeleteHandler[] = [];
  private readonly indexers = new Map<string, (obj: Readonly<KubeObject>) => string[]>();
  /** Index name → value → the entries of the objects with that value, by key. */
  private readonly indices = new Map<string, Map<string, Map<string, IndexEntry>>>();
  private lastRevision = 0;
  private stopWatch: (() => void) | undefined;
  private started = false;

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

  /**
   * Adds a secondary index (client-go's Indexer): `fn` maps an object to its index values, and
   * byIndex() answers the keys' objects without scanning the cache. Add indexes before start().
   */
  addIndex(name: string, fn: (obj: Readonly<KubeObject>) => string[]): void {
    if (this.indexers.has(name)) return;
    this.indexers.set(name, fn);
    this.indices.set(name, new Map());
    for (const [key, o] of this.cache) this.index(name, key, undefined, o);
  }

  /** Cached objects whose index `name` contains `value`. */
  byIndex(name: string, value: string): Readonly<KubeObject>[] {
    const out: Readonly<KubeObject>[] = [];
    for (const e of this.indexEntries(name, value)) out.push(e.obj);
    return out;
  }

  /**
   * The index entries behind byIndex(): a controller that scans a large bucket on every sync keeps
   * what it derived from an object version in the entry's memo, so it reads each version once.
   */
  indexEntries(name: string, value: string): Iterable<IndexEntry> {
    return this.indices.get(name)?.get(value)?.values() ?? [];
  }

  /** The values of index `name` that some cached object has (a snapshot). */
  indexValues(name: string): string[] {
    return [...(this.indices.get(name)?.keys() ?? [])];
  }

  /** Lists and starts watching; the initial objects are delivered as adds before this returns. Idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const { items, revision, stop } = this.client.listAndWatch(this.resource, (e) => this.apply(e));
    this.stopWatch = stop;
    this.lastRevision = revision;
    for (const o of items) {
      const key = objectKey(o);
      this.cache.set(key, o);
      this.reindex(key, undefined, o);
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
      this.reindex(key, old, undefined);
      for (const h of this.deletes) h(e.object);
      return;
    }
    this.cache.set(key, e.object);
    this.reindex(key, old, e.object);
    if (old) for (const h of this.updates) h(old, e.object);
    else for (const h of this.adds) h(e.object);
  }

  private reindex(key: string, old: Readonly<KubeObject> | undefined, obj: Readonly<KubeObject> | undefined): void {
    for (const name of this.indexers.keys()) this.index(name, key, old, obj);
  }

  private index(name: string, key: string, old: Readonly<KubeObject> | undefined, obj: Readonly<KubeObject> | undefined): void {
    const fn = this.indexers.get(name)!;
    const index = this.indices.get(name)!;
    const values = obj ? fn(obj) : [];
    if (old) {
      for (const v of fn(old)) {
        if (values.includes(v)) continue;
        const objs = index.get(v);
        objs?.delete(key);
        if (objs?.size === 0) index.delete(v);
      }
    }
    for (const v of values) {
      let objs = index.get(v);
      if (!objs) index.set(v, (objs = new Map()));
      objs.set(key, { obj: obj! });
    }
  }
}
