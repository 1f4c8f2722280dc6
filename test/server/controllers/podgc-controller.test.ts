import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newPodGCController, startPodGCController } from '../../../server/controllers/podgc-controller.js';
import { startTestCluster } from '../../support/cluster.js';
import { createNode, createPod } from './endpoints-fixtures.js';

test('pods of a deleted node are marked and force-deleted after the quarantine', async (t) => {
  const c = startTestCluster(t, [startPodGCController]);
  createNode(c, 'node01');
  createNode(c, 'node02');
  createPod(c, 'a', { app: 'web' }, { node: 'node01' });
  createPod(c, 'b', { app: 'web' }, { node: 'node02' });
  const seen: string[] = [];
  c.ctx.informers.for('pods').on({ update: (_o, p) => {
    const cond = (p.status as { conditions?: Array<{ type: string; reason?: string; message?: string }> }).conditions?.find((x) => x.type === 'DisruptionTarget');
    if (cond) seen.push(`${p.metadata.name} ${(p.status as { phase: string }).phase} ${cond.reason}: ${cond.message}`);
  } });
  c.client.delete('nodes', { name: 'node01' });
  // First pass at 20 s finds node01 missing; the quarantine ends 40 s later, at the 60 s pass.
  await c.advance(40_000, 1000);
  assert.deepEqual(c.list('pods', 'default').map((p) => p.metadata.name), ['a', 'b']);
  await c.advance(20_000, 1000);
  assert.deepEqual(c.list('pods', 'default').map((p) => p.metadata.name), ['b']);
  assert.deepEqual(seen, ['a Failed DeletionByPodGC: PodGC: node no longer exists']);
});

test('a node that comes back during the quarantine keeps its pods', async (t) => {
  const c = startTestCluster(t, [startPodGCController]);
  createPod(c, 'a', { app: 'web' }, { node: 'node01' });
  await c.advance(30_000, 1000);
  createNode(c, 'node01');
  await c.advance(60_000, 1000);
  assert.deepEqual(c.list('pods', 'default').map((p) => p.metadata.name), ['a']);
});

test('terminated pods beyond the threshold go, oldest first', async (t) => {
  const c = startTestCluster(t, [newPodGCController({ terminatedPodThreshold: 2 })]);
  createNode(c, 'node01');
  for (const name of ['old', 'mid', 'new']) {
    createPod(c, name, { app: 'job' });
    c.client.mutate('pods', { namespace: 'default', name }, (cur) => ({ ...cur, status: { ...(cur.status as object), phase: 'Succeeded' } }), { status: true });
    await c.advance(1000);
  }
  createPod(c, 'running', { app: 'web' });
  await c.advance(20_000, 1000);
  assert.deepEqual(c.list('pods', 'default').map((p) => p.metadata.name).sort(), ['mid', 'new', 'running']);
});

test('unscheduled terminating pods are deleted', async (t) => {
  const c = startTestCluster(t, [startPodGCController]);
  c.client.create('pods', { metadata: { name: 'pending', namespace: 'default', finalizers: ['example.com/hold'] }, spec: { containers: [{ name: 'a', image: 'nginx' }] } });
  c.client.delete('pods', { namespace: 'default', name: 'pending' });
  assert.ok(c.client.get('pods', { namespace: 'default', name: 'pending' })?.metadata.deletionTimestamp);
  await c.advance(20_000, 1000);
  const pod = c.client.get('pods', { namespace: 'default', name: 'pending' });
  // The finalizer still holds the object, but PodGC has marked it Failed and deleted it with grace 0.
  assert.equal((pod?.status as { phase?: string } | undefined)?.phase, 'Failed');
});

test('a collection reads only the pods it may take, never the whole cache', async (t) => {
  const c = startTestCluster(t, [newPodGCController({ terminatedPodThreshold: 1 })]);
  createNode(c, 'node01');
  for (const name of ['done-1', 'done-2']) {
    createPod(c, name, { app: 'job' }, { node: 'node01' });
    c.client.mutate('pods', { namespace: 'default', name }, (cur) => ({ ...cur, status: { ...(cur.status as object), phase: 'Failed' } }), { status: true });
    await c.advance(1000);
  }
  for (let i = 0; i < 20; i++) createPod(c, `web-${i}`, { app: 'web' }, { node: 'node01' });
  createPod(c, 'lost', { app: 'web' }, { node: 'node09' });
  const pods = c.ctx.informers.for('pods');
  const seen: string[] = [];
  const list = pods.list.bind(pods);
  pods.list = (ns?: string) => {
    seen.push('list');
    return list(ns);
  };
  const byIndex = pods.byIndex.bind(pods);
  pods.byIndex = (name: string, value: string) => {
    const out = byIndex(name, value);
    seen.push(...out.map((p) => p.metadata.name ?? ''));
    return out;
  };
  await c.advance(20_000, 1000);
  assert.deepEqual(seen.sort(), ['done-1', 'done-2', 'lost'], 'the terminated pods and the one on a missing node');
  assert.deepEqual(c.list('pods', 'default').map((p) => p.metadata.name).filter((n) => !n?.startsWith('web-')), ['done-2', 'lost'], 'the oldest terminated pod beyond the threshold went');
});
