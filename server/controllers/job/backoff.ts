/**
 * The pod-failure back-off of the Job controller: re-creating pods after failures waits
 * 10 s · 2^(failures − 1), capped at 10 min, counted from the last failure. Port of kubernetes
 * pkg/controller/job/backoff_utils.go (backoffRecord, newBackoffRecord, getRemainingTime).
 */
import { getFinishedTime } from './pods.js';
import type { Pod } from './types.js';

/** First re-creation delay after a failed pod (DefaultJobPodFailureBackOff). */
export const DEFAULT_JOB_POD_FAILURE_BACKOFF_MS = 10_000;
/** The delay doubles per consecutive failure up to this (MaxJobPodFailureBackOff). */
export const MAX_JOB_POD_FAILURE_BACKOFF_MS = 600_000;

/** Failures since the last success and when the latest of them happened. */
export interface BackoffRecord {
  key: string;
  failuresAfterLastSuccess: number;
  lastFailureTimeMs?: number;
}

/** Back-off records per job key; a record is saved only once its failures are in the job status. */
export class BackoffStore {
  private readonly records = new Map<string, BackoffRecord>();

  /** The record after the newly finished pods: a success resets it; later failures count again. */
  newBackoffRecord(key: string, newSucceeded: Pod[], newFailed: Pod[]): BackoffRecord {
    const old = this.records.get(key);
    const rec: BackoffRecord = { key, failuresAfterLastSuccess: old?.failuresAfterLastSuccess ?? 0, lastFailureTimeMs: old?.lastFailureTimeMs };
    const failedTimes = newFailed.map(getFinishedTime).sort((a, b) => a - b);
    if (newSucceeded.length === 0) {
      if (failedTimes.length === 0) return rec;
      return { key, failuresAfterLastSuccess: rec.failuresAfterLastSuccess + failedTimes.length, lastFailureTimeMs: failedTimes.at(-1) };
    }
    const lastSuccess = Math.max(...newSucceeded.map(getFinishedTime));
    const after = failedTimes.filter((t) => t > lastSuccess);
    return { key, failuresAfterLastSuccess: after.length, lastFailureTimeMs: after.at(-1) };
  }

  /** Saves a record (after the status carrying its failures was written). */
  update(rec: BackoffRecord): void {
    this.records.set(rec.key, rec);
  }

  /** Forgets a finished or deleted job. */
  remove(key: string): void {
    this.records.delete(key);
  }
}

/** How long pod creation must still wait: 0 without failures or once the delay has passed. */
export function getRemainingTime(rec: BackoffRecord, nowMs: number): number {
  if (rec.failuresAfterLastSuccess === 0 || rec.lastFailureTimeMs === undefined) return 0;
  let delay = DEFAULT_JOB_POD_FAILURE_BACKOFF_MS;
  for (let i = 1; i < rec.failuresAfterLastSuccess; i++) {
    delay *= 2;
    if (delay >= MAX_JOB_POD_FAILURE_BACKOFF_MS) {
      delay = MAX_JOB_POD_FAILURE_BACKOFF_MS;
      break;
    }
  }
  const elapsed = nowMs - rec.lastFailureTimeMs;
  return delay < elapsed ? 0 : delay - elapsed;
}
