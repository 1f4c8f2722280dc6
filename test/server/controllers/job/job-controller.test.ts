import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startJobController } from '../../../../server/controllers/job/job-controller.js';
import { startTestCluster } from '../../../support/cluster.js';
import { conditions, eventsFor, finishPod, getJob, jobManifest, podsOf, runningPods } from './fixtures.js';

test('completions 3 parallelism 2 runs two pods, then one, then completes', async (t) => {
  const c = startTestCluster(t, [startJobController]);
  c.client.create('jobs.batch', jobManifest('pi', { completions: 3, parallelism: 2 }));
  await c.advance(1000);
  const first = runningPods(c, 'pi');
  assert.equal(first.length, 2);
  const pod = first[0]!;
  assert.match(pod.metadata.name!, /^pi-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.deepEqual(pod.metadata.finalizers, ['batch.kubernetes.io/job-tracking']);
  const job = getJob(c, 'pi');
  const uid = job.metadata.uid!;
  for (const k of ['batch.kubernetes.io/controller-uid', 'controller-uid']) assert.equal(pod.metadata.labels![k], uid);
  for (const k of ['batch.kubernetes.io/job-name', 'job-name']) assert.equal(pod.metadata.labels![k], 'pi');
  assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid, controller: true, blockOwnerDeletion: true }]);
  assert.deepEqual(job.status, { startTime: '2026-01-01T00:00:00Z', active: 2, terminating: 0, uncountedTerminatedPods: {}, ready: 0 });

  finishPod(c, first[0]!.metadata.name!);
  finishPod(c, first[1]!.metadata.name!);
  await c.advance(2000);
  const second = runningPods(c, 'pi');
  assert.equal(second.length, 1);
  assert.equal(getJob(c, 'pi').status.succeeded, 2);
  // Counted pods lose the tracking finalizer.
  assert.deepEqual(podsOf(c, 'pi').filter((p) => p.metadata.finalizers?.length).map((p) => p.metadata.name), [second[0]!.metadata.name]);

  c.clock.advance(5000);
  finishPod(c, second[0]!.metadata.name!);
  await c.advance(3000);
  const done = getJob(c, 'pi');
  assert.deepEqual(conditions(done), ['SuccessCriteriaMet=True', 'Complete=True']);
  const complete = done.status.conditions[1];
  assert.equal(complete.reason, 'CompletionsReached');
  assert.equal(complete.message, 'Reached expected number of succeeded pods');
  assert.equal(done.status.succeeded, 3);
  assert.equal(done.status.active, undefined);
  assert.equal(done.status.completionTime, complete.lastTransitionTime);
  assert.deepEqual(done.status.uncountedTerminatedPods, {});
  const events = eventsFor(c, 'pi');
  assert.equal(events.filter((e) => e.startsWith('Normal SuccessfulCreate Created pod: pi-')).length, 3);
  assert.equal(events.at(-1), 'Normal Completed Job completed');
});

test('failures back off 10s, 20s, ... and end in BackoffLimitExceeded', async (t) => {
  const c = startTestCluster(t, [startJobController]);
  c.client.create('jobs.batch', jobManifest('fail', { backoffLimit: 2 }));
  await c.advance(1000);
  const created: number[] = [];
  for (let i = 0; i < 3; i++) {
    const [pod] = runningPods(c, 'fail');
    assert.ok(pod, `pod ${i} exists`);
    created.push(Date.parse(pod.metadata.creationTimestamp!));
    finishPod(c, pod.metadata.name!, 1);
    // Wait long enough for any back-off to pass.
    for (let s = 0; s < 60 && runningPods(c, 'fail').length === 0 && i < 2; s++) await c.advance(1000, 500);
  }
  // Re-creation waits 10 s after the first failure and 20 s after the second (plus the 1 s batching).
  assert.ok(created[1]! - created[0]! >= 10_000 && created[1]! - created[0]! <= 12_000, `first delay ${created[1]! - created[0]!}`);
  assert.ok(created[2]! - created[1]! >= 20_000 && created[2]! - created[1]! <= 22_000, `second delay ${created[2]! - created[1]!}`);
  await c.advance(3000);
  const job = getJob(c, 'fail');
  assert.deepEqual(conditions(job), ['FailureTarget=True', 'Failed=True']);
  assert.equal(job.status.conditions[1].reason, 'BackoffLimitExceeded');
  assert.equal(job.status.conditions[1].message, 'Job has reached the specified backoff limit');
  assert.equal(job.status.failed, 3);
  assert.equal(job.status.completionTime, undefined);
  assert.ok(eventsFor(c, 'fail').includes('Warning BackoffLimitExceeded Job has reached the specified backoff limit'));
});

test('activeDeadlineSeconds fails the job and deletes its active pods', async (t) => {
  const c = startTestCluster(t, [startJobController]);
  c.client.create('jobs.batch', jobManifest('slow', { activeDeadlineSeconds: 30, parallelism: 2, completions: 4 }));
  await c.advance(1000);
  assert.equal(runningPods(c, 'slow').length, 2);
  await c.advance(30_000, 1000);
  await c.advance(2000);
  const job = getJob(c, 'slow');
  assert.deepEqual(conditions(job), ['FailureTarget=True', 'Failed=True']);
  assert.equal(job.status.conditions[1].reason, 'DeadlineExceeded');
  assert.equal(job.status.conditions[1].message, 'Job was active longer than specified deadline');
  // The deleted pods count as failed; with no kubelet they go as soon as the finalizer is removed.
  assert.equal(job.status.failed, 2);
  assert.equal(podsOf(c, 'slow').length, 0);
  const events = eventsFor(c, 'slow');
  assert.equal(events.filter((e) => e.startsWith('Normal SuccessfulDelete Deleted pod: slow-')).length, 2);
  assert.equal(events.at(-1), 'Warning DeadlineExceeded Job was active longer than specified deadline');
});

test('Indexed jobs name pods <job>-<index>- and track completedIndexes', async (t) => {
  const c = startTestCluster(t, [startJobController]);
  c.client.create('jobs.batch', jobManifest('idx', { completions: 3, parallelism: 2, completionMode: 'Indexed' }));
  await c.advance(1000);
  const pods = runningPods(c, 'idx').sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
  assert.deepEqual(pods.map((p) => p.metadata.annotations!['batch.kubernetes.io/job-completion-index']), ['0', '1']);
  assert.match(pods[0]!.metadata.name!, /^idx-0-[a-z0-9]{5}$/);
  assert.equal(pods[1]!.metadata.labels!['batch.kubernetes.io/job-completion-index'], '1');
  const spec = pods[0]!.spec as { hostname: string; containers: Array<{ env: unknown[] }> };
  assert.equal(spec.hostname, 'idx-0');
  assert.deepEqual(spec.containers[0]!.env, [{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } }]);

  finishPod(c, pods[1]!.metadata.name!);
  await c.advance(2000);
  assert.equal(getJob(c, 'idx').status.completedIndexes, '1');
  const next = runningPods(c, 'idx').map((p) => p.metadata.annotations!['batch.kubernetes.io/job-completion-index']).sort();
  assert.deepEqual(next, ['0', '2']);
  for (const p of runningPods(c, 'idx')) finishPod(c, p.metadata.name!);
  await c.advance(3000);
  const job = getJob(c, 'idx');
  assert.equal(job.status.completedIndexes, '0-2');
  assert.equal(job.status.succeeded, 3);
  assert.deepEqual(conditions(job), ['SuccessCriteriaMet=True', 'Complete=True']);
});

test('suspend deletes active pods and resume starts again', async (t) => {
  const c = startTestCluster(t, [startJobController]);
  c.client.create('jobs.batch', jobManifest('sus', { suspend: true }));
  await c.advance(1000);
  let job = getJob(c, 'sus');
  assert.equal(podsOf(c, 'sus').length, 0);
  assert.deepEqual(conditions(job), ['Suspended=True']);
  assert.equal(job.status.conditions[0].reason, 'JobSuspended');
  assert.equal(job.status.startTime, undefined);

  await c.advance(5000);
  c.client.mutate('jobs.batch', { namespace: 'default', name: 'sus' }, (j) => ((j.spec as { suspend: boolean }).suspend = false, j));
  await c.advance(1000);
  job = getJob(c, 'sus');
  assert.deepEqual(conditions(job), ['Suspended=False']);
  assert.equal(job.status.conditions[0].reason, 'JobResumed');
  assert.equal(job.status.startTime, '2026-01-01T00:00:06Z');
  assert.equal(runningPods(c, 'sus').length, 1);

  c.client.mutate('jobs.batch', { namespace: 'default', name: 'sus' }, (j) => ((j.spec as { suspend: boolean }).suspend = true, j));
  await c.advance(2000);
  job = getJob(c, 'sus');
  assert.equal(podsOf(c, 'sus').length, 0);
  assert.deepEqual(conditions(job), ['Suspended=True']);
  assert.equal(job.status.failed, undefined);
  assert.deepEqual(eventsFor(c, 'sus').filter((e) => !e.includes('pod')), ['Normal Suspended Job suspended', 'Normal Resumed Job resumed']);
  // The second suspension repeats the first event, so the recorder counts it on the same Event.
  const suspended = c.list('events', 'default').find((e) => e.reason === 'Suspended');
  assert.equal(suspended?.count, 2);
});

test('a FailJob pod failure policy rule fails the job with its message', async (t) => {
  const c = startTestCluster(t, [startJobController]);
  const policy = { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] };
  c.client.create('jobs.batch', jobManifest('pfp', { podFailurePolicy: policy }));
  await c.advance(1000);
  const [pod] = runningPods(c, 'pfp');
  finishPod(c, pod!.metadata.name!, 42);
  await c.advance(3000);
  const job = getJob(c, 'pfp');
  assert.deepEqual(conditions(job), ['FailureTarget=True', 'Failed=True']);
  assert.equal(job.status.conditions[1].reason, 'PodFailurePolicy');
  assert.equal(job.status.conditions[1].message, `Container main for pod default/${pod!.metadata.name!} failed with exit code 42 matching FailJob rule at index 0`);
});

test('deleting a job lets its pods go: the tracking finalizer is removed', async (t) => {
  const c = startTestCluster(t, [startJobController]);
  c.client.create('jobs.batch', jobManifest('gone'));
  await c.advance(1000);
  const [pod] = runningPods(c, 'gone');
  c.client.delete('jobs.batch', { namespace: 'default', name: 'gone' });
  c.client.delete('pods', { namespace: 'default', name: pod!.metadata.name! });
  await c.advance(1000);
  assert.equal(c.client.get('pods', { namespace: 'default', name: pod!.metadata.name! }), undefined);
});
