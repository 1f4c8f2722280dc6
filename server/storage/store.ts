import Database from 'better-sqlite3';
import type { KubeObject } from '../../schemas/types/meta.js';
import { CompactedError, ConflictError, KeyExistsError, KeyNotFoundError } from './errors.js';
import { COMPACT_SQL, DDL, dropLogRows, PRAGMAS, WRITE_SQL } from './schema.js';
import type { SnapshotRow } from './snapshots.js';
import { StorageWriter } from './storage-writer.js';
import { applyBatch, WriteBatch, type DirtyKey, type PendingRow } from './write-batch.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** Where an object lives: storage key parts. `namespace` is "" for cluster-scoped objects. */
export interface ObjectRef {
  resource: string;
  namespace: string;
  name: string;
}

/** The current state of one object: its UTF-8 JSON (served as is) and the parsed, frozen object. */
export interface StoredObject {
  key: string;
  resource: string;
  namespace: string;
  createRevision: number;
  modRevision: number;
  raw: Buffer;
  object: Readonly<KubeObject>;
}

/** One entry of the revision log, as delivered to watchers. */
export interface StoreEvent {
  type: EventType;
  revision: number;
  key: string;
  resource: string;
  namespace: string;
  raw: Buffer;
  object: Readonly<KubeObject>;
  /** The state before a MODIFIED event, for selector transitions (unknown for the first replayed change of a key). */
  prev?: Readonly<KubeObject>;
}

/** How a write is logged. */
export interface WriteMode {
  /**
   * A heartbeat (Lease renewal, periodic node status): when the key's previous log row was a
   * heartbeat too, the new row replaces it, so the log holds one row per heartbeating key however
   * often it beats. Watchers still get every MODIFIED event live; a resume sees the latest beat.
   */
  heartbeat?: boolean;
}

/** Storage key of an object: `/registry/<resource>/<namespace>/<name>`. */
export function storageKey(ref: ObjectRef): string {
  return ref.namespace ? `/registry/${ref.resource}/${ref.namespace}/${ref.name}` : `/registry/${ref.resource}/${ref.name}`;
}

/** Freezes an object and everything in it (stored objects are shared, never changed). */
export function deepFreeze<T>(o: T): T {
  if (o === null || typeof o !== 'object' || Object.isFrozen(o)) return o;
  Object.freeze(o);
  // Runs on every write: walked in place, as Object.values allocated an array per node (a third
  // of the freeze's time on a pod). JSON-made objects have no inherited enumerable keys.
  if (Array.isArray(o)) for (let i = 0; i < o.length; i++) deepFreeze(o[i]);
  else for (const k in o) deepFreeze((o as Record<string, unknown>)[k]);
  return o;
}

/**
 * Serialises an object after stamping its resourceVersion. The bytes go to the watchers and to
 * SQLite; a read serialises the object again (see CachedObject).
 */
function stamp(obj: KubeObject, revision: number): { raw: Buffer; object: KubeObject } {
  const object = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(revision) } };
  return { raw: slabBytes(JSON.stringify(object)), object: deepFreeze(object) };
}

/**
 * UTF-8 bytes in a slice of a shared slab. A write's bytes live only until SQLite has them (see
 * Store.evict) or a watcher has sent them, so a slab is soon unreferenced as a whole; one buffer
 * per write cost an allocation of its own and its own external memory for the GC to account.
 */
function slabBytes(text: string): Buffer {
  if (text.length > MAX_SLAB_SLICE) {
    const own = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
    own.write(text);
    return own;
  }
  // A UTF-16 code unit takes at most 3 bytes in UTF-8: with that much room the text is written
  // without measuring it first (Buffer.byteLength scans it once more, costing more than the copy).
  if (text.length * 3 > slab.length - slabUsed) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    slabUsed = 0;
  }
  const size = slab.write(text, slabUsed);
  const bytes = slab.subarray(slabUsed, slabUsed + size);
  slabUsed += size;
  return bytes;
}

const SLAB_BYTES = 256 * 1024;
// A longer text (in UTF-16 code units) gets a buffer of its own: it would leave most of a slab's tail unused.
const MAX_SLAB_SLICE = SLAB_BYTES / 8;
let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let slabUsed = 0;

/**
 * Resources kept on disk only: Events are the most numerous objects (several per pod) and are read
 * rarely, so once SQLite has their bytes the cache keeps just their key and revisions, and reads
 * fetch and parse the row.
 */
const DISK_ONLY_RESOURCES = new Set(['events']);

/** Reads back one committed state of a key: its bytes, or the parsed object. */
interface RowReader {
  raw(key: string, modRevision: number): Buffer;
  object(key: string, modRevision: number, bytes: Buffer | undefined): Readonly<KubeObject>;
}

/**
 * What the cache holds of an object. Its bytes are kept only until SQLite has them (see
 * Store.evict): a pod's JSON is as large as its parsed form, and reads of single objects are rare
 * next to writes. A class, so the getters live on the prototype rather than in closures.
 */
abstract class CachedObject implements StoredObject {
  readonly key: string;
  readonly resource: string;
  readonly namespace: string;
  readonly createRevision: number;
  readonly modRevision: number;
  bytes: Buffer | undefined;

  constructor(o: Omit<StoredObject, 'object'>) {
    this.key = o.key;
    this.resource = o.resource;
    this.namespace = o.namespace;
    this.createRevision = o.createRevision;
    this.modRevision = o.modRevision;
    this.bytes = o.raw;
  }

  abstract readonly raw: Buffer;
  abstract readonly object: Readonly<KubeObject>;
}

/** An object kept parsed: its bytes are exactly JSON.stringify of it (see stamp), so they are made again. */
class ParsedObject extends CachedObject {
  readonly object: Readonly<KubeObject>;

  constructor(o: StoredObject) {
    super(o);
    this.object = o.object;
  }

  get raw(): Buffer {
    // A read's copy is short-lived: a slice of the shared pool is fine here.
    return this.bytes ?? Buffer.from(JSON.stringify(this.object));
  }
}

/** An object kept on disk: its bytes are read back from SQLite and parsed on each read of `object` (see readRow). */
class DiskObject extends CachedObject {
  constructor(o: Omit<StoredObject, 'object'>, private readonly read: RowReader) {
    super(o);
  }

  get raw(): Buffer {
    return this.bytes ?? this.read.raw(this.key, this.modRevision);
  }

  get object(): Readonly<KubeObject> {
    return this.read.object(this.key, this.modRevision, this.bytes);
  }
}

/**
 * The revision log of DESIGN.md on better-sqlite3. One global revision is the resourceVersion; every
 * mutation writes the object row and appends one event (group-committed, see commit()). The current state is
 * also kept in memory, parsed (like the apiserver's watch cache); only Events are read back from SQLite.
 */
export class Store {
  private readonly db: Database.Database;
  private readonly cache = new Map<string, Map<string, StoredObject>>();
  private readonly sortedKeys = new Map<string, string[]>();
  private readonly listeners: Array<(e: StoreEvent) => void> = [];
  private rev = 1;
  private compacted = 0;
  /** Keys whose newest log row is a heartbeat, with that row's revision (lost on restart: one extra row per key). */
  private readonly heartbeatRows = new Map<string, number>();
  /** Writes not yet in SQLite (see commit()). */
  private readonly batch = new WriteBatch(() => this.db.open && this.flush());
  private readonly stmt;

  /** Set when batches are committed on the writer thread (the daemon); tests commit in-line. */
  private readonly writer: StorageWriter | undefined;
  /** Without a writer thread: the newest revision committed in-line. */
  private committedInline = 0;
  /** Cached objects still holding their bytes, in revision order (see evict()). */
  private readonly unevicted: CachedObject[] = [];
  private readonly readRow: RowReader;

  constructor(path: string, opts: { writerThread?: boolean } = {}) {
    this.db = new Database(path);
    for (const p of PRAGMAS) this.db.pragma(p);
    for (const d of DDL) this.db.exec(d);
    this.stmt = {
      upsert: this.db.prepare(WRITE_SQL.upsert),
      remove: this.db.prepare(WRITE_SQL.remove),
      append: this.db.prepare(WRITE_SQL.append),
      dropRow: this.db.prepare(WRITE_SQL.dropRow),
      nthNewest: this.db.prepare(COMPACT_SQL.nthNewest),
      countRows: this.db.prepare('SELECT COUNT(*) AS n FROM events'),
      setMeta: this.db.prepare(WRITE_SQL.setMeta),
      since: this.db.prepare('SELECT revision, key, resource, type, value FROM events WHERE resource = ? AND revision > ? ORDER BY revision'),
      compact: this.db.prepare(COMPACT_SQL.compact),
      begin: this.db.prepare('BEGIN'),
      commit: this.db.prepare('COMMIT'),
      rowAt: this.db.prepare('SELECT value FROM objects WHERE key = ? AND mod_revision = ?').pluck(),
      logAt: this.db.prepare('SELECT value FROM events WHERE revision = ?').pluck(),
      rowsIn: this.db.prepare('SELECT key, mod_revision AS modRevision, value FROM objects WHERE key >= ? AND key < ?'),
    };
    // The last read is remembered: a delete or an update reads the object it replaces twice.
    let last: { key: string; modRevision: number; raw: Buffer; object?: Readonly<KubeObject> } | undefined;
    const read = (key: string, modRevision: number): NonNullable<typeof last> => {
      if (last?.key === key && last.modRevision === modRevision) return last;
      // A state a later write in the same batch replaced was never an objects row; its log row has it.
      const raw = (this.stmt.rowAt.get(key, modRevision) ?? this.stmt.logAt.get(modRevision)) as Buffer | undefined;
      if (!raw) throw new CompactedError(modRevision, this.compactRevision);
      return (last = { key, modRevision, raw });
    };
    const parse = (raw: Buffer): Readonly<KubeObject> => deepFreeze(JSON.parse(raw.toString('utf8')) as KubeObject);
    this.readRow = {
      raw: (key, modRevision) => read(key, modRevision).raw,
      object: (key, modRevision, bytes) => {
        if (bytes) return parse(bytes);
        const r = read(key, modRevision);
        return (r.object ??= parse(r.raw));
      },
    };
    this.load();
    if (opts.writerThread) this.writer = new StorageWriter(path);
  }

  private load(): void {
    const meta = this.db.prepare('SELECT name, value FROM meta').all() as Array<{ name: string; value: number }>;
    for (const m of meta) {
      if (m.name === 'revision') this.rev = m.value;
      if (m.name === 'compact_revision') this.compacted = m.value;
    }
    const rows = this.db.prepare('SELECT key, resource, namespace, create_revision, mod_revision, value FROM objects').all() as Array<{
      key: string; resource: string; namespace: string; create_revision: number; mod_revision: number; value: Buffer;
    }>;
    for (const r of rows) {
      const state = { key: r.key, resource: r.resource, namespace: r.namespace, createRevision: r.create_revision, modRevision: r.mod_revision, raw: r.value };
      this.put(DISK_ONLY_RESOURCES.has(r.resource) ? state : { ...state, object: deepFreeze(JSON.parse(r.value.toString('utf8')) as KubeObject) });
    }
    this.committedInline = this.rev;
    this.evict();
  }

  /** The newest revision written. */
  get revision(): number {
    return this.rev;
  }

  /** Revisions at or below this one are no longer in the log. */
  get compactRevision(): number {
    return Math.max(this.compacted, this.writer?.compactedRevision() ?? 0);
  }

  /** Registers a listener called synchronously after each commit, in revision order. */
  onEvent(listener: (e: StoreEvent) => void): void {
    this.listeners.push(listener);
  }

  get(ref: ObjectRef): StoredObject | undefined {
    return this.cache.get(ref.resource)?.get(storageKey(ref));
  }

  /** Current objects of a resource in key order (namespace, then name); `namespace` narrows the scan. */
  list(resource: string, namespace?: string): StoredObject[] {
    const byKey = this.cache.get(resource);
    if (!byKey) return [];
    let keys = this.sortedKeys.get(resource);
    if (!keys) {
      keys = [...byKey.keys()].sort();
      this.sortedKeys.set(resource, keys);
    }
    const out: StoredObject[] = [];
    for (const k of keys) {
      const o = byKey.get(k)!;
      if (namespace === undefined || o.namespace === namespace) out.push(o);
    }
    return DISK_ONLY_RESOURCES.has(resource) ? this.withBytes(out, storageKey({ resource, namespace: namespace ?? '', name: '' })) : out;
  }

  /**
   * A list of disk-only objects with their bytes at hand: one scan of their key range reads them
   * all in key order, where a point read per object costs tens of microseconds on a cold cache.
   */
  private withBytes(list: StoredObject[], prefix: string): StoredObject[] {
    if (!list.some((o) => (o as CachedObject).bytes === undefined)) return list;
    const rows = new Map<string, { modRevision: number; value: Buffer }>();
    // Keys sort bytewise: every key under "<prefix>" (which ends in '/') sorts below "<prefix>" with '/' + 1.
    for (const r of this.stmt.rowsIn.iterate(prefix, `${prefix.slice(0, -1)}0`) as Iterable<{ key: string; modRevision: number; value: Buffer }>) rows.set(r.key, r);
    return list.map((o) => {
      const row = rows.get(o.key);
      if ((o as CachedObject).bytes !== undefined || row?.modRevision !== o.modRevision) return o;
      return new DiskObject({ key: o.key, resource: o.resource, namespace: o.namespace, createRevision: o.createRevision, modRevision: o.modRevision, raw: row.value }, this.readRow);
    });
  }

  /** Creates an object; fails with KeyExistsError when the key is taken. */
  create(ref: ObjectRef, obj: KubeObject): StoredObject {
    const key = storageKey(ref);
    if (this.cache.get(ref.resource)?.has(key)) throw new KeyExistsError(key);
    const revision = this.rev + 1;
    const { raw, object } = stamp(obj, revision);
    const stored: StoredObject = { key, resource: ref.resource, namespace: ref.namespace, createRevision: revision, modRevision: revision, raw, object };
    this.commit({ revision, key, resource: ref.resource, type: 'ADDED', raw }, { ref, createRevision: revision, modRevision: revision, raw });
    this.put(stored);
    this.emit({ type: 'ADDED', revision, key, resource: ref.resource, namespace: ref.namespace, raw, object });
    return stored;
  }

  /**
   * Replaces an object; with `expectedRevision` the write happens only if it is still current.
   * A heartbeat write coalesces with the key's previous heartbeat row (see WriteMode).
   */
  update(ref: ObjectRef, obj: KubeObject, expectedRevision?: number, mode: WriteMode = {}): StoredObject {
    const old = this.current(ref, expectedRevision);
    const revision = this.rev + 1;
    const { raw, object } = stamp(obj, revision);
    const stored: StoredObject = { key: old.key, resource: old.resource, namespace: old.namespace, createRevision: old.createRevision, modRevision: revision, raw, object };
    // Only the key's newest row may be replaced: it holds no state a resuming watcher still needs.
    const replaced = mode.heartbeat && this.heartbeatRows.get(old.key) === old.modRevision ? old.modRevision : undefined;
    if (replaced !== undefined) this.batch.dropRow(replaced);
    this.commit({ revision, key: old.key, resource: ref.resource, type: 'MODIFIED', raw }, { ref, createRevision: old.createRevision, modRevision: revision, raw });
    if (mode.heartbeat) this.heartbeatRows.set(old.key, revision);
    else this.heartbeatRows.delete(old.key);
    this.put(stored);
    this.emit({ type: 'MODIFIED', revision, key: old.key, resource: ref.resource, namespace: ref.namespace, raw, object, prev: old.object });
    return stored;
  }

  /** Deletes an object; the returned event carries its last state stamped with the delete revision. */
  delete(ref: ObjectRef, expectedRevision?: number): StoreEvent {
    const old = this.current(ref, expectedRevision);
    const revision = this.rev + 1;
    const { raw, object } = stamp(old.object as KubeObject, revision);
    this.commit({ revision, key: old.key, resource: ref.resource, type: 'DELETED', raw }, { ref, createRevision: old.createRevision, modRevision: revision });
    this.cache.get(ref.resource)!.delete(old.key);
    this.sortedKeys.delete(ref.resource);
    this.heartbeatRows.delete(old.key);
    const event: StoreEvent = { type: 'DELETED', revision, key: old.key, resource: ref.resource, namespace: ref.namespace, raw, object };
    this.emit(event);
    return event;
  }

  /**
   * Log entries of a resource after `revision`, oldest first. A revision older than the compacted
   * one cannot be resumed from.
   */
  eventsSince(resource: string, revision: number): StoreEvent[] {
    if (revision < this.compactRevision) throw new CompactedError(revision, this.compactRevision);
    // A watch from the newest revision (most of them) has nothing to replay: no need to wait for the writer.
    if (revision >= this.rev) return [];
    this.sync();
    // A compaction the writer finished meanwhile may have dropped the rows asked for.
    if (revision < this.compactRevision) throw new CompactedError(revision, this.compactRevision);
    const rows = this.stmt.since.all(resource, revision) as Array<{ revision: number; key: string; resource: string; type: EventType; value: Buffer }>;
    // Previous states come from earlier replayed entries; the log stores each state once.
    const last = new Map<string, Readonly<KubeObject>>();
    return rows.map((r) => {
      const object = deepFreeze(JSON.parse(r.value.toString('utf8')) as KubeObject);
      const ev: StoreEvent = { type: r.type, revision: r.revision, key: r.key, resource: r.resource, namespace: object.metadata.namespace ?? '', raw: r.value, object };
      const prev = last.get(r.key);
      if (prev) ev.prev = prev;
      last.set(r.key, object);
      return ev;
    });
  }

  /**
   * Compacts the log down to its newest `rows` rows (the compactor's pass). With a writer thread the
   * pass runs there, after the batches already posted; compactRevision moves when it is done.
   */
  compactRetaining(rows: number): void {
    if (!this.writer) return this.compact(this.retainTarget(rows));
    this.flush();
    this.writer.compact(rows, this.rev, this.compactRevision);
  }

  /** Drops log entries up to `revision`, in small transactions, then checkpoints the WAL. */
  compact(revision: number): void {
    const target = Math.min(revision, this.rev);
    if (target <= this.compactRevision) return;
    this.sync();
    dropLogRows(this.stmt, target);
    this.compacted = target;
    this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  /**
   * The compaction target that keeps the newest `rows` log rows. Counting rows rather than
   * revisions keeps the window for real changes when heartbeats use up revisions: their rows
   * coalesce, their revisions do not.
   */
  retainTarget(rows: number): number {
    this.sync();
    const row = this.stmt.nthNewest.get(rows) as { revision: number } | undefined;
    return row ? row.revision : this.compactRevision;
  }

  /**
   * Forgets every object and the whole log in one transaction (`kd reset`). The reset takes a
   * revision of its own and everything before it counts as compacted, so a client resuming any old
   * watch gets 410 Gone and relists, instead of mistaking new objects for old ones.
   */
  reset(): void {
    this.sync();
    this.rev += 1;
    this.db.transaction(() => {
      this.db.exec('DELETE FROM objects; DELETE FROM events');
      this.stmt.setMeta.run('revision', this.rev);
      this.stmt.setMeta.run('compact_revision', this.rev);
    })();
    this.compacted = this.rev;
    this.cache.clear();
    this.sortedKeys.clear();
    this.heartbeatRows.clear();
    this.unevicted.length = 0;
  }

  /** Every current object as a snapshot row, read from memory (consistent as of the newest revision). */
  snapshotRows(): SnapshotRow[] {
    return [...this.cache.values()].flatMap((byKey) => [...byKey.values()].map((o) => (
      { key: o.key, resource: o.resource, namespace: o.namespace, name: o.key.slice(o.key.lastIndexOf('/') + 1), createRevision: o.createRevision, value: o.raw })));
  }

  /**
   * Replaces every object with a snapshot's rows in one transaction (`kd snapshot restore`). Like
   * reset() the restore takes a revision of its own and compacts everything before it, so old
   * watches get 410 Gone and relist; every restored object is stamped with that revision, so no
   * resourceVersion a client saw before the restore names a different state after it.
   */
  restoreSnapshot(rows: readonly SnapshotRow[]): void {
    this.sync();
    const revision = this.rev + 1;
    const restored = rows.map((r): StoredObject => {
      const { raw, object } = stamp(JSON.parse(r.value.toString('utf8')) as KubeObject, revision);
      return { key: r.key, resource: r.resource, namespace: r.namespace, createRevision: Math.min(r.createRevision, revision), modRevision: revision, raw, object };
    });
    this.db.transaction(() => {
      this.db.exec('DELETE FROM objects; DELETE FROM events');
      restored.forEach((o, i) => this.stmt.upsert.run(o.key, o.resource, o.namespace, rows[i]!.name, o.createRevision, revision, o.raw));
      this.stmt.setMeta.run('revision', revision);
      this.stmt.setMeta.run('compact_revision', revision);
    })();
    this.rev = revision;
    this.compacted = revision;
    this.committedInline = revision;
    this.cache.clear();
    this.sortedKeys.clear();
    this.heartbeatRows.clear();
    this.unevicted.length = 0;
    for (const o of restored) this.put(o);
    this.evict();
  }

  /** Rows currently in the revision log (for tests and diagnostics). */
  logRows(): number {
    this.sync();
    return (this.stmt.countRows.get() as { n: number }).n;
  }

  close(): void {
    if (!this.db.open) return;
    this.sync();
    this.writer?.close();
    this.db.close();
  }

  /**
   * Writes the open batch to SQLite in one transaction, if there is one (also runs on its own after
   * a burst); with a writer thread, hands it over (sync() waits for the commit).
   */
  flush(): void {
    if (this.batch.empty) return;
    if (this.writer) {
      this.writer.post(this.batch.pack(), this.rev);
      return this.evict();
    }
    this.stmt.begin.run();
    try {
      applyBatch(this.stmt, this.batch.take());
      this.stmt.setMeta.run('revision', this.rev);
      this.stmt.commit.run();
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw e;
    }
    this.committedInline = this.rev;
    this.evict();
  }

  /**
   * Lets cached objects whose bytes are committed drop them (the writer thread commits after the
   * post, so a batch's objects let go at a later flush).
   */
  private evict(): void {
    const committed = this.writer?.committedRevision() ?? this.committedInline;
    const q = this.unevicted;
    let i = 0;
    while (i < q.length && q[i]!.modRevision <= committed) q[i++]!.bytes = undefined;
    if (i > 0) q.splice(0, i);
  }

  /** Everything written so far is in SQLite: what reads or rewrites SQLite itself calls this first. */
  private sync(): void {
    this.flush();
    this.writer?.sync();
  }

  private current(ref: ObjectRef, expectedRevision?: number): StoredObject {
    const old = this.get(ref);
    if (!old) throw new KeyNotFoundError(storageKey(ref));
    if (expectedRevision !== undefined && old.modRevision !== expectedRevision) {
      throw new ConflictError(old.key, expectedRevision, old.modRevision);
    }
    return old;
  }

  /**
   * Group commit: a write joins the open batch, which reaches SQLite in one transaction after the
   * burst of writes (see WriteBatch). The cache, the revision and watch delivery move at once; what
   * a crash loses is the open batch, the way etcd's batch interval does.
   */
  private commit(row: PendingRow, state: DirtyKey): void {
    this.batch.add(row, state);
    this.rev = row.revision;
  }

  /** Caches an object's new state; disk-only resources need no parsed form. */
  private put(o: StoredObject | Omit<StoredObject, 'object'>): void {
    let byKey = this.cache.get(o.resource);
    if (!byKey) {
      byKey = new Map();
      this.cache.set(o.resource, byKey);
    }
    if (!byKey.has(o.key)) this.sortedKeys.delete(o.resource);
    const cached = 'object' in o && !DISK_ONLY_RESOURCES.has(o.resource) ? new ParsedObject(o) : new DiskObject(o, this.readRow);
    byKey.set(o.key, cached);
    this.unevicted.push(cached);
  }

  private emit(e: StoreEvent): void {
    for (const l of this.listeners) l(e);
  }
}
