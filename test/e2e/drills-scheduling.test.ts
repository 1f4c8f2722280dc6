/**
 * Built-in drills about Pending pods, end to end with `kd drill` and the real kubectl v1.35.2:
 * insufficient cpu, an untolerated taint, a nodeSelector typo. Each drill fails as started, still
 * fails after a plausible wrong fix, and passes after the intended one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useDaemon } from '../support/daemon.js';
import { drillHarness } from './drills-harness.js';

const daemon = useDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
const h = drillHarness(daemon);

test('pending-cpu: dropping the cpu request fails; a request that fits passes', async () => {
  await h.start('pending-cpu');
  await h.expectFail('analytics runs 1 Ready pod', 'no analytics pod is left Pending');
  await h.ok('patch', 'deployment', 'analytics', '--type=json', '-p', '[{"op":"remove","path":"/spec/template/spec/containers/0/resources/requests/cpu"}]');
  await h.ok('rollout', 'status', 'deployment/analytics', '--timeout=60s');
  await h.expectFail('the container still requests cpu');
  assert.equal((await h.kd('reset')).code, 0);
  await h.ok('set', 'resources', 'deployment', 'analytics', '--requests=cpu=1');
  await h.waitPass();
});

test('pending-taint: removing a taint fails; a matching toleration passes', async () => {
  await h.start('pending-taint');
  await h.expectFail('trainer runs 2 Ready pods');
  await h.ok('taint', 'nodes', 'node01', 'dedicated-');
  await h.ok('rollout', 'status', 'deployment/trainer', '--timeout=60s');
  await h.expectFail('node01 keeps its dedicated=ml:NoSchedule taint');
  assert.equal((await h.kd('reset')).code, 0);
  await h.ok('patch', 'deployment', 'trainer', '--type=json', '-p',
    '[{"op":"add","path":"/spec/template/spec/tolerations","value":[{"key":"dedicated","operator":"Equal","value":"ml","effect":"NoSchedule"}]}]');
  await h.waitPass();
});

test('pending-nodeselector: labelling another node with the typo fails; fixing the selector passes', async () => {
  await h.start('pending-nodeselector');
  await h.expectFail('db runs 1 Ready pod on node01 (the ssd node)');
  await h.ok('label', 'node', 'node02', 'disktype=sdd');
  await h.ok('rollout', 'status', 'deployment/db', '--timeout=60s');
  await h.expectFail('db runs 1 Ready pod on node01 (the ssd node)', 'no node carries the misspelt label disktype=sdd');
  assert.equal((await h.kd('reset')).code, 0);
  await h.ok('patch', 'deployment', 'db', '-p', '{"spec":{"template":{"spec":{"nodeSelector":{"disktype":"ssd"}}}}}');
  await h.waitPass();
});
