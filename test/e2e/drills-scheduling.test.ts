/**
 * Built-in drills about scheduling and node maintenance, end to end with `kd drill` and the real
 * kubectl v1.35.2: Pending pods (cpu, taint, nodeSelector), cordon and drain past a PDB. Each drill
 * fails as started, still fails after a plausible wrong fix, and passes after the intended one.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runKubectl, startDaemon, type Daemon } from '../support/daemon.js';
import { drillHarness } from './drills-harness.js';

let d: Daemon;
const h = drillHarness(() => d);

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
});
after(async () => {
  await d.stop();
});

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

test('cordon-move: a restart without cordon fails; cordon then restart passes', async () => {
  await h.start('cordon-move');
  await h.expectFail('node02 is cordoned (unschedulable)', 'no worker pod is on node02');
  await h.ok('rollout', 'restart', 'deployment/worker');
  await h.ok('rollout', 'status', 'deployment/worker', '--timeout=60s');
  await h.expectFail('node02 is cordoned (unschedulable)');
  assert.equal((await h.kd('reset')).code, 0);
  await h.ok('cordon', 'node02');
  await h.ok('rollout', 'restart', 'deployment/worker');
  await h.waitPass();
});

test('drain-pdb: the PDB blocks the drain; draining without uncordon fails; relax, drain, uncordon passes', async () => {
  await h.start('drain-pdb');
  await h.expectFail('no web pod is left on node01 (it was drained)');
  const blocked = await runKubectl(d, ['drain', 'node01', '--ignore-daemonsets', '--timeout=2s']);
  assert.notEqual(blocked.code, 0);
  assert.match(blocked.stderr, /Cannot evict pod as it would violate the pod's disruption budget\./);
  await h.ok('patch', 'pdb', 'web-pdb', '--type=merge', '-p', '{"spec":{"minAvailable":1}}');
  await h.ok('drain', 'node01', '--ignore-daemonsets', '--timeout=60s');
  await h.expectFail('node01 is schedulable again (uncordoned)');
  assert.equal((await h.kd('reset')).code, 0);
  await h.expectFail('no web pod is left on node01 (it was drained)');
  await h.ok('patch', 'pdb', 'web-pdb', '--type=merge', '-p', '{"spec":{"minAvailable":1}}');
  await h.ok('drain', 'node01', '--ignore-daemonsets', '--timeout=60s');
  await h.ok('uncordon', 'node01');
  await h.waitPass();
});
