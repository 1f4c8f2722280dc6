import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StartComponent } from '../../../server/cluster.js';
import { startGarbageCollector } from '../../../server/controllers/garbage-collector.js';
import { startJobController } from '../../../server/controllers/job/job-controller.js';
import { startTTLAfterFinishedController } from '../../../server/controllers/ttl-after-finished-controller.js';
import { startTestCluster } from '../../support/cluster.js';
import { finishPod, getJob, jobManifest, podsOf, runningPods } from './job/fixtures.js';

const startGC: StartComponent = (ctx) => startGarbageCollector(ctx.client('generic-garbage-collector'), ctx.table);

test('a finished job with ttlSecondsAfterFinished is deleted with its pods after the TTL', async (t) => {
  const c = startTestCluster(t, [startJobController, startTTLAfterFinishedController, startGC]);
  c.client.create('jobs.batch', jobManifest('short', { ttlSecondsAfterFinished: 30 }));
  c.client.create('jobs.batch', jobManifest('keep'));
  await c.advance(1000);
  for (const name of ['short', 'keep']) finishPod(c, runningPods(c, name)[0]!.metadata.name!);
  await c.advance(2000);
  const finishedAt = Date.parse(getJob(c, 'short').status.completionTime);
  assert.ok(finishedAt > 0);
  await c.advance(finishedAt + 29_000 - c.clock.now(), 1000);
  assert.ok(getJob(c, 'short'), 'still there before the TTL');
  await c.advance(2000, 500);
  assert.equal(c.client.get('jobs.batch', { namespace: 'default', name: 'short' }), undefined);
  assert.equal(podsOf(c, 'short').length, 0);
  assert.ok(getJob(c, 'keep'), 'a job without TTL stays');
  assert.equal(podsOf(c, 'keep').length, 1);
});

test('a job that is already past its TTL when seen is deleted at once', async (t) => {
  const c = startTestCluster(t, [startJobController, startTTLAfterFinishedController, startGC]);
  c.client.create('jobs.batch', jobManifest('zero', { ttlSecondsAfterFinished: 0 }));
  await c.advance(1000);
  finishPod(c, runningPods(c, 'zero')[0]!.metadata.name!);
  await c.advance(3000);
  assert.equal(c.client.get('jobs.batch', { namespace: 'default', name: 'zero' }), undefined);
});
