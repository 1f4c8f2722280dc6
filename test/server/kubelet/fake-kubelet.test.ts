import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { startKubelets } from '../../../server/kubelet/fake-kubelet.js';
import { startTestCluster, type TestCluster } from '../../support/cluster.js';

function pod(name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'node01', ...spec } } as KubeObject;
}

function getPod(c: TestCluster, name: string): any {
  return c.client.get('pods', { namespace: 'default', name });
}

function events(c: TestCluster, name: string): string[] {
  return c.list('events', 'default')
    .filter((e: any) => e.involvedObject.name === name)
    .sort((a: any, b: any) => a.firstTimestamp.localeCompare(b.firstTimestamp))
    .map((e: any) => `${e.type} ${e.reason} ${e.message}${e.count > 1 ? ` x${e.count}` : ''}`);
}

test('nginx goes Pending, ContainerCreating, then Running and Ready with the real events', async (t) => {
  const c = startTestCluster(t, [startKubelets]);
  c.client.create('pods', pod('web', { containers: [{ name: 'nginx', image: 'nginx:1.27' }] }));
  await c.settle();
  let p = getPod(c, 'web');
  assert.equal(p.status.phase, 'Pending');
  assert.equal(p.status.hostIP, '172.30.1.3');
  assert.deepEqual(p.status.containerStatuses[0].state, { waiting: { reason: 'ContainerCreating' } });
  assert.deepEqual(p.status.conditions.map((x: any) => `${x.type}=${x.status}`), ['PodReadyToStartContainers=False', 'Initialized=True', 'Ready=False', 'ContainersReady=False', 'PodScheduled=True']);
  await c.advance(5_000);
  p = getPod(c, 'web');
  assert.equal(p.status.phase, 'Running');
  assert.match(p.status.podIP, /^10\.244\.\d+\.2$/);
  const s = p.status.containerStatuses[0];
  assert.equal(s.ready, true);
  assert.equal(s.started, true);
  assert.equal(s.image, 'docker.io/library/nginx:1.27');
  assert.match(s.imageID, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
  assert.match(s.containerID, /^containerd:\/\/[0-9a-f]{64}$/);
  assert.ok(p.status.conditions.every((x: any) => x.status === 'True'));
  assert.deepEqual(events(c, 'web'), [
    'Normal Pulling Pulling image "nginx:1.27"',
    'Normal Pulled Successfully pulled image "nginx:1.27" in 3.318s (3.318s including waiting). Image size: 72938216 bytes.',
    'Normal Created Created container: nginx',
    'Normal Started Started container nginx',
  ]);
});

test('a status write keeps the unchanged conditions and IP lists of the stored status as they are', async (t) => {
  const c = startTestCluster(t, [startKubelets]);
  c.client.create('pods', pod('web', { containers: [{ name: 'nginx', image: 'nginx:1.27' }] }));
  await c.advance(1_000);
  const before = getPod(c, 'web');
  assert.ok(before.status.podIP, 'the sandbox has its IP');
  await c.advance(5_000);
  const after = getPod(c, 'web');
  assert.equal(after.status.phase, 'Running');
  assert.notEqual(after.metadata.resourceVersion, before.metadata.resourceVersion);
  const byType = (p: any) => new Map(p.status.conditions.map((x: any) => [x.type, x]));
  const [was, now] = [byType(before), byType(after)];
  for (const type of ['PodReadyToStartContainers', 'Initialized', 'PodScheduled']) assert.equal(now.get(type), was.get(type), `${type} is the stored object`);
  for (const type of ['Ready', 'ContainersReady']) assert.notEqual(now.get(type), was.get(type), `${type} changed`);
  assert.equal(after.status.hostIPs, before.status.hostIPs);
  assert.equal(after.status.podIPs, before.status.podIPs);
  assert.deepEqual(Object.keys(now.get('Ready') as object), ['type', 'status', 'lastProbeTime', 'lastTransitionTime']);
});

test('pods of one node that change in the same second share their equal conditions and host IP list', async (t) => {
  const c = startTestCluster(t, [startKubelets]);
  for (const name of ['a', 'b']) c.client.create('pods', pod(name, { containers: [{ name: 'nginx', image: 'nginx:1.27' }] }));
  await c.advance(5_000);
  const [a, b] = [getPod(c, 'a'), getPod(c, 'b')];
  assert.equal(a.status.phase, 'Running');
  assert.equal(b.status.phase, 'Running');
  assert.equal(a.status.hostIPs, b.status.hostIPs);
  const equal = a.status.conditions.filter((x: any, i: number) => JSON.stringify(x) === JSON.stringify(b.status.conditions[i]));
  assert.deepEqual(equal.map((x: any) => x.type), ['PodReadyToStartContainers', 'Initialized', 'PodScheduled']);
  for (const x of equal) assert.equal(x, b.status.conditions.find((y: any) => y.type === x.type), `${x.type} is one object`);
  assert.notEqual(a.status.podIPs, b.status.podIPs);
});

function state(c: TestCluster, name: string, i = 0): any {
  return getPod(c, name).status.containerStatuses[i];
}

test('a bad tag alternates ErrImagePull and ImagePullBackOff on the real back-off', async (t) => {
  const c = startTestCluster(t, [startKubelets]);
  c.client.create('pods', pod('bad', { containers: [{ name: 'app', image: 'nginx:nope' }] }));
  await c.advance(1_100);
  assert.equal(state(c, 'bad').state.waiting.reason, 'ErrImagePull');
  assert.match(state(c, 'bad').state.waiting.message, /nginx:nope: not found$/);
  await c.advance(1_000);
  assert.equal(state(c, 'bad').state.waiting.reason, 'ImagePullBackOff');
  assert.match(state(c, 'bad').state.waiting.message, /^Back-off pulling image "nginx:nope": ErrImagePull: rpc error/);
  // The pull failed at 1.1 s (sandbox 0.5 s + 0.6 s); the next one starts 10 s later and fails at 11.7 s.
  await c.advance(9_900);
  assert.equal(state(c, 'bad').state.waiting.reason, 'ErrImagePull');
  await c.advance(1_000);
  assert.equal(state(c, 'bad').state.waiting.reason, 'ImagePullBackOff');
  // Then 20 s of back-off: the third pull fails at 32.3 s.
  await c.advance(19_000);
  assert.equal(state(c, 'bad').state.waiting.reason, 'ImagePullBackOff');
  await c.advance(500);
  assert.equal(state(c, 'bad').state.waiting.reason, 'ErrImagePull');
  const ev = events(c, 'bad');
  assert.ok(ev.includes('Normal Pulling Pulling image "nginx:nope" x3'), ev.join('\n'));
  assert.ok(ev.includes('Warning Failed Error: ErrImagePull x3'));
  assert.ok(ev.includes('Normal BackOff Back-off pulling image "nginx:nope" x2'));
  assert.ok(ev.includes('Warning Failed Error: ImagePullBackOff x2'));
});

test('sh -c "exit 1" with restartPolicy Always crash-loops at 10 s, 20 s, 40 s', async (t) => {
  const c = startTestCluster(t, [startKubelets]);
  c.client.create('pods', pod('crash', { containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'exit 1'] }] }));
  // Restart times, sampled every 0.5 s: the first restart follows the first crash at once.
  const changes: number[] = [];
  let last = 0;
  for (let ms = 0; ms < 120_000; ms += 500) {
    await c.advance(500, 500);
    const count = state(c, 'crash')?.restartCount ?? 0;
    if (count !== last) changes.push(ms + 500);
    last = count;
  }
  const gaps = changes.slice(1).map((ms, i) => (ms - changes[i]!) / 1000);
  assert.deepEqual(gaps.slice(0, 3), [10, 20, 40]);
  const st = state(c, 'crash');
  assert.equal(st.state.waiting.reason, 'CrashLoopBackOff');
  assert.match(st.state.waiting.message, /^back-off 1m20s restarting failed container=app pod=crash_default\(/);
  assert.equal(st.lastState.terminated.reason, 'Error');
  assert.equal(st.lastState.terminated.exitCode, 1);
  assert.equal(getPod(c, 'crash').status.phase, 'Running');
  assert.ok(events(c, 'crash').some((e) => /^Warning BackOff Back-off restarting failed container app in pod crash_default\(/.test(e)));
});

test('a Job-style pod that echoes and exits 0 with restartPolicy Never Succeeds', async (t) => {
  const c = startTestCluster(t, [startKubelets]);
  c.client.create('pods', pod('job', { restartPolicy: 'Never', containers: [{ name: 'hi', image: 'busybox:1.36', command: ['echo', 'hi'] }] }));
  await c.advance(3_000);
  const p = getPod(c, 'job');
  assert.equal(p.status.phase, 'Succeeded');
  const term = p.status.containerStatuses[0].state.terminated;
  assert.equal(term.reason, 'Completed');
  assert.equal(term.exitCode, 0);
  const byType = Object.fromEntries(p.status.conditions.map((x: any) => [x.type, `${x.status}${x.reason ? `/${x.reason}` : ''}`]));
  assert.deepEqual(byType, { PodReadyToStartContainers: 'False', Initialized: 'True/PodCompleted', Ready: 'False/PodCompleted', ContainersReady: 'False/PodCompleted', PodScheduled: 'True' });
  assert.equal(c.ctx.logs.read(term.containerID), 'hi\n');
});

test('init containers run one at a time, in order, before the app container', async (t) => {
  const c = startTestCluster(t, [startKubelets]);
  c.client.create('pods', pod('init', {
    initContainers: [
      { name: 'first', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 5'] },
      { name: 'second', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 5'] },
    ],
    containers: [{ name: 'app', image: 'nginx:1.27' }],
  }));
  await c.advance(2_000);
  let p = getPod(c, 'init');
  assert.equal(p.status.phase, 'Pending');
  assert.ok(p.status.initContainerStatuses[0].state.running);
  assert.deepEqual(p.status.initContainerStatuses[1].state, { waiting: { reason: 'PodInitializing' } });
  assert.deepEqual(p.status.containerStatuses[0].state, { waiting: { reason: 'PodInitializing' } });
  const init = p.status.conditions.find((x: any) => x.type === 'Initialized');
  assert.equal(init.message, 'containers with incomplete status: [first second]');
  await c.advance(6_000);
  p = getPod(c, 'init');
  assert.equal(p.status.initContainerStatuses[0].state.terminated.reason, 'Completed');
  assert.ok(p.status.initContainerStatuses[1].state.running);
  await c.advance(10_000);
  p = getPod(c, 'init');
  assert.equal(p.status.phase, 'Running');
  assert.equal(p.status.conditions.find((x: any) => x.type === 'Initialized').status, 'True');
  const order = events(c, 'init').filter((e) => e.includes('Started'));
  assert.deepEqual(order, ['Normal Started Started container first', 'Normal Started Started container second', 'Normal Started Started container app']);
});

test('a failing readiness probe keeps Ready False with Unhealthy events', async (t) => {
  const c = startTestCluster(t, [startKubelets]);
  c.client.create('pods', pod('notready', { containers: [{ name: 'web', image: 'nginx:1.27', readinessProbe: { httpGet: { path: '/healthz', port: 80 }, periodSeconds: 5 } }] }));
  await c.advance(30_000);
  const p = getPod(c, 'notready');
  assert.equal(p.status.phase, 'Running');
  assert.equal(p.status.containerStatuses[0].ready, false);
  assert.equal(p.status.conditions.find((x: any) => x.type === 'Ready').message, 'containers with unready status: [web]');
  assert.ok(events(c, 'notready').some((e) => /^Warning Unhealthy Readiness probe failed: HTTP probe failed with statuscode: 404 x\d+$/.test(e)));
  assert.equal(p.status.containerStatuses[0].restartCount, 0);
});

test('a passing readiness probe makes the container ready', async (t) => {
  const c = startTestCluster(t, [startKubelets]);
  c.client.create('pods', pod('ready', { containers: [{ name: 'web', image: 'nginx:1.27', readinessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 2 } }] }));
  await c.advance(4_500);
  assert.equal(state(c, 'ready').ready, false);
  await c.advance(2_000);
  assert.equal(state(c, 'ready').ready, true);
});

test('a failing liveness probe restarts the container', async (t) => {
  const c = startTestCluster(t, [startKubelets]);
  c.client.create('pods', pod('live', {
    terminationGracePeriodSeconds: 5,
    containers: [{
      name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'],
      livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, initialDelaySeconds: 5, periodSeconds: 5 },
    }],
  }));
  await c.advance(60_000);
  const st = state(c, 'live');
  assert.equal(st.restartCount, 1);
  assert.equal(st.lastState.terminated.exitCode, 137);
  const ev = events(c, 'live');
  assert.ok(ev.includes("Warning Unhealthy Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n x3"), ev.join('\n'));
  assert.ok(ev.includes('Normal Killing Container app failed liveness probe, will be restarted'));
});

test('a passing startup probe marks the container started, then readiness takes over', async (t) => {
  const c = startTestCluster(t, [startKubelets]);
  c.client.create('pods', pod('slow', {
    containers: [{
      name: 'web', image: 'nginx:1.27',
      startupProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 10, periodSeconds: 10 },
      readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 1 },
    }],
  }));
  await c.advance(9_000);
  assert.equal(state(c, 'slow').started, false);
  assert.equal(state(c, 'slow').ready, false);
  await c.advance(12_000);
  assert.equal(state(c, 'slow').started, true);
  assert.equal(state(c, 'slow').ready, true);
  assert.deepEqual(events(c, 'slow').filter((e) => e.includes('Unhealthy')), []);
});

test('a startup probe that never passes kills the container after failureThreshold tries', async (t) => {
  const c = startTestCluster(t, [startKubelets]);
  c.client.create('pods', pod('nostart', {
    terminationGracePeriodSeconds: 1,
    containers: [{ name: 'web', image: 'nginx:1.27', startupProbe: { httpGet: { path: '/missing', port: 80 }, periodSeconds: 2, failureThreshold: 3 } }],
  }));
  await c.advance(12_000);
  const ev = events(c, 'nostart');
  assert.ok(ev.includes('Warning Unhealthy Startup probe failed: HTTP probe failed with statuscode: 404 x3'), ev.join('\n'));
  assert.ok(ev.includes('Normal Killing Container web failed startup probe, will be restarted'), ev.join('\n'));
  assert.equal(state(c, 'nostart').restartCount, 1);
});

test('graceful deletion honours terminationGracePeriodSeconds, then removes the pod', async (t) => {
  const c = startTestCluster(t, [startKubelets]);
  c.client.create('pods', pod('sleeper', { terminationGracePeriodSeconds: 10, containers: [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'] }] }));
  c.client.create('pods', pod('web', { containers: [{ name: 'nginx', image: 'nginx:1.27' }] }));
  await c.advance(10_000);
  c.client.delete('pods', { namespace: 'default', name: 'sleeper' });
  c.client.delete('pods', { namespace: 'default', name: 'web' });
  await c.advance(1_000);
  assert.equal(getPod(c, 'web'), undefined, 'nginx stops on SIGTERM at once');
  assert.ok(getPod(c, 'sleeper').metadata.deletionTimestamp);
  await c.advance(8_000);
  assert.ok(getPod(c, 'sleeper'), 'sleep as PID 1 ignores SIGTERM');
  await c.advance(2_000);
  assert.equal(getPod(c, 'sleeper'), undefined);
  assert.ok(events(c, 'sleeper').includes('Normal Killing Stopping container app'));
});

test('a stopped kubelet moves nothing until it starts again', async (t) => {
  const c = startTestCluster(t, [startKubelets]);
  c.ctx.kubelets.stop('node01');
  c.client.create('pods', pod('web', { containers: [{ name: 'nginx', image: 'nginx:1.27' }] }));
  await c.advance(10_000);
  assert.equal(getPod(c, 'web').status.phase, 'Pending');
  assert.equal(getPod(c, 'web').status.containerStatuses, undefined);
  c.ctx.kubelets.start('node01');
  await c.advance(10_000);
  assert.equal(getPod(c, 'web').status.phase, 'Running');
});

test('a container that allocates more than its memory limit is OOMKilled and restarted', async (t) => {
  const c = startTestCluster(t, [startKubelets]);
  c.client.create('pods', pod('memory-demo', {
    containers: [{
      name: 'memory-demo-ctr', image: 'polinux/stress', command: ['stress'], args: ['--vm', '1', '--vm-bytes', '250M', '--vm-hang', '1'],
      resources: { requests: { memory: '50Mi' }, limits: { memory: '100Mi' } },
    }],
  }));
  await c.advance(8_000);
  const s = state(c, 'memory-demo');
  assert.ok(s.restartCount >= 1, `restarted: ${JSON.stringify(s)}`);
  assert.equal(s.lastState.terminated.reason, 'OOMKilled');
  assert.equal(s.lastState.terminated.exitCode, 137);
  const fits = pod('fits', { containers: [{ name: 'c', image: 'polinux/stress', command: ['stress'], args: ['--vm', '1', '--vm-bytes', '50M', '--vm-hang', '1'], resources: { limits: { memory: '100Mi' } } }] });
  c.client.create('pods', fits);
  await c.advance(8_000);
  assert.equal(state(c, 'fits').restartCount, 0);
  assert.equal(state(c, 'fits').ready, true);
});
