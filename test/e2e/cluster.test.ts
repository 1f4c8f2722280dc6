/**
 * The simulated cluster seen through the real kubectl v1.35.2: a daemon with the default three-node
 * lab on a fast clock. Assertions are on what kubectl prints and on watched state transitions;
 * timing-dependent details (pod names, ages) are masked or matched by pattern.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { spawn } from 'node:child_process';
import { maskAge, runKubectl, startDaemon, type Daemon } from '../support/daemon.js';
import { e2e } from '../support/e2e.js';
import { tempFiles } from '../support/files.js';
import { kubectlPath } from '../support/kubectl.js';

/** Fast enough that back-offs and grace periods pass in seconds, slow enough to watch each step. */
const SPEED = '20';

let d: Daemon;
const files = tempFiles('kd-e2e-cluster-');
const { kubectl, ok, getJson, waitFor, watch } = e2e(() => d);

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', SPEED, '--random-seed', '7'] });
});
after(async () => {
  await d.stop();
  files.remove();
});

const podStatusColumn = (out: string): string[] => out.trim().split('\n').slice(1).map((l) => l.split(/\s{2,}/)[2]!);

test('a Deployment of 3 becomes 3/3 Ready on the workers only, pods passing Pending → ContainerCreating → Running', async () => {
  const seen = new Map<string, string[]>();
  const w = await watch('/api/v1/namespaces/default/pods?watch=true&labelSelector=app%3Dweb', (_type, pod) => {
    const phase = pod.status?.containerStatuses?.[0]?.state ? Object.keys(pod.status.containerStatuses[0].state)[0] : pod.status?.phase;
    const list = seen.get(pod.metadata.name) ?? [];
    if (list.at(-1) !== phase) list.push(phase);
    seen.set(pod.metadata.name, list);
  });
  await ok('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3');
  const status = await ok('rollout', 'status', 'deployment/web', '--timeout=60s');
  assert.match(status, /deployment "web" successfully rolled out\n$/);
  w.stop();
  assert.equal(maskAge(await ok('get', 'deployment', 'web')), 'NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    3/3     3            3           <age>\n');
  const wide = await ok('get', 'pods', '-l', 'app=web', '-o', 'wide', '--no-headers');
  const nodes = wide.trim().split('\n').map((l) => l.split(/\s+/)[6]);
  assert.equal(nodes.length, 3);
  for (const n of nodes) assert.match(n!, /^node0[12]$/, wide);
  assert.ok(new Set(nodes).size === 2, `3 replicas spread over both workers: ${wide}`);
  for (const line of wide.trim().split('\n')) assert.match(line, /^web-[a-z0-9]{8,10}-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s+\S+\s+10\.244\.[12]\.\d+\s+node0[12]\s+<none>\s+<none>$/);
  for (const [name, phases] of seen) {
    assert.deepEqual(phases, [undefined, 'Pending', 'waiting', 'running'].filter((p) => phases.includes(p as string)), `${name}: ${phases.join(' → ')}`);
    assert.equal(phases.at(-1), 'running');
    assert.ok(phases.includes('waiting'), `${name} was ContainerCreating at some point: ${phases.join(' → ')}`);
  }
});

test('a rolling update never exceeds maxSurge or maxUnavailable at any watched point', async () => {
  await ok('scale', 'deployment', 'web', '--replicas=4');
  await ok('rollout', 'status', 'deployment/web', '--timeout=60s');
  // Defaults: maxSurge 25% of 4 → 1 (rounded up), maxUnavailable 25% of 4 → 1 (rounded down).
  const pods = new Map<string, any>();
  let maxTotal = 0;
  let minAvailable = Infinity;
  const w = await watch('/api/v1/namespaces/default/pods?watch=true&labelSelector=app%3Dweb', (type, pod) => {
    if (type === 'DELETED') pods.delete(pod.metadata.name);
    else pods.set(pod.metadata.name, pod);
    const live = [...pods.values()].filter((p) => !p.metadata.deletionTimestamp);
    maxTotal = Math.max(maxTotal, live.length);
    const ready = live.filter((p) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')).length;
    if (pods.size >= 4) minAvailable = Math.min(minAvailable, ready);
  });
  await waitFor('initial pods in the watch', async () => pods.size === 4);
  await ok('set', 'image', 'deployment/web', 'nginx=nginx:1.27.3');
  await ok('rollout', 'status', 'deployment/web', '--timeout=60s');
  await waitFor('old pods gone', async () => [...pods.values()].every((p) => p.spec.containers[0].image === 'nginx:1.27.3'));
  w.stop();
  assert.ok(maxTotal <= 5, `at most 4 + maxSurge 1 pods at once, saw ${maxTotal}`);
  assert.ok(minAvailable >= 3, `at least 4 - maxUnavailable 1 ready at once, saw ${minAvailable}`);
  const rs = await ok('get', 'rs', '-l', 'app=web', '--no-headers');
  assert.equal(rs.trim().split('\n').length, 2, rs);
});

test('a tag that does not exist shows ErrImagePull, then ImagePullBackOff', async () => {
  await ok('run', 'badtag', '--image=nginx:0.0.404-nope');
  const statuses = new Set<string>();
  await waitFor('ImagePullBackOff', async () => {
    const s = podStatusColumn(await ok('get', 'pod', 'badtag'))[0]!;
    statuses.add(s);
    return s === 'ImagePullBackOff';
  });
  const events = await ok('get', 'events', '--field-selector', 'involvedObject.name=badtag', '-o', 'jsonpath={range .items[*]}{.reason}{"\\n"}{end}');
  for (const reason of ['Scheduled', 'Pulling', 'Failed', 'BackOff']) assert.ok(events.split('\n').includes(reason), `event ${reason} in:\n${events}`);
  const pod = await getJson('/api/v1/namespaces/default/pods/badtag');
  assert.match(pod.status.containerStatuses[0].state.waiting.message, /^Back-off pulling image "nginx:0\.0\.404-nope"/);
});

test('a crashing command reaches CrashLoopBackOff on the real back-off schedule', async () => {
  const backOffs: string[] = [];
  const w = await watch('/api/v1/namespaces/default/pods?watch=true&fieldSelector=metadata.name%3Dcrash', (_type, p) => {
    const m = /^back-off (\S+) restarting failed container/.exec(p.status?.containerStatuses?.[0]?.state?.waiting?.message ?? '');
    if (m && backOffs.at(-1) !== m[1]) backOffs.push(m[1]!);
  });
  // `kubectl get pod -w` prints a row per change: the STATUS and RESTARTS columns through each phase.
  const rows: string[] = [];
  const getWatch = spawn(await kubectlPath(), ['--kubeconfig', d.kubeconfig, 'get', 'pods', '-l', 'run=crash', '-w', '--no-headers', '-v=6'], { env: { PATH: process.env['PATH'] ?? '', HOME: d.home } });
  let buf = '';
  getWatch.stdout.setEncoding('utf8').on('data', (c: string) => {
    buf += c;
    const lines = buf.split('\n');
    buf = lines.pop()!;
    rows.push(...lines);
  });
  // With -v=6 kubectl logs each request on stderr: once the watch request is logged, no change is missed.
  let stderr = '';
  getWatch.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  await waitFor('kubectl get -w to start', async () => /"Response" verb="GET" url="[^"]*watch=true[^"]*" status="200 OK"/.test(stderr));
  await ok('run', 'crash', '--image=busybox:1.36', '--', 'sh', '-c', 'echo boom; exit 3');
  const pod = await waitFor('three restarts', async () => {
    const p = await getJson('/api/v1/namespaces/default/pods/crash');
    return (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 3 ? p : undefined;
  });
  await waitFor('the third back-off', async () => backOffs.length >= 3);
  w.stop();
  getWatch.kill('SIGTERM');
  // kubelet's container back-off: 10 s, doubling per crash, capped at 5 min.
  assert.deepEqual(backOffs.slice(0, 3), ['10s', '20s', '40s']);
  const statuses = rows.map((r) => r.split(/\s+/).slice(1, 4).join(' '));
  const expected = ['0/1 Pending 0', '0/1 ContainerCreating 0', '0/1 Error 0', '0/1 Error 1', '0/1 CrashLoopBackOff 1', '0/1 Error 2', '0/1 CrashLoopBackOff 2'];
  let at = 0;
  for (const row of statuses) if (row === expected[at]) at++;
  assert.equal(at, expected.length, `rows in order ${expected.join(' → ')}:\n${statuses.join('\n')}`);
  assert.match(rows.find((r) => / CrashLoopBackOff +2 /.test(r)) ?? '', /CrashLoopBackOff +2 \(\d+s ago\)/);
  const last = pod.status.containerStatuses[0].lastState.terminated;
  assert.equal(last.exitCode, 3);
  assert.equal(last.reason, 'Error');
  const events = JSON.parse(await ok('get', 'events', '--field-selector', 'involvedObject.name=crash,reason=BackOff', '-o', 'json'));
  assert.equal(events.items[0].message, 'Back-off restarting failed container crash in pod crash_default(' + pod.metadata.uid + ')');
  assert.equal(maskAge(await ok('logs', 'crash', '--previous')), 'boom\n');
});

test('an over-sized request stays Pending with the exact FailedScheduling message', async () => {
  const f = files.file('big.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: big}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    resources: {requests: {cpu: "64"}}\n');
  await ok('apply', '-f', f);
  const message = await waitFor('FailedScheduling', async () => (await ok('get', 'events', '--field-selector', 'involvedObject.name=big,reason=FailedScheduling', '-o', 'jsonpath={.items[0].message}')) || undefined);
  assert.equal(message, '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..');
  assert.equal(podStatusColumn(await ok('get', 'pod', 'big'))[0], 'Pending');
});

test('nodeSelector, tolerations and affinity are honoured', async () => {
  await ok('label', 'node', 'node02', 'disktype=ssd');
  const f = files.file('placed.yaml', `apiVersion: v1
kind: Pod
metadata: {name: on-ssd}
spec:
  nodeSelector: {disktype: ssd}
  containers: [{name: app, image: "nginx:1.27"}]
---
apiVersion: v1
kind: Pod
metadata: {name: on-cp}
spec:
  tolerations: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms: [{matchExpressions: [{key: node-role.kubernetes.io/control-plane, operator: Exists}]}]
  containers: [{name: app, image: "nginx:1.27"}]
`);
  await ok('apply', '-f', f);
  await ok('wait', '--for=condition=Ready', 'pod/on-ssd', 'pod/on-cp', '--timeout=60s');
  assert.equal(await ok('get', 'pod', 'on-ssd', '-o', 'jsonpath={.spec.nodeName}'), 'node02');
  assert.equal(await ok('get', 'pod', 'on-cp', '-o', 'jsonpath={.spec.nodeName}'), 'controlplane');
});

test('logs and logs -f show the program output', async () => {
  await ok('run', 'talker', '--image=busybox:1.36', '--', 'sh', '-c', 'for i in 1 2 3; do echo line $i; sleep 1; done; sleep 3600');
  await ok('wait', '--for=condition=Ready', 'pod/talker', '--timeout=60s');
  await waitFor('three lines', async () => (await ok('logs', 'talker')) === 'line 1\nline 2\nline 3\n');
  assert.equal(await ok('logs', 'talker', '--tail=1'), 'line 3\n');
  const follow = await runKubectl(d, ['logs', '-f', 'talker', '--request-timeout=2s']);
  assert.match(follow.stdout, /^line 1\nline 2\nline 3\n/);
});

test('a DaemonSet runs one pod on every eligible node', async () => {
  const f = files.file('ds.yaml', `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: "busybox:1.36", command: [sleep, "3600"]}]
`);
  await ok('apply', '-f', f);
  await ok('rollout', 'status', 'daemonset/agent', '--timeout=60s');
  assert.equal(maskAge(await ok('get', 'ds', 'agent')), 'NAME    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE\nagent   2         2         2       2            2           <none>          <age>\n');
  const nodes = (await ok('get', 'pods', '-l', 'app=agent', '-o', 'jsonpath={.items[*].spec.nodeName}')).split(' ').sort();
  assert.deepEqual(nodes, ['node01', 'node02']);
});

test('a Job runs to completion', async () => {
  await ok('create', 'job', 'hello', '--image=busybox:1.36', '--', 'echo', 'hello from the job');
  await ok('wait', '--for=condition=Complete', 'job/hello', '--timeout=60s');
  assert.match(maskAge(await ok('get', 'job', 'hello')), /^NAME    STATUS     COMPLETIONS   DURATION   AGE\nhello   Complete   1\/1           \S+\s+<age>\n$/);
  assert.equal(await ok('logs', 'job/hello'), 'hello from the job\n');
  assert.match(await ok('get', 'pods', '-l', 'job-name=hello', '--no-headers'), /^hello-[a-z0-9]{5}\s+0\/1\s+Completed\s+0\s+/);
});

test('deleting a Deployment removes its ReplicaSets and pods', async () => {
  await ok('delete', 'deployment', 'web');
  await waitFor('pods gone', async () => (await kubectl('get', 'pods', '-l', 'app=web')).stderr === 'No resources found in default namespace.\n');
  const rs = await kubectl('get', 'rs', '-l', 'app=web');
  assert.equal(rs.stderr, 'No resources found in default namespace.\n');
});
