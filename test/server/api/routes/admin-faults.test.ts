import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultClusterConfig } from '../../../../server/config.js';
import { buildTestApp, json, type TestApp } from '../../../support/app.js';

const get = async (a: TestApp, url: string): Promise<any> => json(await a.app.inject({ method: 'GET', url }));
const post = (a: TestApp, url: string, payload: object) => a.app.inject({ method: 'POST', url, payload });
const condition = (node: any, type: string): any => node.status.conditions.find((c: any) => c.type === type);
const taintKeys = (node: any): string[] => (node.spec.taints ?? []).map((t: any) => `${t.key}:${t.effect}`);

async function cluster(t: { after(fn: () => unknown): void }): Promise<TestApp> {
  const a = await buildTestApp(t, { cluster: defaultClusterConfig() });
  await a.advance(5_000);
  return a;
}

test('KubeletStopped: the node goes Unknown after the grace period; removing the fault brings it back Ready', async (t) => {
  const a = await cluster(t);
  const res = await post(a, '/kubedojo/faults', { type: 'KubeletStopped', node: 'node01' });
  assert.equal(res.statusCode, 201, res.body);
  assert.deepEqual(json(res), { type: 'KubeletStopped', node: 'node01', id: 'f1' });
  assert.deepEqual((await get(a, '/kubedojo/faults')).items, [{ type: 'KubeletStopped', node: 'node01', id: 'f1' }]);
  await a.advance(60_000);
  const down = await get(a, '/api/v1/nodes/node01');
  assert.equal(condition(down, 'Ready').status, 'Unknown');
  assert.equal(condition(down, 'Ready').message, 'Kubelet stopped posting node status.');
  assert.ok(taintKeys(down).includes('node.kubernetes.io/unreachable:NoExecute'), taintKeys(down).join());

  assert.equal((await a.app.inject({ method: 'DELETE', url: '/kubedojo/faults/f1' })).statusCode, 200);
  await a.advance(15_000);
  const up = await get(a, '/api/v1/nodes/node01');
  assert.equal(condition(up, 'Ready').status, 'True');
  assert.deepEqual(taintKeys(up), []);
  assert.equal((await a.app.inject({ method: 'DELETE', url: '/kubedojo/faults/f1' })).statusCode, 404);
});

test('NodeCondition: the kubelet reports the pressure with upstream texts and the node gets the NoSchedule taint', async (t) => {
  const a = await cluster(t);
  assert.equal((await post(a, '/kubedojo/faults', { type: 'NodeCondition', node: 'node02', condition: 'MemoryPressure' })).statusCode, 201);
  await a.advance(15_000);
  const node = await get(a, '/api/v1/nodes/node02');
  const mp = condition(node, 'MemoryPressure');
  assert.deepEqual([mp.status, mp.reason, mp.message], ['True', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available']);
  assert.deepEqual(taintKeys(node), ['node.kubernetes.io/memory-pressure:NoSchedule']);
  const events = (await get(a, '/api/v1/namespaces/default/events')).items.filter((e: any) => e.involvedObject.name === 'node02').map((e: any) => e.reason);
  assert.ok(events.includes('NodeHasInsufficientMemory'), events.join());

  assert.equal((await a.app.inject({ method: 'DELETE', url: '/kubedojo/faults' })).statusCode, 200);
  await a.advance(15_000);
  const healthy = await get(a, '/api/v1/nodes/node02');
  assert.deepEqual([condition(healthy, 'MemoryPressure').status, condition(healthy, 'MemoryPressure').reason], ['False', 'KubeletHasSufficientMemory']);
  assert.deepEqual(taintKeys(healthy), []);
});

test('ImageUnpullable fails pulls of that tag like a missing tag; SlowImagePull stretches pulls', async (t) => {
  const a = await cluster(t);
  await post(a, '/kubedojo/faults', { type: 'ImageUnpullable', image: 'nginx:1.27' });
  await post(a, '/kubedojo/faults', { type: 'SlowImagePull', seconds: 60, image: 'redis', node: 'node01' });
  await a.createPod('bad', { containers: [{ name: 'c', image: 'nginx:1.27' }] });
  await a.createPod('slow', { containers: [{ name: 'c', image: 'redis:7.4' }] });
  await a.advance(5_000);
  const failed = (await get(a, '/api/v1/namespaces/default/events')).items.filter((e: any) => e.involvedObject.name === 'bad' && e.reason === 'Failed').map((e: any) => e.message);
  assert.deepEqual(failed.slice(0, 2), [
    'Failed to pull image "nginx:1.27": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.27": failed to resolve reference "docker.io/library/nginx:1.27": docker.io/library/nginx:1.27: not found',
    'Error: ErrImagePull',
  ]);
  assert.equal((await get(a, '/api/v1/namespaces/default/pods/slow')).status.containerStatuses[0].state.waiting.reason, 'ContainerCreating');
  await a.advance(60_000);
  const slow = await get(a, '/api/v1/namespaces/default/pods/slow');
  assert.ok(slow.status.containerStatuses[0].state.running, JSON.stringify(slow.status.containerStatuses[0]));
  const pulled = (await get(a, '/api/v1/namespaces/default/events')).items.find((e: any) => e.involvedObject.name === 'slow' && e.reason === 'Pulled');
  assert.match(pulled.message, /^Successfully pulled image "redis:7\.4" in 1m0s /);
  assert.equal((await get(a, '/api/v1/namespaces/default/pods/bad')).status.containerStatuses[0].state.waiting.reason, 'ImagePullBackOff');
});

test('CrashContainer kills the container now: exit 137 Error, restarted under the restart policy, not kept as a fault', async (t) => {
  const a = await cluster(t);
  await a.createPod('web', { containers: [{ name: 'c', image: 'nginx:1.27' }] });
  await a.advance(10_000);
  const res = await post(a, '/kubedojo/faults', { type: 'CrashContainer', pod: 'web' });
  assert.equal(res.statusCode, 201, res.body);
  assert.deepEqual(json(res), { type: 'CrashContainer', namespace: 'default', pod: 'web', container: 'c' });
  assert.deepEqual((await get(a, '/kubedojo/faults')).items, []);
  await a.advance(3_000);
  const cs = (await get(a, '/api/v1/namespaces/default/pods/web')).status.containerStatuses[0];
  assert.equal(cs.restartCount, 1);
  assert.deepEqual([cs.lastState.terminated.exitCode, cs.lastState.terminated.reason], [137, 'Error']);
  assert.ok(cs.state.running);
  assert.equal((await post(a, '/kubedojo/faults', { type: 'CrashContainer', pod: 'nope' })).statusCode, 404);
  assert.equal((await post(a, '/kubedojo/faults', { type: 'CrashContainer', pod: 'web', container: 'x' })).statusCode, 404);
});

test('bad fault bodies are refused with a 400 Status', async (t) => {
  const a = await cluster(t);
  for (const [payload, message] of [
    [{ type: 'Meteor' }, /'type' must be one of KubeletStopped, NodeCondition, ImageUnpullable, SlowImagePull, CrashContainer: current value is "Meteor"/],
    [{ type: 'KubeletStopped', node: 'node09' }, /node "node09" is not a node of this cluster: nodes are controlplane, node01, node02/],
    [{ type: 'NodeCondition', node: 'node01', condition: 'Hot' }, /'condition' must be one of MemoryPressure, DiskPressure, PIDPressure/],
    [{ type: 'SlowImagePull' }, /'seconds' must be a non-negative number/],
    [{ type: 'ImageUnpullable', image: 'Nginx' }, /'image' must be an image reference/],
  ] as const) {
    const res = await post(a, '/kubedojo/faults', payload);
    assert.equal(res.statusCode, 400, res.body);
    assert.match(json(res).message, message);
  }
});
