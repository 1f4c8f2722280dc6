import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The lowest priority Linux gives a thread (the highest nice value). */
export const HELPER_NICE = 19;

/**
 * Gives every thread of the process but the main one the lowest CPU priority, so that on a busy
 * machine the main thread (the API server and the whole simulation) runs whenever it can: V8's GC
 * helpers and the SQLite writer then take what it leaves. On two cores the main thread of a
 * 10,000-pod burst lost about 2 s to them at equal priority. Their work is mostly not waited for
 * (concurrent marking, commits); where it is, the main thread does a GC pause's share that no
 * helper took, and it waits for the writer only when it reads SQLite itself, as before. Linux only:
 * there each thread has its own nice value, set through its thread id, and threads started later
 * inherit their creator's.
 */
export function deprioritizeHelperThreads(): void {
  if (process.platform !== 'linux') return;
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return;
  }
  for (const name of tids) {
    const tid = Number(name);
    if (!Number.isInteger(tid) || tid === process.pid) continue;
    try {
      setPriority(tid, HELPER_NICE);
    } catch {
      // A thread that ended since the listing (ESRCH) has nothing to change.
    }
  }
}
