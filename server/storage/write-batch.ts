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
 * newest state of each changed key (null value: deleted). The writer thread gets it packed (see
 * PackedBatch) and unpacks it to this form.
 */
export interface BatchData {
  dropped: number[];
  rows: Array<[revision: number, key: string, resource: string, type: EventType, value: Uint8Array]>;
  dirty: Array<[key: string, resource: string, namespace: string, name: string, createRevision: number, modRevision: number, value: Uint8Array | null]>;
}

/**
 * A batch for the trip to the writer thread, in a few flat parts: the values copied into one buffer,
 * the numbers of the rows and of the changed keys in two typed arrays (all three transferred rather
 * than cloned), and their strings in one NUL-separated text. Cloning a message clones each array
 * and string in it separately: a batch as rows of tuples cost as much to post as the rest of a write.
 */
export interface PackedBatch {
  dropped: number[];
  /** Per log row: revision, type (index in EVENT_TYPES), start and end of its value. */
  rows: Float64Array;
  /** Per changed key: create revision, mod revision, start and end of its value (-1 and -1: deleted). */
  dirty: Float64Array;
  /** Each row's key and resource, then each changed key's key, resource, namespace and name. */
  text: string;
  values: ArrayBuffer;
}

const EVENT_TYPES: readonly EventType[] = ['ADDED', 'MODIFIED', 'DELETED'];
const ROW_NUMBERS = 4;
const DIRTY_NUMBERS = 4;

/** The parts of a PackedBatch that are transferred, not cloned. */
export function packedTransfers(packed: PackedBatch): ArrayBuffer[] {
  return [packed.values, packed.rows.buffer as ArrayBuffer, packed.dirty.buffer as ArrayBuffer];
}

/** The batch a PackedBatch holds, its values viewing the one transferred buffer. */
export function unpackBatch(packed: PackedBatch): BatchData {
  const view = (start: number, end: number): Uint8Array => new Uint8Array(packed.values, start, end - start);
  const text = packed.text.split('\0');
  let t = 0;
  const rows: BatchData['rows'] = [];
  for (let i = 0; i < packed.rows.length; i += ROW_NUMBERS) {
    const n = packed.rows;
    rows.push([n[i]!, text[t++]!, text[t++]!, EVENT_TYPES[n[i + 1]!]!, view(n[i + 2]!, n[i + 3]!)]);
  }
  const dirty: BatchData['dirty'] = [];
  for (let i = 0; i < packed.dirty.length; i += DIRTY_NUMBERS) {
    const n = packed.dirty;
    dirty.push([text[t++]!, text[t++]!, text[t++]!, text[t++]!, n[i]!, n[i + 1]!, n[i + 2]! < 0 ? null : view(n[i + 2]!, n[i + 3]!)]);
  }
  return { dropped: packed.dropped, rows, dirty };
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

  /**
   * Empties the batch into its packed form for the writer thread, in one pass: a key's new state
   * shares its bytes with the key's newest log row (the usual case), so they are copied once.
   */
  pack(): PackedBatch {
    let size = 0;
    for (const r of this.pending.values()) size += r.raw.byteLength;
    for (const d of this.dirty.values()) if (d.raw && this.pending.get(d.modRevision)?.raw !== d.raw) size += d.raw.byteLength;
    // Not zeroed: every byte is copied over.
    const values = Buffer.allocUnsafeSlow(size);
    const rows = new Float64Array(this.pending.size * ROW_NUMBERS);
    const dirty = new Float64Array(this.dirty.size * DIRTY_NUMBERS);
    const text: string[] = [];
    const rowStarts = new Map<number, number>();
    let at = 0;
    let i = 0;
    for (const r of this.pending.values()) {
      values.set(r.raw, at);
      rowStarts.set(r.revision, at);
      rows[i++] = r.revision;
      rows[i++] = EVENT_TYPES.indexOf(r.type);
      rows[i++] = at;
      rows[i++] = at += r.raw.byteLength;
      text.push(r.key, r.resource);
    }
    i = 0;
    for (const [key, d] of this.dirty) {
      let start = -1;
      if (d.raw && this.pending.get(d.modRevision)?.raw === d.raw) start = rowStarts.get(d.modRevision)!;
      else if (d.raw) {
        start = at;
        values.set(d.raw, at);
        at += d.raw.byteLength;
      }
      dirty[i++] = d.createRevision;
      dirty[i++] = d.modRevision;
      dirty[i++] = start;
      dirty[i++] = d.raw ? start + d.raw.byteLength : -1;
      text.push(key, d.ref.resource, d.ref.namespace, d.ref.name);
    }
    const packed: PackedBatch = { dropped: this.dropped.splice(0), rows, dirty, text: text.join('\0'), values: values.buffer };
    this.pending.clear();
    this.dirty.clear();
    return packed;
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
