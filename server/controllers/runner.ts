import { StatusError } from '../api/errors.js';
import type { Clock } from '../clock.js';
import { WorkQueue } from './workqueue.js';

/** What a reconcile asks for next (controller-runtime's Result): a timed re-check, or nothing. */
export interface Result {
  requeueAfterMs?: number;
}

/** A level-based controller body: reads the current state for a key and moves the world toward it. */
export interface Reconciler {
  name: string;
  reconcile(key: string): Promise<Result | void> | Result | void;
}

/** An error that retrying cannot fix: logged once, the key is dropped. */
export class TerminalError extends Error {
  override name = 'TerminalError';
}

/** Retries per key before a failing key is dropped (upstream's maxRetries for most controllers). */
export const MAX_RETRIES = 15;

/** A running controller: its queue (handlers add keys to it) and a stop function. */
export interface RunningController {
  queue: WorkQueue;
  stop(): void;
}

/**
 * Runs a reconciler on a work queue with `workers` async workers (sample-controller's
 * runWorker/processNextWorkItem): done() always, forget() on success, rate-limited requeue on
 * error up to MAX_RETRIES, then drop. A key is never reconciled by two workers at once.
 */
export function runController(r: Reconciler, clock: Clock, opts: { workers?: number; queue?: WorkQueue; maxRetries?: number } = {}): RunningController {
  const queue = opts.queue ?? new WorkQueue(clock);
  const worker = async (): Promise<void> => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        const result = await r.reconcile(key);
        queue.forget(key);
        if (result?.requeueAfterMs !== undefined) queue.addAfter(key, result.requeueAfterMs);
      } catch (err) {
        handleErr(r.name, queue, key, err, opts.maxRetries ?? MAX_RETRIES);
      } finally {
        queue.done(key);
      }
    }
  };
  for (let i = 0; i < (opts.workers ?? 1); i++) void worker();
  return { queue, stop: () => queue.shutdown() };
}

function handleErr(name: string, queue: WorkQueue, key: string, err: unknown, maxRetries: number): void {
  // Conflicts and not-found races are ordinary in level-based controllers: retry quietly.
  const ordinary = err instanceof StatusError && (err.code === 409 || err.code === 404);
  if (!ordinary) process.stderr.write(`${name}: error syncing "${key}": ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  if (err instanceof TerminalError || queue.numRequeues(key) >= maxRetries) {
    queue.forget(key);
    return;
  }
  queue.addRateLimited(key);
}
