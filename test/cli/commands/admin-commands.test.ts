import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatGoSeconds, parseGoDuration } from '../../../cli/commands/admin-flags.js';
import { formatClock } from '../../../cli/commands/clock.js';
import { describeFault } from '../../../cli/commands/fault.js';
import { renderDrainWhy, renderPodWhy } from '../../../cli/commands/why.js';

test('parseGoDuration reads Go durations and refuses what Go refuses', () => {
  assert.equal(parseGoDuration('90s'), 90_000);
  assert.equal(parseGoDuration('5m'), 300_000);
  assert.equal(parseGoDuration('1h30m'), 5_400_000);
  assert.equal(parseGoDuration('1.5s'), 1_500);
  assert.equal(parseGoDuration('250ms'), 250);
  assert.equal(parseGoDuration('0'), 0);
  for (const bad of ['', '5', '5x', 'm5', '-1s', '1h 2m']) assert.throws(() => parseGoDuration(bad), { message: `time: invalid duration "${bad}"` });
  assert.deepEqual([60_000, 5_400_000, 45_000, 0].map(formatGoSeconds), ['1m0s', '1h30m0s', '45s', '0s']);
});

test('formatClock and describeFault print one line each', () => {
  assert.equal(formatClock({ time: '2026-01-01T00:05:00Z', speed: 20, paused: true }), '2026-01-01T00:05:00Z (speed 20x, paused)\n');
  assert.equal(describeFault({ type: 'KubeletStopped', node: 'node01' }), 'kubelet of node node01 stopped');
  assert.equal(describeFault({ type: 'NodeCondition', node: 'node02', condition: 'PIDPressure' }), 'node node02 reports PIDPressure');
  assert.equal(describeFault({ type: 'ImageUnpullable', image: 'nginx' }), 'pulls of nginx fail');
  assert.equal(describeFault({ type: 'SlowImagePull', seconds: 90, node: 'node01' }), 'pulls on node node01 take 1m30s');
});

test('renderPodWhy shows the stage, the containers and the hints', () => {
  let out = '';
  renderPodWhy({
    pod: { namespace: 'default', name: 'web' }, phase: 'Running', node: 'node01', stage: 'CrashLoopBackOff', summary: 'container app keeps exiting',
    containers: [{ name: 'app', kind: 'regular', state: 'waiting', ready: false, restartCount: 3, reason: 'CrashLoopBackOff', exitCode: 1, nextRestartAt: '2026-01-01T00:01:00Z' }],
    hints: ['read its logs'],
  }, (t) => (out += t));
  assert.equal(out, [
    'Pod:      default/web', 'Phase:    Running', 'Node:     node01', 'Stage:    CrashLoopBackOff', 'Why:      container app keeps exiting', '',
    'Containers:', 'NAME   STATE     READY   RESTARTS   REASON', 'app    waiting   false   3          CrashLoopBackOff, exit code 1, restarts at 2026-01-01T00:01:00Z', '',
    'What would move it:', '  - read its logs', '',
  ].join('\n'));
});

test('renderDrainWhy lists every pod, the PDB arithmetic and kubectl\'s error groups', () => {
  let out = '';
  renderDrainWhy({
    node: 'node01', cordoned: true, summary: 'stops', hints: [],
    pods: [{ namespace: 'default', name: 'solo', action: 'refuse', message: 'cannot delete cannot delete Pods that declare no controller (use --force to override)', flags: ['--force'] }],
    pdbs: [{ namespace: 'default', name: 'web', minAvailable: 2, expectedPods: 2, currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0, podsOnNode: [], explanation: 'none allowed' }],
    errors: ['cannot delete cannot delete Pods that declare no controller (use --force to override): default/solo'],
  }, (t) => (out += t));
  assert.match(out, /^Node:     node01 \(cordoned\)\nDrain:    stops\n\nPods:\nPOD +DRAIN +WHY +FLAGS NEEDED\ndefault\/solo +refused +cannot delete cannot delete Pods that declare no controller \(use --force to override\) +--force\n/);
  assert.match(out, /\ndefault\/web +2 +N\/A +2 +2 +2 +0\n  web: none allowed\n/);
  assert.match(out, /\nkubectl drain node01 would stop with:\n  cannot delete cannot delete Pods that declare no controller \(use --force to override\): default\/solo\n$/);
});
