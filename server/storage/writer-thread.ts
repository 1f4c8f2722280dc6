// The storage writer thread (see StorageWriter): commits the batches the Store posts, in order, on
// a connection of its own, and counts each one done in the shared state word.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { PRAGMAS, WRITE_SQL } from './schema.js';
import { DONE, FAILED } from './storage-writer.js';
import { applyBatch, type BatchData } from './write-batch.js';

interface Init {
  path: string;
  state: SharedArrayBuffer;
}

/** What the Store posts: a batch and the revision it reaches, or the request to close. */
export type WriterMessage = { batch: BatchData; revision: number } | { close: true };

const { path, state } = workerData as Init;
const done = new Int32Array(state);
/** The connection and its batch transaction; undefined when the database cannot be opened. */
function open(): { db: Database.Database; commit: (data: BatchData, revision: number) => void } | undefined {
  try {
    const db = new Database(path);
    for (const p of PRAGMAS) db.pragma(p);
    const stmt = Object.fromEntries(Object.entries(WRITE_SQL).map(([k, sql]) => [k, db.prepare(sql)])) as unknown as Record<keyof typeof WRITE_SQL, Database.Statement>;
    const commit = db.transaction((data: BatchData, revision: number) => {
      applyBatch(stmt, data);
      stmt.setMeta.run('revision', revision);
    });
    return { db, commit };
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
  } else {
    try {
      conn.commit(m.batch, m.revision);
    } catch (e) {
      // The Store finds the failure when it next waits for the writer (StorageWriter.sync).
      Atomics.store(done, FAILED, 1);
      parentPort!.postMessage(e instanceof Error ? (e.stack ?? e.message) : String(e));
    }
  }
  Atomics.add(done, DONE, 1);
  Atomics.notify(done, DONE);
});
