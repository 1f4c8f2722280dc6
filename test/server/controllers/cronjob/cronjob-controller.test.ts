import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { rfc3339 } from '../../../../server/clock.js';
import { startCronJobController } from '../../../../server/controllers/cronjob/cronjob-controller.js';
import { startTestCluster, type TestCluster } from '../../../support/cluster.js';
import { eventsFor } from '../job/fixtures.js';

const MINUTE_MS = 60_000;
const START_MS = Date.UTC(2026, 0, 1);

function cronJob(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default' },
    spec: {
      schedule: '*/1 * * * *',
      ...spec,
      jobTemplate: {
        metadata: { labels: { app: name }, annotations: { note: 'x' } },
        spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'main', image: 'busybox' }] } } },
      },
    },
  };
}

/** Job names of a cronjob, sorted. */
function jobNames(c: TestCluster): string[] {
  return c.list('jobs.batch', 'default').map((j) => j.metadata.name!).sort();
}

function getCronJob(c: TestCluster, name: string): KubeObject & { status: Record<string, any> } {
  return c.client.get('cronjobs.batch', { namespace: 'default', name }) as KubeObject & { status: Record<string, any> };
}

/** `<cronjob>-<minutes since epoch>` of the n-th minute after the cluster start. */
function jobAt(cj: string, minute: number): string {
  return `${cj}-${(START_MS + minute * MINUTE_MS) / MINUTE_MS}`;
}

/** Marks a job finished the way the Job controller would. */
function finishJob(c: TestCluster, name: string, type: 'Complete' | 'Failed'): void {
  const now = rfc3339(c.clock.now());
  c.client.mutate('jobs.batch', { namespace: 'default', name }, (j) => {
    const conds = [{ type: type === 'Complete' ? 'SuccessCriteriaMet' : 'FailureTarget', status: 'True', lastProbeTime: now, lastTransitionTime: now }, { type, status: 'True', lastProbeTime: now, lastTransitionTime: now }];
    j.status = { conditions: conds, startTime: (j.status as { startTime?: string }).startTime ?? now, ...(type === 'Complete' ? { completionTime: now, succeeded: 1 } : { failed: 1 }), uncountedTerminatedPods: {}, ready: 0, terminating: 0 };
    return j;
  }, { status: true });
}

test('*/1 creates a job each virtual minute, named by the scheduled minute', async (t) => {
  const c = startTestCluster(t, [startCronJobController]);
  c.client.create('cronjobs.batch', cronJob('hello'));
  await c.advance(59_000, 1000);
  assert.deepEqual(jobNames(c), []);
  // The controller requeues 100 ms after the schedule time, as upstream's nextScheduleDelta.
  await c.advance(1_000, 100);
  assert.deepEqual(jobNames(c), []);
  await c.advance(100, 100);
  assert.deepEqual(jobNames(c), [jobAt('hello', 1)]);
  const job = c.client.get('jobs.batch', { namespace: 'default', name: jobAt('hello', 1) })!;
  assert.equal(job.metadata.labels!.app, 'hello');
  assert.deepEqual(job.metadata.annotations, { note: 'x', 'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-01-01T00:01:00Z' });
  const cj = getCronJob(c, 'hello');
  assert.deepEqual(job.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  assert.equal(cj.status.lastScheduleTime, '2026-01-01T00:01:00Z');
  assert.deepEqual(cj.status.active.map((r: { kind: string; name: string }) => `${r.kind}/${r.name}`), [`Job/${jobAt('hello', 1)}`]);
  await c.advance(2 * MINUTE_MS, 1000);
  assert.deepEqual(jobNames(c), [1, 2, 3].map((m) => jobAt('hello', m)));
  assert.deepEqual(eventsFor(c, 'hello'), [1, 2, 3].map((m) => `Normal SuccessfulCreate Created job ${jobAt('hello', m)}`));
});

test('a finished job leaves status.active and sets lastSuccessfulTime', async (t) => {
  const c = startTestCluster(t, [startCronJobController]);
  c.client.create('cronjobs.batch', cronJob('done'));
  await c.advance(61_000, 1000);
  finishJob(c, jobAt('done', 1), 'Complete');
  await c.settle();
  const cj = getCronJob(c, 'done');
  assert.equal(cj.status.active, undefined);
  assert.equal(cj.status.lastSuccessfulTime, '2026-01-01T00:01:01Z');
  assert.ok(eventsFor(c, 'done').includes(`Normal SawCompletedJob Saw completed job: ${jobAt('done', 1)}, condition: Complete`));
});

test('Forbid skips runs while the previous job is active; the latest missed one starts when it ends', async (t) => {
  const c = startTestCluster(t, [startCronJobController]);
  c.client.create('cronjobs.batch', cronJob('fb', { concurrencyPolicy: 'Forbid' }));
  await c.advance(3 * MINUTE_MS + 1000, 1000);
  assert.deepEqual(jobNames(c), [jobAt('fb', 1)]);
  assert.ok(eventsFor(c, 'fb').includes('Normal JobAlreadyActive Not starting job because prior execution is running and concurrency policy is Forbid'));
  // Upstream counts the skipped times as missed: without a starting deadline the most recent one
  // (minute 3) starts as soon as the running job finishes.
  finishJob(c, jobAt('fb', 1), 'Complete');
  await c.settle();
  assert.deepEqual(jobNames(c), [jobAt('fb', 1), jobAt('fb', 3)]);
});

test('Replace deletes the running job and starts the new one', async (t) => {
  const c = startTestCluster(t, [startCronJobController]);
  c.client.create('cronjobs.batch', cronJob('rp', { concurrencyPolicy: 'Replace' }));
  await c.advance(2 * MINUTE_MS + 1000, 1000);
  assert.deepEqual(jobNames(c), [jobAt('rp', 2)]);
  const events = eventsFor(c, 'rp');
  assert.deepEqual(events, [`Normal SuccessfulCreate Created job ${jobAt('rp', 1)}`, `Normal SuccessfulDelete Deleted job ${jobAt('rp', 1)}`, `Normal SuccessfulCreate Created job ${jobAt('rp', 2)}`]);
  assert.deepEqual(getCronJob(c, 'rp').status.active.map((r: { name: string }) => r.name), [jobAt('rp', 2)]);
});

test('history limits keep the newest successful and failed jobs', async (t) => {
  const c = startTestCluster(t, [startCronJobController]);
  c.client.create('cronjobs.batch', cronJob('hist', { successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1 }));
  await c.advance(1000);
  for (let m = 1; m <= 5; m++) {
    await c.advance(MINUTE_MS, 1000);
    finishJob(c, jobAt('hist', m), m % 2 === 0 ? 'Failed' : 'Complete');
  }
  await c.advance(1000);
  // Minutes 1, 3, 5 succeeded (keep 3 and 5); 2 and 4 failed (keep 4); minute 6 is running.
  await c.advance(MINUTE_MS, 1000);
  assert.deepEqual(jobNames(c), [3, 4, 5, 6].map((m) => jobAt('hist', m)));
  const deletes = eventsFor(c, 'hist').filter((e) => e.includes('SuccessfulDelete'));
  assert.deepEqual(deletes.sort(), [1, 2].map((m) => `Normal SuccessfulDelete Deleted job ${jobAt('hist', m)}`));
});

test('missed schedules: only the latest runs; with a starting deadline the missed ones are dropped', async (t) => {
  const c = startTestCluster(t, [startCronJobController]);
  c.client.create('cronjobs.batch', cronJob('late', { suspend: true }));
  c.client.create('cronjobs.batch', cronJob('strict', { suspend: true, startingDeadlineSeconds: 10 }));
  await c.advance(5 * MINUTE_MS + 30_000, 1000);
  assert.deepEqual(jobNames(c), []);
  for (const name of ['late', 'strict']) c.client.mutate('cronjobs.batch', { namespace: 'default', name }, (cj) => ((cj.spec as { suspend: boolean }).suspend = false, cj));
  await c.settle();
  assert.deepEqual(jobNames(c), [jobAt('late', 5)]);
  // 00:05 is 30 s late, beyond the 10 s deadline: upstream only looks for times inside the window.
  assert.deepEqual(eventsFor(c, 'strict'), []);
  await c.advance(MINUTE_MS, 1000);
  assert.deepEqual(jobNames(c), [jobAt('late', 5), jobAt('late', 6), jobAt('strict', 6)]);
});

test('more than 100 missed start times warn TooManyMissedTimes', async (t) => {
  const c = startTestCluster(t, [startCronJobController]);
  c.client.create('cronjobs.batch', cronJob('many', { suspend: true }));
  await c.advance(150 * MINUTE_MS, MINUTE_MS);
  c.client.mutate('cronjobs.batch', { namespace: 'default', name: 'many' }, (cj) => ((cj.spec as { suspend: boolean }).suspend = false, cj));
  await c.settle();
  assert.ok(eventsFor(c, 'many').includes('Warning TooManyMissedTimes too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew'));
  assert.deepEqual(jobNames(c), [jobAt('many', 150)]);
});

test('timeZone schedules on the zone wall clock and annotates with its offset', async (t) => {
  const c = startTestCluster(t, [startCronJobController]);
  // 09:03 in Tokyo is 00:03 UTC.
  c.client.create('cronjobs.batch', cronJob('tokyo', { schedule: '3 9 * * *', timeZone: 'Asia/Tokyo' }));
  await c.advance(3 * MINUTE_MS + 1000, 1000);
  assert.deepEqual(jobNames(c), [jobAt('tokyo', 3)]);
  const job = c.client.get('jobs.batch', { namespace: 'default', name: jobAt('tokyo', 3) })!;
  assert.equal(job.metadata.annotations!['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2026-01-01T09:03:00+09:00');
});
