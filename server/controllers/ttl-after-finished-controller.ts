/**
 * The TTL-after-finished controller: deletes a finished Job (Complete or Failed) once
 * spec.ttlSecondsAfterFinished has passed since it finished, on the virtual clock. Port of kubernetes
 * pkg/controller/ttlafterfinished/ttlafterfinished_controller.go (processJob, processTTL,
 * timeLeft): the deletion is Foreground with a UID precondition, as upstream does, so the Job
 * stays until the garbage collector removed its pods.
 */
import type { KubeObject } from '../../schemas/types/meta.js';
import type { ClusterContext } from '../cluster.js';
import type { LocalClient } from '../client/api-client.js';
import { objectKey } from '../informers/informer.js';
import { finishedCondition } from './job/conditions.js';
import type { Job } from './job/types.js';
import { runController, type Result } from './runner.js';
import { KUBE_CONTROLLER_MANAGER } from './field-managers.js';

/** Starts the TTL-after-finished controller on the shared job informer. */
export function startTTLAfterFinishedController(ctx: ClusterContext): () => void {
  const client = ctx.client(KUBE_CONTROLLER_MANAGER);
  const now = (): number => ctx.clock.now();
  const { queue, stop } = runController({ name: 'ttl-after-finished-controller', reconcile: (key) => processJob(client, now, key) }, ctx.clock);
  const enqueue = (j: Readonly<KubeObject>): void => {
    if (needsCleanup(j as Job)) queue.add(objectKey(j));
  };
  ctx.informers.for('jobs.batch').on({ add: enqueue, update: (_old, cur) => enqueue(cur) });
  return stop;
}

/** A job with a TTL that finished and is not being deleted yet. */
function needsCleanup(j: Readonly<Job>): boolean {
  return j.spec.ttlSecondsAfterFinished != null && finishedCondition(j) !== undefined && !j.metadata.deletionTimestamp;
}

/** Time until the TTL expires (≤ 0 when expired), from the finishing condition's transition time. */
export function timeLeftMs(j: Readonly<Job>, nowMs: number): number | undefined {
  const c = finishedCondition(j);
  if (!c?.lastTransitionTime || j.spec.ttlSecondsAfterFinished == null) return undefined;
  return Date.parse(c.lastTransitionTime) + j.spec.ttlSecondsAfterFinished * 1000 - nowMs;
}

function processJob(client: LocalClient, now: () => number, key: string): Result | void {
  const [namespace = '', name = ''] = key.split('/');
  // The fresh read stands in for upstream's final re-check: the TTL may have been changed.
  const job = client.get('jobs.batch', { namespace, name }) as Job | undefined;
  if (!job || !needsCleanup(job)) return;
  const left = timeLeftMs(job, now());
  if (left === undefined) return;
  if (left > 0) return { requeueAfterMs: left };
  client.delete('jobs.batch', { namespace, name }, { propagationPolicy: 'Foreground', preconditions: { uid: job.metadata.uid } });
}
