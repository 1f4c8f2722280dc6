import { Worker } from 'node:worker_threads';
import { packedTransfers, type PackedBatch } from './write-batch.js';
import type { WriterMessage } from './writer-thread.js';

/** Int32 slots of the state shared with the writer thread: messages handled, and whether a batch failed. */
export const DONE = 0;
export const FAILED = 1;
/** Byte offset of the BigInt64 slot holding the revision the writer last compacted to. */
export const COMPACTED_OFFSET = 8;
/** Byte offset of the BigInt64 slot holding the newest revision committed. */
export const COMMITTED_OFFSET = 16;
const STATE_BYTES = 24;
/** How long a wait for the writer may see no progress before the Store gives up on it. */
const STALL_LIMIT_MS = 60_000;

/**
 * Commits the Store's write batches on a thread of its own (server/storage/writer-thread.ts), so
 * SQLite's inserts, commits and WAL checkpoints run on the second core while the cluster keeps the
 * first: they were a sixth of the daemon's time under load. Batches are committed in the order
 * posted; sync() waits until all are, and the Store calls it before anything that reads or rewrites
 * SQLite itself (watch resumption, compaction, reset, restore, close).
 */
export class StorageWriter {
  private readonly worker: Worker;
  private readonly state = new Int32Array(new SharedArrayBuffer(STATE_BYTES));
  private readonly compacted = new BigInt64Array(this.state.buffer, COMPACTED_OFFSET, 1);
  private readonly committed = new BigInt64Array(this.state.buffer, COMMITTED_OFFSET, 1);
  private sent = 0;

  constructor(path: string) {
    this.worker = new Worker(new URL('./writer-thread.js', import.meta.url), { workerData: { path, state: this.state.buffer } });
    // Besides its error texts, the writer hands back each batch's values buffer once SQLite has
    // copied them. Its own heap hardly grows, so it collected them so seldom that 10–25 MB of them
    // were still mapped after a burst; here the next scavenge frees them.
    this.worker.on('message', (m: string | ArrayBuffer) => {
      if (typeof m === 'string') process.stderr.write(`storage writer: ${m}\n`);
    });
    this.worker.on('error', (e) => process.stderr.write(`storage writer: ${e.stack ?? e.message}\n`));
    this.worker.unref();
  }

  /** Hands a batch to the writer; `revision` is the newest revision it holds. */
  post(batch: PackedBatch, revision: number): void {
    this.send({ batch, revision }, packedTransfers(batch));
  }

  /** Waits until every posted batch is committed; throws if one failed. */
  sync(): void {
    let last = Atomics.load(this.state, DONE);
    let stalledMs = 0;
    while (last < this.sent) {
      if (Atomics.wait(this.state, DONE, last, 1000) === 'timed-out' && Atomics.load(this.state, DONE) === last) {
        stalledMs += 1000;
        if (stalledMs >= STALL_LIMIT_MS) throw new Error('the storage writer stopped committing batches');
      } else stalledMs = 0;
      last = Atomics.load(this.state, DONE);
    }
    if (Atomics.load(this.state, FAILED)) throw new Error('the storage writer failed to commit a batch (see the error above)');
  }

  /** Compacts the log to its newest `retain` rows (never past `max`) after the batches posted so far. */
  compact(retain: number, max: number, compacted: number): void {
    this.send({ compact: { retain, max, compacted } });
  }

  /** The revision the writer last compacted the log to (0 before its first compaction). */
  compactedRevision(): number {
    return Number(Atomics.load(this.compacted, 0));
  }

  /** The newest revision in SQLite (0 before the first commit). */
  committedRevision(): number {
    return Number(Atomics.load(this.committed, 0));
  }

  /** Commits what is posted, then closes the writer's connection. */
  close(): void {
    this.send({ close: true });
    this.sync();
  }

  private send(m: WriterMessage, transfer: ArrayBuffer[] = []): void {
    this.sent++;
    this.worker.postMessage(m, transfer);
  }
}
