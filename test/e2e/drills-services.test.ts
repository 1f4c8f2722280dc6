/**
 * Built-in drills about Services and scheduled work, end to end with `kd drill` and the real kubectl
 * v1.35.2: a selector that matches nothing, a readiness probe on the wrong port, a CronJob whose
 * schedule never comes. Also `kd drill hint`, `list` and the errors without an active drill.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useDaemon } from '../support/daemon.js';
import { drillHarness } from './drills-harness.js';

const daemon = useDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
const h = drillHarness(daemon);

test('without an active drill, check and hint say how to start one', async () => {
  const r = await h.kd('check');
  assert.equal(r.code, 1);
  assert.equal(r.stderr, "error: no drill is active: list them with 'kd drill list' and start one with 'kd drill start NAME'\n");
  const unknown = await h.kd('start', 'no-such-drill');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /^error: drill "no-such-drill" not found; the drills are: cordon-move, /);
});

test('service-selector: relabelling the pods fails; fixing the Service selector passes; hints come in order', async () => {
  await h.start('service-selector');
  await h.expectFail('Service shop has the 2 shop pods as ready endpoints', 'the Service selects app=shop');
  const hints = [(await h.kd('hint')).stdout, (await h.kd('hint')).stdout, (await h.kd('hint')).stdout, (await h.kd('hint')).stdout];
  assert.match(hints[0]!, /^Hint 1\/3: 'kubectl get endpoints shop' is empty/);
  assert.match(hints[1]!, /^Hint 2\/3: /);
  assert.match(hints[2]!, /^Hint 3\/3: /);
  assert.equal(hints[3], hints[2]);
  await h.ok('label', 'pods', '-l', 'app=shop', 'app=shopp', '--overwrite');
  await h.expectFail('the Service selects app=shop', 'no other pods carry a label the old selector matched');
  assert.equal((await h.kd('reset')).code, 0);
  await h.ok('patch', 'service', 'shop', '-p', '{"spec":{"selector":{"app":"shop"}}}');
  const report = await h.waitPass();
  assert.match(report, /^PASS {2}Service shop has the 2 shop pods as ready endpoints$/m);
});

test('readiness-probe: removing the probe fails; pointing it at port 80 passes', async () => {
  await h.start('readiness-probe');
  await h.expectFail('Service frontend has 2 ready endpoints', 'frontend runs 2 Ready pods');
  await h.ok('patch', 'deployment', 'frontend', '--type=json', '-p', '[{"op":"remove","path":"/spec/template/spec/containers/0/readinessProbe"}]');
  await h.ok('rollout', 'status', 'deployment/frontend', '--timeout=60s');
  await h.expectFail('the pods keep a readiness probe');
  assert.equal((await h.kd('reset')).code, 0);
  await h.ok('patch', 'deployment', 'frontend', '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/readinessProbe/httpGet/port","value":80}]');
  await h.waitPass();
});

test('cronjob-schedule: a manual Job from the CronJob fails; an every-minute schedule passes', async () => {
  await h.start('cronjob-schedule');
  await h.expectFail('the schedule runs every minute', 'a scheduled run completed (status.lastSuccessfulTime)');
  await h.ok('create', 'job', 'report-manual', '--from=cronjob/report');
  await h.ok('wait', '--for=condition=complete', 'job/report-manual', '--timeout=60s');
  await h.expectFail('the schedule runs every minute', 'the CronJob scheduled a run itself (status.lastScheduleTime)');
  assert.equal((await h.kd('reset')).code, 0);
  await h.ok('patch', 'cronjob', 'report', '-p', '{"spec":{"schedule":"* * * * *"}}');
  await h.waitPass();
});

test('quota-scale: raising the quota fails; deleting the leftover pod lets the 5th replica in', async () => {
  await h.start('quota-scale');
  await h.expectFail('api runs 5 Ready pods');
  const events = await h.ok('get', 'events', '-n', 'team-a', '--field-selector', 'reason=FailedCreate', '-o', 'jsonpath={.items[0].message}');
  assert.match(events, /^Error creating: pods "api-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: pods-quota, requested: pods=1, used: pods=5, limited: pods=5$/);
  await h.ok('patch', 'resourcequota', 'pods-quota', '-n', 'team-a', '-p', '{"spec":{"hard":{"pods":"6"}}}');
  await h.waitJsonPath(['get', 'deployment', 'api', '-n', 'team-a', '-o', 'jsonpath={.status.readyReplicas}'], (out) => out === '5', 'api to get its 5th replica');
  await h.expectFail('the quota still allows at most 5 pods');
  assert.equal((await h.kd('reset')).code, 0);
  await h.ok('delete', 'pod', 'debug', '-n', 'team-a', '--wait=false');
  await h.waitPass();
});
