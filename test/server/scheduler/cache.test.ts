import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { SchedulerCache } from '../../../server/scheduler/cache.js';
import { container, makeNode, makePod } from './fixtures.js';

function boundPod(name: string, labels: Record<string, string>): Pod {
  const pod = makePod({ name, nodeName: 'node-1', containers: [container({ cpu: '100m' })] });
  return { ...pod, metadata: { ...pod.metadata, uid: `uid-${name}`, labels } };
}

test('a status write replaces the pod where it is and keeps the generation; a label or spec change does not', () => {
  const cache = new SchedulerCache();
  cache.addNode(makeNode({ name: 'node-1', allocatable: { cpu: '4', memory: '8Gi', pods: '110' } }));
  const a = boundPod('a', { app: 'web' });
  const b = boundPod('b', { app: 'web' });
  cache.addPod(a);
  cache.addPod(b);
  const info = cache.get('node-1')!;
  const generation = info.generation;

  const running: Pod = { ...a, metadata: { ...a.metadata, labels: { app: 'web' } }, status: { phase: 'Running' } };
  cache.updatePod(running);
  assert.equal(info.generation, generation);
  assert.deepEqual(info.pods.map((p) => [p.metadata?.name, p.status?.phase]), [['a', 'Running'], ['b', undefined]]);
  assert.equal(info.requested.milliCPU, 200);

  cache.updatePod({ ...running, metadata: { ...running.metadata, labels: { app: 'api' } } });
  assert.ok(info.generation > generation);
  const relabelled = info.generation;
  cache.updatePod({ ...b, spec: { ...b.spec!, containers: [container({ cpu: '300m' })] } });
  assert.ok(info.generation > relabelled);
  assert.equal(info.requested.milliCPU, 400);
  assert.deepEqual(info.pods.map((p) => p.metadata?.labels?.['app']), ['api', 'web']);
});

test('a node update leaves podsGeneration alone; pods coming and going move it', () => {
  const cache = new SchedulerCache();
  const node = makeNode({ name: 'node-1', allocatable: { cpu: '4', memory: '8Gi', pods: '110' } });
  cache.addNode(node);
  const info = cache.get('node-1')!;
  cache.addPod(boundPod('a', { app: 'web' }));
  const pods = info.podsGeneration;
  const generation = info.generation;
  cache.addNode({ ...node, status: { ...node.status, conditions: [{ type: 'Ready', status: 'True' }] } });
  assert.ok(info.generation > generation);
  assert.equal(info.podsGeneration, pods);
  cache.removePod(boundPod('a', { app: 'web' }));
  assert.ok(info.podsGeneration > pods);
});

test('the observed binding of an assumed pod takes its place; a pod that counts differently is re-added', () => {
  const cache = new SchedulerCache();
  cache.addNode(makeNode({ name: 'node-1', allocatable: { cpu: '4', memory: '8Gi', pods: '110' } }));
  const info = cache.get('node-1')!;
  cache.addPod(boundPod('a', { app: 'web' }));
  const assumed = boundPod('b', { app: 'web' });
  cache.assumePod(assumed);
  const pods = info.podsGeneration;
  const removed = info.podsRemovedGeneration;
  // The stored pod after binding: same content, another object.
  const observed: Pod = { ...assumed, metadata: { ...assumed.metadata, resourceVersion: '9' }, spec: { ...assumed.spec! } };
  cache.addPod(observed);
  assert.equal(cache.isAssumed('uid-b'), false);
  assert.equal(info.pods[1], observed);
  assert.equal(info.podsGeneration, pods);
  assert.equal(info.podsRemovedGeneration, removed);
  assert.equal(info.requested.milliCPU, 200);

  // Assumed with one request, stored with another (changed meanwhile): accounted anew.
  const c = boundPod('c', { app: 'web' });
  cache.assumePod(c);
  cache.addPod({ ...c, spec: { ...c.spec!, containers: [container({ cpu: '500m' })] } });
  assert.equal(info.requested.milliCPU, 700);
  assert.ok(info.podsRemovedGeneration > removed);
});

test("the cluster's label index counts each node's carriers of every label as pods come, change labels, move and go", () => {
  const cache = new SchedulerCache();
  for (const name of ['node-1', 'node-2']) cache.addNode(makeNode({ name, allocatable: { cpu: '4', memory: '8Gi', pods: '110' } }));
  const on = (name: string, node: string, labels: Record<string, string>): Pod => {
    const pod = boundPod(name, labels);
    return { ...pod, spec: { ...pod.spec!, nodeName: node } };
  };
  // What the index must say: each node's own index, counted.
  const expected = (): string[] => {
    const out: string[] = [];
    for (const info of cache.nodeInfos()) {
      for (const [key, byValue] of info.podsByLabel) for (const [value, refs] of byValue) out.push(`${key}=${value} ${info.node.metadata?.name} ${refs.length}`);
    }
    return out.sort();
  };
  const actual = (): string[] => {
    const out: string[] = [];
    for (const [key, byValue] of cache.get('node-1')!.clusterLabels!) {
      for (const [value, perNode] of byValue) for (const [info, n] of perNode) out.push(`${key}=${value} ${info.node.metadata?.name} ${n}`);
    }
    return out.sort();
  };
  const steps: Array<[string, () => void, string[]]> = [
    ['two on node-1, one on node-2', () => {
      cache.addPod(on('a', 'node-1', { app: 'web', tier: 'x' }));
      cache.addPod(on('b', 'node-1', { app: 'web' }));
      cache.addPod(on('c', 'node-2', { app: 'web' }));
    }, ['app=web node-1 2', 'app=web node-2 1', 'tier=x node-1 1']],
    ['a relabelled', () => cache.updatePod(on('a', 'node-1', { app: 'api' })), ['app=api node-1 1', 'app=web node-1 1', 'app=web node-2 1']],
    ['an assumed pod on node-2', () => cache.assumePod(on('d', 'node-2', { app: 'api' })), ['app=api node-1 1', 'app=api node-2 1', 'app=web node-1 1', 'app=web node-2 1']],
    ['its binding observed on node-1 instead', () => cache.addPod(on('d', 'node-1', { app: 'api' })), ['app=api node-1 2', 'app=web node-1 1', 'app=web node-2 1']],
    ['an assumed pod forgotten', () => {
      cache.assumePod(on('e', 'node-2', { app: 'db' }));
      cache.forgetPod(on('e', 'node-2', { app: 'db' }));
    }, ['app=api node-1 2', 'app=web node-1 1', 'app=web node-2 1']],
    ['all removed', () => {
      for (const [name, node, app] of [['a', 'node-1', 'api'], ['b', 'node-1', 'web'], ['c', 'node-2', 'web'], ['d', 'node-1', 'api']] as const) cache.removePod(on(name, node, { app }));
    }, []],
  ];
  for (const [step, change, want] of steps) {
    change();
    assert.deepEqual(expected(), want, step);
    assert.deepEqual(actual(), want, step);
  }
  assert.equal(cache.get('node-1')!.clusterLabels, cache.get('node-2')!.clusterLabels);
});
