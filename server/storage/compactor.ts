import type { Clock } from '../clock.js';
import type { Store } from './store.js';

/** How often the log is compacted (the apiserver compacts etcd every 5 minutes). */
export const COMPACT_INTERVAL_MS = 5 * 60_000;
/**
 * The newest log rows always kept, so recent watches can resume (kine's compact-min-retain). Rows,
 * not revisions: coalesced heartbeats use revisions without keeping rows (Store.retainTarget).
 */
export const COMPACT_MIN_RETAIN = 1000;

/** Compacts the revision log on the virtual clock; returns a stop function. */
export function startCompactor(store: Store, clock: Clock, retain = COMPACT_MIN_RETAIN): () => void {
  let cancel: () => void = () => {};
  const run = (): void => {
    store.compactRetaining(retain);
    cancel = clock.setTimer(run, COMPACT_INTERVAL_MS);
  };
  run();
  return () => cancel();
}
