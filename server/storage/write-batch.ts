import type { EventType, ObjectRef } from './store.js';

/** A log row not yet written to SQLite. */
export interface PendingRow {
  revision: number;
  key: string;
  resource: string;
  type: EventType;
  raw: Buffer;
}

/** The newest state of a key changed in the batch; no `raw` when it was deleted. */
export interface DirtyKey {
  ref: ObjectRef;
  createRevision: number;
  modRevision: number;
  raw?: Buffer;
}

/** The statements a batch is written with (prepared by the Store). */
export interface BatchStatements {
  upsert: { run(...args: unknown[]): unknown };
  remove: { run(...args: unknown[]): unknown };
  append: { run(...args: unknown[]): unknown };
  dropRow: { run(...args: unknown[]): unknown };
}

/**
 * One batch as the statements take it: heartbeat rows to drop, log rows in revision order, and the
 * newest state of each changed key (null value: deleted). Plain arrays, so a batch can also be
 * posted to the storage writer thread (see StorageWriter).
 */
export interface BatchData {
  dropped: number[];
  rows: Array<[revision: number, key: string, resource: string, type: EventType, value: Uint8Array]>;
  dirty: Array<[key: string, resource: string, namespace: string, name: string, createRevision: number, modRevision: number, value: Uint8Array | null]>;
}

/**
 * A batch for the trip to the writer thread: the values copied into one buffer, which is
 * transferred rather than cloned, and the rows without them (offsets into that buffer instead).
 * Cloning a message clones each Buffer in it separately, which cost as much as the rest of a write.
 */
export interface PackedBatch {
  dropped: number[];
  rows: Array<[revision: number, key: string, resource: string, type: EventType, start: number, end: number]>;
  dirty: Array<[key: string, resource: string, namespace: string, name: string, createRevision: number, modRevision: number, start: number, end: number]>;
  values: ArrayBuffer;
}

/** Packs a batch; a value shared by a row and its key's state (the usual case) is copied once. */
export function packBatch(data: BatchData): PackedBatch {
  const at = new Map<Uint8Array, number>();
  let size = 0;
  const place = (value: Uint8Array): number => {
    let start = at.get(value);
    if (start === undefined) {
      at.set(value, (start = size));
      size += value.byteLength;
    }
    return start;
  };
  const rows = data.rows.map(([revision, key, resource, type, value]): PackedBatch['rows'][number] => {
    const start = place(value);
    return [revision, key, resource, type, start, start + value.byteLength];
  });
  const dirty = data.dirty.map(([key, resource, namespace, name, createRevision, modRevision, value]): PackedBatch['dirty'][number] => {
    const start = value ? place(value) : -1;
    return [key, resource, namespace, name, createRevision, modRevision, start, value ? start + value.byteLength : -1];
  });
  // Not zeroed: every byte is copied over.
  const values = Buffer.allocUnsafeSlow(size);
  for (const [value, start] of at) values.set(value, start);
  return { dropped: data.dropped, rows, dirty, values: values.buffer };
}

/** The batch a PackedBatch holds, its values viewing the one transferred buffer. */
export function unpackBatch(packed: PackedBatch): BatchData {
  const view = (start: number, end: number): Uint8Array => new Uint8Array(packed.values, start, end - start);
  return {
    dropped: packed.dropped,
    rows: packed.rows.map(([revision, key, resource, type, start, end]) => [revision, key, resource, type, view(start, end)]),
    dirty: packed.dirty.map(([key, resource, namespace, name, createRevision, modRevision, start, end]) => [key, resource, namespace, name, createRevision, modRevision, start < 0 ? null : view(start, end)]),
  };
}

/** Runs a batch's statements; the caller holds the transaction. */
export function applyBatch(stmt: BatchStatements, data: BatchData): void {
  for (const revision of data.dropped) stmt.dropRow.run(revision);
  for (const r of data.rows) stmt.append.run(...r);
  for (const [key, resource, namespace, name, createRevision, modRevision, value] of data.dirty) {
    if (value) stmt.upsert.run(key, resource, namespace, name, createRevision, modRevision, value);
    else stmt.remove.run(key);
  }
}

// A batch stays open while every tick writes (a burst), up to these bounds; see WriteBatch.
const MAX_BATCH_ROWS = 2000;
const MAX_BATCH_TICKS = 32;

/**
 * The Store's writes not yet in SQLite: log rows in revision order and the newest state of each
 * changed key. The batch is written in one transaction once a tick passes without writes (the burst
 * of controller and kubelet writes ended) or it has stayed open MAX_BATCH_TICKS ticks or holds
 * MAX_BATCH_ROWS rows. An object written several times in a burst is stored once; every write
 * still gets its own log row, except heartbeat rows that a later beat replaces.
 */
export class WriteBatch {
  private readonly pending = new Map<number, PendingRow>();
  private readonly dirty = new Map<string, DirtyKey>();
  /** Heartbeat rows already in SQLite that the batch replaces. */
  private readonly dropped: number[] = [];
  private writesSinceCheck = 0;
  private ticks = 0;
  private scheduled = false;

  /** @param onDue called when the batch should be written (the Store flushes it). */
  constructor(private readonly onDue: () => void) {}

  /** True when nothing waits to be written. */
  get empty(): boolean {
    return this.pending.size === 0 && this.dirty.size === 0 && this.dropped.length === 0;
  }

  /** Adds one write: its log row and the key's new state. */
  add(row: PendingRow, state: DirtyKey): void {
    this.pending.set(row.revision, row);
    this.dirty.set(row.key, state);
    this.writesSinceCheck++;
    if (this.scheduled) return;
    this.scheduled = true;
    this.ticks = 0;
    this.writesSinceCheck = 0;
    setImmediate(() => this.check());
  }

  /** Drops the log row of `revision`: from the batch if it is still there, else from SQLite. */
  dropRow(revision: number): void {
    if (!this.pending.delete(revision)) this.dropped.push(revision);
  }

  /** Empties the batch into the plain rows a transaction writes (see applyBatch). */
  take(): BatchData {
    const data: BatchData = {
      dropped: this.dropped.splice(0),
      rows: [...this.pending.values()].map((r) => [r.revision, r.key, r.resource, r.type, r.raw]),
      dirty: [...this.dirty].map(([key, d]) => [key, d.ref.resource, d.ref.namespace, d.ref.name, d.createRevision, d.modRevision, d.raw ?? null]),
    };
    this.pending.clear();
    this.dirty.clear();
    return data;
  }

  /** After each tick while open: a tick without writes ends the burst; a long burst is cut. */
  private check(): void {
    this.ticks++;
    const busy = this.writesSinceCheck > 0;
    this.writesSinceCheck = 0;
    if (busy && this.ticks < MAX_BATCH_TICKS && this.pending.size < MAX_BATCH_ROWS) {
      setImmediate(() => this.check());
      return;
    }
    this.scheduled = false;
    this.onDue();
  }
}
