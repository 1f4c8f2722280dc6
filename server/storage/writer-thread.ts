// The storage writer thread (see StorageWriter): commits the batches the Store posts, in order, on
// a connection of its own, and counts each one done in the shared state word.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { COMPACT_SQL, dropLogRows, PRAGMAS, WRITE_SQL } from './schema.js';
import { COMMITTED_OFFSET, COMPACTED_OFFSET, DONE, FAILED } from './storage-writer.js';
import { applyBatch, unpackBatch, type BatchData, type PackedBatch } from './write-batch.js';

interface Init {
  path: string;
  state: SharedArrayBuffer;
}

/** What the Store posts: a batch and the revision it reaches, or the request to close. */
export type WriterMessage = { batch: PackedBatch; revision: number } | { compact: { retain: number; max: number; compacted: number } } | { close: true };

const { path, state } = workerData as Init;
const done = new Int32Array(state, 0, 2);
const compacted = new BigInt64Array(state, COMPACTED_OFFSET, 1);
const committed = new BigInt64Array(state, COMMITTED_OFFSET, 1);
/** The connection and its batch transaction; undefined when the database cannot be opened. */
function open(): { db: Database.Database; commit: (data: BatchData, revision: number) => void; compact: (retain: number, max: number, compacted: number) => void } | undefined {
  try {
    const db = new Database(path);
    for (const p of PRAGMAS) db.pragma(p);
    const sql = { ...WRITE_SQL, ...COMPACT_SQL };
    const stmt = Object.fromEntries(Object.entries(sql).map(([k, text]) => [k, db.prepare(text)])) as unknown as Record<keyof typeof sql, Database.Statement>;
    const commit = db.transaction((data: BatchData, revision: number) => {
      applyBatch(stmt, data);
      stmt.setMeta.run('revision', revision);
    });
    // The Store's retainTarget and compact, here so compaction never waits on the main thread.
    const compact = (retain: number, max: number, from: number): void => {
      const row = stmt.nthNewest.get(retain) as { revision: number } | undefined;
      const target = Math.min(row ? row.revision : from, max);
      if (target <= from) return;
      dropLogRows(stmt, target);
      Atomics.store(compacted, 0, BigInt(target));
      db.pragma('wal_checkpoint(PASSIVE)');
    };
    return { db, commit, compact };
  } catch (e) {
    // Nothing will ever be committed: release every wait at once, as failed.
    Atomics.store(done, FAILED, 1);
    Atomics.store(done, DONE, 2 ** 30);
    Atomics.notify(done, DONE);
    parentPort!.postMessage(e instanceof Error ? e.message : String(e));
    return undefined;
  }
}

const conn = open();
// Without a database the thread takes no messages and ends.
if (conn) parentPort!.on('message', (m: WriterMessage) => {
  if ('close' in m) {
    conn.db.close();
    parentPort!.close();
  } else if ('compact' in m) {
    try {
      conn.compact(m.compact.retain, m.compact.max, m.compact.compacted);
    } catch (e) {
      // A failed compaction leaves the log longer; the next pass tries again.
      parentPort!.postMessage(e instanceof Error ? (e.stack ?? e.message) : String(e));
    }
  } else {
    try {
      conn.commit(unpackBatch(m.batch), m.revision);
      Atomics.store(committed, 0, BigInt(m.revision));
      // SQLite has copied the values: the buffer goes back to be freed (see StorageWriter).
      parentPort!.postMessage(m.batch.values, [m.batch.values]);
    } catch (e) {
      // The Store finds the failure when it next waits for the writer (StorageWriter.sync).
      Atomics.store(done, FAILED, 1);
      parentPort!.postMessage(e instanceof Error ? (e.stack ?? e.message) : String(e));
    }
  }
  Atomics.add(done, DONE, 1);
  Atomics.notify(done, DONE);
});
