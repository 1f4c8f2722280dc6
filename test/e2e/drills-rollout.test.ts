/**
 * Built-in drills about rollouts and workloads that fail, end to end: each drill is started with
 * `kd drill start` on a real daemon, graded as failing, "fixed" the plausible wrong way with the
 * real kubectl (still failing), reset with `kd drill reset`, fixed the intended way, and passes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useDaemon } from '../support/daemon.js';
import { drillHarness } from './drills-harness.js';

const daemon = useDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
const h = drillHarness(daemon);

test('rollout-undo: deleting the stuck pods does not help; rollout undo does', async () => {
  await h.start('rollout-undo');
  await h.expectFail('Deployment web runs nginx:1.27 again', 'the rollout of web is complete');
  await h.ok('delete', 'pods', '-l', 'app=web', '--wait=false');
  await h.expectFail('Deployment web runs nginx:1.27 again');
  assert.equal((await h.kd('reset')).code, 0);
  await h.expectFail('Deployment web runs nginx:1.27 again');
  await h.ok('rollout', 'undo', 'deployment/web');
  await h.waitPass();
});

test('rollout-undo-revision: a plain undo lands on revision 2; --to-revision=1 passes', async () => {
  await h.start('rollout-undo-revision');
  await h.expectFail('Deployment api runs nginx:1.25 (the template of revision 1)');
  await h.ok('rollout', 'undo', 'deployment/api');
  await h.ok('rollout', 'status', 'deployment/api', '--timeout=60s');
  const report = await h.expectFail('Deployment api runs nginx:1.25 (the template of revision 1)');
  assert.match(report, /found: {4}\{\.spec\.template\.spec\.containers\[0\]\.image\} = "nginx:1\.26"/);
  assert.equal((await h.kd('reset')).code, 0);
  await h.ok('rollout', 'undo', 'deployment/api', '--to-revision=1');
  await h.waitPass();
});

test('crashloop-command: a rollout restart keeps crashing; fixing the command passes', async () => {
  await h.start('crashloop-command');
  await h.expectFail("the container's command sleeps for an hour", 'queue-worker runs 1 Ready pod');
  await h.ok('rollout', 'restart', 'deployment/queue-worker');
  await h.expectFail("the container's command sleeps for an hour");
  assert.equal((await h.kd('reset')).code, 0);
  const logs = await h.ok('logs', 'deploy/queue-worker');
  assert.match(logs, /^worker started\nsh: sleeep: not found\n$/);
  await h.ok('patch', 'deployment', 'queue-worker', '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/command/2","value":"echo worker started; sleep 3600"}]');
  await h.waitPass();
});

const FIXED_JOB = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: busybox:1.37
          env:
            - name: DB_HOST
              value: db.default.svc.cluster.local
          command:
            - sh
            - -c
            - 'if [ -z "$DB_HOST" ]; then echo "error: DB_HOST is not set" >&2; exit 1; fi; echo "migrating schema on $DB_HOST"; echo done'
`;

test('job-backoff: raising backoffLimit does not revive a failed Job; replacing it passes', async () => {
  await h.start('job-backoff');
  await h.expectFail('Job migrate completed', 'Job migrate sets DB_HOST to the database');
  const logs = await h.ok('logs', 'job/migrate');
  assert.equal(logs, 'error: DB_HOST is not set\n');
  await h.ok('patch', 'job', 'migrate', '--type=merge', '-p', '{"spec":{"backoffLimit":4}}');
  await h.expectFail('Job migrate completed');
  assert.equal((await h.kd('reset')).code, 0);
  await h.ok('delete', 'job', 'migrate');
  await h.okStdin(FIXED_JOB, 'create', '-f', '-');
  await h.waitPass();
});
