/**
 * What one syncJob pass carries between its steps (upstream's syncJobCtx) and the controller's
 * dependencies that the step functions share.
 */
import type { Clock } from '../../clock.js';
import type { LocalClient } from '../../client/api-client.js';
import type { EventRecorder } from '../events.js';
import type { BackoffRecord, BackoffStore } from './backoff.js';
import type { Intervals } from './indexed.js';
import type { Job, JobCondition, Pod } from './types.js';

/** The Job controller's collaborators. */
export interface JobDeps {
  client: LocalClient;
  clock: Clock;
  recorder: EventRecorder;
  backoff: BackoffStore;
  /** Re-syncs a job key after a delay (never sooner than the batching period). */
  enqueueAfter(key: string, ms: number): void;
}

/** State of one syncJob pass. */
export interface SyncJobCtx {
  key: string;
  /** The working copy whose status is written. */
  job: Job;
  pods: Pod[];
  activePods: Pod[];
  ready: number;
  terminating: number;
  uncounted: { succeeded: Set<string>; failed: Set<string> };
  succeeded: number;
  failed: number;
  finishedCondition?: JobCondition;
  newBackoffRecord: BackoffRecord;
  prevSucceededIndexes?: Intervals;
  succeededIndexes?: Intervals;
}
