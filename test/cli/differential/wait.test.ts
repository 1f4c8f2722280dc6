/**
 * `kd wait` against the real kubectl v1.35.2 on one daemon: conditions, JSONPath values, delete
 * and create, timeouts, selectors and kubectl's errors for bad `--for` values. The objects are
 * settled before the cases run, so each case's outcome is fixed; timeouts are long enough that
 * kubectl's reflector never logs a "very short watch" warning.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runKubectl, startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameAsKubectl, assertSameInNamespaces } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';

const NS: [string, string] = ['wait-a', 'wait-b'];
/** A pod a finalizer keeps in Terminating after its deletion, so `--for=delete` cannot end. */
const HELD = `apiVersion: v1
kind: Pod
metadata: {name: held, finalizers: [kubedojo.test/hold]}
spec:
  containers: [{name: app, image: "nginx:1.27"}]
`;

let d: Daemon;
const { ok } = e2e(() => d);

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  await ok('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2');
  await ok('run', 'solo', '--image=nginx:1.27', '--labels=app=solo');
  await ok('rollout', 'status', 'deployment/web', '--timeout=90s');
  await ok('wait', '--for=condition=Ready', 'pod/solo', '--timeout=90s');
  for (const ns of NS) {
    await ok('create', 'namespace', ns);
    const r = await runKubectl(d, ['apply', '-n', ns, '-f', '-'], { stdin: HELD });
    assert.equal(r.code, 0, r.stderr);
    await ok('wait', '--for=condition=Ready', 'pod/held', '-n', ns, '--timeout=90s');
    await ok('delete', 'pod', 'held', '-n', ns, '--wait=false');
  }
});
after(async () => {
  // Release the finalizers so the namespaces' pods can go.
  for (const ns of NS) await runKubectl(d, ['patch', 'pod', 'held', '-n', ns, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
  await d.stop();
});

/** Each case: the arguments and kubectl's exit code. */
const CASES: Array<[string[], number]> = [
  [['wait', '--for=condition=Ready', 'pod/solo'], 0],
  [['wait', '--for=condition=ready', 'pod/solo', '-o', 'name'], 0],
  [['wait', '--for=condition=Ready=True', 'pods', '-l', 'app=web'], 0],
  [['wait', '--for=condition=Ready', 'pods', '--all'], 0],
  [['wait', '--for=condition=Ready', 'pods', '-A', '-l', 'app=solo'], 0],
  [['wait', '--for=condition=Available', 'deployment/web'], 0],
  [['wait', '--for=condition=Available=true', 'deploy', 'web', '--timeout=0'], 0],
  [['wait', '--for=condition=Ready=false', 'pod/solo', '--timeout=3s'], 1],
  [['wait', '--for=condition=Ready=false', 'pod/solo', '--timeout=0'], 1],
  [['wait', '--for=condition=Ready', 'deploy/web', '--timeout=3s'], 1],
  [['wait', '--for=condition=Ready', 'pods', '-l', 'app=nope'], 1],
  [['wait', '--for=condition=Ready', 'pod/nope'], 1],
  [['wait', '--for=condition=Ready', 'pod/nope', 'pod/solo'], 1],
  [['wait', '--for=condition=Ready', 'pods'], 1],
  [['wait', '--for=condition=Ready'], 1],
  [['wait', '--for=condition=Ready', 'pod/solo', '-A'], 1],
  [['wait', '--for=condition=Ready', 'pod/solo', '--timeout=abc'], 1],
  [['wait', 'pod/solo'], 1],
  [['wait', '--for=foo', 'pod/solo'], 1],
  [['wait', '--for=jsonpath={.status.phase}=Running', 'pod/solo'], 0],
  [['wait', '--for=jsonpath=.status.phase=Running', 'pod/solo'], 0],
  [['wait', '--for=jsonpath={.spec.containers[0].image}=nginx:1.27', 'pod/solo'], 0],
  [['wait', '--for=jsonpath={.status}', 'pod/solo'], 0],
  [['wait', '--for=jsonpath={.status.readyReplicas}=2', 'deployment/web'], 0],
  [['wait', '--for=jsonpath={.status.phase}=Pending', 'pod/solo', '--timeout=3s'], 1],
  [['wait', "--for=jsonpath='{.status.phase}'=Running", 'pod/solo'], 1],
  [['wait', '--for=jsonpath={.status.phase}==Running', 'pod/solo'], 1],
  [['wait', '--for=jsonpath={.metadata.labels}=x', 'pod/solo'], 1],
  [['wait', '--for=jsonpath={.status.phase}=', 'pod/solo'], 1],
  [['wait', '--for=jsonpath=', 'pod/solo'], 1],
  [['wait', '--for=jsonpath={.a[', 'pod/solo'], 1],
  [['wait', '--for=delete', 'pod/nope'], 0],
  [['wait', '--for=delete', 'pod/solo', '--timeout=0'], 1],
  [['wait', '--for=create', 'pod/solo'], 0],
  [['wait', '--for=create', 'pods', '-l', 'app=solo'], 0],
  [['wait', '--for=create', 'pod/nope', '--timeout=2s'], 1],
];

for (const [args, code] of CASES) {
  test(`kd ${args.join(' ')}`, async () => {
    const r = await assertSameAsKubectl(d, args);
    assert.equal(r.code, code, `kubectl's exit code: ${r.stderr}`);
  });
}

test('wait --for=delete times out on a pod a finalizer holds', async () => {
  // On a busy machine client-go may log that its watch was cut by the deadline; that klog line is timing, not behaviour.
  const withoutKlog = (t: string) => t.replace(/^[EIWF]\d{4} [^\n]*\n/gm, '');
  const r = await assertSameInNamespaces(d, (ns) => ['wait', '--for=delete', 'pod/held', '-n', ns, '--timeout=5s'], NS, { mask: withoutKlog });
  assert.equal(r.stderr, 'error: timed out waiting for the condition on pods/held\n');
});
