/**
 * `kubectl logs` variants through the real kubectl v1.35.2 (kubectl/pkg/cmd/logs/logs.go and
 * polymorphichelpers/logsforobject.go on the client, the pods/log subresource on the server):
 * tail, since, since-time, timestamps, follow, previous, container selection, label selectors with
 * prefixes, workloads resolved to a pod, and the kubelet's errors for containers without logs.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDaemon, type Daemon } from '../support/daemon.js';
import { e2e } from '../support/e2e.js';
import { tempFiles } from '../support/files.js';

let d: Daemon;
const files = tempFiles('kd-e2e-logs-');
const { kubectl, ok, getJson, waitFor } = e2e(() => d);

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
});
after(async () => {
  await d.stop();
  files.remove();
});

/** RFC3339Nano as the kubelet stamps CRI log lines (trailing zeros of the fraction trimmed). */
const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

async function running(pod: string): Promise<void> {
  await waitFor(`${pod} running`, async () => (await getJson(`/api/v1/namespaces/default/pods/${pod}`)).status?.phase === 'Running');
}

test('--tail, --timestamps, --since and --since-time select lines of a running container', async () => {
  await ok('run', 'counter', '--image=busybox:1.36', '--', 'sh', '-c', 'i=0; while true; do i=$((i+1)); echo "line $i"; sleep 1; done');
  await running('counter');
  await waitFor('12 lines', async () => (await ok('logs', 'counter')).split('\n').length > 12);
  const tail = (await ok('logs', 'counter', '--tail=3')).split('\n');
  assert.equal(tail.length, 4);
  assert.equal(tail[3], '');
  const n = Number(/^line (\d+)$/.exec(tail[0]!)![1]);
  assert.deepEqual(tail.slice(0, 3), [`line ${n}`, `line ${n + 1}`, `line ${n + 2}`]);

  const stamped = (await ok('logs', 'counter', '--timestamps')).trimEnd().split('\n').map((l) => l.split(' '));
  for (const [stamp, word, i] of stamped) {
    assert.match(stamp!, STAMP);
    assert.equal(word, 'line');
    assert.match(i!, /^\d+$/);
  }
  // A line a second: --since-time at a whole second returns the lines from that second on.
  const [sinceStamp] = stamped[4]!;
  const sinceTime = sinceStamp!.replace(/\.\d+Z$/, 'Z');
  const since = (await ok('logs', 'counter', `--since-time=${sinceTime}`, '--timestamps')).trimEnd().split('\n');
  assert.ok(since.length >= stamped.length - 4, `since-time ${sinceTime} keeps the later lines:\n${since.join('\n')}`);
  const sinceMs = Date.parse(sinceTime);
  assert.equal(since[0]!.split(' ').slice(1).join(' '), stamped.find((s) => Date.parse(s[0]!) >= sinceMs)!.slice(1).join(' '));
  for (const line of since) assert.ok(Date.parse(line.split(' ')[0]!) >= sinceMs, line);

  // --since is relative to the kubelet's (virtual) clock: the last few seconds hold a few lines.
  const recent = (await ok('logs', 'counter', '--since=3s')).trimEnd().split('\n');
  assert.ok(recent.length >= 2 && recent.length <= 4, recent.join('\n'));
  assert.match(recent.at(-1)!, /^line \d+$/);

  const both = await kubectl('logs', 'counter', '--since=1s', `--since-time=${sinceTime}`);
  assert.equal(both.code, 1);
  assert.equal(both.stderr, 'error: at most one of `sinceTime` or `sinceSeconds` may be specified\n');
});

test('-f streams until the container exits', async () => {
  await ok('run', 'steps', '--image=busybox:1.36', '--restart=Never', '--', 'sh', '-c', 'echo one; sleep 5; echo two; sleep 5; echo three');
  await running('steps');
  assert.equal(await ok('logs', '-f', 'steps'), 'one\ntwo\nthree\n');
  await waitFor('Succeeded', async () => (await getJson('/api/v1/namespaces/default/pods/steps')).status?.phase === 'Succeeded');
  assert.equal(await ok('logs', 'steps'), 'one\ntwo\nthree\n');
});

test('-c picks a container; without it kubectl defaults to the first; --all-containers and --prefix', async () => {
  const manifest = `apiVersion: v1
kind: Pod
metadata: {name: duo, labels: {app: duo}}
spec:
  initContainers:
  - {name: setup, image: busybox:1.36, command: [sh, -c, 'echo preparing']}
  containers:
  - {name: main, image: busybox:1.36, command: [sh, -c, 'echo main up; sleep 3600']}
  - {name: helper, image: busybox:1.36, command: [sh, -c, 'echo helper up; sleep 3600']}
`;
  await ok('apply', '-f', files.file('duo.yaml', manifest));
  await running('duo');
  await waitFor('helper output', async () => (await ok('logs', 'duo', '-c', 'helper')) === 'helper up\n');
  assert.equal(await ok('logs', 'duo', '-c', 'setup'), 'preparing\n');
  const defaulted = await kubectl('logs', 'duo');
  assert.equal(defaulted.code, 0);
  assert.equal(defaulted.stdout, 'main up\n');
  assert.equal(defaulted.stderr, 'Defaulted container "main" out of: main, helper, setup (init)\n');
  assert.deepEqual((await ok('logs', 'duo', '--all-containers')).trimEnd().split('\n').sort(), ['helper up', 'main up', 'preparing']);
  // kubectl reads the containers' logs one after another from a Go map: any order.
  const all = (await ok('logs', 'duo', '--all-containers', '--prefix')).trimEnd().split('\n').sort();
  assert.deepEqual(all, ['[pod/duo/helper] helper up', '[pod/duo/main] main up', '[pod/duo/setup] preparing']);
  const bad = await kubectl('logs', 'duo', '-c', 'nope');
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, 'error: container nope is not valid for pod duo\n');
});

test('-l with --prefix reads every matching pod; deploy/NAME and job/NAME pick one pod', async () => {
  await ok('create', 'deployment', 'greeter', '--image=busybox:1.36', '--replicas=2', '--', 'sh', '-c', 'echo "hello from $HOSTNAME"; sleep 3600');
  await ok('rollout', 'status', 'deployment/greeter', '--timeout=60s');
  const pods: string[] = (await getJson('/api/v1/namespaces/default/pods?labelSelector=app%3Dgreeter')).items.map((p: any) => p.metadata.name).sort();
  assert.equal(pods.length, 2);
  await waitFor('both greetings', async () => (await ok('logs', '-l', 'app=greeter')).split('\n').length === 3);
  const prefixed = (await ok('logs', '-l', 'app=greeter', '--prefix')).trimEnd().split('\n').sort();
  assert.deepEqual(prefixed, pods.map((p) => `[pod/${p}/busybox] hello from ${p}`));

  const one = await kubectl('logs', 'deploy/greeter');
  assert.equal(one.code, 0);
  const m = /^Found 2 pods, using pod\/(\S+)\n$/.exec(one.stderr);
  assert.ok(m && pods.includes(m[1]!), one.stderr);
  assert.equal(one.stdout, `hello from ${m[1]}\n`);

  const tooMany = await kubectl('logs', '-f', '-l', 'app=greeter', '--max-log-requests=1');
  assert.equal(tooMany.code, 1);
  assert.equal(tooMany.stderr, 'error: you are attempting to follow 2 log streams, but maximum allowed concurrency is 1, use --max-log-requests to increase the limit\n');

  await ok('create', 'job', 'once', '--image=busybox:1.36', '--', 'sh', '-c', 'echo job ran');
  await ok('wait', '--for=condition=Complete', 'job/once', '--timeout=60s');
  assert.equal(await ok('logs', 'job/once'), 'job ran\n');
});

test('--previous shows the last terminated instance; the kubelet refuses containers without logs', async () => {
  await ok('run', 'flaky', '--image=busybox:1.36', '--', 'sh', '-c', 'echo attempt; exit 2');
  await waitFor('one restart', async () => ((await getJson('/api/v1/namespaces/default/pods/flaky')).status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1);
  assert.equal(await ok('logs', 'flaky', '--previous'), 'attempt\n');
  assert.equal(await ok('logs', 'flaky', '-p', '--timestamps', '--tail=1').then((s) => s.replace(/^\S+ /, '')), 'attempt\n');

  const never = await kubectl('logs', 'counter', '--previous');
  assert.equal(never.code, 1);
  assert.equal(never.stderr, 'Error from server (BadRequest): previous terminated container "counter" in pod "counter" not found\n');

  await ok('run', 'nopull', '--image=nginx:0.0.404-nope');
  await waitFor('ImagePullBackOff', async () => (await getJson('/api/v1/namespaces/default/pods/nopull')).status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff');
  const pulling = await kubectl('logs', 'nopull');
  assert.equal(pulling.code, 1);
  assert.equal(pulling.stderr, 'Error from server (BadRequest): container "nopull" in pod "nopull" is waiting to start: trying and failing to pull image\n');

  // A volume whose ConfigMap is missing keeps the container ContainerCreating.
  await ok('apply', '-f', files.file('nocm.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: nocm}\nspec:\n  containers:\n  - {name: app, image: busybox:1.36, volumeMounts: [{name: cfg, mountPath: /cfg}]}\n  volumes:\n  - {name: cfg, configMap: {name: absent}}\n'));
  await waitFor('FailedMount', async () => (await ok('get', 'events', '--field-selector', 'involvedObject.name=nocm,reason=FailedMount', '-o', 'name')) !== '');
  const creating = await kubectl('logs', 'nocm');
  assert.equal(creating.code, 1);
  assert.equal(creating.stderr, 'Error from server (BadRequest): container "app" in pod "nocm" is waiting to start: ContainerCreating\n');

  await ok('run', 'nowhere', '--image=nginx:1.27', '--overrides={"spec":{"nodeSelector":{"disk":"none"}}}');
  await waitFor('FailedScheduling', async () => (await ok('get', 'events', '--field-selector', 'involvedObject.name=nowhere', '-o', 'name')) !== '');
  const pending = await kubectl('logs', 'nowhere');
  assert.equal(pending.code, 1);
  assert.equal(pending.stderr, 'Error from server (BadRequest): pod nowhere does not have a host assigned\n');
});
