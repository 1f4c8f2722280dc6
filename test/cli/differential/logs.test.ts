/**
 * `kd logs` against the real kubectl v1.35.2 on one daemon: containers and the defaulting notice,
 * the default-container annotation, workloads resolved to a pod, selectors with prefixes, tails,
 * timestamps, byte limits, previous instances, following a finished pod, and kubectl's errors.
 * Only pods whose output is complete are read, so both tools see the same bytes.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameAsKubectl } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';
import { tempFiles } from '../../support/files.js';

let d: Daemon;
const files = tempFiles('kd-diff-logs-');
const { ok, getJson, waitFor } = e2e(() => d);

const PODS = `apiVersion: v1
kind: Pod
metadata: {name: duo, labels: {app: duo}}
spec:
  initContainers:
  - {name: setup, image: busybox:1.36, command: [sh, -c, 'echo preparing']}
  containers:
  - {name: main, image: busybox:1.36, command: [sh, -c, 'echo main up; echo second line; printf "no newline"; sleep 3600']}
  - {name: helper, image: busybox:1.36, command: [sh, -c, 'echo helper up; sleep 3600']}
---
apiVersion: v1
kind: Pod
metadata: {name: annotated, annotations: {kubectl.kubernetes.io/default-container: helper}}
spec:
  containers:
  - {name: main, image: busybox:1.36, command: [sh, -c, 'echo main up; sleep 3600']}
  - {name: helper, image: busybox:1.36, command: [sh, -c, 'echo helper up; sleep 3600']}
`;

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  await ok('apply', '-f', files.file('pods.yaml', PODS));
  await ok('create', 'deployment', 'greeter', '--image=busybox:1.36', '--replicas=2', '--', 'sh', '-c', 'echo "hello from $HOSTNAME"; sleep 3600');
  await ok('run', 'steps', '--image=busybox:1.36', '--restart=Never', '--', 'sh', '-c', 'echo one; echo two; echo three');
  await ok('run', 'flaky', '--image=busybox:1.36', '--', 'sh', '-c', 'echo attempt; exit 2');
  await ok('create', 'job', 'once', '--image=busybox:1.36', '--', 'sh', '-c', 'echo job ran');
  await ok('rollout', 'status', 'deployment/greeter', '--timeout=60s');
  await ok('wait', '--for=condition=Ready', 'pod/duo', 'pod/annotated', '--timeout=60s');
  await ok('wait', '--for=condition=Complete', 'job/once', '--timeout=60s');
  await waitFor('steps done', async () => (await getJson('/api/v1/namespaces/default/pods/steps')).status?.phase === 'Succeeded');
  await waitFor('a restart of flaky', async () => ((await getJson('/api/v1/namespaces/default/pods/flaky')).status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1);
  await waitFor('greetings', async () => (await ok('logs', '-l', 'app=greeter')).split('\n').length === 3);
});
after(async () => {
  await d.stop();
  files.remove();
});

/** kubectl reads several streams from a Go map, in any order: compare their lines as a set. */
const sortLines = (t: string) => t.split('\n').sort().join('\n');

const CASES: Array<[string[], number, ((t: string) => string)?]> = [
  [['logs', 'duo'], 0],
  [['logs', 'duo', 'helper'], 0],
  [['logs', 'duo', '-c', 'setup'], 0],
  [['logs', 'annotated'], 0],
  [['logs', 'duo', '--all-containers', '--prefix'], 0, sortLines],
  [['logs', 'duo', '--tail=1'], 0],
  [['logs', 'duo', '--limit-bytes=12'], 0],
  [['logs', 'duo', '-c', 'main', '--since=1h'], 0],
  [['logs', 'steps', '--timestamps', '--tail=2'], 0],
  [['logs', '-f', 'steps'], 0],
  [['logs', 'flaky', '--previous'], 0],
  [['logs', 'deploy/greeter'], 0],
  [['logs', 'job/once'], 0],
  [['logs', '-l', 'app=greeter', '--prefix'], 0, sortLines],
  [['logs', '-l', 'app=nope'], 0],
  [['logs'], 1],
  [['logs', 'nope'], 1],
  [['logs', 'deploy/nope'], 1],
  [['logs', 'duo', '-c', 'nope'], 1],
  [['logs', 'duo', 'main', '-c', 'helper'], 1],
  [['logs', 'duo', '--all-containers', '-c', 'main'], 1],
  [['logs', '-l', 'app=duo', 'duo'], 1],
  [['logs', 'duo', '--since=1h', '--since-time=2026-01-01T00:00:00Z'], 1],
  [['logs', 'duo', '--since=soon'], 1],
  [['logs', 'duo', '--tail=-2'], 1],
  [['logs', 'steps', '--previous'], 1],
  [['logs', 'cm/kube-root-ca.crt'], 1],
  [['logs', '-f', '-l', 'app=greeter', '--max-log-requests=1'], 1],
];

for (const [args, code, mask] of CASES) {
  test(`kd ${args.join(' ')}`, async () => {
    const want = await assertSameAsKubectl(d, args, { mask });
    assert.equal(want.code, code, `kubectl's exit code: ${want.stderr}`);
  });
}
