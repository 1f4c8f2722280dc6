/**
 * Built-in drills about node maintenance and node failure, end to end with `kd drill` and the real
 * kubectl v1.35.2: cordon and move a workload, drain past a PDB and a DaemonSet, a node whose
 * kubelet stops (a fault, with the virtual clock advanced past eviction). Each drill fails as
 * started, still fails after a plausible wrong fix, and passes after the intended one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runKubectl, useDaemon } from '../support/daemon.js';
import { drillHarness } from './drills-harness.js';

const daemon = useDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
const h = drillHarness(daemon);

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

/** Lowers web-pdb's minAvailable to 1 and waits, as a user would, until ALLOWED DISRUPTIONS shows 1. */
async function relaxPdb(): Promise<void> {
  await h.ok('patch', 'pdb', 'web-pdb', '--type=merge', '-p', '{"spec":{"minAvailable":1}}');
  await h.waitJsonPath(['get', 'pdb', 'web-pdb', '-o', 'jsonpath={.status.disruptionsAllowed}'], (out) => out === '1', 'web-pdb to allow one disruption');
}

test('drain-pdb: the PDB blocks the drain; draining without uncordon fails; relax, drain, uncordon passes', async () => {
  await h.start('drain-pdb');
  await h.expectFail('no web pod is left on node01 (it was drained)');
  const blocked = await runKubectl(daemon(), ['drain', 'node01', '--ignore-daemonsets', '--timeout=2s']);
  assert.notEqual(blocked.code, 0);
  assert.match(blocked.stderr, /Cannot evict pod as it would violate the pod's disruption budget\./);
  await relaxPdb();
  await h.ok('drain', 'node01', '--ignore-daemonsets', '--timeout=60s');
  await h.expectFail('node01 is schedulable again (uncordoned)');
  assert.equal((await h.kd('reset')).code, 0);
  await h.expectFail('no web pod is left on node01 (it was drained)');
  await relaxPdb();
  await h.ok('drain', 'node01', '--ignore-daemonsets', '--timeout=60s');
  await h.ok('uncordon', 'node01');
  await h.waitPass();
});

test('node-notready: cordoning the wrong node fails; cordoning the NotReady node passes', async () => {
  await h.start('node-notready');
  await h.expectFail('node02 is cordoned (unschedulable)');
  const nodes = await h.ok('get', 'nodes');
  assert.match(nodes, /^node02 +NotReady +<none> /m);
  await h.ok('cordon', 'node01');
  await h.expectFail('node02 is cordoned (unschedulable)', 'node01 stays schedulable');
  assert.equal((await h.kd('reset')).code, 0);
  await h.ok('cordon', 'node02');
  await h.waitPass();
});
